"""Importing RDF files: relative references, blank nodes, unchanged files, unreadable files."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, URIRef

from graph.catalogue import import_source
from graph.errors import BatchRejectedError, SourceError
from graph.importer import ImportOptions, ImportStatus
from graph.iris import IriMinter
from graph.rdf_import import parse_rdf_file
from graph.store import OxigraphStore

DATA = Path(__file__).resolve().parents[1] / "data"
RELATIVE_EMAIL = DATA / "rdf" / "relative-email.rdf"
VCARD_EMAIL = URIRef("http://www.w3.org/2006/vcard/ns#hasEmail")


def test_relative_references_resolve_against_the_file() -> None:
    graph, _ = parse_rdf_file(RELATIVE_EMAIL)

    [email] = list(graph.objects(None, VCARD_EMAIL))
    assert email == URIRef(RELATIVE_EMAIL.resolve().parent.as_uri() + "/info@statistik.example.org")


def test_an_rdf_file_with_relative_references_can_be_stored(store: OxigraphStore, minter: IriMinter) -> None:
    report = import_source(store, RELATIVE_EMAIL, minter, ImportOptions(accept_invalid=True))

    assert report.status is ImportStatus.CREATED
    emails = store.query(f"SELECT ?email WHERE {{ ?contact <{VCARD_EMAIL}> ?email }}").rows
    assert [str(row["email"]).rsplit("/", 1)[-1] for row in emails] == ["info@statistik.example.org"]


def test_blank_nodes_are_skolemised_under_the_well_known_genid_path(store: OxigraphStore, minter: IriMinter) -> None:
    import_source(store, RELATIVE_EMAIL, minter, ImportOptions(accept_invalid=True))

    triples = set(store.triples(minter.source_graph("relative-email")))
    assert not any(isinstance(node, BNode) for triple in triples for node in triple)
    [contact] = {o for _, p, o in triples if p == URIRef("http://www.w3.org/ns/dcat#contactPoint")}
    assert str(contact).startswith(minter.genid_base())


def test_an_rdf_file_breaking_core_shapes_is_not_written_unless_accepted(
    store: OxigraphStore, minter: IriMinter
) -> None:
    with pytest.raises(BatchRejectedError, match="--accept-invalid"):
        import_source(store, RELATIVE_EMAIL, minter, ImportOptions())  # no publisher, no catalogue

    assert len(store) == 0


def test_reimporting_an_unchanged_rdf_file_changes_nothing(store: OxigraphStore, minter: IriMinter) -> None:
    import_source(store, RELATIVE_EMAIL, minter, ImportOptions(accept_invalid=True))
    before = set(store.triples())

    report = import_source(store, RELATIVE_EMAIL, minter, ImportOptions(accept_invalid=True))

    assert report.status is ImportStatus.UNCHANGED
    assert set(store.triples()) == before


def test_a_file_that_is_not_valid_turtle_is_refused_with_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("<https://example.org/a> <https://example.org/b> .\n", encoding="utf-8")

    with pytest.raises(SourceError, match="not valid turtle"):
        parse_rdf_file(path)
