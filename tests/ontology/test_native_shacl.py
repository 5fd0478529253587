"""The native SHACL validator gives exactly pySHACL's results for the gate layers.

Checked on every shapes fixture (each breaks one constraint of the core or vocabularies layer)
and on real registration records: the CN-PDS stratified sample (58 portals) and the CN-PDS
records the gate rejects, batch by batch as an import validates them.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from graph.gate import GateValidator, batch_reasons
from graph.iris import IriMinter
from graph.mapping import RecordMapper, Triple
from graph.records import record_from_row
from ontology import GATE_LAYERS, ShapesLayer, ValidationIssue, profile_graph, validate_graph
from ontology.namespaces import RDFS
from ontology.native_shacl import UnsupportedShapesError, compiled_layers, validate_triples

ROOT = Path(__file__).resolve().parents[2]
SHAPES_FIXTURES = ROOT / "tests" / "data" / "shapes"
CN_OPEN_DATA = "cn-gov-open-data"
STRATIFIED = "sample_stratified_3k.jsonl"
ALL_PORTALS = "cn_open_data_catalogue.jsonl.gz"
GATE_FIXTURES = sorted(path for layer in GATE_LAYERS for path in (SHAPES_FIXTURES / layer.value).glob("*.ttl"))


def _context() -> Graph:
    """The concept schemes the vocabulary fixtures refer to (without subclass axioms: see the last tests)."""
    context = Graph()
    for triple in profile_graph():
        if triple[1] != RDFS.subClassOf:
            context.add(triple)
    return context


def _pyshacl(triples: list[Triple], layers: tuple[ShapesLayer, ...]) -> set[ValidationIssue]:
    data = Graph()
    for triple in triples:
        data.add(triple)
    return set(validate_graph(data, layers).issues)


@pytest.mark.parametrize("fixture", GATE_FIXTURES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_native_results_equal_pyshacl_results_on_every_gate_fixture(fixture: Path) -> None:
    layer = ShapesLayer(fixture.parent.name)
    triples = list(Graph().parse(fixture, format="turtle") + _context())
    expected = _pyshacl(triples, (layer,))
    assert set(validate_triples(triples, (layer,))) == expected
    if fixture.stem != "valid":
        assert expected, "the fixture breaks a constraint, so there is something to compare"


def _mapped_batches(rows: Iterator[dict[str, object]], size: int = 1000) -> Iterator[list[list[Triple]]]:
    mapper = RecordMapper(IriMinter())
    batch: list[list[Triple]] = []
    for line, row in enumerate(rows, start=1):
        batch.append(mapper.map(record_from_row(row, line)).triples)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _assert_same_reasons(batch: list[list[Triple]]) -> dict[int, set[str]]:
    native = {index: set(reasons) for index, reasons in batch_reasons(batch, GateValidator.NATIVE).items()}
    reference = {index: set(reasons) for index, reasons in batch_reasons(batch, GateValidator.PYSHACL).items()}
    assert native == reference
    return native


@pytest.mark.slow
def test_native_gate_equals_pyshacl_gate_on_the_stratified_sample_of_all_portals(peer_dir: Path) -> None:
    sample = peer_dir / CN_OPEN_DATA / STRATIFIED
    rows = (json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines() if line.strip())
    for batch in _mapped_batches(rows):
        _assert_same_reasons(batch)


def _records_likely_rejected(all_portals: Path) -> Iterator[dict[str, object]]:
    """CN-PDS records with an empty publisher or title (what the gate rejects there), and their neighbours."""
    with gzip.open(all_portals, "rt", encoding="utf-8") as handle:
        previous: dict[str, object] | None = None
        for line in handle:
            row = json.loads(line)
            if row.get("duplicate_of"):
                continue
            if not row.get("publisher") or not row.get("title"):
                if previous is not None:
                    yield previous  # a conforming record of the same portal in the same batch
                yield row
            previous = row


@pytest.mark.slow
def test_native_gate_equals_pyshacl_gate_on_the_real_records_the_gate_rejects(peer_dir: Path) -> None:
    rows = _records_likely_rejected(peer_dir / CN_OPEN_DATA / ALL_PORTALS)
    rejected = 0
    batch = next(_mapped_batches(rows))  # one batch of 1,000 keeps the test within seconds of pySHACL time
    rejected += len(_assert_same_reasons(batch))
    assert rejected > 100, "the batches hold real rejected records"


def test_subclass_axioms_in_the_data_send_the_gate_to_pyshacl() -> None:
    fixture = Graph().parse(SHAPES_FIXTURES / "core" / "DatasetPublisher.class.ttl", format="turtle")
    triples = list(fixture + profile_graph())
    assert any(p == RDFS.subClassOf for _, p, _ in triples)
    with pytest.raises(UnsupportedShapesError, match="subclasses"):
        validate_triples(triples, GATE_LAYERS)
    native = batch_reasons([triples], GateValidator.NATIVE)
    assert native == batch_reasons([triples], GateValidator.PYSHACL)
    assert native, "the fixture's dataset is rejected by both paths"


def test_shapes_beyond_the_supported_subset_are_refused_not_misread() -> None:
    with pytest.raises(UnsupportedShapesError):
        compiled_layers((ShapesLayer.DCAT_AP,))
