"""The ``kgcat`` command line, end to end over a catalogue built into a temporary data directory.

Successful commands run through typer's CliRunner on ``app``; error paths run through ``main``
(the console-script entry point, which turns a KgcatError into one line on stderr and exit
code 1), and a few cases run the installed ``kgcat`` script in a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from typer.testing import CliRunner

from api.cli import app, main
from graph.formats import RDF_SYNTAXES, RdfSyntax
from graph.store import OxigraphStore
from graph.terms import from_ox
from graph.union_graph import is_internal
from ontology.namespaces import DCAT3, DCTERMS, RDF

GraphComparer = Callable[[Graph, Graph], None]

SHAPES_FIXTURES = Path(__file__).resolve().parents[1] / "data" / "shapes"
TITLES_QUERY = "SELECT ?title WHERE { ?d a dcat:Dataset ; dct:title ?title } ORDER BY ?title"

runner = CliRunner(env={"KGCAT_DATA_DIR": None, "KGCAT_BASE_IRI": None, "KGCAT_LOG_LEVEL": None})


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the built catalogue (built once for the module)."""
    directory = tmp_path_factory.mktemp("kgcat-data")
    result = runner.invoke(app, ["build", "--data-dir", str(directory)])
    assert result.exit_code == 0, result.output
    return directory


def store_contents(data_dir: Path) -> tuple[Graph, set[ox.Quad]]:
    """The union graph and the source quads of the built store (kgcat's internal graphs left out), read directly."""
    store = OxigraphStore(data_dir / "store", read_only=True)
    union = Graph()
    for triple in store.triples():
        union.add(triple)
    quads = {quad for quad in ox.Store.read_only(str(data_dir / "store")) if not is_internal(quad.graph_name)}
    store.close()
    return union, quads


def run_kgcat(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str, **settings: str
) -> tuple[int, str, str]:
    """Run the console-script entry point with ``args`` and KGCAT_* ``settings``; returns (code, stdout, stderr)."""
    for name in ("KGCAT_DATA_DIR", "KGCAT_BASE_IRI", "KGCAT_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in settings.items():
        monkeypatch.setenv(f"KGCAT_{name.upper()}", value)
    monkeypatch.setattr(sys, "argv", ["kgcat", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    captured = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), captured.out, captured.err


# ---------------------------------------------------------------- build, validate, stats


def test_build_reports_what_it_wrote(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--data-dir", str(tmp_path)])

    assert result.exit_code == 0, result.output
    assert "10 written" in result.stdout
    assert f"catalogue stored in {tmp_path / 'store'}" in result.stdout


def test_validate_after_build_exits_zero(data_dir: Path) -> None:
    result = runner.invoke(app, ["validate", "--data-dir", str(data_dir)])

    assert result.exit_code == 0, result.output
    assert "符合 / conforms (core)" in result.stdout


def test_validate_as_json_parses(data_dir: Path) -> None:
    result = runner.invoke(
        app, ["validate", "--data-dir", str(data_dir), "--shapes", "recommended", "--format", "json"]
    )

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["conforms"], report["layers"], report["violations"]) == (True, ["recommended"], 0)
    assert report["warnings"] == len(report["results"]) > 0
    assert all(issue["message_zh"] and issue["message_en"] for issue in report["results"])


def test_validate_as_turtle_is_a_shacl_report(data_dir: Path) -> None:
    result = runner.invoke(app, ["validate", "--data-dir", str(data_dir), "--format", "turtle"])

    assert result.exit_code == 0, result.output
    report = Graph().parse(data=result.stdout, format="turtle")
    assert report.query("ASK { ?r a sh:ValidationReport ; sh:conforms true }").askAnswer


def test_validate_exits_one_when_the_catalogue_breaks_core_shapes(tmp_path: Path) -> None:
    broken = SHAPES_FIXTURES / "core" / "DatasetTitle.minCount.ttl"
    imported = runner.invoke(app, ["import", str(broken), "--data-dir", str(tmp_path), "--accept-invalid"])
    assert imported.exit_code == 0, imported.output

    result = runner.invoke(app, ["validate", "--data-dir", str(tmp_path)])

    assert result.exit_code == 1
    assert "不符合 / does not conform (core)" in result.stdout
    assert "dct:title" in result.stdout


def test_stats_counts_the_catalogue(data_dir: Path) -> None:
    result = runner.invoke(app, ["stats", "--data-dir", str(data_dir)])

    assert result.exit_code == 0, result.output
    lines = {" ".join(line.split()) for line in result.stdout.splitlines()}
    assert any("data resources (dcat:Dataset)" in line and line.split()[-2] == "10" for line in lines)


# ---------------------------------------------------------------- sparql


def test_sparql_select_as_csv(data_dir: Path) -> None:
    result = runner.invoke(app, ["sparql", TITLES_QUERY, "--data-dir", str(data_dir), "--format", "csv"])

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 10
    assert "行道树信息表" in {row["title"] for row in rows}


def test_sparql_select_as_json(data_dir: Path) -> None:
    result = runner.invoke(app, ["sparql", TITLES_QUERY, "--data-dir", str(data_dir), "--format", "json"])

    assert result.exit_code == 0, result.output
    results = json.loads(result.stdout)
    assert results["head"]["vars"] == ["title"]
    titles = [binding["title"] for binding in results["results"]["bindings"]]
    assert len(titles) == 10
    assert all(title["xml:lang"] == "zh" for title in titles)


def test_sparql_construct_as_turtle(data_dir: Path, assert_isomorphic: GraphComparer) -> None:
    query = "CONSTRUCT { ?d dct:title ?t } WHERE { ?d a dcat:Dataset ; dct:title ?t }"

    result = runner.invoke(app, ["sparql", query, "--data-dir", str(data_dir), "--format", "turtle"])

    assert result.exit_code == 0, result.output
    union, _ = store_contents(data_dir)
    expected = Graph()
    for dataset in union.subjects(RDF.type, DCAT3.Dataset):
        for title in union.objects(dataset, DCTERMS.title):
            expected.add((dataset, DCTERMS.title, title))
    assert len(expected) == 10
    assert_isomorphic(expected, Graph().parse(data=result.stdout, format="turtle"))


def test_sparql_reads_the_query_from_a_file(data_dir: Path, tmp_path: Path) -> None:
    query_file = tmp_path / "titles.rq"
    query_file.write_text(TITLES_QUERY, encoding="utf-8")

    result = runner.invoke(app, ["sparql", f"@{query_file}", "--data-dir", str(data_dir), "--format", "tsv"])

    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 11  # header and ten titles


# ---------------------------------------------------------------- export


def _triple_syntax(syntax: RdfSyntax) -> object:
    if syntax.name == "jsonld":  # rdflib's JSON-LD parser still builds a ConjunctiveGraph internally
        return pytest.param(syntax, id=syntax.name, marks=pytest.mark.filterwarnings("ignore:ConjunctiveGraph"))
    return pytest.param(syntax, id=syntax.name)


@pytest.mark.parametrize("syntax", [_triple_syntax(s) for s in RDF_SYNTAXES if not s.datasets])
def test_export_of_a_triple_syntax_to_a_file_parses_back(
    data_dir: Path, tmp_path: Path, syntax: RdfSyntax, assert_isomorphic: GraphComparer
) -> None:
    output = tmp_path / f"catalogue{syntax.extension}"

    result = runner.invoke(app, ["export", "--data-dir", str(data_dir), "--format", syntax.name, "-o", str(output)])

    assert result.exit_code == 0, result.output
    assert f"wrote {output}" in result.stderr
    union, _ = store_contents(data_dir)
    assert_isomorphic(union, Graph().parse(output, format=syntax.rdflib))
    assert [path.name for path in tmp_path.iterdir()] == [output.name]  # no .partial file left


@pytest.mark.parametrize("syntax", [s for s in RDF_SYNTAXES if s.datasets], ids=lambda s: s.name)
def test_export_of_a_dataset_syntax_to_a_file_keeps_the_named_graphs(
    data_dir: Path, tmp_path: Path, syntax: RdfSyntax
) -> None:
    output = tmp_path / f"catalogue{syntax.extension}"

    result = runner.invoke(app, ["export", "--data-dir", str(data_dir), "--format", syntax.name, "-o", str(output)])

    assert result.exit_code == 0, result.output
    _, quads = store_contents(data_dir)
    exported = set(ox.parse(output.read_bytes(), syntax.oxigraph))
    assert exported == quads  # the catalogue has no blank nodes, so the quads compare directly
    assert {from_ox(q.graph_name) for q in exported} == {from_ox(q.graph_name) for q in quads}


def test_explain_prints_the_sentences_that_mention_a_short_department_name(data_dir: Path) -> None:
    result = runner.invoke(app, ["explain", "区绿容局", "--data-dir", str(data_dir)])

    assert result.exit_code == 0, result.output
    assert "上海市徐汇区绿化和市容管理局" in result.stdout
    assert "提及该实体的句子" in result.stdout
    assert "区绿容局" in result.stdout.split("提及该实体的句子", 1)[1]


# ---------------------------------------------------------------- errors through the entry point


def test_import_of_a_missing_file_exits_one_with_a_clear_message(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-records.csv"

    code, _, stderr = run_kgcat(monkeypatch, capsys, "import", str(missing), "--data-dir", str(tmp_path))

    assert code == 1
    assert stderr.startswith("error: ")
    assert f"{missing}: no such file" in stderr


def test_sparql_with_a_syntax_error_exits_one_with_a_clear_message(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, stderr = run_kgcat(
        monkeypatch, capsys, "sparql", "SELEKT ?s WHERE { ?s ?p ?o }", "--data-dir", str(data_dir)
    )

    assert code == 1
    assert stdout == ""
    assert "the SPARQL query does not parse" in stderr


def test_validate_without_a_catalogue_says_to_build_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, stderr = run_kgcat(monkeypatch, capsys, "validate", "--data-dir", str(tmp_path))

    assert code == 1
    assert "run `kgcat build` first" in stderr


def test_an_unknown_shapes_layer_is_named_with_the_choices(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, stderr = run_kgcat(monkeypatch, capsys, "validate", "--data-dir", str(data_dir), "--shapes", "strict")

    assert code == 1
    assert "unknown shapes layer 'strict'" in stderr
    assert "core, recommended, vocabularies" in stderr


def test_a_gbk_records_file_is_refused_with_the_encoding_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    records = tmp_path / "gbk.csv"
    records.write_bytes("id,title,publisher\nr1,行道树信息表,上海市徐汇区绿化和市容管理局\n".encode("gbk"))

    code, _, stderr = run_kgcat(monkeypatch, capsys, "import", str(records), "--data-dir", str(tmp_path / "data"))

    assert code == 1
    assert "--encoding gb18030" in stderr


def test_a_document_mixing_utf8_and_gbk_is_refused_naming_the_line_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "mixed.txt"
    utf8 = "区绿容局登记了行道树信息表。\n".encode()
    document.write_bytes(utf8 * 3 + "区房管局登记了房屋信息表。\n".encode("gbk"))
    data = tmp_path / "data"

    code, _, stderr = run_kgcat(monkeypatch, capsys, "import", str(document), "--data-dir", str(data))

    assert code == 1
    assert "mixes UTF-8 with another encoding" in stderr
    assert "line 4" in stderr
    store = OxigraphStore(data / "store")
    assert store.named_graphs() == []
    store.close()


def test_a_bad_setting_exits_one_naming_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, stderr = run_kgcat(monkeypatch, capsys, "stats", "--data-dir", str(data_dir), base_iri="kgcat.example.org")

    assert code == 1
    assert "base IRI 'kgcat.example.org' must be an http(s) IRI ending with '/'" in stderr


def test_usage_errors_exit_two(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run_kgcat(monkeypatch, capsys, "validate", "--no-such-option")

    assert code == 2
    assert "No such option" in stderr


# ---------------------------------------------------------------- search


def search_json(data_dir: Path, *options: str) -> dict[str, object]:
    result = runner.invoke(app, ["search", *options, "--json", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.stdout)
    assert isinstance(parsed, dict)
    return parsed


def test_search_as_json_has_the_documented_fields(data_dir: Path) -> None:
    response = search_json(data_dir, "充电桩 数据")

    assert response["query"] == "充电桩 数据"
    results = response["results"]
    assert isinstance(results, list)
    assert results[0]["label"] == "新能源汽车充电场表"
    assert {"iri", "label", "type", "score", "publisher", "snippet", "why"} <= set(results[0])


def test_search_domain_option_restricts_to_that_domain_not_the_publisher(data_dir: Path) -> None:
    """Regression: ``--domain`` was passed positionally into the publisher slot of the filters."""
    response = search_json(data_dir, "数据", "--domain", "体育", "--type", "Dataset")

    labels = [result["label"] for result in response["results"]]  # type: ignore[attr-defined]
    assert labels == ["赛事管理信息表"]


def test_search_with_an_unknown_type_names_the_choices(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, stderr = run_kgcat(monkeypatch, capsys, "search", "树", "--type", "Tree", "--data-dir", str(data_dir))

    assert code == 1
    assert "unknown --type Tree; choose from" in stderr


# ---------------------------------------------------------------- the installed script


KGCAT_SCRIPT = Path(sys.executable).with_name("kgcat")


@pytest.mark.skipif(not KGCAT_SCRIPT.exists(), reason=f"the kgcat script is not installed next to {sys.executable}")
def test_installed_script_builds_validates_and_reports_errors(tmp_path: Path) -> None:
    def kgcat(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(KGCAT_SCRIPT), *args, "--data-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={"PATH": str(KGCAT_SCRIPT.parent), "HOME": str(tmp_path)},
        )

    # a first build in a new data directory also converts the bundled encoder for ONNX Runtime and
    # encodes the catalogue: minutes on a busy 2-core machine (the timeout only guards against a hang)
    assert kgcat("build", timeout=900).returncode == 0
    validated = kgcat("validate", "--format", "json")
    assert validated.returncode == 0, validated.stderr
    assert json.loads(validated.stdout)["conforms"] is True
    missing = kgcat("import", str(tmp_path / "absent.jsonl"))
    assert missing.returncode == 1
    assert "no such file" in missing.stderr
    bad_query = kgcat("sparql", "SELECT ?s WHERE {")
    assert bad_query.returncode == 1
    assert "does not parse" in bad_query.stderr


def test_option_help_keeps_the_extra_name_in_square_brackets() -> None:
    # rich reads "[st]" as a markup tag and drops it unless it is escaped
    result = runner.invoke(app, ["encoder", "export", "--help"])

    assert result.exit_code == 0
    assert "needs the [st]" in result.output


def test_import_with_two_workers_writes_every_record(tmp_path: Path, write_records: Callable[..., Path]) -> None:
    department, region = "上海市徐汇区绿化和市容管理局", "上海市徐汇区"
    rows = [{"id": f"r{n}", "title": f"数据资源{n}", "publisher": department, "region": region} for n in range(2_100)]
    records = write_records(rows, name="many.jsonl")  # more than two batches of 1,000: the workers take part

    result = runner.invoke(app, ["import", str(records), "--data-dir", str(tmp_path / "data"), "--workers", "2"])

    assert result.exit_code == 0, result.stdout
    store = OxigraphStore(tmp_path / "data" / "store", read_only=True)
    count = store.query("SELECT (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset }").rows[0]["n"]
    store.close()
    assert int(count) == 2_100
