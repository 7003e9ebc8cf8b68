"""Counts per stage, derived from the event log and checked against the tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from livingreview.dedupe import dedupe_status
from livingreview.screening.stopping import stopping_status
from livingreview.screening.workflow import screening_status
from livingreview.sources.fulltext import fulltext_status
from livingreview.sources.search import search_status
from livingreview.store import Store
from livingreview.store.flow import database_counts
from livingreview.store.imports import count_imports
from livingreview.store.protocol_log import cited_criteria, review_id_at_init
from livingreview.store.records import count_records, records_by_source

if TYPE_CHECKING:
    from livingreview.protocol import Protocol


def project_status(store: Store, *, target_recall: float = 0.95, confidence: float = 0.95) -> dict[str, Any]:
    """Counts per stage; the stopping estimate tests `target_recall` at `confidence` (the protocol's
    `[screening]` settings when called for a review)."""
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
        "stopping": stopping_status(store, target_recall=target_recall, confidence=confidence),
    }


def protocol_warnings(store: Store, protocol: Protocol) -> list[str]:
    """Where `protocol.toml` was edited away from the decisions stored under it: a criterion
    that decisions cite is gone, or the review id is not the one the project began with."""
    warnings = []
    defined = {criterion.id for criterion in protocol.criteria}
    for criterion, cited in cited_criteria(store).items():
        if criterion not in defined:
            warnings.append(f"{cited} screening decision{'' if cited == 1 else 's'} cite "
                            f"criterion {criterion}, which protocol.toml no longer defines "
                            "(restore it, or re-screen those records)")
    began_as = review_id_at_init(store)
    if began_as is not None and began_as != protocol.review.id:
        warnings.append(f"the review id in protocol.toml is now '{protocol.review.id}'; this "
                        f"review was created as '{began_as}'")
    return warnings
