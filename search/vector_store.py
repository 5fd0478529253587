"""faiss vector storage with stable ids, removal and persistence.

Three kinds of index hold the vectors, each wrapped in ``IndexIDMap2`` so that every
vector carries a stable int64 id the caller maps to a document key:

* ``exact`` — ``IndexFlatIP``: brute-force inner product, exact, supports removal.
* ``ivf`` — ``IndexIVFFlat`` with inner-product metric: the vectors are split into
  about √n lists around k-means centroids (trained on the vectors of its first ``add``),
  and a query scans only the ``nprobe`` nearest lists. Approximate, cheap to build
  (training plus one centroid assignment per vector).
* ``hnsw`` — ``IndexHNSWFlat`` with inner-product metric: approximate, sub-linear, but
  slow to build (224 vectors/s for M=32, efConstruction=200 on this busy machine).

Removal from the approximate kinds goes through *tombstones* that searches skip
(``IDSelectorNot``): faiss cannot delete from an HNSW graph, and ``IndexIDMap2`` can
only compact sub-indexes that renumber on removal, as the flat index does.
:meth:`VectorStore.rebuilt` compacts tombstones away.

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


INNER_INDEX = {IndexKind.EXACT: "IndexFlatIP", IndexKind.IVF: "IndexIVFFlat", IndexKind.HNSW: "IndexHNSWFlat"}


@dataclass(frozen=True, slots=True)
class HnswParams:
    """HNSW build and search parameters (see faiss ``IndexHNSWFlat``).

    ``m`` is the graph degree, ``ef_construction`` the build-time beam width and
    ``ef_search`` the query-time beam width (raised to ``k`` when ``k`` is larger).
    """

    m: int = 32
    ef_construction: int = 200
    ef_search: int = 128


@dataclass(frozen=True, slots=True)
class IvfParams:
    """IVF parameters (see faiss ``IndexIVFFlat``).

    The number of lists is ``round(lists_per_sqrt * sqrt(n))`` for the ``n`` vectors of
    the first ``add``; k-means trains on at most ``training_per_list`` vectors per list.
    ``nprobe`` lists are scanned per query. A store whose size has grown until it would
    want ``regrow_factor`` times as many lists is *outgrown* and gets rebuilt.
    """

    nprobe: int = 64
    lists_per_sqrt: float = 1.0
    training_per_list: int = 40
    regrow_factor: float = 2.0

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
        _index: Any = None,
        _tombstones: IdArray | None = None,
    ) -> None:
        if threads < 1:
            raise ValueError(f"threads must be at least 1, got {threads}")
        self.dimension = dimension
        self.kind = kind
        self.hnsw = hnsw or HnswParams()
        self.ivf = ivf or IvfParams()
        self.threads = threads
        # An IVF index needs training vectors: it is made by the first add.
        self._index = _index if _index is not None or kind is IndexKind.IVF else self._new_index()
        self._tombstones: set[int] = set() if _tombstones is None else set(_tombstones.tolist())
        self._selector: tuple[Any, ...] | None = None

    def _apply_threads(self) -> None:
        """Set faiss's OpenMP thread count for the calling OS thread."""
        faiss_module().omp_set_num_threads(self.threads)

    def _new_index(self, training: Vectors | None = None) -> Any:
        faiss = faiss_module()
        if self.kind is IndexKind.EXACT:
            inner = faiss.IndexFlatIP(self.dimension)
        elif self.kind is IndexKind.IVF:
            inner = self._trained_ivf(training)
        else:
            inner = faiss.IndexHNSWFlat(self.dimension, self.hnsw.m, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = self.hnsw.ef_construction
            inner.hnsw.efSearch = self.hnsw.ef_search
        return faiss.IndexIDMap2(inner)  # the Python wrapper keeps ``inner`` alive

    def _trained_ivf(self, training: Vectors | None) -> Any:
        if training is None or not len(training):
            raise ValueError("an IVF index is trained on the vectors of its first add; none were given")
        faiss = faiss_module()
        lists = self.ivf.lists_for(len(training))
        quantiser = faiss.IndexFlatIP(self.dimension)
        inner = faiss.IndexIVFFlat(quantiser, self.dimension, lists, faiss.METRIC_INNER_PRODUCT)
        sample = training
        wanted = lists * self.ivf.training_per_list
        if len(training) > wanted:
            rows = np.random.default_rng(0).choice(len(training), wanted, replace=False)
            sample = training[np.sort(rows)]
        inner.cp.min_points_per_centroid = 1  # small stores (tests) train without faiss's warning
        inner.train(np.ascontiguousarray(sample))
        inner.make_direct_map()  # reconstruct() by internal id, which IndexIDMap2.reconstruct needs
        inner.nprobe = self.ivf.nprobe
        return inner

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
        return int(faiss_module().extract_index_ivf(self._index.index).nlist)

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
            self._apply_threads()
            if self._index is None:
                self._index = self._new_index(vectors)
            self._index.add_with_ids(vectors, ids)

    def set_ivf_probes(self, nprobe: int) -> None:
        """Scan ``nprobe`` lists per query from now on (IVF only; other kinds ignore it)."""
        if nprobe < 1:
            raise ValueError(f"nprobe must be at least 1, got {nprobe}")
        self.ivf = replace(self.ivf, nprobe=nprobe)

    def remove(self, ids: IdArray) -> None:
        """Remove ids from search results (deleted outright, or tombstoned for IVF and HNSW)."""
        ids = as_ids(ids)
        if not len(ids):
            return
        if self.kind is IndexKind.EXACT:
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
        options: dict[str, Any] = {}
        if self._tombstones:
            if self._selector is None:
                batch = faiss.IDSelectorBatch(as_ids(sorted(self._tombstones)))
                self._selector = (batch, faiss.IDSelectorNot(batch))
            options["sel"] = self._selector[1]
        if self.kind is IndexKind.IVF:
            return faiss.SearchParametersIVF(nprobe=self.ivf.nprobe, **options)
        return faiss.SearchParametersHNSW(efSearch=max(self.hnsw.ef_search, k), **options)

    def rebuilt(self, kind: IndexKind, live_ids: IdArray) -> VectorStore:
        """Return a fresh store of ``kind`` holding only ``live_ids`` (drops tombstones)."""
        live_ids = as_ids(live_ids)
        logger.info("rebuilding %s vector index with %d vectors", kind.value, len(live_ids))
        fresh = VectorStore(self.dimension, kind, self.hnsw, ivf=self.ivf, threads=self.threads)
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
    ) -> VectorStore:
        """Read a store written by :meth:`write` (ValueError if it does not match)."""
        faiss = faiss_module()
        index = faiss.read_index(str(directory / FAISS_FILE))
        if type(index).__name__ != "IndexIDMap2":
            raise ValueError(f"faiss file holds {type(index).__name__}, expected IndexIDMap2")
        if int(index.d) != dimension:
            raise ValueError(f"faiss index has dimension {index.d}, manifest says {dimension}")
        inner = type(faiss.downcast_index(index.index)).__name__
        if inner != INNER_INDEX[kind]:
            raise ValueError(f"faiss index is {inner}, manifest says {kind.value}")
        tombstone_path = directory / TOMBSTONE_FILE
        tombstones = None
        if tombstone_path.exists():
            tombstones = as_ids(np.load(tombstone_path, allow_pickle=False))
        if kind is IndexKind.IVF:
            faiss.extract_index_ivf(index.index).nprobe = (ivf or IvfParams()).nprobe
        return cls(dimension, kind, hnsw, ivf=ivf, threads=threads, _index=index, _tombstones=tombstones)

    def live_ids(self) -> set[int]:
        """Ids that searches can return (stored ids minus tombstones)."""
        if self._index is None:
            return set()
        faiss = faiss_module()
        return set(faiss.vector_to_array(self._index.id_map).tolist()) - self._tombstones
