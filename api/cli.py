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

import click
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.settings import Settings
from graph.catalogue import build_catalogue, catalogue_stats, import_source, validate_store
from graph.formats import rdf_syntax, results_syntax
from graph.importer import ImportOptions, ImportReport, InvalidPolicy
from graph.mapping import CatalogDefaults
from graph.store import OxigraphStore
from ontology import KgcatError, ShapesLayer

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
def _store(settings: Settings, *, write: bool) -> Iterator[OxigraphStore]:
    if not write and not settings.store_dir.exists():
        raise KgcatError(f"no catalogue at {settings.store_dir}; run `kgcat build` first (or pass --data-dir)")
    store = OxigraphStore(settings.store_dir, read_only=not write)
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
) -> None:
    """Build the catalogue from the bundled sources: vocabulary, registration records, validated."""
    settings = _settings(data_dir)
    with _store(settings, write=True) as store, _progress() as progress:
        reports = build_catalogue(
            store, settings.minter(), ImportOptions(policy=on_invalid), _import_progress(progress)
        )
    for report in reports:
        _print_report(settings, report)
    out.print(f"catalogue stored in {settings.store_dir}", markup=False, highlight=False)


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
def stats(data_dir: DataDir = None) -> None:
    """Counts of what the catalogue holds."""
    settings = _settings(data_dir)
    with _store(settings, write=False) as store:
        figures = catalogue_stats(store)
    table = Table("what", "count")
    for name, value in figures.rows():
        table.add_row(name, str(value))
    out.print(table)


def main() -> None:
    """Entry point of the ``kgcat`` console script: logging set-up and one error format."""
    logging.basicConfig(level=Settings().log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    try:
        code = app(standalone_mode=False)
    except click.ClickException as error:  # usage errors: click's own message and exit code 2
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    except (KgcatError, ValidationError) as error:  # ValidationError: a bad KGCAT_* setting
        err.print(f"error: {error}", markup=False, highlight=False)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
