"""``/``: the citizens' search page (HTML) or what the server offers (JSON); ``/health`` for monitoring.

The search page is a GET form: ``/?q=充电桩+数据&type=Dataset&publisher=…&domain=…&access=…``
(``type`` repeats; it takes the keys of ``/search`` or their Chinese names). It asks the same
ranker as ``/search`` and shows its results, snippets and facets (api/html/search_page.py).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from api import html
from api.deps import ResourcesDep, SettingsDep
from api.negotiation import HTML, negotiate
from api.resources import Resources
from api.responses import etag_for, negotiated
from api.routes.linked_data import local_href
from api.settings import Settings
from graph.catalogue import catalogue_stats
from search.entities import TYPE_LABELS

router = APIRouter(tags=["Service"])

JSON = "application/json"
LINKS = {
    "search": "/search?q=",
    "sparql": "/sparql",
    "query_page": "/query",
    "catalog": "/catalog",
    "dump": "/catalog/dump",
    "validate": "/validate",
    "shapes": "/shapes",
    "docs": "/docs",
}
MAX_QUERY_CHARS = 500


def search_form(request: Request) -> tuple[html.SearchForm, list[str]]:
    """The page's query and filters from the URL, and the ``type`` values it does not know."""
    params = request.query_params
    by_label = {label: key for key, label in TYPE_LABELS.items()}
    types: list[str] = []
    unknown: list[str] = []
    for value in params.getlist("type"):
        key = value if value in TYPE_LABELS else by_label.get(value)
        if key is None:
            unknown.append(value)
        elif key not in types:
            types.append(key)
    form = html.SearchForm(
        q=params.get("q", "").strip()[:MAX_QUERY_CHARS],
        types=tuple(types),
        publisher=params.get("publisher", "").strip(),
        domain=params.get("domain", "").strip(),
        access=params.get("access", "").strip(),
    )
    return form, unknown


def _search_page(request: Request, resources: Resources, settings: Settings) -> str:
    form, unknown = search_form(request)
    notice = f"不认识的类型已忽略:{'、'.join(unknown)}(可选:{'、'.join(TYPE_LABELS.values())})" if unknown else None
    href = local_href(settings)
    if not form.asked:
        return html.search_page(form, None, href, stats=catalogue_stats(resources.store).rows(), notice=notice)
    if resources.ranker is None:
        problem = str(resources.search_problem or "this server has no search index; run `kgcat index` and restart")
        return html.search_page(form, None, href, problem=problem, notice=notice)
    response = resources.ranker.search(form.q, html.RESULTS_PER_PAGE, form.filters())
    return html.search_page(form, response, href, notice=notice)


@router.get("/", summary="The search page for people (HTML: ?q=…&type=…), or links and counts as JSON")
async def home(request: Request, resources: ResourcesDep, settings: SettingsDep) -> Response:
    chosen = negotiate(request.headers.get("accept"), request.query_params.get("format"), (HTML, JSON))
    etag = etag_for(resources.version.value, resources.index_version, "home", chosen, request.url.query)
    if chosen == HTML:
        page = await run_in_threadpool(_search_page, request, resources, settings)
        return negotiated(request, page.encode("utf-8"), HTML, etag)
    stats = await run_in_threadpool(catalogue_stats, resources.store)
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
