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
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from graph.gate import GateValidator, batch_reasons
from graph.iris import IriMinter
from graph.mapping import RecordMapper, Triple
from graph.records import record_from_row
from ontology import GATE_LAYERS, ShapesLayer, ValidationIssue, profile_graph, validate_graph
from ontology.dcat3_terms import DCAT3 as DCAT
from ontology.namespaces import RDF, RDFS, SH
from ontology.native_shacl import UnsupportedShapesError, compiled_layers, validate_parts, validate_triples

ROOT = Path(__file__).resolve().parents[2]
SHAPES_FIXTURES = ROOT / "tests" / "data" / "shapes"
CN_OPEN_DATA = "cn-gov-open-data"
STRATIFIED = "sample_stratified_3k.jsonl"
ALL_PORTALS = "cn_open_data_catalogue.jsonl.gz"
EXAMPLE = "https://example.org/"
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


CLASS_FIXTURES = [path for path in GATE_FIXTURES if path.stem.endswith(".class") or path.stem == "valid"]


@pytest.mark.parametrize("fixture", CLASS_FIXTURES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_class_membership_follows_the_profiles_subclass_axioms_as_pyshacl_does(fixture: Path) -> None:
    layer = ShapesLayer(fixture.parent.name)
    triples = list(Graph().parse(fixture, format="turtle") + profile_graph())
    assert any(p == RDFS.subClassOf for _, p, _ in triples)
    assert set(validate_triples(triples, (layer,))) == _pyshacl(triples, (layer,))


def test_an_instance_of_a_subclass_two_steps_down_is_an_instance_of_the_class() -> None:
    valid = Graph().parse(SHAPES_FIXTURES / "core" / "valid.ttl", format="turtle")
    catalogue = next(valid.subjects(RDF.type, DCAT.Catalog))
    valid.remove((catalogue, RDF.type, DCAT.Catalog))
    district, regional = URIRef("https://example.org/DistrictCatalog"), URIRef("https://example.org/RegionalCatalog")
    valid.add((catalogue, RDF.type, district))
    valid.add((district, RDFS.subClassOf, regional))
    valid.add((regional, RDFS.subClassOf, DCAT.Catalog))
    valid.add((DCAT.Catalog, RDFS.subClassOf, regional))  # a cycle changes nothing
    triples = list(valid + _context())

    assert validate_triples(triples, (ShapesLayer.CORE,)) == ()
    assert _pyshacl(triples, (ShapesLayer.CORE,)) == set()
    valid.remove((district, RDFS.subClassOf, regional))
    broken = {issue.constraint for issue in validate_triples(list(valid + _context()), (ShapesLayer.CORE,))}
    assert "ClassConstraintComponent" in broken  # DatasetInCatalog's sh:class dcat:Catalog fails


def test_validating_in_parts_with_shared_triples_finds_what_validating_the_whole_graph_finds() -> None:
    fixtures = [path for path in GATE_FIXTURES if path.parent.name == "core"][:12]
    whole: list[Triple] = []
    parts: list[list[Triple]] = []
    for number, fixture in enumerate(fixtures):  # each fixture's nodes renamed, so that they stay apart
        triples = [_renamed(triple, number) for triple in Graph().parse(fixture, format="turtle")]
        whole.extend(triples)
        parts.append([t for t in triples if not _is_shared(t)])
    shared = [t for t in whole if _is_shared(t)] + list(_context())

    report = validate_parts(shared, parts, (ShapesLayer.CORE,))

    expected = set(validate_triples(whole + list(_context()), (ShapesLayer.CORE,)))
    assert expected, "the fixtures break constraints, so there is something to compare"
    assert set(report.issues) == expected == _pyshacl(whole + list(_context()), (ShapesLayer.CORE,))
    assert not report.conforms
    results = set(report.report_graph.subjects(RDF.type, SH.ValidationResult))
    assert len(results) >= len(report.issues)
    assert {str(report.report_graph.value(r, SH.focusNode)) for r in results} == {i.focus_node for i in expected}
    assert report.labels, "focus nodes with a title are named"


def _renamed(triple: Triple, number: int) -> Triple:
    def rename(node: Node) -> Node:
        if isinstance(node, URIRef) and str(node).startswith(EXAMPLE):
            return URIRef(f"{node}-{number}")
        return node

    s, p, o = triple
    return rename(s), p, rename(o)


def _is_shared(triple: Triple) -> bool:
    """The agents' triples go to the shared ones, as a store's departments do, unless they point into a part."""
    subject, _, value = triple
    points_into_a_part = isinstance(value, BNode) or (str(value).startswith(EXAMPLE) and not _is_agent(value))
    return _is_agent(subject) and not points_into_a_part


def _is_agent(node: Node) -> bool:
    return any(word in str(node) for word in ("-government-", "-bureau-"))


def test_shapes_beyond_the_supported_subset_are_refused_not_misread() -> None:
    with pytest.raises(UnsupportedShapesError):
        compiled_layers((ShapesLayer.DCAT_AP,))
