"""Crash safety for an on-disk store: a checkpoint and a journal around every source replacement.

Replacing a large named graph inside one Oxigraph transaction (``MOVE``) holds every change in
memory — measured here: 3.4 GB and 290 s for 1M quads. Instead, before a replacement the store
writes a journal naming the graph, then takes a RocksDB checkpoint (hard links: instant, no
copy) under a temporary name and renames it into place once complete; only then it deletes the
old graph in bounded chunks and bulk-loads the new one. On success the journal
and checkpoint are removed. If the process dies in between, the next open finds the journal and
puts the checkpoint back in place of the half-written store: the old state, never a mix. A
crash while the checkpoint is being taken leaves only the temporary one, which is discarded:
the store itself was not touched yet. If the
replacement fails in-process (a strict import meeting a bad record), the store is restored the
same way at once.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)


class Journal:
    """The journal and checkpoint of one store directory (``<store>.journal.json``, ``<store>.checkpoint``)."""

    def __init__(self, store_path: Path) -> None:
        self.store_path = store_path
        self.file = store_path.with_name(store_path.name + ".journal.json")
        self.checkpoint = store_path.with_name(store_path.name + ".checkpoint")
        self.partial_checkpoint = store_path.with_name(store_path.name + ".checkpoint.partial")

    @property
    def pending(self) -> bool:
        return self.file.exists()

    def begin(self, graph: str, take_checkpoint: Callable[[Path], None]) -> None:
        """Record that ``graph`` is being replaced, then take the checkpoint with ``take_checkpoint(directory)``.

        The checkpoint is written under a temporary name and renamed when complete, so a crash
        half-way through it never leaves a partial checkpoint that a roll-back would put in place.
        """
        for stale in (self.checkpoint, self.partial_checkpoint):
            if stale.exists():
                shutil.rmtree(stale)
        temporary = self.file.with_suffix(".tmp")
        temporary.write_text(json.dumps({"graph": graph, "checkpoint": str(self.checkpoint)}), encoding="utf-8")
        temporary.replace(self.file)
        take_checkpoint(self.partial_checkpoint)
        self.partial_checkpoint.rename(self.checkpoint)

    def commit(self) -> None:
        """The replacement is complete: forget the old state."""
        self.file.unlink(missing_ok=True)
        shutil.rmtree(self.checkpoint, ignore_errors=True)
        shutil.rmtree(self.partial_checkpoint, ignore_errors=True)

    def roll_back(self) -> None:
        """Put the checkpoint back in place of the store directory (the store must be closed)."""
        if not self.checkpoint.exists():  # the crash came before the checkpoint was complete: the store is intact
            shutil.rmtree(self.partial_checkpoint, ignore_errors=True)
            self.file.unlink(missing_ok=True)
            return
        graph = json.loads(self.file.read_text(encoding="utf-8")).get("graph", "?")
        logger.warning("restoring %s to its state before the interrupted replacement of %s", self.store_path, graph)
        broken = self.store_path.with_name(self.store_path.name + ".broken")
        shutil.rmtree(broken, ignore_errors=True)
        if self.store_path.exists():
            self.store_path.rename(broken)
        self.checkpoint.rename(self.store_path)
        self.file.unlink(missing_ok=True)
        shutil.rmtree(broken, ignore_errors=True)
