"""Search filters, results and responses, and the highlighted snippet of a result.

The JSON shape (``SearchResponse.to_json``) is the one the CLI prints and the HTTP API returns:
``{"query", "results": [{"iri", "label", "type", "score", "publisher", "snippet", "why", …}], "facets"}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from search.entities import EntityCard
from search.tokens import normalise


@dataclass(frozen=True)
class Filters:
    """Restrictions a search applies before ranking; empty means no restriction."""

    types: tuple[str, ...] = ()
    publisher: str | None = None
    """A publisher IRI, or (part of) its name."""
    publisher_any: tuple[str, ...] = ()
    """Publisher IRIs query understanding found; an entry of any of them passes."""
    domain: str | None = None
    access_right: str | None = None
    district: str | None = None
    frequency: str | None = None

    def understood(self, publishers: tuple[str, ...], frequency: str | None) -> Filters:
        """These filters plus what query understanding found, where the user set nothing."""
        return replace(
            self,
            publisher_any=() if self.publisher else publishers,
            frequency=self.frequency or frequency,
        )

    @property
    def active(self) -> bool:
        chosen = (self.types, self.publisher, self.publisher_any, self.domain, self.access_right, self.district)
        return any(chosen) or bool(self.frequency)

    def accepts(self, card: EntityCard) -> bool:
        if self.types and card.type not in self.types:
            return False
        if self.publisher and not _publisher_matches(self.publisher, card):
            return False
        if self.publisher_any and card.publisher_iri not in self.publisher_any:
            return False
        if self.domain and self.domain not in card.domains:
            return False
        if self.access_right and card.access_right != self.access_right:
            return False
        if self.frequency and card.frequency != self.frequency:
            return False
        return not (self.district and (card.district is None or self.district not in card.district))

    def to_json(self) -> dict[str, object]:
        return {k: v for k, v in (("type", list(self.types)), ("publisher", self.publisher), ("domain", self.domain),
                                  ("access_right", self.access_right), ("district", self.district),
                                  ("frequency", self.frequency)) if v}  # fmt: skip


def _publisher_matches(wanted: str, card: EntityCard) -> bool:
    if card.publisher_iri == wanted:
        return True
    return bool(card.publisher) and normalise(wanted) in normalise(card.publisher or "")


@dataclass(frozen=True)
class SearchResult:
    card: EntityCard
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    snippet_source: str
    why: dict[str, object]

    def to_json(self) -> dict[str, object]:
        card = self.card
        return {
            "iri": card.iri,
            "label": card.label,
            "type": card.type,
            "type_label": card.type_label,
            "score": self.score,
            "publisher": card.publisher,
            "publisher_iri": card.publisher_iri,
            "domains": list(card.domains),
            "access_right": card.access_right,
            "frequency": card.frequency,
            "district": card.district,
            "snippet": self.snippet,
            "highlights": [list(span) for span in self.highlights],
            "snippet_source": self.snippet_source,
            "why": self.why,
        }


@dataclass(frozen=True)
class SearchResponse:
    query: str
    results: list[SearchResult]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    understood_publisher: str | None = None
    no_result_reason: str | None = None
    understood_frequency: str | None = None

    def to_json(self) -> dict[str, object]:
        body: dict[str, object] = {
            "query": self.query,
            "results": [r.to_json() for r in self.results],
            "facets": self.facets,
        }
        understood = {"publisher": self.understood_publisher, "frequency": self.understood_frequency}
        if any(understood.values()):
            body["understood"] = {name: value for name, value in understood.items() if value}
        if self.no_result_reason:
            body["no_result"] = self.no_result_reason
        return body


SNIPPET_LENGTH = 120


def make_snippet(
    card: EntityCard, matched: Sequence[str], query_words: Sequence[str]
) -> tuple[str, tuple[tuple[int, int], ...], str]:
    """The text that best shows why ``card`` matched, the spans of matched words in it, and its source."""
    terms = sorted({normalise(t) for t in (*matched, *query_words) if len(t) >= 2}, key=len, reverse=True)
    options: list[tuple[str, str]] = []
    if card.description:
        options.append((card.description, "description"))
    options.extend((sentence, f"document: {title}") for sentence, title in card.sentences)
    options.append((card.label, "label"))
    best, source = max(options, key=lambda option: _hits(option[0], terms)) if terms else options[0]
    text = _window(best, terms)
    return text, _spans(text, terms), source


def _hits(text: str, terms: Sequence[str]) -> int:
    folded = normalise(text)
    return sum(1 for term in terms if term in folded)


def _window(text: str, terms: Sequence[str]) -> str:
    if len(text) <= SNIPPET_LENGTH:
        return text
    folded = normalise(text)
    first = min((folded.find(t) for t in terms if t in folded), default=0)
    start = max(0, min(first - SNIPPET_LENGTH // 3, len(text) - SNIPPET_LENGTH))
    return (
        ("…" if start else "")
        + text[start : start + SNIPPET_LENGTH]
        + ("…" if start + SNIPPET_LENGTH < len(text) else "")
    )


def _spans(text: str, terms: Sequence[str]) -> tuple[tuple[int, int], ...]:
    folded = normalise(text)
    taken: list[tuple[int, int]] = []
    for term in terms:
        start = folded.find(term)
        while start >= 0:
            end = start + len(term)
            if all(end <= a or start >= b for a, b in taken):
                taken.append((start, end))
            start = folded.find(term, end)
    return tuple(sorted(taken))
