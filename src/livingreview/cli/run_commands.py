"""The main job: `run` (every stage, in order, as one round of the review)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from livingreview.cli._common import emit, json_option
from livingreview.safe_text import for_terminal

DIRECTIONS = ("improved", "worsened", "no difference", "mixed")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--offline", is_flag=True,
              help="Replay each source's newest saved snapshot instead of searching live.")
@json_option
def run(directory: Path, offline: bool, as_json: bool) -> None:
    """Run every stage of the review in DIRECTORY, in order, as one numbered round.

    Search (live, or --offline from snapshots), import the files in DIR/inbox/, record curated
    evidence files (DIR/evidence/) under their reviewer's name, dedupe, suggest screening and
    extraction values, collect the appraisals, synthesise and write the report. Humans decide:
    decisions already made are kept, and new records go to screening. A run with nothing new
    changes nothing and says so. A folder holding only a protocol.toml (and evidence) is set up
    as a review on its first run.
    """
    from livingreview.project import Review

    _initialise_if_new(directory)
    console = Console(stderr=True)
    with Review(directory) as review:
        result = review.run(offline=offline,
                            progress=None if as_json else lambda stage: console.print(f"[dim]{stage}…[/dim]"))
    emit(result.to_json(), as_json, _render)


def _initialise_if_new(directory: Path) -> None:
    """A folder with a protocol and nothing a review leaves behind becomes a review; a folder whose
    review.db is gone but whose imports or snapshots remain is a lost review, left for Review to refuse."""
    from livingreview.project import DATABASE_FILE, PROTOCOL_FILE, Review

    protocol = directory / PROTOCOL_FILE
    leftovers = [directory / name for name in (DATABASE_FILE, "imports", "snapshots")]
    if protocol.is_file() and not any(path.exists() for path in leftovers):
        Review.init(directory, protocol).close()
        click.echo(f"set up {directory} as a review from its {PROTOCOL_FILE}", err=True)


def _render(payload: dict[str, Any]) -> None:
    # Wide enough for the tables when printed to a file or a pipe (rich assumes 80 columns there).
    console = Console(width=max(110, shutil.get_terminal_size().columns))
    stages = Table("stage", "changed", "what", title=f"round {payload['round']}")
    for stage in payload["stages"]:
        what = ", ".join(f"{key} {value}" for key, value in stage.items()
                         if key not in ("stage", "changed", "notes", "conclusions") and not isinstance(value, dict))
        notes = "; ".join(stage.get("notes", []))
        stages.add_row(stage["stage"], "yes" if stage["changed"] else "no",
                       for_terminal(what + (f" ({notes})" if notes else "")))
    console.print(stages)
    if payload["conclusions"]:
        console.print(_conclusions(payload["conclusions"]))
    if not payload["changed"]:
        console.print("nothing new since the last run: the review and its report are unchanged")
    if payload["report"]:
        click.echo(f"report: {payload['report']}")


def _conclusions(rows: list[dict[str, Any]]) -> Table:
    from livingreview.synthesis.conclusions import participants_text  # loaded only after a run

    table = Table("drug", "conclusion", "studies", "randomised", "N", "improved/worse/none/mixed", "sign p",
                  title="conclusions per drug")
    for row in rows:
        p = "" if row["sign_test_p"] is None else f"{row['sign_test_p']:.3f}"
        table.add_row(for_terminal(row["drug"]), row["grade"],
                      f"{row['studies_with_direction']} of {row['included_studies']}", str(row["randomised"]),
                      participants_text(row), "/".join(str(row[d]) for d in DIRECTIONS), p)
    return table


COMMANDS = [run]
