"""Documents into the graph (issue 3): entities by type, provenance to the sentence, one IRI per entity, bad input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.catalogue import build_catalogue, import_source, validate_store
from graph.errors import SourceError
from graph.explain import explain
from graph.importer import ImportOptions, ImportStatus
from graph.iris import IriMinter
from graph.store import OxigraphStore
from ontology import GATE_LAYERS


@pytest.fixture(scope="module")
def catalogue() -> Iterator[OxigraphStore]:
    store = OxigraphStore(None)
    build_catalogue(store, IriMinter(), ImportOptions())
    yield store
    store.close()


def _labels(store: OxigraphStore, type_iri: str) -> set[str]:
    rows = store.query(
        f"SELECT ?l WHERE {{ ?s a {type_iri} ; skos:prefLabel|foaf:name ?l FILTER(lang(?l) = 'zh') }}"
    ).rows
    return {str(row["l"]) for row in rows}


@pytest.mark.parametrize(
    ("type_iri", "expected"),
    [
        (
            "org:Organization",
            {"上海市徐汇区绿化和市容管理局", "上海市徐汇区大数据中心", "香港科技大学", "华为技术有限公司"},
        ),
        ("kgcat:Policy", {"上海自贸试验区徐汇联动创新区建设方案"}),
        ("kgcat:Project", {"徐汇区东安一、二村片区旧城区改建项目", "香港科技大学上海产教融合中心"}),
        ("kgcat:DataResource", {"行道树信息表", "新能源汽车充电场表"}),
    ],
)
def test_sparql_finds_the_documents_entities_by_type_with_chinese_labels(
    catalogue: OxigraphStore, type_iri: str, expected: set[str]
) -> None:
    assert expected <= _labels(catalogue, type_iri)


def test_the_plan_indicators_are_structured_data(catalogue: OxigraphStore) -> None:
    rows = catalogue.query(
        "SELECT ?name ?target WHERE { ?i a kgcat:Indicator ; skos:prefLabel ?name ; kgcat:targetValue ?target }"
    ).rows
    assert len(rows) >= 10


def test_a_department_named_in_a_document_and_in_the_records_has_one_iri(catalogue: OxigraphStore) -> None:
    rows = catalogue.query('SELECT DISTINCT ?o WHERE { ?o skos:altLabel "区绿容局"@zh }').rows
    assert len(rows) == 1
    graphs = catalogue.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{rows[0]['o']}> a foaf:Agent }} }}").rows
    assert len(graphs) >= 2  # the records file and at least one document describe the same IRI


def test_short_and_full_names_resolve_to_one_entity_across_documents(catalogue: OxigraphStore) -> None:
    rows = catalogue.query('SELECT DISTINCT ?o WHERE { ?o foaf:name "香港科技大学"@zh }').rows
    assert len(rows) == 1
    alt = catalogue.query(f'ASK {{ <{rows[0]["o"]}> skos:altLabel "港科大"@zh }}')
    assert alt.boolean


def test_every_extracted_policy_and_project_carries_provenance(catalogue: OxigraphStore) -> None:
    unsupported = catalogue.query(
        "SELECT ?s WHERE { ?s a ?t . VALUES ?t { kgcat:Policy kgcat:Project } "
        "FILTER NOT EXISTS { ?a oa:hasBody ?s ; oa:hasTarget/oa:hasSelector/oa:exact ?quote } }"
    ).rows
    assert unsupported == ()


def test_explain_lists_the_sentences_that_mention_a_department(catalogue: OxigraphStore) -> None:
    explanation = explain(catalogue, "区绿容局")
    assert explanation.labels[0] == "上海市徐汇区绿化和市容管理局"
    assert any("区绿容局" in mention.sentence for mention in explanation.mentions)
    assert any(source.source_file == "xuhui-registered-resources.csv" for source in explanation.sources)
    assert "提及该实体的句子" in explanation.to_text()


def test_the_built_catalogue_with_documents_conforms_to_the_gate_layers(catalogue: OxigraphStore) -> None:
    assert validate_store(catalogue, GATE_LAYERS, IriMinter()).conforms


def test_an_empty_document_imports_as_a_document_without_entities(store: OxigraphStore, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    report = import_source(store, path, IriMinter(), ImportOptions())
    assert report.status is ImportStatus.CREATED
    assert report.written == 0


def test_a_binary_file_is_refused_and_nothing_is_written(store: OxigraphStore, tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    with pytest.raises(SourceError, match=r"binary|NUL"):
        import_source(store, path, IriMinter(), ImportOptions())
    assert store.named_graphs() == []


def test_a_gbk_document_is_read_correctly(store: OxigraphStore, tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("上海市徐汇区绿化和市容管理局发布《徐汇区绿化条例实施方案》。".encode("gbk"))
    import_source(store, path, IriMinter(), ImportOptions())
    assert "上海市徐汇区绿化和市容管理局" in _labels(store, "foaf:Agent")


def test_a_50_mb_document_is_refused_with_advice_and_nothing_is_written(store: OxigraphStore, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(("区绿容局登记行道树信息表。" * 1000 + "\n").encode("utf-8") * 1400)
    assert path.stat().st_size > 50 * 2**20
    with pytest.raises(SourceError, match="split it"):
        import_source(store, path, IriMinter(), ImportOptions())
    assert store.named_graphs() == []
