"""Every table of a review as plain rows, and those rows written back into a new store.

`dump_tables` reads every table (views, SQLite's own tables and log-in credentials left out)
with its columns in schema order; `restore_tables` inserts them, ids included, into a freshly
migrated store in one transaction, foreign keys checked at commit, so the restored review is the
same row for row. Rows a migration already wrote (the judgement item kinds) are kept, not doubled.
"""

from __future__ import annotations

import base64
import sqlite3
from typing import Any

from livingreview.errors import BadInput
from livingreview.store.db import Store
from livingreview.store.migrations import MIGRATIONS

Table = dict[str, Any]  # {"columns": [...], "rows": [[...], ...]}
# Log-in secrets stay with their project: a bundle is shared, a password hash must not travel.
# grouping_version (migration 0011) is a counter its triggers keep, not review data: a fresh
# store has its row, and restoring the records moves it on.
NOT_BUNDLED = frozenset({"credentials", "grouping_version"})


class BundleError(BadInput):
    """A bundle that cannot be restored: a newer schema, an unknown table or column, a clash."""


def table_names(store: Store) -> list[str]:
    return [str(row[0]) for row in store.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name")]


def columns_of(store: Store, table: str) -> list[str]:
    return [str(row["name"]) for row in store.query(f"PRAGMA table_info({_quoted(table)})")]


def dump_tables(store: Store) -> dict[str, Table]:
    """Every table's columns and rows (in rowid order); BLOBs as {"$base64": ...}."""
    dumped = {}
    for table in (name for name in table_names(store) if name not in NOT_BUNDLED):
        columns = columns_of(store, table)
        rows = store.query(f"SELECT {', '.join(map(_quoted, columns))} FROM {_quoted(table)}"
                           " ORDER BY rowid")
        dumped[table] = {"columns": columns, "rows": [[_plain(v) for v in row] for row in rows]}
    return dumped


def restore_tables(store: Store, tables: dict[str, Table], schema_version: int) -> int:
    """Insert every row into `store` (freshly migrated, holding no review yet); returns the rows
    written. Raises `BundleError` naming the table when the bundle does not fit the schema."""
    if schema_version > len(MIGRATIONS):
        raise BundleError(f"the bundle has schema version {schema_version}, newer than this "
                          f"livingreview ({len(MIGRATIONS)}); upgrade livingreview to restore it")
    known = set(table_names(store))
    unknown = sorted(set(tables) - known)
    if unknown:
        raise BundleError(f"the bundle has tables this schema does not know: {', '.join(unknown)}")
    written = 0
    with store.transaction() as connection:
        connection.execute("PRAGMA defer_foreign_keys = ON")
        for table, content in tables.items():
            columns = list(content["columns"])
            missing = sorted(set(columns) - set(columns_of(store, table)))
            if missing:
                raise BundleError(f"table {table}: unknown columns {', '.join(missing)}")
            present = {tuple(row) for row in connection.execute(
                f"SELECT {', '.join(map(_quoted, columns))} FROM {_quoted(table)}")}
            rows = [tuple(_stored(v) for v in row) for row in content["rows"]]
            fresh = [row for row in rows if row not in present]
            try:
                connection.executemany(
                    f"INSERT INTO {_quoted(table)} ({', '.join(map(_quoted, columns))}) VALUES"
                    f" ({', '.join('?' * len(columns))})", fresh)
            except sqlite3.IntegrityError as error:
                raise BundleError(f"table {table}: a row does not fit the new project ({error})"
                                  ) from error
            written += len(fresh)
    return written


def stored_schema_version(store: Store) -> int:
    return int(store.scalar("PRAGMA user_version"))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _plain(value: Any) -> Any:
    return {"$base64": base64.b64encode(value).decode("ascii")} if isinstance(value, bytes) else value


def _stored(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) != {"$base64"}:
            raise BundleError(f"a cell holds an object that is not a BLOB: {sorted(value)}")
        return base64.b64decode(value["$base64"])
    if isinstance(value, list):
        raise BundleError("a cell holds a list; cells are numbers, text or null")
    return value
