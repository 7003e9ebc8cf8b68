"""Extraction commands: `extract --auto` (rule-based suggestions with their evidence) and the
verification options (handled in `extract_verify` and `extraction.terminal`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from livingreview.cli._common import emit, json_option, progress
from livingreview.cli.extract_verify import run_conflicts, run_curated, run_export, run_import, run_resolve
from livingreview.extraction.terminal import verify_in_terminal
from livingreview.extraction.model import EXTRACTOR, EXTRACTOR_VERSION
from livingreview.extraction.service import (
    extraction_units,
    run_suggestions,
    store_suggestions,
    unit_json,
)
from livingreview.project import Review
from livingreview.safe_text import for_terminal
from livingreview.store.extractions import jats_fulltexts


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--auto", "auto", is_flag=True,
              help="Suggest every field of the protocol's extraction form with rules, each value "
                   "with the spans of text (or registry paths) it was read from.")
@click.option("--all", "every_record", is_flag=True,
              help="Every record, each on its own, instead of the studies included at their latest "
                   "screening stage.")
@click.option("--reviewer", help="Verify the suggestions in the terminal as this reviewer (alone), or "
                                   "name the reviewer of --import, --curated or --resolve.")
@click.option("--conflicts", "show_conflicts", is_flag=True,
              help="List the fields where extractors disagree, with agreement per field.")
@click.option("--resolve", "resolution", nargs=3, metavar="STUDY FIELD VALUE",
              help="Settle a field of a study for everyone (FIELD: name or outcomes[N].name; lists "
                   "as 'a; b'); the lead is --reviewer.")
@click.option("--reason", help="Why, with --resolve.")
@click.option("--export", "export_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the form with the suggestions filled in to PATH.csv or PATH.xlsx.")
@click.option("--import", "import_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Read a filled-in form back as --reviewer's extraction, every changed cell recorded.")
@click.option("--curated", "curated", is_flag=False, flag_value="", default=None, metavar="[FOLDER]",
              help="Load curated evidence files (DIR/evidence by default) as the extraction of their reviewer.")
@json_option
def extract(directory: Path, auto: bool, every_record: bool, reviewer: str | None, show_conflicts: bool,
            resolution: tuple[str, str, str] | None, reason: str | None, export_path: Path | None,
            import_path: Path | None, curated: str | None, as_json: bool) -> None:
    """Suggest extraction values for the included studies (or every record with --all), and verify them.

    --auto reads each study's title and abstract, its ClinicalTrials.gov record and its retrieved
    JATS full text. Suggestions are stored in the review (table `extractions`, extractor "rules")
    for a reviewer to verify; nothing is accepted without one. The other options verify: in the
    terminal (--reviewer alone), through a spreadsheet (--export, --import), from curated files
    (--curated); --conflicts and --resolve settle what two extractors disagree on.
    """
    chosen = [name for name, given in (("--auto", auto), ("--conflicts", show_conflicts),
                                       ("--resolve", resolution), ("--export", export_path),
                                       ("--import", import_path), ("--curated", curated is not None)) if given]
    if len(chosen) > 1:
        raise click.UsageError(f"choose one of {', '.join(chosen)}")
    if not chosen:
        if not reviewer:
            raise click.UsageError("say what to do: --auto, --reviewer NAME, --conflicts, --resolve, "
                                   "--export, --import or --curated")
        verify_in_terminal(directory, reviewer)
        return
    if chosen[0] != "--auto":
        _verification(directory, reviewer, show_conflicts, resolution, reason, export_path,
                      import_path, curated, as_json)
        return
    with Review(directory) as review:
        units = extraction_units(review.screening, every_record=every_record)
        fulltexts = jats_fulltexts(review.store, review.directory)
        with progress(not as_json) as bar:
            task = bar.add_task("suggesting", total=len(units))
            results = run_suggestions(review.protocol, units, fulltexts,
                                      lambda done, total: bar.update(task, completed=done))
        written, unplaced = store_suggestions(review.store, results)
        review.store.log("extract", "extract.auto", detail={
            "units": len(units), "rows": written, "without_study": unplaced, "all": every_record},
            model_version=f"{EXTRACTOR}/{EXTRACTOR_VERSION}")
        payload: dict[str, Any] = {
            "extractor": EXTRACTOR, "extractor_version": EXTRACTOR_VERSION, "count": len(units),
            "stored_rows": written, "not_stored_without_study": unplaced,
            "studies": [unit_json(unit, suggestions) for unit, suggestions in results],
        }
    emit(payload, as_json, _render)


def _verification(directory: Path, reviewer: str | None, show_conflicts: bool,
                  resolution: tuple[str, str, str] | None, reason: str | None, export_path: Path | None,
                  import_path: Path | None, curated: str | None, as_json: bool) -> None:
    if show_conflicts:
        run_conflicts(directory, as_json)
    elif resolution:
        run_resolve(directory, *resolution, reviewer, reason, as_json)
    elif export_path is not None:
        run_export(directory, export_path, as_json)
    elif import_path is not None:
        run_import(directory, import_path, reviewer, as_json)
    else:
        run_curated(directory, curated or "", reviewer, as_json)


def _render(payload: dict[str, Any]) -> None:
    console = Console()
    table = Table("record", "field", "value", "evidence")
    for study in payload["studies"]:
        for name, item in study["fields"].items():
            if item["value"] in (None, [], "not-stated"):
                continue
            evidence = item["evidence"][0]["text"] if item["evidence"] else ""
            table.add_row(str(study["record_id"]), name, for_terminal(str(item["value"])), for_terminal(evidence[:60]))
    console.print(table)
    console.print(f"{payload['count']} studies; {payload['stored_rows']} suggestions stored"
                  + (f"; {payload['not_stored_without_study']} records not stored (run dedupe to group "
                     "them into studies)" if payload["not_stored_without_study"] else ""))


COMMANDS = [extract]
