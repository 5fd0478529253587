"""Real DCAT from outside the project: the W3C DCAT 3 examples and four German portal catalogues.

Every file parses, survives a round trip through each triple syntax kgcat writes (isomorphic
afterwards), and German catalogues keep the dataset and distribution counts that
shared/peer/README.md gives. kgcat writes RDF with Oxigraph's serialisers (exports, SPARQL
results) and reads it with rdflib, so the round trip uses exactly that pair.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from graph.catalogue import import_source
from graph.errors import BatchRejectedError, SourceError
from graph.formats import RDF_SYNTAXES, RdfSyntax
from graph.importer import ImportOptions, ImportStatus
from graph.iris import IriMinter
from graph.rdf_import import parse_rdf_file
from graph.store import OxigraphStore
from graph.terms import to_ox, to_ox_subject
from ontology.namespaces import DCAT3, PREFIXES, RDF

pytestmark = [
    # rdflib's JSON-LD parser still builds a ConjunctiveGraph internally (rdflib 7.x)
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]

GraphComparer = Callable[[Graph, Graph], None]

# The peer files are parametrised at collection time, before fixtures run: ../shared/peer, as in conftest.
PEER_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "peer"
W3C_EXAMPLES_DIR = PEER_DIR / "dcat3-w3c" / "examples-vocab-dcat-3"
GERMAN_DIR = PEER_DIR / "real-dcat" / "govdata-de-portal-catalogues"
DCAT_AP_EXAMPLES_DIR = PEER_DIR / "dcat-ap" / "3.0.1" / "examples"

GERMAN_COUNTS = {
    "brandenburg": (112, 212),
    "bremen": (153, 237),
    "destatis": (135, 135),
    "rostock": (100, 773),
}
"""(dcat:Dataset, dcat:Distribution) per catalogue, from shared/peer/README.md §4."""

TRIPLE_SYNTAXES = [syntax for syntax in RDF_SYNTAXES if not syntax.datasets]


def _peer_files(folder: Path, pattern: str) -> list[Path]:
    return sorted(folder.glob(pattern)) if folder.is_dir() else []


def _params(paths: list[Path], folder: Path) -> list[object]:
    if not paths:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"peer data not checked out: {folder}"))]
    return [pytest.param(path, id=path.stem) for path in paths]


def _german(name: str) -> Path:
    path = GERMAN_DIR / f"{name}-catalog-original-input.rdf"
    if not path.is_file():
        pytest.skip(f"peer data not checked out: {path}")
    return path


@cache
def _parsed_german(name: str) -> Graph:
    """The parsed catalogue, shared by the tests of this module (which do not change it)."""
    graph, _ = parse_rdf_file(_german(name))
    return graph


W3C_EXAMPLES = _params(_peer_files(W3C_EXAMPLES_DIR, "*.ttl"), W3C_EXAMPLES_DIR)
INVALID_DCAT_AP_EXAMPLES = _params(
    _peer_files(DCAT_AP_EXAMPLES_DIR, "*series-api.ttl") + _peer_files(DCAT_AP_EXAMPLES_DIR, "*series-combined.ttl"),
    DCAT_AP_EXAMPLES_DIR,
)
GERMAN = [pytest.param(name, marks=pytest.mark.slow) for name in GERMAN_COUNTS]


def write_with(graph: Graph, syntax: RdfSyntax, folder: Path) -> Path:
    """Serialise ``graph`` the way kgcat's exports do (Oxigraph), to a file named for the syntax."""
    path = folder / f"round-trip{syntax.extension}"
    triples = (ox.Triple(to_ox_subject(s), ox.NamedNode(str(p)), to_ox(o)) for s, p, o in graph)
    with path.open("wb") as output:
        ox.serialize(triples, output, syntax.oxigraph, prefixes=PREFIXES)
    return path


def count_typed(graph: Graph, cls: object) -> int:
    return len(set(graph.subjects(RDF.type, cls)))


@pytest.mark.parametrize("syntax", TRIPLE_SYNTAXES, ids=lambda syntax: syntax.name)
@pytest.mark.parametrize("example", W3C_EXAMPLES)
def test_w3c_dcat3_example_round_trips_through_each_triple_syntax(
    example: Path, syntax: RdfSyntax, tmp_path: Path, assert_isomorphic: GraphComparer
) -> None:
    original, _ = parse_rdf_file(example)
    assert len(original) > 0

    reread, _ = parse_rdf_file(write_with(original, syntax, tmp_path))

    assert_isomorphic(original, reread)


@pytest.mark.parametrize("name", GERMAN)
def test_german_catalogue_parses_with_its_dataset_and_distribution_counts(name: str) -> None:
    graph = _parsed_german(name)

    assert (count_typed(graph, DCAT3.Dataset), count_typed(graph, DCAT3.Distribution)) == GERMAN_COUNTS[name]


@pytest.mark.parametrize("syntax", TRIPLE_SYNTAXES, ids=lambda syntax: syntax.name)
@pytest.mark.parametrize("name", GERMAN)
def test_german_catalogue_round_trips_through_each_triple_syntax(
    name: str, syntax: RdfSyntax, tmp_path: Path, assert_isomorphic: GraphComparer
) -> None:
    original = _parsed_german(name)

    reread, _ = parse_rdf_file(write_with(original, syntax, tmp_path))

    assert_isomorphic(original, reread)
    assert (count_typed(reread, DCAT3.Dataset), count_typed(reread, DCAT3.Distribution)) == GERMAN_COUNTS[name]


@pytest.mark.parametrize("name", GERMAN)
def test_german_catalogue_breaking_core_shapes_is_rejected_unless_accepted(
    name: str, store: OxigraphStore, minter: IriMinter
) -> None:
    path = _german(name)

    with pytest.raises(BatchRejectedError) as raised:
        import_source(store, path, minter, ImportOptions())
    assert raised.value.rejected > 0
    assert len(store) == 0

    report = import_source(store, path, minter, ImportOptions(accept_invalid=True))

    assert report.status is ImportStatus.CREATED
    assert report.written == GERMAN_COUNTS[name][0]
    assert report.rejected  # the violations stay in the report
    counts = store.query(
        "SELECT (COUNT(DISTINCT ?d) AS ?datasets) (COUNT(DISTINCT ?x) AS ?distributions) "
        "WHERE { { ?d a dcat:Dataset } UNION { ?x a dcat:Distribution } }"
    ).rows[0]
    assert (int(counts["datasets"]), int(counts["distributions"])) == GERMAN_COUNTS[name]
    blank = store.query("ASK { { ?s ?p ?o FILTER(isBlank(?s)) } UNION { ?s ?p ?o FILTER(isBlank(?o)) } }")
    assert blank.boolean is False  # skolemised under /.well-known/genid/


def _literal_values(literals: list[Literal]) -> Counter[tuple[str, str, str]]:
    """Literals by datatype, language and value (so ``"30.0"`` and ``"30"`` of xsd:decimal count as one)."""

    def value(literal: Literal) -> str:
        if isinstance(literal.value, Decimal):
            return str(literal.value.normalize())
        return str(literal.value) if literal.value is not None and not literal.ill_typed else str(literal)

    return Counter((str(lit.datatype or ""), lit.language or "", value(lit)) for lit in literals)


STORE_DROPS_INTEGER_SUBTYPES = pytest.mark.xfail(
    strict=True,
    reason="Oxigraph stores xsd:nonNegativeInteger (and other integer subtypes) as xsd:integer: oxigraph/oxigraph#1413",
)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("brandenburg", marks=[pytest.mark.slow, STORE_DROPS_INTEGER_SUBTYPES]),
        pytest.param("bremen", marks=pytest.mark.slow),
        pytest.param("destatis", marks=pytest.mark.slow),
        pytest.param("rostock", marks=pytest.mark.slow),
    ],
)
def test_importing_a_german_catalogue_keeps_every_literal(name: str, store: OxigraphStore, minter: IriMinter) -> None:
    original = _parsed_german(name)

    report = import_source(store, _german(name), minter, ImportOptions(accept_invalid=True))

    stored = [o for _, _, o in store.triples(URIRef(report.graph)) if isinstance(o, Literal)]
    missing = _literal_values([o for _, _, o in original if isinstance(o, Literal)]) - _literal_values(stored)
    assert not missing, f"{sum(missing.values())} literal(s) lost, e.g. {list(missing)[:3]}"


@pytest.mark.parametrize("example", INVALID_DCAT_AP_EXAMPLES)
def test_invalid_turtle_dcat_ap_example_is_refused_with_a_source_error(
    example: Path, store: OxigraphStore, minter: IriMinter
) -> None:
    with pytest.raises(SourceError, match="not valid turtle"):
        parse_rdf_file(example)
    with pytest.raises(SourceError):
        import_source(store, example, minter, ImportOptions(accept_invalid=True))
    assert len(store) == 0
