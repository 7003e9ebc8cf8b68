"""Screening performance from the labels in the order they were screened (priors first).

Conventions (the usual ones, as in the shared fixtures' README):
- N is every record in the set, including records with neither title nor abstract.
- Prior records count as screened.
- WSS@r = (N - records screened to reach ceil(r x relevant)) / N - (1 - r).
- recall@f = relevant found among the first floor(f x N) screened / all relevant; this is the same
  number as asreview-insights' `recall` with `priors=True` (checked in benchmarks/bench_screening.py).
- ERF@f (extra relevant found) = (relevant found in the first floor(f x N) - the number random
  screening finds on average, floor(f x N) x relevant / N) / all relevant.

A screening order shorter than N means the rest was never screened: those relevant records count
as not found.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

# Relevance labels (1 relevant, 0 not) in screening order: a list or an integer array.
OrderLabels = Sequence[int] | np.ndarray


def _fraction(value: float) -> Fraction:
    # Through the decimal string: 0.95 x 20 must be exactly 19, not 19.000000000000004.
    return Fraction(str(value))


def _check(order_labels: OrderLabels, n_total: int, n_relevant: int) -> np.ndarray:
    labels = np.asarray(order_labels, dtype=np.int64)
    if len(labels) > n_total:
        raise ValueError(f"{len(labels)} records screened but the set has only {n_total}")
    if n_relevant < 1:
        raise ValueError("the set has no relevant records: recall is undefined")
    if labels.sum() > n_relevant:
        raise ValueError(f"{labels.sum()} relevant records screened but the set has only {n_relevant}")
    return labels


def screened_to_reach(order_labels: OrderLabels, n_relevant: int, recall: float) -> int | None:
    """How many records were screened when ceil(recall x relevant) had been found (None: never)."""
    needed = math.ceil(_fraction(recall) * n_relevant)
    if needed == 0:
        return 0
    found = np.cumsum(np.asarray(order_labels, dtype=np.int64))
    position = int(np.searchsorted(found, needed, side="left"))
    return position + 1 if position < len(found) else None


def wss(order_labels: OrderLabels, n_total: int, n_relevant: int, recall: float = 0.95) -> float | None:
    """Work saved over sampling at `recall`; None when that recall was never reached."""
    _check(order_labels, n_total, n_relevant)
    screened = screened_to_reach(order_labels, n_relevant, recall)
    if screened is None:
        return None
    return (n_total - screened) / n_total - (1 - recall)


def recall_at(order_labels: OrderLabels, n_total: int, n_relevant: int, fraction: float = 0.10) -> float:
    """Share of the relevant records found within the first floor(fraction x N) screened."""
    labels = _check(order_labels, n_total, n_relevant)
    n_screened = math.floor(_fraction(fraction) * n_total)
    return float(labels[:n_screened].sum() / n_relevant)


def erf(order_labels: OrderLabels, n_total: int, n_relevant: int, fraction: float = 0.10) -> float:
    """Extra relevant found over random screening at `fraction`, as a share of all relevant."""
    labels = _check(order_labels, n_total, n_relevant)
    n_screened = math.floor(_fraction(fraction) * n_total)
    expected_by_chance = n_screened * n_relevant / n_total
    return float((labels[:n_screened].sum() - expected_by_chance) / n_relevant)


def recall_curve(order_labels: OrderLabels, n_total: int, n_relevant: int) -> tuple[np.ndarray, np.ndarray]:
    """(records screened 0..len, recall after that many): the step curve to plot."""
    labels = _check(order_labels, n_total, n_relevant)
    screened = np.arange(len(labels) + 1)
    recall = np.concatenate([[0.0], np.cumsum(labels) / n_relevant])
    return screened, recall


def loss(order_labels: OrderLabels) -> float:
    """Normalised loss: the area between the best possible recall curve and this one, over the area
    between the best and the worst (0 = every relevant record first, 1 = every one last).

    ASReview LAB reports this figure after a simulation (`asreview.metrics.loss`).
    """
    labels = np.asarray(order_labels, dtype=np.int64)
    n_total, n_relevant = len(labels), int(labels.sum())
    if n_relevant in (0, n_total):
        raise ValueError("loss needs both relevant and irrelevant records")
    found = np.cumsum(labels).sum()
    best = np.minimum(np.arange(1, n_total + 1), n_relevant).sum()
    worst = n_relevant * (n_relevant + 1) / 2
    return float((best - found) / (best - worst))


def ndcg(order_labels: OrderLabels) -> float:
    """Normalised discounted cumulative gain of the order (1 = every relevant record first)."""
    labels = np.asarray(order_labels, dtype=np.float64)
    n_relevant = int(labels.sum())
    if n_relevant in (0, len(labels)):
        raise ValueError("NDCG needs both relevant and irrelevant records")
    discounts = 1 / np.log2(np.arange(2, len(labels) + 2))
    return float((labels * discounts).sum() / discounts[:n_relevant].sum())
