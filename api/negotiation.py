"""Content negotiation over the one table of formats (graph/formats.py).

A client chooses a representation with ``Accept`` (RFC 9110 §12.5.1: media ranges with q-values)
or with ``format=`` (the table's names: ``turtle``, ``jsonld``, ``json``, ``csv`` …, or a media
type). What the server cannot produce is a 406 naming what it can. Every negotiated response
carries ``Vary: Accept``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from api.errors import NotAcceptable
from graph.formats import RDF_SYNTAXES, RESULTS_SYNTAXES, RdfSyntax, ResultsSyntax

HTML = "text/html"
PLAIN_RDF: tuple[RdfSyntax, ...] = tuple(syntax for syntax in RDF_SYNTAXES if not syntax.datasets)
"""The RDF syntaxes of a single graph (entity descriptions, catalogue pages)."""

Offer = RdfSyntax | ResultsSyntax | str
"""What a resource can be served as: an RDF syntax, a results syntax, or another media type (HTML)."""
OfferT = TypeVar("OfferT", bound=Offer)


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; none (absent or empty header) means anything."""
    ranges: list[MediaRange] = []
    for part in (header or "").split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        if "/" not in media:
            continue
        kind, _, sub = media.lower().partition("/")
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def _media_types(offer: Offer) -> tuple[str, ...]:
    return (offer,) if isinstance(offer, str) else offer.media_types


def _quality(ranges: Sequence[MediaRange], offer: Offer) -> tuple[float, int]:
    """(q, specificity) of the most specific range matching any media type of ``offer``."""
    best = (0.0, -1)
    for media_type in _media_types(offer):
        for candidate in ranges:
            if candidate.matches(media_type) and candidate.specificity > best[1]:
                best = (candidate.q, candidate.specificity)
    return best


def choose(accept: str | None, offers: Sequence[OfferT]) -> OfferT | None:
    """The offer the client prefers most (ties: the server's order), or None if it accepts none."""
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    scored = [(_quality(ranges, offer)[0], -index) for index, offer in enumerate(offers)]
    q, position = max(scored)
    return offers[-position] if q > 0 else None


def by_name(name: str, offers: Sequence[OfferT]) -> OfferT | None:
    """The offer called ``name`` in the formats table (``turtle``, ``csv``, ``html``) or with that media type."""
    wanted = name.strip().lower()
    for candidate in offers:
        names = (
            (candidate, candidate.split("/")[-1])
            if isinstance(candidate, str)
            else (candidate.name, *candidate.media_types)
        )
        if wanted in names:
            return candidate
    return None


def negotiate(accept: str | None, format_name: str | None, offers: Sequence[OfferT]) -> OfferT:
    """``format=`` if given, else ``Accept``; raises :class:`NotAcceptable` listing what is offered."""
    chosen = by_name(format_name, offers) if format_name else choose(accept, offers)
    if chosen is None:
        offered = [media_type_of(offer) for offer in offers]
        names = [offer.split("/")[-1] if isinstance(offer, str) else offer.name for offer in offers]
        asked = f"format={format_name}" if format_name else f"Accept: {accept}"
        raise NotAcceptable(
            f"cannot produce what was asked ({asked}); available: {', '.join(offered)} (format= {', '.join(names)})",
            available=offered,
        )
    return chosen


def media_type_of(offer: Offer) -> str:
    return offer if isinstance(offer, str) else offer.media_type


def results_offers() -> tuple[ResultsSyntax, ...]:
    return RESULTS_SYNTAXES
