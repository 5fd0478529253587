"""The serialisation formats kgcat reads and writes: one table shared by CLI, exports and the API.

Each row ties a user-facing name to its media type, file extension, and the pyoxigraph and
rdflib format identifiers, so content negotiation, ``--format`` and file suffixes agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

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


RDF_SYNTAXES: tuple[RdfSyntax, ...] = (
    RdfSyntax("turtle", "text/turtle", ".ttl", ox.RdfFormat.TURTLE, "turtle"),
    RdfSyntax("jsonld", "application/ld+json", ".jsonld", ox.RdfFormat.JSON_LD, "json-ld"),
    RdfSyntax("rdfxml", "application/rdf+xml", ".rdf", ox.RdfFormat.RDF_XML, "xml"),
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


RESULTS_SYNTAXES: tuple[ResultsSyntax, ...] = (
    ResultsSyntax("json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ResultsSyntax("xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ResultsSyntax("csv", "text/csv", ox.QueryResultsFormat.CSV),
    ResultsSyntax("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
)


def rdf_syntax(name: str) -> RdfSyntax:
    """The RDF syntax called ``name`` (``turtle``, ``jsonld`` …) or with that media type."""
    for syntax in RDF_SYNTAXES:
        if name in (syntax.name, syntax.media_type):
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
        if name in (syntax.name, syntax.media_type):
            return syntax
    known = ", ".join(syntax.name for syntax in RESULTS_SYNTAXES)
    raise UnsupportedFormatError(f"unknown results format {name!r}; choose one of: {known}")
