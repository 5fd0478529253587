"""Searches in a worker process answer exactly as in process, carry errors back, and survive a dead worker."""

from __future__ import annotations

import functools
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from process_priority import niceness_of

from graph.catalogue import build_catalogue
from graph.importer import ImportOptions
from graph.iris import IriMinter
from graph.priority import below_own
from graph.store import OxigraphStore
from search.catalogue_index import build_catalogue_index, open_catalogue_index
from search.errors import IndexManifestMismatch, IndexNotFound, SearchWorkerDied
from search.ranker_process import RankerProcess
from search.results import Filters
from search.testing import HashingEncoder

FAKE = functools.partial(HashingEncoder, dimension=64)
QUERIES = ("充电桩 数据", "行道树", "老房子 风貌保护", "火星 殖民 计划")


@pytest.fixture(scope="module")
def catalogue_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = OxigraphStore(None)
    build_catalogue(store, IriMinter(), ImportOptions())
    directory = tmp_path_factory.mktemp("ranker") / "index"
    build_catalogue_index(store, FAKE(), directory)
    return directory


@pytest.fixture(scope="module")
def worker(catalogue_index: Path) -> Iterator[RankerProcess]:
    ranker = RankerProcess(catalogue_index, FAKE)
    yield ranker
    ranker.close()


def test_worker_answers_as_the_in_process_ranker(catalogue_index: Path, worker: RankerProcess) -> None:
    local, version = open_catalogue_index(catalogue_index, FAKE())
    assert worker.graph_version == version
    for query in QUERIES:
        assert worker.search(query, 10).to_json() == local.search(query, 10).to_json()
    only_datasets = Filters(types=("Dataset",))
    assert worker.search("数据", 5, only_datasets).to_json() == local.search("数据", 5, only_datasets).to_json()


def test_missing_index_raises_index_not_found(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound, match="kgcat index --rebuild"):
        RankerProcess(tmp_path / "nothing", FAKE)


def test_index_of_another_encoder_is_refused(catalogue_index: Path) -> None:
    with pytest.raises(IndexManifestMismatch) as raised:
        RankerProcess(catalogue_index, functools.partial(HashingEncoder, dimension=64, model_id="another-model"))
    assert raised.value.field == "model"


def test_a_dead_worker_fails_one_search_and_is_replaced(catalogue_index: Path) -> None:
    ranker = RankerProcess(catalogue_index, FAKE)
    try:
        (pid,) = ranker.worker_pids
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(SearchWorkerDied, match="retry"):
            ranker.search("行道树", 5)
        assert ranker.search("行道树", 5).results
        assert ranker.worker_pids != [pid]
    finally:
        ranker.close()


def test_workers_run_the_given_levels_below_the_server(catalogue_index: Path) -> None:
    ranker = RankerProcess(catalogue_index, FAKE, 2, niceness=4)
    try:
        assert [niceness_of(pid) for pid in ranker.worker_pids] == [below_own(4)] * 2  # capped at nice 19
        assert ranker.search("行道树", 5).results  # and they answer as before
    finally:
        ranker.close()


def test_a_niceness_outside_what_the_os_allows_is_refused(catalogue_index: Path) -> None:
    with pytest.raises(ValueError, match="from 0 to 19"):
        RankerProcess(catalogue_index, FAKE, niceness=20)
