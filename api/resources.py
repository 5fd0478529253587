"""What the server holds open while it runs: the store, the query runner, the search index.

:func:`open_resources` is called by the app's lifespan (api/app.py); tests build a
:class:`Resources` around an in-memory store and install it with a dependency override.
Writes go through :meth:`Resources.written`, which bumps the content version (ETags) and tells
the query runner to reopen its read-only snapshots.
"""

from __future__ import annotations

import functools
import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rdflib import URIRef

from api.settings import Settings
from api.stores import open_store
from graph.catalogue import graph_version
from graph.describe import LabelCache
from graph.errors import StoreError
from graph.iris import IriMinter
from graph.query_runner import QueryLimits, QueryRunner, make_runner
from graph.remote_runner import RemoteQueryRunner
from graph.remote_store import SparqlProtocolStore
from graph.store import Store
from ontology import KgcatError
from search.catalogue_index import indexed_encoder_id, open_catalogue_index
from search.errors import SearchError
from search.ranker_process import Ranker, RankerProcess
from search.registry import make_encoder, serving_spec

logger = logging.getLogger(__name__)

REPRESENTATIONS_KEPT = 4096


class ContentVersion:
    """A fingerprint of what the store holds, for ETags: source hashes plus writes seen by this process."""

    def __init__(self, store: Store) -> None:
        self._boot = uuid.uuid4().hex[:8]
        self._generation = 0
        self._graphs = graph_version(store)

    @property
    def value(self) -> str:
        return f"{self._graphs}-{self._boot}-{self._generation}"

    def bump(self, store: Store) -> None:
        self._generation += 1
        self._graphs = graph_version(store)


@dataclass
class Resources:
    store: Store
    runner: QueryRunner
    minter: IriMinter
    ranker: Ranker | None = None
    search_problem: KgcatError | None = None
    """Why search is unavailable (no index yet, wrong model), when ``ranker`` is None."""
    index_version: str | None = None
    version: ContentVersion = field(init=False)
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    listings: dict[tuple[str, object], list[URIRef]] = field(default_factory=dict)
    """Dataset orders of /catalog per (content version, filter), computed once each."""
    cache_lock: threading.Lock = field(default_factory=threading.Lock)
    representations: OrderedDict[str, bytes] = field(default_factory=OrderedDict)
    """Recently served entity representations by ETag (which names the content version): an LRU."""
    labels: LabelCache = field(default_factory=LabelCache)
    """Labels of the nodes descriptions point to, until the next write."""

    def representation(self, etag: str, make: Callable[[], bytes]) -> bytes:
        """The body with this ETag, made once and kept among the last REPRESENTATIONS_KEPT."""
        with self.cache_lock:
            body = self.representations.get(etag)
            if body is not None:
                self.representations.move_to_end(etag)
                return body
        body = make()
        with self.cache_lock:
            self.representations[etag] = body
            while len(self.representations) > REPRESENTATIONS_KEPT:
                self.representations.popitem(last=False)
        return body

    def __post_init__(self) -> None:
        self.version = ContentVersion(self.store)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the write lock around a write; afterwards, even a failed one, readers see the store anew.

        A write that fails in process restores the store from its checkpoint (graph/journal.py), so
        the query workers must reopen their snapshots whether the write succeeded or not.
        """
        with self.write_lock:
            try:
                yield
            finally:
                self.written()

    def written(self) -> None:
        """Call after every write to the store (under ``write_lock``)."""
        self.runner.invalidate()
        self.labels.clear()
        self.version.bump(self.store)

    def close(self) -> None:
        if isinstance(self.ranker, RankerProcess):
            self.ranker.close()
        self.runner.close()
        self.store.close()


def limits_of(settings: Settings) -> QueryLimits:
    return QueryLimits(
        settings.query_timeout_s, settings.max_result_rows, settings.allow_service, settings.query_demote_after_s
    )


def _open_store(settings: Settings) -> tuple[Store, QueryRunner]:
    """The selected store (api/stores.py) and its query runner: worker processes, or the remote server."""
    if settings.remote_endpoint() is None and not settings.store_dir.exists():
        raise StoreError(f"no catalogue at {settings.store_dir}; run `kgcat build` first (or pass --data-dir)")
    store = open_store(settings, write=True)
    if isinstance(store, SparqlProtocolStore):
        return store, RemoteQueryRunner(store, limits_of(settings))
    return store, make_runner(
        store,
        limits_of(settings),
        workers=settings.query_workers,
        niceness=settings.worker_niceness,
    )


def open_resources(settings: Settings) -> Resources:
    """Open the store (read-write: the server is its only writer), start the query runner, load search
    (in ``settings.search_workers`` worker processes, or in this process when that is 0)."""
    store, runner = _open_store(settings)
    resources = Resources(store, runner, settings.minter())
    try:
        indexed = indexed_encoder_id(settings.index_dir)
        spec = serving_spec(settings.encoder, data_dir=settings.data_dir, indexed=indexed)  # converts at most once
        if settings.search_workers:
            encoder = functools.partial(make_encoder, spec, data_dir=settings.data_dir)
            ranker = RankerProcess(
                settings.index_dir, encoder, settings.search_workers, niceness=settings.worker_niceness
            )
            resources.ranker, resources.index_version = ranker, ranker.graph_version
        else:
            resources.ranker, resources.index_version = open_catalogue_index(
                settings.index_dir, make_encoder(spec, data_dir=settings.data_dir)
            )
    except SearchError as problem:
        logger.warning("search is unavailable: %s", problem)
        resources.search_problem = problem
    return resources
