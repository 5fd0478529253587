"""Scoring extractions against gold annotation (tests/data/gold/ format).

Two matchings, reported per entity type:

* mention level — a predicted mention is correct when its type and raw span [start, end) are
  exactly those of a gold mention of the same document;
* entity level — per document, the set of (type, canonical) pairs predicted against the gold set.

Indicator rows are matched on (name, unit, target, nature).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

from graph.extraction.records import DocumentExtraction, EntityType, IndicatorRow

TYPES = tuple(EntityType)


@dataclass(frozen=True)
class Score:
    """Counts of true positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass(frozen=True)
class GoldMention:
    """One gold mention."""

    type: EntityType
    start: int
    end: int
    canonical: str
    text: str


def load_gold(path: Path) -> list[GoldMention]:
    """The mentions of one gold JSONL file."""
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [GoldMention(EntityType(r["type"]), r["start"], r["end"], r["canonical"], r["text"]) for r in rows]


def load_gold_indicators(path: Path) -> list[dict[str, object]]:
    """The rows of a gold indicators.jsonl file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _compare(
    predicted: AbstractSet[tuple[object, ...]], gold: AbstractSet[tuple[object, ...]]
) -> dict[EntityType, Score]:
    scores: dict[EntityType, Score] = defaultdict(Score)
    for item in predicted | gold:
        entity_type = item[0]
        assert isinstance(entity_type, EntityType)
        hit = item in predicted, item in gold
        scores[entity_type] += Score(int(all(hit)), int(hit == (True, False)), int(hit == (False, True)))
    return dict(scores)


def score_mentions(extraction: DocumentExtraction, gold: Iterable[GoldMention]) -> dict[EntityType, Score]:
    """Mention-level scores: exact type and raw span."""
    predicted = {(m.type, m.raw_start, m.raw_end) for m in extraction.mentions}
    return _compare(predicted, {(g.type, g.start, g.end) for g in gold})


def score_entities(extraction: DocumentExtraction, gold: Iterable[GoldMention]) -> dict[EntityType, Score]:
    """Entity-level scores: (type, canonical) pairs of the document."""
    predicted = {(m.type, m.canonical) for m in extraction.mentions}
    return _compare(predicted, {(g.type, g.canonical) for g in gold})


def score_indicators(rows: Iterable[IndicatorRow], gold: Iterable[Mapping[str, object]]) -> Score:
    """Indicator rows matched on name, unit, target and nature."""
    predicted = {(r.name, r.unit, r.target, r.nature) for r in rows}
    expected = {(g["name"], g["unit"], g["target"], g["nature"]) for g in gold}
    return Score(len(predicted & expected), len(predicted - expected), len(expected - predicted))


def total(per_document: Iterable[Mapping[EntityType, Score]]) -> dict[EntityType, Score]:
    """Per-type sums over documents."""
    summed: dict[EntityType, Score] = {t: Score() for t in TYPES}
    for scores in per_document:
        for entity_type, score in scores.items():
            summed[entity_type] += score
    return summed
