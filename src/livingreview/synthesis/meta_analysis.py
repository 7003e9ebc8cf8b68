"""Equal-effects and random-effects meta-analysis and meta-regression, numbers as metafor's rma.uni.

`MetaAnalysis` declares its settings at construction (estimator, test, confidence level) and
checks them there; `fit(yi, vi, mods)` stores what it estimated in attributes ending in an
underscore and `summary()` returns a `MetaResult` with everything metafor prints: coefficients with
their tests and intervals, tau^2 with its Q-profile interval, I^2 and H^2 (metafor's definitions,
with the "typical" sampling variance (k - p) / tr(P)), the Q test of residual heterogeneity, the
test of the moderators and the prediction interval.

Spellings: methods are metafor's ("EE" is the equal-effects model, "FE" and "CE" are accepted for
it); tests are "z" (Wald, normal), "knha" (Knapp and Hartung: t on k - p df with the variance
scaled by the weighted residual mean square) and "adhoc" (knha with the scale kept >= 1). The
descriptive names "wald", "knapp-hartung" and "knapp-hartung-adhoc" map onto them in `TESTS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from livingreview.errors import BadInput
from livingreview.synthesis._estimators import ESTIMATORS, ConvergenceError, Tau2Estimate
from livingreview.synthesis._tau2_ci import q_profile_interval
from livingreview.synthesis._weighted import Matrix, Vector, weighted_fit

METHODS = ("EE", "DL", "REML", "ML", "PM", "HE", "HS", "SJ", "EB")
METHOD_ALIASES = {"FE": "EE", "CE": "EE"}
TESTS = {"z": "z", "wald": "z", "knha": "knha", "knapp-hartung": "knha",
         "adhoc": "adhoc", "knapp-hartung-adhoc": "adhoc"}

__all__ = ["METHODS", "TESTS", "Coefficient", "ConvergenceError", "MetaAnalysis", "MetaResult", "meta_analysis"]


@dataclass(frozen=True)
class Coefficient:
    name: str
    estimate: float
    se: float
    zval: float
    pval: float
    ci_lb: float
    ci_ub: float


@dataclass(frozen=True)
class MetaResult:
    """One fitted model. `zval` is a t statistic under the knha and adhoc tests (metafor's naming)."""

    method: str
    test: str
    level: float
    k: int
    coefficients: tuple[Coefficient, ...]
    tau2: float
    tau2_ci: tuple[float, float] | None
    q: float
    q_pval: float
    i2: float
    h2: float
    df: int | None
    qm: float
    qm_pval: float
    pi: tuple[float, float]
    iterations: int
    yi: Vector = field(repr=False)
    vi: Vector = field(repr=False)
    weights: Vector = field(repr=False)  # percent of the total weight, as the forest plot shows

    @property
    def intercept(self) -> Coefficient:
        return self.coefficients[0]

    def to_dict(self) -> dict[str, Any]:
        """The flat figures `livingreview meta --json` prints (I^2 in percent, as metafor)."""
        first = self.intercept
        lower, upper = self.tau2_ci if self.tau2_ci else (None, None)
        return {
            "estimate": first.estimate, "se": first.se, "zval": first.zval, "pval": first.pval,
            "ci_lb": first.ci_lb, "ci_ub": first.ci_ub, "pi_lb": self.pi[0], "pi_ub": self.pi[1],
            "tau2": self.tau2, "tau2_ci_lb": lower, "tau2_ci_ub": upper,
            "i2": self.i2, "h2": self.h2, "q": self.q, "q_pval": self.q_pval, "k": self.k,
        }

    def summary(self) -> str:
        """A plain-text report laid out like metafor's print.rma.uni."""
        model = "Equal-effects model" if self.method == "EE" else "Random-effects model"
        if len(self.coefficients) > 1:
            model = "Mixed-effects model" if self.method != "EE" else "Equal-effects model with moderators"
        lines = [f"{model} (k = {self.k}; tau^2 estimator: {self.method}; test: {self.test})", ""]
        if self.method != "EE":
            interval = (f" ({100 * self.level:g}% CI {self.tau2_ci[0]:.4f} to {self.tau2_ci[1]:.4f})"
                        if self.tau2_ci else "")
            lines.append(f"tau^2 = {self.tau2:.4f}{interval}")
        lines.append(f"I^2 = {self.i2:.2f}%   H^2 = {self.h2:.2f}")
        lines.append(f"Q(df = {self.k - len(self.coefficients)}) = {self.q:.4f}, p = {self.q_pval:.4g}")
        if len(self.coefficients) > 1:
            lines.append(f"Test of moderators: QM = {self.qm:.4f}, p = {self.qm_pval:.4g}")
        lines.append("")
        statistic = "zval" if self.df is None else "tval"
        lines.append(f"{'':>10} {'estimate':>9} {'se':>8} {statistic:>8} {'pval':>8} {'ci.lb':>8} {'ci.ub':>8}")
        for row in self.coefficients:
            lines.append(f"{row.name:>10} {row.estimate:9.4f} {row.se:8.4f} {row.zval:8.4f} "
                         f"{row.pval:8.4g} {row.ci_lb:8.4f} {row.ci_ub:8.4f}")
        lines.append(f"prediction interval: {self.pi[0]:.4f} to {self.pi[1]:.4f}")
        return "\n".join(lines)


class MetaAnalysis:
    """An rma.uni-style model: `MetaAnalysis(method="REML", test="z").fit(yi, vi, mods).summary()`."""

    def __init__(self, method: str = "REML", test: str = "z", level: float = 0.95,
                 tau2_interval: bool = True) -> None:
        self.method = METHOD_ALIASES.get(method.upper(), method.upper())
        if self.method not in METHODS:
            raise BadInput(f"unknown tau^2 method {method!r}; expected one of {', '.join(METHODS)} (or FE)")
        if test.lower() not in TESTS:
            raise BadInput(f"unknown test {test!r}; expected one of {', '.join(TESTS)}")
        self.test = TESTS[test.lower()]
        if not 0 < level < 1:
            raise BadInput(f"confidence level must lie strictly between 0 and 1, got {level}")
        self.level = level
        self.tau2_interval = tau2_interval

    def fit(self, yi: ArrayLike, vi: ArrayLike, mods: ArrayLike | None = None,
            moderator_names: tuple[str, ...] | None = None) -> MetaAnalysis:
        y, v, x, names = _prepare(yi, vi, mods, moderator_names)
        if len(y) == 1:  # as metafor: one study has no heterogeneity to estimate and no t test
            self.test = "z"
        estimate = ESTIMATORS[self.method](y, v, x) if len(y) > 1 else Tau2Estimate(0.0)
        self.tau2_ = estimate.tau2
        self.iterations_ = estimate.iterations
        fit = weighted_fit(y, 1.0 / (v + self.tau2_), x)
        self.scale_ = self._knha_scale(fit.rss, x.shape)
        self.beta_ = fit.beta
        self.vcov_ = fit.cov_unscaled * self.scale_
        self._data = (y, v, x, names)
        return self

    def _knha_scale(self, rss: float, shape: tuple[int, int]) -> float:
        """Knapp and Hartung's factor: the weighted residual mean square (1 for the z test)."""
        if self.test == "z":
            return 1.0
        k, p = shape
        scale = 0.0 if rss <= np.finfo(float).eps else rss / (k - p)
        return max(1.0, scale) if self.test == "adhoc" else scale

    def summary(self) -> MetaResult:
        if not hasattr(self, "beta_"):
            raise RuntimeError("fit() the model before asking for its summary")
        y, v, x, names = self._data
        k, p = x.shape
        se = np.sqrt(np.diag(self.vcov_))
        zval = self.beta_ / se
        df = None if self.test == "z" else k - p
        crit, pval = _critical_and_p(zval, df, self.level)
        coefficients = tuple(
            Coefficient(name, float(b), float(s), float(z), float(pv), float(b - crit * s), float(b + crit * s))
            for name, b, s, z, pv in zip(names, self.beta_, se, zval, pval, strict=True))
        heterogeneity = _heterogeneity(y, v, x, self.tau2_, self.method)
        tau2_ci = (q_profile_interval(y, v, x, self.level)
                   if self.tau2_interval and self.method != "EE" and k > p else None)
        qm, qm_pval = _moderator_test(self.beta_, self.vcov_, df)
        half_width = crit * math.sqrt(se[0] ** 2 + self.tau2_)
        weights = 1.0 / (v + self.tau2_)
        return MetaResult(
            method=self.method, test=self.test, level=self.level, k=k, coefficients=coefficients,
            tau2=self.tau2_, tau2_ci=tau2_ci, df=df, qm=qm, qm_pval=qm_pval,
            pi=(float(self.beta_[0] - half_width), float(self.beta_[0] + half_width)),
            iterations=self.iterations_, yi=y, vi=v, weights=100 * weights / weights.sum(),
            **heterogeneity)


def meta_analysis(yi: ArrayLike, vi: ArrayLike, mods: ArrayLike | None = None, *, method: str = "REML",
                  test: str = "z", level: float = 0.95,
                  moderator_names: tuple[str, ...] | None = None) -> MetaResult:
    """Fit and summarise in one call (metafor's defaults: REML, z test, 95%)."""
    return MetaAnalysis(method, test, level).fit(yi, vi, mods, moderator_names).summary()


def _prepare(yi: ArrayLike, vi: ArrayLike, mods: ArrayLike | None,
             moderator_names: tuple[str, ...] | None) -> tuple[Vector, Vector, Matrix, tuple[str, ...]]:
    y = np.asarray(yi, dtype=float).ravel()
    v = np.asarray(vi, dtype=float).ravel()
    if y.shape != v.shape:
        raise BadInput(f"yi has {y.size} values but vi has {v.size}")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(v))):
        raise BadInput("yi and vi must be finite numbers (drop the studies whose effect cannot be computed)")
    if np.any(v <= 0):
        raise BadInput(f"sampling variances must be positive; vi[{int(np.argmin(v))}] = {v.min()}")
    columns = [np.ones_like(y)]
    names = ["intrcpt"]
    if mods is not None:
        moderators = np.asarray(mods, dtype=float)
        moderators = moderators.reshape(len(y), -1) if moderators.ndim == 1 else moderators
        if moderators.shape[0] != len(y) or not np.all(np.isfinite(moderators)):
            raise BadInput("moderators must be finite numbers, one row per study")
        columns.extend(moderators.T)
        names.extend(moderator_names or [f"mod{i + 1}" for i in range(moderators.shape[1])])
    x = np.column_stack(columns)
    k, p = x.shape
    if k < p + 1 and not (k == 1 and p == 1):
        raise BadInput(f"{k} studies cannot fit a model with {p} coefficients and tau^2")
    if p > 1 and np.linalg.matrix_rank(x) < p:
        raise BadInput("the moderators are collinear with the intercept or each other")
    return y, v, x, tuple(names)


def _critical_and_p(statistic: Vector, df: int | None, level: float) -> tuple[float, Vector]:
    upper = 1 - (1 - level) / 2
    if df is None:
        return float(stats.norm.ppf(upper)), 2 * stats.norm.sf(np.abs(statistic))
    return float(stats.t.ppf(upper, df)), 2 * stats.t.sf(np.abs(statistic), df)


def _heterogeneity(y: Vector, v: Vector, x: Matrix, tau2: float, method: str) -> dict[str, float]:
    """Q, its p-value, I^2 (percent) and H^2, always from the equal-effects weights 1/v."""
    k, p = x.shape
    if k == p:
        return {"q": 0.0, "q_pval": 1.0, "i2": 0.0, "h2": 1.0}
    fixed = weighted_fit(y, 1.0 / v, x)
    q = max(0.0, fixed.rss)
    q_pval = float(stats.chi2.sf(q, k - p))
    if method == "EE":
        i2 = max(0.0, 100 * (q - (k - p)) / q) if q > 0 else 0.0
        h2 = q / (k - p)
    else:
        typical = (k - p) / fixed.trace_p()
        i2 = 100 * tau2 / (typical + tau2)
        h2 = tau2 / typical + 1
    return {"q": q, "q_pval": q_pval, "i2": i2, "h2": h2}


def _moderator_test(beta: Vector, vcov: Matrix, df: int | None) -> tuple[float, float]:
    """Omnibus test of all coefficients but the intercept (chi-square, or F under knha)."""
    m = len(beta) - 1
    if m == 0:
        return math.nan, math.nan
    slopes = beta[1:]
    statistic = float(slopes @ np.linalg.solve(vcov[1:, 1:], slopes))
    if df is None:
        return statistic, float(stats.chi2.sf(statistic, m))
    return statistic / m, float(stats.f.sf(statistic / m, m, df))
