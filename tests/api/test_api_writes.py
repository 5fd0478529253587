"""Writes behind the token: imports through the gate (201/200/304), the Graph Store Protocol."""

from __future__ import annotations

from pathlib import Path

from api_helpers import TOKEN, assert_error, auth, make_client, parse_rdf
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.resources import Resources
from ontology.namespaces import DCAT3, RDF

HEADER = "id,title,publisher,region,domain\n"
RECORDS = (HEADER + "t-001,古树名木保护表,上海市徐汇区绿化和市容管理局,上海市徐汇区,生态环境保护\n").encode()
CHANGED = RECORDS + "t-002,公共停车场信息表,上海市徐汇区交通管理中心,上海市徐汇区,公共设施管理\n".encode()
INVALID = RECORDS + "t-003,,上海市徐汇区交通管理中心,上海市徐汇区,不存在的领域\n".encode()
CSV = {"Content-Type": "text/csv"}


def post_import(client: TestClient, body: bytes, **params: str) -> object:
    return client.post("/import", params={"graph": "api-test", **params}, content=body, headers={**CSV, **auth()})


def test_import_is_forbidden_when_writes_are_disabled(client: TestClient) -> None:
    error = assert_error(client.post("/import", params={"graph": "x"}, content=RECORDS, headers=CSV), 403, "forbidden")
    assert "KGCAT_WRITE_TOKEN" in error["message"]


def test_import_needs_the_right_token(writer: TestClient) -> None:
    missing = writer.post("/import", params={"graph": "x"}, content=RECORDS, headers=CSV)
    wrong = writer.post("/import", params={"graph": "x"}, content=RECORDS, headers={**CSV, **auth("wrong")})

    assert_error(missing, 401, "unauthorized")
    assert_error(wrong, 403, "forbidden")


def test_import_created_then_unchanged_then_updated(writer: TestClient) -> None:
    created = post_import(writer, RECORDS)
    again = post_import(writer, RECORDS)
    updated = post_import(writer, CHANGED)

    assert created.status_code == 201, created.text  # type: ignore[attr-defined]
    assert created.json()["written"] == 1  # type: ignore[attr-defined]
    assert created.headers["location"].endswith("/graph/api-test")  # type: ignore[attr-defined]
    assert again.status_code == 304 and again.content == b""  # type: ignore[attr-defined]
    assert updated.status_code == 200 and updated.json()["written"] == 2  # type: ignore[attr-defined]


def test_an_imported_dataset_is_queryable_and_dereferenceable(writer: TestClient) -> None:
    post_import(writer, RECORDS)

    found = writer.get("/sparql", params={"query": 'SELECT ?d WHERE { ?d dct:title "古树名木保护表"@zh }'}).json()
    iri = found["results"]["bindings"][0]["d"]["value"]
    page = writer.get("/" + iri.removeprefix("https://kgcat.example.org/"), headers={"Accept": "text/turtle"})

    assert (None, RDF.type, DCAT3.Dataset) in parse_rdf(page.content, "text/turtle")


def test_the_gate_rejects_bad_records_like_the_cli(writer: TestClient) -> None:
    skipped = post_import(writer, INVALID)
    strict = writer.post(
        "/import", params={"graph": "strict", "on_invalid": "strict"}, content=INVALID, headers={**CSV, **auth()}
    )

    assert skipped.status_code == 201 and len(skipped.json()["rejected"]) == 1  # type: ignore[attr-defined]
    error = assert_error(strict, 422, "rejected-by-shapes")
    assert error["details"] == {"rejected": 1}


def test_import_needs_a_key_and_a_known_type(writer: TestClient) -> None:
    assert_error(writer.post("/import", content=RECORDS, headers={**CSV, **auth()}), 400, "bad-request")
    odd = writer.post("/import", params={"graph": "x"}, content=b"x", headers={"Content-Type": "image/png", **auth()})
    assert_error(odd, 415, "unsupported-media-type")


def test_import_rdf(writer: TestClient, client: TestClient) -> None:
    turtle = client.get("/catalog", params={"per_page": 2, "format": "turtle"}).content

    response = writer.post(
        "/import", params={"graph": "rdf-copy"}, content=turtle, headers={"Content-Type": "text/turtle", **auth()}
    )

    assert response.status_code == 201, response.text


def test_graph_store_protocol(writer: TestClient) -> None:
    graph = {"graph": "urn:test:gsp"}
    turtle = b"<urn:test:a> <urn:test:p> [ <urn:test:q> 1 ] ."
    headers = {"Content-Type": "text/turtle", **auth()}

    assert writer.put("/graph-store", params=graph, content=turtle, headers=headers).status_code == 201
    assert (
        writer.post("/graph-store", params=graph, content=b"<urn:test:b> <urn:test:p> 2 .", headers=headers).status_code
        == 204
    )
    read = writer.get("/graph-store", params=graph, headers={"Accept": "application/n-triples", **auth()})
    assert read.status_code == 200
    assert len(parse_rdf(read.content, "application/n-triples")) == 3
    assert ".well-known/genid/" in read.text  # blank nodes were skolemised
    assert writer.put("/graph-store", params=graph, content=turtle, headers=headers).status_code == 204
    assert writer.delete("/graph-store", params=graph, headers=auth()).status_code == 204
    assert_error(writer.delete("/graph-store", params=graph, headers=auth()), 404, "not-found")
    assert_error(writer.get("/graph-store", params={"default": ""}, headers=auth()), 400, "bad-request")
    assert_error(writer.get("/graph-store", params=graph), 401, "unauthorized")


def test_upload_over_the_limit_is_413(fresh_resources: Resources, tmp_path: Path) -> None:

    small = make_client(fresh_resources, tmp_path, write_token=SecretStr(TOKEN), max_upload_bytes=2048)

    response = small.post("/import", params={"graph": "big"}, content=RECORDS * 40, headers={**CSV, **auth()})

    assert_error(response, 413, "request-too-large")


def test_import_a_document(writer: TestClient) -> None:
    corpus = sorted((Path(__file__).resolve().parents[2] / "graph" / "data" / "corpus").glob("*.txt"))
    text = corpus[-1].read_bytes()
    headers = {"Content-Type": "text/plain; charset=utf-8", **auth()}

    created = writer.post("/import", params={"graph": "doc-upload"}, content=text, headers=headers)
    again = writer.post("/import", params={"graph": "doc-upload"}, content=text, headers=headers)

    assert created.status_code == 201, created.text
    assert created.json()["written"] > 0
    assert again.status_code == 304


def test_documents_are_not_validated_as_records(client: TestClient) -> None:
    response = client.post("/validate", content="一段文字".encode(), headers={"Content-Type": "text/plain"})

    assert_error(response, 415, "unsupported-media-type")


def test_a_write_changes_what_dereferencing_serves(writer: TestClient) -> None:
    found = writer.get("/sparql", params={"query": 'SELECT ?d WHERE { ?d dct:title "行道树信息表"@zh }'}).json()
    iri = found["results"]["bindings"][0]["d"]["value"]
    path = "/" + iri.removeprefix("https://kgcat.example.org/")
    before = writer.get(path, headers={"Accept": "text/turtle"})
    update = (
        f'INSERT DATA {{ GRAPH <urn:test:extra> {{ <{iri}> <http://purl.org/dc/terms/alternative> "街道树木"@zh }} }}'
    )

    writer.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update", **auth()})
    after = writer.get(path, headers={"Accept": "text/turtle", "If-None-Match": before.headers["etag"]})

    assert "街道树木" not in before.text
    assert after.status_code == 200 and "街道树木" in after.text


def test_a_write_changes_the_labels_a_dereference_shows_of_what_it_points_to(writer: TestClient) -> None:
    found = writer.get(
        "/sparql", params={"query": 'SELECT ?d ?p WHERE { ?d dct:title "行道树信息表"@zh ; dct:publisher ?p }'}
    ).json()
    row = found["results"]["bindings"][0]
    dataset, publisher = row["d"]["value"], row["p"]["value"]
    path = "/" + dataset.removeprefix("https://kgcat.example.org/")
    before = writer.get(path, headers={"Accept": "text/turtle"})  # the publisher's labels are now kept
    update = f'INSERT DATA {{ GRAPH <urn:test:extra> {{ <{publisher}> skos:prefLabel "绿容局(新名称)"@zh }} }}'

    writer.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update", **auth()})
    after = writer.get(path, headers={"Accept": "text/turtle"})

    assert "绿容局(新名称)" not in before.text
    assert "绿容局(新名称)" in after.text


def test_an_update_of_the_default_graph_is_refused_with_the_way_to_name_a_graph(writer: TestClient) -> None:
    update = 'INSERT DATA { <https://kgcat.example.org/id/x> <http://purl.org/dc/terms/title> "无处安放"@zh }'

    response = writer.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update", **auth()})

    assert_error(response, 400, "query-failed")
    assert "GRAPH <…>" in response.json()["error"]["message"]
    asked = writer.get("/sparql", params={"query": 'ASK { ?s ?p "无处安放"@zh }'}).json()
    assert asked["boolean"] is False
