"""The HTTP API: ``create_app(settings)`` builds the FastAPI app; its lifespan opens the store and index.

Pages for people (docs/web.md): the search page ``/``, entity pages, the SPARQL page ``/query``.
Endpoints (docs/api.md): ``/sparql`` (SPARQL 1.1 Protocol), linked data under ``/id/``, ``/def/``,
``/graph/``, ``/catalog`` (DCAT, Hydra paging) and ``/catalog/dump``, ``/search``, ``/validate``
and ``/shapes``, the token-protected writes ``/import`` and ``/graph-store``, OpenAPI at ``/docs``.
Every error has the one JSON body of api/errors.py.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.resources import open_resources
from api.routes import catalog, home, linked_data, search, sparql, validation, web, writes
from api.settings import Settings
from api.stores import store_location
from api.url_guard import Utf8UrlGuard

logger = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    sys.setswitchinterval(settings.switch_interval_ms / 1000)  # see Settings.switch_interval_ms
    resources = open_resources(settings)
    app.state.resources = resources
    logger.info("serving %s (%d query worker(s))", store_location(settings), settings.query_workers)
    try:
        yield
    finally:
        del app.state.resources
        resources.close()


def create_app(settings: Settings) -> FastAPI:
    """The kgcat API over the catalogue that ``settings`` point at (opened when the app starts)."""
    app = FastAPI(
        title="kgcat",
        summary="A DCAT knowledge-graph catalogue of Chinese public data resources",
        description=(
            "SPARQL 1.1 endpoint, linked data, DCAT exports with Hydra paging, Chinese search, SHACL validation. "
            'Every error has one JSON body: `{"error": {status, code, title, message, details}}`.'
        ),
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(Utf8UrlGuard)
    for module in (home, web, sparql, linked_data, catalog, search, validation, writes):
        app.include_router(module.router)
    return app
