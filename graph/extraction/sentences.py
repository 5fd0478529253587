"""Chinese sentence splitting on normalised text.

A sentence ends after 。！？； (and their ASCII forms) together with the closing quotes or
brackets that follow, and at every line break. Inside an open quotation (“…”) terminal
punctuation does not end the sentence, so a quoted speech stays whole; a quotation that is not
closed by the end of the line is cut there. Boundaries are found with one regular expression
and quote counting on the slices between them, so the cost is linear in the text length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from graph.extraction.lexicon import Lexicon
from graph.extraction.records import Sentence

_MAX_SENTENCE = 2_000  # a quotation left open longer than this is cut anyway


@lru_cache(maxsize=4)
def _boundary_pattern(lexicon: Lexicon) -> tuple[re.Pattern[str], str, str]:
    punctuation = lexicon.section("layout", "punctuation")
    terminal = re.escape(punctuation["terminal"])
    closers = re.escape(punctuation["closers"])
    pattern = re.compile(rf"[{terminal}]+[{closers}]*|\n+")
    return pattern, punctuation["quote_open"], punctuation["quote_close"]


def split_sentences(text: str, lexicon: Lexicon) -> tuple[Sentence, ...]:
    """Split normalised text into sentences with their offsets."""
    pattern, opening, closing = _boundary_pattern(lexicon)
    sentences: list[Sentence] = []
    start = 0
    for match in pattern.finditer(text):
        end = match.end()
        if match.group()[0] != "\n" and end - start < _MAX_SENTENCE:
            segment = text[start:end]
            depth = sum(segment.count(q) for q in opening) - sum(segment.count(q) for q in closing)
            if depth > 0:
                continue
        _append(sentences, text, start, match.start() if match.group()[0] == "\n" else end)
        start = end
    _append(sentences, text, start, len(text))
    return tuple(sentences)


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(index=len(sentences), start=start, end=end, text=text[start:end]))


@dataclass(frozen=True)
class SentenceIndex:
    """Finds the sentence containing a normalised offset."""

    sentences: Sequence[Sentence]
    starts: tuple[int, ...]

    @classmethod
    def of(cls, sentences: Sequence[Sentence]) -> SentenceIndex:
        """Index a sentence sequence (in text order)."""
        return cls(sentences, tuple(s.start for s in sentences))

    def at(self, offset: int) -> Sentence | None:
        """The sentence containing ``offset`` (or the one just before it, for offsets in gaps)."""
        position = bisect_right(self.starts, offset) - 1
        return self.sentences[position] if position >= 0 else None

    def index_at(self, offset: int) -> int:
        """The index of the sentence at ``offset`` (0 when there is none)."""
        sentence = self.at(offset)
        return sentence.index if sentence else 0
