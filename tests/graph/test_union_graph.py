"""Issue 7: the union of the sources lives in Oxigraph's default graph, deduplicated, and is no named graph.

Stores written before kept it in the named graph ``urn:kgcat:union``: a read-write open moves it
(crash-safely), a read-only open refuses with what to run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.term import Node

from graph.errors import StoreError
from graph.formats import rdf_syntax, results_syntax
from graph.query_runner import InProcessRunner, QueryLimits, QueryRequest
from graph.store import OxigraphStore, QueryDataset
from graph.update_targets import DefaultGraphWrite
from ontology.namespaces import DCAT3, DCTERMS, RDF

Triple = tuple[Node, Node, Node]

EX = "https://example.org/kgcat-test/"
FIRST = URIRef(EX + "graph/first")
SECOND = URIRef(EX + "graph/second")
OLD_UNION = ox.NamedNode("urn:kgcat:union")
TREES = URIRef(EX + "dataset/street-trees")
PARKS = URIRef(EX + "dataset/parks")
SHARED = (TREES, RDF.type, DCAT3.Dataset)  # stated by both sources
ONLY_FIRST = (TREES, DCTERMS.title, Literal("行道树信息表", lang="zh"))
ONLY_SECOND = (PARKS, DCTERMS.title, Literal("公园绿化资源表", lang="zh"))


@pytest.fixture(params=["memory", "disk"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OxigraphStore]:
    store = OxigraphStore(None if request.param == "memory" else tmp_path / "store")
    yield store
    store.close()


def fill(store: OxigraphStore) -> None:
    store.replace_graph(FIRST, [SHARED, ONLY_FIRST])
    store.replace_graph_ntriples(SECOND, [_ntriples([SHARED, ONLY_SECOND])])


def _ntriples(triples: Sequence[Triple]) -> bytes:
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples).encode("utf-8")


def count(store: OxigraphStore, where: str) -> int:
    value = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows[0]["n"]
    assert isinstance(value, Literal)
    return int(value)


def public(store: OxigraphStore, sparql: str, dataset: QueryDataset | None = None) -> str:
    """The answer of the public endpoint's evaluator (graph/query_eval.py), as CSV."""
    runner = InProcessRunner(store.native, QueryLimits())
    request = QueryRequest(sparql, results_syntax("csv"), rdf_syntax("turtle"), dataset)
    return runner.run(request).body.decode("utf-8")


def union_quads(native: ox.Store) -> set[ox.Quad]:
    return set(native.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def test_the_union_is_the_deduplicated_merge_of_the_sources_in_the_default_graph(any_store: OxigraphStore) -> None:
    fill(any_store)

    assert count(any_store, "?s ?p ?o") == 3  # the shared triple once
    assert len(any_store) == 3
    assert public(any_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").splitlines() == ["n", "3"]
    assert len(union_quads(any_store.native)) == 3
    assert sorted(any_store.triples()) == sorted([SHARED, ONLY_FIRST, ONLY_SECOND])


def test_graph_variables_reach_exactly_the_sources_and_never_a_union_graph(any_store: OxigraphStore) -> None:
    fill(any_store)
    sparql = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"

    assert [str(row["g"]) for row in any_store.query(sparql).rows] == [str(FIRST), str(SECOND)]
    assert public(any_store, sparql).splitlines() == ["g", str(FIRST), str(SECOND)]
    assert any_store.named_graphs() == [FIRST, SECOND]
    assert count(any_store, "GRAPH ?g { ?s ?p ?o }") == 4  # the shared triple once per source
    assert not any_store.native.contains_named_graph(OLD_UNION)


def test_a_protocol_dataset_replaces_the_union_default_graph(any_store: OxigraphStore) -> None:
    fill(any_store)
    triples = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    assert public(any_store, triples, QueryDataset((str(FIRST),), ())).splitlines() == ["n", "2"]
    assert public(any_store, triples, QueryDataset((), (str(FIRST),))).splitlines() == ["n", "0"]  # §2.1.4: none


def test_removing_or_replacing_a_source_keeps_what_another_source_states(any_store: OxigraphStore) -> None:
    fill(any_store)

    any_store.replace_graph(FIRST, [ONLY_FIRST])
    assert sorted(any_store.triples()) == sorted([SHARED, ONLY_FIRST, ONLY_SECOND])
    any_store.remove_graph(SECOND)
    assert sorted(any_store.triples()) == [ONLY_FIRST]
    any_store.remove_graph(FIRST)
    assert len(any_store) == 0


def test_an_update_is_reflected_in_the_union(any_store: OxigraphStore) -> None:
    fill(any_store)
    added = (PARKS, DCTERMS.description, Literal("公园", lang="zh"))

    any_store.update(
        f"DELETE DATA {{ GRAPH <{FIRST}> {{ {ONLY_FIRST[0].n3()} {ONLY_FIRST[1].n3()} {ONLY_FIRST[2].n3()} }} }} ; "
        f"INSERT DATA {{ GRAPH <{SECOND}> {{ {added[0].n3()} {added[1].n3()} {added[2].n3()} }} }}"
    )

    assert sorted(any_store.triples()) == sorted([SHARED, ONLY_SECOND, added])


def test_an_update_that_writes_to_the_default_graph_is_refused_and_changes_nothing(any_store: OxigraphStore) -> None:
    fill(any_store)
    before = sorted(any_store.triples())

    with pytest.raises(DefaultGraphWrite, match="GRAPH <…>"):
        any_store.update(
            f"DELETE DATA {{ GRAPH <{FIRST}> {{ {ONLY_FIRST[0].n3()} {ONLY_FIRST[1].n3()} {ONLY_FIRST[2].n3()} }} }} ; "
            f"INSERT DATA {{ <{EX}stray> <{EX}p> <{EX}o> }}"
        )

    assert sorted(any_store.triples()) == before  # neither operation ran


def _old_layout_store(path: Path, *, union: bool = True) -> None:
    """A store as kgcat wrote it before this change: sources, their merge in ``urn:kgcat:union``, no default graph."""
    native = ox.Store(str(path))
    for graph, triples in ((FIRST, [SHARED, ONLY_FIRST]), (SECOND, [SHARED, ONLY_SECOND])):
        native.load(_ntriples(triples), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph)))
        if union:
            native.load(_ntriples(triples), ox.RdfFormat.N_TRIPLES, to_graph=OLD_UNION)
    native.flush()
    del native


def test_a_read_only_open_of_an_old_layout_store_refuses_and_says_what_to_run(tmp_path: Path) -> None:
    path = tmp_path / "store"
    _old_layout_store(path)

    with pytest.raises(StoreError, match=r"urn:kgcat:union.*read-write.*`kgcat serve`.*`kgcat import`"):
        OxigraphStore(path, read_only=True)


@pytest.mark.parametrize("union", [True, False], ids=["named union graph", "no union at all"])
def test_a_read_write_open_moves_an_old_layout_union_into_the_default_graph(tmp_path: Path, union: bool) -> None:
    path = tmp_path / "store"
    _old_layout_store(path, union=union)

    OxigraphStore(path).close()

    reader = OxigraphStore(path, read_only=True)
    assert not reader.native.contains_named_graph(OLD_UNION)
    assert reader.named_graphs() == [FIRST, SECOND]
    assert sorted(reader.triples()) == sorted([SHARED, ONLY_FIRST, ONLY_SECOND])
    assert count(reader, "?s ?p ?o") == 3
    assert not path.with_name("store.union-rebuild").exists()
    reader.close()


def test_a_migration_interrupted_by_a_crash_is_finished_on_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "store"
    _old_layout_store(path)
    # What a process dying half-way through the move leaves: the marker, part of the union in the
    # default graph, the old union graph still there.
    path.with_name("store.union-rebuild").write_text("rebuilding", encoding="utf-8")
    native = ox.Store(str(path))
    native.add(ox.Quad(ox.NamedNode(str(TREES)), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(DCAT3.Dataset))))
    native.flush()
    del native

    reopened = OxigraphStore(path)

    assert sorted(reopened.triples()) == sorted([SHARED, ONLY_FIRST, ONLY_SECOND])
    assert not reopened.native.contains_named_graph(OLD_UNION)
    assert not path.with_name("store.union-rebuild").exists()
    reopened.close()
