"""Lists typed by their head noun: “A、B、C 等 20 家企业”, “X、Y 和 Z 等载体”, “企业，如 A，B 等”.

The items of a list closed by 等 and/or a count and a head noun (企业, 机构, 医联体 → Organization;
载体, 项目 → Project) are entities of that type, even when nothing in the item itself says so
(上海隧行, 量羲技术, 阿里魔搭开放社区). An item with a type suffix of its own keeps it (华为鲲鹏中心
in a list of 头部企业 is a Project). An item ``owner“name”tail`` names an owner organization and
a project (上海天使会科创营“模速空间”分营). Items made only of category words are skipped.
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
from graph.extraction.scan import CLOSE_QUOTES, OPEN_QUOTES, ScanOptions, is_specific, scan_left

_CLAUSE_END = "，,。；;：:！？!?\n"
_COUNT = r"(?:[\d一二三四五六七八九十百千两几数]{1,6}[余多]?[家个所项]|一批|多家|诸多)"
_SCAN = ScanOptions(limit=16, latin=True, digits=False, quotes=False)
_JOINERS = ("以及", "和", "及", "与")
_MIN_ITEMS_WITHOUT_ETC = 3


@dataclass(frozen=True)
class ListRules:
    """Compiled list patterns."""

    tail: re.Pattern[str]
    example: re.Pattern[str]
    heads: dict[str, EntityType]
    suffix_types: tuple[tuple[str, EntityType], ...]
    max_item: int


@lru_cache(maxsize=4)
def list_rules(lexicon: Lexicon) -> ListRules:
    """Compile the list patterns of a lexicon (cached)."""
    section = lexicon.section("types", "enumeration")
    heads = {h: EntityType.ORGANIZATION for h in section["organization_heads"]}
    heads.update({h: EntityType.PROJECT for h in section["project_heads"]})
    alternation = "|".join(sorted(map(re.escape, heads), key=len, reverse=True))
    gap = int(section["max_gap"])
    tail = re.compile(rf"(?:等{_COUNT}?|{_COUNT})[^，,。；;、\s“”]{{0,{gap}}}?(?P<head>{alternation})")
    example = re.compile(rf"(?P<head>{alternation})[，,]?(?:如|例如|比如|包括)")
    suffix_types = [(s.suffix, EntityType.ORGANIZATION) for s in lexicon.suffixes("organization")]
    suffix_types += [(s.suffix, EntityType.PROJECT) for s in lexicon.suffixes("project")]
    return ListRules(
        tail, example, heads, tuple(sorted(suffix_types, key=lambda p: -len(p[0]))), int(section["max_item"])
    )


def find_list_items(ctx: DocumentContext) -> list[Candidate]:
    """Typed candidates for the items of head-noun lists."""
    rules = list_rules(ctx.lexicon)
    found: list[Candidate] = []
    for match in rules.tail.finditer(ctx.text):
        head_type = rules.heads[match.group("head")]
        items = _items_before(ctx, match.start())
        if not match.group().startswith("等") and len(items) < _MIN_ITEMS_WITHOUT_ETC:
            continue
        for start, end in items:
            found.extend(_typed_item(ctx, rules, start, end, head_type, "list.tail"))
    for match in rules.example.finditer(ctx.text):
        head_type = rules.heads[match.group("head")]
        for start, end in _examples_after(ctx.text, match.end()):
            found.extend(_typed_item(ctx, rules, start, end, head_type, "list.example"))
    return found


def _items_before(ctx: DocumentContext, end: int) -> list[tuple[int, int]]:
    """Item spans of the list ending at ``end`` (needs at least two items)."""
    text = ctx.text
    start = end
    while start > 0 and text[start - 1] not in _CLAUSE_END:
        start -= 1
    pieces = _split(text, start, end)
    if len(pieces) < 2:
        return []
    trimmed = []
    for piece_start, piece_end in pieces:
        core_end = _quote_start(text, piece_start, piece_end)
        scanned = scan_left(text, core_end, ctx.vocab, ctx.segmenter, _SCAN) if core_end > piece_start else piece_start
        trimmed.append((max(piece_start, scanned), piece_end))
    return [p for p in trimmed if p[1] > p[0]]


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    position = start
    for index in range(start, end + 1):
        if index == end or text[index] == "、":
            pieces.append((position, index))
            position = index + 1
    if len(pieces) > 1:
        last_start, last_end = pieces[-1]
        segment = text[last_start:last_end]
        for joiner in _JOINERS:
            cut = segment.rfind(joiner)
            if cut > 0 and not _inside_quotes(segment, cut):
                pieces[-1:] = [(last_start, last_start + cut), (last_start + cut + len(joiner), last_end)]
                break
    return pieces


def _inside_quotes(segment: str, position: int) -> bool:
    before = segment[:position]
    return sum(before.count(q) for q in OPEN_QUOTES) > sum(before.count(q) for q in CLOSE_QUOTES)


def _quote_start(text: str, start: int, end: int) -> int:
    for index in range(start, end):
        if text[index] in OPEN_QUOTES:
            return index
    return end


def _examples_after(text: str, start: int) -> Iterator[tuple[int, int]]:
    """``企业，如 A，B 和 C 等``: items up to 等, each after its last 的."""
    stop = text.find("等", start, start + 120)
    if stop < 0:
        return
    position = start
    for index in range(start, stop + 1):
        if index == stop or text[index] in "，,、":
            item_start = text.rfind("的", position, index)
            yield (item_start + 1 if item_start >= 0 else position), index
            position = index + 1


def _typed_item(
    ctx: DocumentContext, rules: ListRules, start: int, end: int, head: EntityType, rule: str
) -> Iterator[Candidate]:
    text = ctx.text
    item = text[start:end]
    if not 2 <= len(item) <= 40 or any(c in item for c in "的是在了"):
        return
    opened = _quote_start(text, start, end)
    if opened < end:
        yield from _owner_item(ctx, rules, start, opened, end, head, rule)
        return
    if len(item) > rules.max_item:
        return
    own = _suffix_type(rules, item)
    if not is_specific(item, ctx.vocab, ctx.segmenter):
        return
    yield Candidate(own or head, start, end, 0.7 if own is None else 0.8, rule)


def _owner_item(
    ctx: DocumentContext, rules: ListRules, start: int, opened: int, end: int, head: EntityType, rule: str
) -> Iterator[Candidate]:
    """``owner“name”tail``: the owner is an organization, the quoted thing is typed on its own."""
    text = ctx.text
    closed = next((i for i in range(opened + 1, end) if text[i] in CLOSE_QUOTES), -1)
    if closed < 0:
        return
    if 2 <= opened - start <= rules.max_item:
        yield Candidate(EntityType.ORGANIZATION, start, opened, 0.7, rule + ".owner")
    name = text[opened + 1 : closed]
    own = _suffix_type(rules, name)
    if closed + 1 == end:
        yield Candidate(own or head, opened + 1, closed, 0.75, rule + ".quoted")
    else:
        yield Candidate(own or head, opened, end, 0.7, rule + ".quoted")


def _suffix_type(rules: ListRules, item: str) -> EntityType | None:
    for suffix, entity_type in rules.suffix_types:
        if item.endswith(suffix) and len(item) > len(suffix):
            return entity_type
    return None
