"""The closed forms behind each measure, as metafor's `escalc` (version 4.6.0) computes them with
its default `vtype="LS"` (large-sample variances). Each function takes float columns and returns
(yi, vi); rows it cannot compute come back NaN and get a note.

Sources: Hedges (1981, J Educ Stat 6:107-128) for the exact small-sample correction c(m);
Borenstein et al. (2009, Introduction to Meta-Analysis) for MD, SMD, OR, RR, RD and the
correlations; Hedges, Gurevitch & Curtis (1999, Ecology 80:1150-1156) for the log ratio of means;
Becker (1988, Br J Math Stat Psychol 41:257-278) for SMCR and Gibbons, Hedeker & Davis (1993,
J Educ Stat 18:271-279) for SMCC; metafor's `escalc` help page for which variance each measure
uses by default.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

from livingreview.effect_sizes._columns import Column
from livingreview.effect_sizes._notes import RowNotes

Estimates = tuple[Column, Column]


def hedges_correction(m: Column | float) -> Column:
    """Hedges' exact bias correction c(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)) for a
    standardized mean with m degrees of freedom (m = n1 + n2 - 2 for SMD, n - 1 for SMCC/SMCR).

    Computed on the log scale, as metafor does, because Gamma(m/2) overflows a double from m ~ 344;
    undefined (NaN) for m <= 1. The familiar 1 - 3/(4m - 1) is an approximation of it.
    """
    m = np.atleast_1d(np.asarray(m, dtype=np.float64))
    with np.errstate(invalid="ignore", divide="ignore"):
        exact = np.exp(gammaln(m / 2) - np.log(np.sqrt(m / 2)) - gammaln((m - 1) / 2))
    return np.where(m > 1, exact, np.nan)


def hedges_g(d: Column, n1: Column, n2: Column) -> Estimates:
    """Cohen's d on pooled SDs -> Hedges' g and its large-sample variance (metafor's SMD, vtype LS)."""
    g = hedges_correction(n1 + n2 - 2) * d
    return g, 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))


def pooled_sd(sd1: Column, sd2: Column, n1: Column, n2: Column) -> Column:
    return np.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2))


def smd(c: dict[str, Column], notes: RowNotes) -> Estimates:
    sp = pooled_sd(c["sd1i"], c["sd2i"], c["n1i"], c["n2i"])
    notes.add(sp == 0, "both standard deviations are 0, so the difference cannot be standardized")
    return hedges_g((c["m1i"] - c["m2i"]) / sp, c["n1i"], c["n2i"])


def md(c: dict[str, Column], notes: RowNotes) -> Estimates:
    return c["m1i"] - c["m2i"], c["sd1i"] ** 2 / c["n1i"] + c["sd2i"] ** 2 / c["n2i"]


def rom(c: dict[str, Column], notes: RowNotes) -> Estimates:
    ratio = c["m1i"] / c["m2i"]
    notes.add(~(ratio > 0) & np.isfinite(c["m1i"]) & np.isfinite(c["m2i"]),
              "a log ratio of means needs two means of the same sign, neither of them 0")
    vi = c["sd1i"] ** 2 / (c["n1i"] * c["m1i"] ** 2) + c["sd2i"] ** 2 / (c["n2i"] * c["m2i"] ** 2)
    return np.log(ratio), vi


def log_odds_ratio(c: dict[str, Column], notes: RowNotes) -> Estimates:
    a, b, cc, d = c["ai"], c["bi"], c["ci"], c["di"]
    return np.log(a / b) - np.log(cc / d), 1 / a + 1 / b + 1 / cc + 1 / d


def log_risk_ratio(c: dict[str, Column], notes: RowNotes) -> Estimates:
    a, cc = c["ai"], c["ci"]
    n1, n2 = a + c["bi"], cc + c["di"]
    return np.log(a / n1) - np.log(cc / n2), 1 / a - 1 / n1 + 1 / cc - 1 / n2


def risk_difference(c: dict[str, Column], notes: RowNotes) -> Estimates:
    n1, n2 = c["ai"] + c["bi"], c["ci"] + c["di"]
    p1, p2 = c["ai"] / n1, c["ci"] / n2
    return p1 - p2, p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2


def _small_correlation_sample(c: dict[str, Column], notes: RowNotes, vi: Column) -> Column:
    # metafor leaves the sampling variance of a correlation undefined for ni <= 4 (and keeps yi).
    small = c["ni"] <= 4
    notes.add(small, "the sampling variance of a correlation is left undefined for ni <= 4, as in metafor")
    return np.where(small, np.nan, vi)


def correlation(c: dict[str, Column], notes: RowNotes) -> Estimates:
    r = c["ri"]
    return r, _small_correlation_sample(c, notes, (1 - r**2) ** 2 / (c["ni"] - 1))


def fisher_z(c: dict[str, Column], notes: RowNotes) -> Estimates:
    return np.arctanh(c["ri"]), _small_correlation_sample(c, notes, 1 / (c["ni"] - 3))


def mean(c: dict[str, Column], notes: RowNotes) -> Estimates:
    return c["mi"].copy(), c["sdi"] ** 2 / c["ni"]


def _change_correction(c: dict[str, Column], notes: RowNotes) -> Column:
    cm = hedges_correction(c["ni"] - 1)
    notes.add(c["ni"] - 1 <= 1, "the small-sample correction c(ni - 1) is undefined for ni <= 2")
    return cm


def mean_change(c: dict[str, Column], notes: RowNotes) -> Estimates:
    var_change = c["sd1i"] ** 2 + c["sd2i"] ** 2 - 2 * c["ri"] * c["sd1i"] * c["sd2i"]
    return c["m1i"] - c["m2i"], var_change / c["ni"]


def standardized_change_by_change_sd(c: dict[str, Column], notes: RowNotes) -> Estimates:
    sd_change = np.sqrt(c["sd1i"] ** 2 + c["sd2i"] ** 2 - 2 * c["ri"] * c["sd1i"] * c["sd2i"])
    notes.add(sd_change == 0, "the SD of the change scores is 0, so the change cannot be standardized")
    yi = _change_correction(c, notes) * (c["m1i"] - c["m2i"]) / sd_change
    return yi, 1 / c["ni"] + yi**2 / (2 * c["ni"])


def standardized_change_by_raw_sd(c: dict[str, Column], notes: RowNotes) -> Estimates:
    notes.add(c["sd1i"] == 0, "sd1i is 0, so the change cannot be standardized")
    yi = _change_correction(c, notes) * (c["m1i"] - c["m2i"]) / c["sd1i"]
    return yi, 2 * (1 - c["ri"]) / c["ni"] + yi**2 / (2 * c["ni"])
