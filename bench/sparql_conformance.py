"""W3C SPARQL 1.1 conformance of kgcat's HTTP endpoint, per directory, next to rdflib's EARL results.

    python bench/sparql_conformance.py [--suite ../shared/peer/sparql-test-suite] [--markdown]

For every test of the query directories, json-res and csv-tsv-res it prints whether kgcat's
``/sparql`` passed it over HTTP, whether pyoxigraph passed it directly (the engine kgcat uses:
a test failing both is the engine's, one failing only over HTTP is the endpoint's), and
rdflib's outcome from its EARL report; then the 34 protocol tests. See bench/w3c_sparql.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from w3c_sparql import QUERY_DIRECTORIES, Outcome, Suite, earl_outcomes, run_protocol_tests, run_query_tests

DEFAULT_SUITE = Path(__file__).resolve().parents[2] / "shared" / "peer" / "sparql-test-suite"


def table(outcomes: list[Outcome], earl: dict[str, str]) -> list[str]:
    by_directory: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_directory[outcome.directory].append(outcome)
    lines = [
        "| directory | tests | kgcat /sparql (HTTP) pass | pyoxigraph direct pass "
        "| rdflib EARL pass / fail / not in report | fail over HTTP but pass direct |",
        "|---|---|---|---|---|---|",
    ]
    totals = [0, 0, 0, 0, 0, 0, 0]
    for directory, items in by_directory.items():
        http = sum(o.http for o in items)
        direct = sum(bool(o.direct) for o in items) if items[0].direct is not None else None
        rdflib = sum(earl.get(o.test) == "passed" for o in items)
        rdflib_failed = sum(earl.get(o.test) in ("failed", "untested") for o in items)
        absent = sum(o.test not in earl for o in items)
        regressions = sum(o.http is False and o.direct is True for o in items)
        earl_cell = f"{rdflib} / {rdflib_failed} / {absent}" if directory != "protocol" else "— (rdflib skips these)"
        lines.append(
            f"| {directory} | {len(items)} | {http} | {direct if direct is not None else '—'} | {earl_cell} "
            f"| {regressions} |"
        )
        totals = [totals[0] + len(items), totals[1] + http, totals[2] + (direct or 0), totals[3] + rdflib,
                  totals[4] + rdflib_failed, totals[5] + absent, totals[6] + regressions]  # fmt: skip
    lines.append(
        f"| **total** | {totals[0]} | {totals[1]} | {totals[2]} | {totals[3]} / {totals[4]} / {totals[5]} "
        f"| {totals[6]} |"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suite", type=Path, default=DEFAULT_SUITE)
    parser.add_argument("--failures", action="store_true", help="list every failing test")
    args = parser.parse_args()
    suite = Suite(args.suite / "w3c-rdf-tests" / "sparql" / "sparql11")
    earl = earl_outcomes(args.suite / "rdflib-earl-reports" / "rdflib_w3c_sparql11-HEAD.ttl")
    started = time.perf_counter()
    outcomes = run_query_tests(suite, QUERY_DIRECTORIES) + run_protocol_tests(suite)
    print("\n".join(table(outcomes, earl)))
    print(f"\n({time.perf_counter() - started:.1f} s)")
    failing = [o for o in outcomes if not o.http]
    rdflib_only = [o for o in failing if earl.get(o.test) == "passed"]
    print(f"\nfailing over HTTP: {len(failing)}; of which rdflib passes: {len(rdflib_only)}")
    for outcome in failing if args.failures else rdflib_only:
        engine = "engine too" if outcome.direct is False else ("HTTP ONLY" if outcome.direct else "")
        print(f"  {outcome.test.rsplit('/', 2)[-2:]} [{engine}] {outcome.note[:150]}")


if __name__ == "__main__":
    main()
