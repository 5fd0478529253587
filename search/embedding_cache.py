"""Embeddings keyed by content hash: reuse what the index holds, encode the rest.

Encoding is the expensive step of indexing (tens of milliseconds per passage on a
CPU), so an update embeds each distinct text at most once: documents whose content
hash already has a stored vector reuse it, and duplicate texts within one update are
encoded once. Misses are encoded in batches, reporting progress after each batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from search.documents import IndexDocument
from search.encoder import Encoder, Vectors, check_vectors
from search.vector_store import IdArray, as_ids

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(encoded_so_far, total_to_encode)`` after each batch."""

DEFAULT_BATCH_SIZE = 64


class EmbeddingCache:
    """Resolve one vector per document from stored vectors or the encoder."""

    def __init__(
        self,
        encoder: Encoder,
        known: Mapping[str, int],
        fetch: Callable[[IdArray], Vectors],
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        """``known`` maps content hashes to stored vector ids; ``fetch`` reads them."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        self.encoder = encoder
        self.known = known
        self.fetch = fetch
        self.batch_size = batch_size
        self.encoded = 0

    def vectors_for(self, documents: Sequence[IndexDocument], progress: ProgressCallback | None = None) -> Vectors:
        """Return an ``(len(documents), dimension)`` array, row i for documents[i]."""
        by_hash = self._reused(documents)
        by_hash.update(self._encode_missing(documents, by_hash, progress))
        rows = [by_hash[doc.content_hash] for doc in documents]
        if not rows:
            return np.empty((0, self.encoder.dimension), dtype=np.float32)
        return np.ascontiguousarray(np.stack(rows), dtype=np.float32)

    def _reused(self, documents: Sequence[IndexDocument]) -> dict[str, Vectors]:
        hashes = list(dict.fromkeys(d.content_hash for d in documents if d.content_hash in self.known))
        if not hashes:
            return {}
        vectors = self.fetch(as_ids([self.known[h] for h in hashes]))
        return dict(zip(hashes, vectors, strict=True))

    def _encode_missing(
        self,
        documents: Sequence[IndexDocument],
        have: Mapping[str, Vectors],
        progress: ProgressCallback | None,
    ) -> dict[str, Vectors]:
        texts = {d.content_hash: d.text for d in documents if d.content_hash not in have}
        hashes, total = list(texts), len(texts)
        encoded: dict[str, Vectors] = {}
        for start in range(0, total, self.batch_size):
            batch = hashes[start : start + self.batch_size]
            vectors = self._encode([texts[h] for h in batch])
            encoded.update(zip(batch, vectors, strict=True))
            self.encoded += len(batch)
            logger.debug("encoded %d of %d passages", len(encoded), total)
            if progress is not None:
                progress(len(encoded), total)
        return encoded

    def _encode(self, texts: list[str]) -> Vectors:
        vectors = self.encoder.encode_passages(texts)
        return check_vectors(vectors, len(texts), self.encoder.dimension, self.encoder.model_id)
