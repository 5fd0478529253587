"""rdflib triples written as N-Triples lines, for the store's bulk loader.

Large imports hand the store N-Triples text rather than term objects: the text is made in the
import's worker processes (plain string formatting, no pyoxigraph objects) and parsed by
Oxigraph's loader in Rust, which also checks every IRI. A line is exactly what pyoxigraph's own
N-Triples serialiser writes for the same terms, so the stored triples are the same either way
(``tests/graph/test_ntriples.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def term_text(node: Node) -> str:
    """One term in N-Triples syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        lexical = str.__str__(node)
        quoted = '"' + (lexical.translate(_ESCAPES) if _needs_escape(lexical) else lexical) + '"'
        if node.language:
            return f"{quoted}@{node.language}"
        datatype = node.datatype
        return quoted if datatype is None or str(datatype) == _XSD_STRING else f"{quoted}^^<{datatype}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    raise TypeError(f"cannot store {type(node).__name__} {node!r} in RDF")


def _needs_escape(text: str) -> bool:
    return "\\" in text or '"' in text or "\n" in text or "\r" in text


def triple_line(triple: Triple) -> str:
    """One triple as an N-Triples line (newline included)."""
    subject, predicate, obj = triple
    if isinstance(subject, Literal):
        raise TypeError(f"a literal cannot be a subject: {subject!r}")
    if not isinstance(predicate, URIRef):
        raise TypeError(f"a predicate must be an IRI: {predicate!r}")
    return f"{term_text(subject)} <{predicate}> {term_text(obj)} .\n"


def ntriples(triples: Iterable[Triple]) -> str:
    return "".join(triple_line(triple) for triple in triples)
