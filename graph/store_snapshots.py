"""Snapshots of the live on-disk store for the query worker processes.

pyoxigraph documents a read-only instance of a directory that another process writes as
undefined behaviour, and it is: with the workers opening the live store, about one query in
four right after a write hung until its timeout (the primary's compaction deletes files the
fresh read-only instance is reading). So the workers never open the live directory. The server
takes a RocksDB checkpoint of the store (hard links: instant, no copy) into
``<store>.snapshots/<generation>`` at start and after every write, and the workers open the
newest one read-only: a directory nobody writes. A snapshot is removed once it is neither the
newest nor read by a running query; a worker that still holds an older one open reopens the
newest before its next query. Only the store's one writer (graph/store_lock.py) takes snapshots;
a read-write open of the store removes an earlier writer's leftovers (``snapshots_dir``).
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import uuid
from collections import Counter
from pathlib import Path

from graph.errors import StoreError
from graph.store import OxigraphStore, snapshots_dir


class StoreSnapshots:
    """The generations of snapshots of ``store`` (an on-disk store open for writing) and who reads them."""

    def __init__(self, store: OxigraphStore) -> None:
        if store.path is None or store.read_only:
            raise ValueError("snapshots are taken of an on-disk store open for writing")
        self._store = store
        self.root = snapshots_dir(store.path) / uuid.uuid4().hex[:12]  # this runner's: one writer, several runners
        self.root.mkdir(parents=True)
        self._lock = threading.Lock()
        self._paths: dict[int, Path] = {}
        self._readers: Counter[int] = Counter()
        self.generation = -1
        self.advance()

    def advance(self) -> None:
        """Snapshot the store as it is now; queries from here on read it."""
        with self._lock:
            target = self.root / str(self.generation + 1)
            try:
                self._store.snapshot(target)
            except OSError as error:
                shutil.rmtree(target, ignore_errors=True)
                raise StoreError(
                    f"the store was written, but the query workers could not be given a snapshot of it ({error}); "
                    "free disk space next to the store and restart the server"
                ) from error
            self.generation += 1
            self._paths[self.generation] = target
            self._prune()

    def acquire(self) -> tuple[int, Path]:
        """The newest generation and its directory, held until :meth:`release`."""
        with self._lock:
            self._readers[self.generation] += 1
            return self.generation, self._paths[self.generation]

    def release(self, generation: int) -> None:
        with self._lock:
            self._readers[generation] -= 1
            self._prune()

    def close(self) -> None:
        with self._lock:
            self._paths.clear()
            shutil.rmtree(self.root, ignore_errors=True)
            with contextlib.suppress(OSError):  # other runners' snapshots are still there
                self.root.parent.rmdir()

    def _prune(self) -> None:
        for generation in [g for g in self._paths if g != self.generation and self._readers[g] <= 0]:
            shutil.rmtree(self._paths.pop(generation), ignore_errors=True)
            del self._readers[generation]
