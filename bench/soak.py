"""Soak: mixed load on ``kgcat serve`` over loopback for a long time; does the server's memory stay flat?

    python bench/api_load.py prepare --data-dir /tmp/kg-soak      # once: bundled catalogue + real index
    python bench/soak.py --data-dir /tmp/kg-soak --duration 600    # 10 minutes (the default)

Starts ``kgcat serve`` on a free 127.0.0.1 port and drives it with bounded, paced request loops
(the client loops of bench/api_load.py: each thread sends at its share of a target rate and
stops at the deadline): search, dereference (Turtle and HTML), small SPARQL queries, catalogue
pages (``/catalog?page=…`` as Turtle) and, every ``--runaway-every`` seconds, one runaway query
that must be cut at the timeout. Every ``--sample-every`` seconds it records the resident
memory (RSS, from /proc) of the server process and of the server with its query workers, and
prints the series, the per-endpoint figures and the errors at the end. Nothing is left running.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_load import (  # bench scripts run as files: the sibling module is imported by path
    ROOT,
    Samples,
    client_loop,
    cpu_seconds,
    free_port,
    inputs,
    report,
    request_maker,
    start_server,
)

BASE = "https://kgcat.example.org/"


def rss_kib(pid: int) -> int:
    """Resident memory of one process, KiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            continue
    return found


def memory_sampler(pid: int, every: float, until: float, series: list[tuple[float, int, int]]) -> None:
    """Append (seconds since start, server RSS, server + workers RSS) every ``every`` seconds until ``until``."""
    started = time.monotonic()
    while True:
        own = rss_kib(pid)
        series.append((time.monotonic() - started, own, own + sum(rss_kib(child) for child in children(pid))))
        remaining = until - time.monotonic()
        if remaining <= 0:
            return
        time.sleep(min(every, remaining))


def soak_maker(kind: str, url: str, datasets: list[str], queries: list[str], pages: int) -> Callable[..., object]:
    """Requests of one kind: catalogue pages here, the rest from bench/api_load.py."""
    if kind != "catalog":
        return request_maker(kind, url, BASE, datasets, queries)

    def make(rng: random.Random) -> tuple[str, dict[str, object]]:
        page = rng.randint(1, pages)
        return f"{url}/catalog", {"params": {"page": page, "per_page": 20}, "headers": {"Accept": "text/turtle"}}

    return make


def catalogue_pages(url: str) -> int:
    response = httpx.get(f"{url}/catalog", params={"per_page": 20}, headers={"Accept": "text/turtle"}, timeout=60)
    last = response.links.get("last", {}).get("url", "page=1")
    return int(httpx.URL(last).params.get("page", "1"))


def print_memory(series: list[tuple[float, int, int]]) -> None:
    print("\n| t (s) | server RSS (MiB) | server + query workers RSS (MiB) |\n|---|---|---|")
    for seconds, own, total in series:
        print(f"| {seconds:.0f} | {own / 1024:.1f} | {total / 1024:.1f} |")
    first, last = series[0], series[-1]
    settled = series[min(1, len(series) - 1)]  # after the first interval: caches warm
    print(
        f"\nserver RSS {first[1] / 1024:.1f} → {last[1] / 1024:.1f} MiB (from the first sample after warm-up: "
        f"{settled[1] / 1024:.1f} → {last[1] / 1024:.1f}); "
        f"with workers {first[2] / 1024:.1f} → {last[2] / 1024:.1f} MiB"
    )


def run(args: argparse.Namespace) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(args.data_dir, port, args.timeout, args.data_dir / "soak-server.log")
    try:
        datasets, queries = inputs(url)
        pages = catalogue_pages(url)
        rates = {"search": args.search_rate, "dereference": args.deref_rate, "sparql": args.sparql_rate}
        rates["catalog"] = args.catalog_rate
        rates = {kind: rate for kind, rate in rates.items() if rate > 0}
        if args.runaway_every > 0:
            rates["runaway"] = 1.0 / args.runaway_every
        makers = {kind: soak_maker(kind, url, datasets, queries, pages) for kind in rates}
        for kind, make in makers.items():  # warm every path once before the first memory sample
            if kind != "runaway":
                target, options = make(random.Random(0))  # type: ignore[misc]
                httpx.get(target, timeout=60, **options)
        print(f"{url}: {len(datasets)} datasets, {pages} catalogue pages; soaking for {args.duration:g} s", flush=True)
        samples, series = Samples(), []  # type: ignore[var-annotated]
        until = time.monotonic() + args.duration
        threads = [threading.Thread(target=memory_sampler, args=(server.pid, args.sample_every, until, series))]
        for kind, rate in rates.items():
            loops = 1 if kind == "runaway" else args.threads_per_endpoint
            for number in range(loops):
                seed = number * 97 + hash(kind) % 1000
                thread_args = (kind, rate / loops, until, makers[kind], samples, seed)
                threads.append(threading.Thread(target=client_loop, args=thread_args))
        started, server_cpu = time.monotonic(), cpu_seconds(server.pid)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        server_cpu = cpu_seconds(server.pid) - server_cpu
        load = os.getloadavg()
        print(f"\n{elapsed:.0f} s, {len(threads) - 1} client loops; server CPU {server_cpu / elapsed:.2f} cores; "
              f"machine load average (1/5/15 min) {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}\n")  # fmt: skip
        print("\n".join(report(samples, elapsed, rates)))
        print_memory(series)
        for kind, errors in samples.errors.items():
            print(f"\n{kind}: {len(errors)} error(s), e.g. {errors[:3]}")
        out = ROOT / "bench" / "out" / f"soak-{args.data_dir.name}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        errors = {kind: len(found) for kind, found in samples.errors.items()}
        out.write_text(json.dumps({"rss_series_kib": series, "errors": errors}), encoding="utf-8")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except Exception:  # the bench's edge: whatever happened, never leave the server running
            server.kill()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="prepared by bench/api_load.py prepare")
    parser.add_argument("--duration", type=float, default=600, help="seconds of load (default 10 minutes)")
    parser.add_argument("--sample-every", type=float, default=60, help="seconds between memory samples")
    parser.add_argument("--threads-per-endpoint", type=int, default=2)
    parser.add_argument("--search-rate", type=float, default=5)
    parser.add_argument("--deref-rate", type=float, default=20)
    parser.add_argument("--sparql-rate", type=float, default=5)
    parser.add_argument("--catalog-rate", type=float, default=2)
    parser.add_argument("--runaway-every", type=float, default=30, help="seconds between runaway queries (0: none)")
    parser.add_argument("--timeout", type=float, default=5, help="the server's query timeout (s)")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
