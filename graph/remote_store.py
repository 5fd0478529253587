"""The graph store on a SPARQL 1.1 server: :class:`SparqlProtocolStore`, the ``Store`` protocol over HTTP.

Layout on the server: each source is one named graph, as in the embedded store (graph/store.py),
and the named graph ``urn:kgcat:union:<key of the base IRI>`` (:data:`UNION_PREFIX`; the embedded
store keeps the merge in its default graph instead) holds their RDF merge (a triple two sources
state is one triple on every server, whatever its own notion of a default graph), queries get
the union as default graph and the sources as named graphs through the protocol's
``default-graph-uri`` / ``named-graph-uri``. kgcat's sources are the named graphs under
``graph_prefix``, ``<base IRI>graph/`` (where :class:`~graph.iris.IriMinter` mints them, and not
the whole base: it may hold another catalogue's base, ``https://data.example.org/`` and
``https://data.example.org/xuhui/`` on one server); every other graph on the server is left alone.

Replacing a source: the triples are uploaded in bounded chunks into a fresh staging graph
(``urn:kgcat:staging:…``), then one update request swaps it in — delete from the union what only
the old source stated, add the staged triples to the union, ``MOVE`` the staging graph onto the
source. The staging graph disappears with the last operation, so an interruption anywhere leaves
it behind; the failed call itself, or the next read-write open, drops it and rebuilds the union
from the sources. The source graph is then the old or the new one as far as the server's
``MOVE`` is atomic; the union is consistent once repaired. Readers may see the swap half done
(no isolation across operations on Virtuoso). See docs/decisions/store.md.

Whole-graph reads page by subject (``FILTER(STR(?s) > last) ORDER BY STR(?s) LIMIT n``, then by
predicate and object within a subject too large for one page): no ``OFFSET``, which Virtuoso
refuses past its ``MaxSortedTopRows`` when sorting, and no page that reaches the server's row cap.
"""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from graph.errors import StoreError
from graph.formats import RdfSyntax, ResultsSyntax
from graph.iris import IriMinter, name_key
from graph.results_writer import solutions_writer
from graph.sparql_client import OxTerm, Solutions, SparqlClient, SparqlEndpoint
from graph.sparql_text import GRAPH_FORMS, query_form
from graph.store import QueryDataset, QueryOutcome, Triple
from graph.terms import from_ox, triple_to_quad
from graph.union_graph import STAGING_PREFIX
from graph.update_targets import refuse_default_graph_writes
from ontology.namespaces import KGCAT, PREFIXES

logger = logging.getLogger(__name__)

UNION_PREFIX = "urn:kgcat:union:"
"""The union graph of a catalogue on the server is this prefix and the key of its base IRI (several can share one)."""
NO_GRAPH = "urn:kgcat:no-graph"
"""Named in ``named-graph-uri`` when there is no source, so that ``GRAPH ?g`` matches nothing (not every graph)."""
POSITIONS = ("s", "p", "o")
UPLOAD_CHUNK = 10_000
"""Triples per upload request."""


def prologue(base_iri: str | None = None) -> str:
    """kgcat's prefixes (and a base) as a SPARQL prologue: the embedded store predeclares them, so must this one."""
    lines = [f"BASE <{base_iri}>"] if base_iri else []
    lines += [f"PREFIX {name}: <{namespace}>" for name, namespace in PREFIXES.items()]
    return "\n".join(lines) + "\n"


def _iri_list(graphs: Iterable[str]) -> str:
    return ", ".join(f"<{graph}>" for graph in graphs)


def _ntriples(triples: Iterable[ox.Triple | ox.Quad]) -> bytes:
    return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples).encode("utf-8")


class SparqlProtocolStore:
    """kgcat's catalogue on a SPARQL 1.1 server (see the module docstring)."""

    def __init__(
        self,
        endpoint: SparqlEndpoint,
        base_iri: str,
        *,
        read_only: bool = False,
        client: SparqlClient | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.graph_prefix = str(IriMinter(base_iri).source_graph(""))  # see the module docstring
        self.read_only = read_only
        self.client = client or SparqlClient(endpoint)
        self._sources: list[URIRef] | None = None
        key = name_key(base_iri)  # several catalogues (base IRIs) can share one server
        self.union = f"{UNION_PREFIX}{key}"
        self.staging_prefix = f"{STAGING_PREFIX}{key}:"
        self.page_size = max(1, min(50_000, endpoint.result_limit // 2)) if endpoint.result_limit else 5000
        if not read_only:
            self._recover()

    # ------------------------------------------------------------------ internal graphs

    def _graphs_starting(self, prefix: str) -> list[URIRef]:
        rows = self._select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {json.dumps(prefix)})) }}"
        )
        return sorted(URIRef(row["g"].value) for row in rows.rows if isinstance(row.get("g"), ox.NamedNode))

    def _select(self, sparql: str) -> Solutions:
        result = self.client.select(prologue() + sparql)
        assert isinstance(result, Solutions), "a SELECT answered with a boolean"
        return result

    def _recover(self) -> None:
        """Drop staging graphs an interrupted replacement left behind, and make the union whole again."""
        leftovers = self._graphs_starting(self.staging_prefix)
        if not leftovers:
            return
        logger.warning("removing %d staging graph(s) left behind by an interrupted import", len(leftovers))
        self._repair(leftovers)

    def _repair(self, staging: Iterable[URIRef]) -> None:
        drops = [f"DROP SILENT GRAPH <{graph}>" for graph in staging]
        self.client.update(" ;\n".join([*drops, self._rebuild_union()]))
        self._sources = None

    def _rebuild_union(self) -> str:
        return (
            f"DROP SILENT GRAPH <{self.union}> ;\n"
            f"INSERT {{ GRAPH <{self.union}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
            f"FILTER(STRSTARTS(STR(?g), {json.dumps(self.graph_prefix)})) }}"
        )

    def _drop_exclusive(self, graph: URIRef) -> str:
        """The update deleting from the union the triples of ``graph`` no other source states."""
        others = [str(g) for g in self.named_graphs() if g != graph]
        elsewhere = (
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other IN ({_iri_list(others)})) }}"
            if others
            else ""
        )
        pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}"
        return f"DELETE {{ GRAPH <{self.union}> {{ ?s ?p ?o }} }} WHERE {{ {pattern} {elsewhere} }}"

    def _writable(self, graph: URIRef | None = None) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only; writes go through `kgcat import` or an authorised API call")
        if graph is not None and not str(graph).startswith(self.graph_prefix):
            raise StoreError(
                f"<{graph}> is outside {self.graph_prefix}, the part of the SPARQL server this catalogue owns; "
                "name source graphs under <KGCAT_BASE_IRI>graph/"
            )

    # ------------------------------------------------------------------ writes

    def replace_graph(self, graph: URIRef, triples: Iterable[Triple]) -> int:
        """Replace source ``graph`` by ``triples``: stage, then swap in one update (see the module docstring)."""
        self._writable(graph)
        staging = URIRef(f"{self.staging_prefix}{uuid.uuid4()}")
        try:
            count = self._upload(staging, triples)
        except BaseException:
            self.client.update(f"DROP SILENT GRAPH <{staging}>")
            raise
        swap = [self._drop_exclusive(graph)]
        if count:
            staged = f"GRAPH <{staging}> {{ ?s ?p ?o }}"
            swap.append(f"INSERT {{ GRAPH <{self.union}> {{ ?s ?p ?o }} }} WHERE {{ {staged} }}")
            swap.append(f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{graph}>")
        else:  # an empty graph does not survive on most servers: the source is dropped
            swap.append(f"DROP SILENT GRAPH <{graph}>")
        try:
            self.client.update(" ;\n".join(swap))
        except BaseException:
            logger.warning("replacing %s failed mid-swap; repairing the union", graph)
            self._repair([staging])
            raise
        finally:
            self._sources = None
        return count

    def replace_graph_ntriples(self, graph: URIRef, chunks: Iterable[bytes]) -> int:
        """:meth:`replace_graph` for triples given as N-Triples text (what large imports produce)."""
        triples = (
            (from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
            for chunk in chunks
            for t in ox.parse(chunk, ox.RdfFormat.N_TRIPLES)
        )
        return self.replace_graph(graph, triples)

    def _upload(self, staging: URIRef, triples: Iterable[Triple]) -> int:
        """Upload in chunks; triples with blank nodes go together in the last request (labels are per document)."""
        target = ox.NamedNode(str(staging))
        chunk: list[ox.Quad] = []
        blank: list[ox.Quad] = []
        count = 0
        for triple in triples:
            quad = triple_to_quad(triple, target)
            count += 1
            if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
                blank.append(quad)
                continue
            chunk.append(quad)
            if len(chunk) >= UPLOAD_CHUNK:
                self.client.add_triples(str(staging), _ntriples(chunk))
                chunk = []
        if chunk or blank:
            self.client.add_triples(str(staging), _ntriples([*chunk, *blank]))
        return count

    def remove_graph(self, graph: URIRef) -> bool:
        """Remove a source (and what only it stated from the union)."""
        self._writable()
        if graph not in self.named_graphs():
            return False
        try:
            self.client.update(f"{self._drop_exclusive(graph)} ;\nDROP SILENT GRAPH <{graph}>")
        except BaseException:
            self._repair([])
            raise
        finally:
            self._sources = None
        return True

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL update on the server's own dataset, then rebuild the union (it may have touched any source)."""
        self._writable()
        refuse_default_graph_writes(sparql, base_iri=base_iri, prefixes=PREFIXES)
        try:
            self.client.update(prologue(base_iri) + sparql, user_text=True)
        finally:
            self._sources = None
            self.client.update(self._rebuild_union())

    # ------------------------------------------------------------------ reads

    def named_graphs(self) -> list[URIRef]:
        """The source graphs (the graphs under ``graph_prefix``); cached until this store writes."""
        if self._sources is None:
            self._sources = self._graphs_starting(self.graph_prefix)
        return list(self._sources)

    def source_hash(self, graph: URIRef) -> str | None:
        rows = self._select(f"SELECT ?h WHERE {{ GRAPH <{graph}> {{ <{graph}> <{KGCAT.contentHash}> ?h }} }} LIMIT 1")
        return rows.rows[0]["h"].value if rows.rows and "h" in rows.rows[0] else None

    def triples_about(self, subjects: Sequence[Node], predicates: Sequence[URIRef] | None = None) -> list[Triple]:
        """One SELECT with the subjects (and predicates) as VALUES."""
        iris = " ".join(f"<{s}>" for s in dict.fromkeys(subjects) if isinstance(s, URIRef))
        if not iris:
            return []
        restrict = f"VALUES ?p {{ {' '.join(f'<{p}>' for p in predicates)} }}" if predicates is not None else ""
        rows = self.query(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {iris} }} {restrict} ?s ?p ?o }}").rows
        return [(row["s"], row["p"], row["o"]) for row in rows]

    def dataset_graphs(self, dataset: QueryDataset | None) -> tuple[list[str], list[str]]:
        """(default graphs, named graphs) of a query, as the embedded store chooses them."""
        dataset = dataset or QueryDataset()
        default = list(dataset.default_graphs or ()) or [self.union]
        named = list(dataset.named_graphs or ()) or [str(g) for g in self.named_graphs()] or [NO_GRAPH]
        return default, named

    def run(
        self,
        sparql: str,
        dataset: QueryDataset | None = None,
        *,
        base_iri: str | None = None,
        timeout_s: float | None = None,
    ) -> Solutions | bool | list[ox.Triple]:
        """Run a user's query over the catalogue's dataset: solutions, a boolean, or triples."""
        default, named = self.dataset_graphs(dataset)
        text = prologue(base_iri) + sparql
        if query_form(sparql) in GRAPH_FORMS:
            return self.client.construct(text, default, named, user_text=True, timeout_s=timeout_s)
        return self.client.select(text, default, named, user_text=True, timeout_s=timeout_s)

    def query(self, sparql: str, *, dataset: QueryDataset | None = None) -> QueryOutcome:
        result = self.run(sparql, dataset)
        if isinstance(result, bool):
            return QueryOutcome("ask", (), (), result, ())
        if isinstance(result, Solutions):
            rows = tuple({name: from_ox(term) for name, term in row.items()} for row in result.rows)
            return QueryOutcome("select", result.variables, rows, None, ())
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
        """Run a query and write its results with kgcat's own writers (the same bytes as the embedded store)."""
        media_type, body, _ = write_answer(self.run(sparql, dataset), results.media_type, rdf.media_type)
        output.write(body)
        return media_type

    def _graph_triples(self, graph: str) -> Iterator[ox.Triple]:
        """Every triple of ``graph``, in pages the server's row cap cannot cut (see the module docstring)."""
        for row in self._keyset_rows(graph, {}, 0):
            yield _triple(row)

    def _keyset_rows(self, graph: str, bound: dict[str, OxTerm], level: int) -> Iterator[dict[str, OxTerm]]:
        """The rows of ``GRAPH <graph> { ?s ?p ?o }`` with ``bound`` fixed, paged by ``STR()`` of one position.

        A page ends mid-group, so its last key's rows are read again with the next page; a key
        filling a whole page is read one position deeper (subject, then predicate, then object).
        Blank nodes have no ``STR()``: they come in one read after the keyed pages.
        """
        name = POSITIONS[level]
        pattern = " ".join(str(bound[v]) if v in bound else f"?{v}" for v in POSITIONS)
        free = " ".join(f"?{v}" for v in POSITIONS if v not in bound)
        after: str | None = None
        while True:
            start = f"FILTER(STR(?{name}) > {json.dumps(after)})" if after is not None else ""
            rows = self._select(
                f"SELECT {free} WHERE {{ GRAPH <{graph}> {{ {pattern} }} FILTER(!isBlank(?{name})) {start} }} "
                f"ORDER BY STR(?{name}) LIMIT {self.page_size}"
            ).rows
            if len(rows) < self.page_size:
                yield from ({**bound, **row} for row in rows)
                break
            last = rows[-1][name].value
            complete = [row for row in rows if row[name].value != last]
            if complete:
                yield from ({**bound, **row} for row in complete)
                after = complete[-1][name].value
                continue
            if level == len(POSITIONS) - 1:
                raise StoreError(
                    f"more than {self.page_size} triples of <{graph}> share subject, predicate and object text; "
                    "raise KGCAT_REMOTE_RESULT_LIMIT (and the server's row cap) to read them"
                )
            yield from self._keyset_rows(graph, {**bound, name: rows[-1][name]}, level + 1)
            after = last
        blanks = self._select(f"SELECT {free} WHERE {{ GRAPH <{graph}> {{ {pattern} }} FILTER(isBlank(?{name})) }}")
        yield from ({**bound, **row} for row in blanks.rows)

    def triples(self, graph: URIRef | None = None) -> Iterator[Triple]:
        """The triples of one source graph, or of the union (each triple once)."""
        for triple in self._graph_triples(str(graph) if graph is not None else self.union):
            yield from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)

    def export(self, output: IO[bytes], syntax: RdfSyntax) -> None:
        """Write the whole catalogue: quads for dataset syntaxes, else the union of the sources."""
        if syntax.datasets:
            quads = (
                ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(graph)))
                for graph in self.named_graphs()
                for t in self._graph_triples(str(graph))
            )
            ox.serialize(quads, output, syntax.oxigraph, prefixes=PREFIXES)
            return
        ox.serialize(self._graph_triples(self.union), output, syntax.oxigraph, prefixes=PREFIXES)

    def __len__(self) -> int:
        """How many distinct triples the catalogue holds (the size of the union)."""
        rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{self.union}> {{ ?s ?p ?o }} }}").rows
        return int(rows[0]["n"].value) if rows else 0

    def close(self) -> None:
        self.client.close()


def write_answer(
    result: Solutions | bool | list[ox.Triple], results_media_type: str, rdf_media_type: str
) -> tuple[str, bytes, int]:
    """(media type, body, count) of a remote result, in the requested format."""
    if isinstance(result, bool):
        parsed = ox.parse_query_results(
            b'{"head":{},"boolean":%s}' % (b"true" if result else b"false"), format=ox.QueryResultsFormat.JSON
        )
        output = io.BytesIO()
        parsed.serialize(output, ox.QueryResultsFormat.from_media_type(results_media_type))
        return results_media_type, output.getvalue(), 1
    if isinstance(result, Solutions):
        rows = [tuple(row.get(name) for name in result.variables) for row in result.rows]
        return results_media_type, solutions_writer(results_media_type)(result.variables, rows), len(rows)
    output = io.BytesIO()
    ox.serialize(result, output, ox.RdfFormat.from_media_type(rdf_media_type), prefixes=PREFIXES)
    return rdf_media_type, output.getvalue(), len(result)


def _triple(row: dict[str, OxTerm]) -> ox.Triple:
    subject, predicate = row["s"], row["p"]
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise StoreError(f"the SPARQL server returned a malformed triple {row}")
    return ox.Triple(subject, predicate, row["o"])
