"""``/catalog``: the catalogue as DCAT(-AP) for harvesters, paged with Hydra, and the full dump.

Each page (``?page=&per_page=``) is self-contained DCAT (graph/catalog_export.py) plus a
``hydra:PartialCollectionView`` with first/previous/next/last links and the collection's
``hydra:totalItems`` (Hydra Core §5.3); the same links go out as HTTP ``Link`` headers.
``modified_since=YYYY-MM-DD`` keeps recently changed datasets. Pages and the dump carry ETags;
a current ``If-None-Match`` gets 304. ``/catalog/dump`` is every named graph, gzip-compressed,
built once per catalogue version and then served from disk.
"""

from __future__ import annotations

import gzip
import threading
from datetime import date
from pathlib import Path
from typing import IO, Annotated, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse
from rdflib import Literal, URIRef

from api.deps import ResourcesDep, SettingsDep, public_base
from api.errors import NotFound
from api.negotiation import negotiate
from api.resources import Resources
from api.responses import etag_for, is_fresh, negotiated, not_modified, rdf_body
from graph.catalog_export import dataset_iris, page_triples
from graph.formats import RDF_SYNTAXES, RdfSyntax
from graph.store import Triple
from ontology.namespaces import HYDRA, RDF, XSD

router = APIRouter(tags=["Catalogue export"])

_dump_lock = threading.Lock()


def _datasets(resources: Resources, modified_since: date | None) -> list[URIRef]:
    """The paging order for this catalogue version (computed once per version and filter)."""
    key = (resources.version.value, modified_since)
    with resources.cache_lock:
        if key not in resources.listings:
            if len(resources.listings) > 16:
                resources.listings.clear()
            resources.listings[key] = dataset_iris(resources.store, modified_since)
        return resources.listings[key]


def _page_url(collection: str, page: int, per_page: int, extra: dict[str, str]) -> str:
    return f"{collection}?{urlencode({**extra, 'page': page, 'per_page': per_page})}"


def _hydra(collection: str, view: str, links: dict[str, str], total: int) -> list[Triple]:
    triples: list[Triple] = [
        (URIRef(collection), RDF.type, HYDRA.Collection),
        (URIRef(collection), HYDRA.totalItems, Literal(total, datatype=XSD.integer)),
        (URIRef(collection), HYDRA.view, URIRef(view)),
        (URIRef(view), RDF.type, HYDRA.PartialCollectionView),
    ]
    terms = {"first": HYDRA.first, "prev": HYDRA.previous, "next": HYDRA.next, "last": HYDRA.last}
    triples += [(URIRef(view), terms[relation], URIRef(url)) for relation, url in links.items()]
    return triples


@router.get("/catalog", summary="The catalogue as DCAT, one page of datasets at a time (Hydra paging)")
def catalog(
    request: Request,
    resources: ResourcesDep,
    settings: SettingsDep,
    page: Annotated[int, Query(ge=1, description="page number, from 1")] = 1,
    per_page: Annotated[int, Query(ge=1, le=1000, description="datasets per page")] = 100,
    modified_since: Annotated[date | None, Query(description="only datasets changed on or after this date")] = None,
    format: Annotated[str | None, Query(description="turtle, jsonld, rdfxml, ntriples, trig or nquads")] = None,
) -> Response:
    chosen = negotiate(request.headers.get("accept"), format, RDF_SYNTAXES)
    assert isinstance(chosen, RdfSyntax)
    etag = etag_for(resources.version.value, page, per_page, modified_since, chosen.name)
    if is_fresh(request, etag):
        return not_modified(etag, {"Vary": "Accept"})
    datasets = _datasets(resources, modified_since)
    last = max(1, -(-len(datasets) // per_page))
    if page > last:
        raise NotFound(f"page {page} does not exist: the catalogue has {last} page(s) of {per_page}", last_page=last)
    endpoint = public_base(request, settings) + "catalog"
    extra = {"modified_since": modified_since.isoformat()} if modified_since else {}
    collection = f"{endpoint}?{urlencode(extra)}" if extra else endpoint  # a filtered catalogue is its own collection
    links = {"first": _page_url(endpoint, 1, per_page, extra), "last": _page_url(endpoint, last, per_page, extra)}
    if page > 1:
        links["prev"] = _page_url(endpoint, page - 1, per_page, extra)
    if page < last:
        links["next"] = _page_url(endpoint, page + 1, per_page, extra)
    view = _page_url(endpoint, page, per_page, extra)
    chunk = datasets[(page - 1) * per_page : page * per_page]
    triples = page_triples(resources.store, chunk) + _hydra(collection, view, links, len(datasets))
    headers = {"Link": ", ".join(f'<{url}>; rel="{relation}"' for relation, url in links.items())}
    return negotiated(request, rdf_body(triples, chosen, {"hydra": str(HYDRA)}), chosen.media_type, etag, headers)


def _dump_file(resources: Resources, directory: Path, syntax: RdfSyntax) -> Path:
    """The gzip dump of this catalogue version, written once (atomically) and kept."""
    version = resources.version.value
    path = directory / f"kgcat-{version}{syntax.extension}.gz"
    with _dump_lock:
        if not path.exists():
            directory.mkdir(parents=True, exist_ok=True)
            for old in directory.glob("kgcat-*.gz"):
                old.unlink(missing_ok=True)
            partial = path.with_name(path.name + ".partial")
            with partial.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as handle:
                resources.store.export(cast(IO[bytes], handle), syntax)
            partial.replace(path)
    return path


@router.get("/catalog/dump", summary="Everything, gzip-compressed, for integrators (N-Quads by default)")
def dump(
    request: Request,
    resources: ResourcesDep,
    settings: SettingsDep,
    format: Annotated[
        str, Query(description="nquads or trig keep the named graphs; turtle etc. merge them")
    ] = "nquads",
) -> Response:
    syntax = negotiate(None, format, RDF_SYNTAXES)
    assert isinstance(syntax, RdfSyntax)
    etag = etag_for(resources.version.value, "dump", syntax.name)
    if is_fresh(request, etag):
        return not_modified(etag)
    path = _dump_file(resources, settings.dumps_dir, syntax)
    return FileResponse(
        path,
        media_type="application/gzip",
        filename=f"kgcat-catalogue{syntax.extension}.gz",
        headers={"ETag": etag, "X-Kgcat-Content-Type": syntax.media_type},
    )
