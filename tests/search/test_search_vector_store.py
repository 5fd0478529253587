"""faiss storage: HNSW recall against exact search, tombstones, switching kinds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from search import DenseIndex, HnswParams, IndexConfig, IndexDocument, IndexKind
from search.encoder import Vectors
from search.testing import HashingEncoder
from search.vector_store import VectorStore

RandomVectors = Callable[[int, int, int], Vectors]


def _filled(kind: IndexKind, vectors: Vectors) -> VectorStore:
    store = VectorStore(vectors.shape[1], kind, HnswParams())
    store.add(np.arange(len(vectors)), vectors)
    return store


def test_hnsw_recall_at_10_matches_exact_search(random_unit_vectors: RandomVectors) -> None:
    data = random_unit_vectors(3000, 128, 1)
    queries = random_unit_vectors(100, 128, 2)
    exact, hnsw = _filled(IndexKind.EXACT, data), _filled(IndexKind.HNSW, data)

    overlaps = []
    for query in queries:
        truth, _ = exact.search(query[None, :], 10)
        approx, _ = hnsw.search(query[None, :], 10)
        overlaps.append(len(set(truth.tolist()) & set(approx.tolist())) / 10)

    assert float(np.mean(overlaps)) >= 0.98


def test_exact_scores_are_cosine_similarities(random_unit_vectors: RandomVectors) -> None:
    data = random_unit_vectors(50, 16, 3)
    ids, scores = _filled(IndexKind.EXACT, data).search(data[7][None, :], 5)
    assert ids[0] == 7
    np.testing.assert_allclose(scores, data[ids] @ data[7], rtol=1e-5)


def test_hnsw_tombstones_are_never_returned(random_unit_vectors: RandomVectors, tmp_path: Path) -> None:
    data = random_unit_vectors(200, 16, 4)
    store = _filled(IndexKind.HNSW, data)
    store.remove(np.arange(0, 200, 2))
    assert len(store) == 100 and store.tombstone_ratio == 0.5

    ids, _ = store.search(data[0][None, :], 100)
    assert len(ids) == 100 and all(i % 2 == 1 for i in ids.tolist())

    store.write(tmp_path)
    reread = VectorStore.read(tmp_path, 16, IndexKind.HNSW)
    assert reread.live_ids() == set(range(1, 200, 2))
    compacted = reread.rebuilt(IndexKind.HNSW, np.arange(1, 200, 2))
    assert len(compacted) == 100 and compacted.tombstone_ratio == 0.0


def test_index_switches_to_hnsw_at_threshold_and_back(index_dir: Path) -> None:
    encoder = HashingEncoder(dimension=32)
    config = IndexConfig(hnsw_threshold=40)
    docs = [IndexDocument.from_text(f"d{i}", f"第{i}号数据集 编号{i * 7}") for i in range(60)]
    index = DenseIndex(encoder, config)

    index.update(docs[:39])
    kinds = [index.kind]
    index.update(docs)
    kinds.append(index.kind)
    assert kinds == [IndexKind.EXACT, IndexKind.HNSW]
    assert index.search_text(docs[45].text, k=1)[0].key == "d45"

    index.save(index_dir)
    loaded = DenseIndex.load(index_dir, encoder, config)
    assert loaded.kind is IndexKind.HNSW
    assert loaded.search_text(docs[45].text, k=1)[0].key == "d45"

    loaded.update(docs[:10])
    assert (loaded.kind, len(loaded)) == (IndexKind.EXACT, 10)


def test_hnsw_index_compacts_after_many_removals(index_dir: Path) -> None:
    encoder = HashingEncoder(dimension=32)
    config = IndexConfig(hnsw_threshold=10, max_tombstone_ratio=0.25)
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
