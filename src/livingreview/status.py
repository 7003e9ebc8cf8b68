"""Counts per stage, derived from the event log and checked against the tables."""

from __future__ import annotations

from typing import Any

from livingreview.dedupe import dedupe_status
from livingreview.screening.stopping import stopping_status
from livingreview.screening.workflow import screening_status
from livingreview.sources.fulltext import fulltext_status
from livingreview.sources.search import search_status
from livingreview.store import Store


def project_status(store: Store) -> dict[str, Any]:
    imported = store.event_total("import", "import.file", "records")
    stored = store.scalar("SELECT COUNT(*) FROM records")
    by_source = {
        row["source"]: row["n"]
        for row in store.query("SELECT source, COUNT(*) AS n FROM records GROUP BY source ORDER BY source")
    }
    return {
        "records": {
            "imported": imported,
            "stored": stored,
            "by_source": by_source,
            "files_imported": store.scalar("SELECT COUNT(*) FROM imports"),
        },
        "dedupe": dedupe_status(store),
        "search": search_status(store),
        "fulltext": fulltext_status(store),
        "screening": screening_status(store),
        "stopping": stopping_status(store),
    }
