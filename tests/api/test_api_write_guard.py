"""Without the write token nothing modifies the data, by any route or method.

The routes are enumerated from the app itself (``app.routes``), so a route added later is
attacked too: every method it declares (and PUT/POST/DELETE/PATCH besides) with every kind of
write payload (SPARQL Update in a query string, a form, a direct body; RDF for the Graph Store;
records for imports), without a token, with a wrong one and with a malformed header. The
store's quads hash the same afterwards. A second test fails when a route that accepts an
unsafe method does not depend on the write guard and is not on the short, explained list of
public POST routes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from api_helpers import TOKEN, build_resources, make_client, store_fingerprint
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import SecretStr
from starlette.routing import Route

from api.app import create_app
from api.deps import require_writer
from api.resources import Resources
from api.settings import Settings

UNSAFE = {"POST", "PUT", "DELETE", "PATCH"}
PUBLIC_UNSAFE_ROUTES = {
    ("/sparql", "POST"): "queries by POST (SPARQL 1.1 Protocol §2.1.2); an update in it calls require_writer itself",
    ("/validate", "POST"): "checks an uploaded source against the shapes and writes nothing",
}
"""Routes that take an unsafe method without depending on the write guard, and why that is safe."""
PATH_VALUES = {"path": "dataset/x/y", "layer": "core"}
BAD_CREDENTIALS: list[dict[str, str]] = [
    {},
    {"Authorization": "Bearer wrong-token"},
    {"Authorization": f"Basic {TOKEN}"},
    {"Authorization": "Bearer "},
    {"Authorization": f"bearer{TOKEN}"},
]


def concrete(path: str) -> str:
    for name, value in PATH_VALUES.items():
        path = path.replace(f"{{{name}:path}}", value).replace(f"{{{name}}}", value)
    return path


@dataclass(frozen=True)
class Endpoint:
    path: str
    methods: frozenset[str]
    dependant: Dependant | None  # None for the framework's own pages (/docs, /openapi.json)


def endpoints(app: FastAPI) -> list[Endpoint]:
    """Every route of the app, the included routers' routes too (FastAPI ≥ 0.16x includes routers lazily)."""
    found = []
    for route in app.routes:
        if hasattr(route, "effective_route_contexts"):  # an included router
            for context in route.effective_route_contexts():
                found.append(Endpoint(context.path, frozenset(context.methods), context.dependant))
        elif isinstance(route, APIRoute):
            found.append(Endpoint(route.path, frozenset(route.methods), route.dependant))
        elif isinstance(route, Route):
            found.append(Endpoint(route.path, frozenset(route.methods or ()), None))
    return found


def routes_and_methods(app: FastAPI) -> Iterator[tuple[str, str]]:
    for endpoint in endpoints(app):
        for method in sorted(endpoint.methods | UNSAFE):
            yield concrete(endpoint.path), method


def payloads(source_graph: str) -> list[dict[str, Any]]:
    """Every shape a write can take: each must be refused (or ignored) without the token."""
    update = f"CLEAR ALL ; DROP GRAPH <{source_graph}> ; INSERT DATA {{ GRAPH <urn:g> {{ <urn:x> <urn:y> <urn:z> }} }}"
    records = "id,title,publisher,region\nw-1,古树名木保护表,上海市徐汇区绿化和市容管理局,上海市徐汇区\n".encode()
    turtle = b"<urn:x> <urn:y> <urn:z> ."
    return [
        {"params": {"update": update, "graph": source_graph}},
        {"params": {"query": update}},
        {"content": update, "headers": {"Content-Type": "application/sparql-update"}},
        {"data": {"update": update}},
        {"params": {"graph": source_graph}, "content": turtle, "headers": {"Content-Type": "text/turtle"}},
        {
            "params": {"graph": "xuhui-registered-resources"},
            "content": records,
            "headers": {"Content-Type": "text/csv"},
        },
    ]


def attack(client: TestClient, resources: Resources) -> list[tuple[str, str, int]]:
    """Every route × method × payload × bad credential; returns (method, path, status) of each attempt."""
    source_graph = str(resources.store.named_graphs()[-1])
    seen = []
    for path, method in routes_and_methods(client.app):  # type: ignore[arg-type]
        for payload in payloads(source_graph):
            for credentials in BAD_CREDENTIALS:
                headers = {**payload.get("headers", {}), **credentials}
                arguments = {key: value for key, value in payload.items() if key != "headers"}
                response = client.request(method, path, headers=headers, **arguments)
                seen.append((method, path, response.status_code))
    return seen


@pytest.fixture
def resources() -> Iterator[Resources]:
    made = build_resources(None)
    yield made
    made.close()


@pytest.mark.parametrize("token", [None, TOKEN], ids=["writes-disabled", "writes-enabled-but-not-given"])
def test_no_route_modifies_the_store_without_the_token(resources: Resources, tmp_path: Path, token: str | None) -> None:
    client = make_client(resources, tmp_path, write_token=SecretStr(token) if token else None)
    before = store_fingerprint(resources)

    attempts = attack(client, resources)

    assert store_fingerprint(resources) == before, "a request without the write token changed the store"
    assert len({(method, path) for method, path, _ in attempts}) >= 4 * len(endpoints(client.app))  # type: ignore[arg-type]
    assert not [attempt for attempt in attempts if attempt[2] == 500], "an attack attempt crashed the server"
    refused_writes = {(method, path) for method, path, status in attempts if status in (401, 403)}
    assert {("POST", "/import"), ("PUT", "/graph-store"), ("POST", "/graph-store"), ("DELETE", "/graph-store")} <= (
        refused_writes
    )


def test_the_same_attempts_with_the_token_do_write(resources: Resources, tmp_path: Path) -> None:
    """The control: the attack payloads are real writes, so the test above would notice one getting through."""
    client = make_client(resources, tmp_path, write_token=SecretStr(TOKEN))
    before = store_fingerprint(resources)
    update = payloads(str(resources.store.named_graphs()[-1]))[3]

    response = client.post("/sparql", **update, headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 204, response.text
    assert store_fingerprint(resources) != before


def _depends_on(dependant: Dependant, guard: object) -> bool:
    return any(sub.call is guard or _depends_on(sub, guard) for sub in dependant.dependencies)


def test_every_route_taking_an_unsafe_method_is_guarded_or_listed_with_a_reason(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path))
    found = endpoints(app)
    unguarded = [
        (endpoint.path, method)
        for endpoint in found
        for method in sorted(endpoint.methods & UNSAFE)
        if not (endpoint.dependant and _depends_on(endpoint.dependant, require_writer))
        and (endpoint.path, method) not in PUBLIC_UNSAFE_ROUTES
    ]

    assert unguarded == [], (
        "these routes accept a write method without depending on api.deps.require_writer (WriterDep); "
        "guard them, or add them to PUBLIC_UNSAFE_ROUTES with the reason they cannot write"
    )
    declared = {(endpoint.path, method) for endpoint in found for method in endpoint.methods}
    assert set(PUBLIC_UNSAFE_ROUTES) <= declared  # the list names routes that exist
    assert {("/import", "POST"), ("/graph-store", "PUT"), ("/graph-store", "DELETE")} <= declared
