"""End to end: ``kgcat build`` then ``kgcat serve`` on a real port, used by stock clients.

The one API test with the real encoder and the real query worker processes: curl-style
Turtle on a dataset IRI, SPARQLWrapper, rdflib's SPARQLStore, search, and a runaway query cut
at its timeout while other requests keep being answered.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_helpers import parse_rdf
from process_priority import children_of, command_of, niceness_of
from rdflib import Graph, Literal
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from served_catalogue import built_and_served

from ontology.namespaces import DCAT3, DCTERMS, RDF

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with built_and_served(tmp_path_factory.mktemp("serve"), KGCAT_QUERY_TIMEOUT_S="2") as url:
        yield url


def dataset_iri(url: str) -> str:
    query = 'SELECT ?d WHERE { ?d dct:title "新能源汽车充电场表"@zh }'
    response = httpx.get(f"{url}/sparql", params={"query": query})
    return str(response.json()["results"]["bindings"][0]["d"]["value"])


def test_turtle_on_a_dataset_iri(server: str) -> None:
    iri = dataset_iri(server)
    path = "/" + iri.split("/", 3)[3]

    response = httpx.get(server + path, headers={"Accept": "text/turtle"})

    assert response.headers["content-type"].startswith("text/turtle")
    graph = parse_rdf(response.content, "text/turtle")
    assert (None, RDF.type, DCAT3.Dataset) in graph
    assert (None, DCTERMS.title, Literal("新能源汽车充电场表", lang="zh")) in graph


def test_sparqlwrapper_is_a_stock_client(server: str) -> None:
    sparqlwrapper = pytest.importorskip("SPARQLWrapper")
    client = sparqlwrapper.SPARQLWrapper(f"{server}/sparql")
    client.setQuery(
        "PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dcat:Dataset }"
    )
    client.setReturnFormat(sparqlwrapper.JSON)

    result = client.query().convert()

    assert result["results"]["bindings"][0]["n"]["value"] == "10"  # type: ignore[index]


def test_rdflib_sparqlstore_reads_the_endpoint(server: str) -> None:
    graph = Graph(store=SPARQLStore(query_endpoint=f"{server}/sparql"))

    rows = list(
        graph.query(
            "SELECT ?t WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> ?t }"
        )
    )
    triples = list(graph.triples((None, RDF.type, DCAT3.Dataset)))

    assert len(rows) == 10 and len(triples) == 10


def test_search_with_the_real_encoder(server: str) -> None:
    body = httpx.get(f"{server}/search", params={"q": "充电桩在哪里", "k": 3}).json()

    assert "新能源汽车充电场表" in [result["label"] for result in body["results"]]


def test_a_runaway_query_is_cut_while_others_are_answered(server: str) -> None:
    runaway = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
    outcome: dict[str, object] = {}

    def run_away() -> None:
        started = time.monotonic()
        response = httpx.get(f"{server}/sparql", params={"query": runaway}, timeout=30)
        outcome.update(status=response.status_code, seconds=time.monotonic() - started, body=response.json())

    for _ in range(2):  # both query workers started and opened the store (slow on a busy machine)
        httpx.get(f"{server}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    thread = threading.Thread(target=run_away)
    thread.start()
    time.sleep(0.3)
    quick = []
    while thread.is_alive():
        started = time.monotonic()
        assert httpx.get(f"{server}/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
        quick.append(time.monotonic() - started)
        time.sleep(0.05)
    thread.join()

    assert outcome["status"] == 503
    assert outcome["body"]["error"]["code"] == "query-timeout"  # type: ignore[index]
    assert 2.0 <= float(outcome["seconds"]) < 5.0  # type: ignore[arg-type]
    # answered while the runaway ran, none held back until it ended (it runs for 2 s and more)
    assert len(quick) >= 3 and max(quick) < 1.5


def test_query_and_search_workers_run_below_the_server_priority(server: str) -> None:
    port = server.rsplit(":", 1)[1].encode()
    (served,) = [
        int(process.name)
        for process in Path("/proc").glob("[0-9]*")
        if (process / "cmdline").exists() and b"serve --port " + port in command_of(int(process.name))
    ]
    workers = [(niceness_of(child), command_of(child)) for child in children_of(served)]
    query = [nice for nice, command in workers if b"graph.query_worker" in command]
    search = [nice for nice, command in workers if b"spawn_main" in command]

    assert len(query) == 2 and len(search) == 2  # the default pools: 2 query and 2 search workers
    assert set(query) == set(search) == {niceness_of(served) + 3}  # KGCAT_WORKER_NICENESS's default
