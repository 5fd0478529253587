"""Relations the text supports, as typed records with their sentence and the rule used.

* ``mentions`` — the document mentions each of its entities (implicit).
* ``signedBy`` — the parties of an agreement (from the clause, or from a 《A与B…协议》 title).
* ``issuedBy`` — a policy and the bodies that 发布/印发/出台 it in the same sentence (a district
  or 上海 standing for its government has lower confidence).
* ``publishes`` — a department and a dataset: one department as subject of 发布/开放/归集/建立/
  登记 with datasets in the clause, or the documented remit rule (remits.tsv) when a sentence
  lists departments and tables without pairing them.
* ``participant`` / ``locatedIn`` — 由A、B联合主办的X, A与B共同为X揭牌, X落户徐汇.
* ``eventDate`` — 3月24日 (with the document's year when the date has none) and its clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from graph.extraction.candidates import Candidate
from graph.extraction.context import DocumentContext
from graph.extraction.records import Entity, EntityType, Mention, Relation, RelationKind

_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_ISSUE_VERBS = ("发布", "印发", "出台", "制定", "编制", "颁布")
_OWN_VERBS = ("发布", "开放", "归集", "建立", "登记", "编制", "负责")
_HOST = re.compile(r"由(?P<hosts>[^，。；]{2,80}?)(?:联合|共同)?(?:主办|承办|发起|共建|建设|运营)")
_UNVEIL = re.compile(r"(?:共同)?为(?P<object>[^，。；]{2,40}?)揭牌")
_LOCATE = re.compile(r"(?:落户|落地|位于|坐落于|落子)(?P<place>[\u4e00-\u9fff]{2,6})")
_TITLE_PARTIES = re.compile(r"^(?P<a>[^与和]{2,30})[与和](?P<b>[^与和]{2,30}?)(?:深化|全面|战略|合作|框架|三方)")
_MAX_EVENT = 60


def find_relations(
    ctx: DocumentContext,
    doc_id: str,
    mentions: Sequence[Mention],
    chosen: Sequence[Candidate],
    entities: Sequence[Entity],
) -> list[Relation]:
    """All relations of one document (``chosen`` are the candidates behind ``mentions``)."""
    relations = list(_mentions(doc_id, mentions, entities))
    relations.extend(_signed(mentions, chosen))
    relations.extend(_issued(ctx, mentions))
    relations.extend(_published(ctx, mentions))
    relations.extend(_participants(ctx, mentions))
    relations.extend(_dates(ctx))
    return relations


def _mentions(doc_id: str, mentions: Sequence[Mention], entities: Sequence[Entity]) -> Iterator[Relation]:
    first: dict[tuple[EntityType, str], int] = {}
    for mention in mentions:
        first.setdefault((mention.type, mention.canonical), mention.sentence)
    for entity in entities:
        sentence = first.get((entity.type, entity.canonical), 0)
        yield Relation(
            RelationKind.MENTIONS,
            doc_id,
            entity.canonical,
            sentence,
            entity.confidence,
            "document.mentions",
            object_type=entity.type,
        )


def _by_sentence(mentions: Sequence[Mention]) -> dict[int, list[Mention]]:
    grouped: dict[int, list[Mention]] = {}
    for mention in mentions:
        grouped.setdefault(mention.sentence, []).append(mention)
    return grouped


def _signed(mentions: Sequence[Mention], chosen: Sequence[Candidate]) -> Iterator[Relation]:
    seen = set()
    for mention, candidate in zip(mentions, chosen, strict=True):
        if mention.type is not EntityType.POLICY:
            continue
        for party, party_type in _agreement_parties(mention, candidate):
            key = (mention.canonical, party)
            if key not in seen:
                seen.add(key)
                yield Relation(
                    RelationKind.SIGNED_BY,
                    mention.canonical,
                    party,
                    mention.sentence,
                    0.7,
                    mention.rule,
                    EntityType.POLICY,
                    party_type,
                    mention.text,
                )


def _agreement_parties(mention: Mention, candidate: Candidate) -> list[tuple[str, EntityType]]:
    parties = candidate.get("parties")
    if parties:
        return [(p, EntityType(t)) for p, t in zip(parties, candidate.get("party_types"), strict=True)]
    if mention.rule != "policy.title" or not mention.canonical.endswith(("协议", "意向书", "备忘录")):
        return []
    match = _TITLE_PARTIES.match(mention.canonical)
    if not match:
        return []
    return [(match.group(n), _party_type(match.group(n))) for n in ("a", "b")]


def _party_type(name: str) -> EntityType:
    government = name.endswith(("政府", "委员会", "局", "委", "办公室")) or "人民政府" in name
    return EntityType.DEPARTMENT if government else EntityType.ORGANIZATION


def _issued(ctx: DocumentContext, mentions: Sequence[Mention]) -> Iterator[Relation]:
    grouped = _by_sentence(mentions)
    for mention in mentions:
        if mention.type is not EntityType.POLICY or mention.rule == "policy.agreement":
            continue
        sentence = ctx.sentences.sentences[mention.sentence] if ctx.sentences.sentences else None
        if sentence is None:
            continue
        before = ctx.text[sentence.start : mention.start]
        verb = max((before.rfind(v) for v in _ISSUE_VERBS), default=-1)
        if verb < 0:
            continue
        issuers = [
            m for m in grouped[mention.sentence] if m.type is EntityType.DEPARTMENT and m.end <= sentence.start + verb
        ]
        for issuer in issuers:
            yield Relation(
                RelationKind.ISSUED_BY,
                mention.canonical,
                issuer.canonical,
                mention.sentence,
                0.7,
                "issuedBy.department",
                EntityType.POLICY,
                EntityType.DEPARTMENT,
                sentence.text,
            )
        if not issuers:
            yield from _issued_by_place(ctx, mention, before[:verb], sentence.text)


def _issued_by_place(ctx: DocumentContext, mention: Mention, before: str, evidence: str) -> Iterator[Relation]:
    for district in ctx.vocab.districts:
        if district in before:
            yield Relation(
                RelationKind.ISSUED_BY,
                mention.canonical,
                f"{ctx.vocab.district_name(district)}人民政府",
                mention.sentence,
                0.5,
                "issuedBy.place",
                EntityType.POLICY,
                EntityType.DEPARTMENT,
                evidence,
            )
            return
    if ctx.vocab.city in before or before.startswith("市"):
        yield Relation(
            RelationKind.ISSUED_BY,
            mention.canonical,
            f"{ctx.vocab.city_name}人民政府",
            mention.sentence,
            0.5,
            "issuedBy.place",
            EntityType.POLICY,
            EntityType.DEPARTMENT,
            evidence,
        )


def _published(ctx: DocumentContext, mentions: Sequence[Mention]) -> Iterator[Relation]:
    for index, members in _by_sentence(mentions).items():
        datasets = [m for m in members if m.type is EntityType.DATASET]
        departments = [m for m in members if m.type is EntityType.DEPARTMENT]
        if not datasets or not departments:
            continue
        if len(departments) == 1 and _owning_verb(ctx, departments[0], datasets):
            for dataset in datasets:
                yield Relation(
                    RelationKind.PUBLISHES,
                    departments[0].canonical,
                    dataset.canonical,
                    index,
                    0.6,
                    "publishes.subject",
                    EntityType.DEPARTMENT,
                    EntityType.DATASET,
                )
        elif len(departments) > 1:
            yield from _by_remit(ctx, index, departments, datasets)


def _owning_verb(ctx: DocumentContext, department: Mention, datasets: list[Mention]) -> bool:
    start = department.end
    end = min(d.start for d in datasets)
    return start < end and any(v in ctx.text[start:end] for v in _OWN_VERBS)


def _by_remit(
    ctx: DocumentContext, index: int, departments: list[Mention], datasets: list[Mention]
) -> Iterator[Relation]:
    remits = ctx.lexicon.remits
    for dataset in datasets:
        owners = {
            d.canonical
            for d in departments
            for stem, words in remits.items()
            if (stem in d.canonical or stem in d.text) and any(w in dataset.canonical for w in words)
        }
        if len(owners) == 1:
            yield Relation(
                RelationKind.PUBLISHES,
                owners.pop(),
                dataset.canonical,
                index,
                0.5,
                "publishes.remit",
                EntityType.DEPARTMENT,
                EntityType.DATASET,
            )


def _participants(ctx: DocumentContext, mentions: Sequence[Mention]) -> Iterator[Relation]:
    grouped = _by_sentence(mentions)
    for sentence in ctx.sentences.sentences:
        members = grouped.get(sentence.index, [])
        projects = [m for m in members if m.type is EntityType.PROJECT]
        if not projects:
            continue
        actors = [m for m in members if m.type in (EntityType.DEPARTMENT, EntityType.ORGANIZATION)]
        yield from _hosted(sentence.start, sentence.text, projects, actors)
        yield from _located(ctx, sentence.start, sentence.text, projects)


def _hosted(offset: int, text: str, projects: list[Mention], actors: list[Mention]) -> Iterator[Relation]:
    for pattern, group in ((_HOST, "hosts"), (_UNVEIL, "object")):
        for match in pattern.finditer(text):
            span = (
                (offset + match.start(), offset + match.end()) if group == "hosts" else (offset, offset + match.start())
            )
            hosts = [a for a in actors if span[0] <= a.start and a.end <= span[1]]
            targets = (
                [p for p in projects if p.start >= offset + match.start()]
                if group == "hosts"
                else [p for p in projects if offset + match.start(group) <= p.start < offset + match.end(group)]
            )
            for project in targets[:1]:
                for host in hosts:
                    yield Relation(
                        RelationKind.PARTICIPANT,
                        project.canonical,
                        host.canonical,
                        project.sentence,
                        0.6,
                        f"participant.{group}",
                        EntityType.PROJECT,
                        host.type,
                        text[:_MAX_EVENT],
                    )


def _located(ctx: DocumentContext, offset: int, text: str, projects: list[Mention]) -> Iterator[Relation]:
    for match in _LOCATE.finditer(text):
        place = ctx.vocab.place_prefix(match.group("place")) or next(
            (d for d in ctx.vocab.districts if match.group("place").startswith(d)), None
        )
        before = [p for p in projects if p.end <= offset + match.start()]
        if place and before:
            project = before[-1]
            yield Relation(
                RelationKind.LOCATED_IN,
                project.canonical,
                place,
                project.sentence,
                0.6,
                "locatedIn.verb",
                EntityType.PROJECT,
                None,
                text[:_MAX_EVENT],
            )


def _dates(ctx: DocumentContext) -> Iterator[Relation]:
    for match in _DATE.finditer(ctx.text):
        month, day = int(match.group(2)), int(match.group(3))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        year = int(match.group(1)) if match.group(1) else ctx.year
        iso = f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        confidence = 0.8 if match.group(1) else 0.7 if year else 0.5
        sentence = ctx.sentences.at(match.start())
        if sentence is None:
            continue
        clause = sentence.text[:_MAX_EVENT]
        yield Relation(
            RelationKind.EVENT_DATE, clause, iso, sentence.index, confidence, "eventDate.text", evidence=match.group()
        )
