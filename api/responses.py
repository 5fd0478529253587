"""Building responses that share rules: negotiated RDF, ETags and 304, alternate links.

An ETag is a hash of the store's content version and of everything else the representation
depends on (path, query parameters, media type), so it changes whenever the catalogue does;
``If-None-Match`` with a current ETag gets 304 and no body (RFC 9110 §13.1.2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from fastapi import Request, Response

from graph.formats import RdfSyntax, serialize_triples
from graph.store import Triple
from ontology.namespaces import PREFIXES


def etag_for(*parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode("utf-8")).hexdigest()[:24]
    return f'"{digest}"'


def is_fresh(request: Request, etag: str) -> bool:
    """True when the client's ``If-None-Match`` already names ``etag`` (or ``*``)."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


def not_modified(etag: str, headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=304, headers={"ETag": etag, **(headers or {})})


def alternate_links(url: str, offers: Sequence[RdfSyntax], extra: Sequence[tuple[str, str]] = ()) -> str:
    """A ``Link`` header value naming each representation of ``url`` (``?format=…``) as rel=alternate."""
    joiner = "&" if "?" in url else "?"
    links = [f'<{url}{joiner}format={syntax.name}>; rel="alternate"; type="{syntax.media_type}"' for syntax in offers]
    links += [f'<{target}>; rel="{relation}"' for relation, target in extra]
    return ", ".join(links)


def rdf_body(triples: Iterable[Triple], syntax: RdfSyntax, prefixes: dict[str, str] | None = None) -> bytes:
    return serialize_triples(triples, syntax, {**PREFIXES, **(prefixes or {})})


def negotiated(
    request: Request, body: bytes, media_type: str, etag: str, headers: dict[str, str] | None = None
) -> Response:
    """A 200 with ``body`` (or a 304 when the client's copy is current), varying on Accept."""
    common = {"ETag": etag, "Vary": "Accept", **(headers or {})}
    if is_fresh(request, etag):
        return not_modified(etag, common)
    charset = "; charset=utf-8" if media_type.startswith("text/") or media_type.endswith(("json", "xml")) else ""
    return Response(body, media_type=media_type + charset, headers=common)
