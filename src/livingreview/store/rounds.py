"""Review rounds: each run of the pipeline, numbered, with the events it wrote.

While a round is open every event carries its number (`Store.log` reads the open round in the
same statement, whichever process opened it). A finished round keeps the id of its last event:
the cutoff that answers "as of round N" for records, studies and judgements.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from livingreview.errors import BadInput
from livingreview.store.db import Store, now


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
