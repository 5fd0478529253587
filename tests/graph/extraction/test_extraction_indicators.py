"""Main-indicator tables parsed as structured rows."""

from __future__ import annotations

from collections.abc import Callable

from graph.extraction import CorpusExtraction, DocumentExtraction, EntityType

TABLE = (
    "“十四五”主要指标\n\n"
    "序号\t指标名称\t属性\t单位\t十四五目标值\n"
    "1\t工业互联网平台数量\t预期性\t个\t≥ 5\n"
    "2\t人均公园绿地面积\t约束性\t平方米\t9.5\n\n"
    "3\t5G 基站建成数量\t预期性\t个\t1600\n\n"
    "三、厚植数字底座\n\n到2025年，5G基站建成数量明显提升。"
)


def test_indicator_rows_are_parsed(extracted: Callable[[str], DocumentExtraction]) -> None:
    extraction = extracted(TABLE)
    rows = [(r.seq, r.name, r.unit, r.target, r.nature, r.baseline) for r in extraction.indicators]
    assert rows == [
        (1, "工业互联网平台数量", "个", "≥5", "预期性", None),
        (2, "人均公园绿地面积", "平方米", "9.5", "约束性", None),
        (3, "5G基站建成数量", "个", "1600", "预期性", None),
    ]


def test_indicator_names_are_mentions_with_raw_spans(extracted: Callable[[str], DocumentExtraction]) -> None:
    extraction = extracted(TABLE)
    mentions = [m for m in extraction.mentions if m.type is EntityType.INDICATOR]
    assert [m.text for m in mentions] == ["工业互联网平台数量", "人均公园绿地面积", "5G基站建成数量", "5G基站建成数量"]
    assert TABLE[mentions[2].raw_start : mentions[2].raw_end] == "5G 基站建成数量"


def test_base_and_target_year_columns() -> None:
    from graph.extraction import extract_document

    text = "指标名称\t单位\t2020年\t2025年\t属性\n数据开放数量\t项\t50\t200\t预期性"
    row = extract_document(text).indicators[0]
    assert (row.name, row.baseline, row.target, row.nature) == ("数据开放数量", "50", "200", "预期性")


def test_the_plan_has_twelve_indicator_rows(corpus: CorpusExtraction) -> None:
    plan = next(d for d in corpus.documents if d.indicators)
    assert len(plan.indicators) == 12
    assert plan.indicators[11].target == "数十万" and plan.indicators[11].unit == "万个"
