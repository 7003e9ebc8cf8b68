"""`init`, `import` and `status`: creating a project, bringing files in, seeing where it stands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from livingreview.cli._common import emit, json_option, progress, stderr
from livingreview.importers import importer_names
from livingreview.project import Review
from livingreview.safe_text import for_terminal, plain_for_terminal

project_dir = click.argument("directory", type=click.Path(file_okay=False, path_type=Path))


@click.command()
@project_dir
@click.option("--protocol", "protocol_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The protocol.toml to start from; it is validated and copied in.")
@click.option("--force", is_flag=True,
              help="Replace a different protocol.toml already in DIRECTORY.")
@json_option
def init(directory: Path, protocol_file: Path, force: bool, as_json: bool) -> None:
    """Create a review project in DIRECTORY from a protocol file."""
    with Review.init(directory, protocol_file, force=force) as review:
        payload = {"directory": str(directory), "review": review.protocol.review.id,
                   "criteria": len(review.protocol.criteria),
                   "vocabularies": {k: len(v.terms) for k, v in review.protocol.vocabularies.items()}}
    emit(payload, as_json, lambda p: click.echo(f"created review '{p['review']}' in {p['directory']}"))


@click.command("import")
@project_dir
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "format_name", type=click.Choice(importer_names()),
              help="Skip format detection and read the files as this format.")
@click.option("--column", "columns", multiple=True, metavar="FIELD=COLUMN",
              help="For CSV/TSV: read FIELD (title, abstract, doi, ...) from COLUMN. Repeatable.")
@click.option("--source", "source_name", metavar="NAME",
              help="The database the files came from (Embase, Scopus, ...), as PRISMA counts "
                   "records per database; guessed from each file when not given.")
@json_option
def import_(directory: Path, files: tuple[Path, ...], format_name: str | None,
            columns: tuple[str, ...], source_name: str | None, as_json: bool) -> None:
    """Import exported records (RIS, MEDLINE, PubMed XML, WoS, CSV, BibTeX, Europe PMC, CT.gov).

    Each file is imported whole or not at all; a file imported before is recognised by its
    content and skipped.
    """
    options: dict[str, object] = {}
    if columns:
        options["column_map"] = dict(_field_column(c) for c in columns)
    results = []
    with Review(directory) as review, progress(not as_json) as bar:
        for path in files:
            task = bar.add_task(f"import {path.name}", total=None)
            result = review.import_file(path, format=format_name, options=options or None,
                                        source_name=source_name,
                                        on_record=lambda n: bar.update(task, completed=n))
            bar.update(task, total=result.records, completed=result.records)
            for warning in result.warnings:
                stderr.print(f"[yellow]warning:[/yellow] {for_terminal(warning)}", highlight=False)
            if result.database is None and not result.already_imported:
                stderr.print(f"[yellow]note:[/yellow] cannot tell which database "
                             f"{for_terminal(path.name)} came from; PRISMA counts its records as "
                             "'database not named' (give --source NAME)", highlight=False)
            results.append(result)
    payload = {"files": [
        {"path": str(r.path), "format": r.format, "database": r.database,
         "encoding": r.encoding, "records": r.records,
         "already_imported": r.already_imported, "warnings": list(r.warnings)}
        for r in results
    ], "records": sum(r.records for r in results if not r.already_imported)}
    emit(payload, as_json, _render_import)


def _field_column(text: str) -> tuple[str, str]:
    field, sep, column = text.partition("=")
    if not sep or not field or not column:
        raise click.BadParameter(f"expected FIELD=COLUMN, got {text!r}", param_hint="--column")
    return field.strip(), column.strip()


def _render_import(payload: dict[str, Any]) -> None:
    for item in payload["files"]:
        state = "already imported, skipped" if item["already_imported"] else f"{item['records']} records"
        database = plain_for_terminal(item["database"] or "database not named")
        click.echo(f"{item['path']}: {database}, {item['format']} ({item['encoding']}): {state}")


@click.command()
@project_dir
@json_option
def status(directory: Path, as_json: bool) -> None:
    """Counts per stage, derived from the review's event log."""
    with Review(directory) as review:
        payload = {"review": review.protocol.review.id, **review.status()}
    for warning in payload["warnings"]:
        stderr.print(f"[yellow]warning:[/yellow] {for_terminal(warning)}", highlight=False)
    emit(payload, as_json, _render_status)


def _render_status(payload: dict[str, Any]) -> None:
    console = Console()
    table = Table(title=f"review {for_terminal(payload['review'])}", show_header=True)
    table.add_column("stage")
    table.add_column("measure")
    table.add_column("count", justify="right")
    for stage, measures in payload.items():
        if not isinstance(measures, dict):
            continue
        for measure, value in _flattened(measures):
            # keys can come from files (a database named in an export): escape them
            table.add_row(for_terminal(stage), for_terminal(measure), for_terminal(str(value)))
    console.print(table)


def _flattened(measures: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Nested counts as ("title_abstract: excluded_by_reason: C2", 3) rows."""
    rows: list[tuple[str, Any]] = []
    for key, value in measures.items():
        name = f"{prefix}{key}"
        rows.extend(_flattened(value, f"{name}: ") if isinstance(value, dict) else [(name, value)])
    return rows


COMMANDS = (init, import_, status)
