"""Word coverage, the lexical half of the relevance threshold: a query's topic words count, its kind words
(数据, 计划, 项目 …: what sort of entry is wanted) count little unless the query has nothing else."""

from __future__ import annotations

import pytest

from search.lexical import KIND_WORD_WEIGHT, LexicalIndex


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex.build(
        {
            "plan": "人工智能 发展 计划",
            "trees": "行道树 信息表 绿化",
            "charging": "新能源汽车 充电场 信息表",
        }
    )


def coverage_of(index: LexicalIndex, query: str, key: str) -> float:
    return next(hit.coverage for hit in index.search(query) if hit.key == key)


def test_an_entry_matching_only_the_kind_word_of_a_topical_query_covers_little_of_it(index: LexicalIndex) -> None:
    assert coverage_of(index, "火星 殖民 计划", "plan") < 0.25 * 0.5


def test_a_topic_word_match_covers_most_of_a_query_with_a_kind_word(index: LexicalIndex) -> None:
    assert coverage_of(index, "人工智能 计划", "plan") == pytest.approx(1.0)
    assert coverage_of(index, "充电场 数据", "charging") > 1 - KIND_WORD_WEIGHT


def test_a_query_of_kind_words_only_keeps_their_full_weight(index: LexicalIndex) -> None:
    assert coverage_of(index, "计划", "plan") == pytest.approx(1.0)


def test_ranking_still_uses_the_kind_word(index: LexicalIndex) -> None:
    assert index.search("火星 殖民 计划")[0].key == "plan"
