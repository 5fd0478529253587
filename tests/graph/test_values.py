"""Cleaning single values of portal exports: placeholders, dates, lists, notes (plain Python, no RDF)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from graph.values import clean_text, parse_date, parse_list, strip_note


@pytest.mark.parametrize(
    "placeholder",
    ["暂无", "无", "-", "--", "/", "null", "N/A", "  ", "", None, "ｎｕｌｌ", "\u3000暂无数据\u3000", "Ｎ／Ａ"],
)
def test_placeholders_clean_to_none(placeholder: object) -> None:
    assert clean_text(placeholder) is None


def test_clean_text_trims_and_keeps_real_values() -> None:
    assert clean_text("  行道树信息表 ") == "行道树信息表"
    assert clean_text(2024) == "2024"
    assert clean_text("暂无数据" * 5) == "暂无数据" * 5  # a placeholder repeated is text, however long
    assert clean_text("Cafe\u0301") == "Café"  # composed (NFC)


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("2019-04-28", date(2019, 4, 28)),
        ("2019/4/8", date(2019, 4, 8)),
        ("2019年4月28日", date(2019, 4, 28)),
        ("2019-04-28\n09:45", datetime(2019, 4, 28, 9, 45)),
        ("2019-04-28 09:45:30", datetime(2019, 4, 28, 9, 45, 30)),
        ("2019-04-28T09:45:30", datetime(2019, 4, 28, 9, 45, 30)),
        ("1556409600000", date(2019, 4, 28)),  # epoch milliseconds, UTC
    ],
)
def test_dates_of_the_forms_portals_export_are_parsed(raw: str, parsed: date) -> None:
    assert parse_date(raw) == parsed


@pytest.mark.parametrize("raw", ["2019-13-45", "2019-02-30", "去年", "暂无", None])
def test_impossible_or_missing_dates_parse_to_none_without_raising(raw: object) -> None:
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    ("raw", "items"),
    [
        ("['xls', 'xml', '接口']", ("xls", "xml", "接口")),
        ('["csv", "json"]', ("csv", "json")),
        ("csv,xls；json、pdf", ("csv", "xls", "json", "pdf")),
        (["行道树", "暂无", "行道树", " 绿化 "], ("行道树", "绿化")),
        ("[xls, xml]", ("xls", "xml")),
        (None, ()),
        ("暂无", ()),
    ],
)
def test_lists_are_read_from_json_python_literals_and_delimited_text(raw: object, items: tuple[str, ...]) -> None:
    assert parse_list(raw) == items


def test_a_trailing_note_in_brackets_is_stripped() -> None:
    assert strip_note("每月(更新说明:暂无新业务数据产生)") == "每月"
    assert strip_note("每年（按需更新）") == "每年"
    assert strip_note("每天") == "每天"
