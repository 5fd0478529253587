"""Line-level layout of PDF-extracted text: what each line is, and what to delete from it.

A line is text, blank, furniture (page number, masthead, running header: deleted), a table of
contents entry (its page number deleted) or a table row (tabs kept). Within text lines,
markdown markup and PDF spacing (``3 月 24 日``, ``T 计划``) are deleted; a space between two
Chinese characters, or between two Latin words, is kept because it separates headline parts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from graph.extraction.lexicon import Lexicon

_SPACE = " \t\u3000\xa0\r\f\v"
_SPACES = re.compile(r"[ \t\u3000\xa0\r\f\v]+")
_SPACES_NO_TAB = re.compile(r"[ \u3000\xa0\r\f\v]+")


class LineKind(Enum):
    """How a line is treated by normalisation."""

    TEXT = "text"
    BLANK = "blank"
    FURNITURE = "furniture"
    TOC = "toc"
    TABLE = "table"


@dataclass
class Line:
    """One raw line and the raw ranges of it that survive normalisation."""

    start: int
    end: int
    kind: LineKind
    marker: str = ""  # the stripped raw line, markup included (for heading checks)
    text: str = ""  # the kept content
    ranges: tuple[tuple[int, int], ...] = ()
    hard_break: bool = False  # markdown hard line break (two trailing spaces)


@dataclass(frozen=True)
class LayoutRules:
    """Compiled layout rules from layout.toml."""

    furniture: tuple[re.Pattern[str], ...]
    toc_title: re.Pattern[str]
    toc_page: re.Pattern[str]
    markup: re.Pattern[str]
    header_repeats: int
    header_length: int


@lru_cache(maxsize=4)
def layout_rules(lexicon: Lexicon) -> LayoutRules:
    """Compile the layout rules of a lexicon (cached)."""
    furniture = lexicon.section("layout", "furniture")
    toc = lexicon.section("layout", "toc")
    return LayoutRules(
        furniture=tuple(re.compile(p) for p in furniture["lines"]),
        toc_title=re.compile(toc["title"]),
        toc_page=re.compile(toc["page_number"]),
        markup=re.compile(lexicon.section("layout", "headings")["markup"]),
        header_repeats=int(furniture["running_header_min_repeats"]),
        header_length=int(furniture["running_header_max_length"]),
    )


def split_lines(raw: str, rules: LayoutRules) -> list[Line]:
    """Classify every line of ``raw`` and compute its kept ranges."""
    lines = [Line(start, end, LineKind.TEXT) for start, end in _line_bounds(raw)]
    headers = _running_headers(raw, lines, rules)
    in_toc = False
    for number, line in enumerate(lines):
        stripped = raw[line.start : line.end].strip(_SPACE)
        line.marker = stripped
        if not stripped:
            line.kind = LineKind.BLANK
        elif stripped in headers or any(p.search(stripped) for p in rules.furniture):
            line.kind = LineKind.FURNITURE
        elif rules.toc_title.match(stripped):
            line.kind, in_toc = LineKind.FURNITURE, True
        elif in_toc and _is_toc_entry(raw, lines, number, rules):
            line.kind = LineKind.TOC
        else:
            in_toc = False
            line.kind = LineKind.TABLE if _is_table_row(stripped) else LineKind.TEXT
        _fill(raw, line, rules)
    return lines


def _line_bounds(raw: str) -> list[tuple[int, int]]:
    bounds = []
    start = 0
    while True:
        end = raw.find("\n", start)
        if end < 0:
            bounds.append((start, len(raw)))
            return bounds
        bounds.append((start, end))
        start = end + 1


def _running_headers(raw: str, lines: list[Line], rules: LayoutRules) -> frozenset[str]:
    counts: Counter[str] = Counter()
    for line in lines:
        stripped = raw[line.start : line.end].strip(_SPACE)
        if 0 < len(stripped) <= rules.header_length:
            counts[stripped] += 1
    return frozenset(s for s, n in counts.items() if n >= rules.header_repeats and "\t" not in s)


def _is_toc_entry(raw: str, lines: list[Line], number: int, rules: LayoutRules) -> bool:
    text = raw[lines[number].start : lines[number].end]
    if rules.toc_page.search(text.rstrip(_SPACE.replace("\t", ""))):
        return True
    for following in lines[number + 1 : number + 3]:
        nxt = raw[following.start : following.end].strip(_SPACE)
        if nxt:
            return nxt.isdigit()
    return False


def _is_table_row(stripped: str) -> bool:
    cells = [c for c in stripped.split("\t") if c.strip(_SPACE)]
    return len(cells) >= 2


def _fill(raw: str, line: Line, rules: LayoutRules) -> None:
    if line.kind in (LineKind.BLANK, LineKind.FURNITURE):
        return
    line.hard_break = raw[line.start : line.end].endswith("  ")
    end = line.end
    if line.kind is LineKind.TOC:
        match = rules.toc_page.search(raw, line.start, line.end)
        end = match.start() if match else line.end
    deleted = _markup_ranges(raw, line.start, end, rules)
    line.ranges = _kept_ranges(raw, line.start, end, deleted, keep_tabs=line.kind is LineKind.TABLE)
    line.text = "".join(raw[s:e] for s, e in line.ranges)


def _markup_ranges(raw: str, start: int, end: int, rules: LayoutRules) -> list[tuple[int, int]]:
    segment = raw[start:end]
    offset = len(segment) - len(segment.lstrip(_SPACE))
    found = []
    for match in rules.markup.finditer(segment):
        if match.group().startswith("#") and match.start() != offset:
            continue
        found.append((start + match.start(), start + match.end()))
    return found


def _kept_ranges(
    raw: str, start: int, end: int, deleted: list[tuple[int, int]], *, keep_tabs: bool
) -> tuple[tuple[int, int], ...]:
    """Raw ranges of [start, end) left after deleting markup and PDF spacing."""
    drops = list(deleted)
    content_start = max([e for s, e in deleted if s == start] + [start])
    spaces = _SPACES_NO_TAB if keep_tabs else _SPACES
    for match in spaces.finditer(raw, start, end):
        run_start, run_end = match.span()
        keep_one = run_start > content_start and run_end < end and _separates(raw[run_start - 1], raw[run_end])
        drops.append((run_start + 1 if keep_one else run_start, run_end))
    return _complement(start, end, drops)


def _separates(left: str, right: str) -> bool:
    if is_han(left) and is_han(right):
        return True
    return left.isascii() and left.isalnum() and right.isascii() and right.isalnum()


def _complement(start: int, end: int, drops: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    kept = []
    position = start
    for drop_start, drop_end in sorted(drops):
        if drop_start > position:
            kept.append((position, drop_start))
        position = max(position, drop_end)
    if position < end:
        kept.append((position, end))
    return tuple(kept)


def is_han(char: str) -> bool:
    """Whether ``char`` is a Chinese character (CJK unified ideograph, incl. extension A)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"
