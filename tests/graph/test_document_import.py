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


CORPUS = Path(__file__).resolve().parents[2] / "graph" / "data" / "corpus"
# The departments issue 3 names, by the short form the documents use, with their official names.
ISSUE_DEPARTMENTS = {
    "区消防支队": "上海市徐汇区消防救援支队",
    "区人社局": "上海市徐汇区人力资源和社会保障局",
    "区绿容局": "上海市徐汇区绿化和市容管理局",
    "区房管局": "上海市徐汇区住房保障和房屋管理局",
    "区卫健委": "上海市徐汇区卫生健康委员会",
    "区交通管理中心": "上海市徐汇区交通管理中心",
    "区数据局": "上海市徐汇区数据局",
    "区大数据中心": "上海市徐汇区大数据中心",
    "区投促办": "上海市徐汇区投资促进办公室",
    "区科委": "上海市徐汇区科学技术委员会",
    "区委统战部": "中国共产党上海市徐汇区委员会统一战线工作部",
    "上海市数据局": "上海市数据局",
    "市经信委": "上海市经济和信息化委员会",
}
ENTITY_TYPES = (
    "org:OrganizationalUnit",
    "org:FormalOrganization",
    "kgcat:DataResource",
    "kgcat:Policy",
    "kgcat:Project",
)


def test_build_ingests_every_document_of_the_corpus(catalogue: OxigraphStore) -> None:
    rows = catalogue.query(
        "SELECT ?d (COUNT(DISTINCT ?e) AS ?n) WHERE { ?d kgcat:normalisedText ?text ; schema:mentions ?e } GROUP BY ?d"
    ).rows
    names = {str(row["d"]).rsplit("/", 1)[-1] for row in rows}
    assert names == {path.stem for path in CORPUS.glob("*.txt")}
    assert all(int(row["n"]) >= 10 for row in rows)


@pytest.mark.parametrize(("short", "official"), sorted(ISSUE_DEPARTMENTS.items()))
def test_sparql_finds_each_department_of_the_issue_by_its_short_form_with_its_official_zh_name(
    catalogue: OxigraphStore, short: str, official: str
) -> None:
    rows = catalogue.query(
        f'SELECT DISTINCT ?name WHERE {{ ?o a org:OrganizationalUnit ; skos:altLabel|foaf:name "{short}"@zh ; '
        "foaf:name ?name FILTER(lang(?name) = 'zh') }"
    ).rows
    assert [str(row["name"]) for row in rows] == [official]


def test_departments_of_both_districts_are_linked_to_their_district(catalogue: OxigraphStore) -> None:
    rows = catalogue.query(
        "SELECT DISTINCT ?name WHERE { ?o a org:OrganizationalUnit ; kgcat:district ?district ; foaf:name ?name }"
    ).rows
    names = {str(row["name"]) for row in rows}
    assert "中国共产党上海市杨浦区委员会" in names
    assert "上海市徐汇区绿化和市容管理局" in names


def test_newspaper_and_programme_titles_are_not_policies(catalogue: OxigraphStore) -> None:
    titles = _labels(catalogue, "kgcat:Policy")
    assert "关于全面推进上海城市数字化转型的意见" in titles
    assert not titles & {"徐汇报", "楊浦時報", "未来中国", "2023对话区委书记"}


def test_no_two_iris_of_one_type_share_a_chinese_name(catalogue: OxigraphStore) -> None:
    rows = catalogue.query(
        f"SELECT ?t ?name (COUNT(DISTINCT ?o) AS ?n) WHERE {{ VALUES ?t {{ {' '.join(ENTITY_TYPES)} }} "
        "?o a ?t ; skos:prefLabel|foaf:name ?name FILTER(lang(?name) = 'zh') } GROUP BY ?t ?name HAVING (?n > 1)"
    ).rows
    assert rows == ()


@pytest.mark.parametrize(
    ("type_iri", "expected"),
    [
        (
            "org:Organization",
            {"上海市徐汇区绿化和市容管理局", "上海市徐汇区大数据中心", "香港科技大学", "华为技术有限公司"},
        ),
        ("kgcat:Policy", {"上海自贸试验区徐汇联动创新区建设方案", "徐汇区全面推进城市数字化转型“十四五”规划"}),
        (
            "kgcat:Project",
            {
                "徐汇区东安一、二村片区旧城区改建项目",
                "香港科技大学上海产教融合中心",
                "模速空间",
                "上海市生成式人工智能创新生态先导区",
                "上海自贸试验区徐汇联动创新区",
                "“数字新要素”流通工程",
                "“数字新底座”赋能工程",
                "“数字新技术”引领工程",
                "“数字新中枢”增值工程",
                "“数字新场景”共建工程",
                "“数字新规则”强化工程",
                "“数字新标杆”示范工程",
            },
        ),
        ("kgcat:DataResource", {"行道树信息表", "新能源汽车充电场表", "数据目录清单", "开放数据集", "上海市法人库"}),
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


def test_a_document_mixing_utf8_and_gbk_is_refused_and_nothing_is_written(store: OxigraphStore, tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes("区绿容局登记了行道树信息表。\n".encode() + "区房管局登记了房屋信息表。\n".encode("gbk"))
    with pytest.raises(SourceError, match="mixes UTF-8 with another encoding"):
        import_source(store, path, IriMinter(), ImportOptions())
    assert store.named_graphs() == []


def test_a_50_mb_document_is_refused_with_advice_and_nothing_is_written(store: OxigraphStore, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(("区绿容局登记行道树信息表。" * 1000 + "\n").encode("utf-8") * 1400)
    assert path.stat().st_size > 50 * 2**20
    with pytest.raises(SourceError, match="split it"):
        import_source(store, path, IriMinter(), ImportOptions())
    assert store.named_graphs() == []
