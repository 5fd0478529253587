"""N-Triples lines for the bulk loader: the same terms as the store's own conversion, escapes included."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.ntriples import ntriples, triple_line
from graph.terms import to_ox
from ontology.namespaces import DCTERMS, XSD

DATASET = URIRef("https://kgcat.example.org/id/dataset/sh/00001")

OBJECTS = [
    Literal("行道树信息表", lang="zh"),
    Literal('a "quoted" title with a \\ backslash', lang="zh"),
    Literal("two\nlines\r\nand a\ttab"),
    Literal("2024-05-01", datatype=XSD.date),
    Literal("2024-05-01T08:30:00", datatype=XSD.dateTime),
    Literal("plain", datatype=XSD.string),
    Literal(42),
    URIRef("http://www.shanghai.gov.cn/nw12344/index.html?a=1&b=2"),
    BNode("b0"),
]


@pytest.mark.parametrize("obj", OBJECTS, ids=str)
def test_a_line_parses_back_to_the_terms_the_store_would_have_made(obj: Node) -> None:
    triple = (DATASET, DCTERMS.title, obj)
    parsed = [(q.subject, q.predicate, q.object) for q in ox.parse(triple_line(triple), ox.RdfFormat.N_TRIPLES)]

    assert parsed == [(ox.NamedNode(str(DATASET)), ox.NamedNode(str(DCTERMS.title)), to_ox(obj))]


def test_a_literal_cannot_break_out_of_its_line() -> None:
    sneaky = Literal('x" . <http://evil.example/s> <http://evil.example/p> "y', lang="zh")
    text = ntriples([(DATASET, DCTERMS.title, sneaky), (DATASET, DCTERMS.description, Literal("ok"))])

    assert len(list(ox.parse(text, ox.RdfFormat.N_TRIPLES))) == 2


def test_a_literal_subject_or_a_blank_predicate_is_refused() -> None:
    with pytest.raises(TypeError, match="literal cannot be a subject"):
        triple_line((Literal("x"), DCTERMS.title, Literal("y")))
    with pytest.raises(TypeError, match="predicate must be an IRI"):
        triple_line((DATASET, BNode("p"), Literal("y")))
