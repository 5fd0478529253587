"""Fixtures of the HTTP API tests (helpers in api_helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_helpers import TOKEN, build_resources, make_client
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.resources import Resources


@pytest.fixture(scope="module")
def shared_resources(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Resources]:
    resources = build_resources(tmp_path_factory.mktemp("index") / "index")
    yield resources
    resources.close()


@pytest.fixture(scope="module")
def client(shared_resources: Resources, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """A read-only client (no write token configured) over the shared catalogue."""
    return make_client(shared_resources, tmp_path_factory.mktemp("data"))


@pytest.fixture
def fresh_resources(tmp_path: Path) -> Iterator[Resources]:
    resources = build_resources(None)
    yield resources
    resources.close()


@pytest.fixture
def writer(fresh_resources: Resources, tmp_path: Path) -> TestClient:
    """A client over a fresh catalogue, on a server with the write token configured."""
    return make_client(fresh_resources, tmp_path, write_token=SecretStr(TOKEN))
