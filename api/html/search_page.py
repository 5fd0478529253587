"""The citizens' search page at ``/``: a GET form, result cards, facets as links, an honest empty state.

Everything works without JavaScript: the query and the filters are the URL
(``/?q=充电桩+数据&type=Dataset&publisher=…&domain=…&access=…``), a facet value is a link that
adds or removes its filter, "why this result" is a ``<details>`` element. Ranking, snippets and
facet counts come from search (``search.hybrid``); this module only shows them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from api.html.layout import Href, attr, link, page, text, url
from search.entities import TYPE_LABELS
from search.results import Filters, SearchResponse, SearchResult

EXAMPLE_QUERIES: tuple[str, ...] = (
    "充电桩 数据",
    "古树名木",
    "哪里可以给电动车充电",
    "养老服务",
    "人工智能 项目",
    "区绿容局 的数据",
)
FACET_NAMES: tuple[tuple[str, str], ...] = (
    ("type", "类型"),
    ("publisher", "提供部门"),
    ("domain", "数据领域"),
    ("access_right", "开放属性"),
)
RESULTS_PER_PAGE = 20
STAT_NAMES: dict[str, str] = {
    "triples": "三元组",
    "named graphs": "来源图",
    "catalogues (dcat:Catalog)": "目录",
    "data resources (dcat:Dataset)": "登记的数据资源",
    "departments and organisations": "部门和机构",
    "policies": "政策",
    "projects": "项目",
}
"""Chinese names of the rows of ``graph.catalogue.CatalogueStats``."""


@dataclass(frozen=True)
class SearchForm:
    """What the page was asked: the query and the filters, as they appear in its URL."""

    q: str = ""
    types: tuple[str, ...] = ()
    publisher: str = ""
    domain: str = ""
    access: str = ""

    @property
    def has_filters(self) -> bool:
        return bool(self.types or self.publisher or self.domain or self.access)

    @property
    def asked(self) -> bool:
        return bool(self.q.strip()) or self.has_filters

    def filters(self) -> Filters:
        return Filters(
            self.types, publisher=self.publisher or None, domain=self.domain or None, access_right=self.access or None
        )

    def href(self) -> str:
        params = {"q": self.q, "type": list(self.types), "publisher": self.publisher, "domain": self.domain}
        return url("/", {**params, "access": self.access})

    def toggled(self, facet: str, value: str) -> SearchForm:
        """This form with the filter ``facet = value`` added, or removed when it is already set."""
        if facet == "type":
            types = tuple(t for t in self.types if t != value) if value in self.types else (*self.types, value)
            return replace(self, types=types)
        new = "" if self.selected(facet, value) else value
        if facet == "publisher":
            return replace(self, publisher=new)
        if facet == "domain":
            return replace(self, domain=new)
        return replace(self, access=new)

    def selected(self, facet: str, value: str) -> bool:
        chosen = {"publisher": self.publisher, "domain": self.domain, "access_right": self.access}
        return value in self.types if facet == "type" else chosen.get(facet) == value


def search_page(
    form: SearchForm,
    response: SearchResponse | None,
    href: Href,
    *,
    stats: Sequence[tuple[str, int]] = (),
    problem: str | None = None,
    notice: str | None = None,
) -> str:
    """The page: the form, then results and facets, the empty state, or (nothing asked) the catalogue's counts.

    ``problem`` says why search cannot answer (no index); ``notice`` is a remark on the request (an ignored filter).
    """
    parts = [_heading(form), _form(form), _examples()]
    if notice:
        parts.append(f'<p class="notice" role="status">{text(notice)}</p>')
    if problem:
        parts.append(f'<p class="notice" role="alert">搜索暂时不可用:{text(problem)}</p>')
    elif response is not None and form.asked:
        parts.append(_answer(form, response, href))
    else:
        parts.append(_welcome(stats))
    title = f"{form.q} — 搜索 — kgcat" if form.q else "kgcat 公共数据资源目录"
    return page(title, "".join(parts), description="用日常中文搜索公共数据资源、部门、政策和项目")


def _heading(form: SearchForm) -> str:
    if form.asked:
        return '<h1 class="visually-compact">搜索公共数据资源</h1>'
    return "<h1>搜索公共数据资源</h1><p>用日常中文搜索数据资源、提供部门、政策和项目,例如“哪里可以给电动车充电”。</p>"


def _form(form: SearchForm) -> str:
    hidden = "".join(f'<input type="hidden" name="type" value="{attr(t)}">' for t in form.types)
    for name, value in (("publisher", form.publisher), ("domain", form.domain), ("access", form.access)):
        if value:
            hidden += f'<input type="hidden" name="{name}" value="{attr(value)}">'
    return (
        '<form class="search" role="search" method="get" action="/">'
        '<label for="q" class="visually-hidden">搜索内容</label>'
        f'<input type="search" id="q" name="q" value="{attr(form.q)}" placeholder="例如:充电桩 数据" '
        f'maxlength="500" autocomplete="off">{hidden}<button type="submit">搜索</button></form>'
    )


def _examples() -> str:
    links = "".join(link(url("/", {"q": query}), query) for query in EXAMPLE_QUERIES)
    return f'<p class="examples">试试:{links}</p>'


def _welcome(stats: Sequence[tuple[str, int]]) -> str:
    browse = "".join(f"<li>{link(url('/', {'type': [key]}), label)}</li>" for key, label in TYPE_LABELS.items())
    rows = "".join(
        f'<tr><th scope="row">{text(STAT_NAMES.get(name, name))}</th><td>{value}</td></tr>' for name, value in stats
    )
    table = f'<h2>目录概况</h2><table class="facts">{rows}</table>' if rows else ""
    return f'<h2>按类型浏览</h2><ul class="plain">{browse}</ul>{table}'


def _answer(form: SearchForm, response: SearchResponse, href: Href) -> str:
    understood = _understood(response)
    chosen = _chosen_filters(form)
    if not response.results:
        body = understood + chosen + _empty(form)
    else:
        capped = f"(只显示前 {RESULTS_PER_PAGE} 条)" if len(response.results) >= RESULTS_PER_PAGE else ""
        count = f'<p role="status">找到 {len(response.results)} 条相关结果{capped}。</p>'
        cards = "".join(_card(result, href) for result in response.results)
        body = f'{understood}{chosen}{count}<ol class="results">{cards}</ol>'
    facets = _facets(form, response.facets)
    return (
        '<div class="layout"><aside class="facets" aria-labelledby="facets-title">'
        f'<h2 id="facets-title" tabindex="-1">筛选</h2>'
        f'{facets}</aside><section aria-labelledby="results-title"><h2 id="results-title">搜索结果</h2>'
        '<p class="to-facets"><a href="#facets-title">按类型、部门、领域筛选 ↓</a></p>'
        f"{body}</section></div>"
    )


def _understood(response: SearchResponse) -> str:
    notes = []
    if response.understood_publisher:
        notes.append(f"提供部门是「{text(response.understood_publisher)}」")
    if response.understood_frequency:
        notes.append(f"更新频率是「{text(response.understood_frequency)}」")
    return f'<p class="notice">已理解为:{"、".join(notes)}。</p>' if notes else ""


def _chosen_filters(form: SearchForm) -> str:
    if not form.has_filters:
        return ""
    chosen = [("type", t, TYPE_LABELS.get(t, t)) for t in form.types]
    chosen += [
        (f, v, v)
        for f, v in (("publisher", form.publisher), ("domain", form.domain), ("access_right", form.access))
        if v
    ]
    chips = "".join(
        f"<li>{text(label)} {link(form.toggled(facet, value).href(), '×', aria_label=f'去掉条件 {label}')}</li>"
        for facet, value, label in chosen
    )
    clear = link(url("/", {"q": form.q}), "清除全部条件")
    return f'<div class="chosen"><span>已选条件:</span><ul class="meta">{chips}</ul> {clear}</div>'


def _empty(form: SearchForm) -> str:
    suggestions = []
    if form.has_filters and form.q:
        suggestions.append(f"<li>{link(url('/', {'q': form.q}), '去掉筛选条件再搜「' + form.q + '」')}</li>")
    suggestions.append("<li>换一种说法,或用更少、更常见的词,例如“充电”而不是“充电桩位置实时数据”。</li>")
    suggestions.append("<li>检查错别字;也可以直接输入部门名称,例如“区绿容局”。</li>")
    examples = "、".join(link(url("/", {"q": q}), q) for q in EXAMPLE_QUERIES[:3])
    suggestions.append(f"<li>看看这些例子:{examples}。</li>")
    suggestions.append(
        f"<li>{link(url('/', {'type': ['Dataset']}), '浏览全部数据资源')},或用 {link('/query', 'SPARQL')} 查询。</li>"
    )
    asked = f"「{text(form.q)}」" if form.q else "这些条件"
    return (
        f'<div class="empty" role="status"><p><strong>没有找到相关结果</strong>。目录中没有与{asked}相关的条目'
        f"(我们不会用不相关的结果凑数)。</p><p>建议:</p><ul>{''.join(suggestions)}</ul></div>"
    )


def _card(result: SearchResult, href: Href) -> str:
    card = result.card
    facts = []
    if card.publisher:
        owner = link(href(card.publisher_iri), card.publisher) if card.publisher_iri else text(card.publisher)
        facts.append(("提供部门", owner))
    if card.domains:
        facts.append(("数据领域", text("、".join(card.domains))))
    if card.access_right or card.type == "Dataset":
        facts.append(("开放属性", text(card.access_right or "未登记")))
    if card.district:
        facts.append(("地区", text(card.district)))
    meta = "".join(f"<div><dt>{name}:</dt><dd>{value}</dd></div>" for name, value in facts)
    return (
        f'<li><article class="card"><h3>{link(href(card.iri), card.label)}</h3>'
        f'<p><span class="badge t-{attr(card.type)}">{text(card.type_label)}</span>'
        + (
            '<span class="badge weak" title="这个条目本身的证据不足以单独入选">可能相关</span>'
            if _weaker(result)
            else ""
        )
        + "</p>"
        + (f'<dl class="meta">{meta}</dl>' if meta else "")
        + f'<p class="snippet">{highlighted(result.snippet, result.highlights)}</p>'
        + f'<details class="why"><summary>为什么是这个结果</summary>{_why(result)}</details></article></li>'
    )


def highlighted(snippet: str, spans: Sequence[tuple[int, int]]) -> str:
    """The snippet escaped, with the matched spans in ``<mark>``."""
    parts, at = [], 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(snippet))
        if start >= end:
            continue
        parts.append(text(snippet[at:start]) + f"<mark>{text(snippet[start:end])}</mark>")
        at = end
    parts.append(text(snippet[at:]))
    return "".join(parts)


def _weaker(result: SearchResult) -> bool:
    """Shown because the query as a whole has an answer, not on the entry's own evidence (search/relevance_gate.py)."""
    return bool(result.why.get("below_threshold"))


def _why(result: SearchResult) -> str:
    why: Mapping[str, object] = result.why
    reasons = []
    if "filters" in why:
        reasons.append("没有输入搜索词:列出符合所选条件的条目,数据资源在前,按名称排序。")
    terms = [str(term) for term in why.get("lexical_terms") or ()]  # type: ignore[attr-defined]
    if terms:
        coverage = float(why.get("lexical_coverage") or 0.0)  # type: ignore[arg-type]
        words = "、".join(f"「{text(term)}」" for term in terms)
        reasons.append(f"条目中出现了查询的词语 {words}(覆盖查询的 {coverage:.0%})。")
    if "vector_similarity" in why:
        similarity = float(why["vector_similarity"])  # type: ignore[arg-type]
        z = float(why.get("vector_z") or 0.0)  # type: ignore[arg-type]
        reasons.append(f"语义相似度 {similarity:.2f},比目录中一般条目高 {z:.1f} 个标准差。")
    if _weaker(result):
        reasons.append("这个条目本身的证据不足以单独入选;整个查询看来在目录中有答案,所以它列在把握较大的结果之后。")
    source = result.snippet_source
    where = "描述" if source == "description" else "名称" if source == "label" else None
    if where is None and source.startswith("document: "):
        where = f"文件《{source.removeprefix('document: ')}》中提到它的句子"
    if where:
        reasons.append(f"摘要取自{text(where)}。")
    reasons.append(f"综合得分 {result.score:g}。")
    return "<ul>" + "".join(f"<li>{reason}</li>" for reason in reasons) + "</ul>"


def _facets(form: SearchForm, facets: Mapping[str, Mapping[str, int]]) -> str:
    groups = []
    for facet, heading in FACET_NAMES:
        values = facets.get(facet) or {}
        if not values:
            continue
        items = "".join(_facet_value(form, facet, value, count) for value, count in values.items())
        groups.append(
            f'<nav aria-label="{attr(heading)}"><fieldset><legend>{text(heading)}</legend>'
            f"<ul>{items}</ul></fieldset></nav>"
        )
    return "".join(groups) or "<p>没有可用的筛选项。</p>"


def _facet_value(form: SearchForm, facet: str, value: str, count: int) -> str:
    label = TYPE_LABELS.get(value, value) if facet == "type" else value
    chosen = form.selected(facet, value)
    mark = "☑ " if chosen else "☐ "
    current = ' aria-current="true"' if chosen else ""
    target = attr(form.toggled(facet, value).href())
    return f'<li><a href="{target}"{current}>{mark}{text(label)} <span class="count">({count})</span></a></li>'
