"""Evaluating one SPARQL query against a pyoxigraph store within a row cap and a deadline.

Shared by the in-process runner and the query worker processes (graph/query_runner.py,
graph/query_worker.py), so it imports nothing but pyoxigraph and the results writers. The
request and answer are plain, picklable values. The deadline is *cooperative*: it is checked
between result rows, so it stops a streaming query (a huge join yields rows as it goes) but not
one that blocks before its first row (ORDER BY or GROUP BY over a huge join); only killing the
worker process stops those, which is why the public endpoint runs queries in processes.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.results_writer import Row, solutions_writer
from graph.union_graph import UNION_GRAPH, source_graphs


class EvalFailure(Exception):
    """A query could not be answered; ``kind`` is syntax, timeout, too-many-rows or failed."""

    def __init__(self, kind: str, message: str, *, limit: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.limit = limit


@dataclass(frozen=True)
class EvalRequest:
    """One query to evaluate, with the formats to answer in and the limits to respect."""

    sparql: str
    results_media_type: str
    rdf_media_type: str
    timeout_s: float
    max_rows: int
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True
    base_iri: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EvalAnswer:
    kind: str  # "select", "ask" or "graph"
    media_type: str
    body: bytes
    count: int  # rows (SELECT), triples (CONSTRUCT/DESCRIBE) or 1 (ASK)


def _dataset(
    store: ox.Store, request: EvalRequest
) -> tuple[list[ox.NamedNode] | list[ox.DefaultGraph] | None, list[ox.NamedNode] | None]:
    """(default graphs, named graphs): the protocol's, else kgcat's union (the store's default graph) and the
    source graphs. With the protocol's dataset the default graph is exactly the graphs it names, maybe none."""
    default = [ox.NamedNode(iri) for iri in request.default_graphs] if request.default_graphs is not None else None
    named = [ox.NamedNode(iri) for iri in request.named_graphs] if request.named_graphs is not None else None
    if request.union_default_graph and default is None and named is None:
        return [UNION_GRAPH], source_graphs(store)
    return default, named


def _run(store: ox.Store, request: EvalRequest) -> object:
    default, named = _dataset(store, request)
    try:
        return store.query(
            request.sparql,
            base_iri=request.base_iri,
            prefixes=request.prefixes or None,
            default_graph=default,  # type: ignore[arg-type]  # list[NamedNode] is a valid list[NamedNode | …]
            named_graphs=named,  # type: ignore[arg-type]
        )
    except SyntaxError as error:
        raise EvalFailure("syntax", f"the SPARQL query does not parse: {error}") from error
    except (OSError, ValueError, RuntimeError) as error:  # pyoxigraph: RuntimeError for unsupported features
        raise EvalFailure("failed", f"the SPARQL query failed: {error}") from error


def _bounded(items: Iterable[object], request: EvalRequest, deadline: float) -> Iterator[object]:
    """Yield ``items``, failing past the row cap or the deadline (checked between items)."""
    count = 0
    iterator = iter(items)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except (OSError, ValueError, RuntimeError) as error:  # evaluation errors surface while iterating
            raise EvalFailure("failed", f"the SPARQL query failed: {error}") from error
        count += 1
        if count > request.max_rows:
            raise EvalFailure(
                "too-many-rows", f"the result has more than {request.max_rows} rows", limit=request.max_rows
            )
        if time.monotonic() > deadline:
            raise EvalFailure("timeout", f"the query ran longer than {request.timeout_s:g} s", limit=request.timeout_s)
        yield item


def evaluate(store: ox.Store, request: EvalRequest) -> EvalAnswer:
    """Run ``request`` on ``store`` and serialise its answer; raises :class:`EvalFailure`.

    pyoxigraph's result iterators must be dropped on the thread that made them, so a failure is
    re-raised outside the ``except`` block: the failed evaluation's frames (and the iterator in
    them) are freed here, not wherever the caller's thread pool frees the exception.
    """
    try:
        return _evaluate(store, request)
    except EvalFailure as error:
        failure = (error.kind, error.message, error.limit)
    raise EvalFailure(failure[0], failure[1], limit=failure[2])


def _evaluate(store: ox.Store, request: EvalRequest) -> EvalAnswer:
    deadline = time.monotonic() + request.timeout_s
    result = _run(store, request)
    if isinstance(result, ox.QueryBoolean):
        output = io.BytesIO()
        result.serialize(output, ox.QueryResultsFormat.from_media_type(request.results_media_type))
        return EvalAnswer("ask", request.results_media_type, output.getvalue(), 1)
    if isinstance(result, ox.QuerySolutions):
        names = [variable.value for variable in result.variables]
        rows: list[Row] = [
            tuple(solution[name] for name in names)
            for solution in _bounded(result, request, deadline)
            if isinstance(solution, ox.QuerySolution)
        ]
        body = solutions_writer(request.results_media_type)(names, rows)
        return EvalAnswer("select", request.results_media_type, body, len(rows))
    assert isinstance(result, ox.QueryTriples)
    triples = [triple for triple in _bounded(result, request, deadline) if isinstance(triple, ox.Triple)]
    output = io.BytesIO()
    rdf_format = ox.RdfFormat.from_media_type(request.rdf_media_type)
    ox.serialize(triples, output, rdf_format, prefixes=request.prefixes or None)
    return EvalAnswer("graph", request.rdf_media_type, output.getvalue(), len(triples))
