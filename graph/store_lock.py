"""One writer per store directory: an exclusive lock taken before anything on disk is touched.

RocksDB locks its directory too, but only once the store is open; before that, a read-write open
rolls back an interrupted replacement (graph/journal.py). Without this lock a second writer (a
`kgcat import` while `kgcat serve` imports) would take the live process's journal for a crash
and put its checkpoint back under it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from graph.errors import StoreError


class StoreLock:
    """An exclusive ``flock`` on ``<store>.lock``, held from :meth:`acquire` to :meth:`release`."""

    def __init__(self, store_path: Path) -> None:
        self.store_path = store_path
        self.file = store_path.with_name(store_path.name + ".lock")
        self._descriptor: int | None = None

    def acquire(self) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise StoreError(
                f"the store at {self.store_path} is open for writing in another process (e.g. "
                "`kgcat serve` or an import): stop that process, or write through its API, or point "
                "--data-dir elsewhere"
            ) from None
        self._descriptor = descriptor

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing the descriptor drops the lock
            self._descriptor = None
