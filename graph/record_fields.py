"""The columns of a registration record (数据目录清单) and the names they go by in real files.

A records file may use the canonical English names, the Chinese labels data bureaus and
portals use, or the unified CN-PDS names; every alias maps to one canonical field. A column
that maps to no field is kept verbatim as an additional field, never dropped.
Documented in docs/records.md.
"""

from __future__ import annotations

import functools
import unicodedata
from enum import StrEnum


class Field(StrEnum):
    """A canonical record field; the value is its canonical column name."""

    ID = "id"
    TITLE = "title"
    DESCRIPTION = "description"
    PUBLISHER = "publisher"
    PUBLISHER_SHORT_NAME = "publisher_short_name"
    PUBLISHER_PARENT = "publisher_parent"
    PUBLISHER_BASIS = "publisher_basis"
    REGION = "region"
    CATALOG = "catalog"
    CATALOG_TITLE = "catalog_title"
    CATALOG_HOMEPAGE = "catalog_homepage"
    DOMAIN = "domain"
    NATIONAL_THEME = "national_theme"
    UPDATE_FREQUENCY = "update_frequency"
    ACCESS_LEVEL = "access_level"
    SHARE_ATTRIBUTE = "share_attribute"
    REGISTRATION_CODE = "registration_code"
    ISSUED = "issued"
    MODIFIED = "modified"
    KEYWORDS = "keywords"
    FORMATS = "formats"
    LANDING_PAGE = "landing_page"
    # CN-PDS bookkeeping columns: read, used, and (where they carry data) kept.
    ISSUED_RAW = "issued_raw"
    MODIFIED_RAW = "modified_raw"
    DUPLICATE_OF = "duplicate_of"
    LANDING_PAGE_SHARED = "landing_page_shared"
    EXTRA = "extra"


LIST_FIELDS = frozenset({Field.KEYWORDS, Field.FORMATS, Field.DOMAIN})

ALIASES: dict[Field, tuple[str, ...]] = {
    Field.ID: ("id", "记录编号", "资源编号", "数据集编号"),
    Field.TITLE: ("title", "数据集名称", "资源名称", "数据资源名称", "信息资源名称", "名称"),
    Field.DESCRIPTION: ("description", "摘要", "数据摘要", "资源摘要", "信息资源摘要", "描述", "简介"),
    Field.PUBLISHER: ("publisher", "提供方", "数据提供方", "提供部门", "来源部门", "数源部门", "资源提供方"),
    Field.PUBLISHER_SHORT_NAME: ("publisher_short_name", "部门简称", "提供方简称"),
    Field.PUBLISHER_PARENT: ("publisher_parent", "上级单位", "上级部门"),
    Field.PUBLISHER_BASIS: ("publisher_basis", "提供方依据"),
    Field.REGION: ("region", "行政区", "行政区划"),
    Field.CATALOG: ("catalog", "portal_key", "目录编码"),
    Field.CATALOG_TITLE: ("catalog_title", "portal_name", "目录名称"),
    Field.CATALOG_HOMEPAGE: ("catalog_homepage", "portal_url", "目录主页"),
    Field.DOMAIN: ("domain", "theme", "数据领域", "所属领域", "重点领域"),
    Field.NATIONAL_THEME: ("national_theme", "national_theme_or_industry", "国家主题分类", "行业分类"),
    Field.UPDATE_FREQUENCY: ("update_frequency", "更新频率", "更新频度", "更新周期"),
    Field.ACCESS_LEVEL: ("access_level", "open_attribute", "开放属性", "开放类型", "开放条件"),
    Field.SHARE_ATTRIBUTE: ("share_attribute", "共享属性", "共享类型"),
    Field.REGISTRATION_CODE: ("registration_code", "登记编码", "资源代码"),
    Field.ISSUED: ("issued", "首次发布日期", "发布日期", "发布时间"),
    Field.MODIFIED: ("modified", "更新日期", "最近更新日期", "更新时间"),
    Field.KEYWORDS: ("keywords", "关键词", "关键字", "数据标签", "标签"),
    Field.FORMATS: ("formats", "数据格式", "格式", "文件格式"),
    Field.LANDING_PAGE: ("landing_page", "访问页面", "详情页", "链接"),
    Field.ISSUED_RAW: ("issued_raw",),
    Field.MODIFIED_RAW: ("modified_raw",),
    Field.DUPLICATE_OF: ("duplicate_of",),
    Field.LANDING_PAGE_SHARED: ("landing_page_shared",),
    Field.EXTRA: ("extra",),
}

IGNORED_COLUMNS = frozenset({"province"})
"""Columns that repeat what other columns say (province is implied by region)."""


def _fold(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).lower()


_BY_ALIAS: dict[str, Field] = {_fold(alias): field for field, aliases in ALIASES.items() for alias in aliases}


@functools.lru_cache(maxsize=4096)  # a file names the same few columns on every row
def field_for_column(column: str) -> Field | None:
    """The canonical field a column name stands for, or None for an unknown column."""
    return _BY_ALIAS.get(_fold(column))
