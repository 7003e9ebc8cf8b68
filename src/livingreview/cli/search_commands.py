"""`search`, `fetch-fulltext` and `attach-fulltext`: records and reports from the sources."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from livingreview.cli._common import emit, json_option, progress, stderr
from livingreview.errors import BadInput, SourceUnreachable
from livingreview.project import Review
from livingreview.safe_text import for_terminal, plain_for_terminal
from livingreview.sources import SourceDown, build_query
from livingreview.sources.search import NoSnapshot, SearchReport, select_sources

project_dir = click.argument("directory", type=click.Path(file_okay=False, path_type=Path))


@click.command()
@project_dir
@click.option("--offline", is_flag=True,
              help="Replay each source's newest finished snapshot instead of asking the source.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Only records added to (or updated in) the source since DATE (YYYY-MM-DD).")
@click.option("--source", "source_names", multiple=True, metavar="NAME",
              help="Search only this protocol source (repeatable); default: all of them.")
@click.option("--show-query", is_flag=True,
              help="Print each source's query exactly as it would be sent, and stop.")
@json_option
def search(directory: Path, offline: bool, since: datetime | None, source_names: tuple[str, ...],
           show_query: bool, as_json: bool) -> None:
    """Search the protocol's sources (PubMed, Europe PMC, ClinicalTrials.gov) and store the records.

    Every raw response is saved under DIRECTORY/snapshots/ before it is parsed; an interrupted
    search resumes where it stopped when run again. Sources come from the protocol's [[sources]].
    """
    if offline and since:
        raise click.UsageError("--since narrows a live search; --offline replays the newest "
                               "snapshot exactly as it was retrieved")
    since_date = since.date() if since else None
    with Review(directory) as review:
        if show_query:
            _show_queries(review, list(source_names), since_date, as_json)
            return
        with progress(not as_json) as bar:
            tasks: dict[str, Any] = {}

            def on_page(name: str, stored: int, reported: int | None) -> None:
                if name not in tasks:
                    tasks[name] = bar.add_task(f"{'replay' if offline else 'search'} {name}",
                                               total=None)
                # A total of None leaves the bar's total as it was.
                bar.update(tasks[name], completed=stored, total=reported)

            def on_retry(message: str) -> None:
                bar.console.print(f"[yellow]retrying:[/yellow] {for_terminal(message)}", highlight=False)

            report = review.search(sources=list(source_names) or None, offline=offline,
                                   since=since_date, on_page=on_page, on_retry=on_retry)
    payload = _payload(report, offline)
    emit(payload, as_json, _render_search)
    _exit_on_failures(report, directory, offline)


def _show_queries(review: Review, names: list[str], since: date | None, as_json: bool) -> None:
    queries = [build_query(review.protocol, source, since=since)
               for source in select_sources(review.protocol, names or None)]
    payload = {"queries": [{"source": q.source, "kind": q.kind, "query": q.text,
                            "parameters": q.parameters, "generated": q.generated,
                            "date_from": q.date_from.isoformat() if q.date_from else None,
                            "date_to": q.date_to.isoformat() if q.date_to else None}
                           for q in queries]}

    def render(p: dict[str, Any]) -> None:
        for item in p["queries"]:
            origin = "generated from the protocol" if item["generated"] else "written in the protocol"
            click.echo(f"# {item['source']} ({item['kind']}, {origin})")
            if item["date_from"] or item["date_to"]:
                click.echo(f"# published {item['date_from'] or 'any time'} to "
                           f"{item['date_to'] or 'today'}")
            click.echo(item["query"])
            click.echo()

    emit(payload, as_json, render)


def _payload(report: SearchReport, offline: bool) -> dict[str, Any]:
    return {
        "mode": "offline" if offline else "live",
        "sources": [
            {"source": o.source, "kind": o.kind, "search_id": o.search_id, "query": o.query,
             "count_reported": o.count_reported, "count_retrieved": o.count_retrieved,
             "pages": o.pages, "snapshot": o.snapshot, "resumed": o.resumed,
             "already_stored": o.already_stored, "repeats_dropped": o.repeats_dropped,
             "notes": o.notes}
            for o in report.outcomes
        ],
        "failures": {name: str(error) for name, error in report.failures.items()},
        "records": sum(o.count_retrieved for o in report.outcomes if not o.already_stored),
    }


def _render_search(payload: dict[str, Any]) -> None:
    if payload["sources"]:
        table = Table(title=f"search ({payload['mode']})")
        for column in ("source", "reported", "stored", "pages", "snapshot"):
            table.add_column(column)
        for item in payload["sources"]:
            stored = str(item["count_retrieved"])
            if item["already_stored"]:
                stored += " (already stored)"
            elif item["resumed"]:
                stored += " (resumed)"
            reported = item["count_reported"]
            table.add_row(item["source"], "?" if reported is None else str(reported), stored,
                          str(item["pages"]), item["snapshot"])
        stderr.print(table)
        for item in payload["sources"]:
            for note in item["notes"]:
                stderr.print(f"{for_terminal(item['source'])}: {for_terminal(note)}", highlight=False)
    click.echo(f"{payload['records']} records stored")


def _exit_on_failures(report: SearchReport, directory: Path, offline: bool) -> None:
    if not report.failures:
        return
    never_searched = [name for name, error in report.failures.items() if isinstance(error, NoSnapshot)]
    if never_searched and len(never_searched) == len(report.failures):
        # A new project has nothing to replay: say what would give it something.
        raise BadInput("\n".join(
            f"{name}: no finished snapshot saved for source {name}, so there is nothing to replay; "
            f"run a live search once (`livingreview search {directory} --source {name}`), or import "
            f"exports with `livingreview import {directory} FILE`" for name in never_searched))
    message = "\n".join(str(error) for error in report.failures.values())
    unreachable = [name for name, error in report.failures.items()
                   if isinstance(error, SourceDown) and error.unreachable]
    if unreachable:
        raise SourceUnreachable(
            f"{message}\n{', '.join(unreachable)}: no network? What was retrieved is kept; run "
            f"`livingreview search {directory} --offline` to replay the newest saved snapshot, or "
            "run the search again later to resume.")
    if not offline:
        message += "\nWhat was retrieved is kept; run the search again to resume."
    raise click.ClickException(plain_for_terminal(message))  # server replies may hold escapes


@click.command("fetch-fulltext")
@project_dir
@json_option
def fetch_fulltext(directory: Path, as_json: bool) -> None:
    """Retrieve open-access full texts (JATS XML) of the reports that passed title-abstract
    screening, from Europe PMC or PubMed Central.

    Each is kept verbatim under DIRECTORY/fulltexts/; every report sought and not retrieved is
    recorded with the reason (PRISMA "reports not retrieved"). Attach others by hand with
    `livingreview attach-fulltext`.
    """
    with Review(directory) as review, progress(not as_json) as bar:
        task = bar.add_task("fetch full texts", total=None)
        try:
            report = review.fetch_fulltexts(on_progress=lambda done, total: bar.update(
                task, completed=done, total=total))
        except SourceDown as error:
            raise SourceUnreachable(f"{error}\nFull texts fetched so far are kept; run "
                                    "`livingreview fetch-fulltext` again later.") from None
    payload = {"sought": report.sought, "retrieved": report.retrieved,
               "already_held": report.already_held, "not_retrieved": report.not_retrieved,
               "items": report.items}

    def render(p: dict[str, Any]) -> None:
        click.echo(f"{p['retrieved']} of {p['sought']} reports retrieved"
                   f" ({p['already_held']} held already)")
        for reason, count in sorted(p["not_retrieved"].items()):
            click.echo(f"  not retrieved: {count} x {plain_for_terminal(reason)}")

    emit(payload, as_json, render)


@click.command("attach-fulltext")
@project_dir
@click.argument("record_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
def attach_fulltext_command(directory: Path, record_id: int, file: Path, as_json: bool) -> None:
    """Attach the full text of record RECORD_ID by hand: a PDF, JATS XML or plain-text FILE."""
    with Review(directory) as review:
        item = review.attach_fulltext(record_id, file)
    emit(item, as_json, lambda p: click.echo(f"attached {p['path']} to record {p['record_id']}"))


COMMANDS = [search, fetch_fulltext, attach_fulltext_command]
