"""`report`, `export` and `import-bundle`: the review as a report, as files for other tools, and
moved whole into a new project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from livingreview.cli._common import emit, json_option
from livingreview.project import Review
from livingreview.safe_text import plain_for_terminal
from livingreview.store.records import count_records

project_dir = click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
# The export formats, spelled out here so `--help` does not import the exporters.
EXPORT_FORMATS = ("csv", "xlsx", "ris", "metafor", "bundle")


@click.command("report")
@project_dir
@json_option
def report_command(directory: Path, as_json: bool) -> None:
    """Write the review's HTML report (DIR/report/index.html, with the PRISMA diagram as SVG and
    PNG) from the store and the stages' outputs, and print its path.

    The PRISMA 2020 counts are computed from the log; sections whose stage has not run say
    "not yet available".
    """
    with Review(directory) as review:
        outcome = review.report()
    changes = outcome.changes
    payload: dict[str, Any] = {"path": str(outcome.path), "version": outcome.version,
                               "changed": outcome.changed,
                               "prisma": outcome.counts.to_dict(),
                               "changes": None if changes is None else {
                                   "previous_version": changes.previous_version,
                                   "new_records": changes.new_records,
                                   "newly_included": list(changes.newly_included),
                                   "changed_estimates": list(changes.changed_estimates),
                                   "changed_conclusions": list(changes.changed_conclusions)}}
    emit(payload, as_json, _render_report)


def _render_report(payload: dict[str, Any]) -> None:
    prisma = payload["prisma"]
    if not prisma["adds_up"]:
        left = ", ".join(f"{n} {what}" for what, n in prisma["pending"].items())
        click.echo(f"PRISMA diagram left out until screening is settled: {left}", err=True)
    click.echo(payload["path"])


@click.command("export")
@project_dir
@click.option("--format", "format_name", type=click.Choice(EXPORT_FORMATS), required=True,
              help="csv/xlsx: included studies and extraction; ris: included records; metafor: "
                   "effect sizes (yi, vi, moderators); bundle: the whole review as JSON.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write (default: DIR/report/exports/ with a name per format).")
@json_option
def export_command(directory: Path, format_name: str, out: Path | None, as_json: bool) -> None:
    """Export the review: included studies as CSV or XLSX, included records as RIS, effect
    sizes for metafor, or a JSON bundle that `import-bundle` restores."""
    with Review(directory) as review:
        path = review.export(format_name, out)
    emit({"path": str(path), "format": format_name}, as_json,
         lambda p: click.echo(plain_for_terminal(p["path"])))


@click.command("import-bundle")
@click.argument("bundle_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new_directory", type=click.Path(file_okay=False, path_type=Path))
@json_option
def import_bundle_command(bundle_file: Path, new_directory: Path, as_json: bool) -> None:
    """Restore a review from a bundle written by `export --format bundle` into NEW_DIRECTORY,
    row for row and file for file."""
    from livingreview.report.exports import import_bundle

    with import_bundle(bundle_file, new_directory) as review:
        payload = {"directory": str(new_directory), "review": review.protocol.review.id,
                   "records": count_records(review.store)}
    emit(payload, as_json, lambda p: click.echo(
        f"restored review '{plain_for_terminal(p['review'])}' into {p['directory']} "
        f"({p['records']} records)"))


COMMANDS = (report_command, export_command, import_bundle_command)
