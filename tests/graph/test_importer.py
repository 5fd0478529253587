"""Importing registration-record files: messy values, duplicates, bad files, policies and re-imports."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.term import Node

from graph.catalogue import import_source
from graph.errors import BatchRejectedError, SourceError
from graph.importer import ImportOptions, ImportStatus, InvalidPolicy, import_records
from graph.iris import IriMinter
from graph.store import OxigraphStore
from ontology.namespaces import DCAT3, DCTERMS, EU_FREQUENCY, FOAF, KGCAT, PROV, XSD

RecordsWriter = Callable[..., Path]

REGION = "上海市徐汇区"
PUBLISHER = "上海市徐汇区绿化和市容管理局"
ACCESS_RIGHT = "https://kgcat.example.org/def/access-right/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


def row(record_id: str, title: str | None = "行道树信息表", **fields: object) -> dict[str, object]:
    """A registration row that passes the gate, with ``fields`` changed."""
    values: dict[str, object] = {"id": record_id, "title": title, "publisher": PUBLISHER, "region": REGION}
    values.update(fields)
    return values


def objects(store: OxigraphStore, record_id: str, predicate: URIRef) -> set[Node]:
    query = f'SELECT ?o WHERE {{ ?d a dcat:Dataset ; dct:identifier "{record_id}" ; <{predicate}> ?o }}'
    return {r["o"] for r in store.query(query).rows}


def additional_fields(store: OxigraphStore, record_id: str) -> set[tuple[str, str]]:
    query = (
        f'SELECT ?name ?value WHERE {{ ?d dct:identifier "{record_id}" ; kgcat:additionalField ?f . '
        "?f a kgcat:AdditionalField ; kgcat:fieldName ?name ; kgcat:fieldValue ?value }"
    )
    return {(str(r["name"]), str(r["value"])) for r in store.query(query).rows}


def dataset_ids(store: OxigraphStore) -> set[str]:
    return {str(r["id"]) for r in store.query("SELECT ?id WHERE { ?d a dcat:Dataset ; dct:identifier ?id }").rows}


def snapshot(store: OxigraphStore) -> tuple[set[tuple[Node, Node, Node]], int]:
    """Every triple of every listed graph, and the count of all quads (so a left-over staging graph shows)."""
    return set(store.triples()), len(store)


# ---------------------------------------------------------------- rejected and kept records


def test_a_record_without_title_is_rejected_naming_dct_title_and_the_rest_are_written(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    path = write_records([row("r1"), row("r2", title=""), row("r3", title="古树名木保护表")])

    report = import_records(store, path, minter)

    assert report.status is ImportStatus.CREATED
    assert (report.read, report.written) == (3, 2)
    [rejected] = report.rejected
    assert (rejected.line, rejected.source_id) == (3, "r2")
    assert any("dct:title" in reason for reason in rejected.reasons)
    assert dataset_ids(store) == {"r1", "r3"}


def test_a_malformed_json_line_rejects_that_row_and_the_others_are_written(
    store: OxigraphStore, minter: IriMinter, tmp_path: Path
) -> None:
    lines = [
        json.dumps(row("r1"), ensure_ascii=False),
        '{"id": "r2", "title": "断',
        json.dumps(row("r3", title="古树名木保护表"), ensure_ascii=False),
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = import_records(store, path, minter)

    [rejected] = report.rejected
    assert rejected.line == 2
    assert "not valid JSON" in rejected.reasons[0]
    assert dataset_ids(store) == {"r1", "r3"}


# ---------------------------------------------------------------- messy values


def test_a_date_with_a_line_break_in_it_becomes_a_datetime(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    import_records(store, write_records([row("r1", issued="2019-04-28\n09:45")]), minter)

    assert objects(store, "r1", DCTERMS.issued) == {Literal("2019-04-28T09:45:00", datatype=XSD.dateTime)}


def test_an_impossible_date_is_kept_as_an_additional_field_with_a_note(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    report = import_records(store, write_records([row("r1", issued="2019-13-45")]), minter)

    assert objects(store, "r1", DCTERMS.issued) == set()
    assert ("issued", "2019-13-45") in additional_fields(store, "r1")
    assert any(line == 2 and "2019-13-45" in note and "not a date" in note for line, note in report.notes)


def test_epoch_milliseconds_become_a_date(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    import_records(store, write_records([row("r1", modified="1556409600000")]), minter)

    assert objects(store, "r1", DCTERMS.modified) == {Literal("2019-04-28", datatype=XSD.date)}


@pytest.mark.parametrize("placeholder", ["暂无", "无", "-"])
def test_placeholders_become_empty_values(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter, placeholder: str
) -> None:
    rows = [row("r1", description=placeholder, keywords=placeholder, formats=placeholder, issued=placeholder)]
    import_records(store, write_records(rows), minter)

    for predicate in (DCTERMS.description, DCTERMS.issued, DCAT3.keyword):
        assert objects(store, "r1", predicate) == set()
    assert objects(store, "r1", DCAT3.distribution) == set()
    assert additional_fields(store, "r1") == set()


def test_a_python_list_of_formats_becomes_one_distribution_per_format(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    import_records(store, write_records([row("r1", formats="['xls', 'xml', '接口']")]), minter)

    rows = store.query(
        'SELECT ?dist ?title ?format WHERE { ?d dct:identifier "r1" ; dcat:distribution ?dist . '
        "?dist a dcat:Distribution ; dct:title ?title OPTIONAL { ?dist dct:format ?format } }"
    ).rows
    assert len({r["dist"] for r in rows}) == 3
    assert {str(r["title"]) for r in rows} == {"行道树信息表（xls）", "行道树信息表（xml）", "行道树信息表（接口）"}
    assert {r["format"] for r in rows if "format" in r} == {URIRef(FILE_TYPE + "XLS"), URIRef(FILE_TYPE + "XML")}


def test_a_frequency_with_a_note_maps_to_its_concept_and_keeps_the_note(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    frequency = "每月(更新说明:暂无新业务数据产生)"
    import_records(store, write_records([row("r1", update_frequency=frequency)]), minter)

    assert objects(store, "r1", DCTERMS.accrualPeriodicity) == {EU_FREQUENCY.MONTHLY}
    assert ("update_frequency", frequency) in additional_fields(store, "r1")


def test_an_unknown_access_level_is_kept_as_an_additional_field(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    report = import_records(store, write_records([row("r1", access_level="仅限内部使用")]), minter)

    assert report.written == 1
    assert objects(store, "r1", DCTERMS.accessRights) == set()
    assert ("access_level", "仅限内部使用") in additional_fields(store, "r1")
    assert any("仅限内部使用" in note for _, note in report.notes)


def test_unknown_columns_are_kept_as_additional_fields(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    import_records(store, write_records([row("r1", 数据量="1200条", 应用场景="城市绿化管理")]), minter)

    assert additional_fields(store, "r1") == {("数据量", "1200条"), ("应用场景", "城市绿化管理")}


def test_chinese_column_headers_are_recognised(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    rows = [
        {
            "资源编号": "r1",
            "数据集名称": "行道树信息表",
            "数据提供方": PUBLISHER,
            "开放属性": "有条件开放",
            "更新频度": "每年",
            "行政区": REGION,
        }
    ]
    report = import_records(store, write_records(rows), minter)

    assert report.written == 1
    assert objects(store, "r1", DCTERMS.title) == {Literal("行道树信息表", lang="zh")}
    assert objects(store, "r1", DCTERMS.accessRights) == {URIRef(ACCESS_RIGHT + "conditional")}
    assert objects(store, "r1", DCTERMS.accrualPeriodicity) == {EU_FREQUENCY.ANNUAL}
    names = store.query('SELECT ?name WHERE { ?d dct:identifier "r1" ; dct:publisher/foaf:name ?name }').rows
    assert [str(r["name"]) for r in names] == [PUBLISHER]
    assert additional_fields(store, "r1") == set()


# ---------------------------------------------------------------- duplicates


def test_a_repeated_id_with_identical_content_is_skipped_as_a_duplicate(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    report = import_records(store, write_records([row("r1"), row("r2", title="古树名木保护表"), row("r1")]), minter)

    assert (report.read, report.written, report.duplicates) == (3, 2, 1)
    assert report.rejected == []


def test_a_repeated_id_with_different_content_is_rejected_naming_the_first_line(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    report = import_records(store, write_records([row("r1"), row("r1", title="古树名木保护表")]), minter)

    [rejected] = report.rejected
    assert rejected.line == 3
    assert "line 2" in rejected.reasons[0]
    assert objects(store, "r1", DCTERMS.title) == {Literal("行道树信息表", lang="zh")}


def test_records_marked_as_duplicate_of_another_are_skipped(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    rows = [row("r1", duplicate_of=None), row("r2", duplicate_of="r1")]
    report = import_records(store, write_records(rows, name="records.jsonl"), minter)

    assert (report.read, report.written, report.duplicates) == (2, 1, 1)
    assert dataset_ids(store) == {"r1"}


# ---------------------------------------------------------------- files that cannot be read


def test_a_gbk_encoded_csv_is_refused_with_the_fix_and_the_store_is_unchanged(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    import_records(store, write_records([row("r1")], name="earlier.csv"), minter)
    before = snapshot(store)
    path = write_records([row("g1"), row("g2", title="古树名木保护表")], name="gbk.csv", encoding="gbk")

    with pytest.raises(SourceError) as raised:
        import_records(store, path, minter)

    assert "GB18030" in str(raised.value)
    assert "--encoding" in str(raised.value)
    assert snapshot(store) == before
    assert store.named_graphs() == [minter.source_graph("earlier")]


def test_a_gbk_encoded_csv_imports_with_encoding_gb18030(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    path = write_records([row("g1"), row("g2", title="古树名木保护表")], name="gbk.csv", encoding="gbk")

    report = import_records(store, path, minter, ImportOptions(encoding="gb18030"))

    assert report.written == 2
    assert objects(store, "g2", DCTERMS.title) == {Literal("古树名木保护表", lang="zh")}


def test_a_binary_file_is_refused_with_a_clear_source_error(
    store: OxigraphStore, minter: IriMinter, tmp_path: Path
) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)))

    with pytest.raises(SourceError, match="binary"):
        import_records(store, path, minter)
    assert len(store) == 0


def test_a_csv_header_naming_a_column_twice_is_refused(store: OxigraphStore, minter: IriMinter, tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text(f"id,title,title,publisher\nr1,行道树信息表,行道树,{PUBLISHER}\n", encoding="utf-8")

    with pytest.raises(SourceError, match="title"):
        import_records(store, path, minter)
    assert len(store) == 0


def test_importing_a_missing_file_says_there_is_no_such_file(
    store: OxigraphStore, minter: IriMinter, tmp_path: Path
) -> None:
    with pytest.raises(SourceError, match="no such file"):
        import_source(store, tmp_path / "absent.csv", minter, ImportOptions())


# ---------------------------------------------------------------- policies and re-imports


def test_strict_policy_with_one_bad_record_writes_nothing(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    path = write_records([row("r1"), row("r2", title="")])

    with pytest.raises(BatchRejectedError) as raised:
        import_records(store, path, minter, ImportOptions(policy=InvalidPolicy.STRICT))

    assert raised.value.rejected == 1
    assert len(store) == 0
    assert store.named_graphs() == []


def test_strict_policy_with_one_bad_record_keeps_the_previous_graph_intact(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    import_records(store, write_records([row("r1"), row("r2", title="古树名木保护表")]), minter)
    before = snapshot(store)

    changed = write_records([row("r1"), row("r3", title="公园绿化资源表"), row("r4", title="  ")])
    with pytest.raises(BatchRejectedError):
        import_records(store, changed, minter, ImportOptions(policy=InvalidPolicy.STRICT))

    assert snapshot(store) == before
    assert dataset_ids(store) == {"r1", "r2"}
    assert store.named_graphs() == [minter.source_graph("records")]


def test_reimporting_an_unchanged_file_changes_nothing(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    path = write_records([row("r1"), row("r2", title="古树名木保护表")])
    import_records(store, path, minter)
    before = snapshot(store)

    report = import_records(store, path, minter)

    assert report.status is ImportStatus.UNCHANGED
    assert report.written == 0
    assert snapshot(store) == before


def test_reimporting_a_changed_file_replaces_its_graph(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    import_records(store, write_records([row("r1"), row("r2", title="古树名木保护表")]), minter)

    report = import_records(
        store, write_records([row("r2", title="古树名木信息表"), row("r3", title="公园绿化资源表")]), minter
    )

    assert report.status is ImportStatus.UPDATED
    assert dataset_ids(store) == {"r2", "r3"}
    assert objects(store, "r2", DCTERMS.title) == {Literal("古树名木信息表", lang="zh")}
    assert store.named_graphs() == [minter.source_graph("records")]


def test_an_imported_graph_describes_its_source_with_the_content_hash(
    store: OxigraphStore, minter: IriMinter, write_records: RecordsWriter
) -> None:
    path = write_records([row("r1"), row("r2", title="")])

    import_records(store, path, minter)

    graph = minter.source_graph("records")
    assert store.source_hash(graph) == hashlib.sha256(path.read_bytes()).hexdigest()
    counts = store.query(f"SELECT ?w ?r WHERE {{ <{graph}> kgcat:recordCount ?w ; kgcat:rejectedCount ?r }}").rows
    assert [(int(c["w"]), int(c["r"])) for c in counts] == [(1, 1)]
    assert (graph, KGCAT.sourceFile, Literal("records.csv")) in set(store.triples(graph))


def test_validating_batches_in_worker_processes_gives_the_same_result_as_in_one(
    minter: IriMinter, write_records: RecordsWriter
) -> None:
    titles = [
        "行道树信息表",
        "古树名木保护表",
        "公园绿化资源表",
        "",
        "消防站资源管理表",
        "就业政策表",
        "赛事管理信息表",
    ]
    path = write_records([row(f"r{index}", title=title) for index, title in enumerate(titles)])
    outcomes = []
    for workers in (1, 2):
        store = OxigraphStore(None)
        report = import_records(store, path, minter, ImportOptions(batch_size=2, workers=workers))
        outcomes.append((report.written, [(r.line, r.source_id) for r in report.rejected], dataset_ids(store)))
        store.close()

    assert outcomes[0] == outcomes[1] == (6, [(5, "r3")], {"r0", "r1", "r2", "r4", "r5", "r6"})


def test_mapping_in_worker_processes_writes_exactly_the_triples_of_one_process(
    minter: IriMinter, write_records: RecordsWriter
) -> None:
    departments = ["上海市徐汇区绿化和市容管理局", "上海市徐汇区消防救援支队", "上海市徐汇区人力资源和社会保障局"]
    rows = [
        row(f"r{index}", title=f"数据资源{index}", publisher=departments[index % 3], format=["csv", "json"])
        for index in range(12)
    ]  # every department in batches of both workers: its description must be written once, by either
    path = write_records(rows, name="records.jsonl")
    graphs = []
    for workers in (1, 2):
        store = OxigraphStore(None)
        import_records(store, path, minter, ImportOptions(batch_size=2, workers=workers))
        records = minter.source_graph("records")
        graphs.append({t for t in store.triples(records) if t[1] != PROV.generatedAtTime})
        store.close()

    assert graphs[0] == graphs[1]
    assert {str(name) for _, predicate, name in graphs[1] if predicate == FOAF.name} >= set(departments)
