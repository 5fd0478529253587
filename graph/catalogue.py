"""Catalogue-level operations behind the CLI and the API: build, import, validate, export, stats.

Each ``run``-style function here is plain Python over a :class:`~graph.store.Store`; the CLI
(api/cli.py) and the HTTP API are thin shells over them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.document_import import import_document, import_documents, is_document
from graph.errors import SourceError
from graph.importer import ImportOptions, ImportReport, Progress, import_records
from graph.iris import IriMinter
from graph.rdf_import import import_rdf_file
from graph.record_readers import records_kind
from graph.sources import source_graph_triples, vocabulary_graph
from graph.store import Store, Triple
from ontology import ShapesLayer, ValidationReport, profile_graph, validate_graph
from ontology.namespaces import DCAT3, FOAF, KGCAT
from ontology.native_shacl import UnsupportedShapesError, compiled_layers, validate_parts

logger = logging.getLogger(__name__)

WHOLE_GRAPH_LIMIT = 5000
"""Up to this many datasets the store is validated as one graph; above it, in batches of datasets."""


def bundled_documents() -> list[Path]:
    """The documents shipped with kgcat (graph/data/corpus/*.txt)."""
    data = files("graph").joinpath("data", "corpus")
    return sorted(Path(str(entry)) for entry in data.iterdir() if entry.name.endswith(".txt"))


def bundled_records() -> list[Path]:
    """The registration-record files shipped with kgcat (graph/data/records/*.csv)."""
    data = files("graph").joinpath("data", "records")
    return sorted(Path(str(entry)) for entry in data.iterdir() if entry.name.endswith(".csv"))


def install_vocabulary(store: Store, minter: IriMinter) -> None:
    """Load the profile's ontology and concept schemes into their own named graph (skipped when unchanged)."""
    graph = vocabulary_graph(minter)
    profile = profile_graph()
    lines = sorted(profile.serialize(format="nt", encoding="utf-8").splitlines())
    digest = hashlib.sha256(b"\n".join(lines)).hexdigest()
    if store.source_hash(graph) == digest:
        return
    metadata = source_graph_triples(graph, content_hash=digest, file_name="ontology/data", counts=lambda: (0, 0))
    store.replace_graph(graph, [*profile, *metadata])


def graph_version(store: Store) -> str:
    """A fingerprint of the store's sources: changes whenever any named graph is replaced."""
    parts = sorted(f"{graph} {store.source_hash(graph)}" for graph in store.named_graphs())
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def import_source(
    store: Store, path: Path, minter: IriMinter, options: ImportOptions, progress: Progress | None = None
) -> ImportReport:
    """Import one file: a records file (.csv/.jsonl/.json[.gz]) or an RDF file (.ttl/.rdf/.jsonld/.nt/.trig)."""
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if is_document(path):
        return import_document(store, path, minter, options)
    if path.suffix.lower() != ".json" and records_kind(path) is not None:
        return import_records(store, path, minter, options, progress)
    if path.suffix.lower() == ".json" and _looks_like_json_ld(path):
        return import_rdf_file(store, path, minter, options)
    if records_kind(path) is not None:
        return import_records(store, path, minter, options, progress)
    return import_rdf_file(store, path, minter, options)


def _looks_like_json_ld(path: Path) -> bool:
    head = path.read_bytes()[:4096]
    return b'"@context"' in head or b'"@graph"' in head


def build_catalogue(
    store: Store, minter: IriMinter, options: ImportOptions, progress: Progress | None = None
) -> list[ImportReport]:
    """Install the vocabulary, import the bundled records, then the bundled documents (resolved together)."""
    install_vocabulary(store, minter)
    reports = [import_source(store, path, minter, options, progress) for path in bundled_records()]
    return reports + import_documents(store, bundled_documents(), minter, options)


def validate_store(
    store: Store, layers: tuple[ShapesLayer, ...], minter: IriMinter, batch_size: int = 2000
) -> ValidationReport:
    """Validate the union of the store's graphs against ``layers``: as one graph up to
    ``WHOLE_GRAPH_LIMIT`` datasets, above it in batches of ``batch_size`` datasets, each with the
    triples every batch needs (departments, concepts, catalogues); batches run on the native
    validator when it implements the layers, else on pySHACL."""
    datasets = [row["d"] for row in store.query("SELECT ?d WHERE { ?d a dcat:Dataset }").rows]
    if len(datasets) <= WHOLE_GRAPH_LIMIT:
        return validate_graph(_graph(store.triples()), layers)
    shared = _shared_triples(store, minter)
    parts = _dataset_parts(store, datasets, minter, batch_size)
    try:
        compiled_layers(layers)
    except UnsupportedShapesError as error:
        logger.info("validating %d datasets in batches with pySHACL (%s)", len(datasets), error)
        rest = _graph(shared)
        return _merge(layers, [validate_graph(_graph(part) + rest, layers) for part in parts])
    return validate_parts(shared, parts, layers)


def _shared_triples(store: Store, minter: IriMinter) -> tuple[Triple, ...]:
    """Everything but the datasets and what hangs off them: departments, concepts, catalogues (without
    their dcat:dataset links), vocabulary. A dataset reaches these at any depth, and a neighbour cut off
    mid-chain would fail sh:class, so every batch is validated with all of them."""
    dataset_base = minter.dataset_base()
    return store.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { ?s a dcat:Dataset } "
        f'FILTER(!STRSTARTS(STR(?s), "{dataset_base}")) FILTER(?p != dcat:dataset) }}'
    ).triples


def _dataset_parts(
    store: Store, datasets: Sequence[Node], minter: IriMinter, batch_size: int
) -> Iterator[tuple[Triple, ...]]:
    """Per batch of datasets: their triples, those of the nodes they own two links further (distributions,
    identifiers, blank nodes: what the shared triples leave out), and the links of their catalogues.

    Only owned nodes are followed: a dataset's theme leads to its concept scheme and on to every concept of
    it, which the shared triples hold already; following them made a batch of 2,000 cost ~30 s at 1M."""
    owned = _owned_node_filter(minter)
    for start in range(0, len(datasets), batch_size):
        values = " ".join(f"<{d}>" for d in datasets[start : start + batch_size])
        yield store.query(
            "CONSTRUCT { ?d ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 . ?c dcat:dataset ?d } WHERE { "
            f"VALUES ?d {{ {values} }} "
            f"{{ ?d ?p ?o OPTIONAL {{ FILTER({owned.format(node='?o')}) ?o ?p2 ?o2 "
            f"OPTIONAL {{ FILTER({owned.format(node='?o2')}) ?o2 ?p3 ?o3 }} }} }} UNION "
            "{ ?c dcat:dataset ?d } }"
        ).triples


def _owned_node_filter(minter: IriMinter) -> str:
    """A SPARQL condition on ``{node}``: it is no shared node (see :func:`_shared_triples`)."""
    blank_or_minted = f'isBlank({{node}}) || STRSTARTS(STR({{node}}), "{minter.dataset_base()}")'
    return blank_or_minted + " || EXISTS {{ {node} a dcat:Dataset }}"


def _graph(triples: Iterable[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _merge(layers: tuple[ShapesLayer, ...], reports: list[ValidationReport]) -> ValidationReport:
    graph = Graph()
    for report in reports:
        graph += report.report_graph
    issues = tuple(dict.fromkeys(issue for report in reports for issue in report.issues))
    labels = {focus: label for report in reports for focus, label in report.labels.items()}
    return ValidationReport(layers, issues, graph, labels)


@dataclass(frozen=True)
class CatalogueStats:
    triples: int
    graphs: int
    catalogs: int
    datasets: int
    organizations: int
    policies: int
    projects: int

    def rows(self) -> list[tuple[str, int]]:
        return [
            ("triples", self.triples),
            ("named graphs", self.graphs),
            ("catalogues (dcat:Catalog)", self.catalogs),
            ("data resources (dcat:Dataset)", self.datasets),
            ("departments and organisations", self.organizations),
            ("policies", self.policies),
            ("projects", self.projects),
        ]


def catalogue_stats(store: Store) -> CatalogueStats:
    def count(type_iri: URIRef) -> int:
        rows = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{type_iri}> }}").rows
        return int(str(rows[0]["n"])) if rows else 0

    return CatalogueStats(
        triples=len(store),
        graphs=len(store.named_graphs()),
        catalogs=count(DCAT3.Catalog),
        datasets=count(DCAT3.Dataset),
        organizations=count(FOAF.Agent),
        policies=count(KGCAT.Policy),
        projects=count(KGCAT.Project),
    )
