"""Extraction commands: `extract --auto` (rule-based suggestions with their evidence)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from livingreview.cli._common import emit, json_option, progress
from livingreview.extraction.model import EXTRACTOR, EXTRACTOR_VERSION
from livingreview.extraction.service import (
    extraction_units,
    run_suggestions,
    store_suggestions,
    unit_json,
)
from livingreview.project import Review
from livingreview.store.extractions import jats_fulltexts


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--auto", "auto", is_flag=True, required=True,
              help="Suggest every field of the protocol's extraction form with rules, each value "
                   "with the spans of text (or registry paths) it was read from.")
@click.option("--all", "every_record", is_flag=True,
              help="Every record, each on its own, instead of the studies included at their latest "
                   "screening stage.")
@json_option
def extract(directory: Path, auto: bool, every_record: bool, as_json: bool) -> None:
    """Suggest extraction values for the included studies (or every record with --all).

    Reads each study's title and abstract, its ClinicalTrials.gov record and its retrieved JATS
    full text. Suggestions are stored in the review (table `extractions`, extractor "rules")
    for a reviewer to verify; nothing is accepted without one.
    """
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


def _render(payload: dict[str, Any]) -> None:
    console = Console()
    table = Table("record", "field", "value", "evidence")
    for study in payload["studies"]:
        for name, item in study["fields"].items():
            if item["value"] in (None, [], "not-stated"):
                continue
            evidence = item["evidence"][0]["text"] if item["evidence"] else ""
            table.add_row(str(study["record_id"]), name, escape(str(item["value"])), escape(evidence[:60]))
    console.print(table)
    console.print(f"{payload['count']} studies; {payload['stored_rows']} suggestions stored"
                  + (f"; {payload['not_stored_without_study']} records not stored (run dedupe to group "
                     "them into studies)" if payload["not_stored_without_study"] else ""))


COMMANDS = [extract]
