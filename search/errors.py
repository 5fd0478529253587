"""Exceptions raised by the ``search`` package.

Every message says what to do next. ``SearchError`` is the base of the tree; the
project-wide ``KgcatError`` will become its parent once the packages are joined.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ontology.errors import KgcatError

REBUILD_HINT = "run `kgcat index --rebuild`"
UPDATE_HINT = "run `kgcat index` to update it"


class SearchError(KgcatError):
    """Base class for every error raised by the search package.

    Picklable whatever a subclass's constructor takes (message and attributes are carried
    as they are), so an error raised in a search worker process arrives intact.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore_error, (type(self), str(self), dict(self.__dict__)))


def _restore_error(cls: type[SearchError], message: str, state: dict[str, Any]) -> SearchError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class SearchWorkerDied(SearchError):
    """The process running searches stopped; a new one is started for the next search."""

    def __init__(self) -> None:
        super().__init__("the search worker process stopped unexpectedly; a new one is starting, retry in a moment")


class EncoderUnavailable(SearchError):
    """The text encoder could not be loaded or could not run."""

    def __init__(self, encoder: str, reason: str, hint: str) -> None:
        self.encoder = encoder
        self.reason = reason
        super().__init__(f"text encoder {encoder!r} is unavailable: {reason}; {hint}")


class InvalidEmbedding(SearchError):
    """An encoder or caller produced vectors of the wrong shape, type or norm."""


class DuplicateKey(SearchError):
    """The same document key was given twice in one update."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            f"document key {key!r} occurs more than once in the update; "
            "keys must be unique (merge the texts or mint distinct keys)"
        )


class IndexNotFound(SearchError):
    """No saved index exists at the given path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"no search index at {path}; {REBUILD_HINT} to build one")


class IndexCorrupt(SearchError):
    """A saved index exists but its files are missing, unreadable or inconsistent."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"search index at {path} is unreadable ({reason}); {REBUILD_HINT}")


class IndexManifestMismatch(SearchError):
    """A saved index was built with a different encoder, dimension or file format."""

    def __init__(
        self,
        path: Path,
        field: str,
        stored: object,
        current: object,
        owner: str = "this encoder",
    ) -> None:
        self.path = path
        self.field = field
        self.stored = stored
        self.current = current
        super().__init__(
            f"search index at {path} was built with {field} {stored!r}; {owner} has {field} {current!r}; {REBUILD_HINT}"
        )


class StaleIndex(SearchError):
    """A saved index was built from an older (or different) graph version."""

    def __init__(self, path: Path, stored: str, current: str) -> None:
        self.path = path
        self.stored = stored
        self.current = current
        super().__init__(
            f"search index at {path} was built for graph version {stored!r} "
            f"but the graph is at {current!r}; {UPDATE_HINT}"
        )


class GateModelInvalid(SearchError):
    """The relevance gate's model file (search/data/relevance_gate.json) does not fit the code."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"the relevance gate's model is unusable: {reason}; refit it with `python bench/train_relevance_gate.py`"
        )
