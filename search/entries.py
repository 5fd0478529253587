"""The id mapping between document keys and faiss vector ids.

Each indexed document owns one vector id; a changed document gets a *new* id (its
old one is removed or tombstoned), so an id is never reused for different content.
The table is saved as ``entries.json`` next to the faiss file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from search.errors import IndexCorrupt
from search.manifest import ENTRIES_FILE


@dataclass(frozen=True, slots=True)
class Entry:
    """An indexed document: its key, the hash of its embedded text, its vector id."""

    key: str
    content_hash: str
    vector_id: int


class EntryTable:
    """Mutable key -> :class:`Entry` mapping with a reverse id -> key lookup."""

    def __init__(self, entries: list[Entry] | None = None, next_id: int = 0) -> None:
        self._by_key: dict[str, Entry] = {}
        self._key_by_id: dict[int, str] = {}
        self._next_id = next_id
        for entry in entries or []:
            self.put(entry)

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._by_key.values())

    def get(self, key: str) -> Entry | None:
        """Return the entry for ``key``, or None."""
        return self._by_key.get(key)

    def key_for(self, vector_id: int) -> str | None:
        """Return the key owning ``vector_id``, or None if it is no longer live."""
        return self._key_by_id.get(vector_id)

    def allocate_ids(self, count: int) -> list[int]:
        """Reserve ``count`` fresh vector ids."""
        start = self._next_id
        self._next_id += count
        return list(range(start, self._next_id))

    def put(self, entry: Entry) -> Entry | None:
        """Insert or replace the entry for ``entry.key``; return the replaced one."""
        old = self._by_key.get(entry.key)
        if old is not None:
            del self._key_by_id[old.vector_id]
        self._by_key[entry.key] = entry
        self._key_by_id[entry.vector_id] = entry.key
        self._next_id = max(self._next_id, entry.vector_id + 1)
        return old

    def pop(self, key: str) -> Entry:
        """Remove and return the entry for ``key`` (KeyError if absent)."""
        entry = self._by_key.pop(key)
        del self._key_by_id[entry.vector_id]
        return entry

    def hash_to_id(self) -> dict[str, int]:
        """Map each stored content hash to one vector id holding its embedding."""
        return {entry.content_hash: entry.vector_id for entry in self._by_key.values()}

    def write(self, directory: Path) -> Path:
        """Write ``entries.json`` into ``directory``."""
        rows = [[e.key, e.content_hash, e.vector_id] for e in self._by_key.values()]
        payload = {"next_id": self._next_id, "entries": rows}
        path = directory / ENTRIES_FILE
        path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        return path

    @classmethod
    def read(cls, directory: Path) -> EntryTable:
        """Read ``entries.json`` from ``directory``."""
        path = directory / ENTRIES_FILE
        try:
            payload: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            entries = [Entry(str(k), str(h), int(i)) for k, h, i in payload["entries"]]
            table = cls(entries, int(payload["next_id"]))
        except (OSError, KeyError, TypeError, ValueError) as exc:
            raise IndexCorrupt(directory, f"bad {ENTRIES_FILE}: {exc!r}") from exc
        if len(table) != len(entries) or len(table._key_by_id) != len(entries):
            raise IndexCorrupt(directory, f"duplicate keys or vector ids in {ENTRIES_FILE}")
        return table
