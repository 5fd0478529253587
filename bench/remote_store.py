"""Benchmark: the same catalogue on the embedded store and on Virtuoso; prints build, import, export and query times.

    python bench/remote_store.py
    python bench/remote_store.py --records ../shared/peer/cn-gov-open-data/shanghai_data_sh_gov_cn.jsonl

Starts a throw-away Virtuoso on loopback (tests/virtuoso_server.py: Debian package
``virtuoso-opensource``), builds the bundled catalogue into it and into a fresh on-disk embedded
store, optionally imports a records file into both, then times an N-Triples export and the
median of ``--repeat`` runs of three catalogue queries. Figures go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from graph.catalogue import build_catalogue, import_source
from graph.formats import rdf_syntax
from graph.importer import ImportOptions
from graph.iris import IriMinter
from graph.remote_store import SparqlProtocolStore
from graph.store import OxigraphStore, Store

_SERVER_MODULE = Path(__file__).resolve().parents[1] / "tests" / "virtuoso_server.py"
_spec = importlib.util.spec_from_file_location("virtuoso_server", _SERVER_MODULE)
assert _spec is not None and _spec.loader is not None
virtuoso_server = importlib.util.module_from_spec(_spec)
sys.modules["virtuoso_server"] = virtuoso_server
_spec.loader.exec_module(virtuoso_server)  # tests/ is not a package: load the launcher by path

QUERIES = {
    "datasets per domain": (
        "SELECT ?domain (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset ; dcat:theme/skos:prefLabel ?domain "
        'FILTER(lang(?domain) = "zh") } GROUP BY ?domain ORDER BY DESC(?n)'
    ),
    "a department's datasets": (
        "SELECT ?d ?title WHERE { ?d a dcat:Dataset ; dct:title ?title ; dct:publisher ?p . "
        "{ SELECT ?p WHERE { ?x dct:publisher ?p } GROUP BY ?p ORDER BY DESC(COUNT(?x)) LIMIT 1 } } ORDER BY ?title"
    ),
    "keyword filter": 'SELECT ?d WHERE { ?d a dcat:Dataset ; dct:title ?t FILTER(CONTAINS(STR(?t), "信息")) }',
}


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(name: str, store: Store, records: Path | None, repeat: int) -> None:
    minter = IriMinter()
    print(f"{name}: build {timed(lambda: build_catalogue(store, minter, ImportOptions())):.1f} s")
    if records is not None:
        seconds = timed(lambda: import_source(store, records, minter, ImportOptions()))
        print(f"{name}: import {records.name} {seconds:.1f} s")
    triples = len(store)
    seconds = timed(lambda: store.export(io.BytesIO(), rdf_syntax("ntriples")))
    print(f"{name}: {triples} triples; N-Triples export {seconds:.2f} s")
    for label, query in QUERIES.items():
        runs = [timed(lambda query=query: store.query(query)) * 1000 for _ in range(repeat)]  # type: ignore[misc]
        print(f"{name}: {label}: p50 {statistics.median(runs):.0f} ms over {repeat} runs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, help="a records file to import after the build")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kgcat-bench-") as directory:
        embedded = OxigraphStore(Path(directory) / "store")
        measure("embedded", embedded, args.records, args.repeat)
        embedded.close()
        server = virtuoso_server.VirtuosoServer(Path(directory) / "virtuoso").start()
        try:
            remote = SparqlProtocolStore(server.endpoint(), IriMinter().base)
            measure("virtuoso", remote, args.records, args.repeat)
            remote.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
