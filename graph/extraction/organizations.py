"""Organization extraction: companies, universities, institutes, associations, hospitals.

Routes: a name suffix (有限公司, 集团, 大学, 研究院, 协会, 联谊会, 医院 …) with the name scanned
leftwards from it, a branch kept on (…有限公司上海市分公司, and after a brand: 中国联通上海市分公司),
a group's brand before its regional company kept in front (国网上海市电力公司…供电公司), and a 与 / 和
joining two fields crossed inside an institute's name that opens with its parent body
(中国科学院上海微系统与信息技术研究所);
well-known short names from the dictionary (华为, 上汽集团, 港科大, 工商联 …), a brand followed
by a city and a position naming a company unit (华为上海总经理 → 华为上海). Suffixes that also
make category words (医院, 实验室, 集团) need a specific word in the name (公立医院 and 联合实验室
are not organizations).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from graph.extraction.candidates import Candidate
from graph.extraction.context import DocumentContext
from graph.extraction.lexicon import Lexicon, Suffix
from graph.extraction.records import EntityType
from graph.extraction.scan import (
    CLOSE_QUOTES,
    ScanOptions,
    at_word_end,
    at_word_start,
    find_suffixes,
    is_specific,
    name_start,
    suffix_pattern,
)

ORG = EntityType.ORGANIZATION
_SCAN = ScanOptions(limit=20, latin=True, digits=False)
_MARKS = "“”‘’「」『』《》（）()-－—"
# An ordinal right before the head, or before 人民 / 附属 / a school's or a hospital's word, numbers
# the institution (…附属第一医院, 上海市第一人民医院, …大学第二附属医院, 第一医科大学); it is not the
# superlative 第一 of a description.
_ORDINAL_HEAD = re.compile(r"第[一二三四五六七八九十]+(?=人民|附属|医|中学|小学|师范|$)")
_UNIVERSITY_SHORT = re.compile(r"[\u4e00-\u9fff]{1,3}大(?!学)")  # 西大, 合工大 opening a school's name
_BARE_HEADS = frozenset({"集团", "控股", "股份", "实业", "投资", "科技"})

_TRADE = "业"  # an industry (信息服务业) before an association's head


@dataclass(frozen=True)
class OrganizationRules:
    """Compiled organization patterns."""

    suffixes: tuple[Suffix, ...]
    pattern: re.Pattern[str]
    branch: re.Pattern[str]
    unit_places: tuple[str, ...]
    unit_ends: frozenset[str]
    descriptive: tuple[str, ...]
    service_suffixes: tuple[str, ...]
    conjunctions: str
    parent_heads: tuple[str, ...]
    field_heads: tuple[str, ...]
    trade_heads: tuple[str, ...]
    anchored_heads: tuple[str, ...]
    place_kinds: tuple[str, ...]


@lru_cache(maxsize=4)
def organization_rules(lexicon: Lexicon) -> OrganizationRules:
    """Compile the organization rules of a lexicon (cached)."""
    section = lexicon.section("types", "organization")
    suffixes = lexicon.suffixes("organization")
    return OrganizationRules(
        suffixes=suffixes,
        pattern=suffix_pattern(s.suffix for s in suffixes),
        branch=re.compile(section["branch_pattern"]),
        unit_places=tuple(section["unit_places"]),
        unit_ends=frozenset(section["unit_ends"]),
        descriptive=tuple(lexicon.section("types", "project")["descriptive"]),
        service_suffixes=tuple(section["service_suffixes"]),
        conjunctions="".join(section["name_conjunctions"]),
        parent_heads=tuple(section["parent_heads"]),
        field_heads=tuple(section["field_heads"]),
        trade_heads=tuple(section["trade_heads"]),
        anchored_heads=tuple(section["anchored_heads"]),
        place_kinds=tuple(section["place_kinds"]),
    )


def find_organizations(ctx: DocumentContext) -> list[Candidate]:
    """Organization candidates from suffixes and the short-name dictionary."""
    rules = organization_rules(ctx.lexicon)
    found = list(_by_suffix(ctx, rules))
    found.extend(_by_dictionary(ctx, rules))
    return found


def _by_suffix(ctx: DocumentContext, rules: OrganizationRules) -> Iterator[Candidate]:
    text = ctx.text
    by_text = {s.suffix: s for s in rules.suffixes}
    for suffix_start, suffix_end, found in find_suffixes(rules.pattern, text):
        suffix = by_text[found]
        end = _extend_branch(text, suffix_end, rules)
        if not _ends_here(ctx, end):
            continue
        start = name_start(text, suffix_start, suffix_end, ctx.vocab, ctx.segmenter, _SCAN)
        start = _brand_before(ctx, rules, _across_conjunction(ctx, rules, start, suffix_start))
        start = _across_left_word(ctx, start, suffix_start)
        if _after_short_named_field(ctx, rules, start, suffix_start):
            continue
        name = text[start:suffix_start]
        if len(name) < suffix.min_name or any(d in _ORDINAL_HEAD.sub("", name) for d in rules.descriptive):
            continue
        if suffix.needs_specific and (not is_specific(name, ctx.vocab, ctx.segmenter) or _place_kind(ctx, rules, name)):
            continue
        if text.endswith(rules.service_suffixes, 0, end) and any(q in text[start:end] for q in CLOSE_QUOTES):
            continue
        if text.endswith(rules.anchored_heads, 0, suffix_end) and not _anchored(ctx, rules, text[start:suffix_end]):
            continue
        confidence = 0.75 if suffix.needs_specific else 0.9
        yield Candidate(ORG, start, end, confidence, "organization.suffix")


def _across_left_word(ctx: DocumentContext, start: int, suffix_start: int) -> int:
    """``新希望集团有限公司``: a word that ends the context elsewhere (希望) is part of the name when
    what it leaves before the legal form is only a company's head (集团, 控股)."""
    text = ctx.text
    word = ctx.vocab.left_word_ending(text, start)
    if word is None or len(word) < 2 or text[start:suffix_start] not in _BARE_HEADS:
        return start
    return name_start(text, start - len(word), suffix_start, ctx.vocab, ctx.segmenter, _SCAN)


def _place_kind(ctx: DocumentContext, rules: OrganizationRules, name: str) -> bool:
    """``长三角区域医联体``: a place and a word of extent (区域) before the head name a kind of body
    in that place, not one body."""
    place = ctx.vocab.place_prefix(name)
    return place is not None and name[len(place) :] in rules.place_kinds


def _across_conjunction(ctx: DocumentContext, rules: OrganizationRules, start: int, suffix_start: int) -> int:
    """``中国科学院上海微系统与信息技术研究所``, ``工业和信息化部电子第五研究所``: a 与 / 和 that
    stopped the scan of an institute's or school's name joins two fields inside it when the name
    then opens with its parent body (an academy, a university, a national body) and neither the
    part after the conjunction nor the rest before it names an organization of its own (not
    上海大学与复旦大学研究院, 上海大学上海电影学院和…研究院)."""
    text = ctx.text
    if start < 1 or text[start - 1] not in rules.conjunctions:
        return start
    if text.startswith(rules.trade_heads, suffix_start) and text.endswith(_TRADE, start, suffix_start):
        return _trade_association_start(ctx, start, suffix_start)
    if not text.startswith(rules.field_heads, suffix_start):
        return start
    if _holds_organization(ctx, rules, text[start:suffix_start]):
        return start
    outer = name_start(text, start - 1, suffix_start, ctx.vocab, ctx.segmenter, _SCAN)
    return outer if outer < start - 1 and _opens_with_parent(ctx, rules, outer, start - 1) else start


def _after_short_named_field(ctx: DocumentContext, rules: OrganizationRules, start: int, suffix_start: int) -> bool:
    """``西大计算机与电子信息学院``: a school's name cut at a 与 / 和 whose left part opens with a
    university's short form (…大) and goes on with a field is the tail of that school, named after
    the short form, not a name of its own."""
    text = ctx.text
    if start < 1 or text[start - 1] not in rules.conjunctions or not text.startswith(rules.field_heads, suffix_start):
        return False
    outer = name_start(text, start - 1, suffix_start, ctx.vocab, ctx.segmenter, _SCAN)
    left = text[outer : start - 1]
    short = _UNIVERSITY_SHORT.match(left)
    return short is not None and len(left) > short.end() and not _holds_organization(ctx, rules, left)


def _trade_association_start(ctx: DocumentContext, start: int, suffix_start: int) -> int:
    """``观山湖区软件和信息服务业协会``: a 和 before an industry (…业) in an association's name joins
    two trades when the name opens with a place (a district, a city, a province)."""
    outer = name_start(ctx.text, start - 1, suffix_start, ctx.vocab, ctx.segmenter, _SCAN)
    if outer >= start - 1:
        return start
    left = ctx.text[outer : start - 1]
    opens_with_place = ctx.vocab.place_prefix(left) is not None or left.startswith(ctx.vocab.city)
    return outer if opens_with_place else start


def _brand_before(ctx: DocumentContext, rules: OrganizationRules, start: int) -> int:
    """``国网上海市电力公司青浦供电公司``, ``中国铁塔上海市分公司``: a group's brand written right
    before its regional company (a name opening with a place) belongs to the name."""
    text = ctx.text
    if not text.startswith(rules.unit_places, start):
        return start
    for short, (_full, level) in ctx.lexicon.organizations.items():
        brand = start - len(short)
        if (
            level != "district"
            and brand >= 0
            and text.startswith(short, brand)
            and at_word_start(text, brand, ctx.segmenter, ctx.vocab)
        ):
            return brand
    return start


def _anchored(ctx: DocumentContext, rules: OrganizationRules, name: str) -> bool:
    """Whether the words before an anchored head (联合实验室) name a party or a place: a quoted,
    bracketed or Latin part, a place word, or an organization (复旦-华为联合实验室, 张江联合实验室;
    not 医学数据联合实验室)."""
    head = next(h for h in rules.anchored_heads if name.endswith(h))
    words = name[: -len(head)]
    if any(c in _MARKS or (c.isascii() and c.isalnum()) for c in words):
        return True
    vocab = ctx.vocab
    return any(p in words for p in (*vocab.districts, *vocab.places)) or _holds_organization(ctx, rules, words)


def _holds_organization(ctx: DocumentContext, rules: OrganizationRules, name: str) -> bool:
    return any(s.suffix in name for s in rules.suffixes) or any(name.startswith(b) for b in ctx.lexicon.organizations)


def _opens_with_parent(ctx: DocumentContext, rules: OrganizationRules, start: int, conjunction: int) -> bool:
    text = ctx.text
    if any(text.startswith(body.surface, start) for body in ctx.lexicon.bodies):
        return True
    left = text[start:conjunction]
    for head in rules.parent_heads:
        found = left.find(head)
        if found >= 2 and not _holds_organization(ctx, rules, left[found + len(head) :]):
            return True
    return False


def _extend_branch(text: str, end: int, rules: OrganizationRules) -> int:
    match = rules.branch.match(text, end)
    return match.end() if match else end


def _ends_here(ctx: DocumentContext, end: int) -> bool:
    return at_word_end(ctx.text, end, ctx.segmenter) or ctx.vocab.title_at(ctx.text, end) is not None


def _by_dictionary(ctx: DocumentContext, rules: OrganizationRules) -> Iterator[Candidate]:
    text = ctx.text
    for short, (full, level) in ctx.lexicon.organizations.items():
        start = text.find(short)
        while start >= 0:
            end = start + len(short)
            if at_word_start(text, start, ctx.segmenter, ctx.vocab):
                candidate = _dictionary_candidate(ctx, rules, short, full, level, start, end)
                if candidate:
                    yield candidate
            start = text.find(short, end)


def _dictionary_candidate(
    ctx: DocumentContext, rules: OrganizationRules, short: str, full: str, level: str, start: int, end: int
) -> Candidate | None:
    text = ctx.text
    canonical = _level_name(ctx, full, level)
    branch_end = _extend_branch(text, end, rules)
    if branch_end > end and _ends_here(ctx, branch_end):
        # 中国联通上海市分公司: a brand with its branch is the branch, named as written
        return Candidate(ORG, start, branch_end, 0.75, "organization.branch", text[start:branch_end])
    for place in rules.unit_places:
        unit_end = end + len(place)
        if text.startswith(place, end) and (
            ctx.vocab.title_at(text, unit_end) or text[unit_end : unit_end + 1] in rules.unit_ends
        ):
            return Candidate(ORG, start, unit_end, 0.7, "organization.unit", short + place)
    if not at_word_end(text, end, ctx.segmenter) and not ctx.vocab.title_at(text, end):
        return None
    if level == "district":
        start = _district_before(ctx, start)
    return Candidate(ORG, start, end, 0.85, "organization.dictionary", canonical)


def _district_before(ctx: DocumentContext, start: int) -> int:
    """``嘉定区工商联``, ``区残联``: the district, or the abbreviation 区 standing as a word, written
    in front of a district-level body is part of its name (not the 区 of 社区)."""
    for district in ctx.vocab.districts:
        for place in (ctx.vocab.district_name(district), f"{district}区"):
            if ctx.text.startswith(place, start - len(place)):
                return start - len(place)
    if start >= 1 and ctx.text[start - 1] == "区" and at_word_start(ctx.text, start - 1, ctx.segmenter, ctx.vocab):
        return start - 1
    return start


def _level_name(ctx: DocumentContext, full: str, level: str) -> str:
    if level != "district":
        return full
    return f"{ctx.district_name or ctx.vocab.city_name}{full}"
