"""Benchmark: how long the web pages take to make, one request at a time, against ``kgcat serve``.

    python bench/web_pages.py --data-dir /tmp/kg-bench      # a catalogue built with `kgcat build`

Starts ``kgcat serve`` on a free 127.0.0.1 port and asks, sequentially: the search page for each
example query (``/?q=…``), every dataset, policy and department page as HTML twice (the first
request makes the page: describe, mentions, co-mentions, SVG; the second is the server's
ETag-keyed cache), and the SPARQL page with each example query. Prints p50/p90/max per kind in
ms, then stops the server. Concurrency is bench/api_load.py's job (it mixes HTML dereference in).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_load import free_port, start_server  # the sibling bench's server helpers

from api.html import EXAMPLE_QUERIES, SPARQL_EXAMPLES
from graph.iris import DEFAULT_BASE_IRI

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
ENTITIES = "SELECT ?e WHERE { { ?e a dcat:Dataset } UNION { ?e a kgcat:Policy } UNION { ?e a org:OrganizationalUnit } }"


def timed(client: httpx.Client, path: str, **params: str) -> float:
    started = time.perf_counter()
    response = client.get(path, params=params, headers=BROWSER)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path} {params}: HTTP {response.status_code}: {response.text[:200]}")
    return elapsed


def report(kind: str, times: list[float]) -> None:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    print(
        f"{kind:<28} n={len(ordered):<4} p50 {statistics.median(ordered):7.1f} ms  "
        f"p90 {p90:7.1f}  max {ordered[-1]:7.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    port = free_port()
    server = start_server(args.data_dir, port, 10.0, args.data_dir / "web-bench-serve.log")
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            rows = client.get("/sparql", params={"query": ENTITIES}).json()["results"]["bindings"]
            paths = ["/" + row["e"]["value"].removeprefix(DEFAULT_BASE_IRI) for row in rows]
            timed(client, "/", q="预热")  # the first query loads the encoder's lazy parts
            report("search page (/?q=)", [timed(client, "/", q=query) for query in EXAMPLE_QUERIES for _ in range(3)])
            report("entity page, first request", [timed(client, path) for path in paths])
            report("entity page, cached", [timed(client, path) for path in paths])
            report("SPARQL page with a query", [timed(client, "/query", query=e.sparql) for e in SPARQL_EXAMPLES])
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
