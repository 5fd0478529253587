"""``/search`` (the search JSON with facets) and ``/validate`` + ``/shapes`` (SHACL reports, downloadable shapes)."""

from __future__ import annotations

from pathlib import Path

from api_helpers import assert_error, build_resources, make_client, parse_rdf
from fastapi.testclient import TestClient

from api.negotiation import PLAIN_RDF
from api.resources import Resources
from ontology import ShapesLayer
from ontology.namespaces import RDF, SH
from search.errors import IndexNotFound

GOOD_CSV = (
    "title,publisher,region,domain\n古树名木保护表,上海市徐汇区绿化和市容管理局,上海市徐汇区,生态环境保护\n".encode()
)
BAD_CSV = "title,publisher,region,domain\n,上海市徐汇区绿化和市容管理局,上海市徐汇区,不存在的领域\n".encode()
CSV = {"Content-Type": "text/csv"}


def test_search_returns_the_search_json_with_facets(client: TestClient) -> None:
    response = client.get("/search", params={"q": "新能源汽车充电场", "k": 3})

    body = response.json()
    assert response.status_code == 200
    assert body["query"] == "新能源汽车充电场"
    assert "新能源汽车充电场表" in [result["label"] for result in body["results"]]
    assert {"iri", "label", "type", "score", "publisher", "snippet", "why"} <= set(body["results"][0])
    assert set(body["facets"]) >= {"type", "publisher", "domain"}
    assert len(body["results"]) <= 3


def test_search_filters_by_type_publisher_and_domain(client: TestClient) -> None:
    departments = client.get("/search", params={"q": "徐汇", "type": "Department"}).json()
    by_domain = client.get("/search", params={"q": "数据", "domain": "生态环境保护", "type": "Dataset"}).json()

    assert departments["results"] and all(r["type"] == "Department" for r in departments["results"])
    assert all("生态环境保护" in r["domains"] for r in by_domain["results"])


def test_search_with_nothing_relevant_says_so(client: TestClient) -> None:
    body = client.get("/search", params={"q": "火星 殖民 计划"}).json()

    assert body["results"] == [] and body["no_result"]


def test_search_parameter_errors(client: TestClient) -> None:
    assert_error(client.get("/search", params={"q": "树", "type": "Planet"}), 400, "bad-request")
    assert_error(client.get("/search", params={"q": "树", "k": 0}), 422, "invalid-parameter")
    assert_error(client.get("/search", params={"q": "树", "k": 101}), 422, "invalid-parameter")


def test_search_without_an_index_is_503_saying_what_to_do(tmp_path: Path) -> None:
    resources = build_resources(None)
    resources.search_problem = IndexNotFound(tmp_path / "index")
    client = make_client(resources, tmp_path)

    error = assert_error(client.get("/search", params={"q": "树"}), 503, "search-index-missing")
    assert "kgcat index" in error["message"]


def test_validate_conforming_records(client: TestClient) -> None:
    response = client.post("/validate", content=GOOD_CSV, headers=CSV)

    body = response.json()
    assert response.status_code == 200
    assert body["conforms"] is True and body["source_kind"] == "records" and body["items"] == 1
    assert body["layers"] == ["core", "vocabularies"]


def test_validate_reports_violations_in_json_and_readable_chinese(client: TestClient) -> None:
    response = client.post("/validate", content=BAD_CSV, headers=CSV, params={"region": "上海市徐汇区"})
    text = client.post("/validate", content=BAD_CSV, headers={**CSV, "Accept": "text/plain"})

    body = response.json()
    assert body["conforms"] is False and body["violations"] >= 1
    assert all({"focus_node", "message_zh", "message_en", "severity"} <= set(r) for r in body["results"])
    assert "不符合" in body["text"]
    assert text.headers["content-type"].startswith("text/plain") and "不符合" in text.text


def test_validate_rdf_and_more_layers(client: TestClient) -> None:
    turtle = client.get("/catalog", params={"format": "turtle", "per_page": 3}).content

    response = client.post(
        "/validate", content=turtle, headers={"Content-Type": "text/turtle"}, params={"shapes": "core,recommended"}
    )
    report = client.post("/validate", content=turtle, headers={"Content-Type": "text/turtle", "Accept": "text/turtle"})

    assert response.json()["source_kind"] == "rdf" and response.json()["items"] == 3
    assert response.json()["layers"] == ["core", "recommended"]
    assert (None, RDF.type, SH.ValidationReport) in parse_rdf(report.content, "text/turtle")


def test_validate_errors(client: TestClient, shared_resources: Resources, tmp_path: Path) -> None:
    assert_error(client.post("/validate", content=b"%PDF", headers={"Content-Type": "application/pdf"}), 415)
    assert_error(
        client.post("/validate", content=GOOD_CSV, headers=CSV, params={"shapes": "nope"}), 400, "unknown-shapes"
    )
    assert_error(client.post("/validate", content=b"", headers=CSV), 400, "bad-request")
    assert_error(
        client.post("/validate", content=b"@prefix broken", headers={"Content-Type": "text/turtle"}),
        400,
        "unreadable-source",
    )
    small = make_client(shared_resources, tmp_path, max_request_bytes=1024)
    assert_error(small.post("/validate", content=GOOD_CSV * 40, headers=CSV), 413, "request-too-large")


def test_shapes_are_listed_and_downloadable_in_every_syntax(client: TestClient) -> None:
    listing = client.get("/shapes").json()

    assert [layer["name"] for layer in listing["layers"]] == [layer.value for layer in ShapesLayer]
    for syntax in PLAIN_RDF:
        response = client.get(listing["layers"][0]["downloads"][syntax.name])
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        assert (None, RDF.type, SH.NodeShape) in parse_rdf(response.content, syntax.media_type)


def test_unknown_shapes_layer_is_404(client: TestClient) -> None:
    error = assert_error(client.get("/shapes/nope"), 404, "not-found")
    assert "core" in error["details"]["layers"]
