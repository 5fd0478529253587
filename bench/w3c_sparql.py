"""The W3C SPARQL 1.1 test suite run through kgcat's HTTP endpoint (and directly on the engine).

Query evaluation (the 13 query directories, json-res, csv-tsv-res): each test's ``qt:data`` is
loaded into the default graph and its ``qt:graphData`` (and any ``FROM``/``FROM NAMED`` file)
into named graphs of a fresh in-memory store; the query is sent to ``/sparql`` with the test's
result format in ``Accept``; the answer is compared with the expected result like rdflib's
``sparql_checker``: SELECT as solution multisets with blank-node-insensitive matching (as
sequences when the query has ORDER BY), ASK as booleans, CONSTRUCT/DESCRIBE by isomorphism.
Syntax tests expect 200 (positive) or 400 (negative). Protocol tests (``protocol/``) replay
each ``ht:Request`` against the app and check status class, result format and boolean.

Each test is also evaluated directly on pyoxigraph (no HTTP), so a failure can be told apart
as the engine's or the endpoint's. rdflib's EARL report gives rdflib's outcome per test.
The W3C store of the endpoint uses the standard dataset (the store's default graph), not
kgcat's union default graph. Used by bench/sparql_conformance.py and tests/api/test_w3c_sparql.py.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pyoxigraph as ox
from fastapi.testclient import TestClient
from pydantic import SecretStr
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from api.app import create_app
from api.deps import get_resources
from api.resources import Resources
from api.settings import Settings
from graph.iris import IriMinter
from graph.query_runner import InProcessRunner, QueryLimits
from graph.store import OxigraphStore
from graph.terms import from_ox

W3C_BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
EARL = Namespace("http://www.w3.org/ns/earl#")

QUERY_DIRECTORIES = (
    "aggregates", "bind", "bindings", "cast", "construct", "exists", "functions", "grouping", "negation",
    "project-expression", "property-path", "subquery", "syntax-query", "json-res", "csv-tsv-res",
)  # fmt: skip
TOKEN = "w3c-protocol-token"
ACCEPT = {
    ".srx": "application/sparql-results+xml",
    ".srj": "application/sparql-results+json",
    ".tsv": "text/tab-separated-values",
    ".csv": "text/csv",
}
RDF_FORMATS = {".ttl": "text/turtle", ".nt": "application/n-triples", ".rdf": "application/rdf+xml"}


@dataclass
class Outcome:
    test: str  # the test's IRI
    directory: str
    kind: str
    http: bool
    direct: bool | None  # None: not applicable (protocol tests)
    note: str = ""


@dataclass
class Suite:
    root: Path  # …/sparql/sparql11

    def local(self, iri: str) -> Path:
        return self.root / iri.removeprefix(W3C_BASE)

    def manifest(self, directory: str) -> Graph:
        graph = Graph()
        path = self.root / directory / "manifest.ttl"
        graph.parse(path, format="turtle", publicID=f"{W3C_BASE}{directory}/manifest.ttl")
        return graph


def entries(manifest: Graph) -> list[URIRef]:
    lists = list(manifest.objects(None, MF.entries))
    return [entry for head in lists for entry in Collection(manifest, head) if isinstance(entry, URIRef)]


# ------------------------------------------------------------------ results parsing and comparison

Row = dict[str, Any]  # variable → rdflib term


def parse_results(data: bytes, media_type: str) -> tuple[list[str], list[Row]] | bool:
    """Parse SPARQL results (JSON, XML, TSV with pyoxigraph; CSV by hand: lossy strings)."""
    if media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        if rows and rows[0] in (["true"], ["false"]):
            return rows[0] == ["true"]
        head = rows[0] if rows else []
        return head, [{name: value for name, value in zip(head, row, strict=False) if value != ""} for row in rows[1:]]
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.from_media_type(media_type))
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    names = [variable.value for variable in parsed.variables]
    result = []
    for solution in parsed:
        result.append({name: from_ox(solution[name]) for name in names if solution[name] is not None})
    return names, result


def result_set_graph(path: Path, base: str) -> tuple[list[str], list[Row]] | bool:
    """An expected result written as an ``rs:ResultSet`` in RDF."""
    graph = Graph().parse(path, format="turtle", publicID=base)
    result_set = next(graph.subjects(RDF.type, RS.ResultSet))
    boolean = graph.value(result_set, RS.boolean)
    if boolean is not None:
        return bool(boolean.toPython())
    names = [str(v) for v in graph.objects(result_set, RS.resultVariable)]
    rows = []
    for solution in graph.objects(result_set, RS.solution):
        row = {str(graph.value(b, RS.variable)): graph.value(b, RS.value) for b in graph.objects(solution, RS.binding)}
        index = graph.value(solution, RS.index)
        rows.append((int(index) if index is not None else 0, row))
    return names, [row for _, row in sorted(rows, key=lambda item: item[0])]


def _shape(row: Row) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((name, "_:" if isinstance(term, BNode) else _norm(term)) for name, term in row.items()))


XSD_VALUE_TYPES = {
    f"http://www.w3.org/2001/XMLSchema#{name}"
    for name in ("integer", "decimal", "double", "float", "boolean", "int", "long", "short", "byte",
                 "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger")
}  # fmt: skip


def _norm(term: Any) -> str:
    """Term identity, except numbers and booleans compare by value ("1.0"^^xsd:decimal = "1"^^xsd:decimal):
    the engine writes canonical lexical forms, the expected files do not always."""
    if isinstance(term, Literal) and term.datatype is None and term.language is None:
        return str(term)
    if isinstance(term, Literal) and str(term.datatype) in XSD_VALUE_TYPES:
        value = term.toPython()
        if isinstance(value, Literal):  # ill-typed: keep the lexical form
            return f"{term}|{term.datatype}"
        return f"{float(value) if not isinstance(value, bool) else value!r}|{term.datatype}"
    if isinstance(term, Literal):
        return f"{term}|{term.language or ''}|{term.datatype or ''}"
    return str(term)


def rows_match(expected: Sequence[Row], actual: Sequence[Row], *, ordered: bool) -> bool:
    """Solution sequences equal up to a consistent renaming of blank nodes."""
    if len(expected) != len(actual):
        return False
    if Counter(map(_shape, expected)) != Counter(map(_shape, actual)):
        return False
    if ordered and [_shape(r) for r in expected] != [_shape(r) for r in actual]:
        return False
    if not any(isinstance(t, BNode) for row in expected for t in row.values()):
        return True
    return _bijection(list(expected), list(actual), {})


def _bijection(expected: list[Row], actual: list[Row], mapping: dict[Any, Any]) -> bool:
    if not expected:
        return True
    first, rest = expected[0], expected[1:]
    for index, candidate in enumerate(actual):
        if _shape(candidate) != _shape(first):
            continue
        extended = dict(mapping)
        consistent = all(_bind(extended, first[name], candidate[name]) for name in first)
        if consistent and _bijection(rest, actual[:index] + actual[index + 1 :], extended):
            return True
    return False


def _bind(mapping: dict[Any, Any], left: Any, right: Any) -> bool:
    if not isinstance(left, BNode):
        return bool(left == right) or _norm(left) == _norm(right)
    if left in mapping:
        return bool(mapping[left] == right)
    if right in mapping.values():
        return False
    mapping[left] = right
    return True


def csv_match(expected: list[Row], actual: list[Row]) -> bool:
    """CSV carries strings only; blank node labels may differ."""

    def flat(rows: list[Row]) -> Counter[tuple[tuple[str, str], ...]]:
        return Counter(
            tuple(sorted((k, "_:" if str(v).startswith("_:") else str(v)) for k, v in row.items())) for row in rows
        )

    return flat(expected) == flat(actual)


# ------------------------------------------------------------------ stores and the app


def load(store: ox.Store, path: Path, graph: ox.NamedNode | ox.DefaultGraph, base: str) -> None:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
    store.load(path=str(path), format=fmt, base_iri=base, to_graph=graph)


def app_client(store: OxigraphStore, data_dir: Path) -> TestClient:
    limits = QueryLimits(timeout_s=60, max_rows=10**7, allow_service=False)
    resources = Resources(store, InProcessRunner(store.native, limits, union_default_graph=False), IriMinter())
    app = create_app(Settings(data_dir=data_dir, write_token=SecretStr(TOKEN)))
    app.dependency_overrides[get_resources] = lambda: resources
    return TestClient(app, raise_server_exceptions=False)


_FROM = re.compile(r"FROM\s+(NAMED\s+)?<([^>]*)>", re.IGNORECASE)


class QueryTest:
    """One mf:QueryEvaluationTest / CSVResultFormatTest / syntax test, ready to run."""

    def __init__(self, suite: Suite, manifest: Graph, test: URIRef, directory: str) -> None:
        self.suite, self.test, self.directory = suite, test, directory
        self.kind = str(manifest.value(test, RDF.type)).rsplit("#", 1)[-1]
        action = manifest.value(test, MF.action)
        if isinstance(action, URIRef):  # syntax tests: the action is the query itself
            self.query_iri, self.data, self.graph_data = str(action), [], []
        else:
            self.query_iri = str(manifest.value(action, QT.query))
            self.data = [str(d) for d in manifest.objects(action, QT.data)]
            self.graph_data = [str(g) for g in manifest.objects(action, QT.graphData)]
        result = manifest.value(test, MF.result)
        self.result = str(result) if result is not None else None
        self.text = suite.local(self.query_iri).read_text(encoding="utf-8")

    def store(self) -> OxigraphStore:
        store = OxigraphStore(None)
        for iri in self.data:
            load(store.native, self.suite.local(iri), ox.DefaultGraph(), iri)
        named = list(self.graph_data)
        for match in _FROM.finditer(self.text):
            named.append(urljoin(self.query_iri, match.group(2)))
        for iri in dict.fromkeys(named):
            if iri.startswith(W3C_BASE) and self.suite.local(iri).exists():
                load(store.native, self.suite.local(iri), ox.NamedNode(iri), iri)
        return store

    @property
    def sparql(self) -> str:
        return f"BASE <{self.query_iri}>\n{self.text}"

    def expected(self) -> tuple[list[str], list[Row]] | bool | Graph:
        assert self.result is not None
        path = self.suite.local(self.result)
        if path.suffix in ACCEPT:
            return parse_results(path.read_bytes(), ACCEPT[path.suffix])
        graph = Graph().parse(path, format="turtle" if path.suffix == ".ttl" else "xml", publicID=self.result)
        if any(graph.subjects(RDF.type, RS.ResultSet)):
            return result_set_graph(path, self.result)
        return graph

    def accept(self) -> str:
        suffix = Path(self.result or "").suffix
        return ACCEPT.get(suffix, "text/turtle, application/sparql-results+json;q=0.9")

    def compare(self, body: bytes, media_type: str) -> bool:
        expected = self.expected()
        media_type = media_type.split(";")[0]
        if isinstance(expected, Graph):
            if media_type not in RDF_FORMATS.values():
                return False
            actual = Graph().parse(data=body, format="turtle" if media_type == "text/turtle" else "nt")
            return isomorphic(expected, actual)
        actual_results = parse_results(body, media_type)
        if isinstance(expected, bool) or isinstance(actual_results, bool):
            return expected == actual_results
        ordered = bool(re.search(r"ORDER\s+BY", self.text, re.IGNORECASE))
        if media_type == "text/csv":
            return csv_match(expected[1], actual_results[1])
        return rows_match(expected[1], actual_results[1], ordered=ordered)

    def run_http(self, data_dir: Path) -> tuple[bool, str]:
        client = app_client(self.store(), data_dir)
        response = client.post(
            "/sparql",
            content=self.sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": self.accept()},
        )
        if self.kind.startswith("PositiveSyntax"):
            return response.status_code == 200, f"status {response.status_code}"
        if self.kind.startswith("NegativeSyntax"):
            return response.status_code == 400, f"status {response.status_code}"
        if response.status_code != 200:
            return False, f"status {response.status_code}: {response.text[:200]}"
        return self.compare(response.content, response.headers["content-type"]), ""

    def run_direct(self) -> bool:
        store = self.store()
        try:
            result = store.native.query(self.sparql)
        except SyntaxError:
            return self.kind.startswith("NegativeSyntax")
        except (OSError, RuntimeError):
            return False
        if "Syntax" in self.kind:
            return self.kind.startswith("PositiveSyntax")
        output = io.BytesIO()
        if isinstance(result, ox.QueryTriples):
            ox.serialize(result, output, ox.RdfFormat.N_TRIPLES)
            return self.compare(output.getvalue(), "application/n-triples")
        media = self.accept().split(",")[0]
        if media not in ACCEPT.values():
            media = "application/sparql-results+json"
        try:
            result.serialize(output, ox.QueryResultsFormat.from_media_type(media))
        except (OSError, ValueError, RuntimeError):
            return False
        return self.compare(output.getvalue(), media)


def query_tests(suite: Suite, directories: Sequence[str]) -> Iterator[QueryTest]:
    runnable = {"QueryEvaluationTest", "CSVResultFormatTest", "PositiveSyntaxTest11", "NegativeSyntaxTest11"}
    for directory in directories:
        manifest = suite.manifest(directory)
        for test in entries(manifest):
            kind = str(manifest.value(test, RDF.type)).rsplit("#", 1)[-1]
            if kind in runnable:
                yield QueryTest(suite, manifest, test, directory)


def run_query_tests(suite: Suite, directories: Sequence[str]) -> list[Outcome]:
    outcomes = []
    with tempfile.TemporaryDirectory() as directory:
        for test in query_tests(suite, directories):
            try:
                passed, note = test.run_http(Path(directory))
            except (ValueError, SyntaxError, OSError) as error:  # an unreadable answer is a failure
                passed, note = False, f"{type(error).__name__}: {error}"
            try:
                direct = test.run_direct()
            except (ValueError, SyntaxError, OSError, RuntimeError):
                direct = False
            outcomes.append(Outcome(str(test.test), test.directory, test.kind, passed, direct, note))
    return outcomes


# ------------------------------------------------------------------ protocol tests


@dataclass
class ProtocolRequest:
    method: str
    path: str
    body: bytes | None
    headers: dict[str, str]
    statuses: set[str]
    format: str | None
    boolean: bool | None = field(default=None)


def protocol_requests(manifest: Graph, test: URIRef) -> list[ProtocolRequest]:
    action = manifest.value(test, MF.action)
    requests = []
    for node in Collection(manifest, manifest.value(action, HT.requests)):
        body_node = manifest.value(node, HT.body)
        body = None
        if body_node is not None:
            encoding = str(manifest.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = str(manifest.value(body_node, CNT.chars)).encode(encoding.lower().replace("utf-16", "utf-16-le"))
        headers = {}
        head = manifest.value(node, HT.headers)
        if head is not None:
            for header in Collection(manifest, head):
                headers[str(manifest.value(header, HT.fieldName))] = str(manifest.value(header, HT.fieldValue))
        response = manifest.value(node, HT.resp)
        statuses = {str(s).rsplit("#StatusCode", 1)[-1] for s in manifest.objects(response, MF.expectedStatus)}
        fmt = manifest.value(response, MF.expectedFormat)
        boolean = manifest.value(response, MF.expectedBoolean)
        path = str(manifest.value(node, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
        requests.append(
            ProtocolRequest(
                str(manifest.value(node, HT.methodName)),
                path,
                body,
                headers,
                statuses,
                str(fmt) if fmt is not None else None,
                bool(boolean.toPython()) if boolean is not None else None,
            )
        )
    return requests


FORMAT_TYPES = {
    "boolean": ("application/sparql-results+xml", "application/sparql-results+json"),
    "tabular": (
        "application/sparql-results+xml",
        "application/sparql-results+json",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples"),
}


def _check(request: ProtocolRequest, response: Any) -> str | None:
    status_class = f"{str(response.status_code)[0]}xx"
    if status_class not in request.statuses:
        return (
            f"{request.method} {request.path[:60]}: status {response.status_code}, expected {sorted(request.statuses)}"
        )
    media = response.headers.get("content-type", "").split(";")[0]
    if request.format is not None and media not in FORMAT_TYPES[request.format]:
        return f"format {media}, expected {request.format}"
    if request.boolean is not None:
        parsed = parse_results(response.content, media)
        if parsed is not request.boolean:
            return f"boolean {parsed}, expected {request.boolean}"
    return None


def run_protocol_tests(suite: Suite) -> list[Outcome]:
    manifest = suite.manifest("protocol")
    outcomes = []
    with tempfile.TemporaryDirectory() as directory:
        for test in entries(manifest):
            store = OxigraphStore(None)
            for data in manifest.objects(test, UT.graphData):
                file_iri = str(manifest.value(data, UT.graph))
                name = str(manifest.value(data, RDFS.label))
                load(store.native, suite.local(file_iri), ox.NamedNode(name), name)
            client = app_client(store, Path(directory))
            problem = None
            for request in protocol_requests(manifest, test):
                headers = {**request.headers, "Authorization": f"Bearer {TOKEN}"}
                response = client.request(request.method, request.path, content=request.body, headers=headers)
                problem = _check(request, response)
                if problem:
                    break
            outcomes.append(Outcome(str(test), "protocol", "ProtocolTest", problem is None, None, problem or ""))
    return outcomes


# ------------------------------------------------------------------ rdflib's EARL report


def earl_outcomes(path: Path) -> dict[str, str]:
    graph = Graph().parse(path, format="turtle")
    outcomes = {}
    for assertion in graph.subjects(RDF.type, EARL.Assertion):
        test = graph.value(assertion, EARL.test)
        result = graph.value(assertion, EARL.result)
        outcome = graph.value(result, EARL.outcome)
        if test is not None and outcome is not None:
            outcomes[str(test)] = str(outcome).rsplit("#", 1)[-1]
    return outcomes
