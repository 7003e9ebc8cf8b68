"""`records` and `show`: look at what the review holds, one list or one record in full.

Everything is read through `Review` and the store's functions; every text shown is escaped
(records come from outside).
"""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from livingreview.cli._common import emit, json_option
from livingreview.errors import BadInput
from livingreview.safe_text import for_terminal, plain_for_terminal

if TYPE_CHECKING:
    from livingreview.project import Review
    from livingreview.records import Record

project_dir = click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
_WORD = re.compile(r"\w+")
_PAIR = re.compile(r"\d+,\d+")
_STAGE = "title_abstract"


@click.command("records")
@project_dir
@click.option("--query", default=None, metavar="TEXT",
              help="Only records whose title, abstract, authors, DOI or PMID contain every word of TEXT.")
@json_option
def records_command(directory: Path, query: str | None, as_json: bool) -> None:
    """List the review's records (id, source, year, first author, title, study, screening), optionally only those matching --query.

    Screening is the title-abstract outcome of the record's study: include, exclude, maybe,
    conflict, or unscreened.
    """
    from livingreview.project import Review

    words = _words(query or "")
    with Review(directory) as review:
        units = review.screening.unit_map()
        state = review.screening.state(_STAGE)
        rows = [_summary(record, units, state.outcome) for record in review.store.records()
                if not words or words <= _words(_searchable(record))]
    emit({"query": query, "count": len(rows), "records": rows}, as_json, _render_records)


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def _searchable(record: Record) -> str:
    return " ".join([record.title or "", record.abstract or "", *record.authors, record.doi or "",
                     record.pmid or ""])


def _summary(record: Record, units: dict[int, tuple[int, int | None]],
             outcome: Any) -> dict[str, Any]:
    unit, study = units.get(record.id or 0, (record.id, record.study_id))
    return {"id": record.id, "source": record.source, "year": record.year,
            "first_author": record.authors[0] if record.authors else None, "title": record.title,
            "study": study, "screening": outcome(unit) or "unscreened"}


def _render_records(payload: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    if not payload["records"]:
        click.echo("no records" + (f" match {plain_for_terminal(payload['query'])!r}" if payload["query"] else ""))
        return
    table = Table(title=f"{payload['count']} records")
    for column in ("id", "source", "year", "first author", "title", "study", "screening"):
        table.add_column(column, justify="right" if column in ("id", "year", "study") else "left")
    for row in payload["records"]:
        table.add_row(str(row["id"]), for_terminal(row["source"]), _text(row["year"]),
                      for_terminal(row["first_author"] or ""), for_terminal(row["title"] or ""),
                      _text(row["study"]), row["screening"])
    Console().print(table)


def _text(value: object) -> str:
    return "" if value is None else str(value)


@click.command("show")
@project_dir
@click.argument("record_id", type=int)
@json_option
def show_command(directory: Path, record_id: int, as_json: bool) -> None:
    """Everything known about record RECORD_ID: its fields, raw text, report, study, decisions and events.

    The study's history lists the study the record was in after each deduplication run; the
    decisions are those on the record's study (records grouped as one study are decided once).
    """
    from livingreview.project import Review

    with Review(directory) as review:
        payload = _details(review, record_id)
    emit(payload, as_json, _render_show)


def _details(review: Review, record_id: int) -> dict[str, Any]:
    from livingreview.store import studies
    from livingreview.store.records import records_by_id

    found = records_by_id(review.store, [record_id])
    if not found:
        raise BadInput(f"record {record_id} is not in the review at {review.directory}")
    record = found[0]
    placement = studies.placements(review.store).get(record_id)
    study = placement.study_id if placement else None
    group = review.screening.group(record_id) if record_id in review.screening.unit_map() else [record_id]
    decisions = [asdict(d) for d in review.screening.decisions() if d.record_id in group]
    return {
        "record": asdict(record),
        "report": placement.report_id if placement else None,
        "study": study,
        "study_records": studies.records_of_study(review.store, study) if study is not None else [],
        "study_history": _study_history(review, record_id),
        "decisions": decisions,
        # A decision's event names the study's first record: the group's events are the record's.
        "events": [e for e in review.store.events() if _mentions(e, set(group))],
    }


def _study_history(review: Review, record_id: int) -> list[dict[str, Any]]:
    from livingreview.store import studies

    history, last = [], None
    for event in review.store.events("dedupe"):
        study = studies.study_of_record(review.store, record_id, as_of_event=event["id"])
        if study != last:
            history.append({"event": event["id"], "at": event["at"], "action": event["action"],
                            "study": study})
            last = study
    return history


def _mentions(event: dict[str, Any], record_ids: set[int]) -> bool:
    """The event's subject names one of the records (`record:12`, a dedupe pair `12,57`) or its
    detail has one as record_id."""
    subject = str(event.get("subject") or "")
    if subject.startswith("record:") and subject.removeprefix("record:").isdigit():
        return int(subject.removeprefix("record:")) in record_ids
    if _PAIR.fullmatch(subject):
        return any(int(part) in record_ids for part in subject.split(","))
    detail = event.get("detail")
    return isinstance(detail, dict) and detail.get("record_id") in record_ids


def _render_show(payload: dict[str, Any]) -> None:
    from rich.console import Console

    console = Console()
    record = payload["record"]
    console.print(f"[bold]record {record['id']}[/bold]", highlight=False)
    for name, value in record.items():
        if name in ("id", "raw") or value in (None, [], {}, ""):
            continue
        console.print(f"  {name}: {for_terminal(_field(value))}", highlight=False)
    console.print(f"  report: {_text(payload['report'])}  study: {_text(payload['study'])}"
                  f" (records {', '.join(map(str, payload['study_records'])) or 'none'})", highlight=False)
    for step in payload["study_history"]:
        console.print(f"    after event {step['event']} ({for_terminal(step['action'])}, {step['at']}): "
                      f"study {_text(step['study'])}", highlight=False)
    console.print("[bold]decisions[/bold]" if payload["decisions"] else "no decisions", highlight=False)
    for d in payload["decisions"]:
        console.print(f"  {d['id']} {d['stage']} {for_terminal(d['reviewer'])}: {d['label']}"
                      + (f" ({for_terminal(d['reason'])})" if d["reason"] else "")
                      + (f" note: {for_terminal(d['note'])}" if d["note"] else "")
                      + (" (undone)" if d["undone"] else ""), highlight=False)
    console.print(f"[bold]events[/bold] ({len(payload['events'])})", highlight=False)
    for e in payload["events"]:
        console.print(f"  {e['id']} {e['at']} {for_terminal(e['actor'])} {for_terminal(e['stage'])}."
                      f"{for_terminal(e['action'])} {for_terminal(str(e['subject'] or ''))}", highlight=False)
    console.print("[bold]raw[/bold]", highlight=False)
    console.print(for_terminal(record["raw"]), highlight=False)


def _field(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


COMMANDS = (records_command, show_command)
