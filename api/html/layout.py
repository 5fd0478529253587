"""The frame of every page for people: the HTML document, the site header, links, the style sheet.

Pages are ``lang="zh-CN"``, start with a skip link, and use one style sheet served from
``/static/kgcat.css`` (:data:`STYLE_SHEET`; no CDN, no JavaScript). Every value put into a page
goes through :func:`text` or :func:`attr`, which escape it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape
from importlib import resources
from urllib.parse import urlencode

STYLE_PATH = "/static/kgcat.css"

Href = Callable[[str], str]
"""Where a link to an IRI points: its path on this server when the server describes it, else the IRI."""


def style_sheet() -> bytes:
    """The site's style sheet (packaged next to this module)."""
    return resources.files("api.html").joinpath("kgcat.css").read_bytes()


def text(value: object) -> str:
    """``value`` as escaped HTML text."""
    return escape(str(value), quote=False)


def attr(value: object) -> str:
    """``value`` escaped for a double-quoted attribute."""
    return escape(str(value), quote=True)


def link(href: str, label: str, **attributes: str) -> str:
    extra = "".join(f' {name.rstrip("_").replace("_", "-")}="{attr(value)}"' for name, value in attributes.items())
    return f'<a href="{attr(href)}"{extra}>{text(label)}</a>'


def url(path: str, params: Mapping[str, str | Sequence[str]] | Sequence[tuple[str, str]]) -> str:
    """``path`` with a query string (repeated keys for sequences); no ``?`` when there is nothing to add."""
    pairs = params.items() if isinstance(params, Mapping) else params
    flat: list[tuple[str, str]] = []
    for key, value in pairs:
        flat += [(key, v) for v in value] if isinstance(value, (list, tuple)) else [(key, str(value))]
    flat = [(key, value) for key, value in flat if value]
    return f"{path}?{urlencode(flat)}" if flat else path


_NAV = (("/", "搜索"), ("/query", "SPARQL 查询"), ("/catalog", "目录导出"), ("/shapes", "校验规则"), ("/docs", "API"))


def page(title: str, body: str, *, description: str | None = None) -> str:
    """A complete HTML document around ``body`` (HTML already escaped)."""
    links = "".join(link(href, label) for href, label in _NAV)
    meta = f'<meta name="description" content="{attr(description)}">' if description else ""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{text(title)}</title>{meta}<link rel="stylesheet" href="{STYLE_PATH}"></head><body>'
        '<a class="skip" href="#main">跳到正文</a>'
        '<header class="site"><nav aria-label="网站导航">'
        f'<a class="brand" href="/">kgcat 公共数据资源目录</a>{links}</nav>'
        f'</header><main id="main">{body}</main>'
        '<footer class="site">kgcat:公共数据资源的 DCAT 知识图谱。数据可用 SPARQL 查询,'
        "每个条目都可以 Turtle、JSON-LD、RDF/XML、N-Triples 下载。</footer></body></html>\n"
    )
