"""Importing registration-record files into the store, gated by validation.

``import_records`` reads the whole file first (so encoding errors stop it before any write),
skips portal duplicates, maps records to triples, validates them in batches, and replaces the
source's named graph in one atomic step. Re-importing a file whose bytes are unchanged does
nothing. The :class:`ImportReport` names every record that was rejected and why.
"""

from __future__ import annotations

import gc
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from rdflib import URIRef

from graph.errors import BatchRejectedError
from graph.gate import GateValidator, RejectedRecord
from graph.gc_pause import collection_paused
from graph.import_batches import BatchSettings, run_batches
from graph.iris import IriMinter
from graph.mapping import CatalogDefaults, RecordMapper, Triple
from graph.ntriples import ntriples
from graph.record_readers import RawRow, read_records_file
from graph.records import RegistrationRecord, record_from_row
from graph.sources import source_graph_triples, source_key
from graph.store import Store

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""Progress callback: (phase, done so far, total)."""


class InvalidPolicy(StrEnum):
    """What to do with records that break the core shapes."""

    SKIP = "skip"  # write the conforming records, report the others
    STRICT = "strict"  # write nothing if any record is rejected


class ImportStatus(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class ImportReport:
    """What an import did: counts, the rejected records with reasons, and per-record notes."""

    source: str
    graph: str
    status: ImportStatus = ImportStatus.UNCHANGED
    read: int = 0
    written: int = 0
    duplicates: int = 0
    rejected: list[RejectedRecord] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time per phase: ``read`` (decode, parse, deduplicate), ``gate`` (time spent waiting on the
    batches to be mapped, validated and serialised: in the worker processes when there are any),
    ``load`` (the store's share of the replacement, checkpoint included)."""

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "graph": self.graph,
            "status": self.status.value,
            "read": self.read,
            "written": self.written,
            "duplicates_skipped": self.duplicates,
            "rejected": [record.to_json() for record in self.rejected],
            "notes": [{"line": line, "note": note} for line, note in self.notes],
        }

    def summary(self, shown: int = 10) -> str:
        if self.status is ImportStatus.UNCHANGED:
            return f"{self.source} → {self.graph}: unchanged since its last import (same content hash); nothing to do"
        lines = [
            f"{self.source} → {self.graph}: {self.status.value}; {self.read} record(s) read, {self.written} written, "
            f"{self.duplicates} duplicate(s) skipped, {len(self.rejected)} rejected, {len(self.notes)} note(s)"
        ]
        for record in self.rejected[:shown]:
            lines.append(f"  rejected line {record.line} {record.source_id or ''} {record.title or '(no title)'}")
            lines.extend(f"      {reason}" for reason in record.reasons)
        if len(self.rejected) > shown:
            lines.append(f"  … and {len(self.rejected) - shown} more rejected record(s); see the full report")
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportOptions:
    defaults: CatalogDefaults = field(default_factory=CatalogDefaults)
    policy: InvalidPolicy = InvalidPolicy.SKIP
    graph_key: str | None = None
    encoding: str = "utf-8"
    batch_size: int = 1000
    workers: int = 1  # processes mapping and validating batches; more than one pays off above a few batches
    force: bool = False
    accept_invalid: bool = False  # RDF files: write even when core shapes are broken (violations are reported)
    validator: GateValidator = GateValidator.NATIVE  # same results; pyshacl is the reference, 15-20x slower


def import_records(
    store: Store,
    path: Path,
    minter: IriMinter,
    options: ImportOptions = ImportOptions(),
    progress: Progress | None = None,
) -> ImportReport:
    """Import one records file as its own named graph; see the module docstring."""
    started = time.perf_counter()
    source = read_records_file(path, options.encoding)
    graph = minter.source_graph(options.graph_key or source_key(path))
    report = ImportReport(str(path), str(graph))
    previous_hash = store.source_hash(graph)
    if previous_hash == source.content_hash and not options.force:
        logger.info("%s is unchanged since its last import; nothing to do", path)
        return report
    with collection_paused():
        records = _deduplicate(_read_records(source.rows(), report), report)
        # the records live until the import ends: keep the collections of the load from traversing them all
        # (frozen before collections resume, which would otherwise first walk every object made meanwhile)
        gc.freeze()
    try:
        content_hash = source.content_hash
        del source  # the decoded text is no longer needed: free it before the store fills up
        pipeline = _ImportPipeline(records, RecordMapper(minter, options.defaults), report, options, progress)

        def metadata() -> Iterator[Triple]:
            return source_graph_triples(graph, content_hash=content_hash, file_name=path.name, counts=pipeline.counts)

        loading = time.perf_counter()
        report.seconds["read"] = loading - started
        store.replace_graph_ntriples(graph, pipeline.ntriples_chunks(metadata))
    finally:
        gc.unfreeze()
    report.seconds["load"] = time.perf_counter() - loading - report.seconds.get("gate", 0.0)
    report.status = ImportStatus.UPDATED if previous_hash is not None else ImportStatus.CREATED
    return report


class _ImportPipeline:
    """Gates the records batch by batch and yields N-Triples text, so memory stays bounded by a few batches.

    Mapping, validation and serialisation run in :mod:`graph.import_batches` (in worker processes
    when ``options.workers`` > 1); this side rejects records naming an already seen dataset
    before they are mapped, removes the shared triples that several workers sent, and keeps the
    report. The store consumes :meth:`ntriples_chunks`; in strict mode the generator raises
    :class:`BatchRejectedError` after the last batch, which makes the store roll the replacement back.
    """

    def __init__(
        self,
        records: list[RegistrationRecord],
        mapper: RecordMapper,
        report: ImportReport,
        options: ImportOptions,
        progress: Progress | None,
    ) -> None:
        self.records = records
        self.mapper = mapper
        self.report = report
        self.options = options
        self.progress = progress
        self.seen: dict[URIRef, int] = {}
        self.shared_written: set[str] = set()

    def counts(self) -> tuple[int, int]:
        """(written, rejected): final once :meth:`ntriples_chunks` has yielded its last batch."""
        return self.report.written, len(self.report.rejected)

    def ntriples_chunks(self, metadata: Callable[[], Iterator[Triple]]) -> Iterator[bytes]:
        size = self.options.batch_size
        batches = (self._unique(self.records[start : start + size]) for start in range(0, len(self.records), size))
        workers = self.options.workers if len(self.records) > 2 * size else 1
        settings = BatchSettings(uuid.uuid4().hex, self.mapper.minter, self.mapper.defaults, self.options.validator)
        seconds = self.report.seconds
        seconds["gate"] = 0.0
        outcomes = run_batches(batches, settings, workers)
        done = 0
        while True:
            waited = time.perf_counter()
            outcome = next(outcomes, None)
            seconds["gate"] += time.perf_counter() - waited
            if outcome is None:
                break
            self.report.rejected.extend(outcome.rejected)
            self.report.notes.extend(outcome.notes)
            self.report.written += outcome.written
            fresh = [line for line in outcome.shared_lines if line not in self.shared_written]
            self.shared_written.update(fresh)
            yield outcome.own_lines + "".join(fresh).encode("utf-8")
            done += outcome.written + len(outcome.rejected)
            if self.progress is not None:
                self.progress("validate", min(done, len(self.records)), len(self.records))
        self.report.rejected.sort(key=lambda record: record.line)
        self.report.notes.sort(key=lambda note: note[0])  # record order, whichever step noted them
        if self.report.rejected and self.options.policy is InvalidPolicy.STRICT:
            raise BatchRejectedError(
                f"{len(self.report.rejected)} record(s) of {self.report.source} break core shapes; nothing was written "
                "(use --on-invalid skip to write the conforming records)\n" + self.report.summary(),
                len(self.report.rejected),
            )
        yield ntriples(metadata()).encode("utf-8")

    def _unique(self, records: list[RegistrationRecord]) -> list[RegistrationRecord]:
        """The records naming a dataset no earlier record named; the others are rejected here, unmapped."""
        unique: list[RegistrationRecord] = []
        for record in records:
            dataset = self.mapper.dataset_iri(record)
            if (first_line := self.seen.get(dataset)) is not None:
                notes = self.mapper.map(record).notes  # rare: mapped only for its notes, as the others are
                self.report.notes.extend((record.line, note) for note in notes)
                reason = (
                    f"names the same dataset as line {first_line} (same catalogue and title, no distinct id); "
                    "give each record its own id"
                )
                self.report.rejected.append(RejectedRecord(record.line, record.source_id, record.title, (reason,)))
                continue
            self.seen[dataset] = record.line
            unique.append(record)
        return unique


def _read_records(rows: Iterator[RawRow], report: ImportReport) -> list[RegistrationRecord]:
    records: list[RegistrationRecord] = []
    for row in rows:
        report.read += 1
        if row.values is None:
            report.rejected.append(RejectedRecord(row.line, None, None, (row.error or "unreadable row",)))
        else:
            records.append(record_from_row(row.values, row.line))
    return records


def _deduplicate(records: list[RegistrationRecord], report: ImportReport) -> list[RegistrationRecord]:
    """Skip records marked ``duplicate_of`` and exact repeats of an id; reject a reused id with other content."""
    first_by_id: dict[str, RegistrationRecord] = {}
    kept: list[RegistrationRecord] = []
    for record in records:
        if record.duplicate_of:
            report.duplicates += 1
            continue
        if record.source_id is not None and (first := first_by_id.get(record.source_id)) is not None:
            if _same_content(first, record):
                report.duplicates += 1
            else:
                reason = f"id {record.source_id!r} is already used by line {first.line} with different content"
                report.rejected.append(RejectedRecord(record.line, record.source_id, record.title, (reason,)))
            continue
        if record.source_id is not None:
            first_by_id[record.source_id] = record
        kept.append(record)
    return kept


def _same_content(a: RegistrationRecord, b: RegistrationRecord) -> bool:
    return replace(a, line=0) == replace(b, line=0)
