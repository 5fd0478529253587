"""Normalisation: PDF repairs, paragraphs kept apart, furniture removed, offsets exact."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import pytest

from graph.extraction import CorpusExtraction, Lexicon, normalise_text

WHITESPACE = re.compile(r"\s+")


@pytest.mark.parametrize(
    ("raw", "repaired"),
    [
        ("港科大上海中心是香港科\n\n技大学首个位于长三角的产学研基地,与港科大在大湾区的多个基地互补。", "香港科技大学"),
        (
            "上海市委、市政府提出城市数字化转型重大战略，于2021年年初发布《关于全面推进上海城市数字化转型的意\n\n见》，明确了总体要求。",
            "《关于全面推进上海城市数字化转型的意见》",
        ),
        (
            "涉及区消防支队、区人社局等单位,包括行道树信息表、新能源\n\n汽车充电场表、就业政策表等数据资源。",
            "新能源汽车充电场表",
        ),
        (
            "徐汇区全面推进城市数字化转型\n“十四五”规划\n\n为深入贯彻上海市委的决策部署，特制定本规划。",
            "徐汇区全面推进城市数字化转型“十四五”规划",
        ),
        ("“数字新要素” 流通工程和 T 计划在 3 月 24 日发布。", "“数字新要素”流通工程和T计划在3月24日发布。"),
    ],
)
def test_page_breaks_and_pdf_spacing_are_repaired(raw: str, repaired: str) -> None:
    assert repaired in normalise_text(raw).text


def test_real_paragraphs_stay_apart() -> None:
    raw = (
        "20个重大项目签约,彰显徐汇经济强劲动能\n\n今年以来,徐汇在招商引资方面持续发力。\n\n"
        "徐汇区相关部门参加签约仪式。\n\n图片新闻\n\n早晨7点,第一缕阳光探出地平线。\n\n(来源:区委办)\n\n小启"
    )
    text = normalise_text(raw).text
    assert text.split("\n\n") == [
        "20个重大项目签约,彰显徐汇经济强劲动能",
        "今年以来,徐汇在招商引资方面持续发力。",
        "徐汇区相关部门参加签约仪式。",
        "图片新闻",
        "早晨7点,第一缕阳光探出地平线。",
        "(来源:区委办)",
        "小启",
    ]


def test_headline_separator_space_is_kept() -> None:
    assert "签署合作意向书 共同开展" in normalise_text("## 徐汇区签署合作意向书 共同开展产学研交流\n\n正文。").text


def test_page_furniture_is_removed() -> None:
    raw = (
        "目 录\n\n一、发展基础\t1\n(一) 主要进展\t1\n3.构建安全保障平台\t\n\t15\n\n"
        "正文第一段，讲到数据资源登记的\n\n- 12 -\n\n试点区域。\n\n"
        "沪内部资料准印证(B)第0189号 新闻热线:65653113\n\n**加快发展数据要素市场。**建立制度。"
    )
    text = normalise_text(raw).text
    assert "一、发展基础\n(一)主要进展\n3.构建安全保障平台" in text
    assert "12" not in text and "15" not in text and "准印证" not in text and "*" not in text and "目" not in text
    assert "数据资源登记的试点区域。" in text


def test_running_headers_are_removed() -> None:
    page = "徐汇报 2025年3月27日\n\n第{n}段正文，内容完整。\n\n"
    text = normalise_text("".join(page.format(n=n) for n in range(4))).text
    assert "徐汇报" not in text and text.count("正文") == 4


def test_table_rows_keep_their_tabs() -> None:
    text = normalise_text("序号\t指标名称\t属性\n1\t5G 基站建成数量\t预期性").text
    assert text.splitlines() == ["序号\t指标名称\t属性", "1\t5G基站建成数量\t预期性"]


def check_offsets(raw: str, lexicon: Lexicon, seed: int) -> None:
    """Every normalised character maps to an equal raw character, in increasing order; a span
    maps to the raw range from its first to its last character."""
    normalised = normalise_text(raw, lexicon)
    text = normalised.text
    positions = [normalised.offsets.raw_index(index) for index in range(len(text))]
    assert all(raw[p] == c for p, c in zip(positions, text, strict=True))
    assert all(a < b for a, b in itertools.pairwise(positions))
    rng = random.Random(seed)
    for _ in range(500):
        start = rng.randrange(len(text))
        end = rng.randrange(start + 1, min(len(text), start + 40) + 1)
        assert normalised.raw_span(start, end) == (positions[start], positions[end - 1] + 1)
        deleted = set(range(positions[start], positions[end - 1] + 1)) - set(positions[start:end])
        if all(raw[i].isspace() for i in deleted):
            raw_start, raw_end = normalised.raw_span(start, end)
            assert WHITESPACE.sub("", raw[raw_start:raw_end]) == WHITESPACE.sub("", text[start:end])


def test_offset_map_round_trips_on_the_corpus(corpus_dir: Path, lexicon: Lexicon) -> None:
    for seed, path in enumerate(sorted(corpus_dir.glob("*.txt"))):
        check_offsets(path.read_text(encoding="utf-8"), lexicon, seed)


def test_offset_map_round_trips_on_random_text(lexicon: Lexicon) -> None:
    rng = random.Random(7)
    pieces = ["数据", "资源", "。", "，", " ", "  \n", "\n\n", "\t", "12", "## ", "**", "- 3 -\n", "“", "”", "AI", "局"]
    for seed in range(20):
        raw = "".join(rng.choice(pieces) for _ in range(300))
        if raw.strip():
            check_offsets(raw, lexicon, seed)


def test_mentions_map_back_to_raw_text(corpus_dir: Path, corpus: CorpusExtraction) -> None:
    for document in corpus.documents:
        raw = (corpus_dir / f"{document.doc_id}.txt").read_text(encoding="utf-8")
        for mention in document.mentions:
            assert WHITESPACE.sub("", raw[mention.raw_start : mention.raw_end]) == mention.text
            assert document.text[mention.start : mention.end] == mention.text
