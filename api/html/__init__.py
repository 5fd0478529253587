"""Server-rendered HTML for people: the search page, entity pages, the SPARQL page.

The only place HTML is written. Every value is escaped; pages are ``lang="zh-CN"``, usable
without JavaScript and on a phone, and share one style sheet (``/static/kgcat.css``).
Properties show Chinese labels where kgcat knows them, and links show names instead of IRIs.
See docs/web.md.
"""

from __future__ import annotations

from api.html.entity_page import EntityView, entity_page, reproducing_query
from api.html.labels import PROPERTY_LABELS
from api.html.layout import Href, page, style_sheet
from api.html.neighbourhood import Neighbour, neighbourhood_svg
from api.html.search_page import EXAMPLE_QUERIES, RESULTS_PER_PAGE, SearchForm, highlighted, search_page
from api.html.sparql_page import EXAMPLE_QUERIES as SPARQL_EXAMPLES
from api.html.sparql_page import sparql_page

__all__ = [
    "EXAMPLE_QUERIES",
    "PROPERTY_LABELS",
    "RESULTS_PER_PAGE",
    "SPARQL_EXAMPLES",
    "EntityView",
    "Href",
    "Neighbour",
    "SearchForm",
    "entity_page",
    "highlighted",
    "neighbourhood_svg",
    "page",
    "reproducing_query",
    "search_page",
    "sparql_page",
    "style_sheet",
]
