"""Benchmark: import, validate, query, export and index the catalogue at 2k, 90k and 1M datasets.

    python bench/scale.py --scale 2k     # the 2,232 Shanghai records
    python bench/scale.py --scale 90k    # all CN-PDS portals (98,445 rows, 88,590 written)
    python bench/scale.py --scale 1m     # 1M synthetic records built from the real ones (bench/synthetic_records.py)
    python bench/scale.py --scale 200k   # 200k synthetic records (the same generator)
    python bench/scale.py --scale 90k --reuse-store --skip validation export index   # queries again, no import

Each run starts from a fresh on-disk store in ``--data-dir`` (default ``bench/out/scale-<scale>``):
the vocabulary and the bundled catalogue (records and documents: the policies of the policy
query come from there) are loaded first, then the scale's records file is imported and timed.
Printed, each with the load average at the time it was taken (the machine is shared):

- import: datasets/s end to end, CPU seconds, and the phases of ``ImportReport.seconds`` (read,
  gate = time waiting on the workers that map, validate and serialise batches, load = the store's share);
- validation alone: the gate (``graph.gate.batch_reasons``, batches of 1,000 as in an import)
  over a sample of the mapped records (``--validation-sample``, all of them if larger than the
  file), datasets/s for the native validator and for pySHACL (``--pyshacl-sample``);
- store validation: ``kgcat validate``'s ``validate_store`` over the whole store (core layer; in
  batches of datasets, native validator), datasets/s;
- peak memory: the largest sum of the RSS of this process and all its children, sampled
  every 0.2 s by reading /proc, and the kernel's ru_maxrss (self, largest child);
- store size on disk;
- p50/p99 of five catalogue SPARQL queries (plus one page of a domain), each over many parameter
  values drawn from the data, wall time and the CPU time of the querying thread (the CPU figure
  barely depends on what else runs on the machine);
- export time and size per format (Turtle, N-Triples, JSON-LD, RDF/XML, TriG);
- search index build (``build_catalogue_index``) with *synthetic* dense vectors (a hash of the
  passage, not a model: the build cost without encoding), and the real encoder's passage
  throughput on a sample, extrapolated to the whole index, reported separately.

A JSON copy of the figures goes to ``<data dir>/figures.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_records import PEER, write_synthetic_records

import graph.store
from graph.catalogue import build_catalogue
from graph.formats import RDF_SYNTAXES
from graph.importer import ImportOptions, import_records
from graph.iris import IriMinter
from graph.mapping import RecordMapper, Triple
from graph.record_readers import read_records_file
from graph.records import record_from_row
from graph.store import OxigraphStore
from ontology import ShapesLayer

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {"2k": PEER / "shanghai_data_sh_gov_cn.jsonl", "90k": PEER / "cn_open_data_catalogue.jsonl.gz"}
EXPORT_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml", "trig")
FIGURES: dict[str, object] = {}


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def report(name: str, text: str, **values: object) -> None:
    line = f"{name}: {text} ({load()})"
    print(line, flush=True)
    FIGURES[name] = {"text": text, "load": os.getloadavg()[:2], **values}


class TreeRssSampler:
    """Samples the summed RSS of this process and its descendants (from /proc) in a thread."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeRssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(os.getpid()))
            self._stop.wait(self.interval)


def tree_rss(pid: int) -> int:
    """Bytes resident in ``pid`` and all its descendants."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending.extend(int(child) for child in handle.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def cpu_seconds() -> float:
    """User + system CPU time of this process and its waited-for children (on a shared machine, the
    wall time mostly measures the other jobs)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def directory_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# ---------------------------------------------------------------- import and validation


def records_file(scale: str, data_dir: Path, seed: int) -> Path:
    if scale in SOURCES:
        return SOURCES[scale]
    total = {"1m": 1_000_000, "200k": 200_000}[scale]
    path = data_dir.parent / f"synthetic-{scale}-seed{seed}.jsonl.gz"
    if not path.exists():
        started = time.perf_counter()
        write_synthetic_records(path, total, seed)
        report("synthetic records", f"{total:,} written to {path} in {time.perf_counter() - started:.0f} s")
    return path


def run_import(store: OxigraphStore, path: Path, minter: IriMinter, workers: int) -> None:
    started, cpu_before = time.perf_counter(), cpu_seconds()
    result = import_records(store, path, minter, ImportOptions(workers=workers))
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    phases = ", ".join(f"{name} {value:.1f} s" for name, value in result.seconds.items())
    report(
        "import",
        f"{result.read:,} read, {result.written:,} written, {result.duplicates:,} duplicates, "
        f"{len(result.rejected):,} rejected in {seconds:.1f} s = {result.read / seconds:,.0f} records/s, "
        f"{result.written / seconds:,.0f} datasets written/s, {workers} worker(s); CPU {cpu:.0f} s "
        f"(this process + finished workers; {cpu / seconds:.2f} cores on average); phases: {phases}",
        seconds=seconds,
        cpu_seconds=cpu,
        read=result.read,
        written=result.written,
        rejected=len(result.rejected),
        phases=result.seconds,
    )


@dataclass
class ValidatorTally:
    """What one validator did in :func:`measure_validation`."""

    limit: int
    records: int = 0
    rejected: int = 0
    seconds: float = 0.0
    cpu: float = 0.0


def measure_validation(path: Path, minter: IriMinter, sample: int, pyshacl_sample: int) -> None:
    """The gate alone, single process, batches of 1,000 mapped records: native validator vs pySHACL.

    The records are read, mapped and validated batch by batch (memory stays that of one batch);
    only the validation is timed, CPU time of this thread beside the wall time."""
    from graph.gate import batch_reasons

    mapper = RecordMapper(minter)
    tallies = {"native": ValidatorTally(sample), "pyshacl": ValidatorTally(pyshacl_sample)}

    def validate(batch: list[list[Triple]]) -> None:
        for name, tally in tallies.items():
            if tally.records >= tally.limit:
                continue
            started, cpu_started = time.perf_counter(), time.thread_time()
            tally.rejected += len(batch_reasons(batch, validator=name))
            tally.seconds += time.perf_counter() - started
            tally.cpu += time.thread_time() - cpu_started
            tally.records += len(batch)

    batch: list[list[Triple]] = []
    for row in read_records_file(path).rows():
        if tallies["native"].records >= sample:
            break
        if row.values is None or row.values.get("duplicate_of"):
            continue
        batch.append(mapper.map(record_from_row(row.values, row.line)).triples)
        if len(batch) == 1000:
            validate(batch)
            batch = []
    if batch:
        validate(batch)
    for name, tally in tallies.items():
        if not tally.records:
            continue
        report(
            f"validation ({name})",
            f"{tally.records:,} records in {tally.seconds:.1f} s = {tally.records / tally.seconds:,.0f} datasets/s "
            f"({1000 * tally.seconds / tally.records:.2f} ms/record, one process; CPU {tally.cpu:.1f} s), "
            f"{tally.rejected:,} rejected",
            records=tally.records,
            seconds=tally.seconds,
            cpu_seconds=tally.cpu,
        )


def measure_store_validation(store: OxigraphStore, minter: IriMinter) -> None:
    """``kgcat validate`` on the whole store (core layer): in batches of datasets above 5,000 of them."""
    from graph.catalogue import validate_store

    started, cpu_started = time.perf_counter(), time.thread_time()
    result = validate_store(store, (ShapesLayer.CORE,), minter)
    seconds, cpu = time.perf_counter() - started, time.thread_time() - cpu_started
    datasets = len(store.query("SELECT ?d WHERE { ?d a dcat:Dataset }").rows)
    report(
        "store validation (kgcat validate, core layer)",
        f"{datasets:,} datasets in {seconds:.1f} s = {datasets / seconds:,.0f} datasets/s (CPU {cpu:.0f} s); "
        f"{len(result.violations):,} violations, {len(result.warnings):,} warnings",
        datasets=datasets,
        seconds=seconds,
        cpu_seconds=cpu,
        violations=len(result.violations),
    )


# ---------------------------------------------------------------- queries


@dataclass(frozen=True)
class CatalogueQuery:
    name: str
    template: str
    parameters: list[str]


def sample_parameters(store: OxigraphStore, count: int, seed: int) -> dict[str, list[str]]:
    generator = random.Random(seed)
    native = store.native
    datasets: list[tuple[str, str]] = []
    for seen, solution in enumerate(
        native.query(
            "SELECT ?d ?p WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; "  # the default graph: the union
            "<http://purl.org/dc/terms/publisher> ?p }"
        ),
        start=1,
    ):
        # reservoir sample: every dataset equally likely, departments weighted by their size
        item = (solution["d"].value, solution["p"].value)
        if len(datasets) < count:
            datasets.append(item)
        elif (slot := generator.randrange(seen)) < count:
            datasets[slot] = item
    themes = sorted(
        {s["t"].value for s in native.query("SELECT DISTINCT ?t WHERE { ?d <http://www.w3.org/ns/dcat#theme> ?t }")}
    )
    policies = sorted(
        {
            s["p"].value
            for s in native.query("SELECT DISTINCT ?p WHERE { ?p a <https://kgcat.example.org/def/kgcat#Policy> }")
        }
    )
    keywords = sorted(
        {
            s["k"].value
            for s in native.query("SELECT ?k WHERE { ?d <http://www.w3.org/ns/dcat#keyword> ?k } LIMIT 20000")
            if 2 <= len(s["k"].value) <= 4
        }
    )
    return {
        "theme": generator.sample(themes, min(count, len(themes))),
        "department": [publisher for _, publisher in datasets],
        "keyword": generator.sample(keywords, min(count, len(keywords))),
        "dataset": [dataset for dataset, _ in datasets],
        "policy": policies,
    }


def catalogue_queries(parameters: dict[str, list[str]]) -> list[CatalogueQuery]:
    return [
        CatalogueQuery(
            "datasets per domain",
            "SELECT ?domain ?label ?datasets WHERE { "
            "{ SELECT ?domain (COUNT(?d) AS ?datasets) WHERE { ?d dcat:theme ?domain } GROUP BY ?domain } "
            "OPTIONAL { ?domain skos:prefLabel ?label } } ORDER BY DESC(?datasets)",
            [""],
        ),
        CatalogueQuery(
            "datasets of one domain (page of 20)",
            "SELECT ?d ?title WHERE { ?d dcat:theme <{}> ; dct:title ?title } LIMIT 20",
            parameters["theme"],
        ),
        CatalogueQuery(
            "department's datasets newest first",
            "SELECT ?d ?title ?modified WHERE { ?d dct:publisher <{}> ; dct:title ?title . "
            "OPTIONAL { ?d dct:modified ?modified } } ORDER BY DESC(?modified) LIMIT 20",
            parameters["department"],
        ),
        CatalogueQuery(
            "keyword filter (dcat:keyword, page of 20)",
            'SELECT ?d ?title WHERE { ?d dcat:keyword "{}"@zh ; dct:title ?title } LIMIT 20',
            parameters["keyword"],
        ),
        CatalogueQuery(
            "dataset → distribution → format",
            "SELECT ?distribution ?format ?label WHERE { <{}> dcat:distribution ?distribution . "
            "OPTIONAL { ?distribution dct:format ?format } OPTIONAL { ?distribution dct:title ?label } }",
            parameters["dataset"],
        ),
        CatalogueQuery(
            "entities linked to a policy",
            "SELECT ?entity ?type ?label WHERE { { ?entity ?link <{}> } UNION { <{}> ?link ?entity } "
            "?entity a ?type . OPTIONAL { ?entity skos:prefLabel ?label } FILTER(?link != rdf:type) }",
            parameters["policy"],
        ),
    ]


def measure_queries(store: OxigraphStore, queries: list[CatalogueQuery], runs: int, budget: float) -> None:
    for query in queries:
        if not query.parameters:
            report(f"query: {query.name}", "no parameter values in this store (skipped)")
            continue
        texts = [query.template.replace("{}", value) for value in query.parameters]
        rows = len(store.query(texts[0]).rows)  # warm-up, not timed
        timings: list[float] = []
        cpu: list[float] = []
        deadline = time.perf_counter() + budget
        for index in range(max(runs, len(texts))):
            started, cpu_started = time.perf_counter(), time.thread_time()
            store.query(texts[index % len(texts)])
            timings.append(1000 * (time.perf_counter() - started))
            cpu.append(1000 * (time.thread_time() - cpu_started))
            if time.perf_counter() > deadline and len(timings) >= 5:
                break
        report(
            f"query: {query.name}",
            f"p50 {statistics.median(timings):.1f} ms, p99 {percentile(timings, 0.99):.1f} ms, "
            f"max {max(timings):.1f} ms; CPU p50 {statistics.median(cpu):.1f} ms, p99 {percentile(cpu, 0.99):.1f} ms; "
            f"{len(timings)} runs ({len(set(texts))} parameter values; first answer {rows} rows)",
            p50=statistics.median(timings),
            p99=percentile(timings, 0.99),
            cpu_p50=statistics.median(cpu),
            cpu_p99=percentile(cpu, 0.99),
            runs=len(timings),
        )


# ---------------------------------------------------------------- export and index


def measure_exports(store: OxigraphStore, directory: Path) -> None:
    syntaxes = {syntax.name: syntax for syntax in RDF_SYNTAXES}
    directory.mkdir(parents=True, exist_ok=True)
    for name in EXPORT_FORMATS:
        target = directory / f"export{syntaxes[name].extension}"
        started = time.perf_counter()
        with target.open("wb") as handle:
            store.export(handle, syntaxes[name])
        seconds = time.perf_counter() - started
        size = target.stat().st_size
        target.unlink()
        report(f"export: {name}", f"{seconds:.1f} s, {size / 2**20:,.0f} MiB", seconds=seconds, bytes=size)


class SyntheticVectorEncoder:
    """Passage vectors from a hash of the text (no model): the index build cost without encoding."""

    def __init__(self, dimension: int = 384) -> None:
        self.dimension = dimension
        self.model_id = f"bench/synthetic-hash@{dimension}"
        self.seconds = 0.0
        self.count = 0

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode_passages(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")
            vectors[row] = np.random.default_rng(seed).standard_normal(self.dimension)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        self.seconds += time.perf_counter() - started
        self.count += len(texts)
        return vectors


def measure_index(store: OxigraphStore, index_dir: Path, encode_sample: int) -> float:
    from search.catalogue_index import build_catalogue_index
    from search.entities import catalogue_entities

    encoder = SyntheticVectorEncoder()
    started = time.perf_counter()
    build = build_catalogue_index(store, encoder, index_dir, rebuild=True)
    seconds = time.perf_counter() - started
    excluding = seconds - encoder.seconds
    report(
        "search index build",
        f"{build.entities:,} entities in {seconds:.1f} s, of which {encoder.seconds:.1f} s making synthetic "
        f"vectors: {excluding:.1f} s without encoding (entity cards from the store, BM25, faiss, cards, save); "
        f"index {directory_size(index_dir) / 2**20:,.0f} MiB",
        seconds=seconds,
        seconds_without_encoding=excluding,
        entities=build.entities,
    )
    if encode_sample:
        from search.registry import make_encoder

        real = make_encoder(data_dir=index_dir.parent)  # the default encoder of a new index in that data dir
        passages = [card.passage() for _, card in zip(range(encode_sample), catalogue_entities(store), strict=False)]
        real.encode_passages(passages[:8])  # load the model, not timed
        started = time.perf_counter()
        real.encode_passages(passages)
        rate = len(passages) / (time.perf_counter() - started)
        report(
            "encoding (real encoder, separate)",
            f"{real.model_id}: {rate:.1f} passages/s on {len(passages)} passages → about "
            f"{build.entities / rate / 60:,.0f} min for all {build.entities:,} entities",
            passages_per_second=rate,
        )
    return excluding


# ---------------------------------------------------------------- main


STEPS = ("validation", "store-validation", "queries", "export", "index")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("2k", "90k", "200k", "1m"), required=True)
    parser.add_argument("--data-dir", type=Path, help="default bench/out/scale-<scale> (emptied first)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the import (map + validate)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--load-chunk", type=int, help=f"triples per bulk-load call (default {graph.store.LOAD_CHUNK:,})"
    )
    parser.add_argument("--runs", type=int, default=100, help="query runs per query (parameters cycled)")
    parser.add_argument("--query-budget", type=float, default=60.0, help="seconds per query at most (≥ 5 runs)")
    parser.add_argument("--validation-sample", type=int, default=20_000)
    parser.add_argument("--pyshacl-sample", type=int, default=5_000)
    parser.add_argument("--encode-sample", type=int, default=200, help="passages really encoded (0: skip)")
    parser.add_argument(
        "--reuse-store", action="store_true", help="keep the store of an earlier run: measure without importing"
    )
    parser.add_argument("--skip", nargs="*", default=[], choices=STEPS)
    args = parser.parse_args()
    if args.load_chunk:
        graph.store.LOAD_CHUNK = args.load_chunk
    data_dir = args.data_dir or ROOT / "bench" / "out" / f"scale-{args.scale}"
    reuse = args.reuse_store and (data_dir / "store").exists()
    if data_dir.exists() and not reuse:
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"scale {args.scale}, data dir {data_dir}, {os.cpu_count()} CPUs ({load()})", flush=True)
    path = records_file(args.scale, data_dir, args.seed)
    minter = IriMinter()
    with TreeRssSampler() as sampler:
        if not reuse:
            store = OxigraphStore(data_dir / "store")
            started = time.perf_counter()
            build_catalogue(store, minter, ImportOptions())
            report("bundled catalogue (vocabulary, records, documents)", f"{time.perf_counter() - started:.1f} s")
            run_import(store, path, minter, args.workers)
            import_peak = sampler.peak
            report(
                "peak memory during import",
                f"{import_peak / 2**30:.2f} GiB (RSS of this process + children, sampled)",
                bytes=import_peak,
            )
            store.close()
        size = directory_size(data_dir / "store")
        report("store size on disk", f"{size / 2**30:.2f} GiB", bytes=size)
        store = OxigraphStore(data_dir / "store", read_only=reuse)  # reused: measured, never changed
        report("triples", f"{len(store):,} in the union (the default graph)")
        suffix = "-reused" if reuse else ""  # a reused store may be in use by the run that made it
        steps: list[tuple[str, Callable[[], object]]] = [
            ("validation", lambda: measure_validation(path, minter, args.validation_sample, args.pyshacl_sample)),
            ("store-validation", lambda: measure_store_validation(store, minter)),
            (
                "queries",
                lambda: measure_queries(
                    store, catalogue_queries(sample_parameters(store, 100, args.seed)), args.runs, args.query_budget
                ),
            ),
            ("export", lambda: measure_exports(store, data_dir / f"export{suffix}")),
            ("index", lambda: measure_index(store, data_dir / f"index{suffix}", args.encode_sample)),
        ]
        for name, step in steps:
            if name not in args.skip:
                step()
        store.close()
        report("peak memory overall", f"{sampler.peak / 2**30:.2f} GiB (sampled)", bytes=sampler.peak)
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report("ru_maxrss", f"self {self_kb / 2**20:.2f} GiB, largest child {children_kb / 2**20:.2f} GiB")
    figures = data_dir / ("figures-reused.json" if reuse else "figures.json")
    figures.write_text(json.dumps(FIGURES, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
