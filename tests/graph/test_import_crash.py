"""Crash safety for real: ``kgcat import`` is killed with SIGKILL while it rewrites a source.

A source holds a small first version; a larger second version of the same source is imported
by a ``kgcat import`` subprocess, which is killed at several moments after it started writing
(its journal exists: the old graph is being deleted or the new one loaded). Afterwards the store
opens, the source holds exactly the old or exactly the new state (same content hash, same
datasets, same triples), the union graph agrees with the sources, and the search index
rebuilds against it.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import URIRef

from graph.catalogue import graph_version
from graph.iris import IriMinter
from graph.journal import Journal
from graph.store import OxigraphStore
from search.catalogue_index import build_catalogue_index, open_catalogue_index
from search.testing import HashingEncoder

pytestmark = pytest.mark.slow

KGCAT = str(Path(sys.executable).with_name("kgcat"))
KEY = "crash-source"
KILL_FRACTIONS = (0.02, 0.2, 0.5, 0.9)
"""When to kill, as fractions of how long an uninterrupted import of the new file writes (measured first)."""
IMPORT_TIME = URIRef("http://www.w3.org/ns/prov#generatedAtTime")
"""The one triple of a source that differs between two imports of the same bytes."""


def write_records(path: Path, count: int, prefix: str) -> Path:
    publisher, region, domain = "上海市徐汇区绿化和市容管理局", "上海市徐汇区", "生态环境保护"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "publisher", "region", "domain", "keywords"])
        for number in range(count):
            title, keywords = f"{prefix}数据资源{number}表", f"关键词{number % 50};{prefix}"
            writer.writerow([f"{prefix}-{number:05d}", title, publisher, region, domain, keywords])
    return path


def environment(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "KGCAT_DATA_DIR": str(data_dir), "KGCAT_LOG_LEVEL": "WARNING"}


def run_import(data_dir: Path, records: Path) -> None:
    done = subprocess.run(
        [KGCAT, "import", str(records), "--graph", KEY], env=environment(data_dir), capture_output=True, timeout=900
    )
    assert done.returncode == 0, done.stderr.decode()


def start_import(data_dir: Path, records: Path) -> subprocess.Popen[bytes]:
    command = [KGCAT, "import", str(records), "--graph", KEY]
    return subprocess.Popen(command, env=environment(data_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def source_state(store: OxigraphStore, graph: URIRef) -> tuple[str | None, frozenset[str]]:
    """(content hash, every triple of the source as N-Triples-ish text but the import time)."""
    return store.source_hash(graph), frozenset(
        " ".join(node.n3() for node in triple) for triple in store.triples(graph) if triple[1] != IMPORT_TIME
    )


def wait_until_writing(journal: Journal, importing: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 300
    while not journal.pending and importing.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    assert journal.pending, "the import never started writing"


def timed_import(data_dir: Path, records: Path) -> float:
    """Runs an import to its end: seconds from its journal appearing (writing started) to its exit."""
    journal = Journal(data_dir / "store")
    importing = start_import(data_dir, records)
    wait_until_writing(journal, importing)
    started = time.monotonic()
    assert importing.wait(timeout=900) == 0
    return time.monotonic() - started


def union_agrees_with_sources(store: OxigraphStore) -> bool:
    rows = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(?g != <urn:kgcat:union>) } }"
    ).rows
    return int(str(rows[0]["n"])) == len(store)


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A data dir holding the old version of the source, the new file, both states for comparison, and how
    long the new version takes to write."""
    base = tmp_path_factory.mktemp("crash")
    old_file = write_records(base / "old.csv", 30, "old")
    new_file = write_records(base / "new.csv", 6000, "new")
    old_dir, new_dir = base / "old-data", base / "new-data"
    run_import(old_dir, old_file)
    shutil.copytree(old_dir, new_dir)
    write_s = timed_import(new_dir, new_file)
    graph = IriMinter().source_graph(KEY)
    states: dict[str, object] = {"old_dir": old_dir, "new_file": new_file, "graph": graph, "write_s": write_s}
    for name, data_dir in (("old", old_dir), ("new", new_dir)):
        store = OxigraphStore(data_dir / "store", read_only=True)
        states[name] = source_state(store, graph)
        store.close()
    return states


def kill_import_after(states: dict[str, object], data_dir: Path, delay_s: float) -> bool:
    """Starts the import of the new version, kills it (SIGKILL) ``delay_s`` after it started writing;
    whether it was still writing when killed."""
    shutil.copytree(states["old_dir"], data_dir)  # type: ignore[arg-type]
    journal = Journal(data_dir / "store")
    importing = start_import(data_dir, states["new_file"])  # type: ignore[arg-type]
    wait_until_writing(journal, importing)
    time.sleep(delay_s)
    killed_mid_write = importing.poll() is None and journal.pending
    importing.send_signal(signal.SIGKILL)
    importing.wait(timeout=30)
    return killed_mid_write


def test_a_killed_import_leaves_the_old_or_the_new_state_never_a_mix(states: dict[str, object], tmp_path: Path) -> None:
    kills_mid_write = 0
    for fraction in KILL_FRACTIONS:
        data_dir = tmp_path / f"data-{fraction}"
        killed_mid_write = kill_import_after(states, data_dir, fraction * states["write_s"])  # type: ignore[operator]
        kills_mid_write += killed_mid_write

        store = OxigraphStore(data_dir / "store")
        state = source_state(store, states["graph"])  # type: ignore[arg-type]
        assert state in (states["old"], states["new"]), f"killed at {fraction:.0%}: the source holds a mix"
        assert state == states["old"] or not killed_mid_write, f"killed at {fraction:.0%} mid-write, not rolled back"
        journal = Journal(data_dir / "store")
        assert not journal.pending and not journal.checkpoint.exists()
        assert union_agrees_with_sources(store)
        index_dir = tmp_path / f"index-{fraction}"
        build_catalogue_index(store, HashingEncoder(dimension=32), index_dir)
        _, index_version = open_catalogue_index(index_dir, HashingEncoder(dimension=32))
        assert index_version == graph_version(store)
        store.close()
    # the kill moments scale with the measured write time, so most of them interrupt the import
    assert kills_mid_write >= 2, f"only {kills_mid_write} of {len(KILL_FRACTIONS)} kills landed while writing"
