"""Policy extraction: plans, programmes, measures, opinions and government agreements.

* Titles in 《》 are policies when they read as instruments (…规划, …方案, 关于…, …协议), are not
  publications about policy (…白皮书, …报告, …蓝皮书, …年鉴, even 《关于…的报告》) nor proposals
  submitted to a government (《关于…的建议》, …提案) and the context does not make them media or
  talks (《徐汇报》合并成一期出版, 作《…》主题分享).
* Quoted programmes: “光启人才”计划, “123X”城市数字化转型发展策略, “T 计划”.
* A document title line ending in 规划/方案/… is the document's own plan (a period, a status such as
  （试行） and an editor's note such as （摘登） after it aside; the note is not in the span).
* Unbracketed instruments after an issuing verb (出台…，元宇宙、智能终端、智能网联汽车行动方案), with a
  status such as (试行) right after them.
* Well-known plans from the gazetteer (“十四五”规划 → the national outline).

Untitled agreements (签署合作意向书) need their parties and are found in a second pass, see
:mod:`graph.extraction.agreements`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from graph.extraction.candidates import Candidate
from graph.extraction.context import DocumentContext
from graph.extraction.lexicon import Lexicon
from graph.extraction.records import EntityType
from graph.extraction.scan import ScanOptions, at_word_end, at_word_start, scan_left

POLICY = EntityType.POLICY
_TITLE = re.compile(r"《([^《》\n]{2,80})》")
_TRAILING_PERIOD = re.compile(r"[（(][\d\s\-—–至年]+[）)]$")
_LIST_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])")
_GOVERNMENT_WORDS = ("政府", "委员会", "区", "市", "局", "委", "办")
_SCAN = ScanOptions(limit=12, latin=True, digits=False, quotes=False)


@dataclass(frozen=True)
class PolicyRules:
    """Compiled policy patterns."""

    title_suffixes: tuple[str, ...]
    title_prefixes: tuple[str, ...]
    media_suffixes: tuple[str, ...]
    publication_suffixes: tuple[str, ...]
    proposal_suffixes: tuple[str, ...]
    media_context: tuple[str, ...]
    programme: re.Pattern[str]
    programme_tail_verbs: tuple[str, ...]
    named: re.Pattern[str]
    issue_verbs: tuple[str, ...]
    heading_suffixes: tuple[str, ...]
    heading_max: int
    qualifier: re.Pattern[str]
    heading_note: re.Pattern[str]
    status_after: re.Pattern[str]


@lru_cache(maxsize=4)
def policy_rules(lexicon: Lexicon) -> PolicyRules:
    """Compile the policy rules of a lexicon (cached)."""
    section = lexicon.section("types", "policy")
    suffixes = "|".join(sorted(map(re.escape, section["programme_suffixes"]), key=len, reverse=True))
    programme = re.compile(
        rf"“(?P<whole>[^“”\n，。、]{{1,15}}(?:{suffixes}))”"
        rf"|“[^“”\n，。、]{{1,12}}”[\u4e00-\u9fffA-Za-z]{{0,12}}?(?:{suffixes})"
    )
    named = "|".join(sorted(map(re.escape, section["named_suffixes"]), key=len, reverse=True))
    return PolicyRules(
        title_suffixes=tuple(section["title_suffixes"]),
        title_prefixes=tuple(section["title_prefixes"]),
        media_suffixes=tuple(section["media_suffixes"]),
        publication_suffixes=tuple(section["publication_suffixes"]),
        proposal_suffixes=tuple(section["proposal_suffixes"]),
        media_context=tuple(section["media_context"]),
        programme=programme,
        programme_tail_verbs=tuple(section["programme_tail_verbs"]),
        named=re.compile(named),
        issue_verbs=tuple(section["issue_verbs"]),
        heading_suffixes=tuple(section["heading_suffixes"]),
        heading_max=int(section["heading_max_length"]),
        qualifier=_trailing_bracket(section["title_qualifiers"]),
        heading_note=_trailing_bracket(section["heading_notes"]),
        status_after=_bracket(section["title_qualifiers"]),
    )


def _trailing_bracket(words: list[str]) -> re.Pattern[str]:
    """A bracketed word at the end of a title: ``(试行)``, ``（征求意见稿）``, ``(摘登)``."""
    return re.compile(_bracket(words).pattern + "$")


def _bracket(words: list[str]) -> re.Pattern[str]:
    """A bracketed word: ``(试行)``, ``（征求意见稿）``."""
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"[（(](?:{alternatives})[）)]")


def _title_core(title: str, rules: PolicyRules) -> str:
    """A title without its trailing period and status: 《…方案（2024—2026年）（试行）》 → …方案."""
    core = title
    while True:
        stripped = rules.qualifier.sub("", _TRAILING_PERIOD.sub("", core))
        if stripped == core:
            return core
        core = stripped


def find_policies(ctx: DocumentContext) -> list[Candidate]:
    """Policy candidates that do not need party information."""
    rules = policy_rules(ctx.lexicon)
    found = list(_titles(ctx, rules))
    found.extend(_programmes(ctx, rules))
    found.extend(_headings(ctx, rules))
    found.extend(_named(ctx, rules))
    found.extend(_gazetteer(ctx))
    return found


def _titles(ctx: DocumentContext, rules: PolicyRules) -> Iterator[Candidate]:
    for match in _TITLE.finditer(ctx.text):
        title = match.group(1)
        if _is_media(ctx.text, match, title, rules) or not _is_instrument(title, rules):
            continue
        if title.endswith(("协议", "意向书", "备忘录")) and not any(w in title for w in _GOVERNMENT_WORDS):
            continue
        yield Candidate(POLICY, match.start(1), match.end(1), 0.9, "policy.title", title)


def is_policy_title(title: str, lexicon: Lexicon) -> bool:
    """Whether a 《》 title (without brackets) reads as a policy instrument, context aside."""
    rules = policy_rules(lexicon)
    return not title.endswith(rules.media_suffixes) and _is_instrument(title, rules)


def _is_instrument(title: str, rules: PolicyRules) -> bool:
    core = _title_core(title, rules)
    if core.endswith(rules.publication_suffixes):
        return False  # 《…发展白皮书（2025）》, 《…发展报告》: written about policy, not issuing it
    if core.endswith(rules.proposal_suffixes):
        return False  # 《关于加快…的建议》: a deputy's proposal, submitted to a government
    return core.startswith(rules.title_prefixes) or core.endswith(rules.title_suffixes)


def _is_media(text: str, match: re.Match[str], title: str, rules: PolicyRules) -> bool:
    if title.endswith(rules.media_suffixes):
        return True
    after = match.end()
    while True:
        chained = _TITLE.match(text, after + 1) if text.startswith(("、", "，", ","), after) else None
        if chained is None:
            break
        after = chained.end()
    following = text[after : after + 8]
    before = text[max(0, match.start() - 4) : match.start()]
    return following.startswith(rules.media_context) or any(w in before for w in ("录制", "收看", "播出"))


def _programmes(ctx: DocumentContext, rules: PolicyRules) -> Iterator[Candidate]:
    text = ctx.text
    for match in rules.programme.finditer(text):
        if not at_word_end(text, match.end(), ctx.segmenter):
            continue
        if match.group("whole"):
            start, end = match.span("whole")
        else:
            start, end = match.span()
            if _tail_has_verb(rules, text[text.index("”", start) + 1 : end]):
                continue
        yield Candidate(POLICY, start, end, 0.75, "policy.programme")


def _tail_has_verb(rules: PolicyRules, tail: str) -> bool:
    """``“随申办”查询周边规划``: a verb of using a service after the quote makes the quoted name the
    tool of a clause. (Other verbs stay: “浦江人才”培育计划, “X”提升计划 are programme names.)"""
    return any(verb in tail for verb in rules.programme_tail_verbs)


def _headings(ctx: DocumentContext, rules: PolicyRules) -> Iterator[Candidate]:
    text = ctx.text
    position = 0
    for line in text.split("\n"):
        stripped = line.strip()
        offset = position + line.find(stripped) if stripped else position
        position += len(line) + 1
        stripped = rules.heading_note.sub("", stripped)  # …行动计划（2025—2027年）(摘登): an editor's note
        if not 4 <= len(stripped) <= rules.heading_max or _LIST_MARKER.match(stripped):
            continue
        core = _title_core(stripped, rules)
        if any(p in stripped for p in "，,。；;、：:\t ") or not core.endswith(rules.heading_suffixes):
            continue
        yield Candidate(POLICY, offset, offset + len(stripped), 0.8, "policy.heading")


def _named(ctx: DocumentContext, rules: PolicyRules) -> Iterator[Candidate]:
    text = ctx.text
    for match in rules.named.finditer(text):
        sentence_start, _ = ctx.sentence_bounds(match.start())
        start = _issuer_before_verb(ctx, scan_left(text, match.start(), ctx.vocab, ctx.segmenter, _SCAN))
        issued = any(v in text[sentence_start : match.start()] for v in rules.issue_verbs)
        if not issued and not _opens_with_issuer(ctx, text[start : match.start()]):
            continue
        while start > 1 and text[start - 1] == "、":
            previous = scan_left(text, start - 1, ctx.vocab, ctx.segmenter, _SCAN)
            if not 2 <= start - 1 - previous <= 8:
                break
            start = previous
        if match.start() - start >= 2 and at_word_end(text, match.end(), ctx.segmenter):
            status = rules.status_after.match(text, match.end())  # …管理办法(试行): still the title
            yield Candidate(POLICY, start, status.end() if status else match.end(), 0.65, "policy.named")


def _issuers(ctx: DocumentContext) -> tuple[str, ...]:
    vocab = ctx.vocab
    return (vocab.city_name, *(f"{d}区" for d in vocab.districts), vocab.province_name or vocab.city_name)


def _opens_with_issuer(ctx: DocumentContext, name: str) -> bool:
    """``推动青岛市公共数据管理办法落地``: an instrument named after its place (the city, a district of
    it, the province, written in full) is a title without a verb of issuing."""
    return any(name.startswith(place) and len(name) > len(place) + 1 for place in _issuers(ctx))


def _issuer_before_verb(ctx: DocumentContext, start: int) -> int:
    """``市南区促进数字经济高质量发展若干政策``: a verb of the boundary lists (促进, 加快) right after
    the issuing place opens what the instrument is for, and the place opens the title."""
    verb = ctx.vocab.left_word_ending(ctx.text, start)
    if verb is None:
        return start
    before = start - len(verb)
    place = next((p for p in _issuers(ctx) if ctx.text.endswith(p, 0, before)), None)
    return start if place is None else before - len(place)


def _gazetteer(ctx: DocumentContext) -> Iterator[Candidate]:
    text = ctx.text
    for entity_type, surface, canonical in ctx.lexicon.gazetteer:
        if entity_type != POLICY.value:
            continue
        start = text.find(surface)
        while start >= 0:
            end = start + len(surface)
            if at_word_start(text, start, ctx.segmenter, ctx.vocab) and at_word_end(text, end, ctx.segmenter):
                yield Candidate(POLICY, start, end, 0.8, "policy.gazetteer", canonical)
            start = text.find(surface, end)
