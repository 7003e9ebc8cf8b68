"""The review store: one SQLite file in WAL mode, one writer, an append-only event log.

All SQL of the project lives in this package so that a PostgreSQL back end can later replace it
behind the same methods.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from livingreview import __version__
from livingreview.errors import LivingReviewError, NotAProject
from livingreview.records import Record
from livingreview.safe_text import redact
from livingreview.store.migrations import migrate

RECORD_COLUMNS = (
    "source", "source_id", "raw", "title", "abstract", "authors", "journal", "year", "volume",
    "issue", "pages", "doi", "pmid", "pmcid", "nct_ids", "keywords", "mesh",
    "publication_types", "language", "label", "extra",
)
_JSON_COLUMNS = {"authors", "nct_ids", "keywords", "mesh", "publication_types", "extra"}
# SQLite's default limit on bound variables is 32766; stay well below it per statement.
_MAX_VARIABLES = 30000


# How long a writer waits for another process's write transaction (a long import) before
# giving up, in seconds; LIVINGREVIEW_LOCK_TIMEOUT overrides it.
LOCK_TIMEOUT = 3600.0
LOCK_TIMEOUT_VARIABLE = "LIVINGREVIEW_LOCK_TIMEOUT"
# SQLite's own busy handler waits this long per try; between tries the wait is announced once.
_BUSY_STEP = 1.0

Announce = Callable[[str], None]


class StoreUnavailable(LivingReviewError):
    """review.db cannot be written now: locked by another process past the wait, the disk is
    full, or the folder is read-only. Nothing was half-written (the transaction rolled back)."""


class NotADatabase(NotAProject):
    """review.db is not a SQLite database written by livingreview (garbage or truncated)."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def lock_timeout_from_environment() -> float:
    value = os.environ.get(LOCK_TIMEOUT_VARIABLE, "").strip()
    if not value:
        return LOCK_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        raise StoreUnavailable(f"{LOCK_TIMEOUT_VARIABLE}={value!r} is not a number of "
                               "seconds") from None
    return max(0.0, seconds)


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _is_busy(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def explain(error: sqlite3.Error, path: Path) -> LivingReviewError | None:
    """The expected failure a SQLite error stands for, in words a user can act on; None for
    anything else (a bug)."""
    text = str(error)
    lowered = text.lower()
    if "file is not a database" in lowered or "malformed" in lowered:
        return NotADatabase(f"{path} is not a livingreview database ({text}); restore it from "
                            "a backup")
    if "readonly" in lowered or "read-only" in lowered:
        return StoreUnavailable(f"cannot write {path}: the file or its folder is read-only "
                                f"({text}); nothing was changed")
    if "disk is full" in lowered or "disk full" in lowered:
        return StoreUnavailable(f"cannot write {path}: the disk is full ({text}); nothing was "
                                "changed, free some space and run the command again")
    if isinstance(error, sqlite3.OperationalError) and _is_busy(error):
        return StoreUnavailable(f"{path} is locked by another livingreview process; nothing "
                                f"was changed (wait longer with {LOCK_TIMEOUT_VARIABLE}=SECONDS)")
    if "unable to open database" in lowered:
        return StoreUnavailable(f"cannot open {path} ({text}): check the folder exists and "
                                "may be written")
    return None


class Store:
    """The writer connection of one `review.db`. Readers may open their own read-only ones.

    A write that finds another process writing waits (saying so once through `announce`, on
    stderr by default) up to `lock_timeout` seconds, then fails with `StoreUnavailable`.
    """

    def __init__(self, path: str | Path, *, lock_timeout: float | None = None,
                 announce: Announce = _to_stderr) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self.lock_timeout = lock_timeout_from_environment() if lock_timeout is None else lock_timeout
        self.announce = announce
        self._in_transaction = False
        with self._explained():
            self._connection = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False,
                timeout=min(_BUSY_STEP, self.lock_timeout)
            )
            self._connection.row_factory = sqlite3.Row
            try:
                self._waiting(lambda: self._connection.execute("PRAGMA journal_mode = WAL"))
                self._connection.execute("PRAGMA synchronous = NORMAL")
                self._connection.execute("PRAGMA foreign_keys = ON")
                self._waiting(lambda: migrate(self._connection))
            except BaseException:
                self._connection.close()
                raise

    @contextmanager
    def _explained(self) -> Iterator[None]:
        """SQLite's expected failures (locked, full, read-only, not a database) as
        `LivingReviewError`s naming the file; anything else passes through as a bug."""
        try:
            yield
        except sqlite3.Error as error:
            expected = explain(error, self.path)
            if expected is None:
                raise
            raise expected from error

    def _waiting(self, attempt: Callable[[], object]) -> None:
        """Run `attempt` (one that takes the write lock) until the lock is free, announcing the
        wait once; gives up with the busy error after `lock_timeout` seconds."""
        deadline = time.monotonic() + self.lock_timeout
        announced = False
        while True:
            try:
                attempt()
                return
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or time.monotonic() >= deadline:
                    raise
                if not announced:
                    self.announce(f"waiting for another livingreview process to release "
                                   f"{self.path.name}… (up to {self.lock_timeout:.0f} s; "
                                   f"{LOCK_TIMEOUT_VARIABLE} sets it)")
                    announced = True

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
            with self._explained():
                self._waiting(lambda: self._connection.execute("BEGIN IMMEDIATE"))
                self._in_transaction = True
                try:
                    yield self._connection
                except BaseException:
                    # SQLite has already rolled back after some errors (a full disk).
                    if self._connection.in_transaction:
                        self._connection.execute("ROLLBACK")
                    raise
                else:
                    self._connection.execute("COMMIT")
                finally:
                    self._in_transaction = False

    def query(self, sql: str, parameters: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock, self._explained():
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
                # The log can never be cleaned: secrets (an API key echoed in a server's
                # error) are redacted before they reach it.
                (now(), actor, stage, action, subject,
                 json.dumps(_redacted(detail or {}), sort_keys=True),
                 None if why is None else redact(why), __version__, model_version),
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


def _redacted(value: Any) -> Any:
    """`value` with every string in it redacted (strings, not the JSON text, so that an escaped
    quote is never cut in half)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redacted(item) for item in value]
    return value


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
