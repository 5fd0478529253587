"""Conversion between rdflib terms (kgcat's public types) and pyoxigraph terms (the store's)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_ox(node: Node) -> OxTerm:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        datatype = ox.NamedNode(str(node.datatype)) if node.datatype else None
        return ox.Literal(str(node), datatype=datatype)
    raise TypeError(f"cannot store {type(node).__name__} {node!r} in RDF")


def to_ox_subject(node: Node) -> ox.NamedNode | ox.BlankNode:
    term = to_ox(node)
    if isinstance(term, ox.Literal):
        raise TypeError(f"a literal cannot be a subject: {node!r}")
    return term


def from_ox(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise TypeError(f"unsupported store term {term!r}")


_PREDICATES: dict[str, ox.NamedNode] = {}
"""Predicates already converted (few distinct ones, met millions of times in a large import)."""


def triple_to_quad(triple: tuple[Node, Node, Node], graph: ox.NamedNode) -> ox.Quad:
    subject, predicate, obj = triple
    if not isinstance(predicate, URIRef):
        raise TypeError(f"a predicate must be an IRI: {predicate!r}")
    key = str.__str__(predicate)
    converted = _PREDICATES.get(key)
    if converted is None:
        converted = ox.NamedNode(key)
        if len(_PREDICATES) < 10_000:
            _PREDICATES[key] = converted
    return ox.Quad(to_ox_subject(subject), converted, to_ox(obj), graph)
