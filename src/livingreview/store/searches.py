"""The `searches` and `search_pages` tables: each search run and each page it stored."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from livingreview.store.db import Store, now


@dataclass(frozen=True)
class SearchRow:
    id: int
    source: str
    query: str
    filters: dict[str, Any]
    started_at: str
    status: str
    count_reported: int | None
    count_retrieved: int
    snapshot_path: str | None

    @property
    def mode(self) -> str:
        return str(self.filters.get("mode", "live"))


@dataclass(frozen=True)
class LastPage:
    seq: int
    next_state: dict[str, Any]


def _search(row: Any) -> SearchRow:
    return SearchRow(int(row["id"]), str(row["source"]), str(row["query"]),
                     json.loads(row["filters"]), str(row["started_at"]), str(row["status"]),
                     row["count_reported"], int(row["count_retrieved"]), row["snapshot_path"])


def unfinished_search(store: Store, source: str, query: str, filters: str) -> SearchRow | None:
    """The newest running or failed search of this exact query, to resume."""
    rows = store.query(
        "SELECT * FROM searches WHERE source = ? AND query = ? AND filters = ?"
        " AND status IN ('running', 'failed') ORDER BY id DESC LIMIT 1", (source, query, filters))
    return _search(rows[0]) if rows else None


def searches_of_snapshot(store: Store, snapshot_path: str) -> list[SearchRow]:
    """Searches that stored (or replayed) this snapshot, newest first."""
    return [_search(row) for row in store.query(
        "SELECT * FROM searches WHERE snapshot_path = ? ORDER BY id DESC", (snapshot_path,))]


def start_search(store: Store, source: str, query: str, filters: str,
                 snapshot_path: str | None = None) -> int:
    with store.transaction() as connection:
        return int(connection.execute(
            "INSERT INTO searches (source, query, filters, started_at, snapshot_path, status)"
            " VALUES (?, ?, ?, ?, ?, 'running')",
            (source, query, filters, now(), snapshot_path)).lastrowid or 0)


def set_snapshot_path(store: Store, search_id: int, snapshot_path: str) -> None:
    with store.transaction() as connection:
        connection.execute("UPDATE searches SET snapshot_path = ? WHERE id = ?",
                           (snapshot_path, search_id))


def set_status(store: Store, search_id: int, status: str) -> None:
    """running or failed; `finish_search` marks one complete."""
    with store.transaction() as connection:
        connection.execute("UPDATE searches SET status = ? WHERE id = ?", (status, search_id))


def finish_search(store: Store, search_id: int) -> None:
    with store.transaction() as connection:
        connection.execute("UPDATE searches SET status = 'complete', finished_at = ? WHERE id = ?",
                           (now(), search_id))


def last_page(store: Store, search_id: int) -> LastPage | None:
    rows = store.query("SELECT seq, next_state FROM search_pages WHERE search_id = ?"
                       " ORDER BY seq DESC LIMIT 1", (search_id,))
    return LastPage(int(rows[0]["seq"]), json.loads(rows[0]["next_state"])) if rows else None


def count_pages(store: Store, search_id: int) -> int:
    return int(store.scalar("SELECT COUNT(*) FROM search_pages WHERE search_id = ?", (search_id,)))


def add_page(store: Store, search_id: int, *, seq: int, kind: str, snapshot_file: str,
             records: int, next_state: dict[str, Any], count_reported: int | None) -> None:
    """A stored page and the search's running counts, in the caller's transaction with the
    page's records."""
    with store.transaction() as connection:
        connection.execute(
            "INSERT INTO search_pages (search_id, seq, kind, snapshot_file, records, next_state,"
            " stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (search_id, seq, kind, snapshot_file, records, json.dumps(next_state, sort_keys=True),
             now()))
        connection.execute(
            "UPDATE searches SET count_retrieved = count_retrieved + ?,"
            " count_reported = COALESCE(?, count_reported) WHERE id = ?",
            (records, count_reported, search_id))


def latest_search_per_source(store: Store) -> list[SearchRow]:
    return [_search(row) for row in store.query(
        "SELECT s.* FROM searches s JOIN (SELECT source, MAX(id) AS id FROM searches"
        " GROUP BY source) m ON s.id = m.id ORDER BY s.source")]


def searches_by_status(store: Store) -> dict[str, int]:
    return {str(status): int(n) for status, n in store.query(
        "SELECT status, COUNT(*) FROM searches GROUP BY status ORDER BY status")}


def searched_records_by_source(store: Store) -> dict[str, int]:
    """source → records stored by its searches."""
    return {str(source): int(n) for source, n in store.query(
        "SELECT s.source, COUNT(r.id) FROM searches s JOIN records r ON r.search_id = s.id"
        " GROUP BY s.source ORDER BY s.source")}
