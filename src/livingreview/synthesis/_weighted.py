"""Weighted least squares pieces shared by the estimators, the tests and the Q-profile.

Everything here is O(k p^2): the k x k matrix P = W - W X (X'WX)^-1 X'W that metafor forms
is never built. Its traces and quadratic forms come from p x p products instead, so a fit on
10,000 studies costs what a handful of vector operations cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Vector = NDArray[np.float64]
Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class WeightedFit:
    """The weighted least squares fit of y on X with weights w, and P's traces."""

    weights: Vector
    beta: Vector
    cov_unscaled: Matrix  # (X'WX)^-1
    residuals: Vector
    design: Matrix

    @property
    def p_y(self) -> Vector:
        """P y = W (y - X beta)."""
        return self.weights * self.residuals

    @property
    def rss(self) -> float:
        """y'Py: the generalised Q statistic at these weights."""
        return float(np.dot(self.weights, self.residuals**2))

    def _hat_term(self, power: int) -> Matrix:
        """(X'WX)^-1 X' W^power X."""
        if self.design.shape[1] == 1:  # intercept only: X is a column of ones, so this is a ratio of sums
            return self.cov_unscaled * float((self.weights**power).sum())
        weighted = self.design * (self.weights**power)[:, None]
        return self.cov_unscaled @ (self.design.T @ weighted)

    def trace_p(self) -> float:
        """tr(P) = tr(W) - tr((X'WX)^-1 X'W^2X)."""
        return float(self.weights.sum() - np.trace(self._hat_term(2)))

    def trace_pp(self) -> float:
        """tr(PP) = tr(W^2) - 2 tr((X'WX)^-1 X'W^3X) + tr(((X'WX)^-1 X'W^2X)^2)."""
        squared = self._hat_term(2)
        return float((self.weights**2).sum() - 2.0 * np.trace(self._hat_term(3))
                     + np.trace(squared @ squared))

    def trace_pv(self, variances: Vector) -> float:
        """tr(PV) for the diagonal V = diag(variances)."""
        scaled = self.weights**2 * variances
        if self.design.shape[1] == 1:
            return float(np.dot(self.weights, variances) - self.cov_unscaled[0, 0] * scaled.sum())
        weighted = self.design * scaled[:, None]
        return float(np.dot(self.weights, variances)
                     - np.trace(self.cov_unscaled @ (self.design.T @ weighted)))


def weighted_fit(y: Vector, weights: Vector, design: Matrix) -> WeightedFit:
    """The fit; `design`'s first column is the intercept, so a one-column design is all ones."""
    if design.shape[1] == 1:
        total = float(weights.sum())
        mean = float(np.dot(weights, y)) / total
        return WeightedFit(weights, np.array([mean]), np.array([[1.0 / total]]), y - mean, design)
    weighted_design = design * weights[:, None]
    cov_unscaled = np.asarray(np.linalg.inv(design.T @ weighted_design), dtype=np.float64)
    beta = cov_unscaled @ (weighted_design.T @ y)
    return WeightedFit(weights, beta, cov_unscaled, y - design @ beta, design)


def generalised_q(tau2: float, y: Vector, variances: Vector, design: Matrix) -> float:
    """Q at tau^2: sum of (y - X beta)^2 / (v + tau^2), beta the weighted fit at those weights."""
    return weighted_fit(y, 1.0 / (variances + tau2), design).rss
