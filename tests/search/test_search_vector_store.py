"""faiss storage: IVF and HNSW recall against exact search, removal (IVF deletes, HNSW tombstones),
switching kinds, IVF retraining, reading IVF files of the earlier layout."""

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


def test_removed_ivf_vectors_are_deleted_not_tombstoned(random_unit_vectors: RandomVectors, tmp_path: Path) -> None:
    data = random_unit_vectors(200, 16, 4)
    store = _filled(IndexKind.IVF, data)
    store.remove(np.arange(0, 200, 2))
    assert len(store) == 100 and store.tombstone_ratio == 0.0

    ids, _ = store.search(data[0][None, :], 100)
    assert len(ids) > 0 and all(i % 2 == 1 for i in ids.tolist())

    assert store.write(tmp_path) == [tmp_path / "vectors.faiss"]
    reread = VectorStore.read(tmp_path, 16, IndexKind.IVF)
    assert reread.live_ids() == set(range(1, 200, 2))
    np.testing.assert_allclose(reread.get(np.array([3, 9])), data[[3, 9]], atol=1e-3)  # float16 residuals


def test_ivf_scores_are_within_float16_rounding_of_exact(random_unit_vectors: RandomVectors) -> None:
    data = random_unit_vectors(500, 32, 6)
    ids, scores = _filled(IndexKind.IVF, data, IvfParams(nprobe=100)).search(data[11][None, :], 20)
    assert ids[0] == 11
    np.testing.assert_allclose(scores, data[ids] @ data[11], atol=1e-3)


def test_ivf_file_of_the_earlier_layout_is_converted_when_read(
    random_unit_vectors: RandomVectors, tmp_path: Path
) -> None:
    import faiss

    data = random_unit_vectors(300, 16, 8)
    old = faiss.IndexIVFFlat(faiss.IndexFlatIP(16), 16, 17, faiss.METRIC_INNER_PRODUCT)
    old.train(data)
    old.make_direct_map()
    wrapped = faiss.IndexIDMap2(old)
    wrapped.add_with_ids(data, np.arange(1000, 1300))
    faiss.write_index(wrapped, str(tmp_path / "vectors.faiss"))
    np.save(tmp_path / "tombstones.npy", np.arange(1000, 1100))

    store = VectorStore.read(tmp_path, 16, IndexKind.IVF)

    assert store.live_ids() == set(range(1100, 1300)) and store.ivf_lists == 17
    np.testing.assert_allclose(store.get(np.array([1200])), data[[200]], atol=1e-3)
    assert store.search(data[250][None, :], 1)[0].tolist() == [1250]
    assert store.search(data[50][None, :], 1)[0].tolist() != [1050]


def test_hnsw_tombstones_are_never_returned(random_unit_vectors: RandomVectors, tmp_path: Path) -> None:
    kind = IndexKind.HNSW
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


def test_hnsw_index_compacts_after_many_removals(index_dir: Path) -> None:
    kind = IndexKind.HNSW
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
    config = IndexConfig(approximate_threshold=20, approximate=IndexKind.IVF)
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
    index = DenseIndex(encoder, IndexConfig(approximate_threshold=16, approximate=IndexKind.IVF))
    docs = [IndexDocument.from_text(f"d{i}", f"数据集{i} 编号{i * 13}") for i in range(200)]
    index.update(docs[:16])
    lists_before = index._store.ivf_lists

    index.upsert(docs[16:])

    assert lists_before == 4 and index._store.ivf_lists == 14  # round(sqrt(16)), round(sqrt(200))
    assert index.search_text(docs[150].text, k=1)[0].key == "d150"


def test_first_build_above_the_threshold_is_approximate() -> None:
    encoder = HashingEncoder(dimension=32)
    index = DenseIndex(encoder, IndexConfig(approximate_threshold=30))
    docs = [IndexDocument.from_text(f"d{i}", f"数据集{i} 编号{i * 13}") for i in range(40)]

    index.update(docs)

    assert index.kind is IndexKind.HNSW and len(index) == 40
    assert index.search_text(docs[33].text, k=1)[0].key == "d33"


def test_hnsw_search_width_follows_the_index_size_unless_set() -> None:
    params = HnswParams(ef_search_small=256, ef_search_large=512, small_up_to=250_000)

    assert params.ef_search_for(90_000) == 256
    assert params.ef_search_for(250_000) == 256
    assert params.ef_search_for(1_000_000) == 512
    assert HnswParams(ef_search=128).ef_search_for(1_000_000) == 128
