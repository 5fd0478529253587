"""The union graph: the RDF merge of every source graph, kept as one deduplicated named graph.

SPARQL's default graph should be the *merge* of the sources: a triple two sources both state is
one triple. Oxigraph's "default graph as union" is a multiset instead (such a triple matches
twice, so counts double). kgcat therefore keeps ``urn:kgcat:union`` up to date as sources are
replaced, and queries use it as their default graph; ``GRAPH ?g`` still reaches the sources.
Every function here takes the raw pyoxigraph store and works in bounded transactions.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

UNION_GRAPH = ox.NamedNode("urn:kgcat:union")
STAGING_PREFIX = "urn:kgcat:staging:"
CHUNK = 50_000
"""Quads per transaction when a source is removed."""


def is_internal(graph: object) -> bool:
    """The union graph and staging graphs are kgcat's own, not sources."""
    return isinstance(graph, ox.NamedNode) and (graph == UNION_GRAPH or graph.value.startswith(STAGING_PREFIX))


def source_graphs(store: ox.Store) -> list[ox.NamedNode]:
    return sorted(
        (g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and not is_internal(g)), key=lambda g: g.value
    )


def _elsewhere(variable_graph: str, excluded: Iterable[ox.NamedNode]) -> str:
    others = ", ".join(f"<{g.value}>" for g in (*excluded, UNION_GRAPH))
    return f"FILTER NOT EXISTS {{ GRAPH {variable_graph} {{ ?s ?p ?o }} FILTER({variable_graph} NOT IN ({others})) }}"


def remove_source(store: ox.Store, source: ox.NamedNode) -> None:
    """Delete a source graph in chunks, and from the union the triples no other source states."""
    if not store.contains_named_graph(source):
        return
    pattern = f"GRAPH <{source.value}> {{ ?s ?p ?o }}"
    exclusive = (
        f"DELETE {{ {pattern} GRAPH <{UNION_GRAPH.value}> {{ ?s ?p ?o }} }} WHERE {{ SELECT ?s ?p ?o WHERE {{ "
        f"{pattern} {_elsewhere('?other', [source])} }} LIMIT {CHUNK} }}"
    )
    shared = f"DELETE {{ {pattern} }} WHERE {{ SELECT ?s ?p ?o WHERE {{ {pattern} }} LIMIT {CHUNK} }}"
    while next(iter(store.quads_for_pattern(None, None, None, source)), None) is not None:
        store.update(f"{exclusive} ; {shared}")
    store.remove_graph(source)


def replace_source_in_one_transaction(store: ox.Store, source: ox.NamedNode, staging: ox.NamedNode) -> None:
    """Swap a staged source in, union included, as one update (one transaction: for small stores)."""
    pattern = f"GRAPH <{source.value}> {{ ?s ?p ?o }}"
    store.update(
        f"DELETE {{ GRAPH <{UNION_GRAPH.value}> {{ ?s ?p ?o }} }} WHERE {{ {pattern} "
        f"{_elsewhere('?other', [source, staging])} }} ; "
        f"MOVE SILENT GRAPH <{staging.value}> TO GRAPH <{source.value}> ; "
        f"INSERT {{ GRAPH <{UNION_GRAPH.value}> {{ ?s ?p ?o }} }} WHERE {{ {pattern} }}"
    )


def rebuild_union(store: ox.Store) -> None:
    """Recompute the union from every source (after a SPARQL update, or for a store made before it existed)."""
    store.remove_graph(UNION_GRAPH) if store.contains_named_graph(UNION_GRAPH) else None
    chunk: list[ox.Quad] = []
    for source in source_graphs(store):
        for quad in store.quads_for_pattern(None, None, None, source):
            chunk.append(ox.Quad(quad.subject, quad.predicate, quad.object, UNION_GRAPH))
            if len(chunk) >= 200_000:
                store.bulk_extend(chunk)
                chunk = []
    if chunk:
        store.bulk_extend(chunk)
    store.add_graph(UNION_GRAPH)
