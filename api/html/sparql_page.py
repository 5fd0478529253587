"""The SPARQL page for researchers (``/query``): example queries in Chinese, a form, results as a table.

The form sends ``GET /query?query=…`` (no JavaScript needed); the query runs through the same
runner, limits and errors as ``/sparql``, and its answer is shown as a table (SELECT), a yes/no
(ASK) or Turtle (CONSTRUCT, DESCRIBE). A query that fails shows the error's message above the
form, which keeps the query so it can be corrected. ``/sparql`` itself stays the SPARQL 1.1
Protocol endpoint for programs; the page links to it and to the result formats it offers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from api.html.layout import Href, attr, link, page, text, url
from graph.query_eval import EvalAnswer
from ontology.namespaces import compact


@dataclass(frozen=True)
class ExampleQuery:
    title: str
    sparql: str


EXAMPLE_QUERIES: tuple[ExampleQuery, ...] = (
    ExampleQuery(
        "各部门登记的数据资源数量",
        "SELECT ?department (COUNT(DISTINCT ?dataset) AS ?datasets) WHERE {\n"
        "  ?dataset a dcat:Dataset ; dct:publisher/foaf:name ?department .\n"
        "}\nGROUP BY ?department\nORDER BY DESC(?datasets) ?department",
    ),
    ExampleQuery(
        "数据资源及其提供部门和数据领域",
        "SELECT ?title ?department ?domain WHERE {\n"
        "  ?dataset a dcat:Dataset ; dct:title ?title ; dct:publisher/foaf:name ?department .\n"
        '  OPTIONAL { ?dataset dcat:theme/skos:prefLabel ?domain FILTER(lang(?domain) = "zh") }\n'
        "}\nORDER BY ?department ?title",
    ),
    ExampleQuery(
        "各数据领域的数据资源数量",
        "SELECT ?domain (COUNT(DISTINCT ?dataset) AS ?datasets) WHERE {\n"
        '  ?dataset a dcat:Dataset ; dcat:theme/skos:prefLabel ?domain FILTER(lang(?domain) = "zh")\n'
        "}\nGROUP BY ?domain\nORDER BY DESC(?datasets)",
    ),
    ExampleQuery(
        "政策及其参与单位",
        "SELECT ?policy ?participant WHERE {\n"
        "  ?p a kgcat:Policy ; skos:prefLabel ?policy ; kgcat:participant/foaf:name ?participant .\n"
        "}\nORDER BY ?policy",
    ),
    ExampleQuery(
        "规划中的指标",
        "SELECT ?indicator ?plan WHERE {\n"
        "  ?i a kgcat:Indicator ; skos:prefLabel ?indicator ; kgcat:partOfPlan/skos:prefLabel ?plan .\n"
        "}\nORDER BY ?plan ?indicator",
    ),
    ExampleQuery(
        "提到「人工智能」的句子及其文件",
        "SELECT DISTINCT ?document ?sentence WHERE {\n"
        "  ?annotation a oa:Annotation ; oa:hasTarget ?target .\n"
        "  ?target oa:hasSource/dct:title ?document ; dct:isPartOf/oa:hasSelector ?quote .\n"
        '  ?quote a oa:TextQuoteSelector ; oa:exact ?sentence FILTER(CONTAINS(?sentence, "人工智能"))\n'
        "}\nLIMIT 20",
    ),
)


def _cell(term: dict[str, str] | None, href: Href) -> str:
    if term is None:
        return ""
    value = term.get("value", "")
    if term.get("type") == "uri":
        return link(href(value), compact(value))
    language = term.get("xml:lang")
    return f'<span lang="{attr(language)}">{text(value)}</span>' if language else text(value)


def _table(answer: EvalAnswer, href: Href) -> str:
    results = json.loads(answer.body)
    if answer.kind == "ask":
        return f'<p role="status">结果:<strong>{"是 (true)" if results.get("boolean") else "否 (false)"}</strong></p>'
    variables: list[str] = results["head"].get("vars", [])
    bindings: list[dict[str, dict[str, str]]] = results["results"]["bindings"]
    head = "".join(f'<th scope="col">{text(name)}</th>' for name in variables)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(row.get(name), href)}</td>" for name in variables) + "</tr>" for row in bindings
    )
    return (
        f'<p role="status">共 {len(bindings)} 行。</p>'
        f'<div class="table-scroll"><table class="results-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def sparql_page(endpoint: str, query: str, answer: EvalAnswer | None, href: Href, *, error: str | None = None) -> str:
    """The page, with ``query`` in the form and, when it ran, its answer (or ``error``)."""
    examples = "".join(
        f"<li>{link(url('/query', {'query': example.sparql}), example.title)}</li>" for example in EXAMPLE_QUERIES
    )
    shown = query or EXAMPLE_QUERIES[0].sparql
    form = (
        '<form method="get" action="/query"><label for="query"><strong>查询语句</strong>'
        "(可直接使用前缀 dcat: dct: foaf: org: skos: prov: oa: kgcat: schema: 等,无需声明)</label>"
        f'<textarea id="query" name="query" rows="10" spellcheck="false">{text(shown)}</textarea>'
        '<p><button type="submit">运行查询</button></p></form>'
    )
    parts = [
        "<h1>SPARQL 查询</h1>",
        "<p>用 SPARQL 1.1 查询整个目录。默认图是所有来源图的并集;查询有时间和行数限制。"
        f"程序请直接使用端点 <code>{text(endpoint)}</code>(SPARQL 1.1 协议)。</p>",
        f'<h2>示例查询</h2><ul class="plain">{examples}</ul>',
        form,
    ]
    if error:
        parts.append(f'<div class="notice" role="alert"><strong>查询没有完成:</strong>{text(error)}</div>')
    elif answer is not None:
        parts.append(_answer(answer, query, href))
    return page("SPARQL 查询 — kgcat", "".join(parts))


def _answer(answer: EvalAnswer, query: str, href: Href) -> str:
    if answer.kind == "graph":
        turtle = text(answer.body.decode("utf-8"))
        body = f'<p role="status">共 {answer.count} 个三元组(Turtle):</p><pre><code>{turtle}</code></pre>'
    else:
        body = _table(answer, href)
    formats: Sequence[str] = ("turtle", "jsonld") if answer.kind == "graph" else ("json", "csv", "tsv", "xml")
    downloads = " · ".join(link(url("/sparql", {"query": query, "format": name}), name) for name in formats)
    return f'<h2 id="results">查询结果</h2>{body}<p>下载结果:{downloads}</p>'
