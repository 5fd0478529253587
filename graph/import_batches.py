"""One batch of an import, start to finish: map the records, gate them, write the accepted as N-Triples.

This is the part of an import that runs in worker processes (``ImportOptions.workers``): the
process that holds the store only reads the file, removes duplicates and bulk-loads the text
the workers send back, so mapping and validation no longer sit on its critical path.

A record's triples are of two kinds: its *own* (about the dataset and the nodes under its IRI,
and the catalogue's ``dcat:dataset`` link to it) and *shared* ones describing nodes many
records name (catalogue, departments, concepts). A :class:`BatchWork` sends each shared triple
once; the importer removes the repeats between workers.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import cast

from graph.gate import GateValidator, RejectedRecord, batch_reasons
from graph.gc_pause import collection_paused
from graph.iris import IriMinter
from graph.mapping import CatalogDefaults, MappedRecord, RecordMapper
from graph.ntriples import triple_line
from graph.records import RegistrationRecord
from ontology.namespaces import DCAT3

_DATASET_LINK = str(DCAT3.dataset)


@dataclass(frozen=True)
class BatchSettings:
    """What every batch of one import is mapped and gated with; ``import_id`` tells imports apart."""

    import_id: str
    minter: IriMinter
    defaults: CatalogDefaults
    validator: GateValidator


@dataclass
class BatchOutcome:
    """A gated batch: the accepted records as N-Triples, the rejected ones with reasons, the notes."""

    own_lines: bytes = b""
    """N-Triples of the accepted records' own triples."""
    shared_lines: list[str] = field(default_factory=list)
    """Lines of shared triples this worker had not sent before (other workers may send them too)."""
    written: int = 0
    rejected: list[RejectedRecord] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)


class BatchWork:
    """Maps, gates and serialises the batches of one import (in a worker process, or in the importer's)."""

    def __init__(self, settings: BatchSettings) -> None:
        self.settings = settings
        self.mapper = RecordMapper(settings.minter, settings.defaults)
        self.sent_shared: set[str] = set()

    def run(self, records: list[RegistrationRecord]) -> BatchOutcome:
        with collection_paused():  # a batch allocates ~10^5 short-lived objects and no cycles
            return self._run(records)

    def _run(self, records: list[RegistrationRecord]) -> BatchOutcome:
        mapped = [self.mapper.map(record) for record in records]
        outcome = BatchOutcome()
        for item in mapped:
            outcome.notes.extend((item.record.line, note) for note in item.notes)
        reasons = batch_reasons([item.triples for item in mapped], self.settings.validator)
        own: list[str] = []
        for index, item in enumerate(mapped):
            if index in reasons:
                r, why = item.record, tuple(dict.fromkeys(reasons[index]))
                outcome.rejected.append(RejectedRecord(r.line, r.source_id, r.title, why))
                continue
            outcome.written += 1
            self._lines(item, own, outcome.shared_lines)
        outcome.own_lines = "".join(own).encode("utf-8")
        return outcome

    def _lines(self, record: MappedRecord, own: list[str], shared: list[str]) -> None:
        dataset = record.dataset
        under = str.__str__(dataset) + "/"
        for triple in record.triples:
            subject, predicate = cast(str, triple[0]), cast(str, triple[1])  # rdflib terms are str
            line = triple_line(triple)
            # str's own comparisons: rdflib's __eq__ and startswith are Python code, and the terms are str
            if str.__eq__(subject, dataset) or str.__eq__(predicate, _DATASET_LINK) or str.startswith(subject, under):
                own.append(line)
            elif line not in self.sent_shared:
                self.sent_shared.add(line)
                shared.append(line)


AHEAD = 8
"""Batches each worker may be ahead of the importer: enough to keep working through one bulk load
(about 200k lines, 7-8 batches) — pyoxigraph releases the GIL meanwhile, so results keep arriving."""

_WORKER_STATE: list[BatchWork] = []
"""The :class:`BatchWork` of the import a worker process is serving (the latest ``import_id``)."""


def run_in_worker(settings: BatchSettings, records: list[RegistrationRecord]) -> BatchOutcome:
    """Entry point of a worker process: keeps one :class:`BatchWork` per import across its batches."""
    if not _WORKER_STATE or _WORKER_STATE[0].settings.import_id != settings.import_id:
        _WORKER_STATE[:] = [BatchWork(settings)]
    return _WORKER_STATE[0].run(records)


def run_batches(
    batches: Iterable[list[RegistrationRecord]], settings: BatchSettings, workers: int = 1
) -> Iterator[BatchOutcome]:
    """The outcome of every batch, in order; with ``workers`` > 1, that many batches at once in processes."""
    if workers <= 1:
        work = BatchWork(settings)
        for batch in batches:
            yield work.run(batch)
        return
    # spawn, not fork: the parent holds an open store whose threads must not be forked
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future[BatchOutcome]] = deque()
        for batch in batches:
            pending.append(pool.submit(run_in_worker, settings, batch))
            if len(pending) > AHEAD * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
