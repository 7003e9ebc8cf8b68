"""What the PRISMA flow reads from the store: where each record came from, and when.

A record came either from an import (whose `source_name` names the database, migration 0007) or
from a search (whose `source` is the protocol's source name). Records carry their insertion time,
not an event, so "stored by event N" compares times (as `records.count_records_as_of` does).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from livingreview.store.db import Store
from livingreview.store.searches import SearchRow


@dataclass(frozen=True)
class RecordOrigin:
    record_id: int
    import_database: str | None  # the import's database name (None: not named, or a search)
    search_source: str | None  # the protocol source name of the search that stored it
    import_format: str | None


def record_origins(store: Store, up_to_record: int | None = None) -> list[RecordOrigin]:
    """Every record (with id <= `up_to_record`, when given) and where it came from, in id order."""
    rows = store.query(
        "SELECT r.id, i.source_name, s.source, i.format FROM records r"
        " LEFT JOIN imports i ON i.id = r.import_id LEFT JOIN searches s ON s.id = r.search_id"
        " WHERE r.id <= ? ORDER BY r.id", (2**63 - 1 if up_to_record is None else up_to_record,))
    return [RecordOrigin(int(row[0]), row[1], row[2], row[3]) for row in rows]


def last_record_by(store: Store, event_id: int) -> int:
    """The highest record id stored by the time the event was written (0 when none was)."""
    return int(store.scalar("SELECT COALESCE(MAX(id), 0) FROM records WHERE created_at <= (SELECT at"
                            " FROM events WHERE id = ?)", (event_id,)))


def last_event_id(store: Store) -> int:
    return int(store.scalar("SELECT COALESCE(MAX(id), 0) FROM events"))


def event_time(store: Store, event_id: int) -> str | None:
    found = store.scalar("SELECT at FROM events WHERE id = ?", (event_id,))
    return None if found is None else str(found)


def latest_fulltext_status(store: Store, as_of_time: str | None = None) -> dict[int, str]:
    """record id → 'retrieved' when it ever had a retrieved or attached full text (by the time
    given), else 'not_retrieved' when it was sought and not found."""
    rows = store.query(
        "SELECT record_id, MAX(status IN ('retrieved', 'attached')) FROM fulltexts"
        " WHERE retrieved_at <= ? GROUP BY record_id", (as_of_time or "9999",))
    return {int(record): "retrieved" if held else "not_retrieved" for record, held in rows}


def database_counts(store: Store) -> dict[str, int]:
    """Records per database: the import's named database, the search's source, else the file
    format marked as not named (for `status`)."""
    return {str(name): int(n) for name, n in store.query(
        "SELECT COALESCE(i.source_name, s.source, 'database not named (' || i.format || ')'),"
        " COUNT(*) FROM records r LEFT JOIN imports i ON i.id = r.import_id"
        " LEFT JOIN searches s ON s.id = r.search_id GROUP BY 1 ORDER BY 1")}


def completed_searches(store: Store) -> list[SearchRow]:
    """Every search that finished (live or replayed), in the order run."""
    return [SearchRow(int(row["id"]), str(row["source"]), str(row["query"]),
                      json.loads(row["filters"]), str(row["started_at"]), str(row["status"]),
                      row["count_reported"], int(row["count_retrieved"]), row["snapshot_path"])
            for row in store.query("SELECT * FROM searches WHERE status = 'complete' ORDER BY id")]


def screening_reviewers(store: Store) -> int:
    """How many people (not models, not the lead's resolutions alone) screened."""
    return int(store.scalar(
        "SELECT COUNT(DISTINCT j.reviewer_id) FROM judgements j JOIN reviewers r"
        " ON r.id = j.reviewer_id WHERE j.item_kind = 'screening_unit' AND j.is_resolution = 0"
        " AND r.role != 'model'"))


def last_event_detail(store: Store, stage: str, action: str, up_to_event: int) -> dict[str, Any]:
    """The detail of the latest such event at or before `up_to_event` ({} when there is none)."""
    found = store.scalar("SELECT detail FROM events WHERE stage = ? AND action = ? AND id <= ?"
                         " ORDER BY id DESC LIMIT 1", (stage, action, up_to_event))
    return dict(json.loads(found)) if found else {}
