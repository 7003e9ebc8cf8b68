"""Worked examples whose metafor results are printed in metafor's own test suite.

These cover what PyMARE's reference grid does not: the PM, HS, SJ and EB estimators and leave-one-out.
Data and expected values are facts from the cited examples; the computations are ours.
"""

from __future__ import annotations

import numpy as np
import pytest

from livingreview.synthesis import egger_test, leave_one_out, meta_analysis

# CLASP trial data (DerSimonian and Kacker 2007, Contemp Clin Trials 28:105-114), as in metafor's
# tests/testthat/test_analysis_example_dersimonian2007.r.
CLASP_N1 = np.array([156, 303, 565, 1570, 103, 4659.0])
CLASP_N2 = np.array([74, 303, 477, 1565, 105, 4650.0])
CLASP_EVENTS1 = np.array([5, 5, 12, 69, 9, 313.0])
CLASP_EVENTS2 = np.array([8, 17, 9, 94, 11, 352.0])

# metafor's expected (tau, mu, se) rounded to 4 decimals, which reproduce DerSimonian and Kacker's
# Tables 3 and 4. metafor's "HE" is their "CA" (Cochran's ANOVA estimator).
CLASP_EXPECTED = {
    "PM": (0.3681, -0.3811, 0.2060), "HE": (0.4410, -0.4035, 0.2327), "DL": (0.2323, -0.3240, 0.1540),
    "EB": (0.3681, -0.3811, 0.2060), "ML": (0.0023, -0.1974, 0.0694), "REML": (0.1843, -0.2980, 0.1343),
    "HS": (0.1330, -0.2666, 0.1125), "SJ": (0.4572, -0.4079, 0.2386),
}

# dat.bcg (Colditz et al. 1994, JAMA 271:698-702): BCG vaccine trials, tuberculosis cases and
# non-cases among vaccinated (tpos, tneg) and unvaccinated (cpos, cneg) participants.
BCG = np.array([
    (4, 119, 11, 128), (6, 300, 29, 274), (3, 228, 11, 209), (62, 13536, 248, 12619),
    (33, 5036, 47, 5761), (180, 1361, 372, 1079), (8, 2537, 10, 619), (505, 87886, 499, 87892),
    (29, 7470, 45, 7232), (17, 1699, 65, 1600), (186, 50448, 141, 27197), (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
], dtype=float)


# dat.egger2001: the magnesium trials in acute myocardial infarction of Egger et al. (2001), deaths and
# patients with magnesium (ai, n1i) and control (ci, n2i). The table reproduces metafor's Egger z to
# the four decimals its tests print, which is also the check that it is transcribed right.
MAGNESIUM = np.array([
    (1, 40, 2, 36), (9, 135, 23, 135), (2, 200, 7, 200), (1, 48, 1, 46), (10, 150, 8, 148), (1, 59, 9, 56),
    (1, 25, 3, 23), (0, 22, 1, 21), (6, 76, 11, 75), (1, 27, 7, 27), (2, 89, 12, 80), (5, 23, 13, 33),
    (4, 130, 8, 122), (90, 1159, 118, 1157), (4, 107, 17, 108), (2216, 29011, 2103, 29039),
], dtype=float)


def _magnesium_log_odds_ratios() -> tuple[np.ndarray, np.ndarray]:
    events1, n1, events2, n2 = MAGNESIUM.T
    cells = np.column_stack([events1, n1 - events1, events2, n2 - events2])
    cells = cells + 0.5 * (cells == 0).any(axis=1, keepdims=True)  # escalc's add = 1/2, to = "only0"
    a, b, c, d = cells.T
    return np.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d


def _log_odds_ratios() -> tuple[np.ndarray, np.ndarray]:
    a, c = CLASP_EVENTS1, CLASP_EVENTS2
    b, d = CLASP_N1 - a, CLASP_N2 - c
    return np.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d


def _log_risk_ratios() -> tuple[np.ndarray, np.ndarray]:
    tpos, tneg, cpos, cneg = BCG.T
    yi = np.log(tpos / (tpos + tneg)) - np.log(cpos / (cpos + cneg))
    vi = 1 / tpos - 1 / (tpos + tneg) + 1 / cpos - 1 / (cpos + cneg)
    return yi, vi


@pytest.mark.parametrize("method", sorted(CLASP_EXPECTED))
def test_clasp_estimators_agree_with_metafor_to_the_four_printed_decimals(method: str):
    yi, vi = _log_odds_ratios()
    result = meta_analysis(yi, vi, method=method)
    ours = (np.sqrt(result.tau2), result.intercept.estimate, result.intercept.se)
    assert np.round(ours, 4) == pytest.approx(CLASP_EXPECTED[method], abs=1e-9)


def test_bcg_reml_fit_agrees_with_metafors_influence_example():
    # test_misc_influence.r: tau2 = 0.313243325980895, QE = 152.233008082373.
    yi, vi = _log_risk_ratios()
    result = meta_analysis(yi, vi)
    assert result.tau2 == pytest.approx(0.313243325980895, rel=1e-5)  # REML: iterative (see metafor test)
    assert result.q == pytest.approx(152.233008082373, rel=1e-9)


def test_bcg_leave_one_out_agrees_with_metafors_leave1out():
    # test_misc_influence.r, leave1out(res)[1], the fit without the first trial.
    yi, vi = _log_risk_ratios()
    first = leave_one_out(yi, vi)[0]
    expected = {
        "estimate": -0.707083788031436, "se": 0.189961024702717, "zval": -3.72225717953459,
        "pval": 0.000197449759023198, "ci_lb": -1.07940055491509, "ci_ub": -0.334767021147788,
        "q": 151.582572747109, "q_pval": 7.0778599767807e-27, "tau2": 0.336156745300306,
        "i2": 93.2259349111223, "h2": 14.762184698253,
    }
    for name, value in expected.items():
        # REML is iterative: metafor's 1e-5 stopping rule bounds the difference (see the reference test).
        assert getattr(first, name) == pytest.approx(value, rel=1e-5), name


def test_egger_test_agrees_with_metafors_regtest_on_the_magnesium_trials():
    # test_misc_pub_bias.r: regtest(rma(yi, vi)) gives z = -4.6686 (REML, z test, predictor sei).
    yi, vi = _magnesium_log_odds_ratios()
    assert round(egger_test(yi, vi).slope.zval, 4) == -4.6686
