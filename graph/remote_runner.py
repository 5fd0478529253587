"""Running public SPARQL queries on a remote SPARQL server within kgcat's limits (:class:`RemoteQueryRunner`).

The counterpart of graph/query_runner.py for :class:`~graph.remote_store.SparqlProtocolStore`:
the server does the work, so the timeout is the HTTP request's (the connection is dropped; the
server may go on computing until its own limit, e.g. Virtuoso's MaxQueryExecutionTime), and the
row cap is checked on the answer. ``SERVICE`` is refused as on the embedded store. Answers are
written by kgcat's own writers, so a client gets the same bytes from either backend.
"""

from __future__ import annotations

from graph.errors import RemoteStoreTimeout
from graph.query_eval import EvalAnswer
from graph.query_runner import (
    QueryLimits,
    QueryRefused,
    QueryRequest,
    QueryTimeout,
    ResultTooLarge,
)
from graph.remote_store import SparqlProtocolStore, write_answer
from graph.sparql_client import Solutions
from graph.sparql_text import refused_features


class RemoteQueryRunner:
    """Evaluates public queries on the SPARQL server behind ``store``, with a timeout and a row cap."""

    def __init__(self, store: SparqlProtocolStore, limits: QueryLimits) -> None:
        self.store = store
        self.limits = limits

    def run(self, query: QueryRequest) -> EvalAnswer:
        refused = refused_features(query.sparql, allow_service=self.limits.allow_service, allow_load=False)
        if refused:
            raise QueryRefused(refused)
        try:
            result = self.store.run(
                query.sparql, query.dataset, base_iri=query.base_iri, timeout_s=self.limits.timeout_s
            )
        except RemoteStoreTimeout as error:
            raise QueryTimeout(self.limits.timeout_s) from error
        media_type, body, count = write_answer(result, query.results.media_type, query.rdf.media_type)
        if count > self.limits.max_rows:
            raise ResultTooLarge(self.limits.max_rows)
        kind = "ask" if isinstance(result, bool) else "select" if isinstance(result, Solutions) else "graph"
        return EvalAnswer(kind, media_type, body, count)

    def invalidate(self) -> None:
        """Nothing to reopen: every query reads the server's current state."""

    def close(self) -> None:
        """The store (and its connections) belong to the caller."""
