"""Co-mention: the policies, projects and datasets named by the documents that name an entity."""

from __future__ import annotations

from rdflib import Literal, URIRef

from graph.related import co_mentioned
from graph.sparql_text import is_safe_iri
from graph.store import OxigraphStore
from ontology.namespaces import DCAT3, DCTERMS, KGCAT, RDF, SDO, SKOS

BASE = "https://kgcat.example.org/id/"
POLICY, PROJECT, OTHER_PROJECT, DATASET = (
    URIRef(BASE + name) for name in ("policy/p", "project/x", "project/y", "dataset/d")
)
DOC_1, DOC_2 = URIRef(BASE + "document/1"), URIRef(BASE + "document/2")


def _store() -> OxigraphStore:
    store = OxigraphStore(None)
    triples = [
        (POLICY, RDF.type, KGCAT.Policy),
        (POLICY, SKOS.prefLabel, Literal("数字化转型规划", lang="zh")),
        (PROJECT, RDF.type, KGCAT.Project),
        (PROJECT, SKOS.prefLabel, Literal("城市大脑", lang="zh")),
        (OTHER_PROJECT, RDF.type, KGCAT.Project),
        (OTHER_PROJECT, SKOS.prefLabel, Literal("一网通办", lang="zh")),
        (DATASET, RDF.type, DCAT3.Dataset),
        (DATASET, RDF.type, KGCAT.DataResource),
        (DATASET, DCTERMS.title, Literal("行道树信息表", lang="zh")),
        *((DOC_1, SDO.mentions, node) for node in (POLICY, PROJECT, DATASET)),
        *((DOC_2, SDO.mentions, node) for node in (POLICY, PROJECT, OTHER_PROJECT)),
    ]
    store.replace_graph(URIRef("https://kgcat.example.org/graph/test"), triples)
    return store


def test_a_policy_lists_the_projects_and_datasets_its_documents_name() -> None:
    found = co_mentioned(_store(), POLICY)

    assert [(m.label, m.kind, m.documents) for m in found] == [
        ("城市大脑", KGCAT.Project, 2),  # named in both documents: first
        ("一网通办", KGCAT.Project, 1),
        ("行道树信息表", DCAT3.Dataset, 1),  # a dataset that is also a data resource, listed once
    ]


def test_a_dataset_lists_the_policies_named_with_it_but_not_itself() -> None:
    found = co_mentioned(_store(), DATASET)

    assert {m.iri for m in found} == {POLICY, PROJECT}


def test_an_iri_that_cannot_be_written_in_sparql_finds_nothing() -> None:
    hostile = URIRef(BASE + "x> ?p ?o } #")

    assert not is_safe_iri(str(hostile))
    assert co_mentioned(_store(), hostile) == ()
