"""The page of one entity (the ``text/html`` of content negotiation on ``/id/…`` and ``/def/…``).

Label, kind and description; the key facts as a table with Chinese property names and linked
values; the entities linked to it (both ways) and those named by the same documents; the
sentences of the documents that mention it; a small SVG of its neighbourhood; the download link
of each RDF syntax and the SPARQL query that gives the facts of the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from api.html.labels import HIDDEN_PROPERTIES, HIDDEN_REFERRERS, INCOMING_LABELS, PROPERTY_LABELS, kind_of
from api.html.layout import Href, attr, link, page, text, url
from api.html.neighbourhood import Neighbour, neighbourhood_svg
from graph.describe import Description, is_sub_node
from graph.explain import Mention
from graph.related import CoMention
from ontology.namespaces import DCTERMS, RDFS, compact

LONG_TEXT = 300
"""Literals longer than this are folded (a document's full text)."""
MANY_VALUES = 6
"""More values of one property than this are shown as a run of text, not one per line."""
_CO_MENTION_HEADINGS = {
    "Policy": "同一文件中提及的政策",
    "Project": "同一文件中提及的项目",
    "Dataset": "同一文件中提及的数据资源",
}


@dataclass(frozen=True)
class EntityView:
    """What the page of one entity shows, gathered by the linked-data route."""

    description: Description
    downloads: Sequence[tuple[str, str]]
    mentions: Sequence[Mention] = ()
    co_mentions: Sequence[CoMention] = ()


def _property_name(description: Description, predicate: Node) -> str:
    return PROPERTY_LABELS.get(URIRef(str(predicate))) or description.label(predicate) or compact(str(predicate))


def _value(node: Node, description: Description, href: Href) -> str:
    if isinstance(node, Literal):
        language = f' lang="{attr(node.language)}"' if node.language else ""
        value = str(node)
        if len(value) > LONG_TEXT:
            folded = f"<summary>{text(value[:80])}…(共 {len(value)} 字,展开)</summary>"
            return f"<details>{folded}<div{language}>{text(value)}</div></details>"
        return f"<span{language}>{text(value)}</span>"
    label = description.label(node) or (PROPERTY_LABELS.get(node) if isinstance(node, URIRef) else None)
    shown = text(label) if label else f'<span class="iri">{text(compact(str(node)))}</span>'
    return f'<a href="{attr(href(str(node)))}">{shown}</a>'


def _sub_node_value(node: URIRef, description: Description) -> str:
    """A sub-node (an identifier, a distribution, an extra field) shown by its literal values."""
    values = [str(o) for s, p, o in description.triples if s == node and isinstance(o, Literal)]
    return text(" · ".join(dict.fromkeys(values))) or f'<span class="iri">{text(compact(str(node)))}</span>'


def _facts(description: Description, href: Href) -> str:
    """One row per Chinese property name (``dct:title`` and ``skos:prefLabel`` are both 名称), values deduplicated."""
    iri = description.iri
    grouped: dict[str, tuple[list[str], list[str]]] = {}
    order = {name: index for index, name in enumerate(dict.fromkeys(PROPERTY_LABELS.values()))}
    for subject, predicate, obj in description.triples:
        if subject != iri or predicate in HIDDEN_PROPERTIES:
            continue
        sub_node = isinstance(obj, URIRef) and is_sub_node(iri, obj)
        shown = _sub_node_value(obj, description) if sub_node else _value(obj, description, href)  # type: ignore[arg-type]
        predicates, cells = grouped.setdefault(_property_name(description, predicate), ([], []))
        if compact(str(predicate)) not in predicates:
            predicates.append(compact(str(predicate)))
        if shown not in cells:
            cells.append(shown)
    rows = "".join(
        f'<tr><th scope="row" title="{attr(" ".join(predicates))}">{text(name)}</th><td>{_cell(cells)}</td></tr>'
        for name, (predicates, cells) in sorted(
            grouped.items(), key=lambda item: (order.get(item[0], len(order)), item[0])
        )
    )
    return f'<h2 id="facts">基本信息</h2><div class="table-scroll"><table class="facts">{rows}</table></div>'


def _referrers(description: Description) -> list[tuple[URIRef, URIRef]]:
    return [(s, p) for s, p in description.referrers if p not in HIDDEN_REFERRERS]


def _incoming_heading(description: Description, predicate: URIRef) -> str:
    return INCOMING_LABELS.get(predicate) or f"通过「{_property_name(description, predicate)}」指向它的条目"


def _cell(values: list[str]) -> str:
    """A few values one per line; many (a document's mentions) as a run of text."""
    return "<br>".join(values) if len(values) <= MANY_VALUES else "、".join(values)


def _terms(description: Description) -> str:
    """The ``#`` terms a vocabulary document defines (``/def/kgcat#Policy`` …), with their labels and comments."""
    prefix = f"{description.iri}#"
    terms: dict[str, dict[URIRef, list[Literal]]] = {}
    for subject, predicate, obj in description.triples:
        if str(subject).startswith(prefix) and isinstance(obj, Literal) and predicate in (RDFS.label, RDFS.comment):
            terms.setdefault(str(subject), {}).setdefault(URIRef(str(predicate)), []).append(obj)
    if not terms:
        return ""

    def best(literals: list[Literal]) -> str:
        chosen = sorted(literals, key=lambda node: not (node.language or "").startswith("zh"))
        return str(chosen[0]) if chosen else ""

    rows = "".join(
        f'<tr id="{attr(term.removeprefix(prefix))}"><th scope="row"><code>{text(compact(term))}</code></th>'
        f"<td>{text(best(values.get(RDFS.label, [])))}</td><td>{text(best(values.get(RDFS.comment, [])))}</td></tr>"
        for term, values in sorted(terms.items())
    )
    return (
        '<h2 id="terms">定义的术语</h2><div class="table-scroll"><table><thead><tr><th scope="col">术语</th>'
        f'<th scope="col">名称</th><th scope="col">说明</th></tr></thead><tbody>{rows}</tbody></table></div>'
    )


def _linked(description: Description, href: Href) -> str:
    """The entities pointing at this one, by relation (known relations first), each listed once."""
    known = {predicate: index for index, predicate in enumerate(INCOMING_LABELS)}
    referrers = sorted(_referrers(description), key=lambda pair: known.get(pair[1], len(known)))
    groups: dict[str, list[str]] = {}
    listed: set[URIRef] = set()
    for subject, predicate in referrers:
        if subject == description.iri or subject in listed:
            continue
        listed.add(subject)
        groups.setdefault(_incoming_heading(description, predicate), []).append(
            f"<li>{_value(subject, description, href)}</li>"
        )
    if not groups:
        return ""
    sections = "".join(
        f'<h3>{text(heading)}</h3><ul class="plain">{"".join(items)}</ul>' for heading, items in groups.items()
    )
    more = "<p>(只列出前 50 个;完整列表请用 SPARQL 查询。)</p>" if description.more_referrers else ""
    return f'<h2 id="linked">关联条目</h2>{sections}{more}'


def _co_mentioned(co_mentions: Sequence[CoMention], href: Href) -> str:
    groups: dict[str, list[str]] = {}
    for mention in co_mentions:
        key = (kind_of([mention.kind]) or ("Dataset", ""))[0]
        documents = f' <span class="count">({mention.documents} 份文件)</span>' if mention.documents > 1 else ""
        groups.setdefault(key, []).append(f"<li>{link(href(str(mention.iri)), mention.label)}{documents}</li>")
    if not groups:
        return ""
    sections = "".join(
        f'<h3>{text(_CO_MENTION_HEADINGS.get(key, key))}</h3><ul class="plain">{"".join(items)}</ul>'
        for key, items in groups.items()
    )
    return (
        '<h2 id="related">相关政策、项目和数据资源</h2>'
        "<p>下列条目与它出现在同一份文件中(依据是文件的提及记录,不是登记的直接关系)。</p>" + sections
    )


def _mentions(mentions: Sequence[Mention], href: Href) -> str:
    if not mentions:
        return ""
    items, seen = [], set()
    for mention in mentions:
        if (mention.document, mention.sentence) in seen:
            continue
        seen.add((mention.document, mention.sentence))
        sentence = text(mention.sentence).replace(text(mention.exact), f"<mark>{text(mention.exact)}</mark>", 1)
        items.append(
            f'<li><blockquote lang="zh">{sentence}</blockquote>出自 '
            f"{link(href(mention.document), '《' + mention.document_title + '》')}</li>"
        )
    return f'<h2 id="sources">文件中提到它的句子</h2><ul class="plain">{"".join(items)}</ul>'


def _neighbours(description: Description, co_mentions: Sequence[CoMention], href: Href) -> list[Neighbour]:
    """Direct links (both ways) first, then entities named by the same documents (drawn dashed)."""
    iri = description.iri
    found: dict[tuple[str, bool], Neighbour] = {}
    for subject, predicate, obj in description.triples:
        if (
            subject == iri
            and isinstance(obj, URIRef)
            and predicate not in HIDDEN_PROPERTIES
            and not is_sub_node(iri, obj)
        ):
            label = description.label(obj) or compact(str(obj))
            found.setdefault(
                (str(obj), True), Neighbour(href(str(obj)), label, _property_name(description, predicate), True)
            )
    for subject, predicate in _referrers(description):
        label = description.label(subject) or compact(str(subject))
        found.setdefault(
            (str(subject), False), Neighbour(href(str(subject)), label, _property_name(description, predicate), False)
        )
    linked = {key for key, _ in found}
    for mention in co_mentions:
        if str(mention.iri) not in linked:
            found.setdefault(
                (str(mention.iri), False),
                Neighbour(href(str(mention.iri)), mention.label, "同文件提及", False, co_mention=True),
            )
    return list(found.values())


def reproducing_query(iri: URIRef) -> str:
    """The SPARQL query that gives the facts and links of the page of ``iri``."""
    return (
        "SELECT ?direction ?property ?value ?valueLabel WHERE {\n"
        f'  {{ <{iri}> ?property ?value BIND("→" AS ?direction) }}\n'
        f'  UNION {{ ?value ?property <{iri}> BIND("←" AS ?direction) }}\n'
        "  OPTIONAL { ?value skos:prefLabel|dct:title|foaf:name ?valueLabel }\n"
        "}\nLIMIT 500"
    )


def entity_page(view: EntityView, href: Href) -> str:
    """The page of ``view.description.iri``."""
    description = view.description
    iri = description.iri
    title = description.label(iri) or compact(str(iri))
    kind = kind_of(description.types())
    badge = f'<span class="badge t-{attr(kind[0])}">{text(kind[1])}</span>' if kind else ""
    summaries = sorted(
        (o for s, p, o in description.triples if s == iri and p == DCTERMS.description),
        key=lambda node: not (isinstance(node, Literal) and (node.language or "").startswith("zh")),
    )
    lead = f"<p>{_value(summaries[0], description, href)}</p>" if summaries else ""
    graph = neighbourhood_svg(title, _neighbours(description, view.co_mentions, href))
    downloads = " · ".join(link(target, name) for name, target in view.downloads)
    query = reproducing_query(iri)
    body = (
        f'<article><header><p>{badge}</p><h1>{text(title)}</h1><p class="iri">{text(str(iri))}</p>{lead}</header>'
        + _facts(description, href)
        + (f'<h2 id="graph">关联图</h2><figure class="graph">{graph}</figure>' if graph else "")
        + _terms(description)
        + _linked(description, href)
        + _co_mentioned(view.co_mentions, href)
        + _mentions(view.mentions, href)
        + f'<h2 id="download">下载</h2><p>这个条目的 RDF 数据:{downloads}</p>'
        + f'<h2 id="sparql">用 SPARQL 得到本页数据</h2><pre><code>{text(query)}</code></pre>'
        + f"<p>{link(url('/query', {'query': query}), '在 SPARQL 查询页运行', class_='button')}</p></article>"
    )
    return page(f"{title} — kgcat", body)
