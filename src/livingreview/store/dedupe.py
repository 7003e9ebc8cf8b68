"""The deduplicator's tables: the fields it matches on, the pairs it decided, its counts."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from livingreview.store.db import Store

ACCEPTED = ("auto", "confirmed")
# Rows per IN (...) list, below SQLite's oldest limit on bound variables (999).
_CHUNK = 500

_MATCH_SQL = """
    SELECT id, study_id, source, source_id, title, substr(abstract, 1, ?) AS abstract,
           authors, journal, year, volume, issue, pages, doi, pmid, pmcid, nct_ids, publication_types
    FROM records {where} ORDER BY id
"""
# What a reviewer needs to tell two records apart; the abstract's opening is enough for that.
_SIDE_SQL = """
    SELECT id, source, title, authors, year, journal, volume, pages, doi, pmid, pmcid, nct_ids,
           study_id, substr(abstract, 1, 300) AS abstract
    FROM records WHERE id IN ({placeholders})
"""


@dataclass(frozen=True)
class MatchFields:
    """The bibliographic fields of one record that matching reads, JSON lists decoded."""

    id: int
    study_id: int | None
    source: str
    source_id: str | None
    title: str | None
    abstract: str | None
    authors: list[str]
    journal: str | None
    year: Any
    volume: str | None
    issue: str | None
    pages: str | None
    doi: str | None
    pmid: str | None
    pmcid: str | None
    nct_ids: list[str]
    publication_types: list[str]


@dataclass(frozen=True)
class StoredPair:
    record_a: int
    record_b: int
    relation: str
    method: str
    score: float
    status: str


@dataclass(frozen=True)
class NewPair:
    record_a: int
    record_b: int
    relation: str
    method: str
    score: float
    status: str
    reason: str | None = None  # why an uncertain pair needs a human


def match_fields(store: Store, abstract_chars: int,
                 ids: Sequence[int] | None = None) -> list[MatchFields]:
    """Every record's (or the given records') match fields, in id order."""
    if ids is None:
        return [_match_fields(row) for row in store.query(_MATCH_SQL.format(where=""),
                                                          (abstract_chars,))]
    found: list[MatchFields] = []
    for chunk in _chunks(ids):
        where = f"WHERE id IN ({', '.join('?' * len(chunk))})"
        found.extend(_match_fields(row) for row in
                     store.query(_MATCH_SQL.format(where=where), (abstract_chars, *chunk)))
    return sorted(found, key=lambda fields: fields.id)


def _match_fields(row: sqlite3.Row) -> MatchFields:
    return MatchFields(
        id=row["id"], study_id=row["study_id"], source=row["source"], source_id=row["source_id"],
        title=row["title"], abstract=row["abstract"], authors=json.loads(row["authors"]),
        journal=row["journal"], year=row["year"], volume=row["volume"], issue=row["issue"],
        pages=row["pages"], doi=row["doi"], pmid=row["pmid"], pmcid=row["pmcid"],
        nct_ids=json.loads(row["nct_ids"]), publication_types=json.loads(row["publication_types"]))


def record_sides(store: Store, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """record id → the fields shown when a human compares two records."""
    sides: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        for row in store.query(_SIDE_SQL.format(placeholders=", ".join("?" * len(chunk))), chunk):
            side = dict(row)
            side["authors"] = json.loads(side["authors"])
            side["nct_ids"] = json.loads(side["nct_ids"])
            sides[side["id"]] = side
    return sides


def insert_pairs(store: Store, pairs: Iterable[NewPair], decided_by: str, decided_at: str) -> int:
    """Add pairs not recorded yet (a recorded pair, a human's above all, is never rewritten)."""
    with store.transaction() as connection:
        before = connection.total_changes
        connection.executemany(
            "INSERT OR IGNORE INTO duplicate_pairs (record_a, record_b, relation, method, score,"
            " status, decided_by, decided_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(p.record_a, p.record_b, p.relation, p.method, p.score, p.status, decided_by,
              decided_at, p.reason or None) for p in pairs])
        return connection.total_changes - before


def pairs(store: Store) -> list[StoredPair]:
    return [StoredPair(int(a), int(b), str(relation), str(method), float(score), str(status))
            for a, b, relation, method, score, status in store.query(
                "SELECT record_a, record_b, relation, method, score, status FROM duplicate_pairs")]


def pair_status(store: Store, record_a: int, record_b: int) -> str | None:
    value = store.scalar("SELECT status FROM duplicate_pairs WHERE record_a = ? AND record_b = ?",
                         (record_a, record_b))
    return None if value is None else str(value)


def set_pair_status(store: Store, record_a: int, record_b: int, status: str, decided_by: str,
                    decided_at: str) -> None:
    with store.transaction() as connection:
        connection.execute("UPDATE duplicate_pairs SET status = ?, decided_by = ?, decided_at = ?"
                           " WHERE record_a = ? AND record_b = ?",
                           (status, decided_by, decided_at, record_a, record_b))


def uncertain_pairs(store: Store) -> list[dict[str, Any]]:
    """Pairs waiting for a human, best score first."""
    return [dict(row) for row in store.query(
        "SELECT id, record_a, record_b, relation, method, score, reason FROM duplicate_pairs"
        " WHERE status = 'uncertain' ORDER BY score DESC, record_a, record_b")]


def pair_counts(store: Store) -> dict[str, int]:
    """status → number of pairs."""
    return {str(status): int(n) for status, n in
            store.query("SELECT status, COUNT(*) FROM duplicate_pairs GROUP BY status")}


def accepted_relation_counts(store: Store) -> dict[str, int]:
    """relation → number of pairs accepted (automatically or by a human)."""
    return {str(relation): int(n) for relation, n in store.query(
        "SELECT relation, COUNT(*) FROM duplicate_pairs WHERE status IN (?, ?) GROUP BY relation",
        ACCEPTED)}


def grouped_counts(store: Store) -> dict[str, int]:
    """Records, records not yet grouped, studies, and studies of more than one record, now."""
    records, pending, studies = store.query(
        "SELECT COUNT(*), COUNT(*) - COUNT(study_id), COUNT(DISTINCT study_id) FROM records")[0]
    groups = store.scalar("SELECT COUNT(*) FROM (SELECT study_id FROM records WHERE study_id"
                          " IS NOT NULL GROUP BY study_id HAVING COUNT(*) > 1)")
    return {"records": int(records), "pending": int(pending), "studies": int(studies),
            "duplicate_groups": int(groups)}


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]
