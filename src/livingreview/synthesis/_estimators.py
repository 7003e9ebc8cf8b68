"""Estimators of the between-study variance tau^2, each as metafor's rma.uni computes it.

The closed forms (DL, HE, HS, SJ) are metafor's formulas for the mixed-effects model y = X beta + u + e;
ML, REML and EB use metafor's Fisher scoring with its defaults (start at max(0, HE), stop when a
step changes tau^2 by less than 1e-5, halve steps that would go below 0, at most 100 steps, and
the check that tau^2 = 0 does not have a larger likelihood), so that the iterates, not only the
optimum, are the ones metafor reports. PM solves its estimating equation to machine precision
(metafor's uniroot stops at a tolerance of about 1e-4), so PM can differ from metafor in the
fifth significant digit, never more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from livingreview.errors import BadInput
from livingreview.synthesis._weighted import Matrix, Vector, generalised_q, weighted_fit

# metafor's control defaults for the iterative estimators.
SCORING_THRESHOLD = 1e-5
SCORING_MAX_ITERATIONS = 100
LL0_CHECK_TOLERANCE = float(np.finfo(float).eps) ** 0.25


class ConvergenceError(BadInput):
    """An iterative tau^2 estimator did not converge within its iteration limit."""


@dataclass(frozen=True)
class Tau2Estimate:
    tau2: float
    iterations: int = 0


def equal_effects(y: Vector, v: Vector, x: Matrix) -> Tau2Estimate:
    return Tau2Estimate(0.0)


def dersimonian_laird(y: Vector, v: Vector, x: Matrix) -> Tau2Estimate:
    k, p = x.shape
    fit = weighted_fit(y, 1.0 / v, x)
    return Tau2Estimate(max(0.0, (fit.rss - (k - p)) / fit.trace_p()))


def hedges(y: Vector, v: Vector, x: Matrix) -> Tau2Estimate:
    return Tau2Estimate(max(0.0, _hedges_unbounded(y, v, x)))


def _hedges_unbounded(y: Vector, v: Vector, x: Matrix) -> float:
    """(RSS_OLS - tr(P0 V)) / (k - p): the starting value of the likelihood estimators too."""
    k, p = x.shape
    ols = weighted_fit(y, np.ones(k), x)
    return float((ols.rss - ols.trace_pv(v)) / (k - p))


def hunter_schmidt(y: Vector, v: Vector, x: Matrix) -> Tau2Estimate:
    k = len(y)
    fit = weighted_fit(y, 1.0 / v, x)
    return Tau2Estimate(max(0.0, (fit.rss - k) / fit.weights.sum()))


def sidik_jonkman(y: Vector, v: Vector, x: Matrix) -> Tau2Estimate:
    k, p = x.shape
    # The crude start: the variance of y about its mean with divisor k.
    start = float(np.mean((y - y.mean()) ** 2))
    fit = weighted_fit(y, 1.0 / (v + start), x)
    return Tau2Estimate(max(0.0, start * fit.rss / (k - p)))


def paule_mandel(y: Vector, v: Vector, x: Matrix) -> Tau2Estimate:
    """The tau^2 at which the generalised Q equals its expectation k - p (0 when Q(0) is below it)."""
    k, p = x.shape
    target = k - p

    def excess(tau2: float) -> float:
        return float(generalised_q(tau2, y, v, x) - target)

    if excess(0.0) <= 0:
        return Tau2Estimate(0.0)
    upper = max(100.0, 10 * _mad(y) ** 2)
    while excess(upper) > 0:  # Q falls towards 0 as tau^2 grows, so a bracket always exists
        upper *= 10
    return Tau2Estimate(float(brentq(excess, 0.0, upper, xtol=1e-15, rtol=8.9e-16)))


def _mad(y: Vector) -> float:
    """R's mad(): the median absolute deviation scaled to estimate a normal SD."""
    return 1.4826 * float(np.median(np.abs(y - np.median(y))))


Step = Callable[[Vector, Vector, Matrix, float], float]


def _ml_step(y: Vector, v: Vector, x: Matrix, tau2: float) -> float:
    fit = weighted_fit(y, 1.0 / (v + tau2), x)
    w = fit.weights
    return (float(np.dot(fit.p_y, fit.p_y)) - float(w.sum())) / float(np.dot(w, w))


def _reml_step(y: Vector, v: Vector, x: Matrix, tau2: float) -> float:
    if x.shape[1] == 1:
        return _reml_step_intercept_only(y, v, tau2)
    fit = weighted_fit(y, 1.0 / (v + tau2), x)
    return (float(np.dot(fit.p_y, fit.p_y)) - fit.trace_p()) / fit.trace_pp()


def _reml_step_intercept_only(y: Vector, v: Vector, tau2: float) -> float:
    """The REML step with P's traces as sums of weights (X = 1): the same numbers in a third of
    the array operations, which is what the step costs for small k."""
    w = 1.0 / (v + tau2)
    w2 = w * w
    total, total2, total3 = w.sum(), w2.sum(), np.dot(w2, w)
    py = w * (y - np.dot(w, y) / total)
    trace_p = total - total2 / total
    trace_pp = total2 - 2.0 * total3 / total + (total2 / total) ** 2
    return float((np.dot(py, py) - trace_p) / trace_pp)


def _eb_step(y: Vector, v: Vector, x: Matrix, tau2: float) -> float:
    k, p = x.shape
    fit = weighted_fit(y, 1.0 / (v + tau2), x)
    return float((fit.rss * k / (k - p) - k) / fit.weights.sum())


def _fisher_scoring(y: Vector, v: Vector, x: Matrix, step: Step, name: str) -> Tau2Estimate:
    tau2 = max(0.0, _hedges_unbounded(y, v, x))
    for iteration in range(1, SCORING_MAX_ITERATIONS + 1):
        adjustment = step(y, v, x, tau2)
        if tau2 == 0 and adjustment < 0:
            adjustment = 0.0  # what halving reaches, after some 1,075 halvings, when starting from 0
        while tau2 + adjustment < 0:  # halve a step that would leave the parameter space
            adjustment /= 2
        previous, tau2 = tau2, tau2 + adjustment
        if abs(previous - tau2) <= SCORING_THRESHOLD:
            return Tau2Estimate(tau2, iteration)
    raise ConvergenceError(f"{name}: Fisher scoring did not converge in {SCORING_MAX_ITERATIONS} "
                           "iterations; try another --method (DL or PM never iterate this way)")


def _log_likelihood(y: Vector, v: Vector, x: Matrix, tau2: float, restricted: bool) -> float:
    """metafor's ll check (without the 2 pi constant, which cancels in the comparison)."""
    marginal = v + tau2
    fit = weighted_fit(y, 1.0 / marginal, x)
    value = -0.5 * float(np.log(marginal).sum()) - 0.5 * fit.rss
    if restricted:
        value += 0.5 * float(np.linalg.slogdet(fit.cov_unscaled)[1])  # -1/2 log|X'WX|
    return value


def _likelihood(restricted: bool) -> Callable[[Vector, Vector, Matrix], Tau2Estimate]:
    name = "REML" if restricted else "ML"
    step = _reml_step if restricted else _ml_step

    def estimate(y: Vector, v: Vector, x: Matrix) -> Tau2Estimate:
        found = _fisher_scoring(y, v, x, step, name)
        # As metafor: scoring can stop at a local maximum; prefer tau^2 = 0 when it is clearly better.
        at_zero = _log_likelihood(y, v, x, 0.0, restricted)
        at_found = _log_likelihood(y, v, x, found.tau2, restricted)
        if at_zero - at_found > LL0_CHECK_TOLERANCE and found.tau2 > SCORING_THRESHOLD:
            return Tau2Estimate(0.0, found.iterations)
        return Tau2Estimate(max(0.0, found.tau2), found.iterations)

    return estimate


def empirical_bayes(y: Vector, v: Vector, x: Matrix) -> Tau2Estimate:
    found = _fisher_scoring(y, v, x, _eb_step, "EB")
    return Tau2Estimate(max(0.0, found.tau2), found.iterations)


Estimator = Callable[[Vector, Vector, Matrix], Tau2Estimate]

ESTIMATORS: dict[str, Estimator] = {
    "EE": equal_effects,
    "DL": dersimonian_laird,
    "HE": hedges,
    "HS": hunter_schmidt,
    "SJ": sidik_jonkman,
    "PM": paule_mandel,
    "ML": _likelihood(restricted=False),
    "REML": _likelihood(restricted=True),
    "EB": empirical_bayes,
}

# The iterative estimators stop at metafor's threshold, not at the exact optimum.
ITERATIVE = frozenset({"ML", "REML", "EB", "PM"})
