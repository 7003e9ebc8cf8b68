"""Screening: criteria verdicts with evidence, the two-reviewer workflow, agreement, queue order."""

from livingreview.screening.criteria import (
    CriterionVerdict,
    RecordVerdict,
    Span,
    evaluate_record,
    verdict_features,
)

__all__ = [
    "CriterionVerdict",
    "RecordVerdict",
    "Span",
    "evaluate_record",
    "verdict_features",
]
