"""faiss vector storage with stable ids, removal and persistence.

Three kinds of index hold the vectors, each keeping a stable int64 id per vector that the
caller maps to a document key:

* ``exact`` — ``IndexFlatIP`` inside ``IndexIDMap2``: brute-force inner product, exact,
  supports removal.
* ``ivf`` — an inverted file with inner-product metric: the vectors are split into about √n
  lists around k-means centroids (trained on the vectors of its first ``add``), and a query
  scans only the ``nprobe`` nearest lists. The lists hold each vector as float16 residuals
  to its centroid (``IndexIVFScalarQuantizer``, ``QT_fp16``: half the memory traffic of
  float32, scores within ~1e-4 of exact; ``IvfParams.codes``), and the ids are the
  inverted file's own, with a hash-table direct map, so removal deletes from the lists
  (no tombstones) and ``get`` reconstructs by id. Approximate, cheap to build (training
  plus one centroid assignment per vector).
* ``hnsw`` — ``IndexHNSWFlat`` inside ``IndexIDMap2``: approximate, sub-linear, the one
  that keeps recall@10 ≥ 0.98 at a few ms per query on 1M e5-like vectors, but slow to
  build (M=32: 224 vectors/s with efConstruction=200 on this busy machine, about 2,000/s on
  100k vectors with efConstruction=80 and 2 threads; bench/RESULTS.md).

Removal from HNSW goes through *tombstones* that searches skip (``IDSelectorNot``): faiss
cannot delete from an HNSW graph. :meth:`VectorStore.rebuilt` compacts them away. An IVF
file written before the lists held float16 codes (``IndexIDMap2`` around ``IndexIVFFlat``,
with tombstones) is converted when read, keeping its trained centroids.

faiss is imported lazily (it loads SWIG bindings and OpenBLAS). Its OpenMP thread
count is set before every call (``threads``, default 1), because libgomp keeps that
setting per OS thread. On a 2-core VM a single-query search of 10k 384-d vectors in
``IndexFlatIP`` took 0.28 ms with one thread and 4-24 ms with two (team wake-up
dominates), and building a 10k HNSW graph took 11.9 s with one thread, 14.4 s with two.
"""

from __future__ import annotations

import importlib
import logging
import math
import os
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

from search.encoder import Vectors, check_vectors

logger = logging.getLogger(__name__)

IdArray = npt.NDArray[np.int64]
DEFAULT_FAISS_THREADS = 1
DEFAULT_BUILD_THREADS = max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))
"""OpenMP threads for adding vectors (an HNSW build): 2 where there are 2 cores (1M HNSW build below)."""
FAISS_FILE = "vectors.faiss"
TOMBSTONE_FILE = "tombstones.npy"


class IndexKind(StrEnum):
    """Which faiss structure holds the vectors."""

    EXACT = "exact"
    IVF = "ivf"
    HNSW = "hnsw"

    @property
    def approximate(self) -> bool:
        return self is not IndexKind.EXACT


class IvfCodes(StrEnum):
    """How the lists of an IVF index store each vector."""

    FLAT = "flat"  # float32 (IndexIVFFlat)
    FP16 = "fp16"  # float16 residuals to the list centroid (IndexIVFScalarQuantizer)

    @property
    def faiss_class(self) -> str:
        return "IndexIVFFlat" if self is IvfCodes.FLAT else "IndexIVFScalarQuantizer"


WRAPPED_INDEX = {IndexKind.EXACT: "IndexFlatIP", IndexKind.HNSW: "IndexHNSWFlat"}
"""The faiss class inside ``IndexIDMap2`` for the kinds that need the id map."""
LEGACY_IVF = "IndexIVFFlat"
"""What an IVF file written before ``IvfCodes`` held inside its ``IndexIDMap2``."""


@dataclass(frozen=True, slots=True)
class HnswParams:
    """HNSW build and search parameters (see faiss ``IndexHNSWFlat``).

    ``m`` is the graph degree, ``ef_construction`` the build-time beam width and
    ``ef_search`` the query-time beam width (raised to ``k`` when ``k`` is larger); when it
    is None the width follows the index size: ``ef_search_small`` up to ``small_up_to`` live
    vectors, ``ef_search_large`` above. Measured on e5-like vectors (bench/search_speed.py,
    bench/RESULTS.md "Search speed"; M 32, ``ef_construction`` 80): at 90k recall@10 against
    exact is 0.972 / 0.987 / 0.996 at efSearch 128 / 256 / 512 (0.6 / 1.2 / 2.4 CPU-ms a
    query), at 1M 0.957 / 0.974 / 0.989 (1.2 / 2.0 / 3.7 CPU-ms): the smallest width that keeps
    recall at or above 0.98 is 256 at 90k and 512 at 1M.
    """

    m: int = 32
    ef_construction: int = 80
    ef_search: int | None = None
    ef_search_small: int = 256
    ef_search_large: int = 512
    small_up_to: int = 250_000

    def ef_search_for(self, vectors: int) -> int:
        """The query-time beam width for an index of ``vectors`` live vectors."""
        if self.ef_search is not None:
            return self.ef_search
        return self.ef_search_small if vectors <= self.small_up_to else self.ef_search_large


@dataclass(frozen=True, slots=True)
class IvfParams:
    """IVF parameters (see faiss ``IndexIVFFlat``).

    The number of lists is ``round(lists_per_sqrt * sqrt(n))`` for the ``n`` vectors of
    the first ``add``; k-means trains on at most ``training_per_list`` vectors per list.
    ``nprobe`` lists are scanned per query. A store whose size has grown until it would
    want ``regrow_factor`` times as many lists is *outgrown* and gets rebuilt. ``codes``:
    how the lists store the vectors.
    """

    nprobe: int = 64
    lists_per_sqrt: float = 1.0
    training_per_list: int = 40
    regrow_factor: float = 2.0
    codes: IvfCodes = IvfCodes.FP16

    def lists_for(self, count: int) -> int:
        """How many lists an IVF index of ``count`` vectors gets (at least 1, at most ``count``)."""
        return max(1, min(count, round(self.lists_per_sqrt * math.sqrt(count))))


def faiss_module() -> ModuleType:
    """Import faiss on first use."""
    return importlib.import_module("faiss")


def as_ids(ids: object) -> IdArray:
    """Return ``ids`` as a contiguous one-dimensional int64 array."""
    return np.ascontiguousarray(ids, dtype=np.int64).reshape(-1)


class VectorStore:
    """Vectors keyed by int64 ids in a faiss index of one :class:`IndexKind`.

    Concurrent searches are safe; mutations (add, remove) need exclusive access.
    """

    def __init__(
        self,
        dimension: int,
        kind: IndexKind = IndexKind.EXACT,
        hnsw: HnswParams | None = None,
        *,
        ivf: IvfParams | None = None,
        threads: int = DEFAULT_FAISS_THREADS,
        build_threads: int = DEFAULT_BUILD_THREADS,
        _index: Any = None,
        _tombstones: IdArray | None = None,
    ) -> None:
        if threads < 1 or build_threads < 1:
            raise ValueError(f"threads and build_threads must be at least 1, got {threads}, {build_threads}")
        self.dimension = dimension
        self.kind = kind
        self.hnsw = hnsw or HnswParams()
        self.ivf = ivf or IvfParams()
        self.threads = threads
        self.build_threads = build_threads
        # An IVF index needs training vectors: it is made by the first add.
        self._index = _index if _index is not None or kind is IndexKind.IVF else self._new_index()
        self._tombstones: set[int] = set() if _tombstones is None else set(_tombstones.tolist())
        self._selector: tuple[Any, ...] | None = None

    def _apply_threads(self, threads: int | None = None) -> None:
        """Set faiss's OpenMP thread count (searching, or ``threads``) for the calling OS thread."""
        faiss_module().omp_set_num_threads(threads or self.threads)

    def _new_index(self, training: Vectors | None = None) -> Any:
        faiss = faiss_module()
        if self.kind is IndexKind.IVF:
            return self._trained_ivf(training)
        if self.kind is IndexKind.EXACT:
            inner = faiss.IndexFlatIP(self.dimension)
        else:
            inner = faiss.IndexHNSWFlat(self.dimension, self.hnsw.m, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = self.hnsw.ef_construction
            inner.hnsw.efSearch = self.hnsw.ef_search_for(0)  # searches pass the width for their size
        return faiss.IndexIDMap2(inner)  # the Python wrapper keeps ``inner`` alive

    def _trained_ivf(self, training: Vectors | None) -> Any:
        if training is None or not len(training):
            raise ValueError("an IVF index is trained on the vectors of its first add; none were given")
        faiss = faiss_module()
        lists = self.ivf.lists_for(len(training))
        sample = training
        wanted = lists * self.ivf.training_per_list
        if len(training) > wanted:
            rows = np.random.default_rng(0).choice(len(training), wanted, replace=False)
            sample = training[np.sort(rows)]
        return self._empty_ivf(faiss.IndexFlatIP(self.dimension), lists, sample)

    def _empty_ivf(self, quantiser: Any, lists: int, sample: Vectors) -> Any:
        """An IVF index over ``quantiser`` (trained on ``sample`` unless it holds the centroids already)."""
        faiss = faiss_module()
        metric = faiss.METRIC_INNER_PRODUCT
        if self.ivf.codes is IvfCodes.FLAT:
            index = faiss.IndexIVFFlat(quantiser, self.dimension, lists, metric)
        else:
            fp16 = faiss.ScalarQuantizer.QT_fp16
            index = faiss.IndexIVFScalarQuantizer(quantiser, self.dimension, lists, fp16, metric)
        index.cp.min_points_per_centroid = 1  # small stores (tests) train without faiss's warning
        index.train(np.ascontiguousarray(sample))
        index.set_direct_map_type(faiss.DirectMap.Hashtable)  # reconstruct and remove by id
        index.nprobe = self.ivf.nprobe
        return index

    def __len__(self) -> int:
        """Number of live (searchable) vectors."""
        return self._stored() - len(self._tombstones)

    def _stored(self) -> int:
        return 0 if self._index is None else int(self._index.ntotal)

    @property
    def tombstone_ratio(self) -> float:
        """Share of stored vectors of an approximate index that are removed but not yet compacted."""
        total = self._stored()
        return len(self._tombstones) / total if total else 0.0

    @property
    def ivf_lists(self) -> int | None:
        """The number of IVF lists (None for other kinds or an IVF store not made yet)."""
        if self.kind is not IndexKind.IVF or self._index is None:
            return None
        return int(self._index.nlist)

    @property
    def outgrown(self) -> bool:
        """An IVF store that has grown well past the size its lists were trained for."""
        lists = self.ivf_lists
        return lists is not None and self.ivf.lists_for(len(self)) >= self.ivf.regrow_factor * lists

    def add(self, ids: IdArray, vectors: Vectors) -> None:
        """Add vectors under new ids (ids must not be in use)."""
        ids = as_ids(ids)
        vectors = check_vectors(vectors, len(ids), self.dimension, "vector store input")
        if len(ids):
            self._apply_threads(self.build_threads)
            if self._index is None:
                self._index = self._new_index(vectors)
            self._index.add_with_ids(vectors, ids)

    def set_search_breadth(self, breadth: int) -> None:
        """Recall against time from now on: IVF lists scanned (nprobe), or HNSW beam width (efSearch).

        Exact stores ignore it.
        """
        if breadth < 1:
            raise ValueError(f"the search breadth (nprobe, efSearch) must be at least 1, got {breadth}")
        if self.kind is IndexKind.IVF:
            self.ivf = replace(self.ivf, nprobe=breadth)
        elif self.kind is IndexKind.HNSW:
            self.hnsw = replace(self.hnsw, ef_search=breadth)

    def remove(self, ids: IdArray) -> None:
        """Remove ids from search results (deleted outright, or tombstoned for HNSW)."""
        ids = as_ids(ids)
        if not len(ids):
            return
        if self.kind is IndexKind.IVF:
            # the hash-table direct map finds each id's list (it only takes an IDSelectorArray)
            self._index.remove_ids(faiss_module().IDSelectorArray(len(ids), faiss_module().swig_ptr(ids)))
        elif self.kind is IndexKind.EXACT:
            self._index.remove_ids(ids)
        else:
            self._tombstones.update(ids.tolist())
            self._selector = None

    def get(self, ids: IdArray) -> Vectors:
        """Return the stored vectors for ``ids`` (tombstoned ids still resolve)."""
        ids = as_ids(ids)
        if not len(ids):
            return np.empty((0, self.dimension), dtype=np.float32)
        if self._index is None:
            raise KeyError(f"no vectors stored, asked for ids {ids[:3].tolist()}")
        return np.asarray(self._index.reconstruct_batch(ids), dtype=np.float32)

    def search(self, query: Vectors, k: int) -> tuple[IdArray, npt.NDArray[np.float32]]:
        """Return up to ``k`` (ids, inner-product scores) for one ``(1, dimension)`` query."""
        if k < 1:
            raise ValueError(f"k must be a positive number of results, got {k}")
        if len(self) == 0:
            return as_ids([]), np.empty(0, dtype=np.float32)
        k = min(k, len(self))
        self._apply_threads()
        params = self._search_params(k)
        if params is None:
            scores, ids = self._index.search(query, k)
        else:
            scores, ids = self._index.search(query, k, params=params)
        found = ids[0] >= 0
        return as_ids(ids[0][found]), np.asarray(scores[0][found], dtype=np.float32)

    def _search_params(self, k: int) -> Any:
        if self.kind is IndexKind.EXACT:
            return None
        faiss = faiss_module()
        if self.kind is IndexKind.IVF:
            return faiss.SearchParametersIVF(nprobe=self.ivf.nprobe)
        options: dict[str, Any] = {}
        if self._tombstones:
            if self._selector is None:
                batch = faiss.IDSelectorBatch(as_ids(sorted(self._tombstones)))
                self._selector = (batch, faiss.IDSelectorNot(batch))
            options["sel"] = self._selector[1]
        return faiss.SearchParametersHNSW(efSearch=max(self.hnsw.ef_search_for(len(self)), k), **options)

    def rebuilt(self, kind: IndexKind, live_ids: IdArray) -> VectorStore:
        """Return a fresh store of ``kind`` holding only ``live_ids`` (drops tombstones)."""
        live_ids = as_ids(live_ids)
        logger.info("rebuilding %s vector index with %d vectors", kind.value, len(live_ids))
        fresh = VectorStore(
            self.dimension, kind, self.hnsw, ivf=self.ivf, threads=self.threads, build_threads=self.build_threads
        )
        fresh.add(live_ids, self.get(live_ids))
        return fresh

    def write(self, directory: Path) -> list[Path]:
        """Write the index (and HNSW tombstones) into ``directory``; return the files."""
        faiss = faiss_module()
        if self._index is None:
            raise ValueError("an IVF store without vectors cannot be written (it has not been trained)")
        written = [directory / FAISS_FILE]
        faiss.write_index(self._index, str(written[0]))
        if self._tombstones:
            written.append(directory / TOMBSTONE_FILE)
            np.save(written[1], as_ids(sorted(self._tombstones)), allow_pickle=False)
        return written

    @classmethod
    def read(
        cls,
        directory: Path,
        dimension: int,
        kind: IndexKind,
        hnsw: HnswParams | None = None,
        *,
        ivf: IvfParams | None = None,
        threads: int = DEFAULT_FAISS_THREADS,
        build_threads: int = DEFAULT_BUILD_THREADS,
    ) -> VectorStore:
        """Read a store written by :meth:`write` (ValueError if it does not match)."""
        faiss = faiss_module()
        index = faiss.read_index(str(directory / FAISS_FILE))
        if int(index.d) != dimension:
            raise ValueError(f"faiss index has dimension {index.d}, manifest says {dimension}")
        found = type(index).__name__
        inner = type(faiss.downcast_index(index.index)).__name__ if found == "IndexIDMap2" else None
        tombstone_path = directory / TOMBSTONE_FILE
        tombstones = None
        if tombstone_path.exists():
            tombstones = as_ids(np.load(tombstone_path, allow_pickle=False))
        if kind is IndexKind.IVF and inner == LEGACY_IVF:
            return cls._from_legacy_ivf(index, tombstones, dimension, hnsw, ivf or IvfParams(), threads, build_threads)
        if kind is IndexKind.IVF:
            if found not in {codes.faiss_class for codes in IvfCodes}:
                raise ValueError(f"faiss index is {found}, manifest says {kind.value}")
            index.nprobe = (ivf or IvfParams()).nprobe
        elif inner != WRAPPED_INDEX[kind]:
            raise ValueError(f"faiss index is {inner or found}, manifest says {kind.value}")
        return cls(
            dimension,
            kind,
            hnsw,
            ivf=ivf,
            threads=threads,
            build_threads=build_threads,
            _index=index,
            _tombstones=tombstones,
        )

    @classmethod
    def _from_legacy_ivf(
        cls,
        wrapped: Any,
        tombstones: IdArray | None,
        dimension: int,
        hnsw: HnswParams | None,
        ivf: IvfParams,
        threads: int,
        build_threads: int,
    ) -> VectorStore:
        """Convert an ``IndexIDMap2(IndexIVFFlat)`` with tombstones: same centroids, live vectors only."""
        faiss = faiss_module()
        old = faiss.extract_index_ivf(wrapped.index)
        ids = as_ids(faiss.vector_to_array(wrapped.id_map))
        if tombstones is not None and len(tombstones):
            ids = ids[~np.isin(ids, tombstones)]
        vectors = np.asarray(wrapped.reconstruct_batch(ids), dtype=np.float32)
        quantiser = faiss.IndexFlatIP(dimension)
        quantiser.add(old.quantizer.reconstruct_n(0, old.nlist))
        store = cls(dimension, IndexKind.IVF, hnsw, ivf=ivf, threads=threads, build_threads=build_threads)
        sample = vectors[:: max(1, len(vectors) // (old.nlist * ivf.training_per_list))]
        store._index = store._empty_ivf(quantiser, int(old.nlist), sample)
        store.add(ids, vectors)
        logger.info("converted an IndexIVFFlat file of %d vectors to %s codes", len(ids), ivf.codes.value)
        return store

    def live_ids(self) -> set[int]:
        """Ids that searches can return (stored ids minus tombstones)."""
        if self._index is None:
            return set()
        faiss = faiss_module()
        if self.kind is IndexKind.IVF:
            lists = self._index.invlists
            sizes = [(number, lists.list_size(number)) for number in range(self._index.nlist)]
            chunks = [faiss.rev_swig_ptr(lists.get_ids(number), size) for number, size in sizes if size]
            return set(np.concatenate(chunks).tolist()) if chunks else set()
        return set(faiss.vector_to_array(self._index.id_map).tolist()) - self._tombstones
