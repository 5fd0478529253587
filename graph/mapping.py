"""Registration records → DCAT-AP-CN triples, driven by one declarative table.

Scalar fields are mapped by :data:`DATASET_FIELDS`, rows of (record field, predicate, node
kind) run by :func:`_scalar_triples`; the few structured nodes (catalogue, publisher, domains,
registration code, distributions, additional fields) have one small builder each. The same
table is mirrored for humans in docs/mapping.md. A value that cannot be mapped (an unknown
frequency, a landing page that is no IRI) is kept as an additional field and noted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from rdflib import Literal, URIRef
from rdflib.term import Node

from graph.iris import IriMinter
from graph.records import RegistrationRecord
from graph.values import strip_note
from ontology import (
    SCHEME_ACCESS_RIGHT,
    SCHEME_DATA_DOMAIN,
    SCHEME_NATIONAL_THEME,
    SCHEME_SHARE_ATTRIBUTE,
    SCHEME_UPDATE_FREQUENCY,
    concept_lookup,
)
from ontology.namespaces import ADMS, DCAT3, DCTERMS, FOAF, KGCAT, ORG, RDF, SKOS, XSD

Triple = tuple[Node, Node, Node]
LANGUAGE = "zh"
"""Language tag of every Chinese literal (see docs/decisions/language-tag.md)."""

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
_FILE_TYPES = {
    "csv": "CSV", "json": "JSON", "xml": "XML", "xls": "XLS", "xlsx": "XLSX", "rdf": "RDF_XML", "pdf": "PDF",
    "doc": "DOC", "docx": "DOCX", "zip": "ZIP", "txt": "TXT", "shp": "SHP", "geojson": "GEOJSON", "html": "HTML",
    "wms": "WMS_SRVC", "kml": "KML", "png": "PNG", "jpg": "JPEG", "jpeg": "JPEG",
}  # fmt: skip
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")

# Terms of every record's own triples, looked up once: an attribute of a closed namespace runs
# Python code on each access (~0.5 µs, about 40 per record before)
_TYPE = RDF.type
_DATASET = DCAT3.Dataset
_HAS_DATASET = DCAT3.dataset
_PUBLISHER = DCTERMS.publisher
_THEME = DCAT3.theme
_IDENTIFIER = ADMS.identifier
_IDENTIFIER_CLASS = ADMS.Identifier
_NOTATION = SKOS.notation
_DISTRIBUTION = DCAT3.Distribution
_HAS_DISTRIBUTION = DCAT3.distribution
_TITLE = DCTERMS.title
_FORMAT = DCTERMS.format
_MEDIA_TYPE = DCTERMS.MediaTypeOrExtent
_ACCESS_URL = DCAT3.accessURL
_ADDITIONAL_FIELD = KGCAT.additionalField
_FIELD_CLASS = KGCAT.AdditionalField
_FIELD_NAME = KGCAT.fieldName
_FIELD_VALUE = KGCAT.fieldValue
_DATE = XSD.date
_DATE_TIME = XSD.dateTime


class NodeKind(Enum):
    ZH_TEXT = "zh literal"
    ZH_TEXTS = "zh literals"
    DATE = "xsd:date or xsd:dateTime"
    IRI = "IRI"
    PLAIN = "plain literal"
    CONCEPT = "concept of a scheme"


@dataclass(frozen=True)
class FieldMapping:
    """One row of the mapping table: record field → predicate, as a node of one kind."""

    field: str
    predicate: URIRef
    kind: NodeKind
    scheme: URIRef | None = None


DATASET_FIELDS: tuple[FieldMapping, ...] = (
    FieldMapping("title", DCTERMS.title, NodeKind.ZH_TEXT),
    FieldMapping("description", DCTERMS.description, NodeKind.ZH_TEXT),
    FieldMapping("keywords", DCAT3.keyword, NodeKind.ZH_TEXTS),
    FieldMapping("issued", DCTERMS.issued, NodeKind.DATE),
    FieldMapping("modified", DCTERMS.modified, NodeKind.DATE),
    FieldMapping("landing_page", DCAT3.landingPage, NodeKind.IRI),
    FieldMapping("source_id", DCTERMS.identifier, NodeKind.PLAIN),
    FieldMapping("publisher_basis", KGCAT.publisherBasis, NodeKind.ZH_TEXT),
    FieldMapping("update_frequency", DCTERMS.accrualPeriodicity, NodeKind.CONCEPT, SCHEME_UPDATE_FREQUENCY),
    FieldMapping("access_level", DCTERMS.accessRights, NodeKind.CONCEPT, SCHEME_ACCESS_RIGHT),
    FieldMapping("share_attribute", KGCAT.shareAttribute, NodeKind.CONCEPT, SCHEME_SHARE_ATTRIBUTE),
)


@dataclass(frozen=True)
class CatalogDefaults:
    """Values an import applies to records that leave them empty (``kgcat import --region``)."""

    region: str | None = None
    catalog: str | None = None
    catalog_title: str | None = None


@dataclass
class MappedRecord:
    """The triples of one record (with the catalogue and agents it needs) and what could not be mapped."""

    record: RegistrationRecord
    dataset: URIRef
    triples: list[Triple] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def nodes(self) -> set[Node]:
        """Every subject this record's triples describe (to trace validation results back to it)."""
        return {s for s, _, _ in self.triples}


class RecordMapper:
    """Maps records of one import to triples; holds the minter and the import's defaults."""

    def __init__(self, minter: IriMinter, defaults: CatalogDefaults | None = None) -> None:
        self.minter = minter
        self.defaults = defaults or CatalogDefaults()
        self._described: dict[tuple[object, ...], tuple[Triple, ...]] = {}
        """Triples describing shared nodes (catalogue, agents, concepts), built once per import: the
        same values give the same (identical) triples, which keeps mapping and deduplication cheap."""

    def _shared(self, key: tuple[object, ...], build: Callable[[], Iterator[Triple]]) -> tuple[Triple, ...]:
        found = self._described.get(key)
        if found is None:
            found = self._described[key] = tuple(build())
        return found

    def dataset_iri(self, record: RegistrationRecord) -> URIRef:
        """The IRI :meth:`map` gives the record's dataset (cheap: no triples are built)."""
        region = record.region or self.defaults.region
        catalog_key = self.minter.catalog_key(record.catalog or self.defaults.catalog, region)
        return self.minter.dataset(catalog_key, record.source_id, record.title or "")

    def map(self, record: RegistrationRecord) -> MappedRecord:
        region = record.region or self.defaults.region
        catalog_key = self.minter.catalog_key(record.catalog or self.defaults.catalog, region)
        dataset = self.minter.dataset(catalog_key, record.source_id, record.title or "")
        mapped = MappedRecord(record, dataset, [(dataset, _TYPE, _DATASET)], list(record.notes))
        extras = list(record.extras)
        for row in DATASET_FIELDS:
            mapped.triples.extend(_scalar_triples(dataset, row, getattr(record, row.field), extras, mapped.notes))
        mapped.triples.extend(self._catalog(record, region, catalog_key, dataset))
        mapped.triples.extend(self._publisher(record, region, dataset))
        mapped.triples.extend(self._domains(record, dataset))
        mapped.triples.extend(self._registration_code(record, dataset))
        mapped.triples.extend(self._distributions(record, dataset))
        mapped.triples.extend(self._additional_fields(dataset, extras))
        return mapped

    def _catalog(self, record: RegistrationRecord, region: str | None, key: str, dataset: URIRef) -> Iterator[Triple]:
        catalog = self.minter.catalog(key)
        yield catalog, _HAS_DATASET, dataset
        yield from self._shared(
            ("catalog", key, record.catalog_title, record.catalog_homepage, region),
            lambda: self._catalog_description(record, region, catalog),
        )

    def _catalog_description(self, record: RegistrationRecord, region: str | None, catalog: URIRef) -> Iterator[Triple]:
        title = record.catalog_title or self.defaults.catalog_title or (f"{region}公共数据资源目录" if region else None)
        yield catalog, RDF.type, DCAT3.Catalog
        yield catalog, DCAT3.themeTaxonomy, SCHEME_DATA_DOMAIN
        if title:
            yield catalog, DCTERMS.title, Literal(title, lang=LANGUAGE)
            yield catalog, DCTERMS.description, Literal(f"{title}:已登记或开放的公共数据资源。", lang=LANGUAGE)
        if record.catalog_homepage and _IRI.match(record.catalog_homepage):
            yield catalog, FOAF.homepage, URIRef(record.catalog_homepage)
        if region:
            place = self.minter.location(region)
            yield catalog, DCTERMS.spatial, place
            yield from _location(place, region)
            government = f"{region}人民政府"
            yield catalog, DCTERMS.publisher, self.minter.organization(government)
            yield from self._organization(government, (), None, region)

    def _publisher(self, record: RegistrationRecord, region: str | None, dataset: URIRef) -> Iterator[Triple]:
        if not record.publisher:
            return
        parent = record.publisher_parent or _parent_by_region(record.publisher, region)
        yield dataset, _PUBLISHER, self.minter.organization(record.publisher)
        yield from self._organization(record.publisher, record.publisher_short_names, parent, region)
        if parent:
            yield from self._organization(parent, (), None, region)

    def _organization(
        self, name: str, short_names: tuple[str, ...], parent: str | None, region: str | None
    ) -> tuple[Triple, ...]:
        key = ("agent", name, short_names, parent, region)
        return self._shared(key, lambda: self._agent_description(name, short_names, parent, region))

    def _agent_description(
        self, name: str, short_names: tuple[str, ...], parent: str | None, region: str | None
    ) -> Iterator[Triple]:
        agent = self.minter.organization(name)
        yield agent, RDF.type, FOAF.Agent
        yield agent, RDF.type, ORG.Organization
        yield agent, FOAF.name, Literal(name, lang=LANGUAGE)
        yield agent, SKOS.prefLabel, Literal(name, lang=LANGUAGE)
        for short in short_names:
            yield agent, SKOS.altLabel, Literal(short, lang=LANGUAGE)
        if parent and parent != name:
            yield agent, ORG.subOrganizationOf, self.minter.organization(parent)
        if region and name.startswith(region):
            yield agent, KGCAT.district, self.minter.location(region)

    def _domains(self, record: RegistrationRecord, dataset: URIRef) -> Iterator[Triple]:
        lookup = concept_lookup(SCHEME_DATA_DOMAIN)
        for label in record.domains:
            concept = lookup.find(label)
            if concept is None:  # the scheme is open: mint a concept for a domain it does not list yet
                concept = self.minter.concept("data-domain", label)
            else:
                label = lookup.pref_label(concept)
            yield from self._concept(concept, SCHEME_DATA_DOMAIN, label)  # the record graph stays self-contained
            yield dataset, _THEME, concept
        if record.national_theme:
            concept = self.minter.concept("national-theme", record.national_theme)
            yield from self._concept(concept, SCHEME_NATIONAL_THEME, record.national_theme)
            yield dataset, _THEME, concept

    def _concept(self, concept: URIRef, scheme: URIRef, label: str) -> tuple[Triple, ...]:
        return self._shared(("concept", concept, scheme, label), lambda: _concept(concept, scheme, label))

    def _registration_code(self, record: RegistrationRecord, dataset: URIRef) -> Iterator[Triple]:
        if record.registration_code:
            node = self.minter.identifier(dataset)
            yield dataset, _IDENTIFIER, node
            yield node, _TYPE, _IDENTIFIER_CLASS
            yield node, _NOTATION, _plain(record.registration_code)

    def _distributions(self, record: RegistrationRecord, dataset: URIRef) -> Iterator[Triple]:
        for label in record.formats:
            node = self.minter.distribution(dataset, label)
            yield dataset, _HAS_DISTRIBUTION, node
            yield node, _TYPE, _DISTRIBUTION
            yield node, _TITLE, _zh(f"{record.title or ''}（{label}）")
            if code := _FILE_TYPES.get(label.strip().lstrip(".").lower()):
                file_type = URIRef(FILE_TYPE + code)
                yield node, _FORMAT, file_type
                yield file_type, _TYPE, _MEDIA_TYPE
            if record.landing_page and _IRI.match(record.landing_page):
                yield node, _ACCESS_URL, URIRef(record.landing_page)

    def _additional_fields(self, dataset: URIRef, extras: list[tuple[str, str]]) -> Iterator[Triple]:
        for name, value in extras:
            node = self.minter.additional_field(dataset, name)
            yield dataset, _ADDITIONAL_FIELD, node
            yield node, _TYPE, _FIELD_CLASS
            yield node, _FIELD_NAME, _plain(name)
            yield node, _FIELD_VALUE, _plain(value)


def _scalar_triples(
    subject: URIRef, row: FieldMapping, value: object, extras: list[tuple[str, str]], notes: list[str]
) -> Iterator[Triple]:
    if value is None or value == ():
        return
    if row.kind is NodeKind.ZH_TEXT:
        yield subject, row.predicate, _zh(str(value))
    elif row.kind is NodeKind.ZH_TEXTS:
        for item in value if isinstance(value, tuple) else (value,):
            yield subject, row.predicate, _zh(str(item))
    elif row.kind is NodeKind.DATE:
        datatype = _DATE_TIME if isinstance(value, datetime) else _DATE
        assert isinstance(value, (date, datetime))
        yield subject, row.predicate, Literal(value.isoformat(), datatype=datatype)
    elif row.kind is NodeKind.PLAIN:
        yield subject, row.predicate, _plain(str(value))
    elif row.kind is NodeKind.IRI:
        if _IRI.match(str(value)):
            yield subject, row.predicate, URIRef(str(value))
        else:
            extras.append((row.field, str(value)))
            notes.append(f"{row.field} {value!r} is not an http(s) IRI; kept as an additional field")
    elif row.kind is NodeKind.CONCEPT:
        yield from _concept_value(subject, row, str(value), extras, notes)


def _concept_value(
    subject: URIRef, row: FieldMapping, value: str, extras: list[tuple[str, str]], notes: list[str]
) -> Iterator[Triple]:
    assert row.scheme is not None
    lookup = concept_lookup(row.scheme)
    concept = lookup.find(value) or lookup.find(strip_note(value))
    if concept is None:
        extras.append((row.field, value))
        notes.append(f"{row.field} {value!r} is in no concept of {row.scheme}; kept as an additional field")
        return
    if lookup.find(value) is None:
        extras.append((row.field, value))  # the stripped note is information too
    yield subject, row.predicate, concept


def _zh(text: str) -> Literal:
    """A zh literal of a record's own triples. ``normalize=False`` only skips rdflib casting the str to
    itself again (the lexical form stays the same str): the same term, for less CPU."""
    return Literal(text, lang=LANGUAGE, normalize=False)


def _plain(text: str) -> Literal:
    """A plain literal of a record's own triples (``normalize=False``: see :func:`_zh`)."""
    return Literal(text, normalize=False)


def _parent_by_region(publisher: str, region: str | None) -> str | None:
    """A department named after its region (上海市…委员会 in 上海市) belongs to that region's government."""
    if region and publisher.startswith(region) and publisher != f"{region}人民政府":
        return f"{region}人民政府"
    return None


def _location(place: URIRef, region: str) -> Iterator[Triple]:
    yield place, RDF.type, DCTERMS.Location
    yield place, SKOS.prefLabel, Literal(region, lang=LANGUAGE)


def _concept(concept: URIRef, scheme: URIRef, label: str) -> Iterator[Triple]:
    yield concept, RDF.type, SKOS.Concept
    yield concept, SKOS.inScheme, scheme
    yield concept, SKOS.prefLabel, Literal(label, lang=LANGUAGE)
