"""Server-rendered HTML for people: entity pages, the SPARQL form, the home page.

Deliberately simple and the only place HTML is written, so a later web front end can replace
it. Every value is escaped; pages are ``lang="zh-CN"``; properties show Chinese labels where
kgcat knows them and links to related entities show their names instead of raw IRIs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from rdflib import Literal, URIRef
from rdflib.term import Node

from graph.describe import Description
from ontology.namespaces import ADMS, DCAT3, DCTERMS, FOAF, KGCAT, ORG, PROV, RDF, RDFS, SKOS, compact

PROPERTY_LABELS: dict[URIRef, str] = {
    RDF.type: "类型",
    DCTERMS.title: "名称",
    DCTERMS.description: "描述",
    DCTERMS.publisher: "提供部门",
    DCTERMS.creator: "创建者",
    DCTERMS.identifier: "标识符",
    DCTERMS.issued: "发布日期",
    DCTERMS.modified: "更新日期",
    DCTERMS.accessRights: "开放属性",
    DCTERMS.accrualPeriodicity: "更新频率",
    DCTERMS.spatial: "空间范围",
    DCTERMS.format: "格式",
    DCTERMS.license: "许可",
    DCTERMS.isPartOf: "属于",
    DCTERMS.source: "来源",
    DCAT3.theme: "数据领域",
    DCAT3.keyword: "关键词",
    DCAT3.distribution: "数据分发",
    DCAT3.dataset: "数据资源",
    DCAT3.landingPage: "页面",
    DCAT3.accessURL: "访问地址",
    DCAT3.downloadURL: "下载地址",
    DCAT3.mediaType: "媒体类型",
    DCAT3.contactPoint: "联系方式",
    ADMS.identifier: "其他标识符",
    FOAF.name: "名称",
    FOAF.homepage: "主页",
    ORG.subOrganizationOf: "上级机构",
    SKOS.prefLabel: "名称",
    SKOS.altLabel: "又称",
    SKOS.inScheme: "所属分类体系",
    SKOS.notation: "编码",
    RDFS.label: "标签",
    PROV.wasAttributedTo: "归属",
    PROV.generatedAtTime: "生成时间",
    KGCAT.district: "所属区",
    KGCAT.shareAttribute: "共享属性",
}

_STYLE = (
    "body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;max-width:60rem;margin:2rem auto;"
    "padding:0 1rem;line-height:1.6;color:#222}table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid #ddd}"
    "th{width:12rem;font-weight:600}code,.iri{font-size:.85em;color:#555;word-break:break-all}"
    "nav a{margin-right:1rem}textarea{width:100%;font-family:monospace}"
)


def page(title: str, body: str) -> str:
    """A complete HTML document around ``body`` (already escaped HTML)."""
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body>"
        '<nav><a href="/">kgcat</a><a href="/catalog">目录</a><a href="/sparql">SPARQL</a>'
        '<a href="/shapes">规则</a><a href="/docs">API</a></nav>'
        f"{body}</body></html>\n"
    )


Href = Callable[[str], str]
"""Where a link to an IRI points: its path on this server when the server describes it, else the IRI."""


def _value(node: Node, description: Description, href: Href) -> str:
    if isinstance(node, Literal):
        language = f' lang="{escape(node.language)}"' if node.language else ""
        return f"<span{language}>{escape(str(node))}</span>"
    text = str(node)
    label = description.label(node) or (PROPERTY_LABELS.get(node) if isinstance(node, URIRef) else None)
    shown = escape(label) if label else f'<span class="iri">{escape(compact(text))}</span>'
    return f'<a href="{escape(href(text), quote=True)}">{shown}</a>'


def entity_page(description: Description, downloads: Sequence[tuple[str, str]], href: Href) -> str:
    """The page of one entity: label, types, a property table, sub-nodes, referrers, downloads."""
    iri = description.iri
    title = description.label(iri) or compact(str(iri))
    types = ", ".join(_value(node, description, href) for node in description.types()) or "—"
    rows = []
    for subject, predicate, obj in description.triples:
        if subject != iri or predicate == RDF.type:
            continue
        name = PROPERTY_LABELS.get(URIRef(str(predicate))) or description.label(predicate) or compact(str(predicate))
        rows.append(
            f'<tr><th title="{escape(str(predicate), quote=True)}">{escape(name)}</th>'
            f"<td>{_value(obj, description, href)}</td></tr>"
        )
    referrers = "".join(
        f"<li>{_value(subject, description, href)} "
        f"<small>({escape(PROPERTY_LABELS.get(predicate) or description.label(predicate) or compact(str(predicate)))})"
        "</small></li>"
        for subject, predicate in description.referrers
    )
    more = "<li>…</li>" if description.more_referrers else ""
    links = " · ".join(f'<a href="{escape(href, quote=True)}">{escape(label)}</a>' for label, href in downloads)
    body = (
        f'<h1>{escape(title)}</h1><p class="iri">{escape(str(iri))}</p><p>类型:{types}</p>'
        f"<table>{''.join(rows)}</table>"
        + (f"<h2>引用它的条目</h2><ul>{referrers}{more}</ul>" if referrers else "")
        + f"<h2>下载</h2><p>{links}</p>"
    )
    return page(title, body)


def sparql_page(endpoint: str, example: str) -> str:
    """A minimal form that sends a query to the endpoint with GET."""
    body = (
        "<h1>SPARQL 查询</h1><p>SPARQL 1.1 端点:"
        f"<code>{escape(endpoint)}</code>。默认图是所有命名图的并集;查询有时间和行数限制。</p>"
        f'<form method="get" action="{escape(endpoint, quote=True)}">'
        f'<textarea name="query" rows="10">{escape(example)}</textarea>'
        '<p><label>格式 <select name="format"><option>json</option><option>xml</option><option>csv</option>'
        "<option>tsv</option><option>turtle</option><option>jsonld</option></select></label> "
        '<button type="submit">查询</button></p></form>'
    )
    return page("SPARQL 查询 — kgcat", body)


def home_page(stats: Sequence[tuple[str, int]]) -> str:
    rows = "".join(f"<tr><th>{escape(name)}</th><td>{value}</td></tr>" for name, value in stats)
    body = (
        "<h1>kgcat 公共数据资源目录</h1><p>公共数据资源的 DCAT 知识图谱:"
        '<a href="/search?q=充电桩">搜索</a>、<a href="/catalog">目录导出</a>、<a href="/sparql">SPARQL</a>、'
        '<a href="/shapes">校验规则</a>、<a href="/docs">API 文档</a>。</p>'
        f"<table>{rows}</table>"
    )
    return page("kgcat", body)
