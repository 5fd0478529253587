"""A district the query names ranks that district's entries first (deterministic fake encoder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.catalogue_index import index_cards, open_catalogue_index
from search.entities import EntityCard
from search.hybrid import HybridRanker, RankingConfig
from search.places import DistrictNames, district_names
from search.testing import HashingEncoder
from search.tokens import Tokenizer

HALLS = [
    EntityCard("urn:x:chongming-halls", "Dataset", "崇明区公共体育场馆信息", publisher="上海市崇明区人民政府"),
    EntityCard("urn:x:songjiang-halls", "Dataset", "松江区公共体育场馆信息", publisher="上海市松江区人民政府"),
    EntityCard("urn:x:minhang-halls", "Dataset", "区属公共体育场馆信息", publisher="上海市闵行区人民政府"),
    EntityCard("urn:x:city-halls", "Dataset", "全市公共体育场馆信息", publisher="上海市体育局"),
]


@pytest.fixture(scope="module")
def ranker(tmp_path_factory: pytest.TempPathFactory) -> HybridRanker:
    directory: Path = tmp_path_factory.mktemp("places") / "index"
    index_cards(HALLS, "v1", HashingEncoder(), directory)
    return open_catalogue_index(directory, HashingEncoder())[0]


TOKENIZER = Tokenizer()


def _asked(query: str) -> frozenset[str]:
    return district_names().in_query(TOKENIZER.segments(query))


@pytest.mark.parametrize(
    ("query", "districts"),
    [
        ("闵行 体育馆", {"闵行区"}),
        ("闵行区体育馆", {"闵行区"}),
        ("浦东 医院", {"浦东新区"}),
        ("浦东新区医院", {"浦东新区"}),
        ("徐汇行政区划代码", {"徐汇区"}),
    ],
)
def test_a_query_names_a_district_by_its_full_name_or_the_short_form_people_type(
    query: str, districts: set[str]
) -> None:
    assert _asked(query) == districts


@pytest.mark.parametrize("query", ["黄浦江 水质", "普陀山 旅游", "静安寺 门票", "社区 医院"])
def test_a_word_that_only_starts_like_a_district_names_none(query: str) -> None:
    assert _asked(query) == frozenset()


def test_an_entry_is_about_the_districts_its_title_or_publisher_names() -> None:
    names = district_names()
    assert names.of_entry(HALLS[0]) == {"崇明区"}
    assert names.of_entry(HALLS[2]) == {"闵行区"}
    assert names.of_entry(HALLS[3]) == frozenset()


def test_single_character_district_names_are_not_used() -> None:
    names = DistrictNames.from_divisions(["城", "闵行"])
    assert names.full_names == {"闵行区"}
    assert names.in_text("城区和闵行区") == {"闵行区"}


def _ranker(base: HybridRanker, place_boost: float) -> HybridRanker:
    """The fixture's indexes with the gate off and partial word overlap admitted: the order is what is checked."""
    config = RankingConfig(place_boost=place_boost, relevance_gate=False, min_coverage=0.25, lexical_min_z=-10.0)
    return HybridRanker(base.cards, base.dense, base.lexical, base.encoder, config, names=base.names)


def test_the_named_districts_entries_rank_first_and_other_districts_after_city_wide_ones(
    ranker: HybridRanker,
) -> None:
    labels = [result.card.label for result in _ranker(ranker, 1.2).search("闵行 公共体育场馆信息").results]
    assert labels[0] == "区属公共体育场馆信息"
    assert labels.index("全市公共体育场馆信息") < labels.index("崇明区公共体育场馆信息")
    assert labels.index("全市公共体育场馆信息") < labels.index("松江区公共体育场馆信息")


def test_without_a_named_district_no_entry_is_preferred_for_its_place(ranker: HybridRanker) -> None:
    query = "公共体育场馆信息"
    with_places, placeless = _ranker(ranker, 1.2).search(query), _ranker(ranker, 1.0).search(query)
    assert [r.card.iri for r in with_places.results] == [r.card.iri for r in placeless.results]
    assert len(with_places.results) == len(HALLS)
