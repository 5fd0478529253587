"""Every error path of the API answers with the one JSON error body (api/errors.py ``error_body``).

The table below walks each error the API can produce, from the protocol layer, the graph layer,
search and the framework itself (404 route, 405 method, 422 parameter, 500 bug), and the last
test checks that no declared error code was left out of the walk.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from api_helpers import ERROR_KEYS, TOKEN, assert_error, auth, build_resources, make_client
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api import errors
from api.deps import get_resources, get_runner
from api.resources import Resources
from graph.errors import QueryError, StoreError
from graph.formats import UnsupportedFormatError
from graph.query_runner import QueryLimits, QueryServiceBusy
from search.errors import IndexCorrupt, IndexManifestMismatch, IndexNotFound, SearchError

Request = Callable[[TestClient], Any]
UPDATE = {"Content-Type": "application/sparql-update"}
CSV = {"Content-Type": "text/csv"}
TURTLE = {"Content-Type": "text/turtle"}
JSON_LD = {"Content-Type": "application/ld+json"}
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

PATHS: list[tuple[str, str, Request, int, str]] = [
    # (name, server kind, request, status, code); kinds: public, writer, small, tiny-rows, tiny-timeout, broken-*
    ("route not found", "public", lambda c: c.get("/no/such/path"), 404, "not-found"),
    ("method not allowed", "public", lambda c: c.delete("/search"), 405, "method-not-allowed"),
    ("bad parameter", "public", lambda c: c.get("/search", params={"k": "many"}), 422, "invalid-parameter"),
    ("unknown entity", "public", lambda c: c.get("/id/dataset/none/none"), 404, "not-found"),
    ("not acceptable", "public", lambda c: c.get("/catalog", headers={"Accept": "image/png"}), 406, "not-acceptable"),
    ("query syntax", "public", lambda c: c.get("/sparql", params={"query": "SELEC"}), 400, "query-syntax"),
    (
        "query failed",
        "public",
        lambda c: c.get("/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT -1"}),
        400,
        "query-syntax",
    ),
    ("protocol", "public", lambda c: c.get("/sparql", params={"update": "CLEAR ALL"}), 400, "bad-request"),
    (
        "service refused",
        "public",
        lambda c: c.get("/sparql", params={"query": "ASK { SERVICE <http://127.0.0.1:9/> {} }"}),
        400,
        "feature-disabled",
    ),
    (
        "media type",
        "public",
        lambda c: c.post("/sparql", content="x", headers={"Content-Type": "text/plain"}),
        415,
        "unsupported-media-type",
    ),
    ("writes disabled", "public", lambda c: c.post("/sparql", content="CLEAR ALL", headers=UPDATE), 403, "forbidden"),
    ("no token", "writer", lambda c: c.post("/sparql", content="CLEAR ALL", headers=UPDATE), 401, "unauthorized"),
    (
        "wrong token",
        "writer",
        lambda c: c.post("/import", params={"graph": "g"}, content=b"x", headers={**CSV, **auth("bad")}),
        403,
        "forbidden",
    ),
    (
        "gate rejects",
        "writer",
        lambda c: c.post(
            "/import",
            params={"graph": "g", "on_invalid": "strict"},
            content=b"title,publisher\n,x\n",
            headers={**CSV, **auth()},
        ),
        422,
        "rejected-by-shapes",
    ),
    (
        "unreadable source",
        "public",
        lambda c: c.post("/validate", content=b"@prefix", headers={"Content-Type": "text/turtle"}),
        400,
        "unreadable-source",
    ),
    (
        "unsafe source",
        "public",
        lambda c: c.post("/validate", content=b'{"@context": "https://example.org/c"}', headers=JSON_LD),
        400,
        "unsafe-source",
    ),
    (
        "unknown shapes",
        "public",
        lambda c: c.post("/validate", params={"shapes": "x"}, content=b"a", headers=CSV),
        400,
        "unknown-shapes",
    ),
    ("unsupported format", "public", lambda c: c.get("/catalog/dump", params={"format": "pdf"}), 406, "not-acceptable"),
    (
        "too large",
        "small",
        lambda c: c.post(
            "/sparql", content="ASK {}" + " " * 2000, headers={"Content-Type": "application/sparql-query"}
        ),
        413,
        "request-too-large",
    ),
    (
        "row cap",
        "tiny-rows",
        lambda c: c.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"}),
        422,
        "result-too-large",
    ),
    ("timeout", "tiny-timeout", lambda c: c.get("/sparql", params={"query": RUNAWAY}), 503, "query-timeout"),
    ("server busy", "broken-busy", lambda c: c.get("/sparql", params={"query": "ASK {}"}), 503, "server-busy"),
    ("no index", "broken-index-missing", lambda c: c.get("/search", params={"q": "x"}), 503, "search-index-missing"),
    (
        "corrupt index",
        "broken-index-corrupt",
        lambda c: c.get("/search", params={"q": "x"}),
        503,
        "search-index-unreadable",
    ),
    ("wrong model", "broken-index-model", lambda c: c.get("/search", params={"q": "x"}), 503, "search-index-mismatch"),
    ("search failed", "broken-search", lambda c: c.get("/search", params={"q": "x"}), 503, "search-failed"),
    (
        "store unavailable",
        "broken-store",
        lambda c: c.get("/sparql", params={"query": "ASK {}"}),
        503,
        "store-unavailable",
    ),
    ("not started", "not-started", lambda c: c.get("/catalog"), 503, "unavailable"),
    (
        "query failed at run time",
        "broken-query",
        lambda c: c.get("/sparql", params={"query": "ASK {}"}),
        400,
        "query-failed",
    ),
    (
        "unsupported format",
        "broken-format",
        lambda c: c.get("/sparql", params={"query": "ASK {}"}),
        415,
        "unsupported-format",
    ),
    ("bug", "broken-bug", lambda c: c.get("/sparql", params={"query": "ASK {}"}), 500, "internal-error"),
]


def _returning(value: object) -> Callable[[], Any]:
    def dependency() -> Any:
        return value

    return dependency


def _raise(error: Exception) -> Callable[[], Any]:
    def dependency() -> Any:
        raise error

    return dependency


@pytest.fixture(scope="module")
def clients(shared_resources: Resources, tmp_path_factory: pytest.TempPathFactory) -> dict[str, TestClient]:
    directory = tmp_path_factory.mktemp("errors")
    made = {
        "public": make_client(shared_resources, directory),
        "writer": make_client(build_resources(None), directory, write_token=SecretStr(TOKEN)),
        "small": make_client(shared_resources, directory, max_request_bytes=1024),
        "tiny-rows": make_client(build_resources(None, QueryLimits(max_rows=3)), directory),
        "tiny-timeout": make_client(build_resources(None, QueryLimits(timeout_s=0.05)), directory),
    }
    broken: dict[str, tuple[Callable[..., Any], Exception]] = {
        "broken-busy": (get_runner, QueryServiceBusy("every query worker stayed busy; try again shortly")),
        "broken-store": (get_runner, StoreError("cannot open the store; stop the other process")),
        "broken-bug": (get_runner, RuntimeError("a bug")),
        "broken-query": (get_runner, QueryError("the SPARQL query failed: the store could not be read")),
        "broken-format": (get_runner, UnsupportedFormatError("unknown RDF format 'x'; choose one of: turtle")),
        "broken-index-missing": (get_resources, IndexNotFound(directory)),
        "broken-index-corrupt": (get_resources, IndexCorrupt(directory, "truncated")),
        "broken-index-model": (get_resources, IndexManifestMismatch(directory, "model_id", "a", "b")),
        "broken-search": (get_resources, SearchError("the encoder failed; retry")),
    }
    for kind, (dependency, error) in broken.items():
        client = make_client(shared_resources, directory)
        if dependency is get_resources:  # search problems: resources without a ranker, with the reason
            resources = build_resources(None)
            resources.search_problem = error  # type: ignore[assignment]
            client.app.dependency_overrides[get_resources] = _returning(resources)  # type: ignore[attr-defined]
        else:
            client.app.dependency_overrides[dependency] = _raise(error)  # type: ignore[attr-defined]
        made[kind] = client
    not_started = make_client(shared_resources, directory)
    not_started.app.dependency_overrides.clear()  # type: ignore[attr-defined]
    made["not-started"] = not_started
    return made


@pytest.mark.parametrize(("name", "kind", "request_", "status", "code"), PATHS, ids=[path[0] for path in PATHS])
def test_every_error_path_has_the_one_error_body(
    clients: dict[str, TestClient], name: str, kind: str, request_: Request, status: int, code: str
) -> None:
    error = assert_error(request_(clients[kind]), status, code)

    assert error["title"]  # the HTTP reason phrase


def test_the_walk_covers_every_declared_error_code() -> None:
    declared = {code for _, _, code in errors.STATUS_OF}
    declared |= {cls.code for cls in _subclasses(errors.ApiError)}
    declared |= {"not-found", "method-not-allowed", "invalid-parameter", "internal-error"}
    walked = {path[4] for path in PATHS}

    assert declared <= walked, declared - walked
    assert set(errors.error_body(400, "x", "y")["error"]) == ERROR_KEYS  # type: ignore[arg-type]


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_error_bodies_are_json_for_every_client_but_a_browser(tmp_path: Path, shared_resources: Resources) -> None:
    client = make_client(shared_resources, tmp_path)

    for accept in (None, "*/*", "application/json", "application/json, text/html", "text/turtle"):
        headers = {"Accept": accept} if accept else {}
        response = client.get("/id/dataset/none/none", headers=headers)
        assert_error(response, 404, "not-found")
    posted = client.post(
        "/validate", content=b"%PDF", headers={"Accept": "text/html", "Content-Type": "application/pdf"}
    )

    assert_error(posted, 406)  # only GET requests get the error as a page
