"""``/search``: plain-Chinese search over the catalogue, the JSON of ``SearchResponse.to_json`` with facets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from api.deps import RankerDep
from api.errors import BadRequest
from search.entities import TYPE_LABELS
from search.results import Filters

router = APIRouter(tags=["Search"])


@router.get("/search", summary="Search the catalogue in plain Chinese (hybrid: vectors + words), with facet counts")
async def search(
    ranker: RankerDep,
    q: Annotated[str, Query(max_length=500, description="the query, e.g. 充电桩 数据 (empty: list by filters)")] = "",
    k: Annotated[int, Query(ge=1, le=100, description="how many results")] = 10,
    type: Annotated[list[str] | None, Query(description=f"entity types: {', '.join(TYPE_LABELS)}")] = None,
    publisher: Annotated[str | None, Query(description="publisher IRI or (part of) its name")] = None,
    domain: Annotated[str | None, Query(description="data domain, e.g. 生态环境保护")] = None,
    access_right: Annotated[str | None, Query(description="无条件开放, 有条件开放 or 不予开放")] = None,
    district: Annotated[str | None, Query(description="district, e.g. 徐汇")] = None,
) -> dict[str, Any]:
    types = tuple(type or ())
    unknown = [name for name in types if name not in TYPE_LABELS]
    if unknown:
        raise BadRequest(
            f"unknown type {', '.join(unknown)}; choose from {', '.join(TYPE_LABELS)}", known=list(TYPE_LABELS)
        )
    filters = Filters(types, publisher=publisher, domain=domain, access_right=access_right, district=district)
    response = await run_in_threadpool(ranker.search, q, k, filters)
    return response.to_json()
