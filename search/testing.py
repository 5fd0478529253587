"""A deterministic, dependency-free encoder for tests of anything that searches.

:class:`HashingEncoder` hashes character n-grams (the feature-hashing trick) into a
fixed number of signed buckets and L2-normalises the counts. Texts sharing many
characters or short phrases land close together, which is enough to test ranking
plumbing without a neural model. It records every call so tests can count how many
texts were (re-)encoded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from search.encoder import Vectors, l2_normalise

DEFAULT_DIMENSION = 256


def _bucket(gram: str, dimension: int) -> tuple[int, float]:
    digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dimension, (1.0 if (value >> 63) & 1 else -1.0)


class HashingEncoder:
    """Character n-gram feature hashing, L2-normalised; queries and passages alike.

    ``passage_calls`` / ``query_calls`` hold the text batches of every call.
    """

    def __init__(
        self,
        dimension: int = DEFAULT_DIMENSION,
        ngram_sizes: Sequence[int] = (1, 2, 3),
        model_id: str | None = None,
    ) -> None:
        if dimension < 2:
            raise ValueError(f"dimension must be at least 2, got {dimension}")
        self.dimension = dimension
        self.ngram_sizes = tuple(ngram_sizes)
        sizes = "-".join(str(n) for n in self.ngram_sizes)
        self.model_id = model_id or f"testing/hashing-ngram-{sizes}@{dimension}"
        self.passage_calls: list[tuple[str, ...]] = []
        self.query_calls: list[tuple[str, ...]] = []

    @property
    def passages_encoded(self) -> int:
        """Total number of passage texts encoded so far."""
        return sum(len(batch) for batch in self.passage_calls)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Embed queries (recorded in ``query_calls``)."""
        self.query_calls.append(tuple(texts))
        return self._embed(texts)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        """Embed passages (recorded in ``passage_calls``)."""
        self.passage_calls.append(tuple(texts))
        return self._embed(texts)

    def _embed(self, texts: Sequence[str]) -> Vectors:
        counts = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            self._count(text, counts[row])
        vectors = l2_normalise(counts)
        vectors[np.linalg.norm(vectors, axis=1) == 0, 0] = 1.0  # empty text: a fixed unit vector
        return vectors

    def _count(self, text: str, row: Vectors) -> None:
        normalised = " ".join(text.lower().split())
        for size in self.ngram_sizes:
            for start in range(len(normalised) - size + 1):
                bucket, sign = _bucket(normalised[start : start + size], self.dimension)
                row[bucket] += sign
