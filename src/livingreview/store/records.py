"""Reading the `records` table (inserts are `Store.insert_records`, batched)."""

from __future__ import annotations

from collections.abc import Sequence

from livingreview.records import Record
from livingreview.store.db import Store, row_to_record

# Rows per IN (...) list, below SQLite's oldest limit on bound variables (999).
_CHUNK = 900


def records_by_id(store: Store, ids: Sequence[int]) -> list[Record]:
    """The records with these ids that exist, in id order."""
    found: list[Record] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start:start + _CHUNK])
        found.extend(row_to_record(row) for row in store.query(
            f"SELECT * FROM records WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
    return sorted(found, key=lambda record: record.id or 0)


def cached_study_of(store: Store, record_id: int) -> tuple[bool, int | None]:
    """(whether the record exists, its cached current study id)."""
    rows = store.query("SELECT study_id FROM records WHERE id = ?", (record_id,))
    if not rows:
        return False, None
    return True, None if rows[0][0] is None else int(rows[0][0])


def count_records(store: Store) -> int:
    return int(store.scalar("SELECT COUNT(*) FROM records"))


def records_by_source(store: Store) -> dict[str, int]:
    """source → number of records stored from it."""
    return {str(source): int(n) for source, n in store.query(
        "SELECT source, COUNT(*) FROM records GROUP BY source ORDER BY source")}


def source_ids_in_search(store: Store, search_id: int, source_ids: Sequence[str]) -> set[str]:
    """Which of `source_ids` the search already holds."""
    held: set[str] = set()
    for start in range(0, len(source_ids), _CHUNK):
        chunk = list(source_ids[start:start + _CHUNK])
        held.update(str(row[0]) for row in store.query(
            f"SELECT source_id FROM records WHERE search_id = ? AND source_id IN "
            f"({', '.join('?' * len(chunk))})", (search_id, *chunk)))
    return held


def count_records_as_of(store: Store, event_id: int) -> int:
    """How many records were stored by the time the event was written (records carry their
    insertion time, not an event)."""
    return int(store.scalar("SELECT COUNT(*) FROM records WHERE created_at <= (SELECT at FROM"
                            " events WHERE id = ?)", (event_id,)))
