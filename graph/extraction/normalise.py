"""Text normalisation repairing PDF artefacts, with an offset map back to the raw text.

Repairs: words and paragraphs split by page breaks (``香港科\\n\\n技大学``), titles split over
lines, running headers, page numbers, masthead lines, table-of-contents page numbers and dot
leaders, markdown markup and PDF spacing. Real paragraphs stay apart: a break is only
removed when the text before it is unfinished (see :func:`joins_paragraphs`).
Every normalised character maps to the raw character it was copied from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.extraction.layout import Line, LineKind, layout_rules, split_lines
from graph.extraction.lexicon import Lexicon
from graph.extraction.offsets import OffsetMap, OffsetMapBuilder
from graph.extraction.segment import Segmenter


@dataclass(frozen=True)
class NormalisedText:
    """The normalised text of a document and the way back to its raw text."""

    raw: str
    text: str
    offsets: OffsetMap

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw [start, end) of normalised [start, end)."""
        return self.offsets.raw_span(start, end)


@dataclass(frozen=True)
class JoinRules:
    """Compiled paragraph-joining rules from layout.toml."""

    terminal: str
    closers: str
    soft_end: str
    function_end: str
    block_start: re.Pattern[str]
    block_end: re.Pattern[str]
    body_min_length: int
    body_punctuation: str
    window: int


@lru_cache(maxsize=4)
def join_rules(lexicon: Lexicon) -> JoinRules:
    """Compile the joining rules of a lexicon (cached)."""
    punctuation = lexicon.section("layout", "punctuation")
    headings = lexicon.section("layout", "headings")
    joining = lexicon.section("layout", "joining")
    return JoinRules(
        terminal=punctuation["terminal"],
        closers=punctuation["closers"],
        soft_end=punctuation["soft_end"],
        function_end=punctuation["function_end"],
        block_start=re.compile(headings["block_start"]),
        block_end=re.compile(headings["block_end"]),
        body_min_length=int(joining["body_min_length"]),
        body_punctuation=joining["body_punctuation"],
        window=int(joining["window"]),
    )


def normalise(raw: str, lexicon: Lexicon, segmenter: Segmenter) -> NormalisedText:
    """Normalise ``raw``; deletions only, so every kept character maps back to ``raw``."""
    lines = split_lines(raw, layout_rules(lexicon))
    rules = join_rules(lexicon)
    builder = OffsetMapBuilder(raw)
    previous: Line | None = None
    block_break = False
    for line in lines:
        if line.kind in (LineKind.BLANK, LineKind.FURNITURE):
            block_break = previous is not None
            continue
        if previous is not None and not _joined(previous, line, block_break, rules, segmenter):
            builder.keep(previous.end, previous.end + 1)
            if block_break:
                builder.keep(line.start - 1, line.start)
        for start, end in line.ranges:
            builder.keep(start, end)
        previous, block_break = line, False
    text, offsets = builder.build()
    return NormalisedText(raw=raw, text=text, offsets=offsets)


def _joined(previous: Line, line: Line, block_break: bool, rules: JoinRules, segmenter: Segmenter) -> bool:
    if previous.kind is not LineKind.TEXT or line.kind is not LineKind.TEXT:
        return False
    if not previous.text or not line.text:
        return False
    if block_break:
        return joins_paragraphs(previous, line, rules, segmenter)
    return joins_lines(previous, line, rules)


def joins_paragraphs(before: Line, after: Line, rules: JoinRules, segmenter: Segmenter) -> bool:
    """Whether a blank-line break between two paragraphs is a page break inside one paragraph."""
    if _closed(before, rules) or before.marker.startswith("#") or rules.block_start.match(after.marker):
        return False
    last = before.text[-1]
    if last in rules.soft_end or last in rules.function_end:
        return True
    window = rules.window
    if segmenter.word_across(before.text[-window:], after.text[:window]):
        return True
    long_body = len(before.text) >= rules.body_min_length
    return long_body and any(p in before.text for p in rules.body_punctuation)


def joins_lines(before: Line, after: Line, rules: JoinRules) -> bool:
    """Whether a single line break continues a title or sentence (``…转型\\n“十四五”规划``)."""
    if before.hard_break or _closed(before, rules) or before.marker.startswith("#"):
        return False
    if rules.block_start.match(after.marker):
        return False
    first = after.text[0]
    return _is_text_char(before.text[-1]) and (_is_text_char(first) or first in "“‘《（(")


def _closed(line: Line, rules: JoinRules) -> bool:
    text = line.text.rstrip(rules.closers)
    if text and text[-1] in rules.terminal:
        return True
    return bool(rules.block_end.search(line.text))


def _is_text_char(char: str) -> bool:
    return char.isalpha() or char in "”’》）)"
