"""How records are grouped into studies, as screening reads it to form its units.

Screening asks only for (record id, study id) pairs and a fingerprint that changes whenever they
do; how the grouping is stored (today `records.study_id`) stays behind these functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from livingreview.records import Record
from livingreview.store.db import Store


def record_studies(store: Store) -> list[tuple[int, int | None]]:
    """(record id, study id or None when not yet grouped) of every record, in record order."""
    return [(int(row[0]), None if row[1] is None else int(row[1]))
            for row in store.query("SELECT id, study_id FROM records ORDER BY id")]


def grouping_fingerprint(store: Store) -> int:
    """Changes when records are added, removed or regrouped: a counter the store's triggers raise
    on each such write (migration 0011), so asking costs one row, not a pass over every record."""
    return int(store.scalar("SELECT version FROM grouping_version"))


def records_by_id(store: Store, record_ids: Iterable[int]) -> list[Record]:
    """The records with these ids, in record order (ids not in the review are left out)."""
    wanted = "[" + ",".join(str(int(i)) for i in record_ids) + "]"
    return store.records("id IN (SELECT value FROM json_each(?))", (wanted,))
