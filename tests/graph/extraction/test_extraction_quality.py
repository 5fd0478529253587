"""Quality regression (issue 3): per-type scores on the gold corpus may not drop.

Floors are the scores reached when this test was written, rounded down; the issue's targets
(recall ≥ 0.95, precision ≥ 0.90; 0.85 for Organization) are checked separately. Matching:
mention level = exact type and raw span; entity level = (type, canonical) per document.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from graph.extraction import CorpusExtraction, EntityType, extract_document
from graph.extraction.evaluation import (
    Score,
    load_gold,
    load_gold_indicators,
    score_entities,
    score_indicators,
    score_mentions,
    total,
)

TESTS = Path(__file__).resolve().parents[2]
GOLD_DIR = TESTS / "data" / "gold"
IMITATION_DIR = TESTS / "data" / "extraction"

T = EntityType
MENTION_F1_FLOOR = {
    T.DEPARTMENT: 0.99,
    T.DATASET: 0.97,
    T.POLICY: 0.97,
    T.PROJECT: 0.98,
    T.ORGANIZATION: 0.98,
    T.INDICATOR: 0.99,
}
ENTITY_F1_FLOOR = {
    T.DEPARTMENT: 0.98,
    T.DATASET: 0.98,
    T.POLICY: 0.98,
    T.PROJECT: 0.97,
    T.ORGANIZATION: 0.98,
    T.INDICATOR: 0.99,
}
TARGETS = {T.DEPARTMENT: 0.95, T.DATASET: 0.95, T.POLICY: 0.95, T.PROJECT: 0.95, T.ORGANIZATION: 0.85}
IMITATION_F1_FLOOR = {T.DEPARTMENT: 0.95, T.DATASET: 0.95, T.POLICY: 0.95, T.PROJECT: 0.90, T.ORGANIZATION: 0.90}
# Second- to seventeenth-round imitation pages (tests/data/extraction/README.md): floors at the
# scores measured after the seventeenth-round rule changes, rounded down. 金山 (seventh round) and 奉贤
# (eighth) were used for the eighth round's rules, 虹口 (held out in the eighth) for the ninth's,
# 黄浦 (held out in the ninth) and 浦东 (written before the tenth round's changes) for the tenth's,
# 崇明 (held out in the tenth) and 西湖 (杭州; written before the eleventh round's changes) for the
# eleventh's, 鼓楼 (南京; held out in the eleventh), 武侯 (成都, a plan) and 岳麓 (长沙; both written
# before the twelfth round's changes) for the twelfth's, 金水 (郑州; held out in the twelfth) and 历下
# (济南; written before the thirteenth round's changes) for the thirteenth's, 观山湖 (贵阳; held out in
# the thirteenth) and 市南 (青岛; written before the fourteenth round's changes) for the fourteenth's,
# 城关 (兰州; held out in the fourteenth) and 思明 (厦门; written before the fifteenth round's changes)
# for the fifteenth's, 青秀 (南宁; held out in the fifteenth) and 蜀山 (合肥; written before the
# sixteenth round's changes) for the sixteenth's, 雁塔 (西安; held out in the sixteenth) and 小店 (太原;
# written before the seventeenth round's changes) for the seventeenth's. The 南岗 page (哈尔滨),
# written after the seventeenth round's changes and never used for a rule, is held out: its floors
# are its scores on first sight.
LATER_IMITATION_F1_FLOOR = {
    "baoshan_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "jiading_plan": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "putuo_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "changning_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "songjiang_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "qingpu_newspaper": {T.DEPARTMENT: 0.97, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.96, T.ORGANIZATION: 0.99},
    "jinshan_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "fengxian_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "hongkou_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "huangpu_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "pudong_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "chongming_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "xihu_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "gulou_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "wuhou_plan": {T.DEPARTMENT: 0.99, T.DATASET: 0.96, T.POLICY: 0.99, T.PROJECT: 0.96, T.ORGANIZATION: 0.99},
    "yuelu_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "jinshui_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "lixia_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "guanshanhu_newspaper": {
        T.DEPARTMENT: 0.99,
        T.DATASET: 0.99,
        T.POLICY: 0.99,
        T.PROJECT: 0.99,
        T.ORGANIZATION: 0.99,
    },
    "shinan_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "chengguan_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "siming_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "qingxiu_newspaper": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "shushan_report": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "yanta_report": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "xiaodian_reply": {T.DEPARTMENT: 0.99, T.DATASET: 0.99, T.POLICY: 0.99, T.PROJECT: 0.99, T.ORGANIZATION: 0.99},
    "nangang_meeting": {T.DEPARTMENT: 0.99, T.DATASET: 0.95, T.POLICY: 0.99, T.PROJECT: 0.66, T.ORGANIZATION: 0.99},
}


@pytest.fixture(scope="module")
def mention_scores(corpus: CorpusExtraction) -> dict[EntityType, Score]:
    return total(score_mentions(d, load_gold(GOLD_DIR / f"{d.doc_id}.jsonl")) for d in corpus.documents)


@pytest.fixture(scope="module")
def entity_scores(corpus: CorpusExtraction) -> dict[EntityType, Score]:
    return total(score_entities(d, load_gold(GOLD_DIR / f"{d.doc_id}.jsonl")) for d in corpus.documents)


@pytest.mark.parametrize("entity_type", list(MENTION_F1_FLOOR))
def test_mention_f1_does_not_drop(mention_scores: dict[EntityType, Score], entity_type: EntityType) -> None:
    assert mention_scores[entity_type].f1 >= MENTION_F1_FLOOR[entity_type]


@pytest.mark.parametrize("entity_type", list(ENTITY_F1_FLOOR))
def test_entity_f1_does_not_drop(entity_scores: dict[EntityType, Score], entity_type: EntityType) -> None:
    assert entity_scores[entity_type].f1 >= ENTITY_F1_FLOOR[entity_type]


@pytest.mark.parametrize("entity_type", list(TARGETS))
def test_issue_targets_at_mention_level(mention_scores: dict[EntityType, Score], entity_type: EntityType) -> None:
    score = mention_scores[entity_type]
    assert score.recall >= TARGETS[entity_type]
    assert score.precision >= min(0.90, TARGETS[entity_type])


@pytest.mark.parametrize("entity_type", list(TARGETS))
def test_issue_targets_at_entity_level(entity_scores: dict[EntityType, Score], entity_type: EntityType) -> None:
    score = entity_scores[entity_type]
    assert score.recall >= TARGETS[entity_type]
    assert score.precision >= min(0.90, TARGETS[entity_type])


def test_indicator_rows_match_the_gold(corpus: CorpusExtraction) -> None:
    plan = next(d for d in corpus.documents if d.indicators)
    score = score_indicators(plan.indicators, load_gold_indicators(GOLD_DIR / "indicators.jsonl"))
    assert score.f1 == 1.0


@pytest.mark.parametrize("name", ["minhang_newspaper", "jingan_newspaper"])
def test_imitation_documents(name: str) -> None:
    path = IMITATION_DIR / f"{name}.txt"
    scores = score_mentions(extract_document(path), load_gold(path.with_suffix(".jsonl")))
    for entity_type, floor in IMITATION_F1_FLOOR.items():
        assert scores.get(entity_type, Score()).f1 >= floor, entity_type


@pytest.mark.parametrize("name", sorted(LATER_IMITATION_F1_FLOOR))
def test_later_imitation_documents_do_not_drop(name: str) -> None:
    path = IMITATION_DIR / f"{name}.txt"
    scores = score_mentions(extract_document(path), load_gold(path.with_suffix(".jsonl")))
    for entity_type, floor in LATER_IMITATION_F1_FLOOR[name].items():
        assert scores.get(entity_type, Score()).f1 >= floor, entity_type


@pytest.mark.parametrize("name", sorted(p.stem for p in (IMITATION_DIR / "indicators").glob("*.jsonl")))
def test_imitation_plan_indicator_rows_match_their_gold(name: str) -> None:
    extraction = extract_document(IMITATION_DIR / f"{name}.txt")
    score = score_indicators(
        extraction.indicators, load_gold_indicators(IMITATION_DIR / "indicators" / f"{name}.jsonl")
    )
    assert score.f1 == 1.0


def test_imitation_gold_is_consistent() -> None:
    for gold_path in IMITATION_DIR.glob("*.jsonl"):
        raw = gold_path.with_suffix(".txt").read_text(encoding="utf-8")
        rows = load_gold(gold_path)
        assert rows == sorted(rows, key=lambda r: r.start)
        for row, following in itertools.pairwise(rows):
            assert row.end <= following.start
        assert all(raw[r.start : r.end] == r.text for r in rows)


def test_benchmark_script_exists() -> None:
    assert (TESTS.parent / "bench" / "extraction.py").is_file()
