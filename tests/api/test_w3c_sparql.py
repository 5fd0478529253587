"""The W3C SPARQL 1.1 test suite through ``/sparql`` (bench/w3c_sparql.py does the work).

Query evaluation over HTTP must match the engine (pyoxigraph) evaluated directly: the endpoint
adds no failures of its own. The failures that remain are the engine's and are listed here by
name, so a new one (or a fixed one) shows up. The 34 protocol tests must all pass.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from w3c_sparql import QUERY_DIRECTORIES, Suite, run_protocol_tests, run_query_tests  # noqa: E402

ENGINE_FAILURES = {
    "aggregates/manifest#agg-empty-group-count-graph",  # GRAPH ?g over a sub-select: ?g left unbound
    "aggregates/manifest#agg-err-02",
    "aggregates/manifest#agg-min-02",
    "bindings/manifest#graph",
    "functions/manifest#bnode01",  # BNODE(str) reuses one node across solutions
    "negation/manifest#graph-minus",
    "property-path/manifest#zero_or_more_set_start",  # constant start on the empty dataset
    "property-path/manifest#zero_or_more_set_end",
    "property-path/manifest#zero_or_one_set_start",
    "property-path/manifest#zero_or_one_set_end",
    "syntax-query/manifest#test_4",  # parses, but custom functions are not supported at run time
    "csv-tsv-res/manifest#csv03",  # the store keeps canonical literals: 1.0E6 → 1000000, negativeInteger → integer
    "csv-tsv-res/manifest#tsv03",
}

UNORDERED = {
    "aggregates/manifest#agg-groupconcat-04",  # GROUP_CONCAT order is not defined; the expected file fixes one
    "aggregates/manifest#agg-groupconcat-06",
}


@pytest.fixture
def suite(peer_dir: Path) -> Suite:
    root = peer_dir / "sparql-test-suite" / "w3c-rdf-tests" / "sparql" / "sparql11"
    if not root.is_dir():
        pytest.skip(f"the W3C SPARQL test suite is missing from {root}")
    return Suite(root)


def test_query_evaluation_over_http_matches_the_engine(suite: Suite) -> None:
    outcomes = run_query_tests(suite, QUERY_DIRECTORIES)

    endpoint_only = [o.test for o in outcomes if not o.http and o.direct]
    failing = {o.test.split("data-sparql11/", 1)[-1] for o in outcomes if not o.http}
    assert len(outcomes) == 338
    assert not endpoint_only, endpoint_only
    assert failing <= ENGINE_FAILURES | UNORDERED, failing - ENGINE_FAILURES - UNORDERED
    assert len(outcomes) - len(failing) >= 323


def test_protocol_tests_pass_over_http(suite: Suite) -> None:
    outcomes = run_protocol_tests(suite)

    assert len(outcomes) == 34
    assert [(o.test, o.note) for o in outcomes if not o.http] == []
