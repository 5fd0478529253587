"""The SPARQL 1.1 Protocol's request rules: which operation a GET or POST carries, and the service description.

SPARQL 1.1 Protocol §2.1 (query: GET, POST form-encoded, POST ``application/sparql-query``) and
§2.2 (update: POST form-encoded or ``application/sparql-update``; never GET). The dataset
parameters (``default-graph-uri``, ``named-graph-uri``; ``using-graph-uri``,
``using-named-graph-uri`` for updates) come from the URL, and for form posts also from the body.
Bodies must be UTF-8. The service description follows SPARQL 1.1 Service Description §3.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

from rdflib import Literal, URIRef

from api.errors import BadRequest, UnsupportedMediaType
from graph.formats import RDF_SYNTAXES, RESULTS_SYNTAXES
from graph.store import QueryDataset, Triple
from ontology.namespaces import DCTERMS, FORMATS, RDF, SD

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"

Params = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class QueryOperation:
    text: str
    dataset: QueryDataset | None


@dataclass(frozen=True)
class UpdateOperation:
    text: str
    using: tuple[str, ...]
    using_named: tuple[str, ...]


Operation = QueryOperation | UpdateOperation


def _values(params: Params, name: str) -> list[str]:
    return [value for key, value in params if key == name]


def _single(params: Params, name: str) -> str | None:
    values = _values(params, name)
    if len(values) > 1:
        raise BadRequest(f"the request carries {len(values)} `{name}` parameters; send exactly one")
    return values[0] if values else None


def _dataset(params: Params) -> QueryDataset | None:
    default, named = _values(params, "default-graph-uri"), _values(params, "named-graph-uri")
    if not default and not named:
        return None  # the service's dataset: the union of the named graphs as default graph
    return QueryDataset(tuple(default), tuple(named))  # exactly the protocol's dataset (§2.1.4)


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"the {what} is not UTF-8 ({error}); SPARQL protocol bodies must be UTF-8") from error


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    """(media type, charset) of a Content-Type header."""
    media, *params = (part.strip() for part in (content_type or "").split(";"))
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


def _operation(query: str | None, update: str | None, params: Params) -> Operation:
    if query is not None and update is not None:
        raise BadRequest("the request carries both `query` and `update`; send one operation per request")
    if update is not None:
        return UpdateOperation(
            update, tuple(_values(params, "using-graph-uri")), tuple(_values(params, "using-named-graph-uri"))
        )
    if query is None:
        raise BadRequest("no SPARQL operation: send `query` (GET or POST) or `update` (POST)")
    return QueryOperation(query, _dataset(params))


def parse_get(params: Params) -> QueryOperation | None:
    """The query of a GET request, or None when it has none (a request for the service description)."""
    if _values(params, "update"):
        raise BadRequest("SPARQL updates must be sent with POST, never GET (SPARQL 1.1 Protocol §2.2)")
    query = _single(params, "query")
    return None if query is None else QueryOperation(query, _dataset(params))


def parse_post(content_type: str | None, body: bytes, url_params: Params) -> Operation:
    """The operation of a POST request; raises BadRequest / UnsupportedMediaType per the protocol."""
    media, charset = _media_type(content_type)
    if charset not in (None, "utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset {charset} is not supported; SPARQL protocol bodies must be UTF-8")
    if media == FORM:
        form = parse_qsl(_decode(body, "form body"), keep_blank_values=True, strict_parsing=False)
        params = [*url_params, *form]
        return _operation(_single(form, "query"), _single(form, "update"), params)
    if media in (QUERY_TYPE, UPDATE_TYPE):
        if _values(url_params, "query") or _values(url_params, "update"):
            raise BadRequest(f"a {media} POST carries its operation in the body, not in the URL")
        text = _decode(body, "request body")
        return _operation(text if media == QUERY_TYPE else None, text if media == UPDATE_TYPE else None, url_params)
    raise UnsupportedMediaType(
        f"POST to the SPARQL endpoint needs Content-Type {FORM}, {QUERY_TYPE} or {UPDATE_TYPE} (got {media or 'none'})",
        accepted=[FORM, QUERY_TYPE, UPDATE_TYPE],
    )


_FORMAT_IRIS = {
    "json": FORMATS.SPARQL_Results_JSON,
    "xml": FORMATS.SPARQL_Results_XML,
    "csv": FORMATS.SPARQL_Results_CSV,
    "tsv": FORMATS.SPARQL_Results_TSV,
    "turtle": FORMATS.Turtle,
    "jsonld": FORMATS.JSON_LD,
    "rdfxml": FORMATS.RDF_XML,
    "ntriples": FORMATS.N_Triples,
}


def service_description(
    endpoint: str, graphs: Sequence[URIRef], *, writable: bool, federation: bool
) -> Iterator[Triple]:
    """The triples of the service description of ``endpoint`` (no blank nodes: fragment IRIs)."""
    service, dataset, default = URIRef(endpoint), URIRef(f"{endpoint}#dataset"), URIRef(f"{endpoint}#default-graph")
    yield service, RDF.type, SD.Service
    yield service, SD.endpoint, service
    yield service, DCTERMS.title, Literal("kgcat SPARQL 端点", lang="zh")
    yield service, DCTERMS.title, Literal("kgcat SPARQL endpoint", lang="en")
    yield service, SD.supportedLanguage, SD.SPARQL11Query
    if writable:
        yield service, SD.supportedLanguage, SD.SPARQL11Update
    yield service, SD.feature, SD.UnionDefaultGraph
    if federation:
        yield service, SD.feature, SD.BasicFederatedQuery
    names = [syntax.name for syntax in RESULTS_SYNTAXES] + [syntax.name for syntax in RDF_SYNTAXES]
    for name in names:
        if name in _FORMAT_IRIS:
            yield service, SD.resultFormat, _FORMAT_IRIS[name]
    yield service, SD.defaultDataset, dataset
    yield dataset, RDF.type, SD.Dataset
    yield dataset, SD.defaultGraph, default
    yield default, RDF.type, SD.Graph
    for number, graph in enumerate(graphs):
        node = URIRef(f"{endpoint}#named-graph-{number}")
        yield dataset, SD.namedGraph, node
        yield node, RDF.type, SD.NamedGraph
        yield node, SD.name, graph
