"""The dedupe stage against the review store: match new records, record pairs, regroup studies.

A run matches records without a study (new since the last run) against all records, writes each
duplicate, companion or uncertain pair to `duplicate_pairs`, then regroups every record into
`studies`, all in one transaction with a `dedupe.run` event. Pairs already recorded are never
rewritten, so a human's confirmation or rejection stands, and a second run with nothing new
changes nothing but the log.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from livingreview.dedupe.blocking import candidate_pairs
from livingreview.dedupe.compare import Verdict, fuzzy_score, judge
from livingreview.dedupe.features import ABSTRACT_PREFIX, Features, record_features
from livingreview.dedupe.grouping import PairRow, assign_studies, group_records
from livingreview.store import Store
from livingreview.store.db import now

ACTOR = "livingreview"
HUMAN_STATUSES = ("confirmed", "rejected")
# How often (in records read or pairs judged) the progress callback hears from a run.
PROGRESS_EVERY = 5000

Progress = Callable[[str, int, int], None]

_FEATURE_SQL = """
    SELECT id, study_id, source, source_id, title, substr(abstract, 1, {abstract_chars}) AS abstract,
           authors, journal, year, volume, issue, pages, doi, pmid, pmcid, nct_ids, publication_types
    FROM records {where} ORDER BY id
"""


class DedupeError(ValueError):
    """A human decision that cannot be applied: unknown record, same record twice, not yet run."""


@dataclass(frozen=True)
class DedupeResult:
    records: int
    new_records: int
    pairs_compared: int
    studies: int
    duplicate_groups: int
    auto_pairs: int
    uncertain_pairs: int
    confirmed_pairs: int
    rejected_pairs: int
    new_pairs: int
    studies_created: int
    studies_emptied: int
    records_regrouped: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def run_dedupe(store: Store, on_progress: Progress | None = None) -> DedupeResult:
    report = on_progress or (lambda stage, done, total: None)
    features = load_features(store, report)
    new_records = sum(1 for f in features if f.is_new)
    report("blocking", 0, len(features))
    candidates = candidate_pairs(features)
    report("blocking", len(features), len(features))
    verdicts = _judge_all(features, candidates, report)
    with store.transaction() as connection:
        new_pairs = _insert_pairs(connection, verdicts)
        matched = [f.id for f in features if f.is_new]
        created, emptied, regrouped = regroup(connection, newly_matched=matched)
        result = _summary(connection, new_records, len(candidates), new_pairs, created, emptied, regrouped)
        store.log("dedupe", "dedupe.run", detail=result.as_dict())
    return result


def load_features(store: Store, report: Progress | None = None) -> list[Features]:
    rows = store.query(_FEATURE_SQL.format(where="", abstract_chars=ABSTRACT_PREFIX + 100))
    features: list[Features] = []
    for start in range(0, len(rows), PROGRESS_EVERY):
        if report:
            report("reading records", start, len(rows))
        features.extend(_features_from_rows(rows[start:start + PROGRESS_EVERY]))
    if report:
        report("reading records", len(rows), len(rows))
    return features


def load_features_for(store: Store, ids: Sequence[int]) -> list[Features]:
    placeholders = ", ".join("?" * len(ids))
    return _features_from_rows(store.query(_FEATURE_SQL.format(
        where=f"WHERE id IN ({placeholders})", abstract_chars=ABSTRACT_PREFIX + 100), ids))


def _features_from_rows(rows: Sequence[sqlite3.Row]) -> list[Features]:
    return [record_features(
        id=row["id"], study_id=row["study_id"], source=row["source"], source_id=row["source_id"],
        title=row["title"], abstract=row["abstract"], authors=json.loads(row["authors"]),
        journal=row["journal"], year=_year(row["year"]), volume=row["volume"], issue=row["issue"],
        pages=row["pages"],
        doi=row["doi"], pmid=row["pmid"], pmcid=row["pmcid"], nct_ids=json.loads(row["nct_ids"]),
        publication_types=json.loads(row["publication_types"]),
    ) for row in rows]


def _year(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _judge_all(
    features: Sequence[Features], candidates: Sequence[tuple[int, int]], report: Progress
) -> list[tuple[int, int, Verdict]]:
    verdicts = []
    for done, (i, j) in enumerate(candidates):
        if done % PROGRESS_EVERY == 0:
            report("matching", done, len(candidates))
        verdict = judge(features[i], features[j])
        if verdict is not None:
            a, b = sorted((features[i].id, features[j].id))
            verdicts.append((a, b, verdict))
    report("matching", len(candidates), len(candidates))
    return verdicts


def _insert_pairs(connection: sqlite3.Connection, verdicts: Sequence[tuple[int, int, Verdict]]) -> int:
    decided_at = now()
    before = connection.total_changes
    connection.executemany(
        "INSERT OR IGNORE INTO duplicate_pairs (record_a, record_b, relation, method, score, status,"
        " decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(a, b, v.relation, v.method, v.score, v.status, ACTOR, decided_at) for a, b, v in verdicts],
    )
    return connection.total_changes - before


def regroup(connection: sqlite3.Connection, newly_matched: Sequence[int] = ()) -> tuple[int, int, int]:
    """Recompute groups from the pairs and write study ids, for records already in a study and
    `newly_matched`; any other record (stored since the run read its records) stays new for the
    next run.

    Returns (studies created, studies left without records, records moved). A study emptied by a
    merge is removed only when nothing (a decision, an extraction) refers to it.
    """
    current: dict[int, int | None] = {record: None for record in newly_matched}
    current.update(connection.execute("SELECT id, study_id FROM records WHERE study_id IS NOT NULL"))
    pairs = [PairRow(*row) for row in connection.execute(
        "SELECT record_a, record_b, score, status FROM duplicate_pairs")]
    groups = group_records(sorted(current), pairs)
    kept, needing_new = assign_studies(groups, current)
    created_at = now()
    for index in needing_new:
        cursor = connection.execute("INSERT INTO studies (created_at) VALUES (?)", (created_at,))
        kept[index] = int(cursor.lastrowid or 0)
    moves = [(kept[index], record) for index, group in enumerate(groups) for record in group
             if current[record] != kept[index]]
    connection.executemany("UPDATE records SET study_id = ? WHERE id = ?", moves)
    emptied = {s for s in current.values() if s is not None} - set(kept.values())
    _drop_emptied_studies(connection, emptied)
    return len(needing_new), len(emptied), len(moves)


def _drop_emptied_studies(connection: sqlite3.Connection, emptied: set[int]) -> None:
    for study in sorted(emptied):
        try:
            connection.execute("DELETE FROM studies WHERE id = ?", (study,))
        except sqlite3.IntegrityError:
            # Decisions or extractions point at it: keep the row, now without records.
            continue


def _summary(connection: sqlite3.Connection, new_records: int, compared: int, new_pairs: int,
             created: int, emptied: int, regrouped: int) -> DedupeResult:
    by_status = dict(connection.execute(
        "SELECT status, COUNT(*) FROM duplicate_pairs GROUP BY status").fetchall())
    records, studies = connection.execute(
        "SELECT COUNT(*), COUNT(DISTINCT study_id) FROM records").fetchone()
    groups = connection.execute(
        "SELECT COUNT(*) FROM (SELECT study_id FROM records WHERE study_id IS NOT NULL"
        " GROUP BY study_id HAVING COUNT(*) > 1)").fetchone()[0]
    return DedupeResult(
        records=records, new_records=new_records, pairs_compared=compared, studies=studies, duplicate_groups=groups,
        auto_pairs=by_status.get("auto", 0), uncertain_pairs=by_status.get("uncertain", 0),
        confirmed_pairs=by_status.get("confirmed", 0), rejected_pairs=by_status.get("rejected", 0),
        new_pairs=new_pairs, studies_created=created, studies_emptied=emptied, records_regrouped=regrouped,
    )


# --- human review -------------------------------------------------------------------------------

# What a reviewer needs to tell two records apart; the abstract's opening is enough for that.
_SIDE_COLUMNS = ("id", "source", "title", "authors", "year", "journal", "volume", "pages", "doi",
                 "pmid", "pmcid", "nct_ids", "study_id", "substr(abstract, 1, 300) AS abstract")


def uncertain_pairs(store: Store) -> list[dict[str, Any]]:
    """Pairs waiting for a human, best score first, each with both records side by side."""
    rows = store.query(
        "SELECT id, record_a, record_b, relation, method, score FROM duplicate_pairs"
        " WHERE status = 'uncertain' ORDER BY score DESC, record_a, record_b")
    ids = sorted({r["record_a"] for r in rows} | {r["record_b"] for r in rows})
    sides = _record_sides(store, ids)
    return [{"pair_id": r["id"], "relation": r["relation"], "method": r["method"], "score": r["score"],
             "a": sides[r["record_a"]], "b": sides[r["record_b"]]} for r in rows]


def _record_sides(store: Store, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    sides: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = store.query(
            f"SELECT {', '.join(_SIDE_COLUMNS)} FROM records WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk)
        for row in rows:
            side = dict(row)
            side["authors"] = json.loads(side["authors"])
            side["nct_ids"] = json.loads(side["nct_ids"])
            sides[side["id"]] = side
    return sides


@dataclass(frozen=True)
class PairDecision:
    record_a: int
    record_b: int
    status: str
    previous_status: str | None
    study_a: int
    study_b: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def decide_pair(store: Store, first: int, second: int, status: str, decided_by: str) -> PairDecision:
    """Record a human's `confirmed` or `rejected` for two records, then regroup."""
    if status not in HUMAN_STATUSES:
        raise DedupeError(f"a decision is one of {', '.join(HUMAN_STATUSES)}, not {status!r}")
    if first == second:
        raise DedupeError(f"record {first} cannot be paired with itself")
    a, b = sorted((first, second))
    with store.transaction() as connection:
        _require_deduplicated(connection, (a, b))
        previous = connection.execute(
            "SELECT status FROM duplicate_pairs WHERE record_a = ? AND record_b = ?", (a, b)).fetchone()
        decided_at = now()
        if previous:
            connection.execute(
                "UPDATE duplicate_pairs SET status = ?, decided_by = ?, decided_at = ?"
                " WHERE record_a = ? AND record_b = ?", (status, decided_by, decided_at, a, b))
        else:
            connection.execute(
                "INSERT INTO duplicate_pairs (record_a, record_b, relation, method, score, status,"
                " decided_by, decided_at) VALUES (?, ?, 'duplicate', 'manual', ?, ?, ?, ?)",
                (a, b, _pair_score(store, a, b), status, decided_by, decided_at))
        regroup(connection)
        study_a, study_b = (connection.execute("SELECT study_id FROM records WHERE id = ?", (r,)).fetchone()[0]
                            for r in (a, b))
        decision = PairDecision(a, b, status, previous[0] if previous else None, study_a, study_b)
        store.log("dedupe", f"dedupe.{status.removesuffix('ed')}", subject=f"{a},{b}",
                  detail=decision.as_dict(), actor=decided_by)
    return decision


def _require_deduplicated(connection: sqlite3.Connection, ids: Sequence[int]) -> None:
    for record in ids:
        row = connection.execute("SELECT study_id FROM records WHERE id = ?", (record,)).fetchone()
        if row is None:
            raise DedupeError(f"record {record} does not exist")
        if row[0] is None:
            raise DedupeError(
                f"record {record} has not been through deduplication yet; run `livingreview dedupe` first")


def _pair_score(store: Store, a: int, b: int) -> float:
    by_id = {f.id: f for f in load_features_for(store, (a, b))}
    assessed = fuzzy_score(by_id[a], by_id[b])
    return round(assessed[0], 4) if assessed else 0.0


# --- status -------------------------------------------------------------------------------------

def dedupe_status(store: Store) -> dict[str, Any]:
    pairs = dict(store.query("SELECT status, COUNT(*) FROM duplicate_pairs GROUP BY status"))
    relations = dict(store.query(
        "SELECT relation, COUNT(*) FROM duplicate_pairs WHERE status IN ('auto', 'confirmed')"
        " GROUP BY relation"))
    return {
        "runs": store.scalar("SELECT COUNT(*) FROM events WHERE stage = 'dedupe' AND action = 'dedupe.run'"),
        "records_pending": store.scalar("SELECT COUNT(*) FROM records WHERE study_id IS NULL"),
        "studies": store.scalar("SELECT COUNT(DISTINCT study_id) FROM records"),
        "duplicate_groups": store.scalar(
            "SELECT COUNT(*) FROM (SELECT study_id FROM records WHERE study_id IS NOT NULL"
            " GROUP BY study_id HAVING COUNT(*) > 1)"),
        "pairs": {status: pairs.get(status, 0) for status in ("auto", "uncertain", "confirmed", "rejected")},
        "linked_by": {relation: relations.get(relation, 0) for relation in ("duplicate", "companion", "registry")},
    }
