"""The one place kgcat mints IRIs for catalogue data.

IRIs are built from stable ASCII keys: a source's own ASCII identifier where it has one
(a portal record id, a registration code), otherwise a short SHA-256 of the normalised
Chinese name, so the same name always yields the same IRI and no Chinese appears in a path.
The scheme is described in docs/decisions/iri-scheme.md.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from rdflib import URIRef

from graph.regions import region_key

DEFAULT_BASE_IRI = "https://kgcat.example.org/"
_SAFE_KEY = re.compile(r"[^A-Za-z0-9._-]+")


def name_key(*parts: str) -> str:
    """A 16-hex-digit key for a name: NFKC, whitespace removed, SHA-256."""
    folded = "\x1f".join("".join(unicodedata.normalize("NFKC", part).split()) for part in parts)
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]


def ascii_key(text: str) -> str | None:
    """``text`` made IRI-safe when it is plain ASCII (``shanghai_shanghai:00001`` → ``shanghai_shanghai-00001``)."""
    if not text.isascii():
        return None
    key = _SAFE_KEY.sub("-", text.strip()).strip("-")
    return key or None


@dataclass(frozen=True)
class IriMinter:
    """Mints the IRIs of one deployment under ``base`` (configurable, must end with ``/``)."""

    base: str = DEFAULT_BASE_IRI

    def __post_init__(self) -> None:
        if not re.match(r"^https?://[^\s/]+(/[^\s]*)?/$", self.base):
            raise ValueError(f"base IRI {self.base!r} must be an http(s) IRI ending with '/'")

    def _iri(self, *segments: str) -> URIRef:
        return URIRef(self.base + "/".join(segments))

    def catalog(self, key: str) -> URIRef:
        return self._iri("id", "catalog", key)

    def catalog_key(self, explicit: str | None, region: str | None) -> str:
        """The catalogue key: the record's own ASCII key, else the region's (known key or name hash)."""
        if explicit and (key := ascii_key(explicit)):
            return key
        if region and (key := region_key(region)):
            return key
        return name_key(region or "unknown-region")

    def dataset(self, catalog_key: str, source_id: str | None, title: str) -> URIRef:
        """A dataset is identified by its source id where that is ASCII, else by catalogue + title."""
        key = ascii_key(source_id) if source_id else None
        return self._iri("id", "dataset", catalog_key, key or name_key(title))

    def dataset_base(self) -> str:
        """What every minted dataset IRI starts with, and so everything minted under a dataset
        (distributions, identifiers, additional fields)."""
        return self.base + "id/dataset/"

    def organization(self, full_name: str) -> URIRef:
        return self._iri("id", "org", name_key(full_name))

    def policy(self, name: str) -> URIRef:
        return self._iri("id", "policy", name_key(name))

    def project(self, name: str, scope: str | None = None) -> URIRef:
        """A project by its name, or by scope (district or document) and name for a generic name."""
        return self._iri("id", "project", name_key(scope, name) if scope else name_key(name))

    def indicator(self, plan_key: str, name: str) -> URIRef:
        return self._iri("id", "indicator", plan_key, name_key(name))

    def document(self, key: str) -> URIRef:
        return self._iri("id", "document", key)

    def location(self, name: str) -> URIRef:
        return self._iri("id", "place", region_key(name) or name_key(name))

    def concept(self, scheme_key: str, label: str) -> URIRef:
        return self._iri("id", "concept", scheme_key, name_key(label))

    def distribution(self, dataset: URIRef, format_label: str) -> URIRef:
        return URIRef(f"{dataset}/distribution/{ascii_key(format_label.lower()) or name_key(format_label)}")

    def identifier(self, dataset: URIRef) -> URIRef:
        return URIRef(f"{dataset}/identifier")

    def additional_field(self, dataset: URIRef, field_name: str) -> URIRef:
        return URIRef(f"{dataset}/field/{ascii_key(field_name) or name_key(field_name)}")

    def source_graph(self, source_key: str) -> URIRef:
        return self._iri("graph", source_key)

    def genid_base(self) -> str:
        """Where blank nodes of imported RDF are skolemised (RDF 1.1 §3.5)."""
        return self.base + ".well-known/genid/"

    def owns(self, iri: str) -> bool:
        return iri.startswith(self.base)
