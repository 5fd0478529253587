"""The offset map from normalised text back to the raw text it was made from.

Normalisation only deletes characters (whitespace, page furniture, markup); it never rewrites
one. The normalised text is therefore a sequence of kept runs of the raw text, stored as two
parallel arrays (normalised start, raw start) — memory grows with the number of deletions, not
with the length of the text, so a 50 MB document maps in a few megabytes.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OffsetMap:
    """Every normalised index ``i`` maps to one raw index; spans map to raw [start, end)."""

    norm_starts: array[int]
    raw_starts: array[int]
    length: int
    raw_length: int

    def raw_index(self, index: int) -> int:
        """The raw index of normalised character ``index`` (``length`` maps past the last kept char)."""
        if index < 0 or index > self.length:
            raise IndexError(f"normalised offset {index} outside 0..{self.length}")
        if index == self.length:
            return self.raw_length if not self.norm_starts else self._end_of_last_run()
        run = bisect_right(self.norm_starts, index) - 1
        return self.raw_starts[run] + index - self.norm_starts[run]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw [start, end) covering normalised [start, end), deleted characters inside included."""
        if end <= start:
            position = self.raw_index(start)
            return position, position
        return self.raw_index(start), self.raw_index(end - 1) + 1

    def _end_of_last_run(self) -> int:
        return self.raw_starts[-1] + self.length - self.norm_starts[-1]


@dataclass
class OffsetMapBuilder:
    """Collects kept raw ranges in order and builds the normalised text with its map."""

    raw: str
    _parts: list[str] = field(default_factory=list)
    _norm_starts: array[int] = field(default_factory=lambda: array("q"))
    _raw_starts: array[int] = field(default_factory=lambda: array("q"))
    _length: int = 0
    _raw_end: int = -1

    def keep(self, start: int, end: int) -> None:
        """Append raw[start:end] to the normalised text (ranges must come in increasing order)."""
        if end <= start:
            return
        if start != self._raw_end:
            self._norm_starts.append(self._length)
            self._raw_starts.append(start)
        self._parts.append(self.raw[start:end])
        self._length += end - start
        self._raw_end = end

    def build(self) -> tuple[str, OffsetMap]:
        """The normalised text and its offset map."""
        offsets = OffsetMap(self._norm_starts, self._raw_starts, self._length, len(self.raw))
        return "".join(self._parts), offsets
