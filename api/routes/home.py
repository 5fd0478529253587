"""``/`` (a page for people, JSON for programs) and ``/health`` (what the server holds, for monitoring)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from api import html
from api.deps import ResourcesDep
from api.negotiation import HTML, negotiate
from api.responses import etag_for, negotiated
from graph.catalogue import catalogue_stats

router = APIRouter(tags=["Service"])

JSON = "application/json"
LINKS = {
    "search": "/search?q=",
    "sparql": "/sparql",
    "catalog": "/catalog",
    "dump": "/catalog/dump",
    "validate": "/validate",
    "shapes": "/shapes",
    "docs": "/docs",
}


@router.get("/", summary="What this server offers: a page for people, links and counts as JSON")
async def home(request: Request, resources: ResourcesDep) -> Response:
    chosen = negotiate(request.headers.get("accept"), request.query_params.get("format"), (HTML, JSON))
    etag = etag_for(resources.version.value, "home", chosen)
    stats = await run_in_threadpool(catalogue_stats, resources.store)
    if chosen == HTML:
        return negotiated(request, html.home_page(stats.rows()).encode("utf-8"), HTML, etag)
    body = {"links": LINKS, "counts": dict(stats.rows())}
    return negotiated(request, json.dumps(body, ensure_ascii=False).encode("utf-8"), JSON, etag)


@router.get("/health", summary="Liveness, the catalogue version and whether the search index matches it")
def health(resources: ResourcesDep) -> dict[str, Any]:
    return {
        "status": "ok",
        "content_version": resources.version.value,
        "search": "ok" if resources.ranker is not None else str(resources.search_problem or "unavailable"),
        "search_index_graph_version": resources.index_version,
    }
