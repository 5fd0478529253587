"""Checking a source against the shapes without importing it (the API's ``/validate``).

The source is read and mapped exactly as an import would (records → triples through the
mapping table; RDF parsed and skolemised), then validated as one graph against the chosen
layers with the profile's concept schemes as context, so the report says what the import
gate would say, and more if more layers are chosen. Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph

from graph.iris import IriMinter
from graph.mapping import CatalogDefaults, RecordMapper
from graph.rdf_import import parse_rdf_file
from graph.record_readers import read_records_file, records_kind
from graph.records import record_from_row
from ontology import ShapesLayer, ValidationReport, profile_graph, validate_graph
from ontology.namespaces import DCAT3, RDF


@dataclass(frozen=True)
class SourceCheck:
    """The validation report of a source, with what could not even be read."""

    kind: str  # "records" or "rdf"
    items: int  # records read, or datasets found in RDF
    unreadable: tuple[tuple[int, str], ...]
    report: ValidationReport

    def to_json(self) -> dict[str, object]:
        return {
            "source_kind": self.kind,
            "items": self.items,
            "unreadable_rows": [{"line": line, "error": error} for line, error in self.unreadable],
            **self.report.to_json(),
        }


def is_records_source(path: Path) -> bool:
    """Records (.csv/.jsonl/.json) rather than RDF; a .json file holding JSON-LD counts as RDF."""
    if records_kind(path) is None:
        return False
    if path.suffix.lower() == ".json":
        head = path.read_bytes()[:4096]
        return b'"@context"' not in head and b'"@graph"' not in head
    return True


def _records_graph(
    path: Path, minter: IriMinter, defaults: CatalogDefaults, encoding: str
) -> tuple[Graph, int, tuple[tuple[int, str], ...]]:
    mapper = RecordMapper(minter, defaults)
    graph = Graph()
    unreadable: list[tuple[int, str]] = []
    count = 0
    for row in read_records_file(path, encoding).rows():
        count += 1
        if row.values is None:
            unreadable.append((row.line, row.error or "unreadable row"))
            continue
        for triple in mapper.map(record_from_row(row.values, row.line)).triples:
            graph.add(triple)
    return graph, count, tuple(unreadable)


def check_source(
    path: Path,
    minter: IriMinter,
    layers: tuple[ShapesLayer, ...],
    defaults: CatalogDefaults | None = None,
    encoding: str = "utf-8",
) -> SourceCheck:
    """Map or parse ``path`` as an import would and validate it against ``layers``; writes nothing."""
    if is_records_source(path):
        data, items, unreadable = _records_graph(path, minter, defaults or CatalogDefaults(), encoding)
        kind = "records"
    else:
        parsed, _ = parse_rdf_file(path)
        has_blank = any(isinstance(node, BNode) for triple in parsed for node in triple)
        data = parsed.skolemize(basepath=minter.genid_base()) if has_blank else parsed
        kind, items, unreadable = "rdf", len(set(data.subjects(RDF.type, DCAT3.Dataset))), ()
    report = validate_graph(data, layers, context=profile_graph())
    return SourceCheck(kind, items, unreadable, report)
