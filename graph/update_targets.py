"""Refuse SPARQL updates that write to the default graph: in kgcat it is the union of the sources.

kgcat computes the default graph itself (graph/union_graph.py) and recomputes it after every
update, so a triple inserted there without a graph would vanish at once and one deleted there
would come back: the update would report success and change nothing. Such updates are refused
before they run, saying how to name the graph. Updates that only *read* the default graph
(a ``WHERE`` without ``GRAPH``, ``COPY DEFAULT TO <g>``) are fine: they read the union.

The update is parsed with rdflib's SPARQL 1.1 parser; text it cannot parse is left for the
store's own parser to accept or reject.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate

from graph.errors import QueryError

HINT = (
    "name a source graph instead — INSERT DATA { GRAPH <…> { … } }, WITH <…> DELETE … INSERT … WHERE …, "
    "or DELETE { GRAPH ?g { … } } WHERE { GRAPH ?g { … } } to delete a triple from every source that states it"
)


class DefaultGraphWrite(QueryError):
    """A SPARQL update would write to the default graph, which kgcat keeps as the union of the sources."""

    def __init__(self, operations: list[str]) -> None:
        self.operations = operations
        super().__init__(
            f"this update writes to the default graph ({'; '.join(operations)}), which is the union of the "
            f"catalogue's sources that kgcat computes itself: the change would be undone at once. {HINT}"
        )


_OPERATION_WORDS = {"InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE"}
PREFIX_DECLARATION = re.compile(r"PREFIX\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)


def refuse_default_graph_writes(sparql: str, *, base_iri: str | None, prefixes: Mapping[str, str]) -> None:
    """Raise :class:`DefaultGraphWrite` if an operation of ``sparql`` writes to the default graph."""
    # rdflib forgets a PREFIX of the first operation in the later ones: declare them all up front
    declared = {**prefixes, **dict(PREFIX_DECLARATION.findall(sparql))}
    try:
        update = translateUpdate(parseUpdate(sparql), base=base_iri, initNs=declared)
    except Exception:  # rdflib raises bare Exception (an unknown prefix …) besides pyparsing's ParseException
        return  # text rdflib cannot read: the store's own parser decides
    writes = [description for operation in update.algebra for description in _default_graph_writes(operation)]
    if writes:
        raise DefaultGraphWrite(writes)


def _field(node: Any, key: str) -> Any:
    """A field of an rdflib algebra node, None when absent (its own ``get`` answers the key's name then)."""
    return dict.get(node, key)


def _default_graph_writes(operation: Any) -> Iterator[str]:
    """What ``operation`` (one rdflib update algebra node) writes to the default graph, in words."""
    name = operation.name
    if name in ("InsertData", "DeleteData", "DeleteWhere") and _field(operation, "triples"):
        yield f"{_OPERATION_WORDS[name]} triples without GRAPH"
    elif name == "Modify" and _field(operation, "withClause") is None:
        for part in ("insert", "delete"):
            template = _field(operation, part)
            if template is not None and _field(template, "triples"):
                yield f"{part.upper()} template triples without GRAPH"
    elif name in ("Clear", "Drop") and _field(operation, "graphiri") == "DEFAULT":
        yield f"{name.upper()} DEFAULT"
    elif name in ("Add", "Move", "Copy") and _field(operation, "graph")[1] == "DEFAULT":
        yield f"{name.upper()} … TO DEFAULT"
    elif name == "Load" and _field(operation, "graphiri") is None:
        yield "LOAD without INTO GRAPH"
