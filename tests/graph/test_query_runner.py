"""The query runner: worker processes that really stop runaway queries, the row cap, the SPARQL lexer, the writers."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from process_priority import children_of, command_of, niceness_of
from rdflib import URIRef

from graph.errors import QueryError
from graph.formats import RESULTS_SYNTAXES, rdf_syntax, results_syntax
from graph.priority import below_own
from graph.query_runner import (
    BACKGROUND_NICENESS,
    InProcessRunner,
    ProcessPoolRunner,
    QueryLimits,
    QueryRefused,
    QueryRequest,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
)
from graph.results_writer import solutions_writer
from graph.sparql_text import has_dataset_clause, is_update, query_form, refused_features, with_using
from graph.store import OxigraphStore, QueryDataset

EX = "http://example.org/"
RUNAWAY_SORT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"


def request(sparql: str, results: str = "json", dataset: QueryDataset | None = None) -> QueryRequest:
    return QueryRequest(sparql, results_syntax(results), rdf_syntax("turtle"), dataset)


def fill(store: OxigraphStore, count: int = 200) -> None:
    triples = [(URIRef(f"{EX}s{n}"), URIRef(f"{EX}p"), URIRef(f"{EX}o{n % 7}")) for n in range(count)]
    store.replace_graph(URIRef(f"{EX}g"), triples)


@pytest.fixture
def disk_store(tmp_path: Path) -> Iterator[OxigraphStore]:
    store = OxigraphStore(tmp_path / "store")
    fill(store)
    yield store
    store.close()


@pytest.fixture
def pool(disk_store: OxigraphStore) -> Iterator[ProcessPoolRunner]:
    assert disk_store.path is not None
    runner = ProcessPoolRunner(disk_store, QueryLimits(timeout_s=1.0, max_rows=100), workers=2)
    yield runner
    runner.close()


def test_a_blocking_runaway_query_is_killed_at_its_timeout(pool: ProcessPoolRunner) -> None:
    warm_up(pool, 2)
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        pool.run(request(RUNAWAY_SORT))  # ORDER BY over 8M rows blocks before its first row
    assert time.monotonic() - started < 3.0
    answer = pool.run(request(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}p> ?o }}"))  # a fresh worker took its place
    assert b'"200"' in answer.body


def test_other_queries_keep_running_while_one_runs_away(pool: ProcessPoolRunner) -> None:
    def run_away() -> None:
        with pytest.raises(QueryTimeout):
            pool.run(request(RUNAWAY_SORT))

    warm_up(pool, 2)
    runaway = threading.Thread(target=run_away)
    runaway.start()
    time.sleep(0.1)
    started = time.monotonic()
    for _ in range(20):
        pool.run(request(f"ASK {{ <{EX}s1> ?p ?o }}"))
    assert time.monotonic() - started < 0.9  # served by the other worker meanwhile
    runaway.join()


def worker_niceness() -> list[int]:
    """The CPU priority of every query worker this test started (not other children, e.g. a Virtuoso server)."""
    values = []
    for child in children_of(os.getpid()):
        try:
            if b"graph.query_worker" in command_of(child):
                values.append(niceness_of(child))
        except OSError:
            continue  # the process ended meanwhile
    return values


NORMAL, BACKGROUND = below_own(0), below_own(BACKGROUND_NICENESS)
"""The workers' absolute priorities, counted from this process's (the suite may itself run under ``nice``)."""
needs_room_to_demote = pytest.mark.skipif(
    NORMAL == BACKGROUND, reason="this process runs at the lowest priority: a demoted worker cannot go lower"
)


def niceness_once_demoted(runaway: threading.Thread) -> list[int]:
    """The workers' priorities once one of them went to the background level (or the runaway ended first)."""
    deadline = time.monotonic() + 30
    while runaway.is_alive() and BACKGROUND not in worker_niceness() and time.monotonic() < deadline:
        time.sleep(0.02)
    return sorted(worker_niceness())


def warm_up(runner: ProcessPoolRunner, workers: int) -> None:
    """Every worker has started and opened its snapshot (on a busy machine that takes a while)."""
    for _ in range(workers):
        runner.run(request(f"ASK {{ <{EX}s1> ?p ?o }}"))


def run_away_in_background(runner: ProcessPoolRunner) -> tuple[threading.Thread, list[str]]:
    """A thread running the runaway query on ``runner``, and the list it appends "timed out" to."""
    outcome: list[str] = []

    def run_away() -> None:
        try:
            runner.run(request(RUNAWAY_SORT))
        except QueryTimeout:
            outcome.append("timed out")

    thread = threading.Thread(target=run_away)
    thread.start()
    return thread, outcome


@needs_room_to_demote
def test_a_long_query_runs_on_at_background_priority_and_its_worker_comes_back(disk_store: OxigraphStore) -> None:
    assert disk_store.path is not None
    runner = ProcessPoolRunner(disk_store, QueryLimits(timeout_s=1.5, demote_after_s=0.2), workers=1)
    try:
        warm_up(runner, 1)
        runaway, outcome = run_away_in_background(runner)
        while_running = niceness_once_demoted(runaway)
        runaway.join()

        assert while_running == [BACKGROUND]  # the one worker, demoted while it ran away
        assert outcome == ["timed out"]
        assert worker_niceness() == [NORMAL]  # its replacement runs at normal priority
        assert b"true" in runner.run(request(f"ASK {{ <{EX}s1> ?p ?o }}")).body
    finally:
        runner.close()


def test_a_slow_query_that_answers_leaves_no_worker_at_background_priority(disk_store: OxigraphStore) -> None:
    assert disk_store.path is not None
    runner = ProcessPoolRunner(disk_store, QueryLimits(timeout_s=30, demote_after_s=0.001), workers=1)
    try:
        slow = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g <{EX}p> <{EX}o1> }}"

        answer = runner.run(request(slow))

        assert b'"1160000"' in answer.body  # 200 × 200 × 29 rows
        assert worker_niceness() == [NORMAL]
    finally:
        runner.close()


@needs_room_to_demote
def test_workers_run_below_the_server_priority_and_return_there_after_a_long_query(disk_store: OxigraphStore) -> None:
    assert disk_store.path is not None
    runner = ProcessPoolRunner(disk_store, QueryLimits(timeout_s=1.5, demote_after_s=0.2), workers=2, niceness=3)
    try:
        below = below_own(3)
        assert worker_niceness() == [below, below]  # below this process: under contention the server goes first

        warm_up(runner, 2)
        runaway, outcome = run_away_in_background(runner)
        while_running = niceness_once_demoted(runaway)
        runaway.join()

        assert outcome == ["timed out"]
        assert while_running == sorted([below, BACKGROUND])  # the runaway's worker demoted, the other one untouched
        assert worker_niceness() == [below, below]  # the runaway's replacement starts at the workers' priority
    finally:
        runner.close()


def test_a_worker_niceness_at_or_past_the_background_level_is_refused(disk_store: OxigraphStore) -> None:
    assert disk_store.path is not None
    with pytest.raises(ValueError, match="from 0 to 9"):
        ProcessPoolRunner(disk_store, QueryLimits(), workers=1, niceness=10)


def test_workers_see_writes_after_invalidate(pool: ProcessPoolRunner, disk_store: OxigraphStore) -> None:
    query = request(f"ASK {{ <{EX}new> ?p ?o }}")
    assert b"false" in pool.run(query).body

    disk_store.update(f"INSERT DATA {{ GRAPH <{EX}g2> {{ <{EX}new> <{EX}p> 1 }} }}")
    pool.invalidate()

    assert b"true" in pool.run(query).body
    assert b"true" in pool.run(query).body  # the other worker too


def test_a_worker_slow_to_open_its_snapshot_does_not_count_against_the_query_timeout(
    pool: ProcessPoolRunner, disk_store: OxigraphStore
) -> None:
    query = request(f"ASK {{ <{EX}new> ?p ?o }}")
    for _ in range(2):  # both workers are up
        pool.run(query)
    disk_store.update(f"INSERT DATA {{ GRAPH <{EX}g2> {{ <{EX}new> <{EX}p> 1 }} }}")
    pool.invalidate()
    workers = [pid for pid in children_of(os.getpid()) if b"graph.query_worker" in command_of(pid)]
    for pid in workers:  # frozen before they can reopen: 2 s, longer than the 1 s timeout and its grace
        os.kill(pid, signal.SIGSTOP)
    thaw = threading.Timer(2.0, lambda: [os.kill(pid, signal.SIGCONT) for pid in workers])
    thaw.start()
    try:
        assert b"true" in pool.run(query).body
    finally:
        thaw.join()


def test_a_worker_that_cannot_open_its_snapshot_answers_with_an_error(
    pool: ProcessPoolRunner, disk_store: OxigraphStore
) -> None:
    pool.invalidate()
    shutil.rmtree(pool.snapshots.root / str(pool.snapshots.generation))  # damaged behind the runner's back

    with pytest.raises(QueryError, match="could not be read"):
        pool.run(request(f"ASK {{ <{EX}s1> ?p ?o }}"))
    pool.invalidate()  # the next write's snapshot is whole again
    assert b"true" in pool.run(request(f"ASK {{ <{EX}s1> ?p ?o }}")).body


def test_queries_right_after_writes_never_hang_on_the_writers_files(
    pool: ProcessPoolRunner, disk_store: OxigraphStore
) -> None:
    # Workers on the live directory hung here about one query in four (pyoxigraph: undefined behaviour).
    for round_ in range(20):
        disk_store.update(f"INSERT DATA {{ GRAPH <{EX}g2> {{ <{EX}new{round_}> <{EX}p> 1 }} }}")
        pool.invalidate()
        assert b"true" in pool.run(request(f"ASK {{ <{EX}new{round_}> ?p ?o }}")).body


def test_only_the_newest_snapshot_stays_once_no_query_reads_the_older_ones(
    pool: ProcessPoolRunner, disk_store: OxigraphStore
) -> None:
    for _ in range(3):
        pool.invalidate()
        pool.run(request(f"ASK {{ <{EX}s1> ?p ?o }}"))

    assert [path.name for path in pool.snapshots.root.iterdir()] == [str(pool.snapshots.generation)]
    root = pool.snapshots.root
    pool.close()
    assert not root.exists()


def test_the_snapshots_of_a_server_that_died_go_at_the_next_read_write_open(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    fill(store)
    runner = ProcessPoolRunner(store, QueryLimits(timeout_s=5), workers=1)
    runner.run(request(f"ASK {{ <{EX}s1> ?p ?o }}"))
    left = runner.snapshots.root
    store.close()  # the process "dies": its runner never closes
    assert left.exists()

    OxigraphStore(tmp_path / "store").close()

    assert not left.exists()
    runner.close()


def test_row_cap_and_syntax_errors_come_back_from_workers(pool: ProcessPoolRunner) -> None:
    with pytest.raises(ResultTooLarge):
        pool.run(request("SELECT * WHERE { ?s ?p ?o }"))
    with pytest.raises(QuerySyntaxError):
        pool.run(request("SELECT WHERE"))
    assert pool.run(request("SELECT * WHERE { ?s ?p ?o } LIMIT 100")).count == 100


def test_in_process_runner_limits(store: OxigraphStore) -> None:
    fill(store)
    runner = InProcessRunner(store.native, QueryLimits(timeout_s=0.05, max_rows=100))

    with pytest.raises(ResultTooLarge):
        runner.run(request("SELECT * WHERE { ?s ?p ?o }"))
    streaming = InProcessRunner(store.native, QueryLimits(timeout_s=0.05, max_rows=10**9))
    with pytest.raises(QueryTimeout):  # a cartesian product streams: it is stopped between rows
        streaming.run(request("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"))
    with pytest.raises(QueryRefused):
        runner.run(request("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"))


def test_protocol_dataset_selects_graphs(store: OxigraphStore) -> None:
    fill(store)
    store.update(f"INSERT DATA {{ GRAPH <{EX}other> {{ <{EX}x> <{EX}p> 1 }} }}")
    runner = InProcessRunner(store.native, QueryLimits())
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    union = runner.run(request(count)).body
    only_other = runner.run(request(count, dataset=QueryDataset((f"{EX}other",), ()))).body

    assert b'"201"' in union and b'"1"' in only_other


@pytest.mark.parametrize("syntax", RESULTS_SYNTAXES, ids=lambda s: s.name)
def test_writers_agree_with_pyoxigraph(syntax: object) -> None:
    store = ox.Store()
    store.update(
        'INSERT DATA { <http://a> <http://p> "x\\ty\\n\\"z\\"", "日本"@ja, 1, 2.5, true, _:b, "a,b"^^<http://dt> }'
    )
    results = store.query("SELECT ?s ?o ?missing WHERE { ?s ?p ?o } ORDER BY ?o")
    names = [v.value for v in results.variables]
    rows = [tuple(solution[n] for n in names) for solution in results]

    body = solutions_writer(syntax.media_type)(names, rows)  # type: ignore[attr-defined]

    if syntax.name == "csv":  # type: ignore[attr-defined]
        assert body.decode().splitlines()[0] == "s,o,missing"
        return
    parsed = ox.parse_query_results(body, format=syntax.oxigraph)  # type: ignore[attr-defined]
    back = [tuple(solution[n] for n in names) for solution in parsed]  # type: ignore[union-attr]
    assert [tuple(str(t) for t in row if not isinstance(t, ox.BlankNode)) for row in back] == [
        tuple(str(t) for t in row if not isinstance(t, ox.BlankNode)) for row in rows
    ]


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", ["SERVICE"]),
        ("select * { service silent <http://x/> { } }", ["SERVICE"]),
        ("SELECT * { ?s ?p ?o }#SERVICE <x>\n", []),
        ('SELECT ?service { BIND("SERVICE" AS ?service) }', []),
        ("PREFIX service: <http://x/> SELECT * { ?s service:p ?o }", []),
        ("SELECT * { ?s <http://x/SERVICE> ?o }", []),
        ("SELECT * { ?s ?p '''multi\nSERVICE''' }", []),
        ("LOAD <http://x/data.ttl>", ["LOAD"]),
        ("SELECT * { ?a ?b ?c FILTER(?a<?b) SERVICE <http://x/> { } }", ["SERVICE"]),
    ],
)
def test_refused_features_look_at_keywords_only(text: str, refused: list[str]) -> None:
    assert refused_features(text, allow_service=False, allow_load=False) == refused
    assert refused_features(text, allow_service=True, allow_load=True) == []


def test_query_forms_and_updates() -> None:
    assert query_form("PREFIX ex: <http://x/> SELECT * {}") == "SELECT"
    assert query_form("# ASK\nCONSTRUCT WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert query_form("CLEAR ALL") is None
    assert is_update("PREFIX x: <y> INSERT DATA { }") and not is_update("ASK {}")


def test_using_parameters_become_using_clauses() -> None:
    update = "DELETE WHERE { ?a ?b ?c } ; INSERT { ?s a <C> } WHERE { ?s a <D> { SELECT ?x WHERE { } } }"

    rewritten = with_using(update, ["urn:g1"], ["urn:g2"])

    assert rewritten == (
        "DELETE WHERE { ?a ?b ?c } ; INSERT { ?s a <C> } USING <urn:g1> USING NAMED <urn:g2> "
        "WHERE { ?s a <D> { SELECT ?x WHERE { } } }"
    )
    assert has_dataset_clause("WITH <g> DELETE { } WHERE { }")
    assert not has_dataset_clause("INSERT { ?s <p> 'WITH' } WHERE { ?s ?p ?o }")
