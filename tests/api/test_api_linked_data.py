"""Dereferencing: minted IRIs answer on this server in HTML and every RDF syntax, with 406, 404, ETags."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_helpers import assert_error, make_client, parse_rdf
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from api.html import EntityView, entity_page
from api.negotiation import PLAIN_RDF
from api.resources import Resources
from graph.catalogue import build_catalogue
from graph.describe import Description
from graph.importer import ImportOptions
from graph.iris import IriMinter
from graph.query_runner import InProcessRunner, QueryLimits
from graph.store import OxigraphStore
from ontology.namespaces import ADMS, DCAT3, DCTERMS, KGCAT, RDF, SKOS


@pytest.fixture(scope="module")
def dataset(shared_resources: Resources) -> URIRef:
    rows = shared_resources.store.query('SELECT ?d WHERE { ?d dct:title "新能源汽车充电场表"@zh }').rows
    iri = rows[0]["d"]
    assert isinstance(iri, URIRef)
    return iri


def path_of(iri: URIRef) -> str:
    return "/" + str(iri).removeprefix(IriMinter().base)


def test_turtle_on_a_dataset_iri_describes_it(client: TestClient, dataset: URIRef) -> None:
    response = client.get(path_of(dataset), headers={"Accept": "text/turtle"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = parse_rdf(response.content, "text/turtle")
    assert (dataset, RDF.type, DCAT3.Dataset) in graph
    assert (dataset, DCTERMS.title, Literal("新能源汽车充电场表", lang="zh")) in graph


def test_the_description_includes_sub_nodes_and_labels_of_objects(client: TestClient, dataset: URIRef) -> None:
    graph = parse_rdf(client.get(path_of(dataset), params={"format": "turtle"}).content, "text/turtle")

    identifier = URIRef(f"{dataset}/identifier")
    if (dataset, ADMS.identifier, identifier) in graph:
        assert any(graph.triples((identifier, None, None)))  # the sub-node is described too
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert publisher is not None
    assert any(graph.triples((publisher, None, None)))  # at least its name comes along
    access = graph.value(dataset, DCTERMS.accessRights)
    assert (access, SKOS.prefLabel, None) in graph


def test_every_rdf_syntax_gives_the_same_graph(client: TestClient, dataset: URIRef) -> None:
    graphs = []
    for syntax in PLAIN_RDF:
        response = client.get(path_of(dataset), headers={"Accept": syntax.media_type})
        assert response.status_code == 200, syntax.name
        assert response.headers["content-type"].split(";")[0] == syntax.media_type
        graphs.append(parse_rdf(response.content, syntax.media_type))
    assert all(isomorphic(graphs[0], other) for other in graphs[1:])


def test_html_page_for_people(client: TestClient, dataset: URIRef) -> None:
    response = client.get(path_of(dataset), headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})

    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="zh-CN">' in page
    assert "<h1>新能源汽车充电场表</h1>" in page
    assert "提供部门" in page  # property labels, not raw IRIs
    assert "上海市徐汇区" in page  # the publisher shown by name
    assert "?format=turtle" in page  # download links


def test_alternate_links_and_vary(client: TestClient, dataset: URIRef) -> None:
    response = client.get(path_of(dataset))

    assert response.headers["vary"] == "Accept"
    link = response.headers["link"]
    for syntax in PLAIN_RDF:
        assert f'rel="alternate"; type="{syntax.media_type}"' in link
    assert f'<{dataset}>; rel="canonical"' in link


def test_unsupported_accept_is_406(client: TestClient, dataset: URIRef) -> None:
    error = assert_error(client.get(path_of(dataset), headers={"Accept": "application/pdf"}), 406, "not-acceptable")
    assert "text/turtle" in error["details"]["available"]


def test_unknown_iri_is_404_with_hints(client: TestClient) -> None:
    error = assert_error(client.get("/id/dataset/shanghai-xuhui/no-such-thing"), 404, "not-found")

    assert error["details"]["iri"] == IriMinter().base + "id/dataset/shanghai-xuhui/no-such-thing"
    assert error["details"]["search"].startswith("/search?q=")
    assert "/catalog" in error["message"]


def test_etag_and_304(client: TestClient, dataset: URIRef) -> None:
    first = client.get(path_of(dataset), headers={"Accept": "text/turtle"})
    again = client.get(path_of(dataset), headers={"Accept": "text/turtle", "If-None-Match": first.headers["etag"]})
    other = client.get(
        path_of(dataset), headers={"Accept": "application/ld+json", "If-None-Match": first.headers["etag"]}
    )

    assert again.status_code == 304 and again.content == b""
    assert other.status_code == 200  # a different representation has its own ETag


def test_vocabulary_and_schemes_dereference_under_def(client: TestClient) -> None:
    ontology = parse_rdf(client.get("/def/kgcat", params={"format": "turtle"}).content, "text/turtle")
    scheme = client.get("/def/scheme/access-right", headers={"Accept": "text/turtle"})

    assert (KGCAT.Policy, RDF.type, None) in ontology  # hash terms come with their document
    assert scheme.status_code == 200
    assert "无条件开放" in scheme.text


def test_source_graphs_dereference(client: TestClient, shared_resources: Resources) -> None:
    graph = shared_resources.store.named_graphs()[0]

    response = client.get(path_of(graph), params={"format": "turtle"})

    assert response.status_code == 200
    assert (graph, KGCAT.contentHash, None) in parse_rdf(response.content, "text/turtle")


def test_the_base_iri_is_configurable(tmp_path: Path) -> None:
    minter = IriMinter("https://data.example.gov.cn/kg/")
    store = OxigraphStore(None)
    build_catalogue(store, minter, ImportOptions())
    resources = Resources(store, InProcessRunner(store.native, QueryLimits()), minter)
    client = make_client(resources, tmp_path, base_iri=minter.base)
    dataset = store.query("SELECT ?d WHERE { ?d a dcat:Dataset } LIMIT 1").rows[0]["d"]

    response = client.get("/" + str(dataset).removeprefix(minter.base), headers={"Accept": "text/turtle"})

    assert str(dataset).startswith("https://data.example.gov.cn/kg/id/dataset/")
    assert (dataset, RDF.type, DCAT3.Dataset) in parse_rdf(response.content, "text/turtle")


def test_html_escapes_every_value() -> None:
    iri = URIRef("https://kgcat.example.org/id/dataset/x/y")
    hostile = Literal('<script>alert("x")</script>', lang="zh")
    description = Description(
        iri, ((iri, DCTERMS.title, hostile), (iri, DCTERMS.description, hostile)), {iri: str(hostile)}
    )

    page = entity_page(EntityView(description, [("turtle", "/id/dataset/x/y?format=turtle")]), lambda text: text)

    assert "<script>" not in page
    assert "&lt;script&gt;" in page
