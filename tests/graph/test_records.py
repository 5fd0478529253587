"""Raw rows of any dialect become typed registration records; nothing is dropped (plain Python, no RDF)."""

from __future__ import annotations

from datetime import date

import pytest

from graph.record_fields import Field, field_for_column
from graph.records import record_from_row


@pytest.mark.parametrize(
    ("column", "field"),
    [
        ("数据集名称", Field.TITLE),
        ("数据提供方", Field.PUBLISHER),
        ("开放属性", Field.ACCESS_LEVEL),
        ("更新频度", Field.UPDATE_FREQUENCY),
        ("title", Field.TITLE),
        (" 数据集名称 ", Field.TITLE),
        ("ＴＩＴＬＥ", Field.TITLE),  # full-width
        ("portal_key", Field.CATALOG),
    ],
)
def test_column_names_of_every_dialect_map_to_one_field(column: str, field: Field) -> None:
    assert field_for_column(column) is field


def test_an_unknown_column_maps_to_no_field() -> None:
    assert field_for_column("数据量") is None


def test_a_row_with_chinese_headers_becomes_a_record() -> None:
    record = record_from_row(
        {
            "数据集名称": "行道树信息表",
            "数据提供方": "上海市徐汇区绿化和市容管理局",
            "开放属性": "有条件开放",
            "更新频度": "每月",
        },
        line=2,
    )

    assert (record.title, record.publisher) == ("行道树信息表", "上海市徐汇区绿化和市容管理局")
    assert (record.access_level, record.update_frequency) == ("有条件开放", "每月")
    assert record.extras == ()


def test_unknown_columns_and_unparseable_dates_are_kept_verbatim_with_a_note() -> None:
    record = record_from_row({"title": "行道树信息表", "数据量": "1200条", "issued": "2019-13-45"}, line=7)

    assert record.issued is None
    assert record.extras == (("数据量", "1200条"), ("issued", "2019-13-45"))
    assert record.notes == ("issued '2019-13-45' is not a date; kept as an additional field",)


def test_a_raw_date_column_fills_a_missing_parsed_date() -> None:
    record = record_from_row({"title": "行道树信息表", "issued": None, "issued_raw": "2019-04-28"}, line=2)

    assert record.issued == date(2019, 4, 28)


def test_the_extra_object_of_the_unified_schema_is_kept_field_by_field() -> None:
    record = record_from_row({"title": "行道树信息表", "extra": {"所属区县": "徐汇区", "版本号": None}}, line=2)

    assert record.extras == (("所属区县", "徐汇区"),)


def test_a_landing_page_shared_by_many_records_is_kept_only_as_an_additional_field() -> None:
    record = record_from_row(
        {"title": "行道树信息表", "landing_page": "https://data.sh.gov.cn/", "landing_page_shared": True}, line=2
    )

    assert record.landing_page is None
    assert ("landing_page (shared by many records)", "https://data.sh.gov.cn/") in record.extras


def test_the_province_column_is_ignored_because_the_region_implies_it() -> None:
    record = record_from_row({"title": "行道树信息表", "province": "上海市", "region": "上海市徐汇区"}, line=2)

    assert record.region == "上海市徐汇区"
    assert record.extras == ()


def test_a_record_is_labelled_by_line_id_and_title() -> None:
    assert record_from_row({"id": "r1", "title": "行道树信息表"}, line=4).label == "line 4: r1 行道树信息表"
    assert record_from_row({}, line=5).label == "line 5: (no title)"
