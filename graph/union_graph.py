"""The union of the sources: their RDF merge, kept deduplicated in the store's default graph.

SPARQL's default graph should be the *merge* of the sources: a triple two sources both state is
one triple. Oxigraph's "default graph as union" is a multiset instead (such a triple matches
twice, so counts double). kgcat therefore keeps the merge in Oxigraph's own default graph, up to
date as sources are replaced: queries read it as their default graph, and ``GRAPH ?g`` reaches
only the sources (the default graph is not a named graph). Oxigraph indexes a default-graph
triple 3 ways and a named-graph quad 6 ways, so this costs less than a named union graph
(docs/decisions/store.md). Stores written before kept the union in the named graph
``urn:kgcat:union`` (:data:`LEGACY_UNION_GRAPH`); a read-write open rebuilds it in the default
graph (:func:`union_outdated`, :func:`rebuild_union`). Every function here takes the raw
pyoxigraph store and works in bounded transactions.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

UNION_GRAPH = ox.DefaultGraph()
"""Where the union lives: the store's default graph."""
LEGACY_UNION_GRAPH = ox.NamedNode("urn:kgcat:union")
"""Where stores written before the union moved to the default graph kept it (migrated on open)."""
STAGING_PREFIX = "urn:kgcat:staging:"
CHUNK = 50_000
"""Quads per transaction when a source or a graph of kgcat's own is emptied."""


def is_internal(graph: object) -> bool:
    """The union (the default graph, or its former named graph) and staging graphs are kgcat's own, not sources."""
    if isinstance(graph, ox.DefaultGraph):
        return True
    return isinstance(graph, ox.NamedNode) and (graph == LEGACY_UNION_GRAPH or graph.value.startswith(STAGING_PREFIX))


def source_graphs(store: ox.Store) -> list[ox.NamedNode]:
    return sorted(
        (g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and not is_internal(g)), key=lambda g: g.value
    )


def _has_quads(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, graph)), None) is not None


def union_outdated(store: ox.Store) -> bool:
    """True when the default graph does not hold the union: the store keeps it in :data:`LEGACY_UNION_GRAPH`, or
    predates any union (sources with triples, an empty default graph). Index look-ups only: cheap at any size."""
    if store.contains_named_graph(LEGACY_UNION_GRAPH):
        return True
    return not _has_quads(store, UNION_GRAPH) and any(_has_quads(store, g) for g in source_graphs(store))


def _elsewhere(variable_graph: str, excluded: Iterable[ox.NamedNode]) -> str:
    others = ", ".join(f"<{g.value}>" for g in excluded)
    return f"FILTER NOT EXISTS {{ GRAPH {variable_graph} {{ ?s ?p ?o }} FILTER({variable_graph} NOT IN ({others})) }}"


def remove_source(store: ox.Store, source: ox.NamedNode) -> None:
    """Delete a source graph in chunks, and from the union the triples no other source states."""
    if not store.contains_named_graph(source):
        return
    pattern = f"GRAPH <{source.value}> {{ ?s ?p ?o }}"
    exclusive = (
        f"DELETE {{ {pattern} ?s ?p ?o }} WHERE {{ SELECT ?s ?p ?o WHERE {{ "
        f"{pattern} {_elsewhere('?other', [source])} }} LIMIT {CHUNK} }}"
    )
    shared = f"DELETE {{ {pattern} }} WHERE {{ SELECT ?s ?p ?o WHERE {{ {pattern} }} LIMIT {CHUNK} }}"
    while _has_quads(store, source):
        store.update(f"{exclusive} ; {shared}")
    store.remove_graph(source)


def replace_source_in_one_transaction(store: ox.Store, source: ox.NamedNode, staging: ox.NamedNode) -> None:
    """Swap a staged source in, union included, as one update (one transaction: for small stores)."""
    pattern = f"GRAPH <{source.value}> {{ ?s ?p ?o }}"
    store.update(
        f"DELETE {{ ?s ?p ?o }} WHERE {{ {pattern} {_elsewhere('?other', [source, staging])} }} ; "
        f"MOVE SILENT GRAPH <{staging.value}> TO GRAPH <{source.value}> ; "
        f"INSERT {{ ?s ?p ?o }} WHERE {{ {pattern} }}"
    )


def _empty(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> None:
    """Delete every quad of ``graph`` in transactions of :data:`CHUNK` (one transaction would hold them all)."""
    pattern = "?s ?p ?o" if isinstance(graph, ox.DefaultGraph) else f"GRAPH <{graph.value}> {{ ?s ?p ?o }}"
    while _has_quads(store, graph):
        store.update(f"DELETE {{ {pattern} }} WHERE {{ SELECT ?s ?p ?o WHERE {{ {pattern} }} LIMIT {CHUNK} }}")


def rebuild_union(store: ox.Store) -> None:
    """Recompute the union in the default graph from every source (after a SPARQL update, or for a store that
    kept it in :data:`LEGACY_UNION_GRAPH` or had none); the legacy graph is removed last."""
    _empty(store, UNION_GRAPH)
    chunk: list[ox.Quad] = []
    for source in source_graphs(store):
        for quad in store.quads_for_pattern(None, None, None, source):
            chunk.append(ox.Quad(quad.subject, quad.predicate, quad.object, UNION_GRAPH))
            if len(chunk) >= 200_000:
                store.bulk_extend(chunk)
                chunk = []
    if chunk:
        store.bulk_extend(chunk)
    if store.contains_named_graph(LEGACY_UNION_GRAPH):
        _empty(store, LEGACY_UNION_GRAPH)
        store.remove_graph(LEGACY_UNION_GRAPH)
