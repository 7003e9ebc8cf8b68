"""The Q-profile confidence interval for tau^2 (Viechtbauer 2007), as metafor's confint.rma.uni.

The generalised Q, sum (y - X beta(tau^2))^2 / (v + tau^2), follows a chi-square with k - p degrees
of freedom at the true tau^2 and falls as tau^2 grows. The interval is the set of tau^2 whose Q
lies between the chi-square quantiles: the lower bound solves Q = chi2(1 - alpha/2), the upper
Q = chi2(alpha/2); a bound is 0 when Q(0) is already below its quantile. The bounds do not
depend on which estimator gave the point estimate.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from scipy.stats import chi2

from livingreview.synthesis._weighted import Matrix, Vector, generalised_q


def q_profile_interval(y: Vector, v: Vector, x: Matrix, level: float = 0.95) -> tuple[float, float]:
    k, p = x.shape
    alpha = 1.0 - level
    lower_target = float(chi2.ppf(1 - alpha / 2, k - p))
    upper_target = float(chi2.ppf(alpha / 2, k - p))
    return _solve(y, v, x, lower_target), _solve(y, v, x, upper_target)


def _solve(y: Vector, v: Vector, x: Matrix, target: float) -> float:
    def excess(tau2: float) -> float:
        return generalised_q(tau2, y, v, x) - target

    if excess(0.0) <= 0:
        return 0.0
    upper = max(100.0, 10 * float(np.var(y, ddof=1)))
    while excess(upper) > 0:  # Q tends to 0 as tau^2 grows, so the bracket closes
        upper *= 10
    # metafor's reference bounds come from uniroot with tol = 1e-12; solve at least that tightly.
    return float(brentq(excess, 0.0, upper, xtol=1e-14, rtol=8.9e-16, maxiter=500))
