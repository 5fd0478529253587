"""The Oxigraph store: atomic graph replacement, named graphs, source hashes, union queries, exports."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import QueryError, StoreError
from graph.formats import rdf_syntax, results_syntax
from graph.store import STAGING_PREFIX, OxigraphStore
from graph.terms import from_ox
from ontology.namespaces import DCAT3, DCTERMS, KGCAT, RDF, XSD

GraphComparer = Callable[[Graph, Graph], None]
Triple = tuple[Node, Node, Node]

EX = "https://example.org/kgcat-test/"
FIRST = URIRef(EX + "graph/first")
SECOND = URIRef(EX + "graph/second")


def dataset(name: str, title: str) -> list[Triple]:
    node = URIRef(EX + "dataset/" + name)
    return [
        (node, RDF.type, DCAT3.Dataset),
        (node, DCTERMS.title, Literal(title, lang="zh")),
        (node, DCTERMS.issued, Literal("2024-03-24", datatype=XSD.date)),
    ]


def failing_after(triples: list[Triple], error: Exception) -> Iterator[Triple]:
    """Yield ``triples``, then fail the way a crash during an import would."""
    yield from triples
    raise error


def graph_names_with_triples(store: OxigraphStore) -> set[str]:
    return {str(r["g"]) for r in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows}


def as_graph(triples: Iterator[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def test_replace_graph_is_atomic_when_the_triples_fail_midway(store: OxigraphStore) -> None:
    store.replace_graph(FIRST, dataset("street-trees", "行道树信息表"))
    before = set(store.triples(FIRST))

    with pytest.raises(RuntimeError, match="disk full"):
        store.replace_graph(FIRST, failing_after(dataset("parks", "公园绿化资源表"), RuntimeError("disk full")))

    assert set(store.triples(FIRST)) == before
    assert len(store) == len(before)
    assert graph_names_with_triples(store) == {str(FIRST)}


def test_replace_graph_on_disk_keeps_the_previous_graph_after_a_failure_and_a_reopen(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    store.replace_graph(FIRST, dataset("street-trees", "行道树信息表"))
    before = set(store.triples(FIRST))
    with pytest.raises(RuntimeError):
        store.replace_graph(FIRST, failing_after(dataset("parks", "公园绿化资源表"), RuntimeError("disk full")))
    store.close()

    reopened = OxigraphStore(tmp_path / "store")

    assert set(reopened.triples(FIRST)) == before
    assert graph_names_with_triples(reopened) == {str(FIRST)}
    reopened.close()


def test_a_staging_graph_left_by_a_crash_is_removed_when_the_store_is_reopened(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = OxigraphStore(tmp_path / "store")
    store.replace_graph(FIRST, dataset("street-trees", "行道树信息表"))
    store.update(f"INSERT DATA {{ GRAPH <{STAGING_PREFIX}crashed> {{ <{EX}s> <{EX}p> <{EX}o> }} }}")
    assert store.named_graphs() == [FIRST]  # staging graphs are never listed
    store.close()

    with caplog.at_level(logging.WARNING, logger="graph.store"):
        reopened = OxigraphStore(tmp_path / "store")

    assert graph_names_with_triples(reopened) == {str(FIRST)}
    assert any("crashed" in record.getMessage() for record in caplog.records)
    reopened.close()


def test_replace_graph_replaces_only_its_own_graph(store: OxigraphStore) -> None:
    store.replace_graph(FIRST, dataset("street-trees", "行道树信息表"))
    store.replace_graph(SECOND, dataset("parks", "公园绿化资源表"))

    written = store.replace_graph(FIRST, dataset("old-trees", "古树名木保护表"))

    assert written == 3
    assert set(store.triples(FIRST)) == set(dataset("old-trees", "古树名木保护表"))
    assert set(store.triples(SECOND)) == set(dataset("parks", "公园绿化资源表"))


def test_named_graphs_are_listed_in_order(store: OxigraphStore) -> None:
    store.replace_graph(SECOND, dataset("parks", "公园绿化资源表"))
    store.replace_graph(FIRST, dataset("street-trees", "行道树信息表"))

    assert store.named_graphs() == [FIRST, SECOND]


def test_a_graph_replaced_by_no_triples_is_still_listed(store: OxigraphStore) -> None:
    assert store.replace_graph(FIRST, []) == 0
    assert store.named_graphs() == [FIRST]


def test_remove_graph_removes_it_and_says_whether_it_existed(store: OxigraphStore) -> None:
    store.replace_graph(FIRST, dataset("street-trees", "行道树信息表"))

    assert store.remove_graph(FIRST) is True
    assert store.remove_graph(FIRST) is False
    assert store.named_graphs() == []
    assert len(store) == 0


def test_source_hash_round_trips_through_the_graph_description(store: OxigraphStore) -> None:
    store.replace_graph(FIRST, [(FIRST, KGCAT.contentHash, Literal("9f86d081884c7d65"))])

    assert store.source_hash(FIRST) == "9f86d081884c7d65"
    assert store.source_hash(SECOND) is None


def test_source_hash_is_read_from_the_graph_itself_only(store: OxigraphStore) -> None:
    store.replace_graph(SECOND, [(FIRST, KGCAT.contentHash, Literal("claimed by another graph"))])

    assert store.source_hash(FIRST) is None


def test_queries_see_the_union_of_the_named_graphs_as_default_graph(store: OxigraphStore) -> None:
    store.replace_graph(FIRST, dataset("street-trees", "行道树信息表"))
    store.replace_graph(SECOND, dataset("parks", "公园绿化资源表"))

    outcome = store.query("SELECT ?title WHERE { ?d a dcat:Dataset ; dct:title ?title } ORDER BY ?title")

    assert outcome.kind == "select"
    assert [row["title"] for row in outcome.rows] == [
        Literal("公园绿化资源表", lang="zh"),
        Literal("行道树信息表", lang="zh"),
    ]
    assert store.query("ASK { ?d dct:title ?t }").boolean is True


def test_triples_about_reads_the_union_once_per_triple_for_the_subjects_and_predicates_asked(
    store: OxigraphStore,
) -> None:
    trees = dataset("street-trees", "行道树信息表")
    store.replace_graph(FIRST, trees)
    store.replace_graph(SECOND, [*trees[:2], *dataset("parks", "公园绿化资源表")])  # two triples stated twice
    subject = trees[0][0]

    assert sorted(store.triples_about([subject, subject, Literal("not a subject")])) == sorted(trees)
    assert store.triples_about([subject], [DCTERMS.title]) == [trees[1]]
    assert store.triples_about([URIRef(EX + "dataset/unknown"), URIRef(EX + "\x1b")]) == []
    assert store.triples_about([]) == []


def test_a_construct_query_returns_rdflib_terms(store: OxigraphStore, assert_isomorphic: GraphComparer) -> None:
    store.replace_graph(FIRST, dataset("street-trees", "行道树信息表"))

    outcome = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")

    assert outcome.kind == "graph"
    assert_isomorphic(as_graph(iter(dataset("street-trees", "行道树信息表"))), outcome.graph())


def test_blank_nodes_and_literals_keep_their_kind_through_the_store(store: OxigraphStore) -> None:
    node = BNode()
    triples = [
        (URIRef(EX + "d"), DCTERMS.temporal, node),
        (node, DCTERMS.title, Literal("2024年", lang="zh")),
        (node, DCTERMS.description, Literal("plain")),
        (node, DCAT3.byteSize, Literal("5120", datatype=XSD.decimal)),
    ]
    store.replace_graph(FIRST, triples)

    stored = set(store.triples(FIRST))
    [stored_node] = {o for _, _, o in stored if isinstance(o, BNode)}
    assert {(s, p, o) for s, p, o in stored if s == stored_node} == {(stored_node, p, o) for _, p, o in triples[1:]}


def test_a_malformed_query_raises_a_query_error(store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match="does not parse"):
        store.query("SELEKT ?s WHERE { ?s ?p ?o }")


def test_a_read_only_store_refuses_writes(tmp_path: Path) -> None:
    OxigraphStore(tmp_path / "store").close()
    reader = OxigraphStore(tmp_path / "store", read_only=True)

    with pytest.raises(StoreError, match="read-only"):
        reader.replace_graph(FIRST, dataset("street-trees", "行道树信息表"))
    reader.close()


JSON_LD = pytest.param(
    "jsonld",
    # rdflib's own JSON-LD parser still builds a ConjunctiveGraph internally
    marks=pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
)


@pytest.mark.parametrize("name", ["turtle", JSON_LD, "rdfxml", "ntriples"])
def test_exporting_a_triple_syntax_writes_the_union_of_the_graphs(
    store: OxigraphStore, assert_isomorphic: GraphComparer, name: str
) -> None:
    store.replace_graph(FIRST, dataset("street-trees", "行道树信息表"))
    store.replace_graph(SECOND, dataset("parks", "公园绿化资源表"))
    syntax = rdf_syntax(name)
    output = io.BytesIO()

    store.export(output, syntax)

    exported = Graph().parse(data=output.getvalue(), format=syntax.rdflib)
    assert_isomorphic(as_graph(store.triples()), exported)


def test_exporting_trig_keeps_the_named_graphs(store: OxigraphStore, assert_isomorphic: GraphComparer) -> None:
    store.replace_graph(FIRST, dataset("street-trees", "行道树信息表"))
    store.replace_graph(SECOND, dataset("parks", "公园绿化资源表"))
    output = io.BytesIO()

    store.export(output, rdf_syntax("trig"))

    quads = list(ox.parse(output.getvalue(), ox.RdfFormat.TRIG))
    for name in (FIRST, SECOND):
        exported = (
            (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
            for q in quads
            if q.graph_name.value == str(name)
        )
        assert_isomorphic(as_graph(store.triples(name)), as_graph(exported))
    assert {q.graph_name.value for q in quads} == {str(FIRST), str(SECOND)}


def test_a_query_serialises_natively_as_csv(store: OxigraphStore) -> None:
    store.replace_graph(FIRST, dataset("street-trees", "行道树信息表"))
    output = io.BytesIO()

    media_type = store.serialize_query(
        "SELECT ?title WHERE { ?d dct:title ?title }", output, results_syntax("csv"), rdf_syntax("turtle")
    )

    assert media_type == "text/csv"
    assert output.getvalue().decode("utf-8").splitlines() == ["title", "行道树信息表"]
