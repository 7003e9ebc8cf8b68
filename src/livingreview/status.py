"""Counts per stage, derived from the event log and checked against the tables."""

from __future__ import annotations

from typing import Any

from livingreview.dedupe import dedupe_status
from livingreview.screening.stopping import stopping_status
from livingreview.screening.workflow import screening_status
from livingreview.sources.fulltext import fulltext_status
from livingreview.sources.search import search_status
from livingreview.store import Store
from livingreview.store.flow import database_counts
from livingreview.store.imports import count_imports
from livingreview.store.records import count_records, records_by_source


def project_status(store: Store) -> dict[str, Any]:
    return {
        "records": {
            "imported": store.event_total("import", "import.file", "records"),
            "stored": count_records(store),
            "by_source": records_by_source(store),
            # PRISMA counts per database searched, not per file format
            "by_database": database_counts(store),
            "files_imported": count_imports(store),
        },
        "dedupe": dedupe_status(store),
        "search": search_status(store),
        "fulltext": fulltext_status(store),
        "screening": screening_status(store),
        "stopping": stopping_status(store),
    }
