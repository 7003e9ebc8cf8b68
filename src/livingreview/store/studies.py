"""Records, reports and studies: the grouping as append-only history.

A record is one database's copy of a report; a report is one publication or registry entry; a
study groups its reports. Every change of membership is a row saying that a record joined or left
a report (or a report a study) at an event, so `as_of_event` rebuilds the grouping at any past
event, and a study emptied by a merge redirects to the study it went into. `records.study_id` is
the cached current study, written in the same transaction as the history rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from livingreview.store.db import Store, now

# SQLite's INTEGER is 64-bit: no event id is larger, so it stands for "now".
_LATEST = 2**63 - 1

# The latest membership row per member as of an event; `change` says whether it is still in.
_CURRENT_REPORTS = """
    SELECT record_id, report_id FROM (
        SELECT record_id, report_id, change,
               ROW_NUMBER() OVER (PARTITION BY record_id ORDER BY id DESC) AS newest
        FROM report_members WHERE event_id <= ?)
    WHERE newest = 1 AND change = 'join'
"""
_CURRENT_STUDIES = """
    SELECT report_id, study_id FROM (
        SELECT report_id, study_id, change,
               ROW_NUMBER() OVER (PARTITION BY report_id ORDER BY id DESC) AS newest
        FROM study_members WHERE event_id <= ?)
    WHERE newest = 1 AND change = 'join'
"""


class StudyHistoryError(RuntimeError):
    """The history contradicts itself (a redirect cycle): a bug, never a user's input."""


@dataclass(frozen=True)
class Placement:
    """Where one record sits: its report and that report's study (None when not grouped)."""

    record_id: int
    report_id: int | None
    study_id: int | None


@dataclass
class MembershipChanges:
    """What a regrouping changes, to be appended with the event that made it."""

    record_reports: list[tuple[int, int | None, int]] = field(default_factory=list)
    report_studies: list[tuple[int, int | None, int | None]] = field(default_factory=list)
    redirects: list[tuple[int, int]] = field(default_factory=list)


def create_studies(store: Store, count: int) -> list[int]:
    created_at = now()
    with store.transaction() as connection:
        return [int(connection.execute("INSERT INTO studies (created_at) VALUES (?)",
                                       (created_at,)).lastrowid or 0) for _ in range(count)]


def study_ids(store: Store) -> set[int]:
    """Every study id ever made (merged ones included: they redirect)."""
    return {int(row[0]) for row in store.query("SELECT id FROM studies")}


def create_reports(store: Store, count: int) -> list[int]:
    created_at = now()
    with store.transaction() as connection:
        return [int(connection.execute("INSERT INTO reports (created_at) VALUES (?)",
                                       (created_at,)).lastrowid or 0) for _ in range(count)]


def cached_studies(store: Store) -> dict[int, int]:
    """record id → current study id, for every record the deduplicator has grouped."""
    return {int(record): int(study) for record, study in
            store.query("SELECT id, study_id FROM records WHERE study_id IS NOT NULL")}


def current_reports(store: Store, as_of_event: int | None = None) -> dict[int, int]:
    """record id → report id as of an event (now by default), for records in a report."""
    cutoff = _LATEST if as_of_event is None else as_of_event
    return {int(r): int(p) for r, p in store.query(_CURRENT_REPORTS, (cutoff,))}


def current_report_studies(store: Store, as_of_event: int | None = None) -> dict[int, int]:
    """report id → study id as of an event (now by default), for reports in a study."""
    cutoff = _LATEST if as_of_event is None else as_of_event
    return {int(r): int(s) for r, s in store.query(_CURRENT_STUDIES, (cutoff,))}


def placements(store: Store, as_of_event: int | None = None) -> dict[int, Placement]:
    """Every record in a report as of the event, with its report and study."""
    studies = current_report_studies(store, as_of_event)
    return {record: Placement(record, report, studies.get(report))
            for record, report in current_reports(store, as_of_event).items()}


def study_of_record(store: Store, record_id: int, as_of_event: int | None = None) -> int | None:
    cutoff = _LATEST if as_of_event is None else as_of_event
    rows = store.query("SELECT report_id, change FROM report_members WHERE record_id = ?"
                       " AND event_id <= ? ORDER BY id DESC LIMIT 1", (record_id, cutoff))
    if not rows or rows[0]["change"] != "join":
        return None
    rows = store.query("SELECT study_id, change FROM study_members WHERE report_id = ?"
                       " AND event_id <= ? ORDER BY id DESC LIMIT 1", (rows[0]["report_id"], cutoff))
    return int(rows[0]["study_id"]) if rows and rows[0]["change"] == "join" else None


def reports_of_study(store: Store, study_id: int, as_of_event: int | None = None) -> list[int]:
    return sorted(report for report, study in current_report_studies(store, as_of_event).items()
                  if study == study_id)


def records_of_study(store: Store, study_id: int, as_of_event: int | None = None) -> list[int]:
    """Record ids of a study as of an event (now by default), in id order."""
    reports = set(reports_of_study(store, study_id, as_of_event))
    return sorted(record for record, report in current_reports(store, as_of_event).items()
                  if report in reports)


def resolve_study(store: Store, study_id: int, as_of_event: int | None = None) -> int:
    """The study a study id stands for now: itself, or where its redirects lead."""
    cutoff = _LATEST if as_of_event is None else as_of_event
    seen = [study_id]
    while True:
        rows = store.query("SELECT to_study FROM study_redirects WHERE from_study = ?"
                           " AND event_id <= ? ORDER BY id DESC LIMIT 1", (seen[-1], cutoff))
        if not rows:
            return seen[-1]
        target = int(rows[0][0])
        if target in seen:
            raise StudyHistoryError(f"study redirects form a cycle: {seen + [target]}")
        seen.append(target)


def grouping_counts(store: Store, as_of_event: int | None = None) -> dict[str, int]:
    """Records, reports and studies grouped as of an event (PRISMA counts each level)."""
    found = placements(store, as_of_event)
    return {"records": len(found),
            "reports": len({p.report_id for p in found.values()}),
            "studies": len({p.study_id for p in found.values() if p.study_id is not None})}


def apply_study_cache(store: Store, moves: Iterable[tuple[int, int]]) -> None:
    """Write (study id, record id) moves to the cached `records.study_id`."""
    with store.transaction() as connection:
        connection.executemany("UPDATE records SET study_id = ? WHERE id = ?", list(moves))


def append_changes(store: Store, changes: MembershipChanges, event_id: int) -> None:
    """Append the history rows of one regrouping, all attributed to `event_id`.

    `record_reports` holds (record, old report or None, new report); `report_studies` holds
    (report, old study or None, new study or None); a leave row precedes its join row.
    """
    members = []
    for record, old, new in changes.record_reports:
        if old is not None:
            members.append((record, old, "leave", event_id))
        members.append((record, new, "join", event_id))
    studies = []
    for report, old_study, new_study in changes.report_studies:
        if old_study is not None:
            studies.append((report, old_study, "leave", event_id))
        if new_study is not None:
            studies.append((report, new_study, "join", event_id))
    with store.transaction() as connection:
        connection.executemany("INSERT INTO report_members (record_id, report_id, change, event_id)"
                               " VALUES (?, ?, ?, ?)", members)
        connection.executemany("INSERT INTO study_members (report_id, study_id, change, event_id)"
                               " VALUES (?, ?, ?, ?)", studies)
        connection.executemany("INSERT INTO study_redirects (from_study, to_study, event_id)"
                               " VALUES (?, ?, ?)",
                               [(old, new, event_id) for old, new in changes.redirects])

