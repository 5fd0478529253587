"""Linked data: every IRI the catalogue mints dereferences here, in HTML and every RDF syntax.

An IRI under the configured base maps to the request path: with base
``https://kgcat.example.org/``, ``GET /id/dataset/shanghai-xuhui/abc`` describes
``<https://kgcat.example.org/id/dataset/shanghai-xuhui/abc>``. The profile's vocabulary and
concept schemes live under the fixed ``https://kgcat.example.org/def/`` and are served at
``/def/…``. Content negotiation picks HTML or an RDF syntax (406 otherwise); responses carry
``Link: rel=alternate`` headers, an ETag, and 404 with hints for unknown IRIs.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from rdflib import URIRef

from api import html
from api.deps import ResourcesDep, SettingsDep
from api.errors import NotFound
from api.negotiation import HTML, PLAIN_RDF, Offer, media_type_of, negotiate
from api.resources import Resources
from api.responses import alternate_links, etag_for, is_fresh, negotiated, not_modified, rdf_body
from api.settings import Settings
from graph.describe import Description, describe
from graph.explain import mentions
from graph.formats import RdfSyntax
from graph.related import co_mentioned
from graph.sources import vocabulary_graph
from graph.sparql_text import is_safe_iri
from ontology import VOCABULARY_BASE

router = APIRouter(tags=["Linked data"])

FormatQuery = Query(None, description="turtle, jsonld, rdfxml, ntriples or html (instead of Accept)")


def local_href(settings: Settings) -> html.Href:
    """A function giving, for an IRI, its path on this server when the server describes it, else the IRI."""

    def href(iri: str) -> str:
        if iri.startswith(VOCABULARY_BASE):
            return "/def/" + iri[len(VOCABULARY_BASE) :]
        if iri.startswith(settings.base_iri):
            return "/" + iri[len(settings.base_iri) :]
        return iri

    return href


def _not_found(iri: URIRef, path: str) -> NotFound:
    tail = path.rstrip("/").rsplit("/", 1)[-1]
    return NotFound(
        f"this catalogue has nothing about <{iri}>. Check the address, search with /search?q=…, "
        "or browse the catalogue at /catalog",
        iri=str(iri),
        search=f"/search?q={tail}",
        catalogue="/catalog",
        sparql="/sparql",
    )


def _entity_page(description: Description, path: str, resources: Resources, settings: Settings) -> str:
    iri = description.iri
    view = html.EntityView(
        description,
        downloads=[(syntax.name, f"{path}?format={syntax.name}") for syntax in PLAIN_RDF],
        mentions=mentions(resources.store, iri),
        co_mentions=co_mentioned(resources.store, iri),
    )
    return html.entity_page(view, local_href(settings))


def _dereference(
    request: Request, iri: URIRef, format_name: str | None, resources: Resources, settings: Settings
) -> Response:
    """Runs on the event loop (the routes are ``async``): a description is a few index lookups (0.6–1.5 ms of
    CPU at 90k, bench/describe_speed.py), less than a hop to the thread pool and back costs under load
    (dereference p99 at 90k under the mixed load: 108 → 84 ms, bench/RESULTS.md)."""
    offers: list[Offer] = [HTML, *PLAIN_RDF]
    chosen = negotiate(request.headers.get("accept"), format_name, offers)
    path = request.url.path
    links = {"Link": alternate_links(path, PLAIN_RDF, [("canonical", str(iri))])}
    etag = etag_for(resources.version.value, iri, chosen)
    if is_fresh(request, etag):
        return not_modified(etag, {"Vary": "Accept", **links})

    def make() -> bytes:
        if not is_safe_iri(str(iri)):  # a path with spaces, quotes or brackets names nothing this server mints
            raise _not_found(iri, path)
        members_of = vocabulary_graph(resources.minter) if str(iri).startswith(VOCABULARY_BASE) else None
        description = describe(
            resources.store, iri, members_of=members_of, referrers=chosen == HTML, labels=resources.labels
        )
        if not description.found:
            raise _not_found(iri, path)
        if chosen == HTML:
            return _entity_page(description, path, resources, settings).encode("utf-8")
        assert isinstance(chosen, RdfSyntax)
        return rdf_body(description.triples, chosen)

    body = resources.representation(etag, make)
    return negotiated(request, body, media_type_of(chosen), etag, links)


@router.get("/id/{path:path}", summary="Describe a catalogue entity (dataset, department, concept …)")
async def entity(
    path: str, request: Request, resources: ResourcesDep, settings: SettingsDep, format: str | None = FormatQuery
) -> Response:
    return _dereference(request, URIRef(f"{settings.base_iri}id/{path}"), format, resources, settings)


@router.get("/graph/{path:path}", summary="Describe a source graph (what was imported, when, its hash)")
async def source_graph(
    path: str, request: Request, resources: ResourcesDep, settings: SettingsDep, format: str | None = FormatQuery
) -> Response:
    return _dereference(request, URIRef(f"{settings.base_iri}graph/{path}"), format, resources, settings)


@router.get("/.well-known/genid/{path:path}", summary="Describe a skolemised node of imported RDF")
async def skolem_node(
    path: str, request: Request, resources: ResourcesDep, settings: SettingsDep, format: str | None = FormatQuery
) -> Response:
    return _dereference(request, URIRef(f"{settings.base_iri}.well-known/genid/{path}"), format, resources, settings)


@router.get("/def/{path:path}", summary="Describe a term, concept or scheme of the DCAT-AP-CN vocabulary")
async def vocabulary_term(
    path: str, request: Request, resources: ResourcesDep, settings: SettingsDep, format: str | None = FormatQuery
) -> Response:
    return _dereference(request, URIRef(f"{VOCABULARY_BASE}{path}"), format, resources, settings)
