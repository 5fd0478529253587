"""Importing documents (.txt, .md) into the store: extraction, mapping, validation, one graph each.

A document's facts live in its own named graph, replaced atomically like a records file's; the
graph is validated against the gate shapes before it is written. Documents imported together
(``import_documents``, used by ``kgcat build``) are resolved across each other first, so one
real-world entity named differently in two documents gets one IRI.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph, URIRef

from graph.document_mapping import DocumentMapper, document_key, document_title
from graph.errors import BatchRejectedError, SourceError
from graph.extraction import DocumentExtraction, extract_corpus, extract_document
from graph.gate import RejectedRecord, reason_text
from graph.importer import ImportOptions, ImportReport, ImportStatus
from graph.iris import IriMinter
from graph.sources import source_graph_triples
from graph.store import Store
from ontology import GATE_LAYERS, profile_graph, validate_graph

logger = logging.getLogger(__name__)

DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown")
MAX_DOCUMENT_BYTES = 10 * 2**20
"""Larger documents are refused with advice: their annotations would make one enormous source graph."""


def is_document(path: Path) -> bool:
    return path.suffix.lower() in DOCUMENT_SUFFIXES


def _python_codec(encoding: str) -> str:
    """The codec to re-read a document with (extraction reports e.g. ``utf-8`` or ``gb18030``)."""
    return encoding if encoding not in ("str", "") else "utf-8"


def _content_hash(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise SourceError(
                f"{path}: {size / 2**20:.0f} MiB is more than one document kgcat imports "
                f"({MAX_DOCUMENT_BYTES // 2**20} MiB); split it into its articles or chapters and import those"
            )
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise SourceError(f"{path}: cannot read the file ({error.strerror})") from error


def import_documents(
    store: Store, paths: Sequence[Path], minter: IriMinter, options: ImportOptions | None = None
) -> list[ImportReport]:
    """Import documents resolved against each other; documents whose bytes are unchanged are skipped."""
    options = options or ImportOptions()
    single_key = options.graph_key if len(paths) == 1 else None
    keys = [single_key or document_key(path.name) for path in paths]
    graphs = [minter.source_graph(key) for key in keys]
    hashes = [_content_hash(path) for path in paths]
    changed = [options.force or store.source_hash(g) != h for g, h in zip(graphs, hashes, strict=True)]
    if not any(changed):
        return [ImportReport(str(path), str(graph)) for path, graph in zip(paths, graphs, strict=True)]
    extractions = extract_corpus(paths).documents if len(paths) > 1 else (extract_document(paths[0]),)
    reports = []
    for index, path in enumerate(paths):
        if not changed[index]:
            reports.append(ImportReport(str(path), str(graphs[index])))
            continue
        reports.append(_write(store, path, keys[index], graphs[index], hashes[index], extractions[index], minter))
    return reports


def import_document(store: Store, path: Path, minter: IriMinter, options: ImportOptions | None = None) -> ImportReport:
    """Import one document as its own named graph."""
    return import_documents(store, [path], minter, options or ImportOptions())[0]


def _write(
    store: Store,
    path: Path,
    key: str,
    graph: URIRef,
    digest: str,
    extraction: DocumentExtraction,
    minter: IriMinter,
) -> ImportReport:
    report = ImportReport(str(path), str(graph))
    previous = store.source_hash(graph)
    title = document_title(path.read_text(encoding=_python_codec(extraction.encoding), errors="replace"), path.name)
    mapped = DocumentMapper(minter).map(extraction, key, path.name, title)
    data = Graph()
    for triple in mapped.triples:
        data.add(triple)
    report.read = len(extraction.entities)
    validation = validate_graph(data, GATE_LAYERS, context=profile_graph())
    if validation.violations:
        report.rejected.extend(RejectedRecord(0, i.focus_node, None, (reason_text(i),)) for i in validation.violations)
        raise BatchRejectedError(
            f"{path}: the facts extracted from it break core shapes; nothing was written\n" + report.summary(),
            len(report.rejected),
        )
    entities = len(extraction.entities)
    metadata = source_graph_triples(graph, content_hash=digest, file_name=path.name, counts=lambda: (entities, 0))
    store.replace_graph(graph, [*data, *metadata])
    report.written = entities
    report.status = ImportStatus.UPDATED if previous is not None else ImportStatus.CREATED
    logger.info("%s: %d entities, %d mentions", path, entities, len(extraction.mentions))
    return report
