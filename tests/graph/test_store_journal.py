"""Crash safety of an on-disk store: an interrupted replacement is rolled back on the next open."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from graph.errors import StoreError
from graph.journal import Journal
from graph.store import OxigraphStore

GRAPH = URIRef("https://example.org/graph/source")
SUBJECT = URIRef("https://example.org/thing")
P = URIRef("https://example.org/p")


def _value(store: OxigraphStore) -> list[str]:
    return [str(row["o"]) for row in store.query(f"SELECT ?o WHERE {{ <{SUBJECT}> <{P}> ?o }}").rows]


def test_a_replacement_interrupted_by_a_crash_is_rolled_back_on_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = OxigraphStore(path)
    store.replace_graph(GRAPH, [(SUBJECT, P, Literal("old"))])
    # What replace_graph does before it dies half-way: checkpoint, journal, old graph gone, part of the new one.
    raw = store._store
    Journal(path).begin(str(GRAPH), lambda directory: store.native.backup(str(directory)))
    raw.remove_graph(ox.NamedNode(str(GRAPH)))
    raw.add(ox.Quad(ox.NamedNode(str(SUBJECT)), ox.NamedNode(str(P)), ox.Literal("half-new"), ox.NamedNode(str(GRAPH))))
    raw.flush()
    del raw
    store.close()  # the process "dies" here: no commit

    reopened = OxigraphStore(path)
    assert _value(reopened) == ["old"]
    assert not Journal(path).pending
    reopened.close()


def test_a_completed_replacement_leaves_no_journal_or_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = OxigraphStore(path)
    store.replace_graph(GRAPH, [(SUBJECT, P, Literal("one"))])
    store.replace_graph(GRAPH, [(SUBJECT, P, Literal("two"))])
    assert _value(store) == ["two"]
    assert not Journal(path).pending
    assert not Journal(path).checkpoint.exists()
    store.close()


def test_a_replacement_that_fails_in_process_restores_the_old_graph_at_once(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    store.replace_graph(GRAPH, [(SUBJECT, P, Literal("old"))])

    def failing() -> object:
        yield (SUBJECT, P, Literal("new"))
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        store.replace_graph(GRAPH, failing())  # type: ignore[arg-type]
    assert _value(store) == ["old"]
    store.close()


def test_a_crash_while_the_checkpoint_is_taken_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = OxigraphStore(path)
    store.replace_graph(GRAPH, [(SUBJECT, P, Literal("old"))])

    def dies_half_way(directory: Path) -> None:
        directory.mkdir()
        (directory / "CURRENT").write_text("half a checkpoint", encoding="utf-8")
        raise KeyboardInterrupt  # stands for the process dying here: nothing after this line runs

    with pytest.raises(KeyboardInterrupt):
        Journal(path).begin(str(GRAPH), dies_half_way)
    store.close()

    reopened = OxigraphStore(path)  # the journal is pending, the checkpoint incomplete: nothing is put back
    assert _value(reopened) == ["old"]
    assert not Journal(path).pending
    assert not Journal(path).partial_checkpoint.exists()
    reopened.close()


def test_removing_a_graph_on_disk_goes_through_the_journal(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    store.replace_graph(GRAPH, [(SUBJECT, P, Literal("old"))])

    assert store.remove_graph(GRAPH)
    assert _value(store) == []
    assert not Journal(tmp_path / "store").pending
    store.close()


def test_an_interrupted_union_rebuild_after_an_update_is_finished_on_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = OxigraphStore(path)
    store.replace_graph(GRAPH, [(SUBJECT, P, Literal("old"))])
    store.update(f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{SUBJECT}> <{P}> "added" }} }}')
    assert sorted(_value(store)) == ["added", "old"]
    # What a process dying during the union rebuild leaves: the marker, and a union (the default graph)
    # missing triples; not empty, so only the marker tells the next open to finish it.
    path.with_name("store.union-rebuild").write_text("rebuilding", encoding="utf-8")
    store.native.remove(ox.Quad(ox.NamedNode(str(SUBJECT)), ox.NamedNode(str(P)), ox.Literal("added")))
    assert _value(store) == ["old"]
    store.close()

    reopened = OxigraphStore(path)
    assert sorted(_value(reopened)) == ["added", "old"]
    assert not path.with_name("store.union-rebuild").exists()
    reopened.close()


def _replaced_with_journal_left(path: Path) -> OxigraphStore:
    """A store whose graph went from "old" to "new" through the journal, stopped just before the commit."""
    store = OxigraphStore(path)
    store.replace_graph(GRAPH, [(SUBJECT, P, Literal("old"))])
    Journal(path).begin(str(GRAPH), lambda directory: store.native.backup(str(directory)))
    store.native.remove_graph(ox.NamedNode(str(GRAPH)))
    store.native.clear_graph(ox.DefaultGraph())  # the union of the sources
    for graph in (ox.NamedNode(str(GRAPH)), ox.DefaultGraph()):
        store.native.add(ox.Quad(ox.NamedNode(str(SUBJECT)), ox.NamedNode(str(P)), ox.Literal("new"), graph))
    return store


def test_a_crash_in_the_commit_after_the_checkpoint_was_set_aside_keeps_the_new_state(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = _replaced_with_journal_left(path)
    journal = Journal(path)
    journal.checkpoint.rename(journal.discarded_checkpoint)  # the commit's first step, then the process dies
    store.close()

    reopened = OxigraphStore(path)
    assert _value(reopened) == ["new"]
    assert not journal.pending
    assert not journal.discarded_checkpoint.exists()
    reopened.close()


def test_a_crash_in_the_commit_after_the_journal_went_leaves_no_checkpoint_behind(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = _replaced_with_journal_left(path)
    journal = Journal(path)
    journal.checkpoint.rename(journal.discarded_checkpoint)
    journal.file.unlink()  # the commit's second step, then the process dies before removing the checkpoint
    store.close()

    reopened = OxigraphStore(path)
    assert _value(reopened) == ["new"]
    assert not journal.discarded_checkpoint.exists() and not journal.checkpoint.exists()
    reopened.close()


def test_a_second_writer_is_refused_and_leaves_the_first_ones_replacement_alone(tmp_path: Path) -> None:
    path = tmp_path / "store"
    first = _replaced_with_journal_left(path)  # mid-replacement: its journal and checkpoint are live

    with pytest.raises(StoreError, match="open for writing in another process"):
        OxigraphStore(path)
    assert Journal(path).pending and Journal(path).checkpoint.exists()  # nothing rolled back under it
    Journal(path).commit()
    first.close()

    again = OxigraphStore(path)  # the lock went with the first writer
    assert _value(again) == ["new"]
    again.close()
