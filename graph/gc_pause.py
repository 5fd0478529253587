"""Keeping Python's cyclic garbage collector out of an import's allocation-heavy loops.

An import allocates millions of small containers (records, triples, rdflib terms) that reference
counting frees on its own: they form no cycles. Each collection those allocations trigger still
traverses every live tracked object, so while the importer builds a large file's records, or a
worker maps a batch, the collector took a fifth of the CPU or more (bench/RESULTS.md, "Import
CPU: the collector, …"). Reference counting keeps working meanwhile; only the search for cycles
waits, and it resumes afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic collection inside the block (it resumes afterwards if it was on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
