"""The `imports` table: one row per file imported, found again by the SHA-256 of its bytes."""

from __future__ import annotations

from dataclasses import dataclass

from livingreview.store.db import Store, now


@dataclass(frozen=True)
class ImportRow:
    id: int
    format: str
    encoding: str
    record_count: int
    source_name: str | None = None


def import_by_sha256(store: Store, sha256: str) -> ImportRow | None:
    rows = store.query("SELECT id, format, encoding, record_count, source_name FROM imports"
                       " WHERE sha256 = ?", (sha256,))
    if not rows:
        return None
    row = rows[0]
    return ImportRow(int(row["id"]), str(row["format"]), str(row["encoding"]),
                     int(row["record_count"]), row["source_name"])


def stored_copy_names(store: Store) -> dict[str, str]:
    """The file name of each import's verbatim copy, by SHA-256 (rows from before copies were
    stored relative to the project folder hold longer paths: the name is their last part)."""
    rows = store.query("SELECT sha256, stored_copy FROM imports")
    return {str(row["sha256"]): str(row["stored_copy"]).replace("\\", "/").rsplit("/", 1)[-1]
            for row in rows}


def add_import(store: Store, *, path: str, stored_copy: str, sha256: str, format: str,
               encoding: str, source_name: str | None = None) -> int:
    """A new import with no records yet; `set_record_count` completes it in the same
    transaction. `source_name` is the database the file came from (None when not known)."""
    with store.transaction() as connection:
        cursor = connection.execute(
            "INSERT INTO imports (path, stored_copy, sha256, format, encoding, record_count,"
            " imported_at, source_name) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
            (path, stored_copy, sha256, format, encoding, now(), source_name))
        return int(cursor.lastrowid or 0)


def set_record_count(store: Store, import_id: int, count: int) -> None:
    with store.transaction() as connection:
        connection.execute("UPDATE imports SET record_count = ? WHERE id = ?", (count, import_id))


def count_imports(store: Store) -> int:
    return int(store.scalar("SELECT COUNT(*) FROM imports"))
