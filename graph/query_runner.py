"""Running public SPARQL queries with limits: a timeout that really stops a query, and a row cap.

pyoxigraph has no query timeout or cancellation. A query that streams (a cartesian product)
can be stopped between rows, but one with ORDER BY or GROUP BY over a huge join blocks in its
first row for as long as it takes. So the server runs queries in a small pool of worker
*processes* (:class:`ProcessPoolRunner`), each with a RocksDB read-only instance of a snapshot of
the on-disk store (graph/store_snapshots.py: never the live directory, which pyoxigraph calls
undefined behaviour), and kills a worker that overruns its timeout (a fresh one takes its place).
Writes go to the primary instance in the server process; afterwards the runner takes a new
snapshot, and each worker opens it before its next query.

An in-memory store (tests, the W3C conformance harness) cannot be shared with other
processes; :class:`InProcessRunner` evaluates in the calling thread with the same row cap and
a *cooperative* deadline checked between rows, which cannot stop a query blocked before its
first row. Workers run ``niceness`` levels below the server's own CPU priority (the server
answers every request, the workers only some: under contention it goes first), and a query
still running after ``QueryLimits.demote_after_s`` goes on at background priority (``nice``
+10), so that one heavy query cannot starve the short requests beside it until its timeout.
See docs/api.md, "Query limits" and "CPU priorities".

Both refuse ``SERVICE`` (federation would let anyone make the server fetch arbitrary URLs)
unless allowed, and answer in the requested format or raise a specific :class:`QueryError`.
"""

from __future__ import annotations

import logging
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import Protocol

import pyoxigraph as ox

from graph.errors import QueryError
from graph.formats import RdfSyntax, ResultsSyntax
from graph.priority import below_own, own_niceness, set_niceness
from graph.query_eval import EvalAnswer, EvalFailure, EvalRequest, evaluate
from graph.sparql_text import refused_features
from graph.store import OxigraphStore, QueryDataset
from graph.store_snapshots import StoreSnapshots
from ontology.namespaces import PREFIXES

logger = logging.getLogger(__name__)

GRACE_S = 0.5
"""How much longer than the timeout the parent waits for a worker's own (cooperative) timeout answer."""

OPEN_TIMEOUT_S = 120.0
"""How long the parent waits for a worker to have the current snapshot open (a fresh process, or a
reopen after a write) before the query's own timeout starts: opening is not the query's cost, and
a large store on a busy machine can take seconds to open."""

BACKGROUND_NICENESS = 10
"""How far below the server's CPU priority (``nice`` levels) a worker whose query outran
``QueryLimits.demote_after_s`` goes: under contention Linux gives it about a tenth of the share of
a normal process, so it cannot starve dereference, search and the short queries while it runs on
to its answer or its timeout."""


class QuerySyntaxError(QueryError):
    """The query does not parse."""


class QueryRefused(QueryError):
    """The query uses a feature this server does not offer (SERVICE federation)."""

    def __init__(self, features: list[str]) -> None:
        names = ", ".join(features)
        super().__init__(
            f"this endpoint does not run {names}: federated queries would let anyone make the server fetch "
            "arbitrary URLs. Query the other endpoint yourself, or (operators) set KGCAT_ALLOW_SERVICE=true."
        )
        self.features = features


class QueryTimeout(QueryError):
    """The query ran longer than the configured timeout and was stopped."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__(
            f"the query ran longer than the {timeout_s:g} s limit and was stopped; narrow it (more specific "
            "patterns, LIMIT, no ORDER BY over everything) or use the full dump at /catalog/dump"
        )
        self.timeout_s = timeout_s


class ResultTooLarge(QueryError):
    """The result has more rows (or triples) than the configured cap; nothing was returned."""

    def __init__(self, max_rows: int) -> None:
        super().__init__(
            f"the result has more than {max_rows} rows (or triples), the limit of this endpoint; nothing was "
            "returned. Add LIMIT/OFFSET to page through it, or use the full dump at /catalog/dump"
        )
        self.max_rows = max_rows


class QueryServiceBusy(QueryError):
    """Every query worker stayed busy for the whole waiting time."""


class WorkerNotReady(QueryServiceBusy):
    """A query worker did not get the store open in time (a very slow or damaged store): 503 like a busy pool."""


@dataclass(frozen=True)
class QueryLimits:
    timeout_s: float = 10.0
    max_rows: int = 10_000
    allow_service: bool = False
    demote_after_s: float = 0.5
    """A query still running after this long goes on at background CPU priority (worker pools only)."""


@dataclass(frozen=True)
class QueryRequest:
    """A query as the SPARQL protocol gives it: text, dataset, and the formats the client accepts."""

    sparql: str
    results: ResultsSyntax
    rdf: RdfSyntax
    dataset: QueryDataset | None = None
    base_iri: str | None = None


class QueryRunner(Protocol):
    """Runs read-only queries within limits; see the module docstring."""

    limits: QueryLimits

    def run(self, query: QueryRequest) -> EvalAnswer: ...
    def invalidate(self) -> None: ...
    def close(self) -> None: ...


def _eval_request(query: QueryRequest, limits: QueryLimits, union_default_graph: bool) -> EvalRequest:
    refused = refused_features(query.sparql, allow_service=limits.allow_service, allow_load=False)
    if refused:
        raise QueryRefused(refused)
    return EvalRequest(
        sparql=query.sparql,
        results_media_type=query.results.media_type,
        rdf_media_type=query.rdf.media_type,
        timeout_s=limits.timeout_s,
        max_rows=limits.max_rows,
        default_graphs=query.dataset.default_graphs if query.dataset else None,
        named_graphs=query.dataset.named_graphs if query.dataset else None,
        union_default_graph=union_default_graph,
        base_iri=query.base_iri,
        prefixes=dict(PREFIXES),
    )


def _raise_failure(kind: str, message: str, limits: QueryLimits) -> None:
    if kind == "syntax":
        raise QuerySyntaxError(message)
    if kind == "timeout":
        raise QueryTimeout(limits.timeout_s)
    if kind == "too-many-rows":
        raise ResultTooLarge(limits.max_rows)
    raise QueryError(message)


class InProcessRunner:
    """Evaluates in the calling thread (for in-memory stores): row cap, cooperative deadline."""

    def __init__(self, store: ox.Store, limits: QueryLimits, *, union_default_graph: bool = True) -> None:
        self.store = store
        self.limits = limits
        self.union_default_graph = union_default_graph

    def run(self, query: QueryRequest) -> EvalAnswer:
        request = _eval_request(query, self.limits, self.union_default_graph)
        try:
            return evaluate(self.store, request)
        except EvalFailure as failure:
            _raise_failure(failure.kind, failure.message, self.limits)
            raise

    def invalidate(self) -> None:
        """Nothing to do: the evaluating instance is the written one."""

    def close(self) -> None:
        """Nothing to release: the store belongs to the caller."""


class _Worker:
    """One worker process and the parent's end of its socket pair, at absolute ``nice`` ``normal``
    (``background`` while a long query runs). It opens a snapshot with its first query."""

    def __init__(self, normal: int, background: int) -> None:
        parent, child = Pipe(duplex=True)
        command = [sys.executable, "-m", "graph.query_worker", str(child.fileno())]
        self.process = subprocess.Popen(command, pass_fds=(child.fileno(),))
        child.close()
        self.connection: Connection = parent
        self._normal, self._background = normal, background
        self._niceness = own_niceness()
        self._set_niceness(normal)  # while it starts: opening the store costs CPU too

    def ask(
        self, message: tuple[int, str, EvalRequest], timeout_s: float, demote_after_s: float
    ) -> tuple[object, ...] | None:
        """Send a request; the reply, or None when none came within ``timeout_s`` of the worker
        having the snapshot open (it says so with ``("opened",)`` before it evaluates).

        A query still running after ``demote_after_s`` is moved to background priority (:attr:`demoted`).
        Raises :class:`WorkerNotReady` when the store did not open within :data:`OPEN_TIMEOUT_S`.
        """
        self.connection.send(message)
        if not self.connection.poll(OPEN_TIMEOUT_S):
            raise WorkerNotReady(f"the query worker could not open the store within {OPEN_TIMEOUT_S:g} s; try again")
        opened = self.connection.recv()
        if opened != ("opened",):  # it could not open the store: that error is the reply
            assert isinstance(opened, tuple)
            return opened
        first_wait = min(demote_after_s, timeout_s)
        if not self.connection.poll(first_wait):
            self._set_niceness(self._background)
            if not self.connection.poll(timeout_s - first_wait):
                return None
        reply = self.connection.recv()
        assert isinstance(reply, tuple)
        return reply

    @property
    def demoted(self) -> bool:
        return self._niceness != self._normal

    def restore_priority(self) -> bool:
        """Back to the workers' priority after a demoted query; False where the OS refuses (unprivileged)."""
        return self._set_niceness(self._normal)

    def _set_niceness(self, niceness: int) -> bool:
        if not set_niceness(self.process.pid, niceness):
            return False
        self._niceness = niceness
        return True

    def stop(self, *, kill: bool) -> None:
        if not kill:
            try:
                self.connection.send(None)
                self.process.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                kill = True
        if kill:
            self.process.kill()
            self.process.wait()
        self.connection.close()


class ProcessPoolRunner:
    """Evaluates in ``workers`` processes over read-only instances of snapshots of ``store`` (on disk,
    open for writing in this process).

    The workers run ``niceness`` levels below this process's CPU priority (0: the same)."""

    def __init__(
        self,
        store: OxigraphStore,
        limits: QueryLimits,
        *,
        workers: int = 2,
        niceness: int = 0,
        union_default_graph: bool = True,
    ) -> None:
        if niceness >= BACKGROUND_NICENESS:
            raise ValueError(f"worker niceness must be from 0 to {BACKGROUND_NICENESS - 1}, got {niceness}")
        self.limits = limits
        self._niceness = below_own(niceness), below_own(BACKGROUND_NICENESS)  # normal, background
        self.union_default_graph = union_default_graph
        self.snapshots = StoreSnapshots(store)
        self._lock = threading.Lock()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        for _ in range(max(1, workers)):
            self._start()

    def _start(self) -> None:
        worker = _Worker(*self._niceness)
        with self._lock:
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker, *, kill: bool = True) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop(kill=kill)
        self._start()

    def run(self, query: QueryRequest) -> EvalAnswer:
        request = _eval_request(query, self.limits, self.union_default_graph)
        try:
            worker = self._idle.get(timeout=self.limits.timeout_s)
        except queue.Empty:
            raise QueryServiceBusy(
                f"every query worker stayed busy for {self.limits.timeout_s:g} s; try again shortly"
            ) from None
        generation, snapshot = self.snapshots.acquire()
        try:
            reply = worker.ask(
                (generation, str(snapshot), request), self.limits.timeout_s + GRACE_S, self.limits.demote_after_s
            )
        except (EOFError, OSError) as error:
            self._replace(worker)
            raise QueryError(f"the query worker stopped unexpectedly ({error}); try again") from error
        except WorkerNotReady:
            self._replace(worker)
            raise
        finally:
            self.snapshots.release(generation)
        if reply is None:
            logger.warning("query over %g s: stopping its worker process", self.limits.timeout_s)
            self._replace(worker)
            raise QueryTimeout(self.limits.timeout_s)
        if worker.demoted and not worker.restore_priority():
            self._replace(worker, kill=False)  # unprivileged, it cannot raise the priority again: a fresh worker
        else:
            self._idle.put(worker)
        if reply[0] == "ok":
            answer = reply[1]
            assert isinstance(answer, EvalAnswer)
            return answer
        _raise_failure(str(reply[1]), str(reply[2]), self.limits)
        raise AssertionError("unreachable")

    def invalidate(self) -> None:
        """The store was written: queries from now on read a new snapshot (workers reopen before them)."""
        self.snapshots.advance()

    def close(self) -> None:
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop(kill=False)
        self.snapshots.close()


def make_runner(
    store: OxigraphStore, limits: QueryLimits, *, workers: int = 2, niceness: int = 0
) -> InProcessRunner | ProcessPoolRunner:
    """A process pool over snapshots of an on-disk store (workers ``niceness`` below this process's
    priority); in-process evaluation for a memory store."""
    if store.path is None:
        return InProcessRunner(store.native, limits)
    return ProcessPoolRunner(store, limits, workers=workers, niceness=niceness)
