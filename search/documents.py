"""Plain records that go into and come out of the dense index.

The graph side turns catalogue entities into :class:`IndexDocument` records (a stable
key, the text to embed and a hash of that text); the index answers with
:class:`SearchHit` tuples. Nothing here knows about RDF.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import NamedTuple

HASH_PREFIX = "sha256:"


def content_hash(text: str) -> str:
    """Return a stable hash of ``text`` suitable for :attr:`IndexDocument.content_hash`."""
    return HASH_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class IndexDocument:
    """One entity to index.

    ``key`` identifies the entity (e.g. a dataset IRI or its ASCII slug) and is what
    searches return. ``content_hash`` must change whenever ``text`` changes: the index
    re-encodes a document only when its hash differs from the stored one, and reuses
    stored vectors for any text whose hash it has seen.
    """

    key: str
    text: str
    content_hash: str

    @classmethod
    def from_text(cls, key: str, text: str) -> IndexDocument:
        """Build a document whose hash is :func:`content_hash` of ``text``."""
        return cls(key=key, text=text, content_hash=content_hash(text))


class SearchHit(NamedTuple):
    """A search result: the document key and its cosine similarity to the query."""

    key: str
    score: float
