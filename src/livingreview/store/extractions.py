"""The `extractions` table: machine suggestions, one row per study and field, with their evidence.

A row's `value` holds the suggestion as JSON (value, every evidence span, flags); `span_start`,
`span_end` and `registry_field` repeat its first piece of evidence so a reviewer's tool can
highlight without parsing. `extractor` is "rules/<version>". Rows are only added: a later run
adds new rows, and the newest row per (study, field, extractor) is the current suggestion.
Human verification (`verified_by`) is left to the judgement ledger.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livingreview.store.db import Store, now

_JATS_SUFFIXES = (".xml", ".nxml")


@dataclass(frozen=True)
class SuggestionRow:
    """One field's suggestion for a study, as the store keeps it."""

    study_id: int
    field: str
    payload: dict[str, Any]  # {"value", "evidence", "flags"}
    source_record_id: int | None
    extractor: str


def add_suggestions(store: Store, rows: Iterable[SuggestionRow]) -> int:
    """Insert the rows in one transaction; returns how many were written."""
    stamp = now()
    values = []
    for row in rows:
        first = (row.payload.get("evidence") or [{}])[0]
        registry = str(first.get("field", "")).removeprefix("registry:") if str(
            first.get("field", "")).startswith("registry:") else None
        values.append((row.study_id, row.field, json.dumps(row.payload, ensure_ascii=False, sort_keys=True),
                       row.source_record_id, first.get("start"), first.get("end"), registry,
                       row.extractor, stamp))
    with store.transaction() as connection:
        connection.executemany(
            "INSERT INTO extractions (study_id, field, value, source_record_id, span_start, span_end,"
            " registry_field, extractor, extracted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
    return len(values)


def current_suggestions(store: Store, study_id: int, extractor_prefix: str = "rules/") -> dict[str, dict[str, Any]]:
    """The newest suggestion per field for one study, from extractors whose name starts so."""
    rows = store.query(
        "SELECT e.field, e.value FROM extractions e JOIN (SELECT field, MAX(id) AS id FROM extractions"
        " WHERE study_id = ? AND extractor LIKE ? AND verified_by IS NULL GROUP BY field) latest"
        " ON e.id = latest.id ORDER BY e.field", (study_id, extractor_prefix + "%"))
    return {str(row["field"]): json.loads(row["value"]) for row in rows}


def jats_fulltexts(store: Store, project_dir: Path) -> dict[int, Path]:
    """Record id → its newest retrieved or attached JATS full text that exists on disk."""
    rows = store.query(
        "SELECT record_id, path FROM fulltexts WHERE id IN (SELECT MAX(id) FROM fulltexts"
        " WHERE status IN ('retrieved', 'attached') AND path IS NOT NULL GROUP BY record_id)")
    found = {}
    for row in rows:
        path = project_dir / str(row["path"])
        if path.suffix.lower() in _JATS_SUFFIXES and path.exists():
            found[int(row["record_id"])] = path
    return found
