"""`dedupe`: group duplicate and companion records into studies; review the uncertain pairs."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from livingreview.cli._common import emit, json_option, progress
from livingreview.project import Review
from livingreview.safe_text import for_terminal

project_dir = click.argument("directory", type=click.Path(file_okay=False, path_type=Path))


def _record_pair(text: str) -> tuple[int, int]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise click.BadParameter(f"expected two record ids as A,B (for example 12,57), got {text!r}")
    return int(parts[0]), int(parts[1])


@click.command()
@project_dir
@click.option("--uncertain", "list_uncertain", is_flag=True,
              help="List the pairs waiting for a human decision instead of running.")
@click.option("--confirm", "confirm", multiple=True, metavar="A,B",
              help="Record that records A and B are duplicates (repeatable).")
@click.option("--reject", "reject", multiple=True, metavar="A,B",
              help="Record that records A and B are different studies (repeatable).")
@click.option("--by", "decided_by", default=None,
              help="Who decides, for --confirm/--reject (default: the login name).")
@json_option
def dedupe(directory: Path, list_uncertain: bool, confirm: tuple[str, ...], reject: tuple[str, ...],
           decided_by: str | None, as_json: bool) -> None:
    """Group duplicate records and companion reports into studies; nothing is deleted.

    Exact identifiers (DOI, PMID, PMCID, registry number) first, then fuzzy matching of title,
    authors, year, journal, volume and pages. Pairs in the grey zone are left for a human:
    list them with --uncertain and decide with --confirm A,B or --reject A,B. A human decision
    is never overridden by a later run.
    """
    if list_uncertain and (confirm or reject):
        raise click.UsageError("--uncertain lists pairs; decide them in a separate call")
    decisions = [(_record_pair(t), "confirmed") for t in confirm] + [
        (_record_pair(t), "rejected") for t in reject]
    with Review(directory) as review:
        if list_uncertain:
            pairs = review.dedupe_uncertain()
            emit({"uncertain": pairs, "count": len(pairs)}, as_json, _render_uncertain)
        elif decisions:
            who = decided_by or _login_name()
            done = [review.dedupe_decide(a, b, status, decided_by=who).as_dict()
                    for (a, b), status in decisions]
            emit({"decisions": done}, as_json, _render_decisions)
        else:
            result = _run_with_progress(review, show=not as_json)
            emit(result, as_json, _render_result)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment (a container, a service)
        return "reviewer"


def _run_with_progress(review: Review, show: bool) -> dict[str, Any]:
    with progress(show) as bar:
        tasks: dict[str, Any] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        return review.dedupe(on_progress=report).as_dict()


def _render_result(payload: dict[str, Any]) -> None:
    click.echo(
        f"{payload['records']} records ({payload['new_records']} new) in {payload['studies']} studies; "
        f"{payload['duplicate_groups']} groups of more than one record; "
        f"pairs: {payload['auto_pairs']} automatic, {payload['uncertain_pairs']} uncertain, "
        f"{payload['confirmed_pairs']} confirmed, {payload['rejected_pairs']} rejected")
    if payload["uncertain_pairs"]:
        click.echo("review the uncertain pairs with `livingreview dedupe DIR --uncertain`")


_SIDE_FIELDS = ("source", "title", "authors", "year", "journal", "volume", "pages", "doi", "pmid",
                "pmcid", "nct_ids", "abstract")


def _render_uncertain(payload: dict[str, Any]) -> None:
    if not payload["uncertain"]:
        click.echo("no uncertain pairs")
        return
    console = Console()
    for pair in payload["uncertain"]:
        table = Table(title=f"pair {pair['a']['id']},{pair['b']['id']}: {pair['relation']}? "
                            f"score {pair['score']:.3f} ({pair['method']})", show_header=True)
        table.add_column("field")
        table.add_column(f"record {pair['a']['id']}")
        table.add_column(f"record {pair['b']['id']}")
        for field in _SIDE_FIELDS:
            left, right = _cell(pair["a"][field]), _cell(pair["b"][field])
            if left or right:
                table.add_row(field, left, right)
        console.print(table)
        console.print(f"why uncertain: {for_terminal(pair['reason'])}", highlight=False)
    click.echo(f"{payload['count']} uncertain pairs; decide with --confirm A,B or --reject A,B")


def _cell(value: object) -> str:
    if isinstance(value, list):
        return for_terminal("; ".join(str(v) for v in value[:6]) + (" ..." if len(value) > 6 else ""))
    return "" if value is None else for_terminal(str(value))


def _render_decisions(payload: dict[str, Any]) -> None:
    for decision in payload["decisions"]:
        click.echo(f"records {decision['record_a']},{decision['record_b']}: {decision['status']}"
                   f" (studies {decision['study_a']} and {decision['study_b']})")


COMMANDS = (dedupe,)
