"""Cleaning of single values from registration records: placeholders, dates, lists.

Real portal exports are messy: ``暂无`` for "no value", dates like ``2019-04-28\\n09:45`` or
epoch milliseconds, lists written as ``['xls', 'xml', '接口']``. Each function here takes one
raw value and returns a clean Python value or None; none of them raises on bad data.
"""

from __future__ import annotations

import ast
import json
import re
import unicodedata
from datetime import UTC, date, datetime

PLACEHOLDERS = frozenset(
    {
        "",
        "暂无",
        "无",
        "空",
        "-",
        "--",
        "—",
        "/",
        "null",
        "none",
        "n/a",
        "na",
        "nan",
        "待定",
        "未知",
        "暂无数据",
        "其他说明",
    }
)

_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_DATETIME = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[\sT]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$")
_YEAR_MONTH = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_EPOCH_MS = re.compile(r"^\d{12,13}$")
_LIST_SPLIT = re.compile(r"[,，;；、|\n]+")


_PLACEHOLDER_REACH = 4 * max(len(placeholder) for placeholder in PLACEHOLDERS)
"""Longer text cannot fold to a placeholder: NFKC merges at most three code points into one (Hangul jamo,
stacked marks) and deletes none, and the text is stripped first."""


def clean_text(value: object) -> str | None:
    """A trimmed, NFC string, or None for empty values and placeholders such as 暂无."""
    if value is None:
        return None
    text = str(value)
    if not text.isascii():  # ASCII is already NFC: most ids, dates and codes skip the normalisation
        text = unicodedata.normalize("NFC", text)
    text = text.strip()
    if len(text) <= _PLACEHOLDER_REACH and unicodedata.normalize("NFKC", text).strip().lower() in PLACEHOLDERS:
        return None
    return text


def parse_date(value: object) -> date | datetime | None:
    """A date or datetime from the forms seen in portal exports, or None when unparseable."""
    text = clean_text(value)
    if text is None:
        return None
    text = " ".join(text.split())
    try:
        if match := _DATE.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DATETIME.match(text):
            year, month, day, hour, minute, second = (int(part) for part in match.groups(default="0"))
            return datetime(year, month, day, hour, minute, second)
        if _EPOCH_MS.match(text):
            return datetime.fromtimestamp(int(text) / 1000, tz=UTC).date()
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_list(value: object) -> tuple[str, ...]:
    """A tuple of clean, distinct strings from a JSON list, a Python-literal list or a delimited string."""
    if value is None:
        return ()
    items: list[object]
    if isinstance(value, (list, tuple)):
        items = list(value)
    else:
        text = str(value).strip()
        items = _literal_list(text) if text.startswith("[") else _LIST_SPLIT.split(text)
    cleaned = (clean_text(item) for item in items)
    return tuple(dict.fromkeys(item for item in cleaned if item))


def _literal_list(text: str) -> list[object]:
    for loader in (json.loads, ast.literal_eval):
        try:
            parsed = loader(text)
        except (ValueError, SyntaxError):
            continue
        if isinstance(parsed, list):
            return parsed
    return _LIST_SPLIT.split(text.strip("[]"))


def strip_note(value: str) -> str:
    """``每月(更新说明:暂无新业务数据产生)`` → ``每月``: drop a trailing parenthesised note."""
    return re.sub(r"\s*[(（].*[)）]\s*$", "", value).strip()
