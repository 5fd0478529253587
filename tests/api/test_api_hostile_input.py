"""Hostile and broken input: each gets the one JSON error body, the store is unchanged, the server keeps serving.

Malformed RDF in every syntax through every route that reads RDF; RDF/XML with external
entities (XXE) and entity-expansion bombs; JSON-LD naming remote, relative or ``file:``
contexts (a local HTTP server counts whether anything was fetched); deeply nested JSON;
SPARQL that federates, loads or runs away; invalid UTF-8 in queries, bodies and IRIs; script
tags in titles; path traversal in IRIs, graph keys, dump formats and shape names. Oversized
bodies against a real server are in test_serve_limits.py.
"""

from __future__ import annotations

import http.server
import json
import resource
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from api_helpers import TOKEN, assert_error, auth, build_resources, make_client, store_fingerprint
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.resources import Resources
from graph.iris import IriMinter
from graph.query_runner import ProcessPoolRunner, QueryLimits
from graph.source_guard import MAX_ENTITY_TEXT, MAX_JSON_DEPTH
from graph.store import OxigraphStore

TURTLE = "text/turtle"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"
CSV = "text/csv"
RDF_HEAD = (
    '<?xml version="1.0"?>\n{doctype}<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:dct="http://purl.org/dc/terms/"><rdf:Description rdf:about="https://example.org/d">'
    "<dct:title>{title}</dct:title></rdf:Description></rdf:RDF>"
)


def rdf_xml(title: str, doctype: str = "") -> bytes:
    return RDF_HEAD.format(doctype=doctype, title=title).encode()


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    )
    return rdf_xml("&lol9;", f"<!DOCTYPE rdf:RDF [{entities}]>\n")


def quadratic_blowup() -> bytes:
    """One large entity used many times: no nesting, but the content would still expand enormously."""
    entity = f'<!ENTITY big "{"x" * (MAX_ENTITY_TEXT // 2)}">'
    return rdf_xml("&big;" * 1000, f"<!DOCTYPE rdf:RDF [{entity}]>\n")


class CountingServer:
    """A local HTTP server that answers everything with a JSON-LD context and counts the requests it got."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                body = b'{"@context": {"title": "http://purl.org/dc/terms/title"}}'
                self.send_response(200)
                self.send_header("Content-Type", JSON_LD)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> CountingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def counting_server() -> Iterator[CountingServer]:
    with CountingServer() as server:
        yield server


@pytest.fixture
def resources() -> Iterator[Resources]:
    made = build_resources(None)
    yield made
    made.close()


@pytest.fixture
def writer(resources: Resources, tmp_path: Any) -> TestClient:
    return make_client(resources, tmp_path, write_token=SecretStr(TOKEN))


@pytest.fixture(scope="module")
def served_from_disk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Resources]]:
    """The catalogue in an on-disk store queried by a worker process, as ``kgcat serve`` does (timeout 1 s)."""
    directory = tmp_path_factory.mktemp("disk")
    store = OxigraphStore(directory / "store")
    store.native.bulk_extend(build_resources(None).store.native)
    store.native.flush()
    runner = ProcessPoolRunner(store, QueryLimits(timeout_s=1.0, max_rows=1000), workers=1)
    resources = Resources(store, runner, IriMinter())
    yield make_client(resources, directory), resources
    resources.close()


Send = Callable[[TestClient, bytes, str], Any]
ROUTES: dict[str, Send] = {
    "validate": lambda c, body, media: c.post("/validate", content=body, headers={"Content-Type": media}),
    "import": lambda c, body, media: c.post(
        "/import", params={"graph": "hostile"}, content=body, headers={"Content-Type": media, **auth()}
    ),
    "graph-store PUT": lambda c, body, media: c.put(
        "/graph-store",
        params={"graph": "https://example.org/graph/hostile"},
        content=body,
        headers={"Content-Type": media, **auth()},
    ),
    "graph-store POST": lambda c, body, media: c.post(
        "/graph-store",
        params={"graph": "https://example.org/graph/hostile"},
        content=body,
        headers={"Content-Type": media, **auth()},
    ),
}


def assert_refused_and_still_serving(
    client: TestClient, resources: Resources, send: Callable[[], Any], status: int, code: str
) -> dict[str, Any]:
    """``send`` is answered with the error body, the store is unchanged, and the server answers afterwards."""
    before = store_fingerprint(resources)
    error = assert_error(send(), status, code)
    assert store_fingerprint(resources) == before, "a refused request changed the store"
    assert client.get("/health").status_code == 200
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    return error


MALFORMED = [
    ("turtle", b"@prefix dct: <http://purl.org/dc/terms/> .\n<https://example.org/d> dct:title ", TURTLE),
    ("turtle-bad-iri", b"<https://example.org/d> <http://purl.org/dc/terms/title> <not an iri> .", TURTLE),
    ("json-ld", b'{"@context": {"dct": "http://purl.org/dc/terms/"}, "@id": "https://x", "dct:title": ', JSON_LD),
    ("json-ld-not-an-object", b'"just a string"', JSON_LD),
    ("rdf-xml", rdf_xml("unclosed <dct:b>"), RDF_XML),
    ("rdf-xml-not-xml", b"this is not XML at all", RDF_XML),
]


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize(("body", "media"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_malformed_rdf_is_a_400_and_writes_nothing(
    writer: TestClient, resources: Resources, route: str, body: bytes, media: str
) -> None:
    error = assert_refused_and_still_serving(
        writer, resources, lambda: ROUTES[route](writer, body, media), 400, "unreadable-source"
    )
    assert "not valid" in error["message"]


@pytest.mark.parametrize("route", list(ROUTES))
def test_an_external_entity_is_refused_and_never_read(writer: TestClient, resources: Resources, route: str) -> None:
    body = rdf_xml("&secret;", '<!DOCTYPE rdf:RDF [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n')

    error = assert_refused_and_still_serving(
        writer, resources, lambda: ROUTES[route](writer, body, RDF_XML), 400, "unsafe-source"
    )

    assert "external entity 'secret'" in error["message"]
    assert "root:" not in str(error)


def test_external_entities_and_dtds_on_a_server_are_never_fetched(
    writer: TestClient, resources: Resources, counting_server: CountingServer
) -> None:
    entity = rdf_xml("&remote;", f'<!DOCTYPE rdf:RDF [<!ENTITY remote SYSTEM "{counting_server.url}/e">]>\n')
    parameter = rdf_xml("t", f'<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{counting_server.url}/p"> %p;]>\n')
    external_dtd = rdf_xml("t", f'<!DOCTYPE rdf:RDF SYSTEM "{counting_server.url}/dtd">\n')

    assert_error(ROUTES["validate"](writer, entity, RDF_XML), 400, "unsafe-source")
    assert_error(ROUTES["validate"](writer, parameter, RDF_XML), 400, "unsafe-source")
    ROUTES["validate"](writer, external_dtd, RDF_XML)  # no entity is declared: parsed, the DTD is ignored

    assert counting_server.requests == []
    with urllib.request.urlopen(counting_server.url + "/probe") as probe:
        assert probe.status == 200  # the probe server does count what reaches it
    assert counting_server.requests == ["/probe"]


@pytest.mark.parametrize("bomb", [billion_laughs, quadratic_blowup], ids=["billion-laughs", "quadratic-blowup"])
@pytest.mark.parametrize("route", ["validate", "import", "graph-store PUT"])
def test_entity_expansion_bombs_are_refused_without_expanding(
    writer: TestClient, resources: Resources, route: str, bomb: Callable[[], bytes]
) -> None:
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()

    error = assert_refused_and_still_serving(
        writer, resources, lambda: ROUTES[route](writer, bomb(), RDF_XML), 400, "unsafe-source"
    )

    assert "entity-expansion" in error["message"]
    # not speed targets: a bomb that got expanded would take minutes and gigabytes, not seconds and megabytes
    assert time.monotonic() - started < 20
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 200_000  # KiB


def test_internal_entities_for_namespaces_still_work(client: TestClient) -> None:
    doctype = '<!DOCTYPE rdf:RDF [<!ENTITY dct "http://purl.org/dc/terms/">]>\n'
    body = rdf_xml("t", doctype).replace(b'xmlns:dct="http://purl.org/dc/terms/"', b'xmlns:dct="&dct;"')

    response = client.post("/validate", content=body, headers={"Content-Type": RDF_XML})

    assert response.status_code == 200, response.text
    assert response.json()["source_kind"] == "rdf"


def _contexts(url: str) -> dict[str, bytes]:
    node = '"@id": "https://example.org/d", "title": "t"'
    return {
        "remote": f'{{"@context": "{url}/context.jsonld", {node}}}'.encode(),
        "remote-in-a-list": f'{{"@context": [{{"x": "https://x/"}}, "{url}/c"], {node}}}'.encode(),
        "import": f'{{"@context": {{"@import": "{url}/i", "x": "https://x/"}}, {node}}}'.encode(),
        "scoped": f'{{"@context": {{"t": {{"@id": "https://x/t", "@context": "{url}/s"}}}}, {node}}}'.encode(),
        "nested-node": f'{{"@graph": [{{"@context": "{url}/n", {node}}}]}}'.encode(),
        "relative": f'{{"@context": "context.jsonld", {node}}}'.encode(),
        "local-file": f'{{"@context": "file:///etc/passwd", {node}}}'.encode(),
    }


@pytest.mark.parametrize("case", list(_contexts("")))
@pytest.mark.parametrize("route", list(ROUTES))
def test_json_ld_naming_a_context_document_is_refused_and_nothing_is_fetched(
    writer: TestClient, resources: Resources, counting_server: CountingServer, route: str, case: str
) -> None:
    body = _contexts(counting_server.url)[case]

    error = assert_refused_and_still_serving(
        writer, resources, lambda: ROUTES[route](writer, body, JSON_LD), 400, "unsafe-source"
    )

    assert "never fetches" in error["message"] and error["details"]["reference"]
    assert counting_server.requests == []


def test_an_inline_json_ld_context_is_fine(client: TestClient) -> None:
    body = b'{"@context": {"title": "http://purl.org/dc/terms/title"}, "@id": "https://example.org/d", "title": "t"}'

    response = client.post("/validate", content=body, headers={"Content-Type": JSON_LD})

    assert response.status_code == 200, response.text


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
@pytest.mark.parametrize(
    ("media", "route"), [(JSON_LD, "validate"), (JSON_LD, "import"), ("application/json", "import")]
)
def test_deeply_nested_json_is_refused(
    writer: TestClient, resources: Resources, depth: int, media: str, route: str
) -> None:
    nested = b"[" * depth + b"]" * depth
    body = b'{"@context": {}, "@id": "https://example.org/d", "https://example.org/p": ' + nested + b"}"
    body = body if media == JSON_LD else nested

    error = assert_refused_and_still_serving(
        writer, resources, lambda: ROUTES[route](writer, body, media), 400, "unsafe-source"
    )

    assert f"deeper than {MAX_JSON_DEPTH}" in error["message"]


def test_a_deeply_nested_records_line_is_rejected_alone(writer: TestClient, resources: Resources) -> None:
    record = {
        "id": "n-1",
        "title": "古树名木保护表",
        "publisher": "上海市徐汇区绿化和市容管理局",
        "region": "上海市徐汇区",
    }
    good = json.dumps(record, ensure_ascii=False)
    deep = '{"id": "n-2", "title": ' + "[" * 10_000 + "]" * 10_000 + "}"
    body = f"{good}\n{deep}\n".encode()

    response = ROUTES["import"](writer, body, "application/x-ndjson")

    assert response.status_code == 201, response.text
    report = response.json()
    assert report["written"] == 1
    assert [rejected["line"] for rejected in report["rejected"]] == [2]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE ?endpoint { ?s ?q ?v } } }",
    ],
)
def test_service_is_refused_by_get_and_post(client: TestClient, query: str) -> None:
    for response in (
        client.get("/sparql", params={"query": query}),
        client.post("/sparql", data={"query": query}),
        client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"}),
    ):
        assert assert_error(response, 400, "feature-disabled")["details"]["features"] == ["SERVICE"]


def test_load_is_never_run_for_the_public(
    client: TestClient, shared_resources: Resources, counting_server: CountingServer
) -> None:
    load = f"LOAD <{counting_server.url}/data.ttl> INTO GRAPH <https://example.org/loaded>"

    assert_error(client.get("/sparql", params={"update": load}), 400, "bad-request")
    assert_error(client.get("/sparql", params={"query": load}), 400)  # refused by keyword, or not a query
    assert_error(client.post("/sparql", data={"update": load}), 403, "forbidden")
    assert_error(client.post("/sparql", content=load, headers={"Content-Type": "application/sparql-update"}), 403)

    assert counting_server.requests == []


def test_load_with_the_token_is_refused_too(writer: TestClient, counting_server: CountingServer) -> None:
    load = f"LOAD <{counting_server.url}/data.ttl>"

    response = writer.post("/sparql", data={"update": load}, headers=auth())

    assert assert_error(response, 400, "feature-disabled")["details"]["features"] == ["LOAD"]
    assert counting_server.requests == []


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", 503, "query-timeout"),
        ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY DESC(?c)", 503, "query-timeout"),
        ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", 422, "result-too-large"),
        ("CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }", 422, "result-too-large"),
    ],
    ids=["aggregate", "ordered", "rows", "construct"],
)
def test_cartesian_products_are_cut_with_an_explicit_message(
    served_from_disk: tuple[TestClient, Resources], query: str, status: int, code: str
) -> None:
    client, resources = served_from_disk

    error = assert_refused_and_still_serving(
        client, resources, lambda: client.get("/sparql", params={"query": query}), status, code
    )

    assert error["details"] in ({"timeout_s": 1.0}, {"max_rows": 1000})


@pytest.mark.parametrize(
    "request_",
    [
        lambda c: c.get("/sparql?query=SELECT%20*%20%7B%20%3Fs%20%3Fp%20%22%FF%FE%22%20%7D"),
        lambda c: c.get("/id/dataset/%FF%FE/x"),
        lambda c: c.get("/search?q=%C3%28"),
        lambda c: c.get("/catalog?page=1&format=%E6%95"),
    ],
    ids=["query", "iri", "search", "parameter"],
)
def test_invalid_utf8_in_the_url_is_a_400(client: TestClient, shared_resources: Resources, request_: Any) -> None:
    error = assert_refused_and_still_serving(client, shared_resources, lambda: request_(client), 400, "bad-request")

    assert "not valid UTF-8" in error["message"]


def test_valid_percent_encoded_chinese_is_fine(client: TestClient) -> None:
    assert client.get("/search?q=%E5%85%85%E7%94%B5%E6%A1%A9").status_code == 200


@pytest.mark.parametrize(
    ("route", "media", "code"),
    [
        ("validate", TURTLE, "unreadable-source"),
        ("validate", JSON_LD, "unreadable-source"),
        ("validate", CSV, "unreadable-source"),
        ("import", CSV, "unreadable-source"),
        ("import", RDF_XML, "unreadable-source"),
        ("graph-store PUT", TURTLE, "unreadable-source"),
    ],
)
def test_invalid_utf8_in_a_body_is_a_400(
    writer: TestClient, resources: Resources, route: str, media: str, code: str
) -> None:
    bodies = {
        TURTLE: b'<https://example.org/d> <http://purl.org/dc/terms/title> "\xff\xfe\xc3" .',
        JSON_LD: b'{"@id": "https://example.org/d", "http://purl.org/dc/terms/title": "\xff\xfe"}',
        CSV: b"title,publisher\n\xff\xfe\xc3,x\n",
        RDF_XML: rdf_xml("t").replace(b">t<", b">\xff\xfe<"),
    }

    assert_refused_and_still_serving(writer, resources, lambda: ROUTES[route](writer, bodies[media], media), 400, code)


def test_invalid_utf8_in_a_sparql_body_is_a_400(client: TestClient, shared_resources: Resources) -> None:
    for response in (
        client.post("/sparql", content=b'ASK { ?s ?p "\xff" }', headers={"Content-Type": "application/sparql-query"}),
        client.post(
            "/sparql", content=b"query=ASK%20%7B%7D\xff", headers={"Content-Type": "application/x-www-form-urlencoded"}
        ),
    ):
        assert "not UTF-8" in assert_error(response, 400, "bad-request")["message"]


def test_a_script_tag_in_a_title_is_escaped_on_the_web_page(writer: TestClient) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    record = {"id": "s-1", "title": hostile, "publisher": "上海市徐汇区绿化和市容管理局", "region": "上海市徐汇区"}
    created = writer.post(
        "/import",
        params={"graph": "xss"},
        content=json.dumps(record, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/x-ndjson", **auth()},
    )
    assert created.status_code == 201, created.text
    query = 'SELECT ?d WHERE { ?d dct:title ?t FILTER(CONTAINS(?t, "<script>")) }'
    rows = writer.get("/sparql", params={"query": query})
    dataset = rows.json()["results"]["bindings"][0]["d"]["value"]

    page = writer.get("/" + dataset.split("/", 3)[3], headers={"Accept": "text/html"})
    home = writer.get("/", headers={"Accept": "text/html"})

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<script>" not in page.text and "<img" not in page.text
    assert "&lt;script&gt;alert(" in page.text  # shown as text (quotes need no escaping outside attributes)
    assert "<script>" not in home.text


@pytest.mark.parametrize(
    "path",
    [
        "/id/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/id/..%2f..%2f..%2fetc%2fpasswd",
        "/def/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/graph/..%2F..%2Fetc%2Fpasswd",
        "/shapes/..%2f..%2f..%2fetc%2fpasswd",
        "/shapes/%2e%2e",
    ],
)
def test_path_traversal_in_iris_finds_nothing(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/turtle"})

    assert_error(response, 404, "not-found")
    assert "root:" not in response.text


@pytest.mark.parametrize("format_name", ["../../../etc/passwd", "nquads/../../x", "..%2f..%2fx", "/etc/passwd"])
def test_path_traversal_in_a_dump_format_is_refused(client: TestClient, format_name: str) -> None:
    assert_error(client.get("/catalog/dump", params={"format": format_name}), 406, "not-acceptable")


@pytest.mark.parametrize("key", ["../../etc/passwd", "..", "a/b", "a\\b", "%2e%2e", "x" * 200, "键"])
def test_path_traversal_in_a_graph_key_is_refused(writer: TestClient, resources: Resources, key: str) -> None:
    body = "id,title,publisher,region\nk-1,古树名木保护表,上海市徐汇区绿化和市容管理局,上海市徐汇区\n".encode()

    error = assert_refused_and_still_serving(
        writer,
        resources,
        lambda: writer.post("/import", params={"graph": key}, content=body, headers={"Content-Type": CSV, **auth()}),
        400,
        "bad-request",
    )

    assert "ASCII letters" in error["message"]


@pytest.mark.parametrize("graph", ["file:///etc/passwd", "../../etc/passwd", "/etc/passwd", ""])
def test_the_graph_store_takes_only_http_or_urn_graph_names(
    writer: TestClient, resources: Resources, graph: str
) -> None:
    body = b'<https://example.org/d> <http://purl.org/dc/terms/title> "t" .'
    headers = {"Content-Type": TURTLE, **auth()}

    assert_refused_and_still_serving(
        writer,
        resources,
        lambda: writer.put("/graph-store", params={"graph": graph}, content=body, headers=headers),
        400,
        "bad-request",
    )
