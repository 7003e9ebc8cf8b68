"""The review store: one SQLite file in WAL mode, one writer, an append-only event log.

All SQL of the project lives in this package so that a PostgreSQL back end can later replace it
behind the same methods.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from livingreview import __version__
from livingreview.records import Record
from livingreview.store.migrations import migrate

RECORD_COLUMNS = (
    "source", "source_id", "raw", "title", "abstract", "authors", "journal", "year", "volume",
    "issue", "pages", "doi", "pmid", "pmcid", "nct_ids", "keywords", "mesh",
    "publication_types", "language", "label", "extra",
)
_JSON_COLUMNS = {"authors", "nct_ids", "keywords", "mesh", "publication_types", "extra"}
# SQLite's default limit on bound variables is 32766; stay well below it per statement.
_MAX_VARIABLES = 30000


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Store:
    """The writer connection of one `review.db`. Readers may open their own read-only ones."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._connection = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30.0
        )
        self._connection.row_factory = sqlite3.Row
        self._connection.execute("PRAGMA journal_mode = WAL")
        self._connection.execute("PRAGMA synchronous = NORMAL")
        self._connection.execute("PRAGMA foreign_keys = ON")
        self._in_transaction = False
        migrate(self._connection)

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception; nests as one transaction."""
        with self._lock:
            if self._in_transaction:
                yield self._connection
                return
            self._connection.execute("BEGIN IMMEDIATE")
            self._in_transaction = True
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            else:
                self._connection.execute("COMMIT")
            finally:
                self._in_transaction = False

    def query(self, sql: str, parameters: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._connection.execute(sql, tuple(parameters)).fetchall()

    def scalar(self, sql: str, parameters: Iterable[Any] = ()) -> Any:
        row = self.query(sql, parameters)
        return row[0][0] if row else None

    # --- events -------------------------------------------------------------------------------

    def log(
        self,
        stage: str,
        action: str,
        *,
        subject: str | None = None,
        detail: dict[str, Any] | None = None,
        actor: str = "livingreview",
        why: str | None = None,
        model_version: str | None = None,
    ) -> int:
        with self.transaction() as connection:
            cursor = connection.execute(
                # The open round, if any, is read in the same statement: an event belongs to
                # the round open when it was written, whichever process opened it.
                "INSERT INTO events (at, actor, stage, action, subject, detail, why, tool_version,"
                " model_version, round) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " (SELECT number FROM rounds WHERE finished_at IS NULL))",
                (now(), actor, stage, action, subject, json.dumps(detail or {}, sort_keys=True),
                 why, __version__, model_version),
            )
            return int(cursor.lastrowid or 0)

    def events(self, stage: str | None = None, action: str | None = None) -> list[dict[str, Any]]:
        sql, parameters = "SELECT * FROM events WHERE 1=1", []
        if stage:
            sql += " AND stage = ?"
            parameters.append(stage)
        if action:
            sql += " AND action = ?"
            parameters.append(action)
        rows = self.query(sql + " ORDER BY id", parameters)
        return [{**dict(row), "detail": json.loads(row["detail"])} for row in rows]

    def event_total(self, stage: str, action: str, key: str) -> int:
        """Sum of `detail[key]` over matching events: how counts are derived from the log."""
        value = self.scalar(
            "SELECT COALESCE(SUM(json_extract(detail, '$.' || ?)), 0) FROM events"
            " WHERE stage = ? AND action = ?",
            (key, stage, action),
        )
        return int(value)

    # --- records ------------------------------------------------------------------------------

    def insert_records(
        self,
        records: Iterable[Record],
        *,
        import_id: int | None = None,
        search_id: int | None = None,
        batch_size: int = 500,
    ) -> int:
        """Insert inside the caller's transaction (or one of its own); returns the count."""
        columns = (*RECORD_COLUMNS, "import_id", "search_id", "created_at")
        rows_per_statement = max(1, min(batch_size, _MAX_VARIABLES // len(columns)))
        placeholders = "(" + ", ".join("?" * len(columns)) + ")"
        created = now()
        count = 0
        with self.transaction() as connection:
            batch: list[tuple[Any, ...]] = []
            for record in records:
                batch.append((*_record_values(record.normalise()), import_id, search_id, created))
                if len(batch) == rows_per_statement:
                    count += self._insert_batch(connection, columns, placeholders, batch)
                    batch = []
            if batch:
                count += self._insert_batch(connection, columns, placeholders, batch)
        return count

    @staticmethod
    def _insert_batch(
        connection: sqlite3.Connection, columns: tuple[str, ...], placeholders: str,
        batch: list[tuple[Any, ...]]
    ) -> int:
        sql = f"INSERT INTO records ({', '.join(columns)}) VALUES " + ", ".join(
            [placeholders] * len(batch)
        )
        connection.execute(sql, [value for row in batch for value in row])
        return len(batch)

    def records(self, where: str = "1=1", parameters: Iterable[Any] = ()) -> list[Record]:
        rows = self.query(f"SELECT * FROM records WHERE {where} ORDER BY id", parameters)
        return [row_to_record(row) for row in rows]


def _record_values(record: Record) -> tuple[Any, ...]:
    values = []
    for column in RECORD_COLUMNS:
        value = getattr(record, column)
        values.append(json.dumps(value, ensure_ascii=False) if column in _JSON_COLUMNS else value)
    return tuple(values)


def row_to_record(row: sqlite3.Row) -> Record:
    fields = {column: row[column] for column in RECORD_COLUMNS}
    for column in _JSON_COLUMNS:
        fields[column] = json.loads(fields[column])
    return Record(**fields, id=row["id"], study_id=row["study_id"])
