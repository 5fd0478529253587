"""A SHACL Core subset evaluated in plain Python: the import gate's fast path (15–20× faster than pySHACL here).

pySHACL costs about 4 ms per registration record, which makes the gate the bottleneck of large
imports. The gate layers (core + vocabularies) use only a small part of SHACL Core, so this
module compiles those shapes once into :class:`CompiledShape` objects and evaluates them over an
in-memory index of a batch's triples, producing the same :class:`ValidationIssue` records as
:func:`ontology.validation.validate_graph` would (focus node, path, value, messages, constraint
component, layer) — proven on the real CN-PDS records by ``tests/ontology/test_native_shacl.py``.

Supported: targets by class (``sh:targetClass``); ``sh:property`` with an IRI or
``sh:inversePath`` path; ``sh:minCount``, ``sh:maxCount``, ``sh:datatype``, ``sh:nodeKind``,
``sh:class``, ``sh:languageIn``, ``sh:uniqueLang``, ``sh:minLength``, ``sh:pattern`` (no flags),
``sh:in``, ``sh:or``, ``sh:node``, ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount``;
severities and ``sh:message``. Class membership is SHACL's: ``rdf:type`` followed by any chain of
``rdfs:subClassOf`` in the data graph. Anything else in the shapes (another constraint, a
deactivated shape, a result without a message) raises :class:`UnsupportedShapesError` when
compiling: the caller then uses pySHACL.

A large store is validated in parts (:func:`validate_parts`): the triples every part needs (the
catalogue's departments, concepts, vocabulary) are indexed once and shared, each part adds its
datasets, and a focus node is checked against its part together with the shared triples.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as time_of_day
from decimal import Decimal
from functools import cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ontology.errors import KgcatError
from ontology.namespaces import DCTERMS, FOAF, RDF, RDFS, SH, SKOS, XSD
from ontology.shapes import ShapesLayer, load_shapes
from ontology.validation import Severity, ValidationIssue, ValidationReport, show_term

Triple = tuple[Node, Node, Node]


class UnsupportedShapesError(KgcatError):
    """The shapes (or the data) need more of SHACL than the native validator implements; use pySHACL."""


_DESCRIPTIVE = frozenset(
    {RDF.type, SH.name, SH.description, SH.order, SH.group, RDFS.label, RDFS.comment, SH.message, SH.severity}
)
_CONSTRAINTS = frozenset(
    {
        SH.targetClass, SH.property, SH.path, SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH["class"],
        SH.languageIn, SH.uniqueLang, SH.minLength, SH.pattern, SH["in"], SH["or"], SH.node,
        SH.qualifiedValueShape, SH.qualifiedMinCount,
    }
)  # fmt: skip
_NODE_KINDS: dict[Node, Callable[[Node], bool]] = {
    SH.IRI: lambda v: isinstance(v, URIRef),
    SH.BlankNode: lambda v: isinstance(v, BNode),
    SH.Literal: lambda v: isinstance(v, Literal),
    SH.BlankNodeOrIRI: lambda v: isinstance(v, (BNode, URIRef)),
    SH.BlankNodeOrLiteral: lambda v: isinstance(v, (BNode, Literal)),
    SH.IRIOrLiteral: lambda v: isinstance(v, (URIRef, Literal)),
}
_VALUE_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time_of_day,
    XSD.dateTime: datetime,
}


@dataclass(frozen=True)
class Path:
    predicate: URIRef
    inverse: bool = False

    def shown(self) -> str:
        return f"^{self.predicate}" if self.inverse else str(self.predicate)


@dataclass(eq=False)  # shapes are compared and hashed by identity
class CompiledShape:
    """One node or property shape, its constraints as plain values."""

    node: Node
    layer: str
    severity: Severity
    messages: dict[str, str]
    path: Path | None = None
    target_classes: tuple[Node, ...] = ()
    properties: list[CompiledShape] = field(default_factory=list)
    min_count: int | None = None
    max_count: int | None = None
    datatype: Node | None = None
    node_kind: Node | None = None
    classes: tuple[Node, ...] = ()
    languages: frozenset[str] | None = None
    unique_lang: bool = False
    min_length: int | None = None
    patterns: tuple[re.Pattern[str], ...] = ()
    allowed: frozenset[Node] | None = None
    any_of: tuple[CompiledShape, ...] = ()
    node_shapes: tuple[CompiledShape, ...] = ()
    qualified: CompiledShape | None = None
    qualified_min: int | None = None


_TYPE: Node = RDF.type
_SUBCLASS: Node = RDFS.subClassOf
_LITERAL: Node = RDFS.Literal  # the datatype check runs per value: no namespace look-up there
_DATATYPE: Node = RDFS.Datatype
_STRING: Node = XSD.string
_LANG_STRING: Node = RDF.langString
_LABEL_PREDICATES: tuple[Node, ...] = (DCTERMS.title, FOAF.name, SKOS.prefLabel)


class _Data:
    """The triples of one batch, indexed by subject (and by object for the inverse paths in use);
    ``shared`` is an index of triples every batch needs, looked up beside this one's own."""

    def __init__(
        self, triples: Iterable[Triple], inverse_predicates: frozenset[Node], shared: _Data | None = None
    ) -> None:
        self.out: dict[Node, dict[Node, set[Node]]] = {}
        self.into: dict[Node, dict[Node, set[Node]]] = {}
        self.instances: dict[Node, set[Node]] = {}
        self.shared = shared
        self.superclasses: dict[Node, set[Node]] = {} if shared is None else shared.superclasses
        for s, p, o in triples:
            by_predicate = self.out.get(s)
            if by_predicate is None:
                by_predicate = self.out[s] = {}
            objects = by_predicate.get(p)
            if objects is None:
                by_predicate[p] = {o}
            else:
                objects.add(o)
            if p in inverse_predicates:
                self.into.setdefault(o, {}).setdefault(p, set()).add(s)
        subclass_axioms = [
            (subject, sup) for subject, by_predicate in self.out.items() for sup in by_predicate.get(_SUBCLASS, ())
        ]
        if subclass_axioms:
            self.superclasses = _superclass_closure(self.superclasses, subclass_axioms)
        for subject, by_predicate in self.out.items():
            for cls in by_predicate.get(_TYPE, ()):
                for member_of in (cls, *self.superclasses.get(cls, ())):
                    self.instances.setdefault(member_of, set()).add(subject)

    def values(self, focus: Node, path: Path) -> set[Node]:
        index = self.into if path.inverse else self.out
        found = index.get(focus)
        own = found.get(path.predicate, _EMPTY) if found is not None else _EMPTY
        if self.shared is None:
            return own
        shared = self.shared.values(focus, path)
        return own | shared if own and shared else own or shared

    def is_instance(self, node: Node, cls: Node) -> bool:
        if node in self.instances.get(cls, _EMPTY):
            return True
        return self.shared is not None and self.shared.is_instance(node, cls)

    def focus_nodes(self, shape: CompiledShape) -> set[Node]:
        """The targets of ``shape`` among this index's own subjects."""
        return set().union(*(self.instances.get(cls, _EMPTY) for cls in shape.target_classes))

    def label(self, node: Node) -> str | None:
        """A readable name of ``node`` (title, name or preferred label; zh or untagged), as reports show."""
        by_predicate = self.out.get(node, {})
        for predicate in _LABEL_PREDICATES:
            for value in by_predicate.get(predicate, ()):
                if isinstance(value, Literal) and value.language in ("zh", None):
                    return str(value)
        return self.shared.label(node) if self.shared is not None else None


def _superclass_closure(known: dict[Node, set[Node]], axioms: list[tuple[Node, Node]]) -> dict[Node, set[Node]]:
    """Every class's superclasses by any chain of ``rdfs:subClassOf`` (cycles allowed), ``known`` included."""
    direct: dict[Node, set[Node]] = {cls: set(supers) for cls, supers in known.items()}
    for sub, sup in axioms:
        direct.setdefault(sub, set()).add(sup)
    closure: dict[Node, set[Node]] = {}
    for cls in direct:
        reached: set[Node] = set()
        pending = list(direct[cls])
        while pending:
            sup = pending.pop()
            if sup not in reached:
                reached.add(sup)
                pending.extend(direct.get(sup, ()))
        reached.discard(cls)
        closure[cls] = reached
    return closure


_EMPTY: set[Node] = set()


@dataclass(frozen=True)
class _Result:
    focus: Node
    shape: CompiledShape
    component: str
    value: Node | None


# ---------------------------------------------------------------- compiling the shapes


@cache
def compiled_layers(layers: tuple[ShapesLayer, ...]) -> tuple[CompiledShape, ...]:
    """The targeted shapes of ``layers``, compiled once; raises :class:`UnsupportedShapesError`."""
    compiler = _Compiler()
    shapes: list[CompiledShape] = []
    for layer in layers:
        graph = load_shapes(layer)
        for node in sorted(set(graph.subjects(SH.targetClass, None)), key=str):
            shapes.append(compiler.shape(graph, node, layer.value))
        for node in set(graph.subjects(RDF.type, RDFS.Class)) & set(graph.subjects(RDF.type, SH.NodeShape)):
            raise UnsupportedShapesError(f"{node} is an implicit class target")
        for predicate in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            if next(graph.subjects(predicate, None), None) is not None:
                raise UnsupportedShapesError(f"target {predicate} is not supported natively")
    return tuple(shapes)


class _Compiler:
    def __init__(self) -> None:
        self.done: dict[Node, CompiledShape] = {}

    def shape(self, graph: Graph, node: Node, layer: str) -> CompiledShape:
        if node in self.done:
            return self.done[node]
        predicates = set(graph.predicates(node, None))
        unknown = predicates - _DESCRIPTIVE - _CONSTRAINTS
        if unknown:
            raise UnsupportedShapesError(f"{node}: {', '.join(sorted(map(str, unknown)))} not supported natively")
        severity = graph.value(node, SH.severity)
        messages = {m.language or "": str(m) for m in graph.objects(node, SH.message) if isinstance(m, Literal)}
        shape = CompiledShape(node, layer, Severity.from_iri(severity), messages)
        self.done[node] = shape
        shape.path = self._path(graph, node)
        shape.target_classes = tuple(graph.objects(node, SH.targetClass))
        shape.properties = [self.shape(graph, p, layer) for p in graph.objects(node, SH.property)]
        shape.min_count = self._int(graph, node, SH.minCount)
        shape.max_count = self._int(graph, node, SH.maxCount)
        shape.datatype = graph.value(node, SH.datatype)
        shape.node_kind = graph.value(node, SH.nodeKind)
        if shape.node_kind is not None and shape.node_kind not in _NODE_KINDS:
            raise UnsupportedShapesError(f"{node}: unknown sh:nodeKind {shape.node_kind}")
        shape.classes = tuple(graph.objects(node, SH["class"]))
        if (languages := graph.value(node, SH.languageIn)) is not None:
            shape.languages = frozenset(str(item).lower() for item in Collection(graph, languages))
        shape.unique_lang = any(isinstance(v, Literal) and v.value is True for v in graph.objects(node, SH.uniqueLang))
        shape.min_length = self._int(graph, node, SH.minLength)
        shape.patterns = tuple(re.compile(str(p)) for p in graph.objects(node, SH.pattern))
        if (allowed := graph.value(node, SH["in"])) is not None:
            shape.allowed = frozenset(Collection(graph, allowed))
        if (alternatives := graph.value(node, SH["or"])) is not None:
            shape.any_of = tuple(self.shape(graph, item, layer) for item in Collection(graph, alternatives))
        shape.node_shapes = tuple(self.shape(graph, item, layer) for item in graph.objects(node, SH.node))
        if (qualified := graph.value(node, SH.qualifiedValueShape)) is not None:
            shape.qualified = self.shape(graph, qualified, layer)
            shape.qualified_min = self._int(graph, node, SH.qualifiedMinCount)
        if shape.qualified_min is not None and shape.qualified is None:
            raise UnsupportedShapesError(f"{node}: sh:qualifiedMinCount without sh:qualifiedValueShape")
        return shape

    @staticmethod
    def _path(graph: Graph, node: Node) -> Path | None:
        path = graph.value(node, SH.path)
        if path is None or isinstance(path, URIRef):
            return None if path is None else Path(path)
        inverse = graph.value(path, SH.inversePath)
        if isinstance(inverse, URIRef) and len(set(graph.predicate_objects(path))) == 1:
            return Path(inverse, inverse=True)
        raise UnsupportedShapesError(f"{node}: only IRI and sh:inversePath paths are supported natively")

    @staticmethod
    def _int(graph: Graph, node: Node, predicate: URIRef) -> int | None:
        value = graph.value(node, predicate)
        return None if value is None else int(str(value))


# ---------------------------------------------------------------- evaluating


def validate_triples(triples: Iterable[Triple], layers: tuple[ShapesLayer, ...]) -> tuple[ValidationIssue, ...]:
    """The validation results of the graph of ``triples`` against ``layers``, as pySHACL would give them."""
    shapes = compiled_layers(layers)
    data = _Data(triples, _inverse_predicates(shapes))
    results: set[_Result] = set()
    for shape in shapes:
        for focus in data.focus_nodes(shape):
            _evaluate(shape, focus, data, results)
    return _issues(results)


def validate_parts(
    shared: Iterable[Triple], parts: Iterable[Iterable[Triple]], layers: tuple[ShapesLayer, ...]
) -> ValidationReport:
    """Validate a graph given as ``shared`` triples and ``parts`` (batches of datasets, say), with a report
    graph as pySHACL's (its nested results flattened to top-level ``sh:result`` links).

    A subject of a part is checked against that part with the shared triples; a subject no part
    mentions, against the shared triples alone. A node whose values are split across parts is checked
    in each of them and its results merged, so a part must hold all of its own focus nodes' values.
    """
    shapes = compiled_layers(layers)
    inverse = _inverse_predicates(shapes)
    common = _Data(shared, inverse)
    results: set[_Result] = set()
    labels: dict[str, str] = {}
    checked: set[Node] = set()
    for triples in parts:
        data = _Data(triples, inverse, shared=common)
        checked.update(data.out)
        _check_subjects(shapes, data, data.out, results, labels)
    _check_subjects(shapes, common, (node for node in common.out if node not in checked), results, labels)
    issues = _issues(results)
    return ValidationReport(layers, issues, _report_graph(results), labels)


def _check_subjects(
    shapes: tuple[CompiledShape, ...],
    data: _Data,
    subjects: Iterable[Node],
    results: set[_Result],
    labels: dict[str, str],
) -> None:
    found: set[_Result] = set()
    for subject in subjects:
        for shape in shapes:
            if any(data.is_instance(subject, cls) for cls in shape.target_classes):
                _evaluate(shape, subject, data, found)
    for result in found - results:
        if (key := str(result.focus)) not in labels and (label := data.label(result.focus)) is not None:
            labels[key] = label
    results |= found


def _issues(results: set[_Result]) -> tuple[ValidationIssue, ...]:
    issues = {_issue(result) for result in results}
    return tuple(sorted(issues, key=lambda i: (i.focus_node, i.path or "", i.message_en, i.value or "")))


def _report_graph(results: set[_Result]) -> Graph:
    """A SHACL validation report (https://www.w3.org/TR/shacl/#validation-report) of ``results``."""
    graph = Graph()
    graph.bind("sh", SH)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    conforms = not any(result.shape.severity is Severity.VIOLATION for result in results)
    graph.add((report, SH.conforms, Literal(conforms)))
    for result in results:
        node = BNode()
        shape = result.shape
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, result.focus))
        graph.add((node, SH.resultSeverity, SH[shape.severity.value]))
        graph.add((node, SH.sourceConstraintComponent, SH[result.component]))
        graph.add((node, SH.sourceShape, shape.node))
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        if shape.path is not None and shape.path.inverse:
            path = BNode()
            graph.add((node, SH.resultPath, path))
            graph.add((path, SH.inversePath, shape.path.predicate))
        elif shape.path is not None:
            graph.add((node, SH.resultPath, shape.path.predicate))
        for language, message in shape.messages.items():
            graph.add((node, SH.resultMessage, Literal(message, lang=language or None)))
    return graph


@cache
def _inverse_predicates(shapes: tuple[CompiledShape, ...]) -> frozenset[Node]:
    found: set[Node] = set()
    pending, seen = list(shapes), set()
    while pending:
        shape = pending.pop()
        if id(shape) in seen:
            continue
        seen.add(id(shape))
        if shape.path is not None and shape.path.inverse:
            found.add(shape.path.predicate)
        pending.extend((*shape.properties, *shape.any_of, *shape.node_shapes))
        if shape.qualified is not None:
            pending.append(shape.qualified)
    return frozenset(found)


def _evaluate(shape: CompiledShape, focus: Node, data: _Data, results: set[_Result] | None) -> bool:
    """Check ``focus`` against ``shape``; add results when ``results`` is given; True when it conforms."""
    values = data.values(focus, shape.path) if shape.path is not None else {focus}
    conforms = True

    def fail(component: str, value: Node | None) -> None:
        nonlocal conforms
        conforms = False
        if results is not None:
            if not shape.messages:
                raise UnsupportedShapesError(f"{shape.node} has no sh:message; pySHACL would generate one")
            results.add(_Result(focus, shape, component, value))

    if shape.min_count is not None and len(values) < shape.min_count:
        fail("MinCountConstraintComponent", None)
    if shape.max_count is not None and len(values) > shape.max_count:
        fail("MaxCountConstraintComponent", None)
    for value in values:
        if shape.datatype is not None and not _has_datatype(value, shape.datatype):
            fail("DatatypeConstraintComponent", value)
        if shape.node_kind is not None and not _NODE_KINDS[shape.node_kind](value):
            fail("NodeKindConstraintComponent", value)
        for cls in shape.classes:
            if isinstance(value, Literal) or not data.is_instance(value, cls):
                fail("ClassConstraintComponent", value)
        if shape.languages is not None and not _language_in(value, shape.languages):
            fail("LanguageInConstraintComponent", value)
        if shape.min_length is not None and (isinstance(value, BNode) or len(str(value)) < shape.min_length):
            fail("MinLengthConstraintComponent", value)
        for pattern in shape.patterns:
            if isinstance(value, BNode) or not pattern.search(str(value)):
                fail("PatternConstraintComponent", value)
        if shape.allowed is not None and value not in shape.allowed:
            fail("InConstraintComponent", value)
        if shape.any_of and not any(_evaluate(option, value, data, None) for option in shape.any_of):
            fail("OrConstraintComponent", value)
        for node_shape in shape.node_shapes:
            details: set[_Result] | None = None if results is None else set()
            if not _evaluate(node_shape, value, data, details):
                fail("NodeConstraintComponent", value)
                if results is not None and details:
                    results |= details  # pySHACL reports them too, as the result's sh:detail
    if shape.unique_lang:
        languages = [v.language.lower() for v in values if isinstance(v, Literal) and v.language]
        if len(languages) != len(set(languages)):
            fail("UniqueLangConstraintComponent", None)  # pySHACL: one identical result per repeated language
    if shape.qualified is not None and shape.qualified_min is not None:
        conforming = sum(1 for value in values if _evaluate(shape.qualified, value, data, None))
        if conforming < shape.qualified_min:
            fail("QualifiedMinCountConstraintComponent", None)
    for property_shape in shape.properties:
        for value in values:
            conforms = _evaluate(property_shape, value, data, results) and conforms
    return conforms


def _has_datatype(value: Node, datatype: Node) -> bool:
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        if getattr(value, "ill_typed", None) is True:
            return False
        expected = _VALUE_TYPES.get(datatype)
        return expected is None or isinstance(value.value, expected)
    if datatype == _LITERAL:
        return True
    if datatype == _DATATYPE and value.datatype is not None:
        return True
    if value.datatype is None and value.language is None and datatype == _STRING:
        return isinstance(value.value, (str, bytes))
    if datatype == _LANG_STRING and value.language:
        return isinstance(value.value, (str, bytes))
    return False


def _language_in(value: Node, languages: frozenset[str]) -> bool:
    if not isinstance(value, Literal) or not value.language:
        return False
    language = value.language.lower()
    return "*" in languages or language in languages or language.split("-")[0] in languages


def _issue(result: _Result) -> ValidationIssue:
    messages = result.shape.messages
    fallback = next(iter(messages.values()), "")
    path = result.shape.path
    return ValidationIssue(
        focus_node=str(result.focus),
        path=path.shown() if path is not None else None,
        value=show_term(result.value),
        severity=result.shape.severity,
        message_zh=messages.get("zh", fallback),
        message_en=messages.get("en", fallback),
        constraint=result.component,
        layer=result.shape.layer,
    )
