"""The `fulltexts` table: every report sought, retrieved or not (with the reason)."""

from __future__ import annotations

from dataclasses import dataclass

from livingreview.store.db import Store, now


@dataclass(frozen=True)
class FulltextRow:
    record_id: int
    study_id: int | None
    source: str
    status: str
    path: str | None
    reason: str | None


def holds_fulltext(store: Store, record_id: int) -> bool:
    """Whether the record's full text was retrieved or attached (at any time)."""
    return bool(store.scalar("SELECT COUNT(*) FROM fulltexts WHERE record_id = ? AND status IN"
                             " ('retrieved', 'attached')", (record_id,)))


def add_fulltext(store: Store, *, record_id: int, study_id: int | None, source: str, status: str,
                 path: str | None = None, media_type: str | None = None,
                 sha256: str | None = None, reason: str | None = None) -> None:
    with store.transaction() as connection:
        connection.execute(
            "INSERT INTO fulltexts (record_id, study_id, source, status, path, media_type, sha256,"
            " reason, retrieved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record_id, study_id, source, status, path, media_type, sha256, reason, now()))


def latest_fulltexts(store: Store) -> list[FulltextRow]:
    """Per record, its latest retrieved or attached row, else its latest not-retrieved one."""
    rows = store.query(
        "SELECT f.* FROM fulltexts f JOIN (SELECT record_id, MAX(id) AS id FROM fulltexts"
        " WHERE status != 'not_retrieved' OR record_id NOT IN (SELECT record_id FROM fulltexts"
        " WHERE status != 'not_retrieved') GROUP BY record_id) latest ON f.id = latest.id"
        " ORDER BY f.record_id")
    return [FulltextRow(int(row["record_id"]), row["study_id"], str(row["source"]),
                        str(row["status"]), row["path"], row["reason"]) for row in rows]
