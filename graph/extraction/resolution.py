"""Entity resolution: one canonical name per real-world entity, in a document and a corpus.

Canonical names come from the extractors where they know the official name (departments,
dictionary organizations, agreements, aliases). Otherwise they are the surface with spacing
removed, brackets made full-width, whole-name quotes dropped, a leading short name expanded
(港科大上海产教融合中心 → 香港科技大学上海产教融合中心), a district prefix completed
(徐汇区中心医院 → 上海市徐汇区中心医院), the administrative abbreviations 市 / 区 and the owner
level of a dataset spelt out (市大数据资源平台 → 上海市大数据资源平台, 市级法人库 → 上海市法人库),
and an owner or place written right before a quoted name joined to it (徐汇区中心医院“云医院”,
上海“数字伙伴计划”). A company name one character away from a known official name of the same
length is that company, misprinted (上海国有资产投资有限公司 → 上海国有资本投资有限公司); a 一 next
to a district inside an organization name is an OCR-read dash (徐汇一市六医院 → 徐汇-市六医院).
Projects with the same quoted head and kind are one (“数字新规则”重塑工程 in the table of
contents, “数字新规则”强化工程 in the body). Then a short name that is the tail of a longer
name of the same type in the same document is the same entity (联动创新区 →
上海自贸试验区徐汇联动创新区); across documents the same holds for tails of at least six
characters (北杨人工智能小镇). A generic project name (graph/extraction/scope.py: 一张图) is merged
across documents only within one district (or not at all when a document has no district).
The conventions are those of tests/data/gold/README.md.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from graph.extraction.candidates import Candidate
from graph.extraction.context import DocumentContext
from graph.extraction.normalise import NormalisedText
from graph.extraction.records import DocumentExtraction, Entity, EntityType, Mention
from graph.extraction.scan import CLOSE_QUOTES, OPEN_QUOTES, quoted_span

_SPACE = re.compile(r"\s+")
_TAIL_TYPES = (EntityType.PROJECT, EntityType.ORGANIZATION, EntityType.DATASET)
_MIN_TAIL_IN_DOCUMENT = 4
_MIN_TAIL_IN_CORPUS = 6
_LEVEL_PREFIX = {"national": "国家"}
_OWNED_TYPES = (EntityType.PROJECT, EntityType.POLICY)
_OWNER_TYPES = (EntityType.DEPARTMENT, EntityType.ORGANIZATION)
_MIN_MISPRINT_LENGTH = 8
_PLATFORM = re.compile(r"^“?(?P<name>[^“”（）]+)”?(?P<qualifier>（[^（）]{1,6}）)?平台$")


def clean(surface: str) -> str:
    """Spacing removed and brackets made full-width."""
    return _SPACE.sub("", surface).replace("(", "（").replace(")", "）")


def canonical_name(candidate: Candidate, ctx: DocumentContext, owners: dict[int, str] | None = None) -> str:
    """The canonical name of a candidate whose extractor did not give one.

    ``owners`` maps the end offset of each chosen department or organization to its surface,
    for owners written right before a quoted name.
    """
    if candidate.canonical:
        return clean(candidate.canonical)
    start, end = quoted_span(ctx.text, candidate.start, candidate.end)
    surface = clean(ctx.text[start:end])
    if candidate.type is EntityType.ORGANIZATION:
        return _organization(ctx, surface)
    if candidate.type is EntityType.DATASET:
        return _dataset(ctx, _spell_out_level(ctx, surface), candidate.get("level"))
    owned = _owned(ctx, candidate, owners or {}) if candidate.type in _OWNED_TYPES else None
    if owned:
        return owned
    if candidate.type is EntityType.PROJECT:
        return _project(ctx, _spell_out_level(ctx, surface))
    return _spell_out_level(ctx, surface)


def _owned(ctx: DocumentContext, candidate: Candidate, owners: dict[int, str]) -> str | None:
    """``owner“X”``: the owner or place written right before a quoted name, joined to it."""
    text = ctx.text
    opening = candidate.start if text[candidate.start] in OPEN_QUOTES else candidate.start - 1
    if opening < 1 or text[opening] not in OPEN_QUOTES:
        return None
    end = candidate.end
    if opening < candidate.start and end < len(text) and text[end] in CLOSE_QUOTES:
        end += 1
    owner = owners.get(opening) or _place_before(ctx, opening)
    return clean(owner + text[opening:end]) if owner else None


def _spell_out_level(ctx: DocumentContext, surface: str) -> str:
    """A leading 市 / 区 abbreviation spelt out (市大数据资源平台 → 上海市大数据资源平台)."""
    if len(surface) < 4 or surface[0] not in "市区省":
        return surface
    tokens = ctx.segmenter.tokens(surface[:4])
    if not tokens or tokens[0] not in ("市", "区", "省"):
        return surface
    if tokens[0] == "省":
        province = ctx.vocab.province_name
        return province + surface[1:] if province else surface
    if tokens[0] == "市":
        if surface[1] in ctx.lexicon.section("words", "places")["compass_points"]:
            return surface  # 市西软件信息园, 市北高新园区: a quarter's name, no abbreviation
        return ctx.vocab.city_name + surface[1:]
    return f"{ctx.district_name}{surface[1:]}" if ctx.district_name else surface


def _organization(ctx: DocumentContext, surface: str) -> str:
    known = ctx.lexicon.organizations.get(surface)
    if known and not known[1]:
        return known[0]
    for district in ctx.vocab.districts:
        if surface.startswith(f"{district}区"):
            return f"{ctx.vocab.city_name}{surface}"
    return _misprint_of(ctx, surface) or _expand_short(ctx, _ocr_dash(ctx, surface))


def _ocr_dash(ctx: DocumentContext, surface: str) -> str:
    """``徐汇一市六医院``, ``中山一徐汇``: in a name joining a district to another name (a
    hospital consortium), the 一 right after or before the district is a dash read by OCR."""
    for district in ctx.vocab.districts:
        for joint in (f"{district}一", f"一{district}"):
            at = surface.find(joint)
            dash = at + (len(district) if joint[0] != "一" else 0)
            if at >= 0 and 2 <= dash <= len(surface) - 3:
                return f"{surface[:dash]}-{surface[dash + 1 :]}"
    return surface


def _misprint_of(ctx: DocumentContext, surface: str) -> str | None:
    """The one known official name of the same length that differs from ``surface`` in one
    character, not at the ends (上海国有资产投资有限公司 → 上海国有资本投资有限公司)."""
    if len(surface) < _MIN_MISPRINT_LENGTH:
        return None
    close = {
        full
        for full, level in ctx.lexicon.organizations.values()
        if not level
        and len(full) == len(surface)
        and full[:2] == surface[:2]
        and full[-2:] == surface[-2:]
        and sum(a != b for a, b in zip(full, surface, strict=True)) == 1
    }
    return close.pop() if len(close) == 1 else None


def _project(ctx: DocumentContext, surface: str) -> str:
    platform = _PLATFORM.match(surface)
    for entity_type, name, canonical in ctx.lexicon.gazetteer:
        if entity_type != EntityType.PROJECT.value:
            continue
        if surface == name:
            return canonical
        if platform and platform.group("name") == name:
            return canonical + (platform.group("qualifier") or "")
    return _expand_short(ctx, surface)


def _dataset(ctx: DocumentContext, surface: str, level: str | None) -> str:
    if level == "district" and ctx.district_name:
        return f"{ctx.district_name}{surface}"
    if level == "municipal":
        return ctx.vocab.city_name + surface
    if level == "provincial" and ctx.vocab.province_name:
        return ctx.vocab.province_name + surface
    return _LEVEL_PREFIX.get(level or "", "") + surface


def _expand_short(ctx: DocumentContext, surface: str) -> str:
    """A leading well-known short name replaced by the full name (港科大… → 香港科技大学…)."""
    for short, (full, level) in ctx.lexicon.organizations.items():
        if level or surface.startswith(full) or not surface.startswith(short):
            continue
        if len(surface) > len(short) and "大学" in full:
            return full + surface[len(short) :]
    return surface


def _place_before(ctx: DocumentContext, position: int) -> str | None:
    """A region, area or district written right before a quoted name (国家“双创”示范基地,
    徐汇区“神经元系统”)."""
    before = ctx.text[max(0, position - 6) : position]
    districts = tuple(f"{d}区" for d in ctx.vocab.districts)
    for place in (*districts, *ctx.vocab.places):
        if before.endswith(place):
            return place
    return None


def to_mentions(chosen: Sequence[Candidate], ctx: DocumentContext, normalised: NormalisedText) -> list[Mention]:
    """Mentions with raw spans, sentence indexes and resolved canonical names."""
    owners = {c.end: ctx.text[c.start : c.end] for c in chosen if c.type in _OWNER_TYPES}
    names = [canonical_name(c, ctx, owners) for c in chosen]
    names = _merge_agreements(chosen, names)
    names = _merge_quoted_heads(chosen, names)
    tails = tuple(ctx.lexicon.section("types", "organization")["group_brand_tails"])
    names = _merge_group_names(chosen, names, ctx.vocab.regions, tails)
    names = _merge_legal_names(chosen, names)
    merged = _tail_map([(c.type, n) for c, n in zip(chosen, names, strict=True)], _MIN_TAIL_IN_DOCUMENT)
    mentions = []
    for candidate, name in zip(chosen, names, strict=True):
        raw_start, raw_end = normalised.raw_span(candidate.start, candidate.end)
        mentions.append(
            Mention(
                type=candidate.type,
                text=ctx.text[candidate.start : candidate.end],
                start=candidate.start,
                end=candidate.end,
                raw_start=raw_start,
                raw_end=raw_end,
                sentence=ctx.sentences.index_at(candidate.start),
                confidence=candidate.confidence,
                canonical=merged.get((candidate.type, name), name),
                rule=candidate.rule,
            )
        )
    return mentions


def _merge_agreements(chosen: Sequence[Candidate], names: list[str]) -> list[str]:
    """Mentions of one agreement (same head, same parties) share the longest name."""
    longest: dict[tuple[str, frozenset[str]], str] = {}
    keys = []
    for candidate, name in zip(chosen, names, strict=True):
        parties = candidate.get("parties")
        key = (candidate.get("head"), frozenset(parties)) if parties else None
        keys.append(key)
        if key and len(name) > len(longest.get(key, "")):
            longest[key] = name
    return [longest[k] if k else n for k, n in zip(keys, names, strict=True)]


_GROUP = "集团"
_GROUP_FORMS = ("（集团）", "集团")


def _merge_group_names(
    chosen: Sequence[Candidate], names: list[str], regions: Iterable[str], tails: Sequence[str] = ()
) -> list[str]:
    """A group named by its brand and 集团 (伽蓝集团, 华虹集团) is the company of the same document
    whose legal name opens, after a region, with the brand and （集团） or 集团 (伽蓝（集团）股份有限公司,
    上海华虹（集团）有限公司), a business word of ``tails`` between them allowed
    (外滩投资集团 → 上海外滩投资开发（集团）有限公司)."""
    companies: defaultdict[str, set[str]] = defaultdict(set)  # brand -> legal names
    openings = sorted(regions, key=len, reverse=True)
    for candidate, name in zip(chosen, names, strict=True):
        if candidate.type is EntityType.ORGANIZATION and name.endswith("公司"):
            for brand in _group_brands(name, openings):
                companies[brand].add(name)
                tail = next((t for t in tails if brand.endswith(t) and len(brand) >= len(t) + 2), None)
                if tail:
                    companies[brand[: -len(tail)]].add(name)

    def full_name(candidate: Candidate, name: str) -> str:
        if candidate.type is not EntityType.ORGANIZATION or not name.endswith(_GROUP) or len(name) < 4:
            return name
        matches = companies.get(name[: -len(_GROUP)], set())
        return next(iter(matches)) if len(matches) == 1 else name

    return [full_name(c, n) for c, n in zip(chosen, names, strict=True)]


_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司")


def _merge_legal_names(chosen: Sequence[Candidate], names: list[str]) -> list[str]:
    """An organization named as the one company of the document whose legal name is that name and
    a legal form is that company (成都银行 → 成都银行股份有限公司)."""
    legal: defaultdict[str, set[str]] = defaultdict(set)
    for candidate, name in zip(chosen, names, strict=True):
        form = next((f for f in _LEGAL_FORMS if name.endswith(f)), None)
        if candidate.type is EntityType.ORGANIZATION and form and len(name) > len(form) + 1:
            legal[name[: -len(form)]].add(name)

    def full_name(candidate: Candidate, name: str) -> str:
        matches = legal.get(name, set()) if candidate.type is EntityType.ORGANIZATION else set()
        return next(iter(matches)) if len(matches) == 1 else name

    return [full_name(c, n) for c, n in zip(chosen, names, strict=True)]


def _group_brands(company: str, regions: Sequence[str]) -> Iterator[str]:
    """``上海华虹（集团）有限公司`` → 上海华虹, 华虹: the words before （集团） / 集团, with and without a
    leading region."""
    form = next((f for f in _GROUP_FORMS if f in company), None)
    if form is None:
        return
    brand = company[: company.index(form)]
    if brand:
        yield brand
    region = next((r for r in regions if brand.startswith(r) and len(brand) > len(r)), None)
    if region:
        yield brand[len(region) :]


_QUOTED_HEAD = re.compile(r"^“(?P<core>[^“”]+)”(?P<rest>[\u4e00-\u9fff]{2,6})$")


def _merge_quoted_heads(chosen: Sequence[Candidate], names: list[str]) -> list[str]:
    """Projects with the same quoted head and kind (“数字新规则”重塑工程 in the table of contents,
    “数字新规则”强化工程 in the body) are one project, named as at its last mention."""
    last: dict[tuple[str, str], str] = {}
    keys: list[tuple[str, str] | None] = []
    for candidate, name in zip(chosen, names, strict=True):
        match = _QUOTED_HEAD.match(name) if candidate.type is EntityType.PROJECT else None
        key = (match.group("core"), match.group("rest")[-2:]) if match else None
        keys.append(key)
        if key:
            last[key] = name
    return [last[k] if k else n for k, n in zip(keys, names, strict=True)]


def _tail_map(items: Iterable[tuple[EntityType, str]], minimum: int) -> dict[tuple[EntityType, str], str]:
    """Short names mapped to the one longer same-type name they end (tails of long names)."""
    by_type: dict[EntityType, set[str]] = defaultdict(set)
    for entity_type, name in items:
        if entity_type in _TAIL_TYPES:
            by_type[entity_type].add(name)
    mapping = {}
    for entity_type, names in by_type.items():
        endings: dict[str, set[str]] = defaultdict(set)
        for name in names:
            for cut in range(1, len(name) - minimum + 1):
                endings[name[cut:]].add(name)
        for name in names:
            longer = endings.get(name, set()) if len(name) >= minimum else set()
            if len(longer) == 1 or (longer and _nested(longer)):
                mapping[(entity_type, name)] = max(longer, key=len)
    return mapping


def _nested(names: set[str]) -> bool:
    ordered = sorted(names, key=len)
    return all(b.endswith(a) for a, b in itertools.pairwise(ordered))


def document_entities(mentions: Sequence[Mention], chosen: Sequence[Candidate], doc_id: str) -> tuple[Entity, ...]:
    """One entity per (type, canonical) of a document."""
    groups: dict[tuple[EntityType, str], list[tuple[Mention, Candidate]]] = defaultdict(list)
    for mention, candidate in zip(mentions, chosen, strict=True):
        groups[(mention.type, mention.canonical)].append((mention, candidate))
    entities = []
    for (entity_type, canonical), members in groups.items():
        forms = tuple(dict.fromkeys(_SPACE.sub("", m.text) for m, _ in members))
        district = next((c.get("district") for _, c in members if c.get("district")), None)
        entities.append(
            Entity(
                canonical=canonical,
                type=entity_type,
                surface_forms=forms,
                mention_count=len(members),
                confidence=max(m.confidence for m, _ in members),
                district=district,
                documents=(doc_id,),
            )
        )
    return tuple(entities)


def resolve_corpus(documents: Sequence[DocumentExtraction]) -> tuple[tuple[Entity, ...], tuple[tuple[str, str], ...]]:
    """Entities merged across documents, and (document canonical → corpus canonical) aliases."""
    everything = [e for d in documents for e in d.entities]
    scopes = {d.doc_id: d.district or d.doc_id for d in documents}
    tails = _tail_map(((e.type, e.canonical) for e in everything), _MIN_TAIL_IN_CORPUS)
    groups: dict[tuple[EntityType, str, str | None], list[Entity]] = defaultdict(list)
    for entity in everything:
        canonical = tails.get((entity.type, entity.canonical), entity.canonical)
        scope = scopes[entity.documents[0]] if entity.generic and entity.documents else None
        groups[(entity.type, canonical, scope)].append(entity)
    merged = tuple(_merge(entity_type, canonical, members) for (entity_type, canonical, _), members in groups.items())
    aliases = tuple(sorted({(n, c) for (t, n), c in tails.items()}))
    return merged, aliases


def _merge(entity_type: EntityType, canonical: str, members: list[Entity]) -> Entity:
    forms = tuple(dict.fromkeys(f for e in members for f in e.surface_forms))
    documents = tuple(dict.fromkeys(d for e in members for d in e.documents))
    return Entity(
        canonical=canonical,
        type=entity_type,
        surface_forms=forms,
        mention_count=sum(e.mention_count for e in members),
        confidence=max(e.confidence for e in members),
        district=next((e.district for e in members if e.district), None),
        documents=documents,
        generic=all(e.generic for e in members),
    )


def apply_aliases(document: DocumentExtraction, aliases: dict[str, str]) -> DocumentExtraction:
    """The document with mentions and entities renamed to their corpus-level canonical names."""
    if not any(m.canonical in aliases for m in document.mentions):
        return document
    mentions = tuple(replace(m, canonical=aliases.get(m.canonical, m.canonical)) for m in document.mentions)
    grouped: dict[tuple[EntityType, str], list[Entity]] = defaultdict(list)
    for entity in document.entities:
        grouped[(entity.type, aliases.get(entity.canonical, entity.canonical))].append(entity)
    entities = tuple(_merge(t, c, members) for (t, c), members in grouped.items())
    relations = tuple(
        replace(r, subject=aliases.get(r.subject, r.subject), object=aliases.get(r.object, r.object))
        for r in document.relations
    )
    return replace(document, mentions=mentions, entities=entities, relations=relations)
