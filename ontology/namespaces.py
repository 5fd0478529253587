"""Every RDF namespace kgcat uses, declared once and imported everywhere else.

Standard vocabularies come from rdflib where rdflib has a closed class; DCAT 3 and the
project vocabulary are generated closed classes (`dcat3_terms`, `kgcat_terms`); ADMS,
DQV and the W3C Web Annotation vocabulary are small closed classes written here with
just the terms of their specifications that kgcat uses or may use.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
)
from rdflib.term import URIRef

from ontology.dcat3_terms import DCAT3
from ontology.kgcat_terms import KGCAT


class ADMS(DefinedNamespace):
    """Asset Description Metadata Schema (https://www.w3.org/TR/vocab-adms/)."""

    _NS = Namespace("http://www.w3.org/ns/adms#")
    _fail = True

    Asset: URIRef
    AssetDistribution: URIRef
    AssetRepository: URIRef
    Identifier: URIRef
    identifier: URIRef
    includedAsset: URIRef
    interoperabilityLevel: URIRef
    last: URIRef
    next: URIRef
    prev: URIRef
    representationTechnique: URIRef
    sample: URIRef
    schemaAgency: URIRef
    status: URIRef
    supportedSchema: URIRef
    translation: URIRef
    versionNotes: URIRef


class DQV(DefinedNamespace):
    """Data Quality Vocabulary (https://www.w3.org/TR/vocab-dqv/)."""

    _NS = Namespace("http://www.w3.org/ns/dqv#")
    _fail = True

    Category: URIRef
    Dimension: URIRef
    Metric: URIRef
    QualityAnnotation: URIRef
    QualityMeasurement: URIRef
    computedOn: URIRef
    hasQualityAnnotation: URIRef
    hasQualityMeasurement: URIRef
    inCategory: URIRef
    inDimension: URIRef
    isMeasurementOf: URIRef
    value: URIRef


class OA(DefinedNamespace):
    """W3C Web Annotation vocabulary (https://www.w3.org/TR/annotation-vocab/), the terms kgcat uses."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    Annotation: URIRef
    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    describing: URIRef
    exact: URIRef
    end: URIRef
    hasBody: URIRef
    hasSelector: URIRef
    hasSource: URIRef
    hasTarget: URIRef
    identifying: URIRef
    motivatedBy: URIRef
    prefix: URIRef
    start: URIRef
    suffix: URIRef
    tagging: URIRef


class HYDRA(DefinedNamespace):
    """Hydra Core Vocabulary (https://www.hydra-cg.com/spec/latest/core/), the paging terms kgcat's exports use."""

    _NS = Namespace("http://www.w3.org/ns/hydra/core#")
    _fail = True

    Collection: URIRef
    PartialCollectionView: URIRef
    first: URIRef
    last: URIRef
    member: URIRef
    next: URIRef
    previous: URIRef
    totalItems: URIRef
    view: URIRef


class SD(DefinedNamespace):
    """SPARQL 1.1 Service Description (https://www.w3.org/TR/sparql11-service-description/), the terms kgcat uses."""

    _NS = Namespace("http://www.w3.org/ns/sparql-service-description#")
    _fail = True

    BasicFederatedQuery: URIRef
    Dataset: URIRef
    Graph: URIRef
    NamedGraph: URIRef
    SPARQL11Query: URIRef
    SPARQL11Update: URIRef
    Service: URIRef
    UnionDefaultGraph: URIRef
    defaultDataset: URIRef
    defaultGraph: URIRef
    endpoint: URIRef
    feature: URIRef
    name: URIRef
    namedGraph: URIRef
    resultFormat: URIRef
    supportedLanguage: URIRef


class FORMATS(DefinedNamespace):
    """W3C unique URIs for file formats (https://www.w3.org/ns/formats/), named by sd:resultFormat."""

    _NS = Namespace("http://www.w3.org/ns/formats/")
    _fail = True

    JSON_LD: URIRef
    N_Triples: URIRef
    RDF_XML: URIRef
    SPARQL_Results_CSV: URIRef
    SPARQL_Results_JSON: URIRef
    SPARQL_Results_TSV: URIRef
    SPARQL_Results_XML: URIRef
    Turtle: URIRef


EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
"""EU Publications Office frequency authority: the concepts of kgcat's update-frequency scheme."""

PREFIXES: dict[str, str] = {
    "dcat": str(DCAT3),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "org": str(ORG),
    "skos": str(SKOS),
    "prov": str(PROV),
    "adms": str(ADMS),
    "dqv": str(DQV),
    "oa": str(OA),
    "kgcat": str(KGCAT),
    "schema": str(SDO),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
    "freq": str(EU_FREQUENCY),
}
"""Prefixes bound in every export and offered to SPARQL queries."""


def compact(iri: str) -> str:
    """``http://purl.org/dc/terms/title`` → ``dct:title`` for the prefixes above; other IRIs unchanged."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


__all__ = [
    "ADMS",
    "DCAT3",
    "DCTERMS",
    "DQV",
    "EU_FREQUENCY",
    "FOAF",
    "FORMATS",
    "HYDRA",
    "KGCAT",
    "OA",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SD",
    "SDO",
    "SH",
    "SKOS",
    "XSD",
    "compact",
]
