"""Effect sizes beyond the metafor reference grid: published worked values, properties and input checks.

Worked values come from metafor's own test suite (wviechtb/metafor, tests/testthat/test_misc_escalc.r
and test_analysis_example_morris2008.r), which prints them to 4 decimals (2 where quoted from a
paper); each was recomputed by hand from the formula before use. Tolerance: half a unit in the last
printed decimal.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import livingreview.effect_sizes as effect_sizes
from livingreview.effect_sizes import (
    MEASURES,
    EffectSizeInputError,
    escalc,
    hedges_correction,
    smd_from_2x2,
    smd_from_ci,
    smd_from_f,
    smd_from_log_or,
    smd_from_p,
    smd_from_t,
)

FOUR_DECIMALS = 5e-5 + 1e-12
TWO_DECIMALS = 5e-3 + 1e-12

# dat.normand1999 rows 1-4 (Normand 1999, Stat Med 18:321-359): length of hospital stay, specialist
# stroke unit (group 1) against routine care (group 2).
NORMAND = dict(m1i=[55, 27, 64, 66], sd1i=[47, 7, 17, 20], n1i=[155, 31, 75, 18],
               m2i=[75, 29, 119, 137], sd2i=[64, 4, 29, 48], n2i=[156, 32, 71, 18])

# Morris (2008, Organ Res Methods 11:364-386), treatment and control groups, pre and post.
MORRIS_T = dict(m_pre=[30.6, 23.5, 0.5, 53.4, 35.6], m_post=[38.5, 26.8, 0.7, 75.9, 36.0],
                sd_pre=[15.0, 3.1, 0.1, 14.5, 4.7], sd_post=[11.6, 4.1, 0.1, 4.4, 4.6],
                ni=[20, 50, 9, 10, 14], ri=[.47, .64, .77, .89, .44])
MORRIS_C = dict(m_pre=[23.1, 24.9, 0.6, 55.7, 34.8], m_post=[19.7, 25.3, 0.6, 60.7, 33.4],
                sd_pre=[13.8, 4.1, 0.2, 17.3, 3.1], sd_post=[14.8, 3.3, 0.2, 17.9, 6.9],
                ni=[20, 42, 9, 11, 14], ri=[.47, .64, .77, .89, .44])

# Two-group summaries for the property tests: balanced, unbalanced, negative and zero effects.
GROUPS = dict(m1i=np.array([0.8, 2.0, -1.0, 3.0, 0.5, 10.0]), sd1i=np.array([1.0, 0.9, 2.0, 1.0, 1.0, 4.0]),
              n1i=np.array([10, 12, 5, 25, 40, 300]), m2i=np.array([0.2, 1.4, 0.5, 0.5, 0.5, 9.0]),
              sd2i=np.array([1.0, 1.3, 1.5, 1.1, 1.0, 3.0]), n2i=np.array([10, 90, 400, 25, 40, 280]))


def _smcr(group: dict) -> effect_sizes.EffectSizes:
    return escalc("SMCR", m1i=group["m_post"], m2i=group["m_pre"], sd1i=group["sd_pre"], ni=group["ni"],
                  ri=group["ri"])


def _pooled_t(groups: dict) -> np.ndarray:
    n1, n2 = groups["n1i"], groups["n2i"]
    sp = np.sqrt(((n1 - 1) * groups["sd1i"] ** 2 + (n2 - 1) * groups["sd2i"] ** 2) / (n1 + n2 - 2))
    return (groups["m1i"] - groups["m2i"]) / (sp * np.sqrt(1 / n1 + 1 / n2))


# --- published worked values -------------------------------------------------------------------


def test_log_risk_ratio_of_the_first_bcg_trial():
    # dat.bcg trial 1 (Aronson 1948): 4/123 vaccinated and 11/139 unvaccinated developed tuberculosis.
    es = escalc("RR", ai=4, bi=119, ci=11, di=128)
    assert es.yi[0] == pytest.approx(-0.8893, abs=FOUR_DECIMALS)
    assert es.vi[0] == pytest.approx(0.3256, abs=FOUR_DECIMALS)


def test_log_odds_ratio_of_the_first_bcg_trial_with_its_interval():
    es = escalc("OR", ai=4, bi=119, ci=11, di=128)
    z = stats.norm.ppf(0.975)
    assert es.yi[0] / es.sei[0] == pytest.approx(-1.5708, abs=FOUR_DECIMALS)
    assert es.sei[0] == pytest.approx(0.5976, abs=FOUR_DECIMALS)
    assert es.yi[0] - z * es.sei[0] == pytest.approx(-2.1100, abs=FOUR_DECIMALS)
    assert es.yi[0] + z * es.sei[0] == pytest.approx(0.2326, abs=FOUR_DECIMALS)


def test_chinn_conversion_of_a_2x2_table_matches_metafors_or2d():
    # Handbook of Research Synthesis and Meta-Analysis, Table 13.4 (p. 242), as metafor's tests cite it.
    es = smd_from_2x2(ai=135, bi=15, ci=40, di=10)
    assert es.measure == "SMD"
    assert es.yi[0] == pytest.approx(0.4471, abs=FOUR_DECIMALS)
    assert es.sei[0] == pytest.approx(0.2460, abs=FOUR_DECIMALS)


def test_smd_and_rom_of_normand_1999():
    smd = escalc("SMD", **NORMAND)
    rom = escalc("ROM", **NORMAND)
    np.testing.assert_allclose(smd.yi, [-0.3552, -0.3479, -2.3176, -1.8880], atol=FOUR_DECIMALS, rtol=0)
    np.testing.assert_allclose(smd.vi, [0.0131, 0.0645, 0.0458, 0.1606], atol=FOUR_DECIMALS, rtol=0)
    np.testing.assert_allclose(rom.yi, [-0.3102, -0.0715, -0.6202, -0.7303], atol=FOUR_DECIMALS, rtol=0)
    np.testing.assert_allclose(rom.vi, [0.0094, 0.0028, 0.0018, 0.0119], atol=FOUR_DECIMALS, rtol=0)


def test_standardized_mean_change_by_raw_sd_reproduces_morris_2008_table_1():
    treated, control = _smcr(MORRIS_T), _smcr(MORRIS_C)
    np.testing.assert_allclose(treated.yi, [0.5056, 1.0481, 1.8054, 1.4181, 0.0801], atol=FOUR_DECIMALS, rtol=0)
    np.testing.assert_allclose(treated.vi, [0.0594, 0.0254, 0.2322, 0.1225, 0.0802], atol=FOUR_DECIMALS, rtol=0)
    np.testing.assert_allclose(control.yi, [-0.2365, 0.0958, 0.0, 0.2667, -0.4250], atol=FOUR_DECIMALS, rtol=0)
    np.testing.assert_allclose(control.vi, [0.0544, 0.0173, 0.0511, 0.0232, 0.0864], atol=FOUR_DECIMALS, rtol=0)
    # Morris (2008), Table 1, p. 368: the treatment minus control change, to two decimals.
    np.testing.assert_allclose(treated.yi - control.yi, [0.74, 0.95, 1.81, 1.15, 0.51], atol=TWO_DECIMALS, rtol=0)


def test_standardized_mean_change_by_change_sd_on_morris_2008():
    def smcc(group: dict) -> effect_sizes.EffectSizes:
        return escalc("SMCC", m1i=group["m_post"], m2i=group["m_pre"], sd1i=group["sd_post"],
                      sd2i=group["sd_pre"], ni=group["ni"], ri=group["ri"])

    treated, control = smcc(MORRIS_T), smcc(MORRIS_C)
    np.testing.assert_allclose(treated.yi, [0.5417, 1.0198, 2.6619, 1.9088, 0.0765], atol=FOUR_DECIMALS, rtol=0)
    np.testing.assert_allclose(treated.vi, [0.0573, 0.0304, 0.5048, 0.2822, 0.0716], atol=FOUR_DECIMALS, rtol=0)
    np.testing.assert_allclose(control.yi, [-0.2213, 0.1219, 0.0, 0.5575, -0.2126], atol=FOUR_DECIMALS, rtol=0)
    np.testing.assert_allclose(control.vi, [0.0512, 0.0240, 0.1111, 0.1050, 0.0730], atol=FOUR_DECIMALS, rtol=0)


def test_raw_mean_change_uses_the_pre_post_correlation():
    es = escalc("MC", m1i=26, m2i=22, sd1i=math.sqrt(30), sd2i=math.sqrt(20), ni=60, ri=0.7)
    assert es.yi[0] == 4.0
    assert es.vi[0] == pytest.approx(0.2618, abs=FOUR_DECIMALS)


def test_risk_difference_and_its_variance_for_a_table_worked_by_hand():
    # 10/50 against 5/50: RD = 0.2 - 0.1; vi = 0.2 * 0.8 / 50 + 0.1 * 0.9 / 50 = 0.0032 + 0.0018.
    es = escalc("RD", ai=10, n1i=50, ci=5, n2i=50)
    assert es.yi[0] == pytest.approx(0.1, abs=1e-15)
    assert es.vi[0] == pytest.approx(0.005, abs=1e-15)


# --- Hedges' correction ------------------------------------------------------------------------


def test_hedges_correction_has_its_closed_forms_and_approaches_one():
    # c(2) = Gamma(1) / Gamma(1/2) = 1 / sqrt(pi); c(4) = Gamma(2) / (sqrt(2) Gamma(3/2)) = sqrt(2 / pi).
    c = hedges_correction(np.array([2.0, 4.0, 10.0, 100.0, 1000.0, 1e6]))
    assert c[0] == pytest.approx(1 / math.sqrt(math.pi), rel=1e-14)
    assert c[1] == pytest.approx(math.sqrt(2 / math.pi), rel=1e-14)
    assert np.all(np.diff(c) > 0) and np.all(c < 1)
    m = np.array([10.0, 100.0, 1000.0])
    assert np.all(np.abs(hedges_correction(m) - (1 - 3 / (4 * m - 1))) < 0.05 / m**2)


def test_hedges_correction_is_undefined_for_one_degree_of_freedom_or_fewer():
    assert np.isnan(hedges_correction(np.array([0.0, 1.0]))).all()
    es = escalc("SMCR", m1i=1, m2i=0, sd1i=1, ni=2, ri=0.5)
    assert np.isnan(es.yi[0]) and "undefined for ni <= 2" in es.notes[0]


# --- conversions to SMD ------------------------------------------------------------------------


def test_t_statistic_reproduces_the_smd_from_means_and_sds():
    from_means = escalc("SMD", **GROUPS)
    from_t = smd_from_t(_pooled_t(GROUPS), GROUPS["n1i"], GROUPS["n2i"])
    np.testing.assert_allclose(from_t.yi, from_means.yi, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(from_t.vi, from_means.vi, rtol=1e-12)
    assert from_t.computed_from[0] == "t statistic"


def test_f_statistic_with_a_direction_reproduces_the_smd():
    t = _pooled_t(GROUPS)
    from_f = smd_from_f(t**2, GROUPS["n1i"], GROUPS["n2i"], direction=np.where(t < 0, -1, 1))
    from_means = escalc("SMD", **GROUPS)
    np.testing.assert_allclose(from_f.yi, from_means.yi, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(from_f.vi, from_means.vi, rtol=1e-12)


def test_two_sided_p_value_with_a_direction_reproduces_the_smd():
    t = _pooled_t(GROUPS)
    df = GROUPS["n1i"] + GROUPS["n2i"] - 2
    p = 2 * stats.t.sf(np.abs(t), df)
    from_p = smd_from_p(p, GROUPS["n1i"], GROUPS["n2i"], direction=np.where(t < 0, -1, 1))
    from_means = escalc("SMD", **GROUPS)
    # The t quantile is inverted numerically: agreement to 1e-9 rather than to rounding.
    np.testing.assert_allclose(from_p.yi, from_means.yi, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(from_p.vi, from_means.vi, rtol=1e-9)


@pytest.mark.parametrize("level", [0.95, 0.90])
def test_confidence_interval_of_the_mean_difference_reproduces_the_smd(level: float):
    n1, n2 = GROUPS["n1i"], GROUPS["n2i"]
    difference = GROUPS["m1i"] - GROUPS["m2i"]
    se = _pooled_se(GROUPS)
    half_width = stats.t.ppf((1 + level) / 2, n1 + n2 - 2) * se
    from_ci = smd_from_ci(difference - half_width, difference + half_width, n1, n2, mdi=difference, level=level)
    from_midpoint = smd_from_ci(difference - half_width, difference + half_width, n1, n2, level=level)
    from_means = escalc("SMD", **GROUPS)
    np.testing.assert_allclose(from_ci.yi, from_means.yi, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(from_midpoint.yi, from_means.yi, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(from_ci.vi, from_means.vi, rtol=1e-12)


def _pooled_se(groups: dict) -> np.ndarray:
    n1, n2 = groups["n1i"], groups["n2i"]
    sp = np.sqrt(((n1 - 1) * groups["sd1i"] ** 2 + (n2 - 1) * groups["sd2i"] ** 2) / (n1 + n2 - 2))
    return sp * np.sqrt(1 / n1 + 1 / n2)


def test_log_odds_ratio_conversion_equals_the_table_conversion():
    table = dict(ai=[135, 4, 0], bi=[15, 119, 10], ci=[40, 11, 3], di=[10, 128, 20])
    log_or = escalc("OR", **table)
    via_log_or = smd_from_log_or(log_or.yi, log_or.vi)
    via_table = smd_from_2x2(**table)
    np.testing.assert_allclose(via_log_or.yi, log_or.yi * math.sqrt(3) / math.pi, rtol=1e-15)
    np.testing.assert_allclose(via_table.yi, via_log_or.yi, rtol=1e-15)
    np.testing.assert_allclose(via_table.vi, log_or.vi * 3 / math.pi**2, rtol=1e-15)
    assert via_table.notes[2] == "0.5 added to each cell (to='only0')"


def test_missing_statistics_are_filled_from_another_route():
    groups = {name: values.astype(float).copy() for name, values in GROUPS.items()}
    groups["sd2i"][1] = np.nan
    from_means = escalc("SMD", **groups)
    assert np.isnan(from_means.yi[1]) and from_means.notes[1] == "sd2i is missing"
    filled = from_means.fill_missing(smd_from_t(_pooled_t(GROUPS), GROUPS["n1i"], GROUPS["n2i"]))
    np.testing.assert_allclose(filled.yi, escalc("SMD", **GROUPS).yi, rtol=1e-12, atol=1e-15)
    assert filled.computed_from[:3] == ("means and SDs", "t statistic", "means and SDs")
    assert filled.notes[1] is None


# --- symmetry and consistency ------------------------------------------------------------------


@pytest.mark.parametrize("measure", ["SMD", "MD", "ROM"])
def test_swapping_the_groups_negates_a_two_group_estimate(measure: str):
    groups = {name: np.abs(values) + 0.1 for name, values in GROUPS.items()} if measure == "ROM" else GROUPS
    forward = escalc(measure, **groups)
    swapped = escalc(measure, m1i=groups["m2i"], sd1i=groups["sd2i"], n1i=groups["n2i"],
                     m2i=groups["m1i"], sd2i=groups["sd1i"], n2i=groups["n1i"])
    np.testing.assert_allclose(swapped.yi, -forward.yi, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(swapped.vi, forward.vi, rtol=1e-13)


@pytest.mark.parametrize("measure", ["OR", "RR", "RD"])
def test_swapping_the_groups_negates_a_table_estimate(measure: str):
    table = dict(ai=np.array([4, 0, 30]), bi=np.array([119, 10, 70]), ci=np.array([11, 3, 30]),
                 di=np.array([128, 20, 70]))
    forward = escalc(measure, **table)
    swapped = escalc(measure, ai=table["ci"], bi=table["di"], ci=table["ai"], di=table["bi"])
    np.testing.assert_allclose(swapped.yi, -forward.yi, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(swapped.vi, forward.vi, rtol=1e-13)
    assert forward.yi[2] == 0.0


def test_events_with_group_sizes_equal_the_full_table_and_may_come_with_it():
    cells = escalc("OR", ai=[4, 0], bi=[119, 10], ci=[11, 3], di=[128, 20])
    sizes = escalc("OR", ai=[4, 0], n1i=[123, 10], ci=[11, 3], n2i=[139, 23])
    both = escalc("OR", ai=[4, 0], bi=[119, 10], n1i=[123, 10], ci=[11, 3], di=[128, 20], n2i=[139, 23])
    for other in (sizes, both):
        np.testing.assert_array_equal(cells.yi, other.yi)
        np.testing.assert_array_equal(cells.vi, other.vi)


def test_fisher_z_is_the_arctanh_of_the_correlation():
    r, n = np.array([-0.9, 0.0, 0.3, 0.99]), np.array([30, 40, 50, 25])
    assert np.array_equal(escalc("ZCOR", ri=r, ni=n).yi, np.arctanh(escalc("COR", ri=r, ni=n).yi))


def test_change_sd_standardization_equals_raw_when_the_change_sd_equals_sd1():
    # With sd2i = 0 the change-score SD is sd1i whatever ri is, so SMCC and SMCR share yi.
    smcc = escalc("SMCC", m1i=[3.0, 1.0], m2i=0, sd1i=[1.5, 2.0], sd2i=0, ni=[12, 30], ri=0.0)
    smcr = escalc("SMCR", m1i=[3.0, 1.0], m2i=0, sd1i=[1.5, 2.0], ni=[12, 30], ri=0.5)
    np.testing.assert_allclose(smcc.yi, smcr.yi, rtol=1e-15)
    np.testing.assert_allclose(smcr.vi - smcc.vi, 2 * (1 - 0.5) / np.array([12, 30]) - 1 / np.array([12, 30]))


# --- zero cells --------------------------------------------------------------------------------


def test_only_tables_with_a_zero_cell_get_a_half_in_each_cell():
    es = escalc("OR", ai=[0, 4], bi=[10, 119], ci=[3, 11], di=[20, 128])
    assert es.yi[0] == pytest.approx(math.log((0.5 * 20.5) / (10.5 * 3.5)), rel=1e-14)
    assert es.vi[0] == pytest.approx(1 / 0.5 + 1 / 10.5 + 1 / 3.5 + 1 / 20.5, rel=1e-14)
    assert es.yi[1] == pytest.approx(math.log((4 * 128) / (119 * 11)), rel=1e-14)
    assert es.notes == ("0.5 added to each cell (to='only0')", None)


def test_zero_cell_rules_all_if0all_and_none():
    table = dict(ai=[0, 4], bi=[10, 119], ci=[3, 11], di=[20, 128])
    everywhere = escalc("RR", **table, to="all")
    assert everywhere.yi[1] == pytest.approx(math.log((4.5 / 124) / (11.5 / 140)), rel=1e-14)
    assert escalc("RR", **table, to="if0all").yi[1] == everywhere.yi[1]
    assert escalc("RR", ai=4, bi=119, ci=11, di=128, to="if0all").notes == (None,)
    uncorrected = escalc("RR", **table, to="none")
    assert np.isnan(uncorrected.yi[0]) and np.isnan(uncorrected.vi[0])
    assert uncorrected.notes[0] == "the inputs give no finite estimate or variance"
    assert escalc("RD", **table, to="none").yi[0] == pytest.approx(0 - 3 / 23, rel=1e-14)
    tenth = escalc("OR", **table, add=0.1)
    assert tenth.yi[0] == pytest.approx(math.log((0.1 * 20.1) / (10.1 * 3.1)), rel=1e-14)


# --- within-subject correlation ----------------------------------------------------------------


def test_pre_post_correlation_comes_from_the_default_where_a_row_has_none():
    es = escalc("SMCR", m1i=[38.5, 26.8], m2i=[30.6, 23.5], sd1i=[15.0, 3.1], ni=[20, 50], ri=[0.47, None],
                ri_default=0.64)
    reported = _smcr(MORRIS_T)
    np.testing.assert_allclose(es.yi, reported.yi[:2], rtol=1e-15)
    np.testing.assert_allclose(es.vi, reported.vi[:2], rtol=1e-15)
    assert es.notes == (None, "pre-post correlation not reported; assumed ri = 0.64")
    whole = escalc("MC", m1i=[1, 2], m2i=0, sd1i=1, sd2i=1, ni=10, ri_default=0.5)
    np.testing.assert_allclose(whole.vi, [0.1, 0.1], rtol=1e-15)


def test_correlation_variance_is_undefined_for_four_or_fewer_as_in_metafor():
    es = escalc("COR", ri=[0.5, 0.5], ni=[4, 5])
    assert es.yi[0] == 0.5 and np.isnan(es.vi[0])
    assert "ni <= 4" in es.notes[0]
    assert es.vi[1] == pytest.approx(0.75**2 / 4, rel=1e-15) and es.notes[1] is None


# --- rows that cannot be computed --------------------------------------------------------------


def test_a_missing_value_makes_only_its_row_nan_with_a_note():
    es = escalc("MD", m1i=[1.0, None, 3.0, "2.5", " "], sd1i=1, n1i=10, m2i=0, sd2i=1, n2i=10)
    assert list(np.isnan(es.yi)) == [False, True, False, False, True]
    assert es.notes == (None, "m1i is missing", None, None, "m1i is missing")
    assert es.yi[3] == 2.5


def test_zero_sds_and_unsigned_ratios_give_nan_with_the_reason():
    smd = escalc("SMD", m1i=[1.0, 1.0], sd1i=[0.0, 1.0], n1i=10, m2i=0.0, sd2i=[0.0, 1.0], n2i=10)
    assert np.isnan(smd.yi[0]) and "both standard deviations are 0" in smd.notes[0]
    rom = escalc("ROM", m1i=[-1.0, 2.0], sd1i=1, n1i=10, m2i=[1.0, 1.0], sd2i=1, n2i=10)
    assert np.isnan(rom.yi[0]) and "same sign" in rom.notes[0]
    assert rom.yi[1] == pytest.approx(math.log(2.0), rel=1e-15)


def test_scalars_give_one_row_of_float_arrays():
    es = escalc("MN", mi=5, sdi=2, ni=16)
    assert es.yi.dtype == np.float64 and es.yi.shape == (1,) and es.vi[0] == 0.25 and len(es) == 1


# --- input errors name the argument and row ----------------------------------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: escalc("SMD", m1i=1, sd1i=[1, -2], n1i=10, m2i=0, sd2i=1, n2i=10), "sd1i[1] = -2: a standard deviation"),
    (lambda: escalc("MD", m1i=1, sd1i=1, n1i=[10, 1], m2i=0, sd2i=1, n2i=10), "n1i[1] = 1: a sample size must be"),
    (lambda: escalc("COR", ri=[0.2, 0.5, 1.2], ni=30), "ri[2] = 1.2: a correlation must lie strictly between"),
    (lambda: escalc("SMCC", m1i=1, m2i=0, sd1i=1, sd2i=1, ni=10, ri=-1), "ri[0] = -1"),
    (lambda: escalc("SMCR", m1i=1, m2i=0, sd1i=1, ni=10, ri_default=1.5),
     "ri_default=1.5: a correlation must lie strictly between"),
    (lambda: escalc("SMD", m1i=1, sd1i=1, n1i=10, m2i=0, n2i=10), "missing: sd2i"),
    (lambda: escalc("SMCC", m1i=1, m2i=0, sd1i=1, sd2i=1, ni=10), "missing: ri"),
    (lambda: escalc("OR", ai=1, ci=2, di=3), "missing: bi"),
    (lambda: escalc("SMD2", m1i=1), "unknown measure 'SMD2'; escalc computes SMD, MD"),
    (lambda: escalc("MD", m1i=1, sd1i=1, n1i=10, m2i=0, sd2i=1, n2i=10, ri=0.5), "does not use ri"),
    (lambda: escalc("COR", ri=0.3, ni=20, ri_default=0.5), "drop ri_default"),
    (lambda: escalc("MN", mi=[1, 2], sdi=[1, 2, 3], ni=10), "mi has 2, sdi has 3 rows"),
    (lambda: escalc("MN", mi=[1, "n/a"], sdi=1, ni=10), "mi[1] = 'n/a': expected a number"),
    (lambda: escalc("MN", mi=[1, float("inf")], sdi=1, ni=10), "mi[1] = inf: is infinite"),
    (lambda: escalc("RR", ai=[3, 12], n1i=[10, 10], ci=1, n2i=10),
     "ai[1] = 12: more events than the group has (n1i[1] = 10)"),
    (lambda: escalc("RR", ai=[1, 2], bi=9, n1i=10, ci=1, di=9),
     "ai+bi[1] = 11: the cells do not add up to the group size (n1i[1] = 10)"),
    (lambda: escalc("RD", ai=[-1], bi=9, ci=1, di=9), "ai[0] = -1: a count cannot be negative"),
    (lambda: escalc("OR", ai=1, bi=9, ci=1, di=9, to="some"), "to='some': expected one of only0"),
    (lambda: escalc("OR", ai=1, bi=9, ci=1, di=9, add=-0.5), "add=-0.5: expected a finite number >= 0"),
    (lambda: smd_from_p([0.03, 0.0], 10, 10, direction=1), "pi[1] = 0: a two-sided p value must lie in (0, 1]"),
    (lambda: smd_from_p(0.03, 10, 10, direction=[1, 0]), "direction[1] = 0: direction must be +1"),
    (lambda: smd_from_f(-4.0, 10, 10, direction=1), "fi[0] = -4: an F statistic cannot be negative"),
    (lambda: smd_from_t(2.0, n1i=[10, 1], n2i=10), "n1i[1] = 1"),
    (lambda: smd_from_ci(2.0, 1.0, 10, 10), "ci_lb[0] = 2: the lower limit must be below the upper (ci_ub[0] = 1)"),
    (lambda: smd_from_ci(1.0, 2.0, 10, 10, mdi=3.0), "mdi[0] = 3: the mean difference lies outside"),
    (lambda: smd_from_ci(1.0, 2.0, 10, 10, level=95), "level=95: expected a confidence level"),
    (lambda: smd_from_log_or(0.5, -0.1), "vi[0] = -0.1: a variance cannot be negative"),
])
def test_bad_input_is_refused_naming_the_argument_and_row(call, message: str):
    with pytest.raises(EffectSizeInputError) as error:
        call()
    assert message in str(error.value)


# --- public surface ----------------------------------------------------------------------------


def test_public_api_is_pinned():
    assert sorted(effect_sizes.__all__) == sorted([
        "MEASURES", "EffectSizeInputError", "EffectSizes", "Measure", "escalc", "hedges_correction",
        "smcc_from_t", "smd_from_2x2", "smd_from_ci", "smd_from_f", "smd_from_log_or", "smd_from_p", "smd_from_t"])
    assert list(MEASURES) == ["SMD", "MD", "ROM", "OR", "RR", "RD", "COR", "ZCOR", "MN", "MC", "SMCC", "SMCR"]
    assert MEASURES["OR"].argument_sets == (("ai", "bi", "ci", "di"), ("ai", "n1i", "ci", "n2i"))
