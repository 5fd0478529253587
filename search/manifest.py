"""The JSON manifest saved with every index, and the checks run against it on load.

The manifest records what the vectors mean — which encoder made them (``model_id``,
``dimension``), from which graph snapshot (``graph_version``) — and how they are
stored (``index_kind``, ``format_version``). Loading with another encoder is refused
(the vectors would be meaningless); a different graph version means the index is
stale and needs an incremental update.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from search.errors import IndexCorrupt, IndexManifestMismatch, StaleIndex
from search.vector_store import IndexKind

FORMAT_VERSION = 1
MANIFEST_FILE = "manifest.json"
ENTRIES_FILE = "entries.json"


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class IndexManifest:
    """What a saved index contains and how it was made."""

    model_id: str
    dimension: int
    count: int
    index_kind: IndexKind
    graph_version: str
    format_version: int = FORMAT_VERSION
    created_at: str = field(default_factory=_utc_now)

    def to_json(self) -> str:
        """Serialise as pretty-printed JSON (non-ASCII kept readable)."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, path: Path) -> IndexManifest:
        """Parse a manifest; ``path`` is only used in error messages."""
        try:
            raw: dict[str, Any] = json.loads(text)
            format_version = int(raw["format_version"])
            if format_version != FORMAT_VERSION:
                raise IndexManifestMismatch(path, "format version", format_version, FORMAT_VERSION, "this kgcat")
            return cls(
                model_id=str(raw["model_id"]),
                dimension=int(raw["dimension"]),
                count=int(raw["count"]),
                index_kind=IndexKind(raw["index_kind"]),
                graph_version=str(raw["graph_version"]),
                format_version=format_version,
                created_at=str(raw.get("created_at", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexCorrupt(path, f"bad {MANIFEST_FILE}: {exc!r}") from exc

    def check_encoder(self, path: Path, model_id: str, dimension: int) -> None:
        """Raise :class:`IndexManifestMismatch` unless the encoder matches the manifest."""
        if self.model_id != model_id:
            raise IndexManifestMismatch(path, "model", self.model_id, model_id)
        if self.dimension != dimension:
            raise IndexManifestMismatch(path, "dimension", self.dimension, dimension)

    def check_graph_version(self, path: Path, graph_version: str) -> None:
        """Raise :class:`StaleIndex` unless the index was built for ``graph_version``."""
        if self.graph_version != graph_version:
            raise StaleIndex(path, self.graph_version, graph_version)


def read_manifest(directory: Path) -> IndexManifest:
    """Read ``manifest.json`` from an index directory."""
    path = directory / MANIFEST_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise IndexCorrupt(directory, f"cannot read {MANIFEST_FILE}: {exc}") from exc
    return IndexManifest.from_json(text, directory)


def write_manifest(directory: Path, manifest: IndexManifest) -> Path:
    """Write ``manifest.json`` into ``directory`` and return its path."""
    path = directory / MANIFEST_FILE
    path.write_text(manifest.to_json(), encoding="utf-8")
    return path
