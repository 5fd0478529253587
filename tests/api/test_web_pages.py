"""The pages for people, through TestClient: search at /, entity pages, the SPARQL page.

They are read as a browser without JavaScript would: plain GET links and forms, Chinese text,
``lang="zh-CN"``, every value escaped. The real browser walk is in test_web_browser.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from api_helpers import _catalogue_quads, make_client
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef

from api.html import SPARQL_EXAMPLES, Neighbour, SearchForm, highlighted, neighbourhood_svg, search_page
from api.resources import Resources
from graph.iris import IriMinter
from graph.query_runner import InProcessRunner, QueryLimits
from graph.store import OxigraphStore
from ontology.namespaces import DCAT3, DCTERMS, RDF
from search.catalogue_index import build_catalogue_index, open_catalogue_index
from search.entities import EntityCard
from search.results import SearchResponse, SearchResult
from search.testing import HashingEncoder

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
HOSTILE = '<script>alert("x")</script>充电桩恶意表'


class Links(HTMLParser):
    """The links, forms and scripts of a page, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.forms: list[dict[str, str]] = []
        self.scripts = 0
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "a" and "href" in attributes:
            self._href, self._text = attributes["href"], []
        if tag == "form":
            self.forms.append(attributes)
        if tag == "script":
            self.scripts += 1

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append(("".join(self._text).strip(), self._href))
            self._href = None

    def href_of(self, text: str) -> str:
        return next(href for label, href in self.links if label == text)


def parse(page: str) -> Links:
    parser = Links()
    parser.feed(page)
    return parser


def search(client: TestClient, **params: str | list[str]) -> str:
    response = client.get("/", params=params, headers=BROWSER)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_the_search_page_is_a_chinese_form_that_needs_no_javascript(client: TestClient) -> None:
    page = search(client)
    links = parse(page)

    assert '<html lang="zh-CN">' in page
    assert links.scripts == 0
    assert links.forms[0]["method"] == "get" and links.forms[0]["action"] == "/"
    assert 'name="q"' in page and '<label for="q"' in page
    assert parse_qs(urlsplit(links.href_of("充电桩 数据")).query) == {"q": ["充电桩 数据"]}  # an example query
    assert "古树名木" in [label for label, _ in links.links]


def test_a_query_shows_the_charging_table_as_a_card(client: TestClient) -> None:
    page = search(client, q="充电桩 数据")
    links = parse(page)

    titles = re.findall(r'<article class="card"><h3><a href="[^"]+">([^<]+)</a>', page)
    assert "新能源汽车充电场表" in titles[:3]
    card = page.split("新能源汽车充电场表</a>", 1)[1].split("</article>", 1)[0]
    assert '<span class="badge t-Dataset">数据资源</span>' in card
    assert "提供部门" in card and "上海市徐汇区交通管理中心" in card
    assert "数据领域" in card and "公共设施管理" in card
    assert "<mark>" in card  # the matched words are highlighted
    assert "<summary>为什么是这个结果</summary>" in card and "「数据」" in card
    assert links.href_of("新能源汽车充电场表").startswith("/id/dataset/")


def test_facets_are_links_with_counts_that_narrow_the_results(client: TestClient) -> None:
    page = search(client, q="绿化")
    links = parse(page)
    facet = next(href for label, href in links.links if label.startswith("☐ 数据资源"))

    narrowed = search(client, **{k: v for k, v in parse_qs(urlsplit(facet).query).items()})

    assert re.search(r"☐ 数据资源 <span class=\"count\">\(\d+\)</span>", page)
    badges = re.findall(r'<span class="badge t-(\w+)">', narrowed)
    assert badges and set(badges) == {"Dataset"}
    assert "☑ 数据资源" in narrowed and "清除全部条件" in narrowed


def test_filters_by_department_domain_and_access_from_the_url(client: TestClient) -> None:
    page = search(client, q="数据", domain="生态环境保护", type=["数据资源"])

    titles = re.findall(r'<article class="card"><h3><a href="[^"]+">([^<]+)</a>', page)
    assert titles and "古树名木保护表" in titles
    assert "新能源汽车充电场表" not in titles  # another domain
    assert "已选条件" in page


def test_nothing_found_is_said_honestly_with_suggestions(client: TestClient) -> None:
    page = search(client, q="火星 殖民 计划")

    assert "没有找到相关结果" in page
    assert '<article class="card">' not in page
    assert "浏览全部数据资源" in page and "充电桩 数据" in page  # what to try instead


def test_an_unknown_type_is_ignored_with_a_notice(client: TestClient) -> None:
    page = search(client, q="充电", type="Spaceship")

    assert "不认识的类型已忽略:Spaceship" in page


def test_programs_still_get_json_at_the_root(client: TestClient) -> None:
    body = client.get("/", headers={"Accept": "application/json"}).json()

    assert body["links"]["query_page"] == "/query" and "counts" in body


def test_the_style_sheet_is_served_and_has_a_phone_layout(client: TestClient) -> None:
    response = client.get("/static/kgcat.css")

    assert response.headers["content-type"].startswith("text/css")
    assert "@media (max-width" in response.text and "focus-visible" in response.text


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A catalogue with a dataset whose title is a script tag (as a hostile record could carry)."""
    store = OxigraphStore(None)
    store.native.extend(_catalogue_quads())
    dataset = URIRef(IriMinter().base + "id/dataset/test/hostile")
    department = store.query('SELECT ?o WHERE { ?o foaf:name "上海市徐汇区交通管理中心"@zh }').rows[0]["o"]
    triples = [
        (dataset, RDF.type, DCAT3.Dataset),
        (dataset, DCTERMS.title, Literal(HOSTILE, lang="zh")),
        (dataset, DCTERMS.description, Literal(f"描述 {HOSTILE} <img src=x onerror=alert(1)>", lang="zh")),
        (dataset, DCTERMS.publisher, department),
    ]
    store.replace_graph(URIRef(IriMinter().base + "graph/test-hostile"), triples)
    index = tmp_path_factory.mktemp("hostile-index")
    encoder = HashingEncoder(dimension=64)
    build_catalogue_index(store, encoder, index)
    resources = Resources(store, InProcessRunner(store.native, QueryLimits()), IriMinter())
    resources.ranker, resources.index_version = open_catalogue_index(index, encoder)
    yield make_client(resources, tmp_path_factory.mktemp("hostile-data"))
    resources.close()


def test_a_script_in_a_title_is_escaped_everywhere(hostile_client: TestClient) -> None:
    results = search(hostile_client, q="充电桩恶意表")
    entity = hostile_client.get("/id/dataset/test/hostile", headers=BROWSER).text
    department = hostile_client.get(parse(entity).href_of("上海市徐汇区交通管理中心"), headers=BROWSER).text
    query = hostile_client.get("/query", params={"query": "SELECT ?t WHERE { ?d dct:title ?t }"}).text

    for page in (results, entity, department, query):
        assert "<script" not in page and "<img" not in page
        assert "&lt;script&gt;" in page
    assert "&lt;script&gt;alert" in results.split('<ol class="results">', 1)[1]


def test_the_entity_page_shows_facts_links_sources_downloads_and_its_query(client: TestClient) -> None:
    search_page = search(client, q="充电桩 数据")
    page = client.get(parse(search_page).href_of("新能源汽车充电场表"), headers=BROWSER).text
    links = parse(page)

    assert '<html lang="zh-CN">' in page and links.scripts == 0
    assert "<h1>新能源汽车充电场表</h1>" in page and '<span class="badge t-Dataset">数据资源</span>' in page
    assert '<th scope="row" title="dct:publisher">提供部门</th>' in page  # Chinese names, not raw triples
    assert links.href_of("上海市徐汇区交通管理中心").startswith("/id/org/")
    assert "文件中提到它的句子" in page and "<mark>新能源汽车充电场表</mark>" in page
    assert any(href.startswith("/id/document/") for label, href in links.links if label.startswith("《"))
    for syntax in ("turtle", "jsonld", "rdfxml", "ntriples"):
        assert f"?format={syntax}" in links.href_of(syntax)
    run = links.href_of("在 SPARQL 查询页运行")
    assert run.startswith("/query?") and "9f1ea4cb1dcc81df" in parse_qs(urlsplit(run).query)["query"][0]
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and "关联图" in page


def test_the_query_of_an_entity_page_reproduces_its_facts(client: TestClient) -> None:
    page = client.get("/id/dataset/shanghai-xuhui/9f1ea4cb1dcc81df", headers=BROWSER).text
    run = parse(page).href_of("在 SPARQL 查询页运行")

    answer = client.get(run).text

    assert "新能源汽车充电场表" in answer and "上海市徐汇区交通管理中心" in answer and "dct:publisher" in answer


def test_a_department_page_lists_its_datasets(client: TestClient) -> None:
    dataset = client.get("/id/dataset/shanghai-xuhui/9f1ea4cb1dcc81df", headers=BROWSER).text
    page = client.get(parse(dataset).href_of("上海市徐汇区交通管理中心"), headers=BROWSER).text

    assert "<h1>上海市徐汇区交通管理中心</h1>" in page
    section = page.split("<h3>提供的数据资源和政策</h3>", 1)[1].split("</ul>", 1)[0]
    assert "新能源汽车充电场表" in section and "重大活动车位信息表" in section
    assert "oa:hasBody" not in page and "rdf:subject" not in page  # provenance records are not listed as links


def test_a_policy_page_lists_the_projects_named_with_it(client: TestClient) -> None:
    rows = client.get(
        "/sparql", params={"query": 'SELECT ?p WHERE { ?p skos:prefLabel "上海自贸试验区徐汇联动创新区建设方案"@zh }'}
    ).json()["results"]["bindings"]
    iri = rows[0]["p"]["value"]

    page = client.get("/" + iri.removeprefix(IriMinter().base), headers=BROWSER).text

    assert '<span class="badge t-Policy">政策</span>' in page
    assert "<h3>同一文件中提及的项目</h3>" in page


def test_the_sparql_page_runs_an_example_and_shows_a_table(client: TestClient) -> None:
    page = client.get("/query", headers=BROWSER).text
    links = parse(page)
    example = links.href_of("各部门登记的数据资源数量")

    answer = client.get(example)

    assert links.forms[0]["method"] == "get" and links.forms[0]["action"] == "/query"
    assert answer.status_code == 200
    assert '<th scope="col">department</th>' in answer.text
    assert '<td><span lang="zh">上海市徐汇区绿化和市容管理局</span></td><td>3</td>' in answer.text
    assert SPARQL_EXAMPLES[0].sparql.split("\n")[0] in answer.text  # the form keeps the query


def test_a_failing_query_is_shown_on_the_page_with_the_form(client: TestClient) -> None:
    response = client.get("/query", params={"query": "SELECT WHERE {"})

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "查询没有完成" in response.text and "SELECT WHERE {" in response.text


def test_browsers_at_sparql_get_the_page_and_programs_the_protocol(client: TestClient) -> None:
    page = client.get("/sparql", headers=BROWSER)
    program = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=BROWSER)

    assert "示例查询" in page.text and 'action="/query"' in page.text
    assert program.headers["content-type"].startswith("application/sparql-results+")  # the protocol, not a page


def test_an_unknown_entity_is_404_and_a_malformed_path_injects_nothing(client: TestClient) -> None:
    unknown = client.get("/id/dataset/shanghai-xuhui/none", headers={"Accept": "text/turtle"})
    injected = client.get('/id/x> ?p ?o } INSERT DATA { <a> <b> "c', headers={"Accept": "text/turtle"})

    assert unknown.status_code == 404 and injected.status_code == 404
    assert "/search?q=" in unknown.json()["error"]["details"]["search"]


def test_the_neighbourhood_svg_links_and_escapes() -> None:
    svg = neighbourhood_svg("中心<b>", [Neighbour("/id/x?a=1&b=2", "<script>x</script>", "提供部门", True)])

    assert "<script>" not in svg and "<b>" not in svg
    assert 'href="/id/x?a=1&amp;b=2"' in svg and 'role="img"' in svg


def test_highlighting_marks_spans_and_escapes_the_rest() -> None:
    assert highlighted("a<b>充电桩c", [(4, 7)]) == "a&lt;b&gt;<mark>充电桩</mark>c"
    assert highlighted("短", [(0, 9)]) == "<mark>短</mark>"


def test_a_browser_gets_a_404_page_with_the_error_and_ways_on(client: TestClient) -> None:
    response = client.get("/id/dataset/shanghai-xuhui/no-such-thing", headers=BROWSER)
    links = parse(response.text)

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in response.text and "<h1>没有找到这个页面或条目</h1>" in response.text
    assert "this catalogue has nothing about" in response.text  # the message of the one error body
    assert "HTTP 404 · not-found" in response.text
    assert 'value="no-such-thing"' in response.text  # a search for the unknown name, one click away
    assert links.forms[0]["action"] == "/" and links.href_of("回到首页") == "/"


def test_an_unknown_path_and_a_bad_parameter_are_pages_for_browsers_too(client: TestClient) -> None:
    missing = client.get("/no/such/page", headers=BROWSER)
    invalid = client.get("/search", params={"q": "充电", "k": "0"}, headers=BROWSER)

    assert missing.status_code == 404 and "<h1>没有找到这个页面或条目</h1>" in missing.text
    assert invalid.status_code == 422 and "<h1>请求参数有误</h1>" in invalid.text
    assert "<script" not in missing.text


def test_a_document_page_shows_its_text_folded_and_a_vocabulary_page_its_terms(client: TestClient) -> None:
    dataset = client.get("/id/dataset/shanghai-xuhui/9f1ea4cb1dcc81df", headers=BROWSER).text
    document = next(href for label, href in parse(dataset).links if label.startswith("《"))
    page = client.get(document, headers=BROWSER).text
    vocabulary = client.get("/def/kgcat", headers=BROWSER).text

    assert '<span class="badge t-Document">文件</span>' in page
    assert '<th scope="row" title="kgcat:normalisedText">全文</th><td><details>' in page
    assert "oa:hasSource" not in page  # the annotations' targets are not listed as links
    assert '<h2 id="terms">定义的术语</h2>' in vocabulary and "<code>kgcat:Policy</code>" in vocabulary


def test_the_access_right_facet_links_to_its_filter_and_shows_it_chosen() -> None:
    card = EntityCard("https://kgcat.example.org/id/dataset/x", "Dataset", "公交线路表", access_right="无条件共享")
    result = SearchResult(card, 1.0, "公交线路表", (), "label", {})
    response = SearchResponse("公交", [result], facets={"access_right": {"无条件共享": 1, "有条件共享": 2}})

    page = search_page(SearchForm(q="公交"), response, lambda iri: iri)
    links = parse(page)
    chosen = search_page(SearchForm(q="公交", access="无条件共享"), response, lambda iri: iri)

    assert "<legend>开放属性</legend>" in page
    target = links.href_of("☐ 无条件共享 (1)")
    assert parse_qs(urlsplit(target).query)["access"] == ["无条件共享"]
    assert "☑ 无条件共享" in chosen and "☐ 有条件共享" in chosen
    assert SearchForm(q="公交", access="无条件共享").filters().access_right == "无条件共享"


def test_an_entry_shown_below_the_threshold_is_marked_as_possibly_related() -> None:
    strong = SearchResult(EntityCard("urn:x:a", "Dataset", "新能源汽车充电场表"), 2.0, "充电场", (), "label", {})
    weaker = SearchResult(
        EntityCard("urn:x:b", "Dataset", "停车场表"), 1.0, "停车场", (), "label", {"below_threshold": True}
    )
    page = search_page(SearchForm(q="充电桩"), SearchResponse("充电桩", [strong, weaker]), lambda iri: iri)
    first, second = page.split("<li><article", 2)[1:]
    assert "可能相关" not in first
    assert "可能相关" in second and "列在把握较大的结果之后" in second
