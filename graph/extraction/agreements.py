"""Untitled agreements (签署合作意向书, 签订战略合作框架协议) and who signed them.

An agreement is a Policy only when a government body is a party (ontology: a policy is issued
by a government body): a department, or a district or city standing for its government
(徐汇区与香港理工大学签署…, 杨浦与华为签署…). The span is the head noun with its modifiers
(深化战略合作框架协议); the canonical name joins the parties' official names
(上海市徐汇区人民政府与香港理工大学合作意向书), keeping a stated purpose between the last party
and the head (…共建创新联合体深化战略合作框架协议).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from graph.extraction.candidates import Candidate
from graph.extraction.context import DocumentContext
from graph.extraction.lexicon import Lexicon
from graph.extraction.records import EntityType
from graph.extraction.scan import is_specific

POLICY = EntityType.POLICY
_CLAUSE_END = "，,。；;！？!?\n：:"
_PARTY_TYPES = (EntityType.DEPARTMENT, EntityType.ORGANIZATION)
_JOINERS = "与和、同及"
_MAX_PURPOSE = 10
_MAX_TOPIC = 6  # characters of category words between the signing verb and the head


@dataclass(frozen=True)
class AgreementRules:
    """Compiled agreement patterns."""

    heads: re.Pattern[str]
    signing: tuple[str, ...]
    links: frozenset[str]


@dataclass(frozen=True)
class Party:
    """A signing party: its span and official name, and whether it is a government."""

    start: int
    end: int
    canonical: str
    government: bool
    type: EntityType


@lru_cache(maxsize=4)
def agreement_rules(lexicon: Lexicon) -> AgreementRules:
    """Compile the agreement rules of a lexicon (cached)."""
    section = lexicon.section("types", "policy")
    joiners = ("与", "和", "、", "同", "及", "以及")
    adverbs = ("", *section["party_adverbs"])
    links = frozenset(adverb + joiner for adverb in adverbs for joiner in joiners)
    return AgreementRules(re.compile(section["agreement_heads"]), tuple(section["signing_verbs"]), links)


def find_agreements(ctx: DocumentContext, chosen: list[Candidate]) -> list[Candidate]:
    """Agreement candidates, with their parties (``parties`` info) and official names."""
    rules = agreement_rules(ctx.lexicon)
    text = ctx.text
    found = []
    parties_by_start = sorted((c for c in chosen if c.type in _PARTY_TYPES), key=lambda c: c.start)
    starts = [c.start for c in parties_by_start]
    for match in rules.heads.finditer(text):
        if _inside_title(text, match.start()):
            continue
        clause_start = _clause_start(text, match.start())
        window = parties_by_start[bisect_left(starts, clause_start) : bisect_left(starts, match.start())]
        parties = _last_chain(text, _parties(ctx, window, clause_start, match.start()), rules.links)
        between = text[parties[-1].end : match.start()] if parties else ""
        signed = any(v in text[clause_start : match.start()] for v in rules.signing)
        signed = signed or text.startswith((*tuple(rules.signing), "的签订", "的签署"), match.end())
        if len(parties) < 2 or not any(p.government for p in parties) or (not signed and len(between) > _MAX_PURPOSE):
            continue
        purpose = "" if any(v in between for v in rules.signing) else between
        topic = _topic(ctx, rules, match.start())
        names = [p.canonical for p in parties]
        canonical = "、".join(names[:-1]) + "与" + names[-1] + (purpose or topic) + match.group()
        types = tuple(p.type.value for p in parties)
        info = (("parties", tuple(names)), ("party_types", types), ("head", match.group()))
        confidence = 0.85 if signed else 0.7
        start = match.start() - len(topic)
        found.append(Candidate(POLICY, start, match.end(), confidence, "policy.agreement", canonical, info))
    return found


def _topic(ctx: DocumentContext, rules: AgreementRules, head: int) -> str:
    """``签署数据要素合作框架协议``: category words between the signing verb and the head say what
    the agreement is about and belong to its name (a specific word there — 共建创新联合体 — is a
    stated purpose, kept out of the span)."""
    text = ctx.text
    for verb in rules.signing:
        for signed in (verb + "了", verb):
            opened = text.rfind(signed, max(0, head - len(signed) - _MAX_TOPIC), head)
            if opened < 0:
                continue
            topic = text[opened + len(signed) : head]
            if topic and topic[0] not in ctx.vocab.left_chars and not is_specific(topic, ctx.vocab, ctx.segmenter):
                return topic
    return ""


def _inside_title(text: str, position: int) -> bool:
    opened = text.rfind("《", max(0, position - 80), position)
    return opened >= 0 and text.find("》", opened, position) < 0


def _clause_start(text: str, position: int) -> int:
    start = position
    while start > 0 and text[start - 1] not in _CLAUSE_END:
        start -= 1
    return start


def _parties(ctx: DocumentContext, chosen: list[Candidate], start: int, end: int) -> list[Party]:
    """Departments, organizations and districts in [start, end), in text order."""
    parties = [
        Party(c.start, c.end, c.canonical or ctx.text[c.start : c.end], c.type is EntityType.DEPARTMENT, c.type)
        for c in chosen
        if c.type in _PARTY_TYPES and start <= c.start and c.end <= end
    ]
    taken = [(p.start, p.end) for p in parties]
    parties.extend(p for p in _districts(ctx, start, end) if not any(s <= p.start < e for s, e in taken))
    return sorted(parties, key=lambda p: p.start)


def _last_chain(text: str, parties: list[Party], links: frozenset[str]) -> list[Party]:
    """The parties joined by 与/和/、 that stand closest to the agreement; an adverb may come
    before the joiner (区政府还与…签署…)."""
    chain: list[Party] = []
    for party in parties:
        if chain and text[chain[-1].end : party.start] in links:
            chain.append(party)
        else:
            chain = [party]
    return chain


def _districts(ctx: DocumentContext, start: int, end: int) -> list[Party]:
    """District names standing for their government (徐汇区与…, 杨浦与…)."""
    text = ctx.text
    found = []
    for district in ctx.vocab.districts:
        for place in (f"{district}区", district):
            position = text.find(place, start, end)
            if position >= 0 and text.startswith(tuple(_JOINERS), position + len(place)):
                found.append(
                    Party(
                        position,
                        position + len(place),
                        f"{ctx.vocab.district_name(district)}人民政府",
                        True,
                        EntityType.DEPARTMENT,
                    )
                )
                break
    return found
