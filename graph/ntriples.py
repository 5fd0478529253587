"""rdflib triples written as N-Triples lines, for the store's bulk loader.

Large imports hand the store N-Triples text rather than term objects: the text is made in the
import's worker processes (plain string formatting, no pyoxigraph objects) and parsed by
Oxigraph's loader in Rust, which also checks every IRI. A line is exactly what pyoxigraph's own
N-Triples serialiser writes for the same terms, so the stored triples are the same either way
(``tests/graph/test_ntriples.py``). The exact rdflib classes (what the mapping makes) take a fast
path of plain string concatenation; subclasses and blank nodes take the general one.
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
    if type(node) is URIRef:
        return "".join(("<", node, ">"))  # join copies a str subclass's text without converting it first
    if type(node) is Literal:
        return _literal_text(node)
    if isinstance(node, URIRef):
        return "".join(("<", node, ">"))
    if isinstance(node, Literal):
        return _literal_text(node)
    if isinstance(node, BNode):
        return "".join(("_:", node))
    raise TypeError(f"cannot store {type(node).__name__} {node!r} in RDF")


def _literal_text(node: Literal) -> str:
    lexical: str = node
    if "\\" in node or '"' in node or "\n" in node or "\r" in node:
        lexical = str.__str__(node).translate(_ESCAPES)
    language = node.language
    if language:
        return "".join(('"', lexical, '"@', language))
    datatype = node.datatype
    if datatype is None or str.__eq__(datatype, _XSD_STRING):
        return "".join(('"', lexical, '"'))
    return "".join(('"', lexical, '"^^<', datatype, ">"))


def triple_line(triple: Triple) -> str:
    """One triple as an N-Triples line (newline included)."""
    subject, predicate, obj = triple
    if type(subject) is not URIRef and isinstance(subject, Literal):
        raise TypeError(f"a literal cannot be a subject: {subject!r}")
    if type(predicate) is not URIRef and not isinstance(predicate, URIRef):
        raise TypeError(f"a predicate must be an IRI: {predicate!r}")
    subject_text = "".join(("<", subject, ">")) if type(subject) is URIRef else term_text(subject)
    return "".join((subject_text, " <", predicate, "> ", term_text(obj), " .\n"))


def ntriples(triples: Iterable[Triple]) -> str:
    return "".join(triple_line(triple) for triple in triples)
