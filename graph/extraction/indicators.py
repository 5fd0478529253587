"""Indicator tables (主要指标) parsed into structured rows, and the names' re-mentions.

A table is a tab-separated header line naming an indicator column (指标名称) and at least two
more columns, followed by rows with the same number of cells (blank lines between rows are
allowed; a one-cell row sets the category of the rows after it). Columns are recognised by
their header words: 序号, 指标名称, 属性 (预期性/约束性), 单位, …目标值 / a target year, 基期值 /
a base year, 类别. Each row's name cell is an Indicator mention; so is the same name verbatim
elsewhere in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from graph.extraction.candidates import Candidate
from graph.extraction.context import DocumentContext
from graph.extraction.offsets import OffsetMap
from graph.extraction.records import EntityType, IndicatorRow
from graph.extraction.scan import at_word_end, at_word_start, trie_pattern

INDICATOR = EntityType.INDICATOR
_NATURES = ("预期性", "约束性")
_YEAR = re.compile(r"20\d{2}")
_COLUMNS = (
    ("seq", ("序号", "编号")),
    ("nature", ("属性", "性质", "指标类型")),
    ("unit", ("单位",)),
    ("target", ("目标",)),
    ("baseline", ("基期", "基准", "现状", "现值", "基数")),
    ("category", ("类别", "领域", "分类", "维度")),
    ("name", ("指标名称", "指标", "名称")),
)
_MIN_REMENTION = 5


@dataclass(frozen=True)
class Cell:
    """One table cell: its text and normalised span."""

    text: str
    start: int
    end: int


def parse_indicator_tables(ctx: DocumentContext, offsets: OffsetMap) -> list[IndicatorRow]:
    """All rows of all indicator tables in the document."""
    lines = list(_lines(ctx.text))
    rows: list[IndicatorRow] = []
    index = 0
    while index < len(lines):
        columns = _header_columns(lines[index])
        if columns is None:
            index += 1
            continue
        index = _read_rows(lines, index + 1, columns, offsets, rows)
    return rows


def _lines(text: str) -> Iterator[list[Cell]]:
    position = 0
    for line in text.split("\n"):
        cells = []
        cell_start = position
        for part in line.split("\t"):
            stripped = part.strip()
            if stripped:
                offset = cell_start + part.find(stripped)
                cells.append(Cell(stripped, offset, offset + len(stripped)))
            cell_start += len(part) + 1
        yield cells
        position += len(line) + 1


def _header_columns(cells: list[Cell]) -> dict[str, int] | None:
    if len(cells) < 3 or not any("指标" in c.text or "名称" in c.text for c in cells):
        return None
    columns: dict[str, int] = {}
    years = [i for i, c in enumerate(cells) if _YEAR.search(c.text) and "目标" not in c.text]
    for index, cell in enumerate(cells):
        for key, words in _COLUMNS:
            if key not in columns and any(w in cell.text for w in words):
                columns[key] = index
                break
    if years and "target" not in columns:
        columns["target"] = years[-1]
    if len(years) > 1 and "baseline" not in columns:
        columns["baseline"] = years[0]
    return columns if "name" in columns and len(columns) >= 3 else None


def _read_rows(
    lines: list[list[Cell]], index: int, columns: dict[str, int], offsets: OffsetMap, rows: list[IndicatorRow]
) -> int:
    width = max(columns.values()) + 1
    category: str | None = None
    while index < len(lines):
        cells = lines[index]
        if not cells:
            index += 1
            continue
        if len(cells) == 1 and len(cells[0].text) <= 12 and "category" not in columns:
            category = cells[0].text
        elif len(cells) >= width:
            rows.append(_row(cells, columns, category, offsets))
        else:
            return index
        index += 1
    return index


def _row(cells: list[Cell], columns: dict[str, int], category: str | None, offsets: OffsetMap) -> IndicatorRow:
    def value(key: str) -> str | None:
        position = columns.get(key)
        return cells[position].text if position is not None else None

    name_cell = cells[columns["name"]]
    seq = value("seq")
    nature = value("nature")
    if nature not in _NATURES:
        nature = next((c.text for c in cells if c.text in _NATURES), nature)
    raw_start, raw_end = offsets.raw_span(name_cell.start, name_cell.end)
    return IndicatorRow(
        seq=int(seq) if seq and seq.isdigit() else None,
        name=re.sub(r"\s+", "", name_cell.text),
        unit=value("unit"),
        baseline=_squeeze(value("baseline")),
        target=_squeeze(value("target")),
        nature=nature,
        category=value("category") or category,
        start=name_cell.start,
        end=name_cell.end,
        raw_start=raw_start,
        raw_end=raw_end,
    )


def _squeeze(text: str | None) -> str | None:
    return re.sub(r"\s+", "", text) if text is not None else None


def indicator_candidates(ctx: DocumentContext, rows: list[IndicatorRow]) -> list[Candidate]:
    """The name cells of the rows, and verbatim re-mentions of the names in the text."""
    found = [Candidate(INDICATOR, r.start, r.end, 0.95, "indicator.table", r.name) for r in rows]
    cells = {(r.start, r.end) for r in rows}
    text = ctx.text
    names = {text[r.start : r.end]: r.name for r in rows if r.end - r.start >= _MIN_REMENTION}
    pattern = trie_pattern(names)
    if pattern is None:
        return found
    for match in pattern.finditer(text):
        start, end = match.span()
        if (start, end) not in cells and _stands(ctx, start, end):
            found.append(Candidate(INDICATOR, start, end, 0.7, "indicator.mention", names[match.group()]))
    return found


def _stands(ctx: DocumentContext, start: int, end: int) -> bool:
    return at_word_start(ctx.text, start, ctx.segmenter, ctx.vocab) and at_word_end(ctx.text, end, ctx.segmenter)
