"""Benchmark: CPU per entity description (what a dereference computes) over an on-disk store.

    python bench/describe_speed.py --store DIR/store [--samples 300]

Opens the store read-only, draws ``--samples`` datasets at random (seed 2) and prints the CPU time
(``time.process_time``, one thread) per ``describe`` without referrers (Turtle and the other RDF
syntaxes) and with them (the HTML page), each also with a label cache warmed on as many other
datasets (as the server describes), and per ``Store.triples_about`` of one dataset, after one
untimed pass over the same datasets (a server's page cache is warm; the first pass reads from disk). For 90k,
use the store that ``bench/api_load.py prepare --scale 90k`` or ``bench/scale.py --scale 90k`` wrote.
"""

from __future__ import annotations

import argparse
import functools
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rdflib import URIRef

from graph.describe import LabelCache, describe
from graph.store import OxigraphStore


def cpu_ms_each(items: list[URIRef], work: Callable[[URIRef], object]) -> float:
    started = time.process_time()
    for item in items:
        work(item)
    return (time.process_time() - started) / len(items) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    store = OxigraphStore(args.store, read_only=True)
    try:
        rows = store.query("SELECT ?d WHERE { ?d a dcat:Dataset } LIMIT 5000").rows
        datasets = [URIRef(str(row["d"])) for row in rows]
        drawn = random.Random(2).sample(datasets, min(2 * args.samples, len(datasets)))
        picks, others = drawn[: args.samples], drawn[args.samples :]  # others fill the label cache
        print(f"{len(picks)} datasets of {len(store):,} triples")
        cpu_ms_each(picks, lambda d: describe(store, d))  # warm-up, untimed
        print(f"triples_about (one dataset): {cpu_ms_each(picks, lambda d: store.triples_about([d])):.3f} CPU-ms")
        print(f"describe, no referrers: {cpu_ms_each(picks, lambda d: describe(store, d, referrers=False)):.3f} CPU-ms")
        print(f"describe, with referrers: {cpu_ms_each(picks, lambda d: describe(store, d)):.3f} CPU-ms")
        for referrers in (False, True):  # as the server describes: labels kept across descriptions
            cached = functools.partial(describe, store, referrers=referrers, labels=LabelCache())
            cpu_ms_each(others, cached)  # fills the cache, untimed
            spent = cpu_ms_each(picks, cached)
            print(f"describe, {'with' if referrers else 'no'} referrers, warm label cache: {spent:.3f} CPU-ms")
    finally:
        store.close()


if __name__ == "__main__":
    main()
