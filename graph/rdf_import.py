"""Importing RDF files (real DCAT from other portals, W3C examples) as their own named graph.

The file is parsed whole with rdflib before anything is written; blank nodes are skolemised
under ``/.well-known/genid/`` (RDF 1.1 §3.5) so published data has none. An RDF file is one
unit: if it breaks the gate shapes, nothing is written unless the user accepts it knowingly
(``--accept-invalid``), and the violations are reported either way.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef

from graph.errors import BatchRejectedError, SourceError
from graph.formats import rdf_syntax_for_path
from graph.gate import RejectedRecord, reason_text
from graph.importer import ImportOptions, ImportReport, ImportStatus
from graph.iris import IriMinter
from graph.source_guard import check_json_ld, check_rdf_xml
from graph.sources import source_graph_triples, source_key
from graph.store import Store
from ontology import GATE_LAYERS, profile_graph, validate_graph
from ontology.namespaces import DCAT3, RDF

logger = logging.getLogger(__name__)


def parse_rdf_file(path: Path) -> tuple[Graph, str]:
    """Parse an RDF file by its suffix; returns the graph and the SHA-256 of its bytes.

    JSON-LD and RDF/XML are checked first (graph/source_guard.py): nothing they name is fetched
    or read, and entity expansion is bounded.

    Relative IRI references resolve against the file's own URI, as when the file is retrieved
    (RFC 3986 §5.1.3); without a base they would stay relative, which is not RDF and which the
    store refuses (real RDF/XML writes ``rdf:resource="info@example.org"``).
    """
    syntax = rdf_syntax_for_path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"{path}: cannot read the file ({error.strerror})") from error
    if syntax.name == "jsonld":
        check_json_ld(data, str(path))
    elif syntax.name == "rdfxml":
        check_rdf_xml(data, str(path))
    graph = Graph()
    try:
        graph.parse(data=data, format=syntax.rdflib, publicID=path.resolve().as_uri())
    except Exception as error:  # rdflib's parsers raise many unrelated types; report them all as bad input
        raise SourceError(f"{path}: not valid {syntax.name} ({type(error).__name__}: {error})") from error
    _check_iris(graph, path, syntax.name)
    return graph, hashlib.sha256(data).hexdigest()


def _check_iris(graph: Graph, path: Path, syntax: str) -> None:
    """rdflib's parsers let through IRIs that are not IRIs (``<not an iri>``); the store would refuse them."""
    checked: set[URIRef] = set()
    for triple in graph:
        for node in triple:
            if isinstance(node, URIRef) and node not in checked:
                try:
                    ox.NamedNode(str(node))
                except ValueError as error:
                    raise SourceError(f"{path}: not valid {syntax}: <{node}> is not an IRI ({error})") from error
                checked.add(node)


def import_rdf_file(store: Store, path: Path, minter: IriMinter, options: ImportOptions) -> ImportReport:
    """Import one RDF file as the named graph of its source key."""
    graph_iri = minter.source_graph(options.graph_key or source_key(path))
    report = ImportReport(str(path), str(graph_iri))
    previous_hash = store.source_hash(graph_iri)
    parsed, content_hash = parse_rdf_file(path)
    if previous_hash == content_hash and not options.force:
        return report
    data = parsed.skolemize(basepath=minter.genid_base()) if _has_blank_nodes(parsed) else parsed
    datasets = set(data.subjects(RDF.type, DCAT3.Dataset))
    report.read = len(datasets)
    validation = validate_graph(data, GATE_LAYERS, context=profile_graph())
    for issue in validation.violations:
        report.rejected.append(RejectedRecord(0, issue.focus_node, None, (reason_text(issue),)))
    if report.rejected and not options.accept_invalid:
        raise BatchRejectedError(
            f"{path} breaks core shapes in {len(report.rejected)} place(s); nothing was written. "
            "Fix the data, or import it anyway with --accept-invalid (the violations stay visible to "
            "`kgcat validate`).\n" + report.summary(),
            len(report.rejected),
        )
    metadata = source_graph_triples(
        graph_iri, content_hash=content_hash, file_name=path.name, counts=lambda: (len(datasets), 0)
    )
    store.replace_graph(graph_iri, [*data, *metadata])
    report.written = len(datasets)
    report.status = ImportStatus.UPDATED if previous_hash is not None else ImportStatus.CREATED
    return report


def _has_blank_nodes(graph: Graph) -> bool:
    return any(isinstance(s, BNode) or isinstance(o, BNode) for s, _, o in graph)
