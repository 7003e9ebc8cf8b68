"""The verification options of `extract`: conflicts, resolution, spreadsheet round-trip, curated files.

Each handler opens the review, does one thing and prints a rich summary or, with --json, the payload.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from livingreview.cli._common import emit
from livingreview.extraction import verify
from livingreview.extraction.curated import load_curated
from livingreview.extraction.spreadsheet import export_sheet, import_sheet
from livingreview.project import Review
from livingreview.safe_text import for_terminal

def run_conflicts(directory: Path, as_json: bool) -> None:
    with Review(directory) as review:
        found = verify.conflicts(review.store)
        agreement = verify.agreement(review.store, review.protocol)
    payload = {
        "conflicts": [{"study_id": c.ref.study_id, "field": c.ref.label, "values": c.values} for c in found],
        "agreement": [{"field": a.field, "reviewers": list(a.reviewers), "items": a.items,
                       "percent_agreement": a.percent_agreement, "kappa": a.kappa, "ac1": a.ac1}
                      for a in agreement],
    }
    emit(payload, as_json, _render_conflicts)


def _render_conflicts(payload: dict[str, Any]) -> None:
    console = Console()
    table = Table("study", "field", "values")
    for item in payload["conflicts"]:
        shown = "; ".join(f"{name}: {value!r}" for name, value in item["values"].items())
        table.add_row(str(item["study_id"]), item["field"], for_terminal(shown))
    console.print(table)
    console.print(f"{len(payload['conflicts'])} conflicts")
    for row in payload["agreement"]:
        share = "-" if row["percent_agreement"] is None else f"{row['percent_agreement']:.0%}"
        console.print(f"{for_terminal(row['field'])}: {for_terminal(' and '.join(row['reviewers']))} agree on {share} "
                      f"of {row['items']}")


def run_resolve(directory: Path, study: str, field: str, value: str, lead: str | None, reason: str | None,
                as_json: bool) -> None:
    if not lead:
        raise click.UsageError("--resolve needs the lead's name: --reviewer LEAD")
    if not study.strip().isdigit():
        raise click.BadParameter(f"expected a study id (a number), got {study!r}", param_hint="--resolve STUDY")
    with Review(directory) as review:
        judgement = verify.resolve(review.store, review.protocol, int(study), field, value, lead, reason=reason)
    payload = {"study_id": int(study), "field": field, "lead": lead.strip(),
               "judgement": None if judgement is None else judgement.id, "recorded": judgement is not None}
    emit(payload, as_json, lambda p: Console().print(
        f"resolved study {p['study_id']} {for_terminal(p['field'])}" + ("" if p["recorded"] else " (already so)")))


def run_export(directory: Path, path: Path, as_json: bool) -> None:
    with Review(directory) as review:
        counts = export_sheet(review.store, review.protocol, review.screening, path)
        review.store.log("extract", "extract.export", subject=str(path), detail=counts)
    emit({"path": str(path), **counts}, as_json, lambda p: Console().print(
        f"wrote {escape(p['path'])}: {p['studies']} studies, {p['outcomes']} outcomes"))


def run_import(directory: Path, path: Path, reviewer: str | None, as_json: bool) -> None:
    if not reviewer:
        raise click.UsageError("--import needs the name of the reviewer whose extraction it is: --reviewer NAME")
    with Review(directory) as review:
        result = import_sheet(review.store, review.protocol, path, reviewer)
    emit({"path": str(path), **result.to_json()}, as_json, lambda p: Console().print(
        f"{for_terminal(p['reviewer'])}: {p['accepted']} accepted, {p['corrected']} corrected, {p['added']} added, "
        f"{p['unchanged']} already recorded"))


def run_curated(directory: Path, folder: str, reviewer: str | None, as_json: bool) -> None:
    source = Path(folder) if folder else directory / "evidence"
    with Review(directory) as review:
        result = load_curated(review.store, review.protocol, review.screening, source, reviewer)
    emit({"folder": str(source), **result.to_json()}, as_json, _render_curated)


def _render_curated(payload: dict[str, Any]) -> None:
    console = Console()
    console.print(f"{for_terminal(payload['reviewer'])}: {len(payload['matched'])} files loaded "
                  f"({payload['recorded']} values recorded, {payload['unchanged']} already so)")
    for key in payload["unmatched"]:
        console.print(f"[yellow]no record in the review for {for_terminal(key)}[/yellow]")
    for key, record in payload["ungrouped"].items():
        console.print(f"[yellow]{for_terminal(key)}: record {record} is in no study yet (run dedupe)[/yellow]")
