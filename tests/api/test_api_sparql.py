"""``/sparql``: the SPARQL 1.1 Protocol over the bundled catalogue, formats, datasets, limits and updates."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from api_helpers import TOKEN, assert_error, auth, build_resources, make_client, parse_rdf
from fastapi.testclient import TestClient
from pydantic import SecretStr
from rdflib import Graph

from api.resources import Resources
from graph.query_runner import QueryLimits
from ontology.namespaces import SD

TITLES = "SELECT ?title WHERE { ?d a dcat:Dataset ; dct:title ?title } ORDER BY ?title"
CONSTRUCT = "CONSTRUCT { ?d dct:title ?t } WHERE { ?d a dcat:Dataset ; dct:title ?t }"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
UTF16_QUERY = "application/sparql-query; charset=UTF-16"
UPDATE = {"Content-Type": "application/sparql-update"}


def titles_of(response_json: dict[str, object]) -> list[str]:
    bindings = response_json["results"]["bindings"]  # type: ignore[index]
    return [row["title"]["value"] for row in bindings]  # type: ignore[index]


def test_get_select_answers_sparql_json_by_default(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": TITLES})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert "行道树信息表" in titles_of(response.json())
    assert response.headers["x-kgcat-result-count"] == "10"


@pytest.mark.parametrize(
    ("accept", "media_type", "format_name"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
        ("application/json", "application/sparql-results+json", "json"),
    ],
)
def test_select_results_in_every_format_by_accept_or_format(
    client: TestClient, accept: str, media_type: str, format_name: str
) -> None:
    by_accept = client.get("/sparql", params={"query": TITLES}, headers={"Accept": accept})
    by_name = client.get("/sparql", params={"query": TITLES, "format": format_name})

    for response in (by_accept, by_name):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media_type)
        if media_type != "text/csv":  # CSV is lossy and pyoxigraph does not read it back
            parsed = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.from_media_type(media_type))
            assert len(list(parsed)) == 10  # type: ignore[arg-type]


def test_csv_results_follow_rfc4180(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": TITLES, "format": "csv"})

    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["title"]
    assert len(rows) == 11
    assert response.text.endswith("\r\n")


def test_construct_answers_turtle_by_default_and_json_ld_on_request(client: TestClient) -> None:
    turtle = client.get("/sparql", params={"query": CONSTRUCT})
    jsonld = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/ld+json"})

    assert turtle.headers["content-type"].startswith("text/turtle")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    first = parse_rdf(turtle.content, "text/turtle")
    second = parse_rdf(jsonld.content, "application/ld+json")
    assert len(first) == len(second) == 10


def test_ask_answers_a_boolean(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK { ?d a dcat:Dataset }"})

    assert response.json() == {"head": {}, "boolean": True}


def test_a_select_asked_for_in_an_rdf_syntax_is_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": TITLES}, headers={"Accept": "text/turtle"})

    error = assert_error(response, 406, "not-acceptable")
    assert "application/sparql-results+json" in error["details"]["available"]


def test_a_construct_asked_for_as_csv_is_406(client: TestClient) -> None:
    assert_error(client.get("/sparql", params={"query": CONSTRUCT, "format": "csv"}), 406, "not-acceptable")


def test_post_form_and_post_direct_give_the_same_answer(client: TestClient) -> None:
    form = client.post("/sparql", content=f"query={TITLES}", headers=FORM)
    direct = client.post("/sparql", content=TITLES, headers={"Content-Type": "application/sparql-query"})

    assert form.status_code == direct.status_code == 200
    assert titles_of(form.json()) == titles_of(direct.json())


def test_protocol_dataset_parameters_choose_the_graphs(client: TestClient, shared_resources: Resources) -> None:
    vocabulary = next(g for g in shared_resources.store.named_graphs() if str(g).endswith("/vocabulary"))
    count = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dcat:Dataset }"

    only_vocabulary = client.get("/sparql", params={"query": count, "default-graph-uri": str(vocabulary)})
    named = client.get(
        "/sparql",
        params={"query": "ASK { GRAPH ?g { ?s a skos:ConceptScheme } }", "named-graph-uri": str(vocabulary)},
    )

    assert only_vocabulary.json()["results"]["bindings"][0]["n"]["value"] == "0"
    assert named.json()["boolean"] is True


def test_get_without_a_query_is_the_service_description(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})

    graph = Graph().parse(data=response.text, format="turtle")
    endpoint = next(graph.subjects(SD.endpoint, None))
    assert str(endpoint).endswith("/sparql")
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Update) not in graph  # no write token here


def test_browsers_get_a_query_form(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})

    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in response.text and "<form" in response.text


def test_service_is_refused_unless_enabled(client: TestClient) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"

    error = assert_error(client.get("/sparql", params={"query": query}), 400, "feature-disabled")
    assert "SERVICE" in error["message"] and "KGCAT_ALLOW_SERVICE" in error["message"]
    assert error["details"]["features"] == ["SERVICE"]


def test_the_word_service_in_a_string_or_variable_is_not_refused(client: TestClient) -> None:
    query = 'SELECT ?service WHERE { BIND("SERVICE <http://x/>" AS ?service) }'

    assert client.get("/sparql", params={"query": query}).status_code == 200


def test_a_result_over_the_row_cap_is_refused_explicitly(tmp_path: Path) -> None:
    resources = build_resources(None, QueryLimits(max_rows=5))
    client = make_client(resources, tmp_path)

    response = client.get("/sparql", params={"query": TITLES})

    error = assert_error(response, 422, "result-too-large")
    assert error["details"] == {"max_rows": 5}
    assert "LIMIT" in error["message"]
    assert client.get("/sparql", params={"query": TITLES + " LIMIT 5"}).status_code == 200


def test_a_query_over_the_timeout_is_stopped_explicitly(tmp_path: Path) -> None:
    resources = build_resources(None, QueryLimits(timeout_s=0.05))
    client = make_client(resources, tmp_path)
    runaway = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

    error = assert_error(client.get("/sparql", params={"query": runaway}), 503, "query-timeout")
    assert error["details"] == {"timeout_s": 0.05}


def test_a_query_body_over_the_size_limit_is_413(tmp_path: Path, shared_resources: Resources) -> None:
    client = make_client(shared_resources, tmp_path, max_request_bytes=1024)
    query = TITLES + " #" + "x" * 2000

    response = client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})

    assert_error(response, 413, "request-too-large")


def test_a_syntax_error_is_400(client: TestClient) -> None:
    error = assert_error(client.get("/sparql", params={"query": "SELECT ?x WHERE {"}), 400, "query-syntax")
    assert "does not parse" in error["message"]


@pytest.mark.parametrize(
    ("method", "kwargs", "status"),
    [
        ("get", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
        ("get", {"params": {"update": "CLEAR ALL"}}, 400),
        ("post", {"content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
        ("post", {"content": "query=ASK%20%7B%7D"}, 415),
        (
            "post",
            {
                "content": "ASK {}".encode("utf-16"),
                "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"},
            },
            415,
        ),
        ("post", {"content": "query=ASK%20%7B%7D&update=CLEAR%20ALL", "headers": FORM}, 400),
        ("put", {"params": {"query": "ASK {}"}}, 405),
    ],
)
def test_protocol_violations_are_4xx(client: TestClient, method: str, kwargs: dict[str, object], status: int) -> None:
    response = getattr(client, method)("/sparql", **kwargs)

    assert_error(response, status)


def test_updates_are_forbidden_when_writes_are_disabled(client: TestClient) -> None:
    response = client.post("/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"})

    error = assert_error(response, 403, "forbidden")
    assert "KGCAT_WRITE_TOKEN" in error["message"]


def test_updates_need_the_right_token(writer: TestClient) -> None:
    update = 'INSERT DATA { GRAPH <urn:test:g> { <urn:test:s> <urn:test:p> "新" } }'
    headers = {"Content-Type": "application/sparql-update"}

    missing = writer.post("/sparql", content=update, headers=headers)
    wrong = writer.post("/sparql", content=update, headers={**headers, **auth("nope")})
    right = writer.post("/sparql", content=update, headers={**headers, **auth()})

    assert_error(missing, 401, "unauthorized")
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert_error(wrong, 403, "forbidden")
    assert right.status_code == 204
    seen = writer.get("/sparql", params={"query": "SELECT ?o WHERE { <urn:test:s> ?p ?o }"})
    assert seen.json()["results"]["bindings"][0]["o"]["value"] == "新"


def test_update_with_using_parameters_and_relative_iris(writer: TestClient) -> None:
    headers = {"Content-Type": "application/sparql-update", **auth()}
    setup = "INSERT DATA { GRAPH <urn:g1> { <urn:a> a <urn:Doc> } GRAPH <urn:g2> { <urn:b> a <urn:Doc> } }"
    copy = "INSERT { GRAPH <urn:out> { ?s a <urn:Copied> ; <urn:p> <relative> } } WHERE { ?s a <urn:Doc> }"

    assert writer.post("/sparql", content=setup, headers=headers).status_code == 204
    response = writer.post("/sparql", params={"using-graph-uri": "urn:g1"}, content=copy, headers=headers)
    copied = writer.get("/sparql", params={"query": "SELECT ?s ?o WHERE { GRAPH <urn:out> { ?s <urn:p> ?o } }"})

    assert response.status_code == 204
    rows = copied.json()["results"]["bindings"]
    assert [row["s"]["value"] for row in rows] == ["urn:a"]
    assert rows[0]["o"]["value"].endswith("/relative")  # resolved against the endpoint's URL


def test_update_naming_its_dataset_twice_is_400(writer: TestClient) -> None:
    update = "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    response = writer.post(
        "/sparql",
        params={"using-named-graph-uri": "urn:x"},
        content=update,
        headers={"Content-Type": "application/sparql-update", **auth()},
    )

    assert_error(response, 400, "bad-request")


def test_load_is_refused_even_with_the_token(writer: TestClient) -> None:
    response = writer.post(
        "/sparql",
        content="LOAD <http://127.0.0.1:9/x.ttl>",
        headers={"Content-Type": "application/sparql-update", **auth()},
    )

    assert_error(response, 400, "feature-disabled")


def test_service_description_names_update_when_writes_are_enabled(writer: TestClient) -> None:
    graph = Graph().parse(data=writer.get("/sparql", headers={"Accept": "text/turtle"}).text, format="turtle")

    assert (None, SD.supportedLanguage, SD.SPARQL11Update) in graph


def test_settings_token_is_a_secret(tmp_path: Path) -> None:
    resources = build_resources(None)
    client = make_client(resources, tmp_path, write_token=SecretStr(TOKEN))

    assert TOKEN not in json.dumps(client.get("/health").json())
