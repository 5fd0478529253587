"""Pages for people that are not representations of a resource: the SPARQL page and the style sheet.

``/query`` is the researchers' SPARQL page (api/html/sparql_page.py): ``GET /query`` shows the
form and example queries, ``GET /query?query=…`` also runs the query through the same runner
and limits as ``/sparql`` and shows the answer as a table. A query that fails is shown on the
page with its message (status 400, or 503 for a timeout) rather than as the JSON error body,
so the researcher keeps the form and can correct the query.
"""

from __future__ import annotations

from http import HTTPStatus

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from api import html
from api.deps import RunnerDep, SettingsDep, public_base
from api.errors import STATUS_OF
from api.negotiation import by_name
from api.routes.linked_data import local_href
from graph.errors import QueryError
from graph.formats import RDF_SYNTAXES, RESULTS_SYNTAXES
from graph.query_runner import QueryRequest

router = APIRouter(tags=["Pages"])

MAX_QUERY_CHARS = 100_000
_JSON_RESULTS = by_name("json", RESULTS_SYNTAXES)
_TURTLE = by_name("turtle", RDF_SYNTAXES)


@router.get("/query", summary="The SPARQL page for people: example queries, a form, results as a table")
async def query_page(
    request: Request,
    runner: RunnerDep,
    settings: SettingsDep,
    query: str = Query("", max_length=MAX_QUERY_CHARS, description="a SPARQL query to run and show"),
) -> Response:
    endpoint = public_base(request, settings) + "sparql"
    href = local_href(settings)
    headers = {"Cache-Control": "no-cache"}
    if not query.strip():
        return Response(
            html.sparql_page(endpoint, "", None, href), media_type="text/html; charset=utf-8", headers=headers
        )
    assert _JSON_RESULTS is not None and _TURTLE is not None
    try:
        answer = await run_in_threadpool(runner.run, QueryRequest(query, _JSON_RESULTS, _TURTLE, base_iri=endpoint))
    except QueryError as problem:
        status = next((code for kind, code, _ in STATUS_OF if isinstance(problem, kind)), HTTPStatus.BAD_REQUEST)
        page = html.sparql_page(endpoint, query, None, href, error=str(problem))
        return Response(page, status_code=status, media_type="text/html; charset=utf-8", headers=headers)
    page = html.sparql_page(endpoint, query, answer, href)
    return Response(page, media_type="text/html; charset=utf-8", headers=headers)


@router.get("/static/kgcat.css", summary="The pages' style sheet", include_in_schema=False)
def style_sheet() -> Response:
    return Response(html.style_sheet(), media_type="text/css; charset=utf-8", headers={"Cache-Control": "max-age=3600"})
