"""Screening commands: `screen` (interactive), `decide`, `undo`, `conflicts`, `resolve`, `agreement`,
`reviewers`, `suggest`."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from livingreview.cli._common import emit, json_option, progress, warn_about_protocol
from livingreview.project import Review
from livingreview.safe_text import for_terminal, plain_for_terminal
from livingreview.screening.terminal import screen as run_screener
from livingreview.screening.workflow import DRAWN, LABELS, ORDERS, STAGES
from livingreview.store.reviewers import ROLES, Role

project_dir = click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
stage_option = click.option("--stage", type=click.Choice(STAGES), default="title_abstract",
                            show_default=True, help="Screening stage.")
reviewer_option = click.option("--reviewer", required=True, help="Who decides (a name or initials).")
reason_option = click.option("--reason", help="For an exclusion: the id of the criterion not met (e.g. C3).")


@click.command()
@project_dir
@reviewer_option
@stage_option
@click.option("--sample", type=click.Choice(ORDERS), default="ranked", show_default=True,
              help="Order of the records: 'ranked' (most likely relevant first) or 'random' (the "
                   "random-sample phase: a seeded random order whose decisions give the statistically "
                   "valid recall estimate in `status`).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the ranker and of the random order (the same seed gives the same sample).")
def screen(directory: Path, reviewer: str, stage: str, sample: str, seed: int) -> None:
    """Screen records one at a time in the terminal, one key per decision.

    Keys: i include, e exclude (then a number choosing the criterion not met), m maybe, n note,
    u undo the last decision, q quit. Every decision is saved before the next record is shown.
    Other reviewers' labels are never shown.

    Screen ranked until relevant records stop turning up, then switch to `--sample random` and
    screen the random sample in the order shown: only records drawn at random give a recall
    estimate that is statistically valid (`livingreview status` reports it).
    """
    with Review(directory) as review:
        warn_about_protocol(review)
        run_screener(review.screening, reviewer, stage, sample=sample, seed=seed)


@click.command()
@project_dir
@click.argument("record_id", type=int)
@click.argument("label", type=click.Choice(LABELS))
@reviewer_option
@stage_option
@reason_option
@click.option("--note", help="A free-text note kept with the decision.")
@click.option("--drawn", type=click.Choice(DRAWN), default="chosen", show_default=True,
              help="How the record came to the reviewer: 'chosen' (picked by hand), 'ranked' (from the "
                   "ranked queue) or 'random' (from the random order of `screen --sample random` or "
                   "the Python API's queue(order='random'), with the same seed).")
@json_option
def decide(directory: Path, record_id: int, label: str, reviewer: str, stage: str,
           reason: str | None, note: str | None, drawn: str, as_json: bool) -> None:
    """Record one reviewer's decision on RECORD_ID (for scripts; `screen` is the interactive way).

    Records grouped as one study are decided once: any of their ids names the study, and the
    decision is stored against the group's first record. Only decisions marked --drawn random
    count toward the random-sample recall estimate.
    """
    with Review(directory) as review:
        warn_about_protocol(review)
        decision = review.screening.decide(
            stage, record_id, reviewer, label, reason=reason, note=note, drawn=drawn)
    emit(asdict(decision), as_json,
         lambda d: click.echo(f"decision {d['id']}: {plain_for_terminal(d['reviewer'])} {d['label']} record {d['record_id']}"
                              f" at {d['stage']}"))


@click.command()
@project_dir
@reviewer_option
@stage_option
@click.option("--record", "record_id", type=int,
              help="Undo the reviewer's decision on this record's study (default: their latest decision).")
@json_option
def undo(directory: Path, reviewer: str, stage: str, record_id: int | None, as_json: bool) -> None:
    """Withdraw a reviewer's latest decision at a stage; the decision they made before it counts again.

    Undo after include then exclude leaves include; undo of a first decision leaves the record
    unscreened by that reviewer. Nothing is deleted: the undo is a row of its own that names the
    decision it withdraws. A lead's resolution is undone the same way, by the lead.
    """
    with Review(directory) as review:
        withdrawn = review.screening.undo(stage, reviewer, record_id)
    emit(asdict(withdrawn), as_json,
         lambda d: click.echo(f"undo {d['id']}: withdrew decision {d['supersedes']} ({d['label']} on record"
                              f" {d['record_id']} at {d['stage']})"))


@click.command()
@project_dir
@stage_option
@json_option
def conflicts(directory: Path, stage: str, as_json: bool) -> None:
    """List records on which reviewers disagree (include or maybe against exclude)."""
    with Review(directory) as review:
        found = review.screening.conflicts(stage)
        titles = {r.id: r.title for r in review.store.records()}
    payload = {"stage": stage, "conflicts": [
        {**asdict(c), "title": titles.get(c.record_id)} for c in found]}
    emit(payload, as_json, _render_conflicts)


def _render_conflicts(payload: dict[str, Any]) -> None:
    if not payload["conflicts"]:
        click.echo(f"no conflicts at {payload['stage']}")
        return
    table = Table(title=f"conflicts at {payload['stage']}")
    table.add_column("record", justify="right")
    table.add_column("labels")
    table.add_column("title")
    for conflict in payload["conflicts"]:
        labels = ", ".join(
            f"{for_terminal(reviewer)}: {label}"
            + (f" ({for_terminal(conflict['reasons'][reviewer])})" if conflict["reasons"][reviewer] else "")
            for reviewer, label in conflict["labels"].items())
        table.add_row(str(conflict["record_id"]), labels, for_terminal(conflict["title"] or ""))
    Console().print(table)


@click.command()
@project_dir
@click.argument("record_id", type=int)
@click.argument("label", type=click.Choice(("include", "exclude")))
@reviewer_option
@stage_option
@reason_option
@click.option("--note", help="Why the conflict was settled this way.")
@json_option
def resolve(directory: Path, record_id: int, label: str, reviewer: str, stage: str,
            reason: str | None, note: str | None, as_json: bool) -> None:
    """Settle RECORD_ID (normally a conflict) for everyone with LABEL."""
    with Review(directory) as review:
        warn_about_protocol(review)
        decision = review.screening.resolve(
            stage, record_id, label, reviewer, reason=reason, note=note)
    emit(asdict(decision), as_json,
         lambda d: click.echo(f"resolution {d['id']}: record {d['record_id']} {d['label']} at {d['stage']}"))


@click.command()
@project_dir
@json_option
def agreement(directory: Path, as_json: bool) -> None:
    """Agreement per stage and reviewer pair: percent agreement, Cohen's kappa, Gwet's AC1."""
    with Review(directory) as review:
        pairs = review.agreement()
    emit({"pairs": [asdict(p) for p in pairs]}, as_json, _render_agreement)


def _render_agreement(payload: dict[str, Any]) -> None:
    if not payload["pairs"]:
        click.echo("no two reviewers have screened the same records yet")
        return
    table = Table(title="inter-reviewer agreement")
    for column in ("stage", "reviewers", "records", "agreement", "kappa", "AC1"):
        table.add_column(column, justify="left" if column in ("stage", "reviewers") else "right")
    for pair in payload["pairs"]:
        table.add_row(pair["stage"], " / ".join(for_terminal(r) for r in pair["reviewers"]), str(pair["units"]),
                      _number(pair["percent_agreement"], percent=True), _number(pair["kappa"]),
                      _number(pair["ac1"]))
    Console().print(table)


def _number(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{value:.1%}" if percent else f"{value:.3f}"


@click.command("reviewers")
@project_dir
@click.option("--set-role", "set_roles", nargs=2, multiple=True, type=(str, click.Choice(ROLES)),
              metavar="NAME ROLE", help="Give reviewer NAME the role ROLE (lead, reviewer or model); repeatable.")
@json_option
def reviewers_command(directory: Path, set_roles: tuple[tuple[str, Role], ...], as_json: bool) -> None:
    """List the reviewers of the review with their roles, after any --set-role changes.

    Reviewers are registered the first time they decide (as a reviewer, a lead when their first
    act is a resolution, a model when decisions come from a program) or by --set-role, which can
    name a lead in advance. A lead settles conflicts.
    """
    with Review(directory) as review:
        for name, role in set_roles:
            review.screening.set_reviewer_role(name, role)
        found = review.screening.reviewers()
    emit({"reviewers": [asdict(r) for r in found]}, as_json, _render_reviewers)


def _render_reviewers(payload: dict[str, Any]) -> None:
    if not payload["reviewers"]:
        click.echo("no reviewers yet: they are registered by their first decision")
        return
    table = Table(title="reviewers")
    for column in ("name", "role", "since"):
        table.add_column(column)
    for reviewer in payload["reviewers"]:
        table.add_row(for_terminal(reviewer["name"]), reviewer["role"], reviewer["created_at"])
    Console().print(table)


@click.command("suggest")
@project_dir
@stage_option
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the ranker.")
@json_option
def suggest_command(directory: Path, stage: str, seed: int, as_json: bool) -> None:
    """Criteria verdicts, evidence and rank of every unscreened record; also report/suggestions.csv."""
    from livingreview.screening.suggest import write_csv  # loads scikit-learn: only when used

    with Review(directory) as review, progress(not as_json) as bar:
        warn_about_protocol(review)
        task = bar.add_task("criteria verdicts", total=None)
        found = review.suggest(
            stage, seed=seed,
            on_progress=lambda what, done, total: bar.update(task, description=what, completed=done, total=total))
        path = review.report_dir / "suggestions.csv"
        write_csv(found, path)
    payload = {**found.to_json(), "csv": str(path)}
    emit(payload, as_json, _render_suggestions)


def _render_suggestions(payload: dict[str, Any]) -> None:
    console = Console()
    table = Table(title=f"{len(payload['records'])} unscreened records at {payload['stage']},"
                        f" ranked by {payload['ranked_by']}")
    for column in ("rank", "record", "score", "title", "criteria"):
        table.add_column(column, justify="right" if column in ("rank", "record", "score") else "left")
    for item in payload["records"][:50]:
        verdicts = "  ".join(for_terminal(f"{c['criterion']}:{c['verdict']}") for c in item["criteria"])
        table.add_row(str(item["rank"]), str(item["record_id"]), f"{item['score']:.3f}",
                      for_terminal(item["title"] or ""), verdicts)
    console.print(table)
    if len(payload["records"]) > 50:
        console.print(f"... {len(payload['records']) - 50} more")
    console.print(f"all records with their evidence: {payload['csv']}")


COMMANDS = (screen, decide, undo, conflicts, resolve, agreement, reviewers_command, suggest_command)
