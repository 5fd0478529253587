"""Cities the word lists do not hold, plan documents and the twelfth round's rules (issue 3): each
rule on fresh sentences, none of them from an imitation page."""

from __future__ import annotations

from collections.abc import Callable

from graph.extraction import DocumentExtraction

Found = Callable[[str], set[tuple[str, str]]]
Extracted = Callable[[str], DocumentExtraction]


def _of(found: Found, text: str, entity_type: str) -> set[str]:
    return {s for t, s in found(text) if t == entity_type}


def _canonicals(extraction: DocumentExtraction, entity_type: str) -> dict[str, str]:
    return {m.text: m.canonical for m in extraction.mentions if m.type.value == entity_type}


def test_a_city_the_lists_do_not_hold_is_read_from_city_and_district_written_together(extracted: Extracted) -> None:
    text = (
        "五华报 五华区新闻。五华区召开数字经济大会,昆明市五华区区委、区发改局负责人,"
        "市科技局、省工信厅和云南省数据局相关处室负责人参加。数据资源纳入区级法人库。"
    )
    extraction = extracted(text)
    assert extraction.district == "五华"
    names = _canonicals(extraction, "Department")
    assert names["区委"] == "中国共产党昆明市五华区委员会"
    assert names["区发改局"] == "昆明市五华区发展和改革局"
    assert names["市科技局"] == "昆明市科学技术局"
    assert names["省工信厅"] == "云南省工业和信息化厅"
    assert names["云南省数据局"] == "云南省数据局"
    assert _canonicals(extraction, "Dataset")["法人库"] == "昆明市五华区法人库"


def test_a_city_name_longer_than_two_characters_is_taken_whole(extracted: Extracted) -> None:
    text = "南岗报 南岗区新闻。哈尔滨市南岗区召开会议,区财政局负责人参加。哈尔滨日报记者报道。"
    names = _canonicals(extracted(text), "Department")
    assert names["区财政局"] == "哈尔滨市南岗区财政局"


def test_a_zone_before_qu_is_no_district_of_an_unlisted_city(extracted: Extracted) -> None:
    text = "昆明市高新区、高新区管委会和高新区企业代表参加会议,区财政局负责人出席。"
    assert extracted(text).district is None
