"""Candidate mentions proposed by the extractors, and the choice among overlapping ones.

Every extractor proposes candidates with a confidence and the rule that found them. Overlaps
are settled by the longest-span rule of the annotation guidelines (a name inside a longer name
is not a separate mention): longer first, then higher confidence, then earlier start.
Blocks are negative candidates (a leadership title such as 区委书记) that veto any candidate of
their type overlapping them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.extraction.records import EntityType


@dataclass(frozen=True)
class Candidate:
    """A proposed mention; ``canonical`` may be left for the resolution step to fill."""

    type: EntityType
    start: int
    end: int
    confidence: float
    rule: str
    canonical: str | None = None
    info: tuple[tuple[str, Any], ...] = field(default=())

    @property
    def length(self) -> int:
        """Span length in characters."""
        return self.end - self.start

    def overlaps(self, start: int, end: int) -> bool:
        """Whether this candidate shares a character with [start, end)."""
        return self.start < end and start < self.end

    def get(self, key: str, default: Any = None) -> Any:
        """An extra attribute recorded by the extractor (district, owner, parties…)."""
        for name, value in self.info:
            if name == key:
                return value
        return default


@dataclass(frozen=True)
class Block:
    """A span where candidates of ``type`` must not be placed (a title such as 区委书记)."""

    type: EntityType
    start: int
    end: int
    reason: str


def select(candidates: Iterable[Candidate], blocks: Iterable[Block] = ()) -> list[Candidate]:
    """Non-overlapping candidates, longest first; returned in text order."""
    masks = _block_masks(blocks)
    ordered = sorted(
        (c for c in candidates if c.end > c.start and not _vetoed(c, masks)),
        key=lambda c: (-c.length, -c.confidence, c.start),
    )
    taken: list[Candidate] = []
    occupied = bytearray()
    for candidate in ordered:
        if len(occupied) < candidate.end:
            occupied.extend(b"\x00" * (candidate.end - len(occupied)))
        if any(occupied[candidate.start : candidate.end]):
            continue
        occupied[candidate.start : candidate.end] = b"\x01" * candidate.length
        taken.append(candidate)
    return sorted(taken, key=lambda c: c.start)


def _block_masks(blocks: Iterable[Block]) -> dict[EntityType, bytearray]:
    masks: dict[EntityType, bytearray] = {}
    for block in blocks:
        mask = masks.setdefault(block.type, bytearray())
        if len(mask) < block.end:
            mask.extend(b"\x00" * (block.end - len(mask)))
        mask[block.start : block.end] = b"\x01" * (block.end - block.start)
    return masks


def _vetoed(candidate: Candidate, masks: dict[EntityType, bytearray]) -> bool:
    mask = masks.get(candidate.type)
    return mask is not None and any(mask[candidate.start : candidate.end])
