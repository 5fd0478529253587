"""The catalogue built from the bundled records conforms to each shapes layer, validated separately."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal

import graph.catalogue as catalogue_module
from graph.catalogue import build_catalogue, catalogue_stats, import_source, validate_store
from graph.importer import ImportOptions, ImportReport, ImportStatus
from graph.iris import IriMinter
from graph.store import OxigraphStore
from ontology import Severity, ShapesLayer
from ontology.namespaces import DCTERMS

XUHUI_RESOURCES = (
    "行道树信息表",
    "新能源汽车充电场表",
    "重大活动车位信息表",
    "就业政策表",
    "“汇健康”医院信息表",
    "赛事管理信息表",
    "历史建筑内容表",
    "公园绿化资源表",
    "古树名木保护表",
    "消防站资源管理表",
)
"""The ten resources the 徐汇 registration article names (graph/data/records/README.md)."""

SHAPES_FIXTURES = Path(__file__).resolve().parents[1] / "data" / "shapes"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[OxigraphStore, list[ImportReport]]]:
    store = OxigraphStore(Path(tmp_path_factory.mktemp("catalogue")) / "store")
    reports = build_catalogue(store, IriMinter(), ImportOptions())
    yield store, reports
    store.close()


@pytest.fixture(scope="module")
def catalogue(built: tuple[OxigraphStore, list[ImportReport]]) -> OxigraphStore:
    return built[0]


def test_building_writes_every_bundled_record(built: tuple[OxigraphStore, list[ImportReport]]) -> None:
    _, reports = built
    assert reports
    for report in reports:
        assert report.status is ImportStatus.CREATED
        assert report.rejected == []
        assert report.written == report.read > 0


def test_built_catalogue_conforms_to_the_core_layer(catalogue: OxigraphStore) -> None:
    report = validate_store(catalogue, (ShapesLayer.CORE,), IriMinter())
    assert report.conforms, report.to_text()
    assert report.violations == ()


def test_built_catalogue_conforms_to_the_vocabularies_layer(catalogue: OxigraphStore) -> None:
    report = validate_store(catalogue, (ShapesLayer.VOCABULARIES,), IriMinter())
    assert report.conforms, report.to_text()
    assert report.violations == ()


def test_built_catalogue_conforms_to_the_recommended_layer_with_warnings_for_missing_descriptions(
    catalogue: OxigraphStore,
) -> None:
    report = validate_store(catalogue, (ShapesLayer.RECOMMENDED,), IriMinter())

    assert report.conforms
    assert report.warnings
    assert all(issue.severity is Severity.WARNING for issue in report.issues)
    undescribed = {issue.focus_node for issue in report.warnings if issue.path == str(DCTERMS.description)}
    datasets = {str(row["d"]) for row in catalogue.query("SELECT ?d WHERE { ?d a dcat:Dataset }").rows}
    assert undescribed == datasets  # the registration article gives no description for any of them
    for issue in report.warnings:
        if issue.path == str(DCTERMS.description):
            assert "dct:description" in issue.message_zh
            assert "dct:description" in issue.message_en


def test_the_ten_named_xuhui_resources_are_datasets_with_a_named_publisher(catalogue: OxigraphStore) -> None:
    titles = " ".join(f'"{title}"@zh' for title in XUHUI_RESOURCES)
    rows = catalogue.query(
        "SELECT ?title ?name WHERE { "
        f"VALUES ?title {{ {titles} }} "
        "?d a dcat:Dataset ; dct:title ?title ; dct:publisher ?p . ?p a foaf:Agent ; foaf:name ?name "
        'FILTER(LANGMATCHES(LANG(?name), "zh")) }'
    ).rows

    found = {str(row["title"]): str(row["name"]) for row in rows}
    assert sorted(found) == sorted(XUHUI_RESOURCES)
    assert all(name.startswith("上海市徐汇区") for name in found.values())
    assert {row["title"] for row in rows} == {Literal(title, lang="zh") for title in XUHUI_RESOURCES}


def test_the_catalogue_statistics_count_the_ten_resources(catalogue: OxigraphStore) -> None:
    stats = catalogue_stats(catalogue)
    assert stats.datasets == len(XUHUI_RESOURCES)
    assert stats.catalogs == 1
    assert stats.graphs == 7  # the vocabulary, the Xuhui records and the five corpus documents


def test_building_again_leaves_every_source_unchanged(built: tuple[OxigraphStore, list[ImportReport]]) -> None:
    store, _ = built
    before = set(store.triples())

    reports = build_catalogue(store, IriMinter(), ImportOptions())

    assert [report.status for report in reports] == [ImportStatus.UNCHANGED] * len(reports)
    assert set(store.triples()) == before


BROKEN_EXAMPLES = (
    SHAPES_FIXTURES / "core" / "DatasetPublisher.class.ttl",
    SHAPES_FIXTURES / "core" / "DistributionShape-format.maxCount.ttl",
    SHAPES_FIXTURES / "vocabularies" / "DatasetCodedValuesShape-theme.node.ttl",
    SHAPES_FIXTURES / "vocabularies" / "ThemeConceptShape-inScheme.in.ttl",
)
"""Fixtures that each break a constraint, imported beside the catalogue so that there is something to find."""


@pytest.mark.parametrize("layer", [ShapesLayer.CORE, ShapesLayer.RECOMMENDED, ShapesLayer.VOCABULARIES], ids=str)
def test_validating_in_dataset_batches_finds_what_validating_the_whole_graph_finds(
    layer: ShapesLayer, minter: IriMinter, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = OxigraphStore(None)
    build_catalogue(store, minter, ImportOptions())
    # three levels of departments (bureau → district → city): deeper than a batch's neighbourhood of a dataset
    import_source(store, SHAPES_FIXTURES / "core" / "valid.ttl", minter, ImportOptions(graph_key="valid-example"))
    for number, fixture in enumerate(BROKEN_EXAMPLES):
        import_source(store, fixture, minter, ImportOptions(graph_key=f"broken-{number}", accept_invalid=True))
    whole = validate_store(store, (layer,), minter)  # one graph, pySHACL

    monkeypatch.setattr(catalogue_module, "WHOLE_GRAPH_LIMIT", 0)
    batched = validate_store(store, (layer,), minter, batch_size=3)  # batches, the native validator

    assert whole.issues, "the broken examples and the catalogue's missing recommendations give results"
    assert sorted(batched.issues, key=repr) == sorted(whole.issues, key=repr)
    assert batched.conforms == whole.conforms
    assert whole.labels.items() <= batched.labels.items()
    store.close()


def test_batches_fall_back_to_pyshacl_for_shapes_the_native_validator_does_not_implement(
    minter: IriMinter, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = OxigraphStore(None)
    build_catalogue(store, minter, ImportOptions())
    whole = validate_store(store, (ShapesLayer.DCAT_AP,), minter)

    monkeypatch.setattr(catalogue_module, "WHOLE_GRAPH_LIMIT", 0)
    batched = validate_store(store, (ShapesLayer.DCAT_AP,), minter, batch_size=4)

    assert sorted(batched.issues, key=repr) == sorted(whole.issues, key=repr)
    store.close()
