"""Typed records produced by the extraction engine (plain frozen dataclasses, no RDF).

The extractor turns a Chinese document into these records; the mapping layer turns them into
triples. Spans are Python code-point offsets, end exclusive: ``start``/``end`` index the
normalised text of the document, ``raw_start``/``raw_end`` the text as read from the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from graph.extraction.offsets import OffsetMap


class EntityType(StrEnum):
    """The six entity types of issue 3 (names match the gold annotation)."""

    DEPARTMENT = "Department"
    DATASET = "Dataset"
    POLICY = "Policy"
    PROJECT = "Project"
    ORGANIZATION = "Organization"
    INDICATOR = "Indicator"


class RelationKind(StrEnum):
    """Relations the text can support; each record says which rule found it."""

    PUBLISHES = "publishes"  # Department -> Dataset
    ISSUED_BY = "issuedBy"  # Policy -> Department
    SIGNED_BY = "signedBy"  # Policy (agreement) -> Department / Organization
    PARTICIPANT = "participant"  # Project -> Department / Organization
    LOCATED_IN = "locatedIn"  # Project -> place (literal)
    MENTIONS = "mentions"  # document -> entity (implicit)
    EVENT_DATE = "eventDate"  # event clause (literal) -> ISO date (literal)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the normalised text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity in a document."""

    type: EntityType
    text: str
    start: int
    end: int
    raw_start: int
    raw_end: int
    sentence: int
    confidence: float
    canonical: str
    rule: str


@dataclass(frozen=True)
class Entity:
    """All mentions of one real-world entity in one document (or, at corpus level, in all)."""

    canonical: str
    type: EntityType
    surface_forms: tuple[str, ...]
    mention_count: int
    confidence: float
    district: str | None = None
    documents: tuple[str, ...] = ()
    # A project name made only of common words (一张图): its IRI is scoped by district or
    # document, see graph/extraction/scope.py.
    generic: bool = False


@dataclass(frozen=True)
class Relation:
    """A typed relation with the sentence that supports it.

    ``subject``/``object`` are canonical entity names when the matching ``*_type`` is set, and
    literals otherwise (a document id, a place, an ISO date, an event clause).
    """

    kind: RelationKind
    subject: str
    object: str
    sentence: int
    confidence: float
    rule: str
    subject_type: EntityType | None = None
    object_type: EntityType | None = None
    evidence: str = ""


@dataclass(frozen=True)
class IndicatorRow:
    """One row of a main-indicator table (主要指标)."""

    seq: int | None
    name: str
    unit: str | None
    baseline: str | None
    target: str | None
    nature: str | None
    category: str | None
    start: int
    end: int
    raw_start: int
    raw_end: int


@dataclass(frozen=True)
class DocumentExtraction:
    """Everything extracted from one document."""

    doc_id: str
    source: str | None
    encoding: str
    district: str | None
    year: int | None
    text: str
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    indicators: tuple[IndicatorRow, ...]
    offsets: OffsetMap | None = None

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw [start, end) of a normalised span of this document."""
        if self.offsets is None:
            return start, end
        return self.offsets.raw_span(start, end)

    def mentions_of(self, entity_type: EntityType) -> tuple[Mention, ...]:
        """The mentions of one type, in text order."""
        return tuple(m for m in self.mentions if m.type is entity_type)


@dataclass(frozen=True)
class CorpusExtraction:
    """Per-document extractions plus entities resolved across documents."""

    documents: tuple[DocumentExtraction, ...]
    entities: tuple[Entity, ...]
    aliases: tuple[tuple[str, str], ...]  # (document-level canonical, corpus canonical) where they differ
