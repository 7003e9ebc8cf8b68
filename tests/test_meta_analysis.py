"""Estimators beyond metafor's reference grid, the diagnostics and the plots.

PM, HS, SJ and EB are not in PyMARE's metafor reference, so each is checked against what defines it:
an independent dense-matrix computation of metafor's formula (P = W - WX(X'WX)^-1X'W built as a
k x k matrix) or the estimating equation the estimator solves. The data are the reference designs
read from the installed pymare package (see test_meta_analysis_metafor.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from test_meta_analysis_metafor import SAMPLE

from livingreview.synthesis import (
    ConvergenceError,
    MetaAnalysis,
    egger_test,
    forest_plot,
    funnel_plot,
    leave_one_out,
    meta_analysis,
    subgroup_analysis,
    trim_and_fill,
)
from livingreview.synthesis._weighted import generalised_q


def _design(name: str, moderators: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    rows = SAMPLE[name]
    y = np.array([float(r["y"]) for r in rows])
    v = np.array([float(r["v"]) for r in rows])
    mods = np.array([[float(r[f"mod{j + 1}"]) for j in range(moderators)] for r in rows]) if moderators else None
    return y, v, mods


def _dense_p(v_plus_tau2: np.ndarray, x: np.ndarray) -> np.ndarray:
    w = np.diag(1.0 / v_plus_tau2)
    return w - w @ x @ np.linalg.inv(x.T @ w @ x) @ x.T @ w


def _with_intercept(y: np.ndarray, mods: np.ndarray | None) -> np.ndarray:
    return np.column_stack([np.ones_like(y)] + ([] if mods is None else list(mods.T)))


DESIGNS = [("moderate_k20", 0), ("moderate_k20", 2), ("extreme_k10", 1), ("unequal_k5", 0)]


@pytest.mark.parametrize(("design", "moderators"), DESIGNS)
def test_hunter_schmidt_is_rss_minus_k_over_the_sum_of_weights(design, moderators):
    y, v, mods = _design(design, moderators)
    x = _with_intercept(y, mods)
    rss = y @ _dense_p(v, x) @ y
    expected = max(0.0, (rss - len(y)) / np.sum(1 / v))
    assert meta_analysis(y, v, mods, method="HS").tau2 == pytest.approx(expected, rel=1e-10, abs=1e-14)


@pytest.mark.parametrize(("design", "moderators"), DESIGNS)
def test_sidik_jonkman_rescales_its_crude_start_by_q_over_k_minus_p(design, moderators):
    y, v, mods = _design(design, moderators)
    x = _with_intercept(y, mods)
    start = np.var(y)  # divisor k
    expected = start * (y @ _dense_p(v + start, x) @ y) / (len(y) - x.shape[1])
    assert meta_analysis(y, v, mods, method="SJ").tau2 == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize(("design", "moderators"), DESIGNS)
def test_dersimonian_laird_matches_the_dense_trace_formula(design, moderators):
    y, v, mods = _design(design, moderators)
    x = _with_intercept(y, mods)
    p_matrix = _dense_p(v, x)
    expected = max(0.0, (y @ p_matrix @ y - (len(y) - x.shape[1])) / np.trace(p_matrix))
    assert meta_analysis(y, v, mods, method="DL").tau2 == pytest.approx(expected, rel=1e-10, abs=1e-14)


@pytest.mark.parametrize(("design", "moderators"), DESIGNS)
def test_paule_mandel_sets_the_generalised_q_to_its_degrees_of_freedom(design, moderators):
    y, v, mods = _design(design, moderators)
    x = _with_intercept(y, mods)
    tau2 = meta_analysis(y, v, mods, method="PM").tau2
    df = len(y) - x.shape[1]
    if tau2 == 0:
        assert generalised_q(0.0, y, v, x) <= df
    else:
        assert generalised_q(tau2, y, v, x) == pytest.approx(df, rel=1e-10)


@pytest.mark.parametrize(("design", "moderators"), DESIGNS)
def test_empirical_bayes_converges_to_the_paule_mandel_root(design, moderators):
    # Morris's EB equation, Q(tau2) * k / (k - p) = k, has the PM equation's root; EB stops when a
    # scoring step is below 1e-5, so it agrees with PM to about that.
    y, v, mods = _design(design, moderators)
    eb = meta_analysis(y, v, mods, method="EB").tau2
    pm = meta_analysis(y, v, mods, method="PM").tau2
    assert eb == pytest.approx(pm, abs=1e-5)


def test_reml_estimate_solves_the_restricted_score_equation():
    y, v, _ = _design("moderate_k20")
    result = meta_analysis(y, v)
    p_matrix = _dense_p(v + result.tau2, np.ones((len(y), 1)))
    score = y @ p_matrix @ p_matrix @ y - np.trace(p_matrix)
    assert result.tau2 > 0
    assert abs(score) < 1e-3 * np.trace(p_matrix @ p_matrix)  # within one step below the 1e-5 threshold


def test_knapp_hartung_uses_t_on_k_minus_p_df_and_the_residual_scale():
    y, v, _ = _design("moderate_k20")
    z = meta_analysis(y, v, test="z")
    knha = meta_analysis(y, v, test="knha")
    scale = np.sum((y - z.intercept.estimate) ** 2 / (v + z.tau2)) / (len(y) - 1)
    assert knha.df == len(y) - 1 and z.df is None
    assert knha.intercept.se == pytest.approx(z.intercept.se * np.sqrt(scale), rel=1e-12)
    assert knha.intercept.estimate == pytest.approx(z.intercept.estimate, rel=1e-12)


def test_prediction_interval_adds_tau2_to_the_variance_of_the_estimate():
    y, v, _ = _design("extreme_k10")
    result = meta_analysis(y, v, method="DL")
    half = 1.959963984540054 * np.sqrt(result.intercept.se ** 2 + result.tau2)
    assert result.pi == pytest.approx((result.intercept.estimate - half, result.intercept.estimate + half))


def test_equal_effects_model_has_no_tau2_interval_and_a_prediction_interval_equal_to_the_ci():
    y, v, _ = _design("equal_k5")
    result = meta_analysis(y, v, method="FE")
    assert result.method == "EE" and result.tau2 == 0 and result.tau2_ci is None
    assert result.pi == pytest.approx((result.intercept.ci_lb, result.intercept.ci_ub))


def test_one_study_is_its_own_estimate_with_no_heterogeneity():
    result = meta_analysis([0.3], [0.04], test="knha")
    assert result.intercept.estimate == 0.3 and result.intercept.se == pytest.approx(0.2)
    assert (result.tau2, result.q, result.q_pval, result.i2, result.test) == (0.0, 0.0, 1.0, 0.0, "z")


@pytest.mark.parametrize(("yi", "vi", "message"), [
    ([0.1, 0.2], [0.1], "yi has 2 values but vi has 1"),
    ([0.1, float("nan")], [0.1, 0.1], "must be finite"),
    ([0.1, 0.2], [0.1, 0.0], "sampling variances must be positive"),
])
def test_bad_input_is_refused_with_the_reason(yi, vi, message):
    with pytest.raises(ValueError, match=message):
        meta_analysis(yi, vi)


def test_unknown_method_and_test_list_the_valid_spellings():
    with pytest.raises(ValueError, match="REML"):
        MetaAnalysis(method="BAYES")
    with pytest.raises(ValueError, match="knha"):
        MetaAnalysis(test="t")


def test_summary_before_fit_is_an_error_and_fitted_attributes_end_in_underscore():
    model = MetaAnalysis()
    with pytest.raises(RuntimeError, match="fit"):
        model.summary()
    y, v, _ = _design("moderate_k20")
    model.fit(y, v)
    assert model.tau2_ > 0 and model.iterations_ >= 1 and model.beta_.shape == (1,)


def test_scoring_that_cannot_converge_raises_with_a_remedy(monkeypatch):
    from livingreview.synthesis import _estimators

    monkeypatch.setattr(_estimators, "SCORING_MAX_ITERATIONS", 1)
    y, v, _ = _design("moderate_k20")
    with pytest.raises(ConvergenceError, match="try another --method"):
        meta_analysis(y, v, method="REML")


def test_leave_one_out_refits_without_each_study():
    y, v, _ = _design("extreme_k10")
    rows = leave_one_out(y, v, method="DL")
    assert len(rows) == len(y)
    third = meta_analysis(np.delete(y, 2), np.delete(v, 2), method="DL")
    assert rows[2].estimate == pytest.approx(third.intercept.estimate, rel=1e-12)
    assert rows[2].tau2 == pytest.approx(third.tau2, rel=1e-12)


def test_egger_test_is_the_slope_on_the_standard_error_in_a_mixed_effects_model():
    y, v, _ = _design("moderate_k20")
    egger = egger_test(y, v, test="knha")
    fit = meta_analysis(y, v, np.sqrt(v), test="knha")
    assert egger.slope.name == "sei" and egger.df == len(y) - 2
    assert egger.slope.pval == pytest.approx(fit.coefficients[1].pval, rel=1e-12)
    assert egger.limit.estimate == pytest.approx(fit.intercept.estimate, rel=1e-12)


def test_trim_and_fill_restores_studies_removed_from_one_side_of_a_symmetric_funnel():
    # A funnel symmetric about 0.5, then the three small studies right of the centre suppressed.
    se = np.array([0.05, 0.1, 0.1, 0.15, 0.2, 0.2, 0.3, 0.3, 0.4, 0.4, 0.5, 0.5])
    offset = np.array([0.0, 0.05, -0.05, 0.1, 0.2, -0.2, 0.4, -0.4, 0.6, -0.6, 0.9, -0.9])
    keep = ~((offset > 0) & (se >= 0.3))
    y, v = (0.5 + offset)[keep], (se ** 2)[keep]
    result = trim_and_fill(y, v, method="EE")
    # L0 is an estimate: with nine studies left it finds two of the three suppressed ones.
    assert result.side == "right" and 1 <= result.k0 <= 3
    assert np.all(result.filled_yi > 0.5)
    assert result.result.k == len(y) + result.k0
    assert result.result.intercept.estimate > meta_analysis(y, v, method="EE").intercept.estimate


def test_l0_counts_from_the_signed_ranks_of_the_centred_effects():
    from livingreview.synthesis._diagnostics import _l0_estimate

    # |x| ranks 1..5; the positive ones (3, 4, 5) sum to 12; L0 = (4 * 12 - 5 * 6) / (2 * 5 - 1) = 2.
    k0, se_k0 = _l0_estimate(np.array([-1.0, -2.0, 3.0, 4.0, 5.0]))
    variance = (5 * 6 * 11 + 10 * 8 + 27 * 4 + 17 * 2 - 18 * 5 * 4 - 18 * 5 * 2 + 6 * 25 * 2) / 24
    assert k0 == 2 and se_k0 == pytest.approx(4 * np.sqrt(variance) / 9)


def test_trim_and_fill_mirrors_the_left_side_for_a_negative_effect_missing_small_null_studies():
    y, v = -np.array([0.5, 0.55, 0.45, 0.6, 0.3, 0.9, 0.1, 1.4]), np.array([.0025, .01, .01, .0225, .04, .09, .09, .25])
    flipped = trim_and_fill(-y, v, method="EE")
    original = trim_and_fill(y, v, method="EE")
    assert {flipped.side, original.side} == {"left", "right"}
    assert original.k0 == flipped.k0
    assert np.allclose(np.sort(original.filled_yi), np.sort(-flipped.filled_yi))


def test_subgroups_get_their_own_tau2_and_a_between_group_q():
    y, v, _ = _design("moderate_k20")
    groups = ["a"] * 10 + ["b"] * 10
    analysis = subgroup_analysis(y, v, groups)
    a, b = analysis.groups["a"].intercept, analysis.groups["b"].intercept
    wa, wb = 1 / a.se ** 2, 1 / b.se ** 2
    pooled = (wa * a.estimate + wb * b.estimate) / (wa + wb)
    expected = wa * (a.estimate - pooled) ** 2 + wb * (b.estimate - pooled) ** 2
    assert analysis.df_between == 1
    assert analysis.q_between == pytest.approx(expected, rel=1e-12)
    assert analysis.groups["a"].k == 10


def test_subgroup_analysis_needs_two_groups_and_one_label_per_study():
    y, v, _ = _design("equal_k5")
    with pytest.raises(ValueError, match="at least two"):
        subgroup_analysis(y, v, ["a"] * 5)
    with pytest.raises(ValueError, match="4 subgroup labels for 5 studies"):
        subgroup_analysis(y, v, ["a", "b", "a", "b"])


def test_forest_and_funnel_plots_are_written_as_png_and_svg(tmp_path: Path):
    y, v, _ = _design("moderate_k20")
    result = meta_analysis(y, v)
    forest = [tmp_path / "forest.png", tmp_path / "forest.svg"]
    forest_plot(result, forest, labels=[f"Trial {i}" for i in range(20)])
    funnel_plot(result, [tmp_path / "funnel.png"], filled=trim_and_fill(y, v))
    with Image.open(forest[0]) as image:
        assert image.size[1] > image.size[0] * 0.8  # one row per study: a tall figure
    assert "Trial 19" in forest[1].read_text(encoding="utf-8")
    assert (tmp_path / "funnel.png").stat().st_size > 10_000


def test_the_public_surface_is_pinned():
    import livingreview.synthesis as synthesis

    assert sorted(synthesis.__all__) == [
        "Coefficient", "ConvergenceError", "EggerTest", "LeaveOneOut", "METHODS", "MetaAnalysis", "MetaResult",
        "SubgroupAnalysis", "TESTS", "TrimAndFill", "egger_test", "forest_plot", "funnel_plot", "leave_one_out",
        "meta_analysis", "subgroup_analysis", "trim_and_fill",
    ]
    assert all(hasattr(synthesis, name) for name in synthesis.__all__)
