"""An HTTP client for a SPARQL 1.1 server: Query and Update protocol, Graph Store HTTP Protocol.

Standard protocol only (https://www.w3.org/TR/sparql11-protocol/,
https://www.w3.org/TR/sparql11-http-rdf-update/), so Virtuoso, Fuseki, GraphDB or Oxigraph's
own server all work. Queries go out as form-encoded POSTs (no URL length limit) with the dataset
as ``default-graph-uri`` / ``named-graph-uri`` parameters; SELECT and ASK results come back as
SPARQL XML (standard, and written three times faster than JSON by Virtuoso), graph results as
N-Triples, both parsed by pyoxigraph.

Servers that cut results silently are the one danger of the protocol: Virtuoso stops at its
``ResultSetMaxRows`` (10000 by default), announces it for SELECT with an ``X-SPARQL-MaxRows``
header, and says nothing for CONSTRUCT. Any result that reaches ``result_limit`` rows is therefore
taken as cut and refused with :class:`RemoteStoreError`, never returned short. The Virtuoso
quirks handled here are listed in docs/decisions/store.md.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from graph.errors import QueryError, RemoteStoreError, RemoteStoreTimeout

logger = logging.getLogger(__name__)

SPARQL_XML = "application/sparql-results+xml"
FORM = "application/x-www-form-urlencoded"
N_TRIPLES = "application/n-triples"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
VIRTUOSO_BNODE = b"<bnode>nodeID://"
"""Virtuoso names blank nodes ``nodeID://b123`` in XML results: not a valid label, so the prefix goes."""
ANYTIME_STATE = "S1TAT"
"""Virtuoso's ``X-SQL-State`` for an "anytime" query that ran out of time and returned what it had."""

AuthScheme = Literal["basic", "digest"]
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class SparqlEndpoint:
    """Where a SPARQL server listens and how to log in (docs/configuration.md, ``KGCAT_REMOTE_*``)."""

    query_url: str
    update_url: str | None = None
    """Default: ``query_url`` (most servers take updates on the same URL)."""
    graph_store_url: str | None = None
    """Graph Store Protocol URL for bulk uploads; without it triples go out as ``INSERT DATA``."""
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth: AuthScheme = "basic"
    timeout_s: float = 60.0
    result_limit: int = 10_000
    """A result with this many rows is taken as cut by the server (Virtuoso's ResultSetMaxRows); 0: no limit."""

    @property
    def updates(self) -> str:
        return self.update_url or self.query_url


@dataclass(frozen=True)
class Solutions:
    variables: tuple[str, ...]
    rows: list[dict[str, OxTerm]]


def _auth(endpoint: SparqlEndpoint) -> httpx.Auth | None:
    if endpoint.user is None:
        return None
    password = endpoint.password or ""
    if endpoint.auth == "digest":
        return httpx.DigestAuth(endpoint.user, password)
    return httpx.BasicAuth(endpoint.user, password)


def _plain(term: object) -> OxTerm:
    """A result term as kgcat stores it: ``xsd:string`` literals without their datatype."""
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value == XSD_STRING:
        return ox.Literal(term.value)
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term
    raise ValueError(f"unexpected term in a SPARQL result: {term!r}")


class SparqlClient:
    """One connection pool to one SPARQL server; every failure is a :class:`RemoteStoreError` naming the URL."""

    def __init__(self, endpoint: SparqlEndpoint, transport: httpx.BaseTransport | None = None) -> None:
        self.endpoint = endpoint
        timeout = httpx.Timeout(endpoint.timeout_s, connect=min(10.0, endpoint.timeout_s))
        self._http = httpx.Client(auth=_auth(endpoint), timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------------ requests

    def _send(self, method: str, url: str, *, timeout_s: float | None = None, **options: object) -> httpx.Response:
        timeout = httpx.Timeout(timeout_s, connect=min(10.0, timeout_s)) if timeout_s is not None else None
        try:
            response = self._http.request(method, url, timeout=timeout or self._http.timeout, **options)  # type: ignore[arg-type]
        except httpx.TimeoutException as error:
            raise RemoteStoreTimeout(
                f"the SPARQL server at {url} did not answer within {timeout_s or self.endpoint.timeout_s:g} s "
                f"({type(error).__name__}); raise KGCAT_REMOTE_TIMEOUT_S or check the server",
                url=url,
            ) from error
        except httpx.HTTPError as error:
            raise RemoteStoreError(
                f"cannot reach the SPARQL server at {url}: {error}. Check KGCAT_REMOTE_QUERY_URL (and the update "
                "and graph store URLs) and that the server is running",
                url=url,
            ) from error
        if response.status_code in (401, 403):
            raise RemoteStoreError(
                f"the SPARQL server at {url} refused the credentials (HTTP {response.status_code}); check "
                "KGCAT_REMOTE_USER, KGCAT_REMOTE_PASSWORD and KGCAT_REMOTE_AUTH (Virtuoso's -auth URLs use digest)",
                url=url,
                status=response.status_code,
            )
        return response

    @staticmethod
    def _message(response: httpx.Response) -> str:
        text = response.text.strip()
        return text[:600] + ("…" if len(text) > 600 else "")

    def _failed(self, response: httpx.Response, what: str, *, user_text: bool) -> RemoteStoreError | QueryError:
        """The error for a non-2xx answer: the query's fault (4xx to a user's query) or the server's."""
        url, status = str(response.request.url), response.status_code
        message = f"the SPARQL server at {url} refused the {what} (HTTP {status}): {self._message(response)}"
        if user_text and 400 <= status < 500 and status != 404:
            return QueryError(message)
        return RemoteStoreError(message, url=url, status=status)

    def _checked(self, response: httpx.Response, what: str, *, user_text: bool) -> httpx.Response:
        if response.status_code >= 300:
            raise self._failed(response, what, user_text=user_text)
        if response.headers.get("x-sql-state") == ANYTIME_STATE:
            raise RemoteStoreError(
                f"the SPARQL server at {response.request.url} ran out of time and returned a partial result "
                f"({response.headers.get('x-sql-message', 'anytime query')}); narrow the query or raise the "
                "server's MaxQueryExecutionTime",
                url=str(response.request.url),
                status=response.status_code,
            )
        return response

    def _query(
        self,
        sparql: str,
        accept: str,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        *,
        user_text: bool,
        timeout_s: float | None,
    ) -> httpx.Response:
        form: list[tuple[str, str]] = [("query", sparql)]
        form += [("default-graph-uri", iri) for iri in default_graphs or ()]
        form += [("named-graph-uri", iri) for iri in named_graphs or ()]
        response = self._send(
            "POST",
            self.endpoint.query_url,
            content=urlencode(form).encode("ascii"),
            headers={"Accept": accept, "Content-Type": FORM},
            timeout_s=timeout_s,
        )
        return self._checked(response, "query", user_text=user_text)

    def _cut(self, count: int, url: str, header: str | None) -> None:
        limit = self.endpoint.result_limit
        if (header is not None and count >= int(header)) or (limit and count >= limit):
            cap = header or str(limit)
            raise RemoteStoreError(
                f"the SPARQL server at {url} cut the result at {cap} rows (Virtuoso: [SPARQL] ResultSetMaxRows); "
                "raise that limit on the server and KGCAT_REMOTE_RESULT_LIMIT above the largest result, or narrow "
                "the query",
                url=url,
            )

    # ------------------------------------------------------------------ operations

    def select(
        self,
        sparql: str,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        *,
        user_text: bool = False,
        timeout_s: float | None = None,
    ) -> Solutions | bool:
        """A SELECT's solutions, or an ASK's boolean."""
        response = self._query(
            sparql, SPARQL_XML, default_graphs, named_graphs, user_text=user_text, timeout_s=timeout_s
        )
        try:
            content = response.content.replace(VIRTUOSO_BNODE, b"<bnode>")
            parsed = ox.parse_query_results(content, format=ox.QueryResultsFormat.XML)
            if isinstance(parsed, ox.QueryBoolean):
                return bool(parsed)
            variables = tuple(variable.value for variable in parsed.variables)
            rows = [
                {name: _plain(term) for name in variables if (term := solution[name]) is not None}
                for solution in parsed
            ]
        except (SyntaxError, ValueError) as error:
            raise self._unreadable(response, "SPARQL XML results", error) from error
        self._cut(len(rows), str(response.request.url), response.headers.get("x-sparql-maxrows"))
        return Solutions(variables, rows)

    def construct(
        self,
        sparql: str,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        *,
        user_text: bool = False,
        timeout_s: float | None = None,
    ) -> list[ox.Triple]:
        """A CONSTRUCT's or DESCRIBE's triples."""
        response = self._query(
            sparql, N_TRIPLES, default_graphs, named_graphs, user_text=user_text, timeout_s=timeout_s
        )
        try:
            triples = [item for item in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]
        except SyntaxError as error:
            raise self._unreadable(response, "N-Triples", error) from error
        self._cut(len(triples), str(response.request.url), response.headers.get("x-sparql-maxrows"))
        return [ox.Triple(t.subject, t.predicate, t.object) for t in triples]

    @staticmethod
    def _unreadable(response: httpx.Response, wanted: str, error: Exception) -> RemoteStoreError:
        kind = response.headers.get("content-type", "no content type")
        return RemoteStoreError(
            f"the SPARQL server at {response.request.url} answered with {kind}, not readable {wanted} ({error}); "
            "is the URL a SPARQL endpoint?",
            url=str(response.request.url),
            status=response.status_code,
        )

    def update(self, sparql: str, *, user_text: bool = False) -> None:
        url = self.endpoint.updates
        response = self._send("POST", url, data={"update": sparql}, headers={"Accept": "*/*"})
        self._checked(response, "update", user_text=user_text)

    def add_triples(self, graph: str, ntriples: bytes) -> None:
        """Add N-Triples to ``graph``: Graph Store ``POST`` when configured, else ``INSERT DATA``."""
        url = self.endpoint.graph_store_url
        if url is None:
            self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{ntriples.decode('utf-8')}\n}} }}")
            return
        response = self._send(
            "POST", url, params={"graph": graph}, content=ntriples, headers={"Content-Type": N_TRIPLES}
        )
        self._checked(response, "upload", user_text=False)
