"""The API's dependencies, as ``Annotated`` aliases; tests override them instead of monkeypatching.

``get_settings`` and ``get_resources`` are the two roots: the settings given to
``create_app``, and what its lifespan opened. The write guard (:func:`require_writer`) is the
one place the bearer token is checked; :func:`read_body` is the one place a request body is
read, within a size limit (413 past it).
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from api.errors import BadRequest, Forbidden, PayloadTooLarge, ServiceUnavailable, Unauthorized
from api.resources import Resources
from api.settings import Settings
from graph.query_runner import QueryRunner
from graph.store import Store
from search.ranker_process import Ranker


def get_settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_resources(request: Request) -> Resources:
    resources = getattr(request.app.state, "resources", None)
    if not isinstance(resources, Resources):
        raise ServiceUnavailable("the server has not finished starting (the store is not open yet); try again")
    return resources


ResourcesDep = Annotated[Resources, Depends(get_resources)]


def get_store(resources: ResourcesDep) -> Store:
    return resources.store


def get_runner(resources: ResourcesDep) -> QueryRunner:
    return resources.runner


def get_ranker(resources: ResourcesDep) -> Ranker:
    if resources.ranker is None:
        problem = resources.search_problem
        if problem is not None:
            raise problem
        raise ServiceUnavailable("search is not available on this server; run `kgcat index` and restart")
    return resources.ranker


StoreDep = Annotated[Store, Depends(get_store)]
RunnerDep = Annotated[QueryRunner, Depends(get_runner)]
RankerDep = Annotated[Ranker, Depends(get_ranker)]


def require_writer(request: Request, settings: SettingsDep) -> None:
    """Let the request through only with the configured bearer token (403 when writes are disabled)."""
    if settings.write_token is None:
        raise Forbidden(
            "writes are disabled on this server: an operator enables them by setting KGCAT_WRITE_TOKEN, "
            "then clients send `Authorization: Bearer <token>`"
        )
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("this operation needs the write token: send `Authorization: Bearer <token>`")
    if not secrets.compare_digest(token.strip().encode(), settings.write_token.get_secret_value().encode()):
        raise Forbidden("the write token is not valid for this server")


WriterDep = Annotated[None, Depends(require_writer)]


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes (checked before and while reading)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise BadRequest(f"Content-Length {declared!r} is not a number")
        if int(declared) > limit:
            raise PayloadTooLarge(
                f"the request body ({declared} bytes) exceeds this endpoint's limit of {limit} bytes", limit=limit
            )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the request body exceeds this endpoint's limit of {limit} bytes", limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


def public_base(request: Request, settings: Settings) -> str:
    """The server's public URL, ending with '/': the setting, else the URL the request came to."""
    base = settings.public_base_url or str(request.base_url)
    return base if base.endswith("/") else base + "/"
