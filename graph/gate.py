"""The validation gate: which mapped records may enter the store.

Records are validated in batches against the gate layers (core + vocabularies); each
violation's focus node is traced back to the record(s) whose triples describe it, so a bad
publisher rejects exactly the records that name it, with the shape's message as the reason.
Batches are independent, so large imports validate them in worker processes
(graph/import_batches.py).

Two validators give the same results: the native one (``ontology.native_shacl``, the default,
15–20× faster) and pySHACL, which the gate falls back to whenever the shapes or a batch need
more of SHACL than the native one implements.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.mapping import Triple
from ontology import GATE_LAYERS, Severity, ValidationIssue, validate_graph
from ontology.native_shacl import UnsupportedShapesError, validate_triples

logger = logging.getLogger(__name__)


class GateValidator(StrEnum):
    """Which SHACL implementation the gate runs (same results; see the module docstring)."""

    NATIVE = "native"
    PYSHACL = "pyshacl"


@dataclass(frozen=True)
class RejectedRecord:
    """A record kept out of the store, and why."""

    line: int
    source_id: str | None
    title: str | None
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"line": self.line, "id": self.source_id, "title": self.title, "reasons": list(self.reasons)}


def reason_text(issue: ValidationIssue) -> str:
    where = issue.path or issue.focus_node
    value = f" (value {issue.value})" if issue.value is not None else ""
    return f"{where}{value}: {issue.message_zh} / {issue.message_en}"


def batch_reasons(
    record_triples: Sequence[Sequence[Triple]], validator: GateValidator | str = GateValidator.NATIVE
) -> dict[int, list[str]]:
    """Validate one batch (the triples of each record); index of each rejected record → reasons."""
    owners: dict[Node, list[int]] = defaultdict(list)
    for index, triples in enumerate(record_triples):
        for node in {subject for subject, _, _ in triples}:
            owners[node].append(index)
    reasons: dict[int, list[str]] = defaultdict(list)
    for issue in _violations(record_triples, GateValidator(validator)):
        for index in owners.get(URIRef(issue.focus_node), ()):
            reasons[index].append(reason_text(issue))
    return dict(reasons)


def _violations(record_triples: Sequence[Sequence[Triple]], validator: GateValidator) -> list[ValidationIssue]:
    if validator is GateValidator.NATIVE:
        try:
            issues = validate_triples((t for triples in record_triples for t in triples), GATE_LAYERS)
            return [issue for issue in issues if issue.severity is Severity.VIOLATION]
        except UnsupportedShapesError as error:
            logger.info("native validation not possible (%s); validating this batch with pySHACL", error)
    data = Graph()
    for triples in record_triples:
        for triple in triples:
            data.add(triple)
    return list(validate_graph(data, GATE_LAYERS).violations)
