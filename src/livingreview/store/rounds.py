"""Review rounds: each run of the pipeline, numbered, with the events it wrote.

While a round is open every event carries its number (`Store.log` reads the open round in the
same statement, whichever process opened it). A finished round keeps the id of its last event:
the cutoff that answers "as of round N" for records, studies and judgements.

Not every round is a version of the review: a run that finds nothing new still opens a round,
the dated check of the sources, but only a round that changed the review (`changed_between`)
makes a new version (`review_versions`); a check belongs to the version before it.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from livingreview.errors import BadInput
from livingreview.store import studies as studies_table
from livingreview.store.db import Store, now

Placements = dict[int, studies_table.Placement]  # record id -> its report and study


class RoundError(BadInput):
    """A round begun while one is open, ended when none is, or asked for before it finished."""


@dataclass(frozen=True)
class Round:
    number: int
    started_at: str
    finished_at: str | None
    first_event_id: int | None
    last_event_id: int | None
    # action → how many events of it the round wrote (its own begin and end left out)
    ran: dict[str, int]


def _round(row: sqlite3.Row) -> Round:
    return Round(int(row["number"]), str(row["started_at"]), row["finished_at"],
                 row["first_event_id"], row["last_event_id"], json.loads(row["ran"]))


def open_round(store: Store) -> Round | None:
    rows = store.query("SELECT number, started_at, finished_at, first_event_id, last_event_id, ran"
                       " FROM rounds WHERE finished_at IS NULL")
    return _round(rows[0]) if rows else None


def get_round(store: Store, number: int) -> Round:
    rows = store.query("SELECT number, started_at, finished_at, first_event_id, last_event_id, ran"
                       " FROM rounds WHERE number = ?", (number,))
    if not rows:
        raise RoundError(f"round {number} does not exist; rounds so far: "
                         f"{', '.join(str(r.number) for r in rounds(store)) or 'none'}")
    return _round(rows[0])


def rounds(store: Store) -> list[Round]:
    return [_round(row) for row in store.query(
        "SELECT number, started_at, finished_at, first_event_id, last_event_id, ran FROM rounds"
        " ORDER BY number")]


def begin_round(store: Store, *, actor: str = "livingreview") -> Round:
    """Open the next round; its `round.begin` event is the round's first."""
    with store.transaction() as connection:
        already = open_round(store)
        if already is not None:
            raise RoundError(f"round {already.number} (begun {already.started_at}) is still open;"
                             " end it before beginning another")
        number = int(store.scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM rounds"))
        connection.execute("INSERT INTO rounds (number, started_at) VALUES (?, ?)", (number, now()))
        event = store.log("round", "round.begin", subject=str(number), actor=actor)
        connection.execute("UPDATE rounds SET first_event_id = ? WHERE number = ?", (event, number))
    return get_round(store, number)


def end_round(store: Store, *, actor: str = "livingreview", failure: str | None = None) -> Round:
    """Close the open round with a `round.end` event, its last, and what ran in it; `failure`
    says why a round that stopped on an error ended early."""
    with store.transaction() as connection:
        current = open_round(store)
        if current is None:
            raise RoundError("no round is open; begin one first")
        ran = {str(action): int(n) for action, n in store.query(
            "SELECT action, COUNT(*) FROM events WHERE round = ? AND stage != 'round'"
            " GROUP BY action ORDER BY action", (current.number,))}
        detail: dict[str, object] = {"ran": ran}
        if failure is not None:
            detail["failure"] = failure
        event = store.log("round", "round.end", subject=str(current.number), actor=actor,
                          detail=detail)
        connection.execute("UPDATE rounds SET finished_at = ?, last_event_id = ?, ran = ?"
                           " WHERE number = ?",
                           (now(), event, json.dumps(ran, sort_keys=True), current.number))
    return get_round(store, current.number)


def round_cutoff(store: Store, number: int) -> int:
    """The id of round `number`'s last event: pass it as `as_of_event` to see the review as
    that round left it."""
    found = get_round(store, number)
    if found.last_event_id is None:
        raise RoundError(f"round {number} is still open: it has no cutoff until it ends")
    return int(found.last_event_id)


def events_of_round(store: Store, number: int) -> list[int]:
    """Ids of the events written while round `number` was open, in order."""
    return [int(row[0]) for row in
            store.query("SELECT id FROM events WHERE round = ? ORDER BY id", (number,))]


# Events that change what the review reports without a judgement or full-text row of their own:
# new extraction suggestions, a synthesis whose results changed, a new protocol.
_CHANGING_ACTIONS = ("extract.auto", "synthesis.run", "protocol.changed")


@dataclass(frozen=True)
class ReviewVersion:
    """A version of the review: the round that made it, and its cutoff, the last event of the
    last round before the next version (the checks that followed it belong to it); None while
    the round that made it is still open."""

    number: int
    round: Round
    cutoff: int | None


def changed_between(store: Store, after_event: int, up_to_event: int,
                    placements_at: Callable[[int], Placements] | None = None) -> bool:
    """Whether the review changed after one event and up to another: a judgement recorded
    (screening, extraction, appraisal), a full text sought, one of `_CHANGING_ACTIONS`, or records
    that are more than copies of reports the review held (a record in a new report or study, a
    record not yet grouped, or an older record regrouped). A search that finds only what the
    review holds, whose records dedupe joins to their reports, changes nothing: it is a check.
    `placements_at(event)` gives the grouping as of an event (a caller asking about consecutive
    spans shares one memo, so the end of one span is not rebuilt as the start of the next)."""
    if _changes_logged(store, after_event, up_to_event):
        return True
    at = placements_at or functools.partial(_placements_as_of, store)
    before, now = at(after_event), at(up_to_event)
    study_of_report = {p.report_id: p.study_id for p in before.values()}
    for record in _records_stored(store, after_event, up_to_event):
        placed = now.get(record)
        if placed is None or study_of_report.get(placed.report_id, -1) != placed.study_id:
            return True
    return any(now.get(record) != placed for record, placed in before.items())


def _placements_as_of(store: Store, event: int) -> Placements:
    return studies_table.placements(store, event) if event else {}


def _changes_logged(store: Store, after_event: int, up_to_event: int) -> bool:
    since_at, until_at = _event_time(store, after_event), _event_time(store, up_to_event)
    events = (after_event, up_to_event)
    placeholders = ", ".join("?" for _ in _CHANGING_ACTIONS)
    return bool(store.scalar(
        "SELECT EXISTS (SELECT 1 FROM judgements WHERE event_id > ? AND event_id <= ?)"
        " OR EXISTS (SELECT 1 FROM fulltexts WHERE retrieved_at > ? AND retrieved_at <= ?)"
        f" OR EXISTS (SELECT 1 FROM events WHERE id > ? AND id <= ? AND action IN ({placeholders}))",
        (*events, since_at, until_at, *events, *_CHANGING_ACTIONS)))


def _records_stored(store: Store, after_event: int, up_to_event: int) -> list[int]:
    return [int(row[0]) for row in store.query(
        "SELECT id FROM records WHERE created_at > ? AND created_at <= ? ORDER BY id",
        (_event_time(store, after_event), _event_time(store, up_to_event)))]


def _event_time(store: Store, event_id: int) -> str:
    return "" if event_id == 0 else str(store.scalar(
        "SELECT at FROM events WHERE id = ?", (event_id,)) or "")


def review_versions(store: Store) -> list[ReviewVersion]:
    """The versions of the review, oldest first: a round makes one when the review changed since
    the round before ended (changes made between rounds count for the next round). A round that
    changed nothing is the dated check of the sources: it stays in the log, and belongs to the
    version before it. An open round makes a version once it has changed something."""
    found: list[ReviewVersion] = []
    after = 0
    placements_at = functools.cache(functools.partial(_placements_as_of, store))
    for candidate in rounds(store):
        end = candidate.last_event_id or int(store.scalar("SELECT COALESCE(MAX(id), 0) FROM events"))
        if changed_between(store, after, end, placements_at):
            found.append(ReviewVersion(len(found) + 1, candidate, candidate.last_event_id))
        elif found and candidate.last_event_id is not None:
            found[-1] = ReviewVersion(found[-1].number, found[-1].round, candidate.last_event_id)
        after = end
    return found


def get_version(store: Store, number: int) -> ReviewVersion:
    """Version `number` of the review (numbered from 1)."""
    found = review_versions(store)
    if not 1 <= number <= len(found):
        raise RoundError(f"version {number} does not exist; versions so far: "
                         f"{', '.join(str(n) for n in range(1, len(found) + 1)) or 'none'}")
    return found[number - 1]
