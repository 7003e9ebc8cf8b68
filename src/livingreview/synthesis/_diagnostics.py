"""Sensitivity and small-study diagnostics, each following the metafor function it is named after.

- `leave_one_out` (leave1out): the model refitted without each study in turn.
- `egger_test` (regtest, its default): the mixed-effects model with the standard error sqrt(vi) as
  the moderator, fitted with the model's own tau^2 method and test; the test is on that slope, and
  the intercept is the "limit estimate" at a standard error of 0.
- `trim_and_fill` (trimfill, L0): the side is the one Egger's slope points away from (a negative
  slope means studies are missing on the right); studies are trimmed and the estimate re-centred
  until the L0 count of missing studies stops changing; the mirror images of the k0 most extreme
  studies are then added and the model refitted. metafor refits the filled data with its default
  z test; we keep the model's test, so a knha model stays knha.
- `subgroup_analysis`: a separate model per subgroup (each its own tau^2) and the between-group
  Q test, which is the Q of an equal-effects meta-regression of the subgroup estimates on their
  standard errors (metafor's "separate tau^2" recipe).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from livingreview.errors import BadInput
from livingreview.synthesis._weighted import Vector, weighted_fit
from livingreview.synthesis.meta_analysis import Coefficient, MetaAnalysis, MetaResult, meta_analysis


@dataclass(frozen=True)
class LeaveOneOut:
    """Row i is the model without study i."""

    left_out: int
    estimate: float
    se: float
    zval: float
    pval: float
    ci_lb: float
    ci_ub: float
    q: float
    q_pval: float
    tau2: float
    i2: float
    h2: float


def leave_one_out(yi: ArrayLike, vi: ArrayLike, *, method: str = "REML", test: str = "z") -> list[LeaveOneOut]:
    y, v = _vectors(yi, vi)
    rows = []
    for left_out in range(len(y)):
        keep = np.arange(len(y)) != left_out
        fit = meta_analysis(y[keep], v[keep], method=method, test=test)
        first = fit.intercept
        rows.append(LeaveOneOut(left_out, first.estimate, first.se, first.zval, first.pval, first.ci_lb,
                                first.ci_ub, fit.q, fit.q_pval, fit.tau2, fit.i2, fit.h2))
    return rows


@dataclass(frozen=True)
class EggerTest:
    """The slope on sqrt(vi) and its test; `limit` is the intercept (the estimate as se -> 0)."""

    slope: Coefficient
    limit: Coefficient
    df: int | None


def egger_test(yi: ArrayLike, vi: ArrayLike, *, method: str = "REML", test: str = "z") -> EggerTest:
    y, v = _vectors(yi, vi)
    fit = meta_analysis(y, v, np.sqrt(v), method=method, test=test, moderator_names=("sei",))
    return EggerTest(slope=fit.coefficients[1], limit=fit.coefficients[0], df=fit.df)


@dataclass(frozen=True)
class TrimAndFill:
    side: str  # where the missing studies were imputed: "left" or "right"
    k0: int
    se_k0: float
    filled_yi: Vector
    filled_vi: Vector
    result: MetaResult  # the model on the observed plus the filled studies


def trim_and_fill(yi: ArrayLike, vi: ArrayLike, *, method: str = "REML", test: str = "z",
                  max_iterations: int = 100) -> TrimAndFill:
    y, v = _vectors(yi, vi)
    side = _missing_side(y, v, method)
    flipped = -y if side == "right" else y
    order = np.argsort(flipped, kind="stable")
    sorted_y, sorted_v = flipped[order], v[order]
    k = len(y)
    k0, previous, se_k0, centre = 0, -1, 0.0, 0.0
    for _ in range(max_iterations):
        if k0 == previous:
            break
        previous = k0
        centre = _pooled(sorted_y[: k - k0], sorted_v[: k - k0], method)
        k0, se_k0 = _l0_estimate(sorted_y - centre)
    else:
        raise BadInput(f"trim and fill did not settle on a number of missing studies in {max_iterations} rounds")
    # Mirror the k0 largest (after flipping) studies about the trimmed estimate, then undo the flip.
    mirrored = 2 * centre - sorted_y[k - k0:]
    filled_yi = -mirrored if side == "right" else mirrored
    filled_vi = sorted_v[k - k0:]
    result = meta_analysis(np.concatenate([y, filled_yi]), np.concatenate([v, filled_vi]),
                           method=method, test=test)
    return TrimAndFill(side, k0, se_k0, filled_yi, filled_vi, result)


def _missing_side(y: Vector, v: Vector, method: str) -> str:
    slope = MetaAnalysis(method, "z", tau2_interval=False).fit(y, v, np.sqrt(v)).beta_[1]
    return "right" if slope < 0 else "left"


def _pooled(y: Vector, v: Vector, method: str) -> float:
    return float(MetaAnalysis(method, "z", tau2_interval=False).fit(y, v).beta_[0])


def _l0_estimate(centred: Vector) -> tuple[int, float]:
    """Duval and Tweedie's L0 from the signed ranks of |centred| (ties ranked by position)."""
    k = len(centred)
    ranks = np.empty(k)
    ranks[np.argsort(np.abs(centred), kind="stable")] = np.arange(1, k + 1)
    rank_sum = float(ranks[centred > 0].sum())
    k0 = (4 * rank_sum - k * (k + 1)) / (2 * k - 1)
    variance = (k * (k + 1) * (2 * k + 1) + 10 * k0**3 + 27 * k0**2 + 17 * k0
                - 18 * k * k0**2 - 18 * k * k0 + 6 * k**2 * k0) / 24
    se_k0 = max(0.0, 4 * float(np.sqrt(max(variance, 0.0))) / (2 * k - 1))
    return max(0, round(k0)), se_k0


@dataclass(frozen=True)
class SubgroupAnalysis:
    groups: dict[str, MetaResult]
    q_between: float
    df_between: int
    p_between: float


def subgroup_analysis(yi: ArrayLike, vi: ArrayLike, groups: Sequence[str], *, method: str = "REML",
                      test: str = "z") -> SubgroupAnalysis:
    y, v = _vectors(yi, vi)
    labels = np.asarray([str(g) for g in groups])
    if labels.shape != y.shape:
        raise BadInput(f"{labels.size} subgroup labels for {y.size} studies")
    fits = {name: meta_analysis(y[labels == name], v[labels == name], method=method, test=test)
            for name in dict.fromkeys(labels.tolist())}
    if len(fits) < 2:
        raise BadInput("a subgroup analysis needs at least two subgroups")
    estimates = np.array([fit.intercept.estimate for fit in fits.values()])
    variances = np.array([fit.intercept.se ** 2 for fit in fits.values()])
    between = weighted_fit(estimates, 1.0 / variances, np.ones((len(fits), 1)))
    df = len(fits) - 1
    return SubgroupAnalysis(fits, between.rss, df, float(stats.chi2.sf(between.rss, df)))


def _vectors(yi: ArrayLike, vi: ArrayLike) -> tuple[Vector, Vector]:
    y = np.asarray(yi, dtype=float).ravel()
    v = np.asarray(vi, dtype=float).ravel()
    if y.shape != v.shape:
        raise BadInput(f"yi has {y.size} values but vi has {v.size}")
    return y, v
