"""Fuzzing the HTTP API from its own OpenAPI description with schemathesis, for a bounded number of examples.

Every operation of ``/openapi.json`` gets generated parameters and bodies, valid and invalid
ones (schemathesis' positive and negative modes), sent with the write
token so the writes are exercised too. No response may be a 500, and every error must be the
API's one JSON error body. The number of examples per operation is fixed (:data:`EXAMPLES`),
which keeps the whole run near a minute here. The schema is read from the app when this module
is imported (schemathesis needs it to parametrise); the catalogue behind the app is built on
the first request.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import schemathesis
from api_helpers import ERROR_KEYS, TOKEN, build_resources
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, reject, settings
from pydantic import SecretStr
from starlette.testclient import httpx as client_library  # httpx or httpx2: the one the TestClient sends with

from api.app import create_app
from api.deps import get_resources
from api.resources import Resources
from api.settings import Settings

pytestmark = pytest.mark.slow

EXAMPLES = 30
PAGES = frozenset({"/", "/query"})
"""The operations that are web pages (api/routes/web.py): HTML, errors included."""
"""Examples per operation (about 15 operations)."""

_built: list[Resources] = []
_data_dir = Path(tempfile.mkdtemp(prefix="kgcat-fuzz-"))


def _resources() -> Resources:
    if not _built:
        _built.append(build_resources(None))
    return _built[0]


@asynccontextmanager
async def _no_lifespan(app: object) -> AsyncIterator[None]:
    yield  # the resources come from the dependency override, not from an on-disk store


app = create_app(Settings(data_dir=_data_dir, write_token=SecretStr(TOKEN)))
app.dependency_overrides[get_resources] = _resources
app.router.lifespan_context = _no_lifespan
GENERATION = schemathesis.Config.from_dict({"generation": {"mode": "all"}})
"""Valid requests and invalid ones (wrong types, missing parameters: schemathesis' negative mode)."""
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=GENERATION)


@pytest.fixture(scope="module")
def fuzzed_client() -> Iterator[TestClient]:
    yield TestClient(app, raise_server_exceptions=False)
    for resources in _built:
        resources.close()
    shutil.rmtree(_data_dir, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_operation_answers_500_and_every_error_has_the_one_body(
    case: schemathesis.Case, fuzzed_client: TestClient
) -> None:
    request = case.as_transport_kwargs(base_url="http://testserver", headers={"Authorization": f"Bearer {TOKEN}"})
    for unused in ("follow_redirects", "cookies"):  # the API reads no cookies; httpx deprecates per-request ones
        request.pop(unused, None)
    try:
        response = fuzzed_client.request(**request)
    except client_library.InvalidURL:
        reject()  # a URL past 64 KiB, which no HTTP client sends (the server's request limits are tested apart)

    assert response.status_code != 500, f"{case.method} {case.formatted_path}: {response.text[:500]}"
    if response.status_code >= 400 and response.headers["content-type"].startswith("text/html"):
        # the pages for people (/, /query) show their errors on the page itself
        assert case.path in PAGES, f"{case.method} {case.formatted_path}: an HTML error from an API operation"
        assert '<html lang="zh-CN">' in response.text
    elif response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS, response.text[:500]
        assert body["error"]["status"] == response.status_code


def test_the_fuzzed_schema_covers_the_main_operations() -> None:
    operations = {(result.ok().method.upper(), result.ok().path) for result in schema.get_all_operations()}

    assert {("GET", "/sparql"), ("POST", "/import"), ("PUT", "/graph-store"), ("POST", "/validate")} <= operations
