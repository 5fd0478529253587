"""The same catalogue, queries and exports on both backends: the embedded store and Virtuoso (issue 7).

Each backend gets the bundled catalogue through ``kgcat build`` — into a data directory, or,
with the ``KGCAT_REMOTE_*`` settings, into a Virtuoso server started on loopback by the
``virtuoso`` fixture (tests/virtuoso_server.py; a missing Virtuoso fails the tests). Every test
runs on both and compares with a reference built in memory by the embedded store; the source
graphs' ``prov:generatedAtTime`` (the time of each build) is the only thing left out.
"""

from __future__ import annotations

import csv
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from api_helpers import TOKEN, auth, build_resources, make_client, parse_rdf
from fastapi.testclient import TestClient
from pydantic import SecretStr
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner
from virtuoso_server import VirtuosoServer

from api.app import create_app
from api.cli import app
from api.settings import Settings
from api.stores import open_store
from graph.catalogue import build_catalogue, bundled_records, catalogue_stats
from graph.formats import RDF_SYNTAXES, RdfSyntax
from graph.importer import ImportOptions
from graph.iris import IriMinter
from graph.store import OxigraphStore
from graph.terms import from_ox
from ontology.namespaces import DCTERMS, PROV

REMOTE_SETTINGS = (
    "KGCAT_REMOTE_QUERY_URL",
    "KGCAT_REMOTE_UPDATE_URL",
    "KGCAT_REMOTE_GRAPH_STORE_URL",
    "KGCAT_REMOTE_USER",
    "KGCAT_REMOTE_PASSWORD",
    "KGCAT_REMOTE_AUTH",
)
DATASETS_QUERY = (
    "SELECT ?title ?publisher WHERE { ?d a dcat:Dataset ; dct:title ?title ; dct:publisher/foaf:name ?publisher }"
)


@dataclass(frozen=True)
class Backend:
    name: str
    data_dir: Path
    environment: dict[str, str]

    def kgcat(self, *args: str) -> str:
        """Run a kgcat command on this backend; its standard output."""
        env: dict[str, str | None] = {name: None for name in REMOTE_SETTINGS}
        env |= {"KGCAT_DATA_DIR": str(self.data_dir), "KGCAT_BASE_IRI": None, **self.environment}
        result = CliRunner(env=env).invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.stdout

    def settings(self) -> Settings:
        remote = {name.removeprefix("KGCAT_").lower(): value for name, value in self.environment.items()}
        return Settings(data_dir=self.data_dir, **remote)


@pytest.fixture(scope="module", params=["embedded", "virtuoso"])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Backend:
    """The bundled catalogue built by ``kgcat build`` on one backend."""
    environment: dict[str, str] = {}
    if request.param == "virtuoso":
        server: VirtuosoServer = request.getfixturevalue("virtuoso")
        environment = server.environment()
    chosen = Backend(request.param, tmp_path_factory.mktemp(f"data-{request.param}"), environment)
    chosen.kgcat("build", "--no-index")
    return chosen


@pytest.fixture(scope="module")
def reference() -> Iterator[OxigraphStore]:
    """The bundled catalogue in an in-memory embedded store."""
    store = OxigraphStore(None)
    build_catalogue(store, IriMinter(), ImportOptions())
    yield store
    store.close()


def without_build_times(graph: Graph) -> Graph:
    graph.remove((None, PROV.generatedAtTime, None))
    return graph


def parsed(data: bytes, syntax: RdfSyntax) -> Graph:
    """A serialisation as an rdflib graph (the quads' graph names dropped)."""
    graph = Graph()
    for item in ox.parse(data, format=syntax.oxigraph):
        graph.add((from_ox(item.subject), from_ox(item.predicate), from_ox(item.object)))
    return without_build_times(graph)


def graph_names(data: bytes, syntax: RdfSyntax) -> set[str]:
    return {str(quad.graph_name) for quad in ox.parse(data, format=syntax.oxigraph)}


def registered_datasets() -> set[tuple[str, str]]:
    """(title, publisher) of every record in the bundled records file, read from the file itself."""
    with bundled_records()[0].open(encoding="utf-8") as handle:
        return {(row["title"], row["publisher"]) for row in csv.DictReader(handle)}


def test_the_ten_registered_datasets_come_back_with_zh_titles_and_publishers(backend: Backend) -> None:
    body = json.loads(backend.kgcat("sparql", DATASETS_QUERY, "--format", "json"))
    bindings = body["results"]["bindings"]

    found = {(row["title"]["value"], row["publisher"]["value"]) for row in bindings}
    assert len(registered_datasets()) == 10
    assert found == registered_datasets()
    assert {row["title"].get("xml:lang") for row in bindings} == {"zh"}


def test_counts_match_the_embedded_reference(backend: Backend, reference: OxigraphStore) -> None:
    store = open_store(backend.settings(), write=False)
    try:
        stats = catalogue_stats(store)
        graphs = store.named_graphs()
    finally:
        store.close()

    assert stats == catalogue_stats(reference)
    assert stats.datasets == 10
    assert graphs == reference.named_graphs()


@pytest.mark.parametrize("syntax", RDF_SYNTAXES, ids=lambda syntax: syntax.name)
def test_export_in_each_rdf_syntax_matches_the_embedded_reference(
    backend: Backend, reference: OxigraphStore, syntax: RdfSyntax, tmp_path: Path, assert_isomorphic
) -> None:
    target = tmp_path / f"catalogue.{syntax.extension}"
    backend.kgcat("export", "--format", syntax.name, "-o", str(target))
    expected = tmp_path / f"reference.{syntax.extension}"
    with expected.open("wb") as handle:
        reference.export(handle, syntax)

    assert_isomorphic(parsed(expected.read_bytes(), syntax), parsed(target.read_bytes(), syntax))
    if syntax.datasets:
        assert graph_names(target.read_bytes(), syntax) == graph_names(expected.read_bytes(), syntax)


def test_a_construct_query_gives_the_reference_graph(
    backend: Backend, reference: OxigraphStore, assert_isomorphic
) -> None:
    query = (
        "CONSTRUCT { ?d dct:title ?t ; dct:publisher ?p } WHERE { ?d a dcat:Dataset ; dct:title ?t ; dct:publisher ?p }"
    )
    body = backend.kgcat("sparql", query, "--format", "turtle").encode("utf-8")

    assert_isomorphic(reference.query(query).graph(), parse_rdf(body, "text/turtle"))
    assert len(parse_rdf(body, "text/turtle")) == 20


def test_graph_patterns_reach_each_source_and_the_default_graph_is_their_merge(
    backend: Backend, reference: OxigraphStore
) -> None:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    body = json.loads(backend.kgcat("sparql", query, "--format", "json"))
    counts = [(row["g"]["value"], int(row["n"]["value"])) for row in body["results"]["bindings"]]

    expected = [(str(row["g"]), int(str(row["n"]))) for row in reference.query(query).rows]
    assert counts == expected
    total = json.loads(backend.kgcat("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "json"))
    assert int(total["results"]["bindings"][0]["n"]["value"]) == len(reference)


def test_the_api_dereferences_a_dataset_as_the_embedded_store_describes_it(
    backend: Backend, reference: OxigraphStore, assert_isomorphic
) -> None:
    dataset = reference.query('SELECT ?d WHERE { ?d dct:title "新能源汽车充电场表"@zh }').rows[0]["d"]
    assert isinstance(dataset, URIRef)
    path = "/" + str(dataset).removeprefix(IriMinter().base)
    with TestClient(create_app(backend.settings())) as client:
        response = client.get(path, headers={"Accept": "text/turtle"})
        answer = client.get("/sparql", params={"query": DATASETS_QUERY}, headers={"Accept": "text/csv"})

    assert response.status_code == 200, response.text
    description = parse_rdf(response.content, "text/turtle")
    assert (dataset, DCTERMS.title, Literal("新能源汽车充电场表", lang="zh")) in description
    expected = make_client(build_resources(None), backend.data_dir).get(path, headers={"Accept": "text/turtle"})
    assert_isomorphic(parse_rdf(expected.content, "text/turtle"), description)
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-kgcat-result-count"] == "10"
    assert set(answer.text.splitlines()[1:]) == {f"{title},{publisher}" for title, publisher in registered_datasets()}


def test_the_search_index_is_built_locally_from_the_stores_graph(backend: Backend) -> None:
    backend.kgcat("index")
    response = json.loads(backend.kgcat("search", "充电桩 数据", "--json"))

    assert (backend.data_dir / "index").is_dir()
    assert response["results"][0]["label"] == "新能源汽车充电场表"


@pytest.fixture(params=["embedded", "virtuoso"])
def empty_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings of an empty catalogue with writes enabled: a fresh data directory, or a fresh base IRI on Virtuoso."""
    if request.param == "embedded":
        OxigraphStore(tmp_path / "store").close()
        return Settings(data_dir=tmp_path, write_token=SecretStr(TOKEN))
    server: VirtuosoServer = request.getfixturevalue("virtuoso")
    remote = {name.removeprefix("KGCAT_").lower(): value for name, value in server.environment().items()}
    base = f"https://kgcat.example.org/{uuid.uuid4().hex[:8]}/"
    return Settings(data_dir=tmp_path, write_token=SecretStr(TOKEN), base_iri=base, **remote)


def test_writes_through_the_api_reach_the_store_and_the_next_query(empty_backend: Settings) -> None:
    records = (
        "id,title,publisher,region,domain\n"
        "t-001,古树名木保护表,上海市徐汇区绿化和市容管理局,上海市徐汇区,生态环境保护\n"
    )
    graph = {"graph": f"{empty_backend.base_iri}graph/uploaded"}
    turtle = {"Content-Type": "text/turtle", **auth()}
    count = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset }"
    with TestClient(create_app(empty_backend)) as client:
        created = client.post(
            "/import",
            params={"graph": "extra"},
            content=records.encode(),
            headers={"Content-Type": "text/csv", **auth()},
        )
        datasets = client.get("/sparql", params={"query": count}, headers={"Accept": "text/csv"})
        put = client.put("/graph-store", params=graph, content=b"<urn:test:a> <urn:test:p> 1 .", headers=turtle)
        read = client.get("/graph-store", params=graph, headers={"Accept": "application/n-triples", **auth()})
        deleted = client.delete("/graph-store", params=graph, headers=auth())
        gone = client.get("/graph-store", params=graph, headers=auth())

    assert created.status_code == 201, created.text
    assert datasets.text.splitlines() == ["n", "1"]
    assert put.status_code == 201, put.text
    assert read.text.strip() == '<urn:test:a> <urn:test:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    assert deleted.status_code == 204
    assert gone.status_code == 404


def test_the_entity_page_for_people_is_the_same_on_both_backends(backend: Backend, reference: OxigraphStore) -> None:
    dataset = reference.query('SELECT ?d WHERE { ?d dct:title "新能源汽车充电场表"@zh }').rows[0]["d"]
    path = "/" + str(dataset).removeprefix(IriMinter().base)
    browser = {"Accept": "text/html"}
    with TestClient(create_app(backend.settings())) as client:
        page = client.get(path, headers=browser).text
    expected = make_client(build_resources(None), backend.data_dir).get(path, headers=browser).text

    for section in ("基本信息", "关联图", "相关政策、项目和数据资源", "文件中提到它的句子", "下载"):
        assert section in page, section
    assert "<mark>新能源汽车充电场表</mark>" in page  # the source sentence, from the store's annotations
    assert sorted(re.findall(r'<li><a href="([^"]+)"', page)) == sorted(re.findall(r'<li><a href="([^"]+)"', expected))
