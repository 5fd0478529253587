"""faiss storage: IVF and HNSW recall against exact search, tombstones, switching kinds, IVF retraining."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from search import DenseIndex, HnswParams, IndexConfig, IndexDocument, IndexKind, IvfParams
from search.encoder import Vectors, l2_normalise
from search.testing import HashingEncoder
from search.vector_store import VectorStore

RandomVectors = Callable[[int, int, int], Vectors]
APPROXIMATE = pytest.mark.parametrize("kind", [IndexKind.IVF, IndexKind.HNSW], ids=lambda kind: kind.value)


def _filled(kind: IndexKind, vectors: Vectors, ivf: IvfParams | None = None) -> VectorStore:
    store = VectorStore(vectors.shape[1], kind, HnswParams(), ivf=ivf)
    store.add(np.arange(len(vectors)), vectors)
    return store


def _topical(n: int, dimension: int, seed: int) -> Vectors:
    """Unit vectors in 60 topical clusters, as sentence embeddings are (structureless random vectors
    are the worst case for IVF: recall@10 0.84 with 32 of 55 lists scanned, HNSW 1.0)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((60, dimension))
    points = centres[rng.integers(0, 60, n)] + rng.standard_normal((n, dimension)) * 0.8
    return l2_normalise(points)


@APPROXIMATE
def test_approximate_recall_at_10_matches_exact_search(kind: IndexKind) -> None:
    everything = _topical(3100, 128, 1)
    data, queries = everything[:3000], everything[3000:]
    exact = _filled(IndexKind.EXACT, data)
    approximate = _filled(kind, data, IvfParams(nprobe=16))  # 16 of 55 lists: really approximate

    overlaps = []
    for query in queries:
        truth, _ = exact.search(query[None, :], 10)
        approx, _ = approximate.search(query[None, :], 10)
        overlaps.append(len(set(truth.tolist()) & set(approx.tolist())) / 10)

    assert float(np.mean(overlaps)) >= 0.98


def test_exact_scores_are_cosine_similarities(random_unit_vectors: RandomVectors) -> None:
    data = random_unit_vectors(50, 16, 3)
    ids, scores = _filled(IndexKind.EXACT, data).search(data[7][None, :], 5)
    assert ids[0] == 7
    np.testing.assert_allclose(scores, data[ids] @ data[7], rtol=1e-5)


@APPROXIMATE
def test_tombstones_are_never_returned(random_unit_vectors: RandomVectors, tmp_path: Path, kind: IndexKind) -> None:
    data = random_unit_vectors(200, 16, 4)
    store = _filled(kind, data)
    store.remove(np.arange(0, 200, 2))
    assert len(store) == 100 and store.tombstone_ratio == 0.5

    ids, _ = store.search(data[0][None, :], 100)
    assert len(ids) > 0 and all(i % 2 == 1 for i in ids.tolist())

    store.write(tmp_path)
    reread = VectorStore.read(tmp_path, 16, kind)
    assert reread.live_ids() == set(range(1, 200, 2))
    np.testing.assert_allclose(reread.get(np.array([3, 8])), data[[3, 8]], rtol=1e-6)
    compacted = reread.rebuilt(kind, np.arange(1, 200, 2))
    assert len(compacted) == 100 and compacted.tombstone_ratio == 0.0


@APPROXIMATE
def test_index_switches_to_approximate_at_threshold_and_back(index_dir: Path, kind: IndexKind) -> None:
    encoder = HashingEncoder(dimension=32)
    config = IndexConfig(approximate_threshold=40, approximate=kind)
    docs = [IndexDocument.from_text(f"d{i}", f"第{i}号数据集 编号{i * 7}") for i in range(60)]
    index = DenseIndex(encoder, config)

    index.update(docs[:39])
    kinds = [index.kind]
    index.update(docs)
    kinds.append(index.kind)
    assert kinds == [IndexKind.EXACT, kind]
    assert index.search_text(docs[45].text, k=1)[0].key == "d45"

    assert index.save(index_dir).index_kind is kind
    loaded = DenseIndex.load(index_dir, encoder, config)
    assert loaded.kind is kind
    assert loaded.search_text(docs[45].text, k=1)[0].key == "d45"

    loaded.update(docs[:10])
    assert (loaded.kind, len(loaded)) == (IndexKind.EXACT, 10)


@APPROXIMATE
def test_approximate_index_compacts_after_many_removals(index_dir: Path, kind: IndexKind) -> None:
    encoder = HashingEncoder(dimension=32)
    config = IndexConfig(approximate_threshold=10, approximate=kind, max_tombstone_ratio=0.25)
    docs = [IndexDocument.from_text(f"d{i}", f"数据集{i}") for i in range(40)]
    index = DenseIndex(encoder, config)
    index.update(docs)

    index.remove([f"d{i}" for i in range(5)])  # 5/40 tombstoned: kept
    index.save(index_dir)
    assert (index_dir / "tombstones.npy").exists()
    assert len(DenseIndex.load(index_dir, encoder, config)) == 35

    index.remove([f"d{i}" for i in range(5, 15)])  # 15/40 > 25%: rebuilt without them
    index.save(index_dir)
    assert not (index_dir / "tombstones.npy").exists()
    assert {hit.key for hit in index.search_text("数据集", k=40)} == {f"d{i}" for i in range(15, 40)}


def test_loaded_ivf_index_updates_incrementally(index_dir: Path) -> None:
    encoder = HashingEncoder(dimension=32)
    config = IndexConfig(approximate_threshold=20)
    docs = [IndexDocument.from_text(f"d{i}", f"第{i}号数据集 编号{i * 7}") for i in range(50)]
    index = DenseIndex(encoder, config)
    index.update(docs[:40])
    index.save(index_dir)
    loaded = DenseIndex.load(index_dir, encoder, config)
    encoder.passage_calls.clear()

    changed = IndexDocument.from_text("d3", "充电桩分布信息表")
    stats = loaded.update([*docs[:3], changed, *docs[4:45]])

    assert (stats.added, stats.changed, stats.unchanged, stats.encoded) == (5, 1, 39, 6)
    assert loaded.kind is IndexKind.IVF and len(loaded) == 45
    assert loaded.search_text("充电桩分布信息表", k=1)[0].key == "d3"
    assert loaded.search_text(docs[42].text, k=1)[0].key == "d42"


def test_ivf_index_is_retrained_when_it_has_outgrown_its_lists() -> None:
    encoder = HashingEncoder(dimension=32)
    index = DenseIndex(encoder, IndexConfig(approximate_threshold=16))
    docs = [IndexDocument.from_text(f"d{i}", f"数据集{i} 编号{i * 13}") for i in range(200)]
    index.update(docs[:16])
    lists_before = index._store.ivf_lists

    index.upsert(docs[16:])

    assert lists_before == 4 and index._store.ivf_lists == 14  # round(sqrt(16)), round(sqrt(200))
    assert index.search_text(docs[150].text, k=1)[0].key == "d150"
