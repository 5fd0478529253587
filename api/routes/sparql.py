"""``/sparql``: the SPARQL 1.1 Protocol endpoint (query for everyone, update with the write token).

Queries run through the query runner (graph/query_runner.py) with the configured timeout and
row cap; a request that hits either gets an explicit error, never a cut result. Updates run on
the store in this process, one at a time, and make the query workers reopen their snapshot.
GET without a query returns the service description (HTML form for browsers).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from api import html
from api.deps import ResourcesDep, RunnerDep, SettingsDep, public_base, read_body, require_writer
from api.errors import BadRequest, PayloadTooLarge
from api.negotiation import HTML, PLAIN_RDF, Offer, by_name, choose, negotiate
from api.resources import Resources
from api.responses import etag_for, negotiated, rdf_body
from api.routes.linked_data import local_href
from api.settings import Settings
from api.sparql_protocol import QueryOperation, UpdateOperation, parse_get, parse_post, service_description
from graph.formats import RESULTS_SYNTAXES, RdfSyntax, ResultsSyntax
from graph.query_runner import QueryRefused, QueryRequest, QueryRunner
from graph.sparql_text import GRAPH_FORMS, has_dataset_clause, query_form, refused_features, with_using

router = APIRouter(tags=["SPARQL"])


def _formats(request: Request, format_name: str | None, form: str | None) -> tuple[ResultsSyntax, RdfSyntax]:
    """The results and RDF syntaxes to answer in; 406 when none fits this query's form."""
    accept = request.headers.get("accept")
    if form in GRAPH_FORMS:
        return RESULTS_SYNTAXES[0], negotiate(accept, format_name, PLAIN_RDF)
    if form is not None:
        return negotiate(accept, format_name, RESULTS_SYNTAXES), PLAIN_RDF[0]
    # not a recognisable query: the engine will report the syntax error; any formats will do
    results = by_name(format_name, RESULTS_SYNTAXES) if format_name else choose(accept, RESULTS_SYNTAXES)
    return results or RESULTS_SYNTAXES[0], PLAIN_RDF[0]


async def _query(request: Request, operation: QueryOperation, runner: QueryRunner, settings: Settings) -> Response:
    format_name = request.query_params.get("format")
    results, rdf = _formats(request, format_name, query_form(operation.text))
    endpoint = public_base(request, settings) + "sparql"
    query = QueryRequest(operation.text, results, rdf, operation.dataset, base_iri=endpoint)
    answer = await run_in_threadpool(runner.run, query)
    headers = {"Vary": "Accept", "X-Kgcat-Result-Count": str(answer.count), "Cache-Control": "no-cache"}
    charset = "; charset=utf-8" if answer.media_type != "application/n-triples" else ""
    return Response(answer.body, media_type=answer.media_type + charset, headers=headers)


def _update(request: Request, operation: UpdateOperation, resources: Resources, settings: Settings) -> Response:
    refused = refused_features(operation.text, allow_service=settings.allow_service, allow_load=settings.allow_service)
    if refused:
        raise QueryRefused(refused)
    if (operation.using or operation.using_named) and has_dataset_clause(operation.text):
        raise BadRequest(
            "the update names its dataset (USING/WITH) and the request also gives using-graph-uri/"
            "using-named-graph-uri; use one or the other (SPARQL 1.1 Protocol §2.2.3)"
        )
    text = with_using(operation.text, operation.using, operation.using_named)
    with resources.writing():
        resources.store.update(text, base_iri=public_base(request, settings) + "sparql")
    return Response(status_code=204)


def _description(request: Request, resources: Resources, settings: Settings) -> Response:
    endpoint = public_base(request, settings) + "sparql"
    offers: list[Offer] = [*PLAIN_RDF, HTML]
    chosen = negotiate(request.headers.get("accept"), request.query_params.get("format"), offers)
    etag = etag_for(resources.version.value, "sd", chosen, settings.write_token is not None)
    if chosen == HTML:
        page = html.sparql_page(endpoint, "", None, local_href(settings))
        return negotiated(request, page.encode("utf-8"), HTML, etag)
    assert isinstance(chosen, RdfSyntax)
    triples = service_description(
        endpoint,
        resources.store.named_graphs(),
        writable=settings.write_token is not None,
        federation=settings.allow_service,
    )
    return negotiated(request, rdf_body(triples, chosen), chosen.media_type, etag)


@router.get("/sparql", summary="SPARQL query (GET), or the service description when no query is given")
async def sparql_get(request: Request, runner: RunnerDep, settings: SettingsDep, resources: ResourcesDep) -> Response:
    operation = parse_get(request.query_params.multi_items())
    if operation is None:
        return _description(request, resources, settings)
    return await _query(request, operation, runner, settings)


@router.post(
    "/sparql",
    summary="SPARQL query (form or application/sparql-query) or update (with the write token)",
    status_code=200,
)
async def sparql_post(request: Request, runner: RunnerDep, settings: SettingsDep, resources: ResourcesDep) -> Response:
    authorised = request.headers.get("authorization") is not None and settings.write_token is not None
    body = await read_body(request, settings.max_upload_bytes if authorised else settings.max_request_bytes)
    operation = parse_post(request.headers.get("content-type"), body, request.query_params.multi_items())
    if isinstance(operation, UpdateOperation):
        require_writer(request, settings)
        return await run_in_threadpool(_update, request, operation, resources, settings)
    if len(body) > settings.max_request_bytes:  # a query gets the public limit, whoever sends it
        raise PayloadTooLarge(
            f"the query body exceeds this endpoint's limit of {settings.max_request_bytes} bytes",
            limit=settings.max_request_bytes,
        )
    return await _query(request, operation, runner, settings)
