"""Query strategies: from the classifier's scores of the unlabelled records to the order shown.

Each returns positions into `scores`, first to screen first. Randomness comes only from the
`rng` passed in, so a seeded session repeats exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


class QueryStrategy(Protocol):
    def order(self, scores: np.ndarray, rng: np.random.Generator) -> np.ndarray: ...


def _descending(scores: np.ndarray) -> np.ndarray:
    # A stable sort keeps ties in record order, so equal scores never reorder between runs.
    return np.argsort(-scores, kind="stable")


@dataclass
class MaxRelevance:
    """Most likely relevant first (certainty-based sampling)."""

    def order(self, scores: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return _descending(scores)


@dataclass
class Uncertainty:
    """Closest to the decision threshold first: the records the model knows least about."""

    threshold: float | None = None

    def order(self, scores: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        # Without a fixed threshold (scores differ in scale between classifiers) the median of
        # the top decile is taken as the boundary the model is least sure about.
        threshold = self.threshold if self.threshold is not None else _top_decile_median(scores)
        return np.argsort(np.abs(scores - threshold), kind="stable")


def _top_decile_median(scores: np.ndarray) -> float:
    if len(scores) == 0:
        return 0.0
    top = np.sort(scores)[-max(1, len(scores) // 10):]
    return float(np.median(top))


@dataclass
class Mixed:
    """Mostly max relevance; each position is the most uncertain record with probability `uncertainty_share`."""

    uncertainty_share: float = 0.05
    threshold: float | None = None

    def order(self, scores: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        by_relevance = _descending(scores)
        by_uncertainty = Uncertainty(self.threshold).order(scores, rng)
        take_uncertain = rng.random(len(scores)) < self.uncertainty_share
        return _interleave(by_relevance, by_uncertainty, take_uncertain)


def _interleave(first: np.ndarray, second: np.ndarray, take_second: np.ndarray) -> np.ndarray:
    """Merge two orders of the same positions: slot i comes from `second` where take_second[i]."""
    used = np.zeros(len(first), dtype=bool)
    merged = np.empty(len(first), dtype=np.int64)
    cursors = [0, 0]
    sources = (first, second)
    for slot in range(len(first)):
        which = int(take_second[slot])
        source = sources[which]
        while used[source[cursors[which]]]:
            cursors[which] += 1
        merged[slot] = source[cursors[which]]
        used[merged[slot]] = True
    return merged


@dataclass
class RandomOrder:
    """Uniformly random: the sample a statistical stopping rule needs once ranking has done its work."""

    def order(self, scores: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return rng.permutation(len(scores))
