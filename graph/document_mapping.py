"""Extracted documents → triples with provenance to the sentence.

The extraction engine (graph/extraction) yields plain records; this module is the one place
they become RDF. Entities get the same IRIs the registration records mint (a department's full
name, a dataset's district catalogue and title), so a document about 区绿容局 meets the record
that names 上海市徐汇区绿化和市容管理局. Every mention is a W3C Web Annotation
(https://www.w3.org/TR/annotation-model/) whose target is the document with a
TextPositionSelector and a TextQuoteSelector, part of (``dct:isPartOf``) the sentence it occurs
in; every relation is an ``rdf:Statement`` with its confidence, rule and sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import Literal, URIRef

from graph.extraction.records import (
    DocumentExtraction,
    Entity,
    EntityType,
    IndicatorRow,
    Mention,
    Relation,
    RelationKind,
)
from graph.iris import IriMinter, name_key
from graph.mapping import LANGUAGE, Triple
from graph.regions import Region, region_for_district
from ontology.namespaces import DCTERMS, FOAF, KGCAT, OA, ORG, PROV, RDF, SDO, SKOS, XSD

QUOTE_CONTEXT = 12
"""Characters of prefix and suffix kept in a TextQuoteSelector."""

_CLASSES: dict[EntityType, tuple[URIRef, ...]] = {
    EntityType.DEPARTMENT: (FOAF.Agent, ORG.Organization, ORG.OrganizationalUnit),
    EntityType.ORGANIZATION: (FOAF.Agent, ORG.Organization, ORG.FormalOrganization),
    EntityType.DATASET: (KGCAT.DataResource,),
    EntityType.POLICY: (KGCAT.Policy,),
    EntityType.PROJECT: (KGCAT.Project,),
    EntityType.INDICATOR: (KGCAT.Indicator,),
}

_RELATION_PREDICATES: dict[RelationKind, URIRef] = {
    RelationKind.PUBLISHES: PROV.wasAttributedTo,  # dataset ← department: attribution, not a second dct:publisher
    RelationKind.ISSUED_BY: DCTERMS.publisher,
    RelationKind.SIGNED_BY: KGCAT.participant,
    RelationKind.PARTICIPANT: KGCAT.participant,
    RelationKind.LOCATED_IN: DCTERMS.spatial,
}


@dataclass(frozen=True)
class DocumentGraph:
    """The triples of one document and the IRIs of what it names."""

    document: URIRef
    triples: list[Triple]
    entities: dict[tuple[EntityType, str], URIRef]


class DocumentMapper:
    """Maps one :class:`DocumentExtraction` to triples under one minter."""

    def __init__(self, minter: IriMinter) -> None:
        self.minter = minter

    def map(self, extraction: DocumentExtraction, document_key: str, file_name: str, title: str) -> DocumentGraph:
        document = self.minter.document(document_key)
        region = region_for_district(extraction.district) if extraction.district else None
        entities = {(e.type, e.canonical): self.entity_iri(e, region, document_key) for e in extraction.entities}
        triples: list[Triple] = list(_document_triples(document, extraction, file_name, title, region, self.minter))
        for entity in extraction.entities:
            triples.extend(self._entity(entity, entities[(entity.type, entity.canonical)], region))
            triples.append((document, SDO.mentions, entities[(entity.type, entity.canonical)]))
        sentences_used: set[int] = set()
        for number, mention in enumerate(extraction.mentions):
            iri = entities.get((mention.type, mention.canonical))
            if iri is not None:
                triples.extend(_mention(document, number, mention, iri, extraction.text))
                sentences_used.add(mention.sentence)
        for number, relation in enumerate(extraction.relations):
            relation_triples = list(self._relation(document, number, relation, entities))
            if relation_triples:
                triples.extend(relation_triples)
                sentences_used.add(relation.sentence)
        for row in extraction.indicators:
            triples.extend(self._indicator(document, document_key, row, extraction))
        for index in sorted(sentences_used):
            if 0 <= index < len(extraction.sentences):
                triples.extend(_sentence(document, extraction, index))
        return DocumentGraph(document, triples, entities)

    def entity_iri(self, entity: Entity, region: Region | None, document_key: str) -> URIRef:
        """The entity's IRI; a generic project name (一张图) is scoped by district, else by document."""
        entity_type, canonical = entity.type, entity.canonical
        if entity_type in (EntityType.DEPARTMENT, EntityType.ORGANIZATION):
            return self.minter.organization(canonical)
        if entity_type is EntityType.DATASET:
            catalog_key = self.minter.catalog_key(None, region.name if region else None)
            return self.minter.dataset(catalog_key, None, canonical)
        if entity_type is EntityType.POLICY:
            return self.minter.policy(canonical)
        if entity_type is EntityType.PROJECT:
            scope = (f"district:{region.name}" if region else f"document:{document_key}") if entity.generic else None
            return self.minter.project(canonical, scope)
        return self.minter.indicator("corpus", canonical)

    def _entity(self, entity: Entity, iri: URIRef, region: Region | None) -> Iterator[Triple]:
        for cls in _CLASSES[entity.type]:
            yield iri, RDF.type, cls
        label = Literal(entity.canonical, lang=LANGUAGE)
        yield iri, SKOS.prefLabel, label
        if entity.type in (EntityType.DEPARTMENT, EntityType.ORGANIZATION):
            yield iri, FOAF.name, label
        if entity.type is EntityType.DATASET:
            yield iri, DCTERMS.title, label
        for form in entity.surface_forms:
            if form != entity.canonical:
                yield iri, SKOS.altLabel, Literal(form, lang=LANGUAGE)
        if entity.type is EntityType.PROJECT and entity.generic and region is not None:
            yield iri, KGCAT.district, self.minter.location(region.name)  # which district's 一张图
        if entity.type is EntityType.DEPARTMENT and region is not None and region.name in entity.canonical:
            # 中国共产党上海市杨浦区委员会 belongs to the district too, but not under its government.
            yield iri, KGCAT.district, self.minter.location(region.name)
            government = f"{region.name}人民政府"
            if entity.canonical.startswith(region.name) and entity.canonical != government:
                parent = self.minter.organization(government)
                yield iri, ORG.subOrganizationOf, parent
                yield from _agent(parent, government)

    def _relation(
        self, document: URIRef, number: int, relation: Relation, entities: dict[tuple[EntityType, str], URIRef]
    ) -> Iterator[Triple]:
        if relation.kind is RelationKind.EVENT_DATE:
            sentence = _sentence_iri(document, relation.sentence)
            datatype = XSD.gMonthDay if relation.object.startswith("--") else XSD.date  # no year known
            yield sentence, DCTERMS.date, Literal(relation.object, datatype=datatype)
            return
        predicate = _RELATION_PREDICATES.get(relation.kind)
        subject = entities.get((relation.subject_type, relation.subject)) if relation.subject_type else None
        if predicate is None or subject is None:
            return
        if relation.kind is RelationKind.PUBLISHES:  # recorded on the dataset: dataset wasAttributedTo department
            department, dataset = (
                subject,
                entities.get((relation.object_type, relation.object)) if relation.object_type else None,
            )
            if dataset is None:
                return
            subject, obj = dataset, department
        elif relation.kind is RelationKind.LOCATED_IN:
            obj = self.minter.location(relation.object)
            yield obj, RDF.type, DCTERMS.Location
            yield obj, SKOS.prefLabel, Literal(relation.object, lang=LANGUAGE)
        else:
            found = entities.get((relation.object_type, relation.object)) if relation.object_type else None
            if found is None:
                return
            obj = found
        yield subject, predicate, obj
        statement = URIRef(f"{document}/relation/{number}")
        yield statement, RDF.type, RDF.Statement
        yield statement, RDF.subject, subject
        yield statement, RDF.predicate, predicate
        yield statement, RDF.object, obj
        yield statement, KGCAT.confidence, Literal(round(relation.confidence, 3), datatype=XSD.decimal)
        yield statement, KGCAT.extractionRule, Literal(relation.rule)
        yield statement, DCTERMS.isPartOf, _sentence_iri(document, relation.sentence)

    def _indicator(
        self, document: URIRef, document_key: str, row: IndicatorRow, extraction: DocumentExtraction
    ) -> Iterator[Triple]:
        iri = self.minter.indicator(document_key, row.name)
        yield iri, RDF.type, KGCAT.Indicator
        yield iri, SKOS.prefLabel, Literal(row.name, lang=LANGUAGE)
        yield iri, DCTERMS.source, document
        for predicate, value in (
            (KGCAT.unit, row.unit),
            (KGCAT.baselineValue, row.baseline),
            (KGCAT.targetValue, row.target),
            (KGCAT.indicatorNature, row.nature),
        ):
            if value:
                yield iri, predicate, Literal(value)
        if row.category:
            yield iri, DCTERMS.subject, Literal(row.category, lang=LANGUAGE)
        plan = _plan_of(extraction)
        if plan is not None:
            yield iri, KGCAT.partOfPlan, self.minter.policy(plan)
        yield document, SDO.mentions, iri


def _agent(iri: URIRef, name: str) -> Iterator[Triple]:
    """The minimal description of a body referenced but not itself extracted (a department's government)."""
    yield iri, RDF.type, FOAF.Agent
    yield iri, RDF.type, ORG.Organization
    yield iri, FOAF.name, Literal(name, lang=LANGUAGE)
    yield iri, SKOS.prefLabel, Literal(name, lang=LANGUAGE)


def _lookup(entities: dict[tuple[EntityType, str], URIRef], kind: EntityType | None, name: str) -> URIRef | None:
    return entities.get((kind, name)) if kind is not None else None


def _plan_of(extraction: DocumentExtraction) -> str | None:
    """The plan a document is: the policy it names before anything else, in its opening lines."""
    policies = [m for m in extraction.mentions if m.type is EntityType.POLICY and m.start < 200]
    return policies[0].canonical if policies else None


def _document_triples(
    document: URIRef,
    extraction: DocumentExtraction,
    file_name: str,
    title: str,
    region: Region | None,
    minter: IriMinter,
) -> Iterator[Triple]:
    yield document, RDF.type, KGCAT.SourceDocument
    yield document, RDF.type, PROV.Entity
    yield document, DCTERMS.title, Literal(title, lang=LANGUAGE)
    yield document, SKOS.prefLabel, Literal(title, lang=LANGUAGE)
    yield document, DCTERMS.source, Literal(file_name)
    yield document, DCTERMS.identifier, Literal(extraction.doc_id)
    yield document, KGCAT.encoding, Literal(extraction.encoding)
    yield document, KGCAT.normalisedText, Literal(extraction.text, lang=LANGUAGE)
    if extraction.year is not None:
        yield document, DCTERMS.date, Literal(str(extraction.year), datatype=XSD.gYear)
    if region is not None:
        place = minter.location(region.name)
        yield document, DCTERMS.spatial, place
        yield place, RDF.type, DCTERMS.Location
        yield place, SKOS.prefLabel, Literal(region.name, lang=LANGUAGE)


def document_title(raw_text: str, fallback: str) -> str:
    """A title for a document: its first Markdown heading long enough not to be a masthead, else its
    first line of reasonable length, else ``fallback`` (the file name)."""
    lines = [line.strip() for line in raw_text.splitlines() if line.strip()]
    for line in lines:
        heading = line.lstrip("#").strip()
        if line.startswith("#") and len(heading) >= 6:
            return heading[:80]
    for line in lines[:8]:
        if 6 <= len(line) <= 40 and not any(ch.isdigit() for ch in line[:2]):
            return line
    return fallback


def _sentence_iri(document: URIRef, index: int) -> URIRef:
    return URIRef(f"{document}/sentence/{index}")


def _sentence(document: URIRef, extraction: DocumentExtraction, index: int) -> Iterator[Triple]:
    sentence = extraction.sentences[index]
    iri = _sentence_iri(document, index)
    yield iri, RDF.type, OA.SpecificResource
    yield iri, OA.hasSource, document
    yield from _selectors(iri, sentence.start, sentence.end, sentence.text, "", "")


def _mention(document: URIRef, number: int, mention: Mention, entity: URIRef, text: str) -> Iterator[Triple]:
    annotation = URIRef(f"{document}/mention/{number}")
    target = URIRef(f"{annotation}/target")
    yield annotation, RDF.type, OA.Annotation
    yield annotation, OA.motivatedBy, OA.identifying
    yield annotation, OA.hasBody, entity
    yield annotation, OA.hasTarget, target
    yield annotation, KGCAT.confidence, Literal(round(mention.confidence, 3), datatype=XSD.decimal)
    yield annotation, KGCAT.extractionRule, Literal(mention.rule)
    yield target, RDF.type, OA.SpecificResource
    yield target, OA.hasSource, document
    yield target, DCTERMS.isPartOf, _sentence_iri(document, mention.sentence)
    prefix = text[max(0, mention.start - QUOTE_CONTEXT) : mention.start]
    suffix = text[mention.end : mention.end + QUOTE_CONTEXT]
    yield from _selectors(target, mention.start, mention.end, text[mention.start : mention.end], prefix, suffix)


def _selectors(target: URIRef, start: int, end: int, exact: str, prefix: str, suffix: str) -> Iterator[Triple]:
    position = URIRef(f"{target}/position")
    quote = URIRef(f"{target}/quote")
    yield target, OA.hasSelector, position
    yield position, RDF.type, OA.TextPositionSelector
    yield position, OA.start, Literal(start)
    yield position, OA.end, Literal(end)
    yield target, OA.hasSelector, quote
    yield quote, RDF.type, OA.TextQuoteSelector
    yield quote, OA.exact, Literal(exact)
    if prefix:
        yield quote, OA.prefix, Literal(prefix)
    if suffix:
        yield quote, OA.suffix, Literal(suffix)


def document_key(path_name: str) -> str:
    """An ASCII key for a document's IRI and graph: its ASCII stem, else a hash of its name."""
    stem = path_name.rsplit(".", 1)[0]
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in stem).strip("-")
    return safe.lower() if safe and stem.isascii() else f"doc-{name_key(path_name)}"
