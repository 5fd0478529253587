"""The graph store: a :class:`Store` protocol and its embedded Oxigraph implementation.

Each source (a records file, a document, an RDF file) is one named graph. Replacing or removing
a graph on disk is atomic across crashes: it runs between a checkpoint and a commit
(graph/journal.py), so the next open after a crash rolls back to the state before it. In
memory the new triples are bulk-loaded into a staging graph and one SPARQL ``MOVE`` swaps them
in. A SPARQL update is one Oxigraph transaction; the union it then rebuilds is marked while in
progress and finished by the next open. Queries see the union of the named graphs, kept in
Oxigraph's default graph (graph/union_graph.py), as their default graph. See
docs/decisions/store.md.
"""

from __future__ import annotations

import gc
import logging
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol, TypeVar

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.errors import QueryError, StoreError
from graph.formats import RdfSyntax, ResultsSyntax
from graph.journal import Journal
from graph.store_lock import StoreLock
from graph.terms import from_ox, triple_to_quad
from graph.union_graph import (
    STAGING_PREFIX,
    UNION_GRAPH,
    is_internal,
    rebuild_union,
    remove_source,
    replace_source_in_one_transaction,
    source_graphs,
    union_outdated,
)
from graph.update_targets import refuse_default_graph_writes
from ontology.namespaces import KGCAT, PREFIXES

logger = logging.getLogger(__name__)

Triple = tuple[Node, Node, Node]
T = TypeVar("T")
LOAD_CHUNK = 200_000
"""Quads handed to the bulk loader per call (bounds memory)."""
DELETE_CHUNK = 50_000
"""Quads deleted per transaction when an on-disk graph is replaced (bounds memory)."""


@dataclass(frozen=True)
class QueryOutcome:
    """The result of a SPARQL query, with rdflib terms, and a serialiser for its native formats."""

    kind: str  # "select", "ask" or "graph"
    variables: tuple[str, ...]
    rows: tuple[dict[str, Node], ...]
    boolean: bool | None
    triples: tuple[Triple, ...]

    def graph(self) -> Graph:
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in self.triples:
            graph.add(triple)
        return graph


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset of a query as the SPARQL protocol names it (``default-graph-uri``, ``named-graph-uri``).

    ``None`` keeps the store's default: the union of the named graphs as default graph, every
    named graph reachable through ``GRAPH``.
    """

    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None

    def default_graph_nodes(self) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None:
        return None if self.default_graphs is None else [ox.NamedNode(iri) for iri in self.default_graphs]

    def named_graph_nodes(self) -> list[ox.NamedNode | ox.BlankNode] | None:
        return None if self.named_graphs is None else [ox.NamedNode(iri) for iri in self.named_graphs]


class Store(Protocol):
    """What kgcat needs of a graph store; the embedded default is :class:`OxigraphStore`."""

    def replace_graph(self, graph: URIRef, triples: Iterable[Triple]) -> int: ...
    def replace_graph_ntriples(self, graph: URIRef, chunks: Iterable[bytes]) -> int: ...
    def remove_graph(self, graph: URIRef) -> bool: ...
    def named_graphs(self) -> list[URIRef]: ...
    def source_hash(self, graph: URIRef) -> str | None: ...
    def query(self, sparql: str, *, dataset: QueryDataset | None = None) -> QueryOutcome: ...
    def serialize_query(
        self,
        sparql: str,
        output: IO[bytes],
        results: ResultsSyntax,
        rdf: RdfSyntax,
        *,
        dataset: QueryDataset | None = None,
    ) -> str: ...
    def update(self, sparql: str, *, base_iri: str | None = None) -> None: ...
    def export(self, output: IO[bytes], syntax: RdfSyntax) -> None: ...
    def triples(self, graph: URIRef | None = None) -> Iterator[Triple]: ...
    def triples_about(self, subjects: Sequence[Node], predicates: Sequence[URIRef] | None = None) -> list[Triple]:
        """The triples of the union of the sources whose subject is one of ``subjects`` (IRIs) and whose
        predicate is one of ``predicates`` (any when None), each once; a dereference reads these."""
        ...

    def __len__(self) -> int: ...
    def close(self) -> None: ...


def snapshots_dir(path: Path) -> Path:
    """Where the writer of the store at ``path`` puts the snapshots its query workers read
    (graph/store_snapshots.py); nothing reads them once that writer is gone."""
    return path.with_name(path.name + ".snapshots")


class OxigraphStore:
    """The embedded store: Oxigraph on disk (``path``) or in memory (``path=None``)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._lock = StoreLock(path) if path is not None and not read_only else None
        if self._lock is None:
            self._store = self._open(path, read_only)
            if read_only:
                self._refuse_outdated_union()
            return
        self._lock.acquire()  # before the journal: another writer's replacement is not a crash
        try:
            self._open_for_writing()
        except BaseException:
            self._lock.release()
            raise

    def _open_for_writing(self) -> None:
        assert self.path is not None
        journal = Journal(self.path)
        if journal.pending:
            journal.roll_back()  # a replacement was interrupted: go back to the state before it
        journal.tidy()  # what an interrupted commit left
        shutil.rmtree(snapshots_dir(self.path), ignore_errors=True)  # the query workers of a writer that is gone
        self._store = self._open(self.path, read_only=False)
        self._drop_staging_graphs()
        marker = self._union_marker()
        interrupted = marker is not None and marker.exists()  # a rebuild after an update did not finish
        if interrupted or union_outdated(self._store):
            self._rebuild_union()  # or a store written before the union moved to the default graph

    def _refuse_outdated_union(self) -> None:
        """A read-only open cannot move an older store's union into the default graph: say how to."""
        if union_outdated(self._store):
            raise StoreError(
                f"the store at {self.path} was written by an earlier kgcat: the union of its sources is not in "
                "the default graph (it was the named graph urn:kgcat:union). Open it read-write once to rebuild "
                "the union there: `kgcat serve` does when it starts, and so does any `kgcat import` "
                "(with --data-dir pointing at this store's data directory); then read it again."
            )

    @staticmethod
    def _open(path: Path | None, read_only: bool) -> ox.Store:
        if path is None:
            return ox.Store()
        try:
            if read_only:
                return ox.Store.read_only(str(path))
            path.mkdir(parents=True, exist_ok=True)
            return ox.Store(str(path))
        except OSError as error:
            raise StoreError(
                f"cannot open the store at {path}: {error}. If another kgcat process (e.g. `kgcat serve`) "
                "holds it, stop that process or point --data-dir elsewhere."
            ) from error

    def _drop_staging_graphs(self) -> None:
        for graph in list(self._store.named_graphs()):
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(STAGING_PREFIX):
                logger.warning("removing %s left behind by an interrupted import", graph.value)
                self._store.remove_graph(graph)

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only; writes go through `kgcat import` or an authorised API call")

    def replace_graph(self, graph: URIRef, triples: Iterable[Triple]) -> int:
        """Atomically replace named graph ``graph`` by ``triples``; returns the number of triples written."""
        self._writable()
        if self.path is None:
            return self._replace_in_memory(graph, triples)
        target = ox.NamedNode(str(graph))

        def replace() -> int:
            remove_source(self._store, target)
            return self._bulk_load(target, triples, also_union=True)

        return self._journaled(str(graph), replace)

    def replace_graph_ntriples(self, graph: URIRef, chunks: Iterable[bytes]) -> int:
        """:meth:`replace_graph` for triples given as N-Triples text (whole lines per chunk, no blank nodes
        shared between chunks): Oxigraph parses it in Rust, which spares making term objects in Python."""
        self._writable()
        target = ox.NamedNode(str(graph))
        if self.path is None:
            return self._replace_in_memory_ntriples(target, chunks)

        def replace() -> int:
            remove_source(self._store, target)
            return self._bulk_load_ntriples(target, chunks, also_union=True)

        return self._journaled(str(graph), replace)

    def _bulk_load_ntriples(self, target: ox.NamedNode, chunks: Iterable[bytes], *, also_union: bool = False) -> int:
        """Bulk-load N-Triples text in calls of about :data:`LOAD_CHUNK` lines (into the union too)."""
        count = lines = 0
        pending: list[bytes] = []

        def load() -> None:
            text = b"".join(pending)
            pending.clear()
            self._store.bulk_load(text, ox.RdfFormat.N_TRIPLES, to_graph=target)
            if also_union:  # the default graph: 3 index writes per triple, not the 6 of a named graph
                # lenient: the same text was just parsed with every IRI checked (checking doubles the parse CPU)
                self._store.bulk_load(text, ox.RdfFormat.N_TRIPLES, to_graph=UNION_GRAPH, lenient=True)

        for chunk in chunks:
            pending.append(chunk)
            lines += chunk.count(b"\n")
            if lines >= LOAD_CHUNK:
                load()
                count, lines = count + lines, 0
        if pending:
            load()
            count += lines
        if count == 0:  # an empty source is still a source: keep its (empty) graph
            self._store.add_graph(target)
        return count

    def _replace_in_memory_ntriples(self, target: ox.NamedNode, chunks: Iterable[bytes]) -> int:
        staging = ox.NamedNode(f"{STAGING_PREFIX}{uuid.uuid4()}")
        try:
            count = self._bulk_load_ntriples(staging, chunks)
            replace_source_in_one_transaction(self._store, target, staging)
        except BaseException:
            if self._store.contains_named_graph(staging):
                self._store.remove_graph(staging)
            raise
        if count == 0:
            self._store.add_graph(target)
        return count

    def _journaled(self, what: str, change: Callable[[], T]) -> T:
        """Run ``change`` on the on-disk store between a checkpoint and a commit (graph/journal.py)."""
        assert self.path is not None
        journal = Journal(self.path)
        self._store.flush()
        journal.begin(what, lambda directory: self._store.backup(str(directory)))
        try:
            outcome = change()
            self._store.flush()
        except BaseException:
            self._restore(journal)
            raise
        journal.commit()
        return outcome

    def _bulk_load(self, target: ox.NamedNode, triples: Iterable[Triple], *, also_union: bool = False) -> int:
        """Bulk-load in chunks (pyoxigraph's loader holds what one call gives it in memory), into the union too."""
        count = 0
        chunk: list[ox.Quad] = []
        for triple in triples:
            quad = triple_to_quad(triple, target)
            chunk.append(quad)
            if also_union:
                chunk.append(ox.Quad(quad.subject, quad.predicate, quad.object, UNION_GRAPH))
            if len(chunk) >= LOAD_CHUNK:
                self._store.bulk_extend(chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            self._store.bulk_extend(chunk)
            count += len(chunk)
        count = count // 2 if also_union else count
        if count == 0:  # an empty source is still a source: keep its (empty) graph
            self._store.add_graph(target)
        return count

    def _restore(self, journal: Journal) -> None:
        """Close the store, put the checkpoint back, reopen: the state before the failed replacement."""
        assert self.path is not None
        del self._store
        gc.collect()
        journal.roll_back()
        self._store = self._open(self.path, self.read_only)

    def _replace_in_memory(self, graph: URIRef, triples: Iterable[Triple]) -> int:
        """In memory: stage the triples, then one MOVE (a single transaction; fine at in-memory sizes)."""
        staging = ox.NamedNode(f"{STAGING_PREFIX}{uuid.uuid4()}")
        try:
            count = self._bulk_load(staging, triples)
            replace_source_in_one_transaction(self._store, ox.NamedNode(str(graph)), staging)
        except BaseException:
            if self._store.contains_named_graph(staging):
                self._store.remove_graph(staging)
            raise
        if count == 0:
            self._store.add_graph(ox.NamedNode(str(graph)))
        return count

    def remove_graph(self, graph: URIRef) -> bool:
        """Remove a source (and what only it stated from the union)."""
        self._writable()
        node = ox.NamedNode(str(graph))
        if not self._store.contains_named_graph(node) or is_internal(node):
            return False
        if self.path is None:
            remove_source(self._store, node)
        else:
            self._journaled(str(graph), lambda: remove_source(self._store, node))
        return True

    def named_graphs(self) -> list[URIRef]:
        """The source graphs (the union and staging graphs are internal)."""
        return [URIRef(g.value) for g in source_graphs(self._store)]

    def source_hash(self, graph: URIRef) -> str | None:
        node = ox.NamedNode(str(graph))
        for quad in self._store.quads_for_pattern(node, ox.NamedNode(str(KGCAT.contentHash)), None, node):
            return str(from_ox(quad.object))
        return None

    def snapshot(self, target: Path) -> None:
        """Write the current state as a separate store at ``target`` (a RocksDB checkpoint: hard links)."""
        if self.path is None:
            raise StoreError("an in-memory store has no snapshots")
        self._store.flush()
        self._store.backup(str(target))

    @property
    def native(self) -> ox.Store:
        """The pyoxigraph store itself, for the query runner (graph/query_runner.py); do not write to it."""
        return self._store

    def _run(self, sparql: str, dataset: QueryDataset | None = None) -> object:
        dataset = dataset or QueryDataset()
        try:
            default = dataset.default_graph_nodes()
            return self._store.query(
                sparql,
                prefixes=PREFIXES,
                default_graph=default or [UNION_GRAPH],
                named_graphs=dataset.named_graph_nodes() or list(source_graphs(self._store)),
            )
        except SyntaxError as error:
            raise QueryError(f"the SPARQL query does not parse: {error}") from error
        except OSError as error:
            raise QueryError(f"the SPARQL query failed: {error}") from error

    def query(self, sparql: str, *, dataset: QueryDataset | None = None) -> QueryOutcome:
        result = self._run(sparql, dataset)
        if isinstance(result, ox.QueryBoolean):
            return QueryOutcome("ask", (), (), bool(result), ())
        if isinstance(result, ox.QuerySolutions):
            names = tuple(v.value for v in result.variables)
            rows = tuple(
                {name: from_ox(solution[name]) for name in names if solution[name] is not None} for solution in result
            )
            return QueryOutcome("select", names, rows, None, ())
        assert isinstance(result, ox.QueryTriples)
        triples = tuple((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in result)
        return QueryOutcome("graph", (), (), None, triples)

    def serialize_query(
        self,
        sparql: str,
        output: IO[bytes],
        results: ResultsSyntax,
        rdf: RdfSyntax,
        *,
        dataset: QueryDataset | None = None,
    ) -> str:
        """Run a query and write its results natively; returns the media type written."""
        result = self._run(sparql, dataset)
        if isinstance(result, ox.QueryTriples):
            ox.serialize(result, output, rdf.oxigraph, prefixes=PREFIXES)
            return rdf.media_type
        assert isinstance(result, (ox.QuerySolutions, ox.QueryBoolean))
        result.serialize(output, results.oxigraph)
        return results.media_type

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        self._writable()
        refuse_default_graph_writes(sparql, base_iri=base_iri, prefixes=PREFIXES)
        try:
            self._store.update(sparql, prefixes=PREFIXES, base_iri=base_iri)  # one transaction
        except SyntaxError as error:
            raise QueryError(f"the SPARQL update does not parse: {error}") from error
        except OSError as error:
            raise QueryError(f"the SPARQL update failed: {error}") from error
        self._rebuild_union()  # an update may have touched any source

    def _rebuild_union(self) -> None:
        """Recompute the union; a marker file makes the next open finish it if the process dies meanwhile."""
        marker = self._union_marker()
        if marker is not None:
            self._store.flush()
            marker.write_text("the union (the default graph) is being rebuilt\n", encoding="utf-8")
        rebuild_union(self._store)
        if marker is not None:
            self._store.flush()
            marker.unlink()

    def _union_marker(self) -> Path | None:
        return None if self.path is None else self.path.with_name(self.path.name + ".union-rebuild")

    def export(self, output: IO[bytes], syntax: RdfSyntax) -> None:
        """Write the whole store: quads for dataset syntaxes, else the union of the named graphs."""
        if syntax.datasets:
            quads = (q for q in self._store if not is_internal(q.graph_name))
            ox.serialize(quads, output, syntax.oxigraph, prefixes=PREFIXES)
            return
        union = (
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self._store.quads_for_pattern(None, None, None, UNION_GRAPH)
        )
        ox.serialize(union, output, syntax.oxigraph, prefixes=PREFIXES)

    def triples(self, graph: URIRef | None = None) -> Iterator[Triple]:
        """The triples of one source graph, or of the union (each triple once)."""
        graph_node = ox.NamedNode(str(graph)) if graph is not None else UNION_GRAPH
        for quad in self._store.quads_for_pattern(None, None, None, graph_node):
            yield from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)

    def triples_about(self, subjects: Sequence[Node], predicates: Sequence[URIRef] | None = None) -> list[Triple]:
        """Index lookups in the union (the default graph), as :meth:`triples` reads it; no SPARQL: parsing and
        planning the query cost more than the lookups (``describe`` 1.7 → 0.6–0.9 CPU-ms at 90k,
        bench/describe_speed.py)."""
        wanted: list[ox.NamedNode | None] = [None] if predicates is None else [ox.NamedNode(str(p)) for p in predicates]
        found: list[Triple] = []
        for subject in dict.fromkeys(s for s in subjects if isinstance(s, URIRef)):
            try:
                node = ox.NamedNode(str(subject))
            except ValueError:  # not a valid IRI (control characters …): nothing can be stored under it
                continue
            for predicate in wanted:
                for quad in self._store.quads_for_pattern(node, predicate, None, UNION_GRAPH):
                    found.append((subject, from_ox(quad.predicate), from_ox(quad.object)))
        return found

    def __len__(self) -> int:
        """How many distinct triples the catalogue holds (the size of the union)."""
        rows = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # the store's default graph: the union
        assert isinstance(rows, ox.QuerySolutions)
        return int(next(iter(rows))["n"].value)

    def close(self) -> None:
        if not self.read_only:
            self._store.flush()
        del self._store
        if self._lock is not None:
            self._lock.release()
