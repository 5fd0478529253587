"""Updates writing to the default graph (the union kgcat computes) are refused, saying how to name a graph."""

from __future__ import annotations

import pytest

from graph.store import OxigraphStore
from graph.update_targets import DefaultGraphWrite, refuse_default_graph_writes
from ontology.namespaces import PREFIXES

EX = "https://kgcat.example.org/id/"


@pytest.mark.parametrize(
    ("update", "named"),
    [
        (f'INSERT DATA {{ <{EX}s> dct:title "表"@zh }}', "INSERT DATA triples without GRAPH"),
        (f'DELETE DATA {{ <{EX}s> dct:title "表"@zh }}', "DELETE DATA triples without GRAPH"),
        (f"DELETE WHERE {{ <{EX}s> ?p ?o }}", "DELETE WHERE triples without GRAPH"),
        ('INSERT { ?s dct:title "新"@zh } WHERE { GRAPH ?g { ?s a dcat:Dataset } }', "INSERT template"),
        (f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s = <{EX}s>) }}", "DELETE template"),
        ("CLEAR DEFAULT", "CLEAR DEFAULT"),
        ("DROP DEFAULT", "DROP DEFAULT"),
        (f"ADD <{EX}g> TO DEFAULT", "ADD … TO DEFAULT"),
        (
            f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}s> a dcat:Dataset }} }} ; INSERT DATA {{ <{EX}s> a dcat:Dataset }}",
            "",
        ),
    ],
)
def test_writes_to_the_default_graph_are_refused(update: str, named: str) -> None:
    with pytest.raises(DefaultGraphWrite, match="default graph") as refused:
        refuse_default_graph_writes(update, base_iri=None, prefixes=PREFIXES)

    assert named in str(refused.value)
    assert "GRAPH <…>" in str(refused.value)  # and says how to name one


@pytest.mark.parametrize(
    "update",
    [
        f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}s> dct:title "表"@zh }} }}',
        f"DELETE {{ GRAPH ?g {{ <{EX}s> ?p ?o }} }} WHERE {{ GRAPH ?g {{ <{EX}s> ?p ?o }} }}",
        f'WITH <{EX}g> DELETE {{ ?s dct:title ?t }} INSERT {{ ?s dct:title "新"@zh }} WHERE {{ ?s dct:title ?t }}',
        f'INSERT {{ GRAPH <{EX}g> {{ ?s dct:title "新"@zh }} }} WHERE {{ ?s a dcat:Dataset }}',  # reads the union
        f"COPY DEFAULT TO <{EX}copy>",
        f"CLEAR GRAPH <{EX}g>",
        "DROP ALL",
        f"CREATE GRAPH <{EX}new>",
    ],
)
def test_writes_to_named_graphs_and_reads_of_the_union_pass(update: str) -> None:
    refuse_default_graph_writes(update, base_iri=None, prefixes=PREFIXES)


def test_text_rdflib_cannot_parse_is_left_to_the_store() -> None:
    refuse_default_graph_writes("INSERT DATA {", base_iri=None, prefixes=PREFIXES)


def test_the_store_refuses_before_running_and_keeps_its_contents(store: OxigraphStore) -> None:
    store.update(f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}s> dct:title "表"@zh }} }}')

    with pytest.raises(DefaultGraphWrite):
        store.update(
            f'DELETE DATA {{ <{EX}s> dct:title "表"@zh }} ; INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}t> a owl:Thing }} }}'
        )

    assert len(store) == 1  # neither operation ran


def test_prefixes_of_the_first_operation_hold_in_the_later_ones() -> None:
    prologue = "PREFIX dc: <http://purl.org/dc/terms/>\nCLEAR ALL ;\n"
    refuse_default_graph_writes(
        prologue + f"INSERT {{ GRAPH <{EX}g> {{ ?s a dc:BibliographicResource }} }} WHERE {{ ?s a dc:Agent }}",
        base_iri=None,
        prefixes={},
    )
    with pytest.raises(DefaultGraphWrite, match="INSERT template"):
        refuse_default_graph_writes(
            prologue + "INSERT { ?s a dc:BibliographicResource } WHERE { GRAPH ?g { ?s a dc:Agent } }",
            base_iri=None,
            prefixes={},
        )
