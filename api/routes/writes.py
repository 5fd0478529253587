"""Writes, all behind the write token: imports through the validation gate, and the Graph Store Protocol.

``POST /import?graph=KEY`` imports records, documents or RDF exactly as ``kgcat import`` does (same gate,
same report): 201 when the source is new, 200 when it replaced an earlier version, 304 when the
same content was posted before (nothing written). ``/graph-store?graph=IRI`` implements the
SPARQL 1.1 Graph Store HTTP Protocol on named graphs (GET, PUT, POST, DELETE); blank nodes of
uploaded RDF are skolemised as in imports. Every write makes the query workers reopen their
snapshot and changes the ETags.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from rdflib import BNode, URIRef

from api.deps import ResourcesDep, SettingsDep, WriterDep, read_body
from api.errors import BadRequest, NotFound, UnsupportedMediaType
from api.negotiation import PLAIN_RDF, negotiate
from api.resources import Resources
from api.responses import etag_for, rdf_body
from api.routes.linked_data import local_href
from api.uploads import body_file, source_key
from graph.catalogue import import_source
from graph.formats import RDF_SUFFIXES, RdfSyntax
from graph.importer import ImportOptions, ImportReport, ImportStatus, InvalidPolicy
from graph.mapping import CatalogDefaults
from graph.rdf_import import parse_rdf_file
from graph.store import Triple

router = APIRouter(tags=["Writes (token)"])

STATUS_CODES = {ImportStatus.CREATED: 201, ImportStatus.UPDATED: 200}


@router.post("/import", summary="Import records or RDF as one source graph, through the validation gate")
async def import_endpoint(
    request: Request,
    _: WriterDep,
    resources: ResourcesDep,
    settings: SettingsDep,
    graph: Annotated[
        str | None, Query(description="ASCII key of the source; re-posting under it replaces the source")
    ] = None,
    region: Annotated[str | None, Query(description="region for records that name none, e.g. 上海市徐汇区")] = None,
    catalog: Annotated[str | None, Query(description="ASCII catalogue key for records that name none")] = None,
    catalog_title: Annotated[str | None, Query(description="catalogue title for records that name none")] = None,
    on_invalid: Annotated[
        InvalidPolicy, Query(description="skip: write the conforming records; strict")
    ] = InvalidPolicy.SKIP,
    accept_invalid: Annotated[bool, Query(description="RDF: write even if core shapes are broken")] = False,
) -> Response:
    key = source_key(graph)
    body = await read_body(request, settings.max_upload_bytes)
    options = ImportOptions(
        defaults=CatalogDefaults(region, catalog, catalog_title),
        policy=on_invalid,
        graph_key=key,
        accept_invalid=accept_invalid,
    )

    def run() -> ImportReport:
        with body_file(body, request.headers.get("content-type"), key, documents=True) as path, resources.write_lock:
            try:
                report = import_source(resources.store, path, resources.minter, options)
            except BaseException:
                resources.written()  # a write that failed half-way was rolled back: readers must reopen
                raise
            if report.status is not ImportStatus.UNCHANGED:
                resources.written()
            return report

    report = await run_in_threadpool(run)
    etag = etag_for(report.graph, resources.store.source_hash(URIRef(report.graph)))
    headers = {"ETag": etag, "Location": local_href(settings)(report.graph)}
    if report.status is ImportStatus.UNCHANGED:
        return Response(status_code=304, headers=headers)
    return JSONResponse(report.to_json(), status_code=STATUS_CODES[report.status], headers=headers)


def _graph_iri(graph: str | None, default: str | None) -> URIRef:
    if default is not None:
        raise BadRequest("kgcat keeps every source in its own named graph; name one with ?graph=IRI")
    if not graph or not graph.startswith(("http://", "https://", "urn:")):
        raise BadRequest("name the graph with ?graph=IRI (an absolute http(s) or urn: IRI)")
    return URIRef(graph)


def _parse_upload(body: bytes, content_type: str | None, resources: Resources) -> list[Triple]:
    with body_file(body, content_type, "graph") as path:
        if path.suffix not in RDF_SUFFIXES:
            raise UnsupportedMediaType("the Graph Store takes RDF bodies (Turtle, JSON-LD, RDF/XML, N-Triples)")
        parsed, _ = parse_rdf_file(path)
    has_blank = any(isinstance(node, BNode) for triple in parsed for node in triple)
    data = parsed.skolemize(basepath=resources.minter.genid_base()) if has_blank else parsed
    return list(data)


@router.get("/graph-store", summary="Graph Store Protocol: read one named graph")
def graph_get(
    request: Request,
    _: WriterDep,
    resources: ResourcesDep,
    graph: Annotated[str | None, Query()] = None,
    default: Annotated[str | None, Query()] = None,
    format: Annotated[str | None, Query()] = None,
) -> Response:
    iri = _graph_iri(graph, default)
    if iri not in resources.store.named_graphs():
        raise NotFound(f"no named graph <{iri}> in the store", graph=str(iri))
    syntax = negotiate(request.headers.get("accept"), format, PLAIN_RDF)
    assert isinstance(syntax, RdfSyntax)
    body = rdf_body(resources.store.triples(iri), syntax)
    return Response(body, media_type=syntax.media_type, headers={"Vary": "Accept"})


async def _write_graph(request: Request, resources: Resources, iri: URIRef, *, merge: bool, limit: int) -> Response:
    body = await read_body(request, limit)
    triples = await run_in_threadpool(_parse_upload, body, request.headers.get("content-type"), resources)

    def run() -> bool:
        with resources.writing():
            existed = iri in resources.store.named_graphs()
            kept = list(resources.store.triples(iri)) if merge and existed else []
            resources.store.replace_graph(iri, [*kept, *triples])
            return existed

    existed = await run_in_threadpool(run)
    return Response(status_code=204 if existed else 201)


@router.put("/graph-store", summary="Graph Store Protocol: replace one named graph", status_code=204)
async def graph_put(
    request: Request,
    _: WriterDep,
    resources: ResourcesDep,
    settings: SettingsDep,
    graph: Annotated[str | None, Query()] = None,
    default: Annotated[str | None, Query()] = None,
) -> Response:
    return await _write_graph(
        request, resources, _graph_iri(graph, default), merge=False, limit=settings.max_upload_bytes
    )


@router.post("/graph-store", summary="Graph Store Protocol: add triples to one named graph", status_code=204)
async def graph_post(
    request: Request,
    _: WriterDep,
    resources: ResourcesDep,
    settings: SettingsDep,
    graph: Annotated[str | None, Query()] = None,
    default: Annotated[str | None, Query()] = None,
) -> Response:
    return await _write_graph(
        request, resources, _graph_iri(graph, default), merge=True, limit=settings.max_upload_bytes
    )


@router.delete("/graph-store", summary="Graph Store Protocol: remove one named graph", status_code=204)
def graph_delete(
    _: WriterDep, resources: ResourcesDep, graph: str | None = Query(None), default: str | None = Query(None)
) -> Response:
    iri = _graph_iri(graph, default)
    with resources.writing():
        removed = resources.store.remove_graph(iri)
    if not removed:
        raise NotFound(f"no named graph <{iri}> in the store", graph=str(iri))
    return Response(status_code=204)
