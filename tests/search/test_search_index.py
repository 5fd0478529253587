"""DenseIndex behaviour with the fake encoder: search, incremental update, persistence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from search import (
    DenseIndex,
    DuplicateKey,
    IndexConfig,
    IndexDocument,
    IndexKind,
    InvalidEmbedding,
    SearchHit,
    UpdateStats,
)
from search.testing import HashingEncoder


def test_empty_index_returns_no_hits(encoder: HashingEncoder) -> None:
    index = DenseIndex(encoder)
    assert len(index) == 0
    assert index.search(encoder.encode_queries(["充电"])[0], k=10) == []
    assert index.search_text("充电") == []


def test_lexically_closest_document_ranks_first(index: DenseIndex) -> None:
    hits = index.search_text("新能源汽车充电", k=3)
    assert hits[0].key == "charging"
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert all(isinstance(hit, SearchHit) for hit in hits)


def test_k_larger_than_index_returns_every_document(index: DenseIndex) -> None:
    hits = index.search_text("表", k=100)
    assert sorted(hit.key for hit in hits) == sorted(index.keys())


def test_search_accepts_row_vector_and_rejects_wrong_dimension(index: DenseIndex, encoder: HashingEncoder) -> None:
    query = encoder.encode_queries(["行道树"])
    assert index.search(query, 1) == index.search(query[0], 1)
    with pytest.raises(InvalidEmbedding, match=r"shape \(1, 32\)"):
        index.search(np.ones(32, dtype=np.float32) / np.sqrt(32), 1)
    with pytest.raises(ValueError, match="positive"):
        index.search(query, 0)


def test_update_reencodes_only_changed_documents(
    index: DenseIndex, encoder: HashingEncoder, documents: list[IndexDocument]
) -> None:
    assert encoder.passages_encoded == len(documents)
    changed = IndexDocument.from_text("air", "空气质量实时监测数据（小时）")
    new = IndexDocument.from_text("toilets", "公共厕所分布表")
    encoder.passage_calls.clear()

    stats = index.update([*documents[:-1], changed, new])

    assert encoder.passage_calls == [(changed.text, new.text)]
    assert stats == UpdateStats(added=1, changed=1, removed=0, unchanged=len(documents) - 1, encoded=2)
    assert index.search_text("公共厕所", k=1)[0].key == "toilets"


def test_unchanged_update_encodes_nothing(
    index: DenseIndex, encoder: HashingEncoder, documents: list[IndexDocument]
) -> None:
    encoder.passage_calls.clear()
    stats = index.update(documents)
    assert encoder.passage_calls == []
    assert stats.unchanged == len(documents)


def test_update_removes_documents_whose_keys_disappeared(index: DenseIndex, documents: list[IndexDocument]) -> None:
    stats = index.update(documents[:2])
    assert stats.removed == len(documents) - 2
    assert set(index.keys()) == {documents[0].key, documents[1].key}
    assert {hit.key for hit in index.search_text("古树名木", k=10)} == {documents[0].key, documents[1].key}


def test_renamed_key_and_duplicate_texts_reuse_embeddings(
    index: DenseIndex, encoder: HashingEncoder, documents: list[IndexDocument]
) -> None:
    encoder.passage_calls.clear()
    renamed = IndexDocument("charging-v2", documents[0].text, documents[0].content_hash)
    twin_a = IndexDocument.from_text("twin-a", "公共自行车站点表")
    twin_b = IndexDocument.from_text("twin-b", "公共自行车站点表")

    stats = index.update([renamed, *documents[1:], twin_a, twin_b])

    assert encoder.passage_calls == [(twin_a.text,)]
    assert stats.added == 3 and stats.removed == 1 and stats.encoded == 1
    assert index.search_text("新能源汽车充电场表", k=1)[0].key == "charging-v2"


def test_remove_by_key(index: DenseIndex) -> None:
    assert index.remove(["street-trees", "no-such-key"]) == 1
    assert "street-trees" not in index
    assert all(hit.key != "street-trees" for hit in index.search_text("行道树信息表", k=10))


def test_upsert_keeps_other_documents(index: DenseIndex) -> None:
    before = len(index)
    stats = index.upsert([IndexDocument.from_text("toilets", "公共厕所分布表")])
    assert stats.added == 1 and len(index) == before + 1


def test_duplicate_keys_are_refused(encoder: HashingEncoder) -> None:
    docs = [IndexDocument.from_text("same", "甲"), IndexDocument.from_text("same", "乙")]
    with pytest.raises(DuplicateKey, match="'same'"):
        DenseIndex(encoder).update(docs)


def test_progress_is_reported_per_batch(encoder: HashingEncoder) -> None:
    seen: list[tuple[int, int]] = []
    docs = [IndexDocument.from_text(f"d{i}", f"数据集{i}") for i in range(5)]
    DenseIndex(encoder, IndexConfig(encode_batch_size=2)).update(docs, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_save_load_round_trip(index: DenseIndex, encoder: HashingEncoder, index_dir: Path) -> None:
    manifest = index.save(index_dir)
    loaded = DenseIndex.load(index_dir, encoder, graph_version="v1")

    assert manifest.count == len(loaded) == len(index)
    assert loaded.manifest.graph_version == "v1"
    assert sorted(loaded.keys()) == sorted(index.keys())
    for query in ("充电", "古树", "就业"):
        assert loaded.search_text(query, k=3) == index.search_text(query, k=3)
    assert {p.name for p in index_dir.iterdir()} == {"manifest.json", "entries.json", "vectors.faiss"}


def test_loaded_index_updates_incrementally(
    index: DenseIndex, encoder: HashingEncoder, documents: list[IndexDocument], index_dir: Path
) -> None:
    index.save(index_dir)
    encoder.passage_calls.clear()
    loaded = DenseIndex.load(index_dir, encoder)
    stats = loaded.update([*documents, IndexDocument.from_text("new", "新增数据表")], graph_version="v2")
    assert stats.encoded == 1 and encoder.passages_encoded == 1
    loaded.save(index_dir)
    assert DenseIndex.load(index_dir, encoder, graph_version="v2").manifest.count == len(documents) + 1


def test_empty_index_round_trip(encoder: HashingEncoder, index_dir: Path) -> None:
    DenseIndex(encoder, graph_version="g0").save(index_dir)
    loaded = DenseIndex.load(index_dir, encoder)
    assert len(loaded) == 0 and loaded.search_text("任何", k=5) == []
    assert loaded.kind is IndexKind.EXACT
