"""SparqlProtocolStore on a real Virtuoso: replacement and the union, recovery, paging past row caps, errors.

Every test owns a fresh base IRI, so its catalogue shares the session's server with no other
test's (a catalogue owns the graphs under ``<base IRI>graph/``, and its own union and staging graphs).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from virtuoso_server import VirtuosoMissing, VirtuosoServer, free_port, require_binary

from graph.errors import QueryError, RemoteStoreError, StoreError
from graph.formats import rdf_syntax, results_syntax
from graph.query_runner import QueryLimits, QueryRefused, QueryRequest, ResultTooLarge
from graph.remote_runner import RemoteQueryRunner
from graph.remote_store import SparqlProtocolStore
from graph.sparql_client import SparqlEndpoint
from graph.store import Triple
from ontology.namespaces import DCTERMS, RDF

EX = "http://example.org/"
RecordsWriter = Callable[..., Path]


@pytest.fixture
def base() -> str:
    return f"https://kgcat.example.org/test-{uuid.uuid4().hex[:8]}/"


@pytest.fixture
def remote(virtuoso: VirtuosoServer, base: str) -> Iterator[SparqlProtocolStore]:
    store = SparqlProtocolStore(virtuoso.endpoint(), base)
    yield store
    store.close()


def source(base: str, name: str) -> URIRef:
    return URIRef(f"{base}graph/{name}")


def titled(*names: str) -> list[Triple]:
    return [(URIRef(f"{EX}{name}"), DCTERMS.title, Literal(f"标题 {name}", lang="zh")) for name in names]


def union(store: SparqlProtocolStore) -> set[Triple]:
    return set(store.triples())


def test_replacing_a_source_leaves_only_its_new_triples_in_the_union(remote: SparqlProtocolStore, base: str) -> None:
    graph = source(base, "records")
    remote.replace_graph(graph, titled("a", "b"))

    remote.replace_graph(graph, titled("b", "c"))

    assert union(remote) == set(titled("b", "c"))
    assert set(remote.triples(graph)) == set(titled("b", "c"))
    assert remote.named_graphs() == [graph]


def test_a_triple_two_sources_state_is_counted_once_and_survives_removing_one(
    remote: SparqlProtocolStore, base: str
) -> None:
    first, second = source(base, "first"), source(base, "second")
    remote.replace_graph(first, titled("shared", "only-first"))
    remote.replace_graph(second, titled("shared"))
    assert len(remote) == 2

    assert remote.remove_graph(first)

    assert union(remote) == set(titled("shared"))
    assert remote.named_graphs() == [second]
    assert not remote.remove_graph(first)


def test_a_replacement_that_fails_while_streaming_writes_nothing_and_leaves_no_staging_graph(
    remote: SparqlProtocolStore, base: str
) -> None:
    graph = source(base, "records")
    remote.replace_graph(graph, titled("old"))

    def rejected() -> Iterator[Triple]:
        yield from titled("new")
        raise ValueError("a record broke the core shapes")

    with pytest.raises(ValueError, match="core shapes"):
        remote.replace_graph(graph, rejected())

    assert union(remote) == set(titled("old"))
    assert remote._graphs_starting(remote.staging_prefix) == []


def test_a_staging_graph_left_by_an_interrupted_replacement_is_dropped_and_the_union_rebuilt_on_open(
    virtuoso: VirtuosoServer, remote: SparqlProtocolStore, base: str
) -> None:
    graph = source(base, "records")
    remote.replace_graph(graph, titled("kept"))
    staging = f"{remote.staging_prefix}{uuid.uuid4()}"  # as a process killed mid-swap leaves things:
    remote.client.add_triples(staging, b'<http://example.org/half> <http://example.org/p> "staged" .\n')
    remote.client.update(f"DROP SILENT GRAPH <{remote.union}>")  # the union already half-emptied

    reopened = SparqlProtocolStore(virtuoso.endpoint(), base)

    assert reopened._graphs_starting(remote.staging_prefix) == []
    assert union(reopened) == set(titled("kept"))
    reopened.close()


def test_whole_graph_reads_page_past_the_servers_row_cap_with_long_subjects_and_blank_nodes(
    virtuoso: VirtuosoServer, base: str
) -> None:
    store = SparqlProtocolStore(virtuoso.endpoint(result_limit=20), base)  # pages of 10 rows
    long_subject = URIRef(f"{EX}long")
    triples: list[Triple] = [(long_subject, URIRef(f"{EX}p{n}"), Literal(n)) for n in range(25)]
    triples += [(URIRef(f"{EX}s{n:02}"), RDF.value, Literal(f"值 {n}", lang="zh")) for n in range(37)]
    triples += [(URIRef(f"{EX}catalog"), DCTERMS.hasPart, URIRef(f"{EX}part{n}")) for n in range(30)]  # one (s, p)
    node = BNode()
    triples += [(node, RDF.value, Literal("blank")), (URIRef(f"{EX}s00"), DCTERMS.relation, node)]
    graph = source(base, "paged")

    store.replace_graph(graph, triples)
    read = Graph()
    for triple in store.triples(graph):
        read.add(triple)
    expected = Graph()
    for triple in triples:
        expected.add(triple)

    assert len(read) == len(triples) == 94
    assert read.isomorphic(expected)
    store.close()


def test_a_result_reaching_the_servers_row_cap_is_refused_not_returned_short(
    virtuoso: VirtuosoServer, remote: SparqlProtocolStore, base: str
) -> None:
    remote.replace_graph(source(base, "big"), [(URIRef(f"{EX}s{n}"), RDF.value, Literal(n)) for n in range(10_050)])

    with pytest.raises(RemoteStoreError, match="cut the result at 10000 rows"):
        remote.query("SELECT ?s WHERE { ?s rdf:value ?v }")
    with pytest.raises(RemoteStoreError, match="cut the result"):
        remote.query("CONSTRUCT WHERE { ?s rdf:value ?v }")
    assert len(remote) == 10_050
    assert sum(1 for _ in remote.triples()) == 10_050


def test_an_unreachable_server_is_named_in_the_error(base: str) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"

    with pytest.raises(RemoteStoreError, match=f"cannot reach the SPARQL server at {url}") as raised:
        SparqlProtocolStore(SparqlEndpoint(url, timeout_s=5), base)
    assert raised.value.url == url


def test_wrong_credentials_are_refused_with_the_settings_to_check(virtuoso: VirtuosoServer, base: str) -> None:
    endpoint = replace(virtuoso.endpoint(), password="wrong")

    with pytest.raises(RemoteStoreError, match=r"refused the credentials.*KGCAT_REMOTE_PASSWORD") as raised:
        SparqlProtocolStore(endpoint, base)
    assert raised.value.status == 401


def test_triples_about_reads_the_union_for_the_subjects_and_predicates_asked(
    remote: SparqlProtocolStore, base: str
) -> None:
    remote.replace_graph(source(base, "first"), titled("a", "b"))
    remote.replace_graph(source(base, "second"), [*titled("a"), (URIRef(f"{EX}a"), DCTERMS.creator, URIRef(f"{EX}b"))])

    about_a = remote.triples_about([URIRef(f"{EX}a"), Literal("not a subject")])
    titles = remote.triples_about([URIRef(f"{EX}a"), URIRef(f"{EX}b")], [DCTERMS.title])

    assert sorted(about_a) == sorted([*titled("a"), (URIRef(f"{EX}a"), DCTERMS.creator, URIRef(f"{EX}b"))])
    assert sorted(titles) == sorted(titled("a", "b"))
    assert remote.triples_about([Literal("none")]) == []


def test_a_malformed_query_is_a_query_error_with_the_servers_message(remote: SparqlProtocolStore) -> None:
    with pytest.raises(QueryError, match=r"HTTP 400.*syntax error"):
        remote.query("SELECT * WHERE { ?s ?p ")


def test_an_update_reaches_the_sources_and_the_union_follows(remote: SparqlProtocolStore, base: str) -> None:
    graph = source(base, "records")
    remote.replace_graph(graph, titled("a"))

    remote.update(f'INSERT DATA {{ GRAPH <{graph}> {{ <{EX}b> dct:title "标题 b"@zh }} }}')

    assert union(remote) == set(titled("a", "b"))
    ask = remote.query(f"ASK {{ <{EX}b> dct:title ?t }}")
    assert ask.boolean is True


def test_a_graph_outside_the_catalogues_base_iri_is_refused(remote: SparqlProtocolStore) -> None:
    with pytest.raises(StoreError, match="outside"):
        remote.replace_graph(URIRef("http://elsewhere.example/graph"), titled("a"))


def test_a_catalogue_whose_base_holds_another_catalogues_base_sees_only_its_own_sources(
    virtuoso: VirtuosoServer, base: str
) -> None:
    province = SparqlProtocolStore(virtuoso.endpoint(), base)
    district = SparqlProtocolStore(virtuoso.endpoint(), f"{base}xuhui/")  # minted under the province's base
    try:
        province.replace_graph(source(base, "province"), titled("p"))
        district.replace_graph(source(f"{base}xuhui/", "district"), titled("d"))

        assert province.named_graphs() == [source(base, "province")]
        assert union(province) == set(titled("p"))
        assert district.named_graphs() == [source(f"{base}xuhui/", "district")]
        assert union(district) == set(titled("d"))
    finally:
        district.close()
        province.close()


def test_a_read_only_store_refuses_writes(virtuoso: VirtuosoServer, base: str) -> None:
    store = SparqlProtocolStore(virtuoso.endpoint(), base, read_only=True)

    with pytest.raises(StoreError, match="read-only"):
        store.replace_graph(source(base, "x"), titled("a"))
    store.close()


def public_query(text: str) -> QueryRequest:
    return QueryRequest(text, results_syntax("json"), rdf_syntax("turtle"))


def test_public_queries_on_the_server_keep_the_row_cap_and_refuse_service(
    remote: SparqlProtocolStore, base: str
) -> None:
    remote.replace_graph(source(base, "records"), titled("a", "b", "c"))
    runner = RemoteQueryRunner(remote, QueryLimits(timeout_s=10, max_rows=2))

    with pytest.raises(ResultTooLarge):
        runner.run(public_query("SELECT ?s WHERE { ?s dct:title ?t }"))
    with pytest.raises(QueryRefused):
        runner.run(public_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"))
    answer = runner.run(public_query("SELECT ?t WHERE { <http://example.org/a> dct:title ?t }"))
    assert answer.count == 1
    assert json.loads(answer.body)["results"]["bindings"][0]["t"] == {
        "type": "literal",
        "value": "标题 a",
        "xml:lang": "zh",
    }


def test_literals_keep_their_surrounding_whitespace_and_language_through_every_read(
    remote: SparqlProtocolStore, base: str
) -> None:
    """Regression: pyoxigraph's SPARQL XML parser trimmed ``"\\n\\n徐汇区 "`` to ``"徐汇区"``."""
    subject = URIRef(f"{EX}quote")
    triples: list[Triple] = [
        (subject, RDF.value, Literal("\n\n徐汇区与香港理工大学 ")),
        (subject, DCTERMS.title, Literal(" 标题\t", lang="zh")),
        (subject, DCTERMS.identifier, Literal("42", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))),
    ]
    remote.replace_graph(source(base, "quotes"), triples)

    assert set(remote.triples()) == set(triples)
    rows = remote.query(f"SELECT ?p ?o WHERE {{ <{subject}> ?p ?o }}").rows
    assert {(row["p"], row["o"]) for row in rows} == {(p, o) for _, p, o in triples}


def test_a_missing_virtuoso_fails_loudly_naming_the_package() -> None:
    with pytest.raises(VirtuosoMissing, match="virtuoso-opensource"):
        require_binary("virtuoso-t-not-installed-here")


@pytest.mark.slow
def test_an_import_killed_mid_upload_leaves_the_old_source_and_the_next_open_cleans_up(
    virtuoso: VirtuosoServer, base: str, write_records: RecordsWriter
) -> None:
    rows = [
        {
            "id": f"k-{n:04}",
            "title": f"测试数据表{n}",
            "publisher": "上海市徐汇区数据局",
            "region": "上海市徐汇区",
            "domain": "公共服务",
        }
        for n in range(3000)
    ]
    records = write_records(rows, name="killed.csv")
    store = SparqlProtocolStore(virtuoso.endpoint(), base)
    graph = source(base, "killed")
    store.replace_graph(graph, titled("before"))
    before = union(store)
    environment = {**os.environ, **virtuoso.environment(), "KGCAT_BASE_IRI": base}
    command = [sys.executable, "-c", "from api.cli import main; main()", "import", str(records), "--graph", "killed"]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    watcher = SparqlProtocolStore(virtuoso.endpoint(), base, read_only=True)  # read-only: no recovery
    try:
        deadline = time.monotonic() + 120
        while not watcher._graphs_starting(store.staging_prefix):
            assert process.poll() is None, "the import ended before it was seen uploading"
            assert time.monotonic() < deadline, "no staging graph appeared within 120 s"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        watcher.close()
        if process.poll() is None:
            process.kill()

    reopened = SparqlProtocolStore(virtuoso.endpoint(), base)

    assert reopened._graphs_starting(store.staging_prefix) == []
    assert union(reopened) == before
    assert set(reopened.triples(graph)) == set(titled("before"))
    reopened.close()
    store.close()
