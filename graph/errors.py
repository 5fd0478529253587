"""Errors of the graph layer: reading sources, mapping records, and the store."""

from __future__ import annotations

from ontology.errors import KgcatError


class SourceError(KgcatError):
    """A source file cannot be read as a whole (missing, wrong encoding, wrong format)."""


class UnsafeSourceError(SourceError):
    """A source would make its parser fetch or read another document, or expand without bound.

    Raised by graph/source_guard.py before any parser sees the bytes.
    """

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.details = details


class StoreError(KgcatError):
    """The store cannot be opened or written (locked by another process, corrupt, read-only)."""


class BatchRejectedError(KgcatError):
    """An import in strict mode met records that break core shapes, so nothing was written."""

    def __init__(self, message: str, rejected: int) -> None:
        super().__init__(message)
        self.rejected = rejected


class QueryError(KgcatError):
    """A SPARQL query or update is malformed or failed while running."""


class RemoteStoreError(StoreError):
    """A remote SPARQL server could not be reached, refused the credentials, or answered with an error."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class RemoteStoreTimeout(RemoteStoreError):
    """The remote SPARQL server did not answer within the configured time."""
