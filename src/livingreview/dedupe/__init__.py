"""Deduplication: exact identifiers, then blocked fuzzy bibliographic matching; groups, never deletion."""

from livingreview.dedupe.service import (
    DedupeError,
    DedupeResult,
    PairDecision,
    decide_pair,
    dedupe_status,
    run_dedupe,
    uncertain_pairs,
)

__all__ = [
    "DedupeError",
    "DedupeResult",
    "PairDecision",
    "decide_pair",
    "dedupe_status",
    "run_dedupe",
    "uncertain_pairs",
]
