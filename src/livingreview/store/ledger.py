"""The judgement ledger: every judgement of every reviewer on any kind of item, append-only.

One table (`judgements`, migration 0005) serves screening units, extraction fields, risk-of-bias
questions and domains and GRADE domains alike; what differs between them is the item id and the
values, not how judgements are kept.

A *chain* is the sequence of one reviewer's judgements on one item at one stage (resolutions form
one chain per item, whoever made them). Rows only ever get appended:

- a judgement row (`undone = 0`) names in `supersedes` the previous row of its chain;
- an undo row (`undone = 1`) names in `supersedes` the judgement it withdraws.

A judgement *stands* while no undo row withdraws it, and a reviewer's *current* judgement on an
item is the last standing one of the chain. So undo withdraws the latest standing judgement and the
one before it counts again: include, then exclude, then undo leaves include (a second undo leaves
nothing). Current judgements are read by one SQL query over the `judgements_chain` index, never by
replaying the history, and `as_of_event` reads them as they stood when that event was logged.

Each row is written in one transaction with the event that records it (`event_id`); rows moved in
from the old `decisions` table may have no event and count as older than any event.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from livingreview.errors import BadInput
from livingreview.store.db import Store, now
from livingreview.store.reviewers import Role, ensure_reviewer, find_reviewer, reviewer_name

SCREENING_UNIT = "screening_unit"


class LedgerError(BadInput):
    """A judgement that cannot be recorded or withdrawn; the message says what was expected."""


class Judgement(NamedTuple):
    """One row of the ledger. A named tuple: screening builds tens of thousands per read."""

    id: int
    item_kind: str
    item_id: str
    stage: str
    reviewer: str
    value: str
    reason: str | None
    note: str | None
    drawn: str | None
    supersedes: int | None
    undone: bool
    is_resolution: bool
    at: str
    event_id: int | None


@dataclass(frozen=True)
class NewJudgement:
    """What a caller records; the ledger adds the chain link, the time and the event."""

    item_kind: str
    item_id: str
    stage: str
    reviewer: str
    value: str
    reason: str | None = None
    note: str | None = None
    drawn: str | None = None
    is_resolution: bool = False


@dataclass(frozen=True)
class LogEntry:
    """The event written with a judgement. `id_key` names the judgement's id in the detail."""

    stage: str
    action: str
    subject: str
    detail: Mapping[str, Any]
    id_key: str = "judgement"


@dataclass(frozen=True)
class ItemConflict:
    item_kind: str
    item_id: str
    stage: str
    values: dict[str, str]  # reviewer → current value
    reasons: dict[str, str | None]


# --- writing ------------------------------------------------------------------------------------

def record(
    store: Store,
    new: NewJudgement,
    log: LogEntry,
    *,
    role: Role = "reviewer",
    chain_items: Collection[str] | None = None,
) -> Judgement:
    """Append a judgement with its event in one transaction; committed before returning.

    `chain_items` are the item ids whose rows form this item's chain (default: the item alone);
    a caller whose unit gathers several items (a screening unit of grouped records) passes them
    all, so the new row follows the last row on any of them. A reviewer new to the review is
    created with `role`.
    """
    with store.transaction():
        _check_item_kind(store, new.item_kind)
        reviewer = ensure_reviewer(store, new.reviewer, role)
        head = chain_head(store, new.item_kind, new.stage, chain_items or (new.item_id,),
                          None if new.is_resolution else reviewer.name)
        return _append(store, new, reviewer.id, head, undone=False, log=log)


def withdraw(store: Store, judgement: Judgement, log: LogEntry) -> Judgement:
    """Append the undo row of a standing `judgement`: the judgement before it counts again."""
    with store.transaction():
        if judgement.undone:
            raise LedgerError(f"judgement {judgement.id} is an undo row; only a judgement can be withdrawn")
        if not _stands(store, judgement.id):
            raise LedgerError(f"judgement {judgement.id} was already withdrawn")
        reviewer = find_reviewer(store, judgement.reviewer)
        if reviewer is None:
            raise LedgerError(f"judgement {judgement.id}: no reviewer called {judgement.reviewer!r}")
        undo = NewJudgement(judgement.item_kind, judgement.item_id, judgement.stage, judgement.reviewer,
                            judgement.value, judgement.reason, None, judgement.drawn,
                            judgement.is_resolution)
        return _append(store, undo, reviewer.id, judgement.id, undone=True, log=log)


def undo(
    store: Store, item_kind: str, stage: str, reviewer: str, log: LogEntry, *,
    item_ids: Collection[str] | None = None,
) -> Judgement:
    """Withdraw the reviewer's latest current judgement (among `item_ids`, when given)."""
    with store.transaction():
        current = latest_judgements(store, item_kind, stage, reviewer=reviewer, item_ids=item_ids)
        if not current:
            raise LedgerError(f"{reviewer_name(reviewer)} has no {item_kind} judgement at {stage} to undo")
        return withdraw(store, max(current, key=lambda j: j.id), log)


def _append(store: Store, new: NewJudgement, reviewer_id: int, supersedes: int | None, *,
            undone: bool, log: LogEntry) -> Judgement:
    at = now()
    with store.transaction() as connection:
        # The event names the judgement and the judgement its event: the id is taken inside the
        # writer's transaction (BEGIN IMMEDIATE), so no other writer can take it first.
        judgement_id = int(store.scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM judgements"))
        event_id = store.log(log.stage, log.action, subject=log.subject, actor=new.reviewer, detail={
            log.id_key: judgement_id, "item_kind": new.item_kind, "item_id": new.item_id,
            "stage": new.stage, "value": new.value, "reason": new.reason, "drawn": new.drawn,
            "supersedes": supersedes, "undone": undone, "is_resolution": new.is_resolution,
            **log.detail,
        })
        try:
            connection.execute(
                "INSERT INTO judgements (id, item_kind, item_id, stage, reviewer_id, value, reason,"
                " note, drawn, supersedes, undone, is_resolution, at, event_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (judgement_id, new.item_kind, new.item_id, new.stage, reviewer_id, new.value,
                 new.reason, new.note, new.drawn, supersedes, int(undone), int(new.is_resolution),
                 at, event_id))
        except sqlite3.IntegrityError as error:
            raise LedgerError(f"{new.item_kind} {new.item_id} at {new.stage}: judgement "
                              f"{new.value!r} refused by the store ({error})") from error
    return Judgement(judgement_id, new.item_kind, new.item_id, new.stage, reviewer_name(new.reviewer),
                     new.value, new.reason, new.note, new.drawn, supersedes, undone,
                     new.is_resolution, at, event_id)


# --- reading ------------------------------------------------------------------------------------

# The newest standing row (not an undo row, not withdrawn by one) of every chain: per item and
# reviewer for judgements, per item for resolutions, each grouped in the order of the
# judgements_chain index so no sort is needed. ?2 (a stage) keeps that stage; ?3 (an event id)
# hides later rows; ?4 (a JSON list) keeps only those items. Numbered parameters, as each is used
# in both halves.
_STANDING = """
    FROM judgements j
    WHERE j.item_kind = ?1 AND j.is_resolution = {resolution} AND {stage}
      AND j.undone = 0 AND (?3 IS NULL OR j.event_id IS NULL OR j.event_id <= ?3)
      AND {items}
      AND NOT EXISTS (SELECT 1 FROM judgements u
                      WHERE u.supersedes = j.id AND u.undone = 1
                        AND (?3 IS NULL OR u.event_id IS NULL OR u.event_id <= ?3))
"""
_COLUMNS = ("j.id, j.item_kind, j.item_id, j.stage, r.name, j.value, j.reason, j.note, j.drawn,"
            " j.supersedes, j.undone, j.is_resolution, j.at, j.event_id")
_LATEST = """
WITH latest AS (
    SELECT MAX(j.id) AS id {judgements} GROUP BY j.stage, j.item_id, j.reviewer_id
    UNION ALL
    SELECT MAX(j.id) AS id {resolutions} GROUP BY j.stage, j.item_id
)
SELECT {columns}
FROM latest JOIN judgements j ON j.id = latest.id JOIN reviewers r ON r.id = j.reviewer_id
WHERE (?5 IS NULL OR r.name = ?5)
ORDER BY j.id
"""


def _latest_sql(stage: str, items: str) -> str:
    return _LATEST.format(judgements=_STANDING.format(resolution=0, stage=stage, items=items),
                          resolutions=_STANDING.format(resolution=1, stage=stage, items=items),
                          columns=_COLUMNS)


_LATEST_SQL = _latest_sql("(?2 IS NULL OR j.stage = ?2)",
                          "(?4 IS NULL OR j.item_id IN (SELECT value FROM json_each(?4)))")
# The same query for a few items of one stage, written so SQLite searches the judgements_chain
# index for them: the optional filters above make it scan every judgement of the kind, which a
# web server asking about one record per page cannot afford on a large review.
_LATEST_ON_ITEMS_SQL = _latest_sql("j.stage = ?2", "j.item_id IN (SELECT value FROM json_each(?4))")


def latest_judgements(
    store: Store,
    item_kind: str,
    stage: str | None = None,
    *,
    reviewer: str | None = None,
    item_ids: Collection[str] | None = None,
    as_of_event: int | None = None,
) -> list[Judgement]:
    """Current judgements, oldest first: each reviewer's latest standing one per item and stage,
    and the latest standing resolution per item and stage.

    `reviewer` keeps that reviewer's own judgements and the resolutions they made; `as_of_event`
    gives the state just after that event (a past round of the review).
    """
    sql = _LATEST_SQL if stage is None or item_ids is None else _LATEST_ON_ITEMS_SQL
    rows = store.query(sql, (
        item_kind, stage, as_of_event, None if item_ids is None else json.dumps(sorted(item_ids)),
        None if reviewer is None else reviewer_name(reviewer),
    ))
    return [_judgement(row) for row in rows]


def judgements(store: Store, item_kind: str, stage: str | None = None) -> list[Judgement]:
    """The whole history of one item kind (undo rows included), in the order it was written."""
    rows = store.query(
        f"SELECT {_COLUMNS} FROM judgements j JOIN reviewers r ON r.id = j.reviewer_id"
        " WHERE j.item_kind = ? AND (? IS NULL OR j.stage = ?) ORDER BY j.id",
        (item_kind, stage, stage))
    return [_judgement(row) for row in rows]


def chain_head(store: Store, item_kind: str, stage: str, item_ids: Collection[str],
               reviewer: str | None) -> int | None:
    """Id of the last row (undo rows included) of the reviewer's chain on these items; the
    resolution chain when `reviewer` is None."""
    value = store.scalar(
        "SELECT MAX(j.id) FROM judgements j LEFT JOIN reviewers r ON r.id = j.reviewer_id"
        " WHERE j.item_kind = ? AND j.stage = ? AND j.item_id IN (SELECT value FROM json_each(?))"
        " AND j.is_resolution = ? AND (? IS NULL OR r.name = ?)",
        (item_kind, stage, json.dumps(sorted(item_ids)), int(reviewer is None), reviewer, reviewer))
    return None if value is None else int(value)


def conflicts(store: Store, item_kind: str, stage: str, *,
              as_of_event: int | None = None) -> list[ItemConflict]:
    """Items on which two or more reviewers' current values differ and no resolution stands."""
    current = latest_judgements(store, item_kind, stage, as_of_event=as_of_event)
    resolved = {j.item_id for j in current if j.is_resolution}
    by_item: dict[str, list[Judgement]] = {}
    for judgement in current:
        if not judgement.is_resolution and judgement.item_id not in resolved:
            by_item.setdefault(judgement.item_id, []).append(judgement)
    return [
        ItemConflict(item_kind, item_id, stage,
                     {j.reviewer: j.value for j in sorted(found, key=lambda j: j.reviewer)},
                     {j.reviewer: j.reason for j in sorted(found, key=lambda j: j.reviewer)})
        for item_id, found in sorted(by_item.items())
        if len({j.value for j in found}) > 1
    ]


def paired_values(store: Store, item_kind: str, stage: str, first: str, second: str, *,
                  as_of_event: int | None = None) -> list[tuple[str, str, str]]:
    """(item id, first's value, second's value) for every item both currently judged, by item id:
    the input of agreement statistics. Resolutions are not a reviewer's own judgement and are left out."""
    mine = _own_values(store, item_kind, stage, first, as_of_event)
    theirs = _own_values(store, item_kind, stage, second, as_of_event)
    return [(item, mine[item], theirs[item]) for item in sorted(mine.keys() & theirs.keys())]


def item_kinds(store: Store) -> list[str]:
    return [str(row[0]) for row in store.query("SELECT kind FROM judgement_item_kinds ORDER BY kind")]


def _own_values(store: Store, item_kind: str, stage: str, reviewer: str,
                as_of_event: int | None) -> dict[str, str]:
    return {j.item_id: j.value
            for j in latest_judgements(store, item_kind, stage, reviewer=reviewer, as_of_event=as_of_event)
            if not j.is_resolution}


def _stands(store: Store, judgement_id: int) -> bool:
    return bool(store.scalar(
        "SELECT undone = 0 AND NOT EXISTS (SELECT 1 FROM judgements u WHERE u.supersedes = j.id"
        " AND u.undone = 1) FROM judgements j WHERE j.id = ?", (judgement_id,)))


def _check_item_kind(store: Store, item_kind: str) -> None:
    known = item_kinds(store)
    if item_kind not in known:
        raise LedgerError(f"unknown item kind {item_kind!r}; expected one of {', '.join(known)}")


def _judgement(row: sqlite3.Row) -> Judgement:
    # Rows come in _COLUMNS order; read by position, as names cost more than the query itself
    # on tens of thousands of rows.
    return Judgement(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9],
                     bool(row[10]), bool(row[11]), row[12], row[13])
