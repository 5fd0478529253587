"""The page a browser gets for an error: the one error body of api/errors.py, shown for people.

Programs get the JSON body; a browser (a GET whose ``Accept`` prefers ``text/html`` to JSON)
gets this page with the same status, code, message and details, a Chinese headline, and ways on:
a search box (filled with the last segment of an unknown IRI), the home page, the SPARQL page.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

from api.html.layout import attr, link, page, text

HEADLINES: dict[int, str] = {
    400: "请求有误",
    401: "需要授权",
    403: "没有权限",
    404: "没有找到这个页面或条目",
    405: "不支持这种请求方式",
    406: "无法提供所要求的格式",
    413: "请求内容太大",
    415: "不支持的内容类型",
    422: "请求参数有误",
    500: "服务器出错了",
    503: "服务暂时不可用",
}


def _search_hint(details: Mapping[str, object]) -> str:
    """The query the API's hint suggests (``details.search`` = ``/search?q=…``), if any."""
    hint = details.get("search")
    if not isinstance(hint, str):
        return ""
    return (parse_qs(urlsplit(hint).query).get("q") or [""])[0]


def error_page(body: Mapping[str, object]) -> str:
    """The page of ``body`` (``{"error": {status, code, title, message, details}}``)."""
    error = body["error"]
    assert isinstance(error, Mapping)
    status = int(str(error["status"]))
    details = error.get("details")
    details = details if isinstance(details, Mapping) else {}
    headline = HEADLINES.get(status, "出错了")
    query = _search_hint(details)
    content = (
        f"<h1>{text(headline)}</h1>"
        f'<p lang="en">{text(error["message"])}</p>'
        f'<p class="iri">HTTP {status} · {text(error["code"])}</p>'
        '<h2>接下来可以</h2><form class="search" role="search" method="get" action="/">'
        '<label for="q" class="visually-hidden">搜索内容</label>'
        f'<input type="search" id="q" name="q" value="{attr(query)}" placeholder="搜索数据资源、部门、政策">'
        '<button type="submit">搜索</button></form>'
        f'<ul class="plain"><li>{link("/", "回到首页")}</li><li>{link("/query", "用 SPARQL 查询")}</li>'
        f"<li>{link('/docs', 'API 文档')}</li></ul>"
    )
    return page(f"{headline} — kgcat", content)
