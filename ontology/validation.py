"""SHACL validation against the profile's shapes layers: the one place pySHACL is called.

``pyshacl.validate`` silently accepts misspelt keyword options, so it is wrapped here once
with explicit parameters, and its report graph is turned into typed :class:`ValidationIssue`
records that the CLI, the import gate and the API share. SHACL: https://www.w3.org/TR/shacl/
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ontology.namespaces import DCTERMS, FOAF, RDF, SH, SKOS, compact
from ontology.shapes import ShapesLayer, combined_shapes, load_shapes


class Severity(StrEnum):
    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @classmethod
    def from_iri(cls, iri: Node | None) -> Severity:
        if iri == SH.Warning:
            return cls.WARNING
        if iri == SH.Info:
            return cls.INFO
        return cls.VIOLATION


@dataclass(frozen=True)
class ValidationIssue:
    """One SHACL validation result, in plain values."""

    focus_node: str
    path: str | None
    value: str | None
    severity: Severity
    message_zh: str
    message_en: str
    constraint: str
    layer: str

    def to_json(self) -> dict[str, str | None]:
        return {
            "focus_node": self.focus_node,
            "path": self.path,
            "value": self.value,
            "severity": self.severity.value,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "constraint": self.constraint,
            "layer": self.layer,
        }


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a data graph against one or more layers."""

    layers: tuple[ShapesLayer, ...]
    issues: tuple[ValidationIssue, ...]
    report_graph: Graph
    labels: dict[str, str] = field(default_factory=dict)
    """Readable names of focus nodes (title or name), shown next to their IRIs."""

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings and infos do not break conformance)."""
        return not self.violations

    @property
    def violations(self) -> tuple[ValidationIssue, ...]:
        return tuple(issue for issue in self.issues if issue.severity is Severity.VIOLATION)

    @property
    def warnings(self) -> tuple[ValidationIssue, ...]:
        return tuple(issue for issue in self.issues if issue.severity is not Severity.VIOLATION)

    def to_json(self) -> dict[str, object]:
        return {
            "conforms": self.conforms,
            "layers": [layer.value for layer in self.layers],
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "results": [issue.to_json() for issue in self.issues],
        }

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)

    def to_turtle(self) -> str:
        return self.report_graph.serialize(format="turtle")

    def to_text(self) -> str:
        """A readable report: one line per issue, grouped by focus node, Chinese and English."""
        names = ", ".join(layer.value for layer in self.layers)
        head = (
            f"符合 / conforms ({names}): {len(self.warnings)} warning(s)"
            if self.conforms
            else f"不符合 / does not conform ({names}): {len(self.violations)} violation(s), "
            f"{len(self.warnings)} warning(s)"
        )
        lines = [head]
        for focus in sorted({issue.focus_node for issue in self.issues}):
            label = self.labels.get(focus)
            lines.append(f"\n{focus}" + (f"  「{label}」" if label else ""))
            for issue in (i for i in self.issues if i.focus_node == focus):
                where = compact(issue.path) if issue.path else "(node)"
                value = f" = {issue.value}" if issue.value is not None else ""
                lines.append(f"  [{issue.severity.value}/{issue.layer}] {where}{value}")
                lines.append(f"      {issue.message_zh}")
                lines.append(f"      {issue.message_en}")
        return "\n".join(lines)


def validate_graph(data: Graph, layers: tuple[ShapesLayer, ...], *, context: Graph | None = None) -> ValidationReport:
    """Validate ``data`` against ``layers``; ``context`` (e.g. concept schemes) is mixed in read-only."""
    shapes = combined_shapes(layers)
    if context is not None:  # pyshacl's ont_graph is only mixed in with inference; add the context ourselves
        data = data + context
    _, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=None,
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        meta_shacl=False,
        advanced=True,
        js=False,
        debug=False,
        inplace=True,
    )
    layer_of = _layer_index(layers)
    issues = tuple(
        _issue(report_graph, result, layer_of) for result in report_graph.subjects(RDF.type, SH.ValidationResult)
    )
    labels = {issue.focus_node: label for issue in issues if (label := _label(data, issue.focus_node))}
    return ValidationReport(layers, tuple(sorted(issues, key=_issue_order)), report_graph, labels)


_LABEL_PREDICATES = (DCTERMS.title, FOAF.name, SKOS.prefLabel)


def _label(data: Graph, focus: str) -> str | None:
    node = URIRef(focus)
    for predicate in _LABEL_PREDICATES:
        for value in data.objects(node, predicate):
            if isinstance(value, Literal) and value.language in ("zh", None):
                return str(value)
    return None


def _issue_order(issue: ValidationIssue) -> tuple[str, str, str]:
    return (issue.focus_node, issue.path or "", issue.message_en)


def _layer_index(layers: tuple[ShapesLayer, ...]) -> dict[Node, str]:
    index: dict[Node, str] = {}
    for layer in layers:
        for shape in load_shapes(layer).subjects():
            index.setdefault(shape, layer.value)
    return index


def _issue(report: Graph, result: Node, layer_of: dict[Node, str]) -> ValidationIssue:
    messages = {m.language or "": str(m) for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)}
    fallback = next(iter(messages.values()), "")
    shape = report.value(result, SH.sourceShape)
    component = report.value(result, SH.sourceConstraintComponent)
    return ValidationIssue(
        focus_node=show_term(report.value(result, SH.focusNode)) or "",
        path=_show_path(report, report.value(result, SH.resultPath)),
        value=show_term(report.value(result, SH.value)),
        severity=Severity.from_iri(report.value(result, SH.resultSeverity)),
        message_zh=messages.get("zh", fallback),
        message_en=messages.get("en", fallback),
        constraint=str(component).rsplit("#", 1)[-1] if component is not None else "",
        layer=layer_of.get(shape, "") if shape is not None else "",
    )


def show_term(node: Node | None) -> str | None:
    """A result's node as reports show it: IRIs bare, literals with their language or datatype."""
    if node is None:
        return None
    if isinstance(node, Literal):
        return (
            f'"{node}"@{node.language}'
            if node.language
            else f'"{node}"' + (f"^^{node.datatype}" if node.datatype else "")
        )
    return str(node)


def _show_path(report: Graph, path: Node | None) -> str | None:
    if isinstance(path, BNode):
        inverse = report.value(path, SH.inversePath)
        return f"^{inverse}" if isinstance(inverse, URIRef) else "(complex path)"
    return show_term(path)
