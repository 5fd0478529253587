"""Every constraint of the profile's shapes layers has a fixture that breaks it, and only it.

A *constraint* is one constraint parameter (sh:minCount, sh:datatype, sh:in …) of one shape:
of a property shape, or of a node shape itself (node-level, e.g. sh:nodeKind sh:IRI). The
fixture ``tests/data/shapes/<layer>/<shape>.<parameter>.ttl`` is the layer's valid example
(``valid.ttl``) with exactly that constraint broken. The constraints are read from the shapes
files, so a new shape or parameter without a fixture fails the build here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ontology import PROFILE_LAYERS, Severity, ShapesLayer, ValidationIssue, load_shapes, profile_graph, validate_graph
from ontology.namespaces import RDF, RDFS, SH

SHAPES_FIXTURES = Path(__file__).resolve().parents[1] / "data" / "shapes"

NOT_CONSTRAINTS = frozenset(
    {
        RDF.type,
        RDFS.label,
        RDFS.comment,
        SH.path,
        SH.message,
        SH.severity,
        SH.name,
        SH.description,
        SH.order,
        SH.group,
        SH.deactivated,
        SH.property,
        SH.targetClass,
        SH.targetNode,
        SH.targetSubjectsOf,
        SH.targetObjectsOf,
        SH.flags,  # a modifier of sh:pattern
        SH.qualifiedValueShape,  # the shape of sh:qualifiedMinCount / sh:qualifiedMaxCount
        SH.qualifiedValueShapesDisjoint,
        SH.ignoredProperties,  # a modifier of sh:closed
    }
)
"""Shape predicates that are not constraint parameters; every other predicate of a shape is one."""

COMPANIONS: dict[str, frozenset[str]] = {
    # A literal without a language tag is both not rdf:langString and outside every language range.
    "core/DatasetTitle.datatype": frozenset({"core/DatasetTitle.languageIn"}),
    "core/DatasetDescription.datatype": frozenset({"core/DatasetDescription.languageIn"}),
    "core/DatasetKeyword.datatype": frozenset({"core/DatasetKeyword.languageIn"}),
    "core/CatalogShape-title.datatype": frozenset({"core/CatalogShape-title.languageIn"}),
    "core/AgentShape-name.datatype": frozenset({"core/AgentShape-name.languageIn"}),
    "core/AgentShape-altLabel.datatype": frozenset({"core/AgentShape-altLabel.languageIn"}),
    "core/LabelledEntityShape-prefLabel.datatype": frozenset({"core/LabelledEntityShape-prefLabel.languageIn"}),
    # The empty string is shorter than 1 and has no non-space character.
    "core/DatasetTitleNotEmpty.minLength": frozenset({"core/DatasetTitleNotEmpty.pattern"}),
    # A blank-node agent or distribution is itself a target of the agent / distribution shape.
    "core/DatasetPublisher.nodeKind": frozenset({"core/AgentShape.nodeKind"}),
    "core/AgentShape-subOrganizationOf.nodeKind": frozenset({"core/AgentShape.nodeKind"}),
    "core/DatasetDistribution.nodeKind": frozenset({"core/DistributionShape.nodeKind"}),
    # The theme concept shape is reached only through sh:node, so the dataset's theme fails with it
    # (and pySHACL reports the concept's own failure as the sh:detail of that result).
    "vocabularies/ThemeConceptShape.class": frozenset({"vocabularies/DatasetCodedValuesShape-theme.node"}),
    "vocabularies/ThemeConceptShape-inScheme.minCount": frozenset({"vocabularies/DatasetCodedValuesShape-theme.node"}),
    "vocabularies/ThemeConceptShape-inScheme.in": frozenset({"vocabularies/DatasetCodedValuesShape-theme.node"}),
    "vocabularies/ThemeConceptShape-prefLabel.qualifiedMinCount": frozenset(
        {"vocabularies/DatasetCodedValuesShape-theme.node"}
    ),
    # sh:node fails because the concept fails its shape: an undescribed IRI fails all three of its checks.
    "vocabularies/DatasetCodedValuesShape-theme.node": frozenset(
        {
            "vocabularies/ThemeConceptShape.class",
            "vocabularies/ThemeConceptShape-inScheme.minCount",
            "vocabularies/ThemeConceptShape-prefLabel.qualifiedMinCount",
        }
    ),
}
"""Constraints a fixture cannot help breaking along with its own, and why."""


@dataclass(frozen=True)
class Constraint:
    """One constraint parameter of one shape, with what a result of it must carry."""

    layer: ShapesLayer
    name: str  # <shape>.<parameter>
    component: str  # e.g. MinCountConstraintComponent
    path: str | None  # as ValidationIssue shows it; None for node-level constraints
    severity: Severity
    messages: dict[str, str]

    @property
    def id(self) -> str:
        return f"{self.layer.value}/{self.name}"

    @property
    def fixture(self) -> Path:
        return SHAPES_FIXTURES / self.layer.value / f"{self.name}.ttl"

    def produced(self, issue: ValidationIssue) -> bool:
        """Whether ``issue`` is a result of this constraint (its messages name the shape)."""
        return (
            issue.layer == self.layer.value
            and issue.constraint == self.component
            and issue.path == self.path
            and issue.message_en == self.messages.get("en")
        )


def _local_name(node: Node) -> str:
    return re.split(r"[#/]", str(node))[-1]


def _shape_name(shapes: Graph, shape: Node) -> str:
    if isinstance(shape, URIRef):
        return _local_name(shape)
    owners = sorted(_local_name(owner) for owner in shapes.subjects(SH.property, shape))
    path = shapes.value(shape, SH.path)
    if isinstance(path, BNode):
        return f"{owners[0]}-inverse-{_local_name(shapes.value(path, SH.inversePath))}"
    return f"{owners[0]}-{_local_name(path)}"


def _path(shapes: Graph, shape: Node) -> str | None:
    path = shapes.value(shape, SH.path)
    if isinstance(path, BNode):
        return f"^{shapes.value(path, SH.inversePath)}"
    return None if path is None else str(path)


def _shapes(shapes: Graph) -> list[Node]:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    property_shapes = set(shapes.objects(None, SH.property)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    return sorted(node_shapes | property_shapes, key=lambda shape: _shape_name(shapes, shape))


@cache
def constraints(layer: ShapesLayer) -> tuple[Constraint, ...]:
    """The constraints of one layer, read from its shapes file."""
    shapes = load_shapes(layer)
    found = []
    for shape in _shapes(shapes):
        messages = {m.language or "": str(m) for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)}
        severity = Severity.from_iri(shapes.value(shape, SH.severity))
        for parameter in sorted({p for p in shapes.predicates(shape, None) if p not in NOT_CONSTRAINTS}):
            local = _local_name(parameter)
            component = local[0].upper() + local[1:] + "ConstraintComponent"
            name = f"{_shape_name(shapes, shape)}.{local}"
            found.append(Constraint(layer, name, component, _path(shapes, shape), severity, messages))
    return tuple(found)


ALL_CONSTRAINTS = [constraint for layer in PROFILE_LAYERS for constraint in constraints(layer)]
BY_ID = {constraint.id: constraint for constraint in ALL_CONSTRAINTS}


def _fixture_graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@pytest.mark.parametrize("layer", PROFILE_LAYERS, ids=str)
def test_every_constraint_of_the_layer_has_a_fixture_and_every_fixture_a_constraint(layer: ShapesLayer) -> None:
    expected = {constraint.name for constraint in constraints(layer)}
    on_disk = {path.stem for path in (SHAPES_FIXTURES / layer.value).glob("*.ttl")} - {"valid"}
    assert sorted(expected - on_disk) == [], "constraints without a failing fixture"
    assert sorted(on_disk - expected) == [], "fixtures for constraints the layer no longer has"


@pytest.mark.parametrize("layer", PROFILE_LAYERS, ids=str)
def test_every_constraint_has_a_message_in_chinese_and_english(layer: ShapesLayer) -> None:
    missing = [c.name for c in constraints(layer) if not (c.messages.get("zh") and c.messages.get("en"))]
    assert missing == []


@pytest.mark.parametrize("layer", PROFILE_LAYERS, ids=str)
def test_each_shape_has_its_own_message_so_a_result_names_its_shape(layer: ShapesLayer) -> None:
    shape_of_message: dict[str, set[str]] = {}
    for constraint in constraints(layer):
        shape = constraint.name.rsplit(".", 1)[0]
        shape_of_message.setdefault(constraint.messages.get("en", ""), set()).add(shape)
    assert {message: shapes for message, shapes in shape_of_message.items() if len(shapes) > 1} == {}


def test_companion_breaks_name_known_constraints() -> None:
    named = set(COMPANIONS) | {companion for companions in COMPANIONS.values() for companion in companions}
    assert sorted(named - set(BY_ID)) == []


@pytest.mark.parametrize("layer", PROFILE_LAYERS, ids=str)
def test_valid_example_conforms_to_its_layer_with_no_results(layer: ShapesLayer) -> None:
    report = validate_graph(
        _fixture_graph(SHAPES_FIXTURES / layer.value / "valid.ttl"), (layer,), context=profile_graph()
    )
    assert report.conforms
    assert report.issues == ()


def test_valid_example_conforms_to_every_profile_layer_at_once() -> None:
    report = validate_graph(
        _fixture_graph(SHAPES_FIXTURES / "core" / "valid.ttl"), PROFILE_LAYERS, context=profile_graph()
    )
    assert report.issues == ()


def test_the_shipped_vocabulary_and_schemes_conform_to_every_profile_layer() -> None:
    assert validate_graph(profile_graph(), PROFILE_LAYERS).issues == ()


@pytest.mark.parametrize("constraint", ALL_CONSTRAINTS, ids=lambda c: c.id)
def test_fixture_breaks_exactly_its_constraint(constraint: Constraint) -> None:
    report = validate_graph(_fixture_graph(constraint.fixture), (constraint.layer,), context=profile_graph())

    own = [issue for issue in report.issues if constraint.produced(issue)]
    assert own, f"{constraint.fixture.name} does not break {constraint.id}; results: {report.issues}"
    for issue in own:
        assert issue.severity is constraint.severity
        assert issue.path == constraint.path
        assert issue.message_zh == constraint.messages["zh"]
        assert issue.message_en == constraint.messages["en"]
    expected = [BY_ID[name] for name in sorted(COMPANIONS.get(constraint.id, ()))] + [constraint]
    for companion in expected:
        assert any(companion.produced(issue) for issue in report.issues), f"{companion.id} was not broken"
    assert [issue for issue in report.issues if not any(c.produced(issue) for c in expected)] == []
    assert report.conforms is (constraint.severity is not Severity.VIOLATION)
