"""The mechanics that carry everyday queries to catalogue entries: name vectors, derived department
short forms, question words, kind words and everyday synonyms (deterministic fake encoder)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from search.catalogue_index import NAMES_DIR, index_cards, open_catalogue_index
from search.entities import EntityCard
from search.hybrid import HybridRanker, RankingConfig, wanted_types
from search.lexical import LexicalIndex
from search.results import Filters
from search.testing import HashingEncoder
from search.tokens import Tokenizer, compounds, expand
from search.understanding import QueryUnderstanding, derived_abbreviations, official_abbreviations

SPORTS = "urn:x:sports"
LABOUR = "urn:x:labour"
CARDS = [
    EntityCard(SPORTS, "Department", "上海市体育局"),
    EntityCard(LABOUR, "Department", "上海市人力资源和社会保障局"),
    EntityCard(
        "urn:x:pools",
        "Dataset",
        "游泳场所信息",
        description="全市对外开放的各类场馆的地址、开放时段、联系电话、收费标准和管理单位等字段的汇总表格",
        publisher="上海市体育局",
        publisher_iri=SPORTS,
    ),
    EntityCard("urn:x:wage", "Dataset", "失业保险金标准", publisher="上海市人力资源和社会保障局", publisher_iri=LABOUR),
    EntityCard("urn:x:park-dept", "Department", "上海市徐汇区绿化和市容管理局", description="公园 绿化 管理"),
    EntityCard("urn:x:park-table", "Dataset", "公园绿化资源表", description="公园 绿化 资源"),
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("mechanics") / "index"
    index_cards(CARDS, "v1", HashingEncoder(), directory)
    return directory


@pytest.fixture(scope="module")
def ranker(index_dir: Path) -> HybridRanker:
    return open_catalogue_index(index_dir, HashingEncoder())[0]


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("发展和改革委员会", "发改委"),
        ("人力资源和社会保障局", "人社局"),
        ("卫生健康委员会", "卫健委"),
        ("药品监督管理局", "药监局"),
        ("农业农村委员会", "农委"),
        ("文化和旅游局", "文旅局"),
        ("应急管理局", "应急局"),
        ("交通委员会", "交通委"),
    ],
)
def test_the_usual_short_form_is_derived_from_a_body_name(name: str, short: str) -> None:
    assert short in derived_abbreviations(name)


def test_a_name_that_is_no_government_body_has_no_derived_short_form() -> None:
    assert derived_abbreviations("公园绿化资源表") == set()


def test_a_derived_short_form_asking_for_data_becomes_a_publisher_filter() -> None:
    understanding = QueryUnderstanding(CARDS, {SPORTS, LABOUR})
    assert understanding.understand("人社局 有 哪些 数据").publishers == (LABOUR,)


def test_a_municipal_body_is_also_known_as_shi_plus_its_name() -> None:
    understood = QueryUnderstanding(CARDS, {SPORTS, LABOUR}).understand("市体育局 发布 的 数据")
    assert understood.publishers == (SPORTS,)
    assert understood.text == ""


def test_an_irregular_short_form_the_extraction_tables_list_becomes_a_publisher_filter() -> None:
    planning = EntityCard("urn:x:planning", "Department", "上海市规划和自然资源局")
    understanding = QueryUnderstanding([planning], {"urn:x:planning"}, official_abbreviations())
    assert understanding.understand("规划资源局 有 哪些 数据").publishers == ("urn:x:planning",)


def test_a_body_whose_name_holds_shi_keeps_its_name_after_the_city() -> None:
    greenery = EntityCard("urn:x:greenery", "Department", "上海市绿化和市容管理局")
    understanding = QueryUnderstanding([greenery], {"urn:x:greenery"}, official_abbreviations())
    assert understanding.understand("绿容局 的数据").publishers == ("urn:x:greenery",)
    assert understanding.understand("容局 的数据").publishers == ()


def test_a_department_name_typed_with_spaces_inside_is_still_recognised() -> None:
    understanding = QueryUnderstanding(CARDS, {SPORTS, LABOUR})
    understood = understanding.understand("市 体育 局 发布 了 什么")
    assert understood.publishers == (SPORTS,)
    assert understood.text == ""


DISTRICT_BODIES = [
    EntityCard("urn:x:putuo", "Department", "上海市普陀区人民政府"),
    EntityCard("urn:x:putuo-office", "Department", "上海市普陀区人民政府办公室"),
    EntityCard("urn:x:xuhui-greenery", "Department", "上海市徐汇区绿化和市容管理局"),
    EntityCard("urn:x:yangpu-greenery", "Department", "上海市杨浦区绿化和市容管理局"),
]
DISTRICT_PUBLISHERS = {card.iri for card in DISTRICT_BODIES}


@pytest.mark.parametrize(
    ("query", "department"),
    [
        ("普陀 区政府 的 数据", "urn:x:putuo"),
        ("普陀区人民政府 有 哪些 数据", "urn:x:putuo"),
        ("普陀 区政府 办公室 发布 的", "urn:x:putuo-office"),
        ("徐汇 绿容局 的 数据", "urn:x:xuhui-greenery"),
    ],
)
def test_a_district_body_is_known_by_the_district_name_people_type(query: str, department: str) -> None:
    understanding = QueryUnderstanding(DISTRICT_BODIES, DISTRICT_PUBLISHERS, official_abbreviations())
    assert understanding.understand(query).publishers == (department,)


def test_a_generic_body_name_without_its_district_names_no_district() -> None:
    understanding = QueryUnderstanding(DISTRICT_BODIES, DISTRICT_PUBLISHERS, official_abbreviations())
    assert understanding.understand("区政府 的 数据").publishers == ()


def test_question_words_and_particles_are_not_query_words() -> None:
    words = Tokenizer().words("哪里 可以 打 疫苗 吗")
    assert "疫苗" in words
    assert not {"哪里", "可以", "吗"} & set(words)


def test_an_everyday_word_reaches_the_official_term_with_a_lower_weight() -> None:
    weights = expand(["护照"])
    assert weights["护照"] == 1.0
    assert 0 < weights["出入境"] < 1.0


def test_a_kind_word_beside_a_topic_asks_for_that_type_of_entry() -> None:
    assert wanted_types(["公园", "绿化", "部门"]) == {"Department"}


def test_a_query_of_kind_words_only_asks_for_no_type() -> None:
    assert wanted_types(["数据"]) == frozenset()


def test_the_kind_word_puts_the_department_before_the_table_of_the_same_topic(ranker: HybridRanker) -> None:
    labels = [result.card.label for result in ranker.search("公园 绿化 的 部门").results]
    assert labels.index("上海市徐汇区绿化和市容管理局") < labels.index("公园绿化资源表")
    plain = HybridRanker(ranker.cards, ranker.dense, ranker.lexical, ranker.encoder, RankingConfig(kind_boost=1.0))
    plain_labels = [result.card.label for result in plain.search("公园 绿化 的 部门").results]
    assert plain_labels.index("公园绿化资源表") < plain_labels.index("上海市徐汇区绿化和市容管理局")


def test_the_names_of_each_entry_are_embedded_apart_from_its_passage(index_dir: Path, ranker: HybridRanker) -> None:
    assert (index_dir / NAMES_DIR).is_dir()
    assert ranker.names is not None and len(ranker.names) == len(CARDS)


def test_a_query_like_the_name_scores_the_name_vector_when_the_passage_is_long(ranker: HybridRanker) -> None:
    candidates = ranker._candidates("游泳场所信息", Filters())
    pools = candidates["urn:x:pools"]
    assert pools.name_z > pools.passage_z  # the long description dilutes the passage vector
    assert pools.z == pools.name_z  # max-pooled


def test_an_index_built_before_name_vectors_still_opens_and_searches(index_dir: Path, tmp_path: Path) -> None:
    old = tmp_path / "index"
    shutil.copytree(index_dir, old)
    shutil.rmtree(old / NAMES_DIR)
    ranker = open_catalogue_index(old, HashingEncoder())[0]
    assert ranker.names is None
    assert ranker.search("游泳场所信息").results[0].card.label == "游泳场所信息"


def test_two_adjacent_words_make_their_usual_short_form() -> None:
    assert compounds(["文化", "旅游", "平台"])["文旅"] == ("文化", "旅游")


def test_two_adjacent_words_joined_reach_the_synonyms_of_the_joined_word() -> None:
    weights = expand(["装修", "垃圾"])
    assert "装修垃圾" in compounds(["装修", "垃圾"])
    assert weights["建筑垃圾"] > 0


def test_a_word_beside_its_own_part_makes_no_compound() -> None:
    assert compounds(["洋房", "老洋房"]) == {}


def test_the_short_form_of_two_query_words_covers_both_of_them() -> None:
    lexical = LexicalIndex.build({"a": "区级 文旅 公共服务", "b": "文化 展览 目录"})
    hit = next(hit for hit in lexical.search("文化 旅游", 5) if hit.key == "a")
    assert hit.coverage == pytest.approx(1.0)


def test_a_query_that_is_only_a_derived_short_form_finds_the_department_first(ranker: HybridRanker) -> None:
    assert ranker.understanding.departments_named("人社局") == (LABOUR,)
    assert ranker.search("人社局").results[0].card.iri == LABOUR
