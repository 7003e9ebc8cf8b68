"""Hedges' g (metafor's SMD) from what a paper reports when it gives no means and SDs.

Every route goes through the two-sample t statistic of a pooled-variance t test with
df = n1 + n2 - 2: d = t * sqrt(1/n1 + 1/n2) (Borenstein et al. 2009, Introduction to
Meta-Analysis), then g = c(df) * d with Hedges' exact correction and the
variance 1/n1 + 1/n2 + g^2 / (2 (n1 + n2)), exactly as `escalc(measure="SMD")` treats means and
SDs; so a t statistic computed from means and SDs gives back the same g and variance.

- F with one numerator df (two groups): |t| = sqrt(F); the direction comes separately.
- two-sided p: |t| = the t quantile at 1 - p/2 with df = n1 + n2 - 2, as metafor's documentation
  does with `qt(p/2, df, lower.tail=FALSE)`; a "p < 0.05" bound gives a bound on |g|, not g.
- a confidence interval of the mean difference: SE = (upper - lower) / (2 t_{(1+level)/2, df})
  (Cochrane Handbook, version 6, section 6.5.2.3, with the t rather than the normal quantile,
  which the Handbook advises for small samples); t = MD / SE.
- a 2x2 table or a log odds ratio: d = ln(OR) * sqrt(3) / pi, var(d) = var(ln OR) * 3 / pi^2
  (Chinn 2000, Stat Med 19:3127-3131; metafor's measure "OR2DL"). No small-sample correction is
  applied, as in metafor.

`direction` is +1 where group 1 scored higher and -1 where group 2 did.

A within-subject (paired or crossover) t statistic gives metafor's SMCC instead: the mean change
over the SD of the changes is t / sqrt(n), so g = c(n - 1) t / sqrt(n) with the variance
1/n + g^2 / (2n), exactly what `escalc(measure="SMCC")` gives from the paired means and SDs.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from livingreview.effect_sizes import _formulas as formulas
from livingreview.effect_sizes._columns import (
    Column,
    EffectSizeInputError,
    as_column,
    check,
    check_group_size,
    check_pair,
    row_count,
)
from livingreview.effect_sizes._escalc import escalc, finish
from livingreview.effect_sizes._notes import RowNotes
from livingreview.effect_sizes._result import EffectSizes

LOGISTIC_SD = math.pi / math.sqrt(3)  # SD of the standard logistic distribution (Chinn 2000)


def smd_from_t(ti: ArrayLike, n1i: ArrayLike, n2i: ArrayLike) -> EffectSizes:
    """Hedges' g from a signed two-sample (pooled-variance) t statistic and the group sizes."""
    columns, notes = _columns(dict(ti=ti, n1i=n1i, n2i=n2i))
    return _from_t(columns["ti"], columns, notes, "t statistic")


def smcc_from_t(ti: ArrayLike, ni: ArrayLike) -> EffectSizes:
    """Standardized mean change (metafor's SMCC) from a signed paired-samples t statistic and the
    number of participants measured under both conditions."""
    rows = row_count(dict(ti=ti, ni=ni))
    columns = {"ti": as_column("ti", ti, rows), "ni": as_column("ni", ni, rows)}
    check_group_size("ni", columns["ni"])
    notes = RowNotes(rows)
    for name, column in columns.items():
        notes.add(np.isnan(column), f"{name} is missing")

    def formula(c: dict[str, Column], notes: RowNotes) -> formulas.Estimates:
        yi = formulas.hedges_correction(c["ni"] - 1) * c["ti"] / np.sqrt(c["ni"])
        notes.add(c["ni"] - 1 <= 1, "the small-sample correction c(ni - 1) is undefined for ni <= 2")
        return yi, 1 / c["ni"] + yi**2 / (2 * c["ni"])

    return finish("SMCC", formula, columns, notes, "paired t statistic")


def smd_from_f(fi: ArrayLike, n1i: ArrayLike, n2i: ArrayLike, direction: ArrayLike) -> EffectSizes:
    """Hedges' g from a two-group F statistic (1 numerator df, n1 + n2 - 2 denominator df)."""
    columns, notes = _columns(dict(fi=fi, n1i=n1i, n2i=n2i, direction=direction))
    check("fi", columns["fi"], lambda f: f >= 0, "an F statistic cannot be negative")
    return _from_t(columns["direction"] * np.sqrt(columns["fi"]), columns, notes, "F statistic")


def smd_from_p(pi: ArrayLike, n1i: ArrayLike, n2i: ArrayLike, direction: ArrayLike) -> EffectSizes:
    """Hedges' g from the exact two-sided p value of a pooled-variance two-sample t test."""
    columns, notes = _columns(dict(pi=pi, n1i=n1i, n2i=n2i, direction=direction))
    check("pi", columns["pi"], lambda p: (p > 0) & (p <= 1), "a two-sided p value must lie in (0, 1]")
    df = columns["n1i"] + columns["n2i"] - 2
    with np.errstate(invalid="ignore"):
        t = columns["direction"] * stats.t.isf(columns["pi"] / 2, df)
    return _from_t(t, columns, notes, "p value")


def smd_from_ci(ci_lb: ArrayLike, ci_ub: ArrayLike, n1i: ArrayLike, n2i: ArrayLike,
                mdi: ArrayLike | None = None, level: float = 0.95) -> EffectSizes:
    """Hedges' g from a confidence interval of the mean difference (group 1 - group 2); `mdi` is
    the reported difference, the interval's midpoint when not given."""
    if not 0 < level < 1:
        raise EffectSizeInputError(f"level={level!r}: expected a confidence level between 0 and 1, e.g. 0.95")
    given = dict(ci_lb=ci_lb, ci_ub=ci_ub, n1i=n1i, n2i=n2i) | ({} if mdi is None else {"mdi": mdi})
    columns, notes = _columns(given)
    lower, upper = columns["ci_lb"], columns["ci_ub"]
    check_pair("ci_lb", lower, "ci_ub", upper, lambda low, high: low < high, "the lower limit must be below the upper")
    difference = columns.get("mdi", (lower + upper) / 2)
    check("mdi", difference, lambda md: (md >= lower) & (md <= upper), "the mean difference lies outside its interval")
    df = columns["n1i"] + columns["n2i"] - 2
    with np.errstate(invalid="ignore"):
        se = (upper - lower) / (2 * stats.t.ppf((1 + level) / 2, df))
    return _from_t(difference / se, columns, notes, f"{level:.0%} CI of the mean difference")


def smd_from_log_or(yi: ArrayLike, vi: ArrayLike) -> EffectSizes:
    """Cohen's d from log odds ratios and their variances by Chinn's (2000) logistic conversion."""
    rows = row_count(dict(yi=yi, vi=vi))
    log_or, variance = as_column("yi", yi, rows), as_column("vi", vi, rows)
    check("vi", variance, lambda v: v >= 0, "a variance cannot be negative")
    notes = RowNotes(rows)
    notes.add(np.isnan(log_or), "yi is missing")
    notes.add(np.isnan(variance), "vi is missing")
    return finish("SMD", _chinn, {"yi": log_or, "vi": variance}, notes, "log odds ratio (Chinn 2000)")


def smd_from_2x2(*, ai: ArrayLike, ci: ArrayLike, bi: ArrayLike | None = None, di: ArrayLike | None = None,
                 n1i: ArrayLike | None = None, n2i: ArrayLike | None = None,
                 add: float = 0.5, to: str = "only0") -> EffectSizes:
    """Cohen's d from a 2x2 table through its log odds ratio (Chinn 2000); cells, zero-cell
    handling and notes as in escalc("OR", ...)."""
    table = escalc("OR", ai=ai, bi=bi, ci=ci, di=di, n1i=n1i, n2i=n2i, add=add, to=to)
    return finish("SMD", _chinn, {"yi": table.yi, "vi": table.vi}, RowNotes.carrying(table.notes),
                  "2x2 table (Chinn 2000)")


def _chinn(columns: dict[str, Column], notes: RowNotes) -> formulas.Estimates:
    return columns["yi"] / LOGISTIC_SD, columns["vi"] / LOGISTIC_SD**2


def _columns(given: dict[str, ArrayLike]) -> tuple[dict[str, Column], RowNotes]:
    rows = row_count(given)
    columns = {name: as_column(name, value, rows) for name, value in given.items()}
    for name in ("n1i", "n2i"):
        check_group_size(name, columns[name])
    if "direction" in columns:
        check("direction", columns["direction"], lambda sign: np.abs(sign) == 1,
              "direction must be +1 (group 1 higher) or -1 (group 2 higher)")
    notes = RowNotes(rows)
    for name, column in columns.items():
        notes.add(np.isnan(column), f"{name} is missing")
    return columns, notes


def _from_t(t: Column, columns: dict[str, Column], notes: RowNotes, computed_from: str) -> EffectSizes:
    def formula(c: dict[str, Column], notes: RowNotes) -> formulas.Estimates:
        return formulas.hedges_g(c["t"] * np.sqrt(1 / c["n1i"] + 1 / c["n2i"]), c["n1i"], c["n2i"])

    return finish("SMD", formula, {"t": t, "n1i": columns["n1i"], "n2i": columns["n2i"]}, notes, computed_from)
