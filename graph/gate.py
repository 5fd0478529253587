"""The validation gate: which mapped records may enter the store.

Records are validated in batches against the gate layers (core + vocabularies); each
violation's focus node is traced back to the record(s) whose triples describe it, so a bad
publisher rejects exactly the records that name it, with the shape's message as the reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.mapping import MappedRecord
from ontology import GATE_LAYERS, ValidationIssue, profile_graph, validate_graph


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


def gate_records(
    mapped: Sequence[MappedRecord], batch_size: int, progress: Callable[[int], None] | None = None
) -> tuple[list[MappedRecord], list[RejectedRecord]]:
    """Split records into those that conform to the gate layers and those rejected (with reasons)."""
    accepted: list[MappedRecord] = []
    rejected: list[RejectedRecord] = []
    for start in range(0, len(mapped), batch_size):
        batch = mapped[start : start + batch_size]
        reasons = _batch_reasons(batch)
        for index, record in enumerate(batch):
            if index in reasons:
                r = record.record
                rejected.append(RejectedRecord(r.line, r.source_id, r.title, tuple(dict.fromkeys(reasons[index]))))
            else:
                accepted.append(record)
        if progress is not None:
            progress(len(batch))
    return accepted, rejected


def _batch_reasons(batch: Sequence[MappedRecord]) -> dict[int, list[str]]:
    data = Graph()
    owners: dict[Node, list[int]] = defaultdict(list)
    for index, record in enumerate(batch):
        for triple in record.triples:
            data.add(triple)
        for node in record.nodes():
            owners[node].append(index)
    report = validate_graph(data, GATE_LAYERS, context=profile_graph())
    reasons: dict[int, list[str]] = defaultdict(list)
    for issue in report.violations:
        for index in owners.get(URIRef(issue.focus_node), ()):
            reasons[index].append(reason_text(issue))
    return reasons
