"""The relevance gate: a logistic model over a query's whole ranking decides whether it has an answer;
when it has, entries the per-entry threshold admits come first and those above the floor follow."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from search.catalogue_index import index_cards, open_catalogue_index
from search.entities import EntityCard
from search.errors import GateModelInvalid
from search.hybrid import HybridRanker, RankingConfig
from search.relevance_gate import FEATURES, RelevanceGate, default_gate
from search.testing import HashingEncoder

CARDS = [
    EntityCard("urn:x:trees", "Dataset", "行道树信息表", description="道路 两侧 行道树 的 树种 位置"),
    EntityCard("urn:x:chargers", "Dataset", "新能源汽车充电场表", description="充电桩 充电站 位置"),
    EntityCard("urn:x:dept", "Department", "上海市徐汇区绿化和市容管理局", alt_labels=("区绿容局",)),
    *(EntityCard(f"urn:x:filler-{n}", "Dataset", f"第{n}号统计表", description="年度 统计") for n in range(30)),
]


def _constant_gate(probability: float) -> RelevanceGate:
    """A gate whose answer does not depend on the evidence: weights zero, intercept the log-odds."""
    zeros = tuple(0.0 for _ in FEATURES)
    return RelevanceGate(zeros, tuple(1.0 for _ in FEATURES), zeros, float(np.log(probability / (1 - probability))))


@pytest.fixture(scope="module")
def ranker(tmp_path_factory: pytest.TempPathFactory) -> HybridRanker:
    directory = tmp_path_factory.mktemp("gate") / "index"
    index_cards(CARDS, "v1", HashingEncoder(), directory)
    return open_catalogue_index(directory, HashingEncoder())[0]


def _with_gate(ranker: HybridRanker, gate: RelevanceGate, config: RankingConfig | None = None) -> HybridRanker:
    return HybridRanker(
        ranker.cards, ranker.dense, ranker.lexical, ranker.encoder, config, names=ranker.names, gate=gate
    )


def test_fitting_separates_answered_queries_from_off_topic_ones() -> None:
    rng = np.random.default_rng(3)
    answered = rng.normal(1.0, 0.5, size=(40, len(FEATURES)))
    off_topic = rng.normal(-1.0, 0.5, size=(20, len(FEATURES)))
    gate = RelevanceGate.fit(np.vstack([answered, off_topic]), np.r_[np.ones(40, bool), np.zeros(20, bool)])
    assert gate.answers(np.full(len(FEATURES), 1.0))
    assert not gate.answers(np.full(len(FEATURES), -1.0))


def test_fitting_needs_both_kinds_of_query() -> None:
    with pytest.raises(ValueError, match="both kinds"):
        RelevanceGate.fit(np.ones((5, len(FEATURES))), np.ones(5, bool))


def test_the_model_round_trips_through_its_json_form() -> None:
    gate = RelevanceGate.fit(
        np.vstack([np.eye(len(FEATURES)), -np.eye(len(FEATURES))]),
        np.r_[np.ones(len(FEATURES), bool), np.zeros(len(FEATURES), bool)],
        trained_on="unit test",
    )
    again = RelevanceGate.from_json(json.loads(json.dumps(gate.to_json())))
    probe = np.linspace(-1, 1, len(FEATURES))
    assert again.probability(probe) == pytest.approx(gate.probability(probe))
    assert again.trained_on == "unit test"


def test_a_model_over_other_features_is_refused_with_what_to_do() -> None:
    data = default_gate().to_json() | {"features": ["top_z"]}
    with pytest.raises(GateModelInvalid, match=r"train_relevance_gate\.py"):
        RelevanceGate.from_json(data)


def test_a_malformed_model_is_refused() -> None:
    data = default_gate().to_json()
    del data["weights"]
    with pytest.raises(GateModelInvalid, match="malformed"):
        RelevanceGate.from_json(data)


def test_the_shipped_model_covers_every_feature_and_names_its_training_sets() -> None:
    gate = default_gate()
    assert len(gate.weights) == len(FEATURES)
    assert "held-out" in gate.trained_on and "off-topic" in gate.trained_on
    assert (Path(__file__).parents[2] / "search" / "data" / "relevance_gate.json").is_file()


def test_switching_the_gate_off_loads_no_model(ranker: HybridRanker) -> None:
    plain = HybridRanker(
        ranker.cards, ranker.dense, ranker.lexical, ranker.encoder, RankingConfig(relevance_gate=False)
    )
    assert plain.gate is None


def test_the_evidence_has_one_value_per_feature(ranker: HybridRanker) -> None:
    features, labels = ranker.evidence("行道树 数据")
    assert len(features) == len(FEATURES)
    assert labels[0] == "行道树信息表"


def test_a_closed_gate_answers_nothing_but_an_entry_named_exactly(ranker: HybridRanker) -> None:
    closed = _with_gate(ranker, _constant_gate(0.01))
    assert closed.search("行道树 树种").results == []
    assert [r.card.iri for r in closed.search("区绿容局").results][:1] == ["urn:x:dept"]


def test_an_open_gate_shows_admitted_entries_first_then_those_above_the_floor(ranker: HybridRanker) -> None:
    low_floor = RankingConfig(floor_margin=-100.0)  # every candidate is above the floor
    opened = _with_gate(ranker, _constant_gate(0.99), low_floor).search("行道树 树种", k=50)
    threshold_only = HybridRanker(
        ranker.cards, ranker.dense, ranker.lexical, ranker.encoder, RankingConfig(relevance_gate=False)
    ).search("行道树 树种")
    admitted = [r.card.iri for r in threshold_only.results]
    assert admitted and len(opened.results) > len(admitted)
    assert [r.card.iri for r in opened.results][: len(admitted)] == admitted
    assert [bool(r.why.get("below_threshold")) for r in opened.results] == [False] * len(admitted) + [True] * (
        len(opened.results) - len(admitted)
    )
