"""The persisted dense index: document keys -> vectors, searched by cosine similarity.

:class:`DenseIndex` keeps one vector per :class:`~search.documents.IndexDocument`,
made by an :class:`~search.encoder.Encoder`. ``update(documents)`` synchronises the
index with the full document set, re-encoding only documents whose content hash
changed and dropping keys that disappeared. Below ``IndexConfig.approximate_threshold``
documents the vectors sit in an exact faiss ``IndexFlatIP``; at or above it they move
to an approximate index (HNSW by default, IVF on request). ``save`` writes a manifest-stamped directory atomically;
``load`` refuses a directory made by another encoder or for another graph version.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from search.atomic_dir import recover, replace_directory
from search.documents import IndexDocument, SearchHit
from search.embedding_cache import DEFAULT_BATCH_SIZE, EmbeddingCache, ProgressCallback
from search.encoder import Encoder, Vectors, as_query_matrix
from search.entries import Entry, EntryTable
from search.errors import DuplicateKey, IndexCorrupt, IndexNotFound, StaleIndex
from search.manifest import IndexManifest, read_manifest, write_manifest
from search.vector_store import (
    DEFAULT_BUILD_THREADS,
    DEFAULT_FAISS_THREADS,
    HnswParams,
    IndexKind,
    IvfParams,
    VectorStore,
    as_ids,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IndexConfig:
    """How the index stores vectors.

    ``approximate_threshold``: live documents at or above which the ``approximate`` kind
    (HNSW by default, or IVF) replaces exact search. Exact single-thread search costs about
    0.03 ms per thousand 384-d vectors idle and several times that on a busy machine (9 ms
    at 92k under load here). On vectors shaped like real e5 passages (bench/synthetic_vectors.py)
    IVF lists come out very unequal and a query's neighbours spread over many of them, so
    IVF needs a large share of the vectors scanned for recall@10 ≥ 0.98, while an HNSW graph
    answers in a few ms at that recall; it costs minutes to build (1M: see bench/RESULTS.md),
    which is small beside encoding the passages. ``max_tombstone_ratio``: share of removed-but-still-stored
    vectors of an approximate index that triggers a compacting rebuild.
    ``encode_batch_size``: passages per encoder call (and per progress report).
    ``faiss_threads``: OpenMP threads for faiss searches (see :mod:`search.vector_store`);
    ``faiss_build_threads``: for adding vectors (an HNSW build is the costly part).
    """

    approximate_threshold: int = 50_000
    approximate: IndexKind = IndexKind.HNSW
    ivf: IvfParams = field(default_factory=IvfParams)
    hnsw: HnswParams = field(default_factory=HnswParams)
    max_tombstone_ratio: float = 0.2
    encode_batch_size: int = DEFAULT_BATCH_SIZE
    faiss_threads: int = DEFAULT_FAISS_THREADS
    faiss_build_threads: int = DEFAULT_BUILD_THREADS

    def __post_init__(self) -> None:
        counts = (self.approximate_threshold, self.encode_batch_size, self.faiss_threads, self.faiss_build_threads)
        if min(counts) < 1:
            raise ValueError(
                "approximate_threshold, encode_batch_size, faiss_threads and faiss_build_threads must be at least 1"
            )
        if not self.approximate.approximate:
            raise ValueError(f"approximate must be an approximate index kind (ivf, hnsw), got {self.approximate}")
        if not 0.0 <= self.max_tombstone_ratio < 1.0:
            raise ValueError(f"max_tombstone_ratio must be in [0, 1), got {self.max_tombstone_ratio}")


@dataclass(frozen=True, slots=True)
class UpdateStats:
    """What an update did: documents added, changed, removed, unchanged; texts encoded."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    encoded: int = 0


class DenseIndex:
    """Cosine-similarity index over documents, persisted with a manifest.

    Searches may run concurrently; ``update``/``upsert``/``remove`` need exclusive
    access (build a new index and swap it in, or hold a lock, while serving).
    """

    def __init__(
        self,
        encoder: Encoder,
        config: IndexConfig | None = None,
        *,
        graph_version: str = "",
        _entries: EntryTable | None = None,
        _store: VectorStore | None = None,
    ) -> None:
        self.encoder = encoder
        self.config = config or IndexConfig()
        self.graph_version = graph_version
        self.stale = False
        self._entries = EntryTable() if _entries is None else _entries
        self._store = self._new_store(IndexKind.EXACT) if _store is None else _store

    def _new_store(self, kind: IndexKind) -> VectorStore:
        config = self.config
        return VectorStore(
            self.encoder.dimension,
            kind,
            config.hnsw,
            ivf=config.ivf,
            threads=config.faiss_threads,
            build_threads=config.faiss_build_threads,
        )

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def keys(self) -> Iterator[str]:
        """Iterate over the indexed document keys."""
        return (entry.key for entry in self._entries)

    @property
    def kind(self) -> IndexKind:
        """The faiss structure currently holding the vectors."""
        return self._store.kind

    @property
    def manifest(self) -> IndexManifest:
        """A manifest describing the index as it is now."""
        return IndexManifest(
            model_id=self.encoder.model_id,
            dimension=self.encoder.dimension,
            count=len(self),
            index_kind=self.kind,
            graph_version=self.graph_version,
        )

    # -- searching ---------------------------------------------------------------

    def search(self, query_vector: object, k: int = 10) -> list[SearchHit]:
        """Return up to ``k`` hits, best first; an empty index returns ``[]``."""
        query = as_query_matrix(query_vector, self.encoder.dimension)
        ids, scores = self._store.search(query, k)
        hits = []
        for vector_id, score in zip(ids.tolist(), scores.tolist(), strict=True):
            key = self._entries.key_for(vector_id)
            if key is not None:
                hits.append(SearchHit(key, float(score)))
        return hits

    def set_search_breadth(self, breadth: int) -> None:
        """Recall against time from now on: IVF lists scanned per query, or the HNSW beam width (exact: no effect)."""
        self._store.set_search_breadth(breadth)

    def vectors(self, keys: Sequence[str]) -> Vectors:
        """The stored vectors of ``keys`` (unknown keys raise KeyError), one row per key."""
        ids = [self._entries.get(key) for key in keys]
        missing = [key for key, entry in zip(keys, ids, strict=True) if entry is None]
        if missing:
            raise KeyError(f"not in the index: {missing[:3]}")
        return self._store.get(as_ids([entry.vector_id for entry in ids if entry is not None]))

    def search_text(self, query: str, k: int = 10) -> list[SearchHit]:
        """Encode ``query`` with the index's encoder and search for it."""
        return self.search(self.encoder.encode_queries([query])[0], k)

    # -- updating ----------------------------------------------------------------

    def update(
        self,
        documents: Iterable[IndexDocument],
        *,
        graph_version: str | None = None,
        progress: ProgressCallback | None = None,
    ) -> UpdateStats:
        """Make the index hold exactly ``documents``; keys not among them are removed."""
        docs = _unique(documents)
        wanted = {doc.key for doc in docs}
        stats = self._upsert(docs, progress)
        removed = self._remove(entry.key for entry in list(self._entries) if entry.key not in wanted)
        self._restructure()
        if graph_version is not None:
            self.graph_version = graph_version
            self.stale = False
        return UpdateStats(stats.added, stats.changed, removed, stats.unchanged, stats.encoded)

    def upsert(self, documents: Iterable[IndexDocument], *, progress: ProgressCallback | None = None) -> UpdateStats:
        """Add new documents and replace changed ones; other keys are left alone."""
        stats = self._upsert(_unique(documents), progress)
        self._restructure()
        return stats

    def remove(self, keys: Iterable[str]) -> int:
        """Remove documents by key; unknown keys are ignored. Returns how many went."""
        removed = self._remove(keys)
        self._restructure()
        return removed

    def _upsert(self, docs: list[IndexDocument], progress: ProgressCallback | None) -> UpdateStats:
        fresh = [d for d in docs if _changed(self._entries.get(d.key), d)]
        if not len(self._store) and not self._store.tombstone_ratio and len(fresh) >= self.config.approximate_threshold:
            self._store = self._new_store(self.config.approximate)  # a large first build skips the exact copy
        cache = EmbeddingCache(
            self.encoder,
            self._entries.hash_to_id(),
            self._store.get,
            self.config.encode_batch_size,
        )
        vectors = cache.vectors_for(fresh, progress)
        ids = self._entries.allocate_ids(len(fresh))
        self._store.add(as_ids(ids), vectors)
        replaced = [
            old.vector_id
            for doc, vector_id in zip(fresh, ids, strict=True)
            if (old := self._entries.put(Entry(doc.key, doc.content_hash, vector_id)))
        ]
        self._store.remove(as_ids(replaced))
        added, changed = len(fresh) - len(replaced), len(replaced)
        logger.info("index upsert: %d added, %d changed, %d encoded", added, changed, cache.encoded)
        return UpdateStats(added, changed, 0, len(docs) - len(fresh), cache.encoded)

    def _remove(self, keys: Iterable[str]) -> int:
        gone = [self._entries.pop(key).vector_id for key in set(keys) if key in self._entries]
        self._store.remove(as_ids(gone))
        if gone:
            logger.info("index remove: %d documents", len(gone))
        return len(gone)

    def _restructure(self) -> None:
        """Switch exact <-> approximate around the threshold; compact tombstones; retrain an outgrown IVF."""
        config = self.config
        wanted = config.approximate if len(self) >= config.approximate_threshold else IndexKind.EXACT
        too_many_dead = self._store.tombstone_ratio > config.max_tombstone_ratio
        if wanted is not self._store.kind or too_many_dead or self._store.outgrown:
            live = as_ids([entry.vector_id for entry in self._entries])
            self._store = self._store.rebuilt(wanted, live)

    # -- persistence -------------------------------------------------------------

    def save(self, path: Path) -> IndexManifest:
        """Write the index to directory ``path`` atomically; return its manifest."""
        manifest = self.manifest

        def write(directory: Path) -> None:
            self._store.write(directory)
            self._entries.write(directory)
            write_manifest(directory, manifest)

        replace_directory(Path(path), write)
        logger.info("saved %d-document %s index to %s", manifest.count, manifest.index_kind, path)
        return manifest

    @classmethod
    def load(
        cls,
        path: Path,
        encoder: Encoder,
        config: IndexConfig | None = None,
        *,
        graph_version: str | None = None,
        allow_stale: bool = False,
    ) -> DenseIndex:
        """Load an index saved by :meth:`save`.

        Raises :class:`~search.errors.IndexManifestMismatch` if ``encoder`` differs
        from the one that built it, and :class:`~search.errors.StaleIndex` if
        ``graph_version`` is given and differs (unless ``allow_stale``, which logs a
        warning and sets :attr:`stale`).
        """
        path = Path(path)
        recover(path)
        if not path.is_dir():
            raise IndexNotFound(path)
        manifest = read_manifest(path)
        manifest.check_encoder(path, encoder.model_id, encoder.dimension)
        config = config or IndexConfig()
        entries, store = _read_contents(path, manifest, config)
        index = cls(encoder, config, graph_version=manifest.graph_version, _entries=entries, _store=store)
        if graph_version is not None:
            index._check_graph_version(path, graph_version, allow_stale)
        return index

    def _check_graph_version(self, path: Path, graph_version: str, allow_stale: bool) -> None:
        try:
            self.manifest.check_graph_version(path, graph_version)
        except StaleIndex as exc:
            if not allow_stale:
                raise
            logger.warning("%s", exc)
            self.stale = True


def _read_contents(path: Path, manifest: IndexManifest, config: IndexConfig) -> tuple[EntryTable, VectorStore]:
    entries = EntryTable.read(path)
    try:
        store = VectorStore.read(
            path,
            manifest.dimension,
            manifest.index_kind,
            config.hnsw,
            ivf=config.ivf,
            threads=config.faiss_threads,
            build_threads=config.faiss_build_threads,
        )
    except (OSError, RuntimeError, ValueError) as exc:
        raise IndexCorrupt(path, f"bad vector file: {exc}") from exc
    if not len(entries) == len(store) == manifest.count:
        raise IndexCorrupt(path, f"manifest count {manifest.count}, {len(entries)} entries, {len(store)} vectors")
    if {entry.vector_id for entry in entries} != store.live_ids():
        raise IndexCorrupt(path, "entry ids do not match the ids in the vector file")
    return entries, store


def _unique(documents: Iterable[IndexDocument]) -> list[IndexDocument]:
    docs = list(documents)
    seen: set[str] = set()
    for doc in docs:
        if doc.key in seen:
            raise DuplicateKey(doc.key)
        seen.add(doc.key)
    return docs


def _changed(entry: Entry | None, doc: IndexDocument) -> bool:
    return entry is None or entry.content_hash != doc.content_hash
