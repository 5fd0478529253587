"""Helpers of the HTTP API tests: the app over an in-memory catalogue, through dependency overrides.

The catalogue is built with ``build_catalogue`` into an in-memory store; the search index is
built with the deterministic :class:`HashingEncoder` into a temporary directory. ``create_app``
gets its settings as in production; ``get_resources`` is overridden so the lifespan (which would
open the on-disk store) never runs. Read-only tests share one module-scoped app; tests that write
get a fresh catalogue each (a copy of the catalogue built once per session).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi.testclient import TestClient
from rdflib import Graph

from api.app import create_app
from api.deps import get_resources
from api.resources import Resources
from api.settings import Settings
from graph.catalogue import build_catalogue
from graph.importer import ImportOptions
from graph.iris import IriMinter
from graph.query_runner import InProcessRunner, QueryLimits
from graph.store import OxigraphStore
from graph.terms import from_ox
from search.catalogue_index import build_catalogue_index, open_catalogue_index
from search.testing import HashingEncoder

TOKEN = "test-write-token"
ERROR_KEYS = {"status", "code", "title", "message", "details"}

ClientFactory = Callable[..., TestClient]


@functools.cache
def _catalogue_quads() -> tuple[ox.Quad, ...]:
    """The bundled catalogue, built once per test session."""
    store = OxigraphStore(None)
    build_catalogue(store, IriMinter(), ImportOptions())
    return tuple(store.native)


def build_resources(index_dir: Path | None, limits: QueryLimits | None = None, *, empty: bool = False) -> Resources:
    """Resources over a fresh in-memory copy of the bundled catalogue (or an empty store)."""
    store = OxigraphStore(None)
    if not empty:
        store.native.extend(_catalogue_quads())
    minter = IriMinter()
    resources = Resources(store, InProcessRunner(store.native, limits or QueryLimits()), minter)
    if index_dir is not None:
        encoder = HashingEncoder(dimension=64)
        build_catalogue_index(store, encoder, index_dir)
        resources.ranker, resources.index_version = open_catalogue_index(index_dir, encoder)
    return resources


def make_client(resources: Resources, data_dir: Path, **settings: Any) -> TestClient:
    app = create_app(Settings(data_dir=data_dir, **settings))
    app.dependency_overrides[get_resources] = lambda: resources
    return TestClient(app, raise_server_exceptions=False)


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is the one JSON error body with this status (and code); returns its ``error`` object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == ERROR_KEYS, error
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    if code is not None:
        assert error["code"] == code, error
    return dict(error)


def store_fingerprint(resources: Resources) -> str:
    """A hash of every quad in the store: equal before and after means nothing was written."""
    quads = sorted(str(quad) for quad in resources.store.native)
    return f"{len(quads)} quads, sha256 " + hashlib.sha256("\n".join(quads).encode()).hexdigest()


def parse_rdf(data: bytes, media_type: str) -> Graph:
    """Parse a response body with pyoxigraph (rdflib's JSON-LD parser warns), as an rdflib graph of all its quads."""
    graph = Graph()
    fmt = ox.RdfFormat.from_media_type(media_type.split(";")[0])
    assert fmt is not None, media_type
    for quad in ox.parse(data, format=fmt):
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return graph
