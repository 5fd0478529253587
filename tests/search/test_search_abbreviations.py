"""Short forms of names (华南理工大学 → 华南理工, 华工): a query word no entry's text contains counts for the
entries whose names it abbreviates, by the shape of Chinese abbreviations (search/abbreviations.py)."""

from __future__ import annotations

import pytest

from search.abbreviations import Abbreviations, core, is_short_form
from search.lexical import LexicalIndex


@pytest.mark.parametrize(
    ("word", "name"),
    [
        ("华工", "华南理工大学"),  # begins where the name begins
        ("环保联", "上海市黄浦区环境保护联合会"),  # region left out
        ("妇工部", "中国共产党上海市委员会妇女工作部"),  # ends where the name ends
        ("档案委", "上海市档案工作委员会"),  # 委员会 → 委
        ("团建办", "上海市团结建设办公室"),  # 办公室 → 办
    ],
)
def test_a_short_form_keeps_characters_in_order_from_the_start_or_to_the_head(word: str, name: str) -> None:
    assert is_short_form(word, core(name))


@pytest.mark.parametrize(
    ("word", "name"),
    [
        ("理工", "华南理工大学"),  # a part of the name: an ordinary word match, not a short form
        ("工华", "华南理工大学"),  # characters out of order
        ("南工", "华南理工大学学报编辑部"),  # neither the first nor the last character
        ("a大", "华南理工大学"),
    ],
)
def test_other_words_are_not_short_forms(word: str, name: str) -> None:
    assert not is_short_form(word, core(name))


def test_the_region_and_the_party_are_left_out_of_the_core() -> None:
    assert core("中国共产党上海市徐汇区委员会宣传部") == "委员会宣传部"
    assert core("上海市") == "上海市"


def test_entries_are_found_by_their_short_form() -> None:
    names = Abbreviations({"scut": ["华南理工大学", "华南理工"], "other": ["华东政法大学"]})
    assert names.keys_for("华工") == {"scut"}
    assert names.keys_for("x") == set()


def test_an_unknown_short_form_counts_as_a_match_of_the_entry_it_abbreviates() -> None:
    texts = {"scut": "华南理工大学 高校 名录", "bank": "银行 网点 名录"}
    titles = {"scut": "华南理工大学", "bank": "银行网点"}
    index = LexicalIndex.build(texts, titles.values(), titles=titles)
    hits = index.search("华工 名录")
    assert hits[0].key == "scut"
    assert "华工" in hits[0].matched
    assert hits[0].coverage > next(hit.coverage for hit in hits if hit.key == "bank")


def test_a_word_the_catalogue_contains_is_matched_as_a_word_only() -> None:
    titles = {"scut": "华南理工大学", "news": "华工新闻"}
    index = LexicalIndex.build({"scut": "华南理工大学", "news": "华工 新闻"}, titles.values(), titles=titles)
    assert [hit.key for hit in index.search("华工")][:1] == ["news"]
    assert all("华工" not in hit.matched or hit.key == "news" for hit in index.search("华工"))
