"""The serialisation formats kgcat reads and writes: one table shared by CLI, exports and the API.

Each row ties a user-facing name to its media type, file extension, and the pyoxigraph and
rdflib format identifiers, so content negotiation, ``--format`` and file suffixes agree.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib.term import Node

from graph.terms import to_ox, to_ox_subject
from ontology import KgcatError


class UnsupportedFormatError(KgcatError):
    """A format name, media type or file suffix kgcat does not support."""


@dataclass(frozen=True)
class RdfSyntax:
    name: str
    media_type: str
    extension: str
    oxigraph: ox.RdfFormat
    rdflib: str
    datasets: bool = False
    aliases: tuple[str, ...] = ()
    """Other media types clients send for this syntax (content negotiation accepts them too)."""

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


RDF_SYNTAXES: tuple[RdfSyntax, ...] = (
    RdfSyntax("turtle", "text/turtle", ".ttl", ox.RdfFormat.TURTLE, "turtle", aliases=("application/x-turtle",)),
    RdfSyntax(
        "jsonld", "application/ld+json", ".jsonld", ox.RdfFormat.JSON_LD, "json-ld", aliases=("application/json",)
    ),
    RdfSyntax(
        "rdfxml", "application/rdf+xml", ".rdf", ox.RdfFormat.RDF_XML, "xml", aliases=("application/xml", "text/xml")
    ),
    RdfSyntax("ntriples", "application/n-triples", ".nt", ox.RdfFormat.N_TRIPLES, "nt"),
    RdfSyntax("trig", "application/trig", ".trig", ox.RdfFormat.TRIG, "trig", datasets=True),
    RdfSyntax("nquads", "application/n-quads", ".nq", ox.RdfFormat.N_QUADS, "nquads", datasets=True),
)

RDF_SUFFIXES = {syntax.extension for syntax in RDF_SYNTAXES} | {".owl", ".xml", ".json"}


@dataclass(frozen=True)
class ResultsSyntax:
    name: str
    media_type: str
    oxigraph: ox.QueryResultsFormat
    aliases: tuple[str, ...] = ()

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


RESULTS_SYNTAXES: tuple[ResultsSyntax, ...] = (
    ResultsSyntax("json", "application/sparql-results+json", ox.QueryResultsFormat.JSON, aliases=("application/json",)),
    ResultsSyntax(
        "xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML, aliases=("application/xml", "text/xml")
    ),
    ResultsSyntax("csv", "text/csv", ox.QueryResultsFormat.CSV),
    ResultsSyntax("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
)


def rdf_syntax(name: str) -> RdfSyntax:
    """The RDF syntax called ``name`` (``turtle``, ``jsonld`` …) or with that media type."""
    for syntax in RDF_SYNTAXES:
        if name in (syntax.name, *syntax.media_types):
            return syntax
    known = ", ".join(syntax.name for syntax in RDF_SYNTAXES)
    raise UnsupportedFormatError(f"unknown RDF format {name!r}; choose one of: {known}")


def rdf_syntax_for_path(path: Path) -> RdfSyntax:
    """The RDF syntax of a file by its suffix (.ttl, .rdf/.xml/.owl, .jsonld/.json, .nt, .trig, .nq)."""
    suffix = path.suffix.lower()
    aliases = {".owl": ".rdf", ".xml": ".rdf", ".json": ".jsonld"}
    suffix = aliases.get(suffix, suffix)
    for syntax in RDF_SYNTAXES:
        if syntax.extension == suffix:
            return syntax
    raise UnsupportedFormatError(f"{path}: unknown RDF file suffix {path.suffix!r}; use one of {sorted(RDF_SUFFIXES)}")


def results_syntax(name: str) -> ResultsSyntax:
    """The SPARQL results syntax called ``name`` (``json``, ``xml``, ``csv``, ``tsv``) or with that media type."""
    for syntax in RESULTS_SYNTAXES:
        if name in (syntax.name, *syntax.media_types):
            return syntax
    known = ", ".join(syntax.name for syntax in RESULTS_SYNTAXES)
    raise UnsupportedFormatError(f"unknown results format {name!r}; choose one of: {known}")


def serialize_triples(
    triples: Iterable[tuple[Node, Node, Node]], syntax: RdfSyntax, prefixes: dict[str, str] | None = None
) -> bytes:
    """rdflib triples written in ``syntax`` by pyoxigraph's serialisers (fast, and the same as exports)."""
    output = io.BytesIO()
    converted = (ox.Triple(to_ox_subject(s), ox.NamedNode(str(p)), to_ox(o)) for s, p, o in triples)
    ox.serialize(converted, output, syntax.oxigraph, prefixes=prefixes)
    return output.getvalue()
