"""GRADE certainty: the start, each downgrade domain with its reason, upgrades, overrides, SoF rows."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from livingreview.synthesis.certainty import (
    BodyOfEvidence,
    DomainOverride,
    GradeThresholds,
    PooledEffect,
    StudyEvidence,
    optimal_information_size,
    rate_certainty,
    summary_of_findings,
)


def studies(k: int = 10, *, rob: tuple[str, ...] = (), weight: float | None = 10.0, n: int | None = 60,
            estimate: float | None = 0.5, indirect: int = 0) -> tuple[StudyEvidence, ...]:  # fmt: skip
    """k studies of equal weight; the first ones take the given risk-of-bias judgements."""
    judgements = list(rob) + ["Low"] * (k - len(rob))
    return tuple(
        StudyEvidence(f"S{i + 1}", judgements[i], weight, n, estimate, indirect=i < indirect) for i in range(k)
    )


CLEAN_EFFECT = PooledEffect("SMD", 0.5, 0.35, 0.65, i2=10.0, egger_p=0.6)


def clean(**changes) -> BodyOfEvidence:
    """Randomised, 10 low-risk studies, 600 participants, precise, consistent: High certainty."""
    body = BodyOfEvidence("ketamine: dissociation", "randomised", studies(), CLEAN_EFFECT)
    return replace(body, **changes)


def domain(body: BodyOfEvidence, name: str, thresholds: GradeThresholds | None = None):
    return next(d for d in rate_certainty(body, thresholds).downgrades if d.domain == name)


def test_clean_randomised_evidence_is_high_with_no_reasons() -> None:
    rating = rate_certainty(clean())
    assert rating.start == "High" and rating.certainty == "High"
    assert [d.levels for d in rating.downgrades] == [0, 0, 0, 0, 0]
    assert rating.reasons() == ()


# Risk of bias


def test_quarter_of_weight_at_high_risk_rates_down_once() -> None:
    rated = domain(clean(studies=studies(8, rob=("High", "High"))), "risk_of_bias")
    assert rated.levels == 1
    assert rated.reason == "25% of the weight from studies at high or serious risk of bias (S1, S2)"


def test_half_of_weight_at_serious_or_critical_risk_rates_down_twice() -> None:
    body = clean(studies=studies(4, rob=("Serious", "Critical")), design="non-randomised")
    assert domain(body, "risk_of_bias").levels == 2


def test_most_studies_with_some_concerns_rates_down_once() -> None:
    rated = domain(clean(studies=studies(4, rob=("Some concerns", "Moderate"))), "risk_of_bias")
    assert rated.levels == 1 and rated.reason == "50% of the weight from studies not at low risk of bias"


def test_risk_of_bias_counts_studies_when_a_weight_is_missing() -> None:
    mixed = studies(4, rob=("High",), weight=None)
    rated = domain(clean(studies=mixed), "risk_of_bias")
    assert rated.levels == 1 and "25% of the studies" in rated.reason


def test_weights_decide_the_share() -> None:
    heavy_high = (StudyEvidence("Big", "High", 70.0, 300, 0.5),) + studies(3, weight=10.0)
    assert domain(clean(studies=heavy_high), "risk_of_bias").levels == 2


# Inconsistency


@pytest.mark.parametrize(
    ("i2", "estimates", "levels"),
    [
        (40.0, [0.5] * 10, 0),
        (60.0, [0.5] * 10, 1),
        (80.0, [0.5] * 10, 1),
        (80.0, [0.5] * 7 + [-0.3] * 3, 2),
        (20.0, [0.5] * 7 + [-0.3] * 3, 1),
        (20.0, [0.5] * 8 + [-0.3] * 2, 0),
    ],
)
def test_inconsistency_from_i2_and_direction(i2: float, estimates: list[float], levels: int) -> None:
    body = clean(
        studies=tuple(replace(s, estimate=e) for s, e in zip(studies(), estimates, strict=True)),
        effect=replace(CLEAN_EFFECT, i2=i2),
    )
    assert domain(body, "inconsistency").levels == levels


def test_inconsistency_reason_gives_i2_and_share_on_the_other_side() -> None:
    body = clean(
        studies=tuple(replace(s, estimate=-0.2 if i < 3 else 0.6) for i, s in enumerate(studies())),
        effect=replace(CLEAN_EFFECT, i2=82.0),
    )
    assert domain(body, "inconsistency").reason == "I² = 82%; 30% of the weight on the other side of no effect"


def test_single_study_inconsistency_is_not_judged() -> None:
    rated = domain(clean(studies=studies(1, n=600)), "inconsistency")
    assert rated.levels == 0 and rated.reason == "a single study: inconsistency cannot be judged"


# Indirectness


def test_half_of_weight_indirect_rates_down_once() -> None:
    rated = domain(clean(studies=studies(4, indirect=2, n=200)), "indirectness")
    assert rated.levels == 1 and rated.reason == "2 of 4 studies (50% of the weight) indirect: S1, S2"


def test_few_indirect_studies_are_named_but_not_rated_down() -> None:
    rated = domain(clean(studies=studies(10, indirect=1)), "indirectness")
    assert rated.levels == 0 and "1 of 10 studies" in rated.reason


# Imprecision


@pytest.mark.parametrize(
    ("effect", "n", "levels", "reason"),
    [
        (PooledEffect("SMD", 0.3, -0.05, 0.65), 60, 1, "95% CI -0.05 to 0.65 includes no effect (0); 600 participants"),
        (PooledEffect("SMD", 0.0, -0.4, 0.4), 60, 2, "95% CI -0.40 to 0.40 includes both appreciable benefit and harm (-0.2 and 0.2); 600 participants"),
        (PooledEffect("SMD", 0.5, 0.1, 0.9), 60, 1, "95% CI 0.10 to 0.90 crosses the decision threshold 0.2; 600 participants"),
        (PooledEffect("SMD", 0.5, 0.35, 0.65), 30, 1, "95% CI 0.35 to 0.65 excludes no effect and the decision thresholds; 300 participants, fewer than the optimal information size of 400"),
        (PooledEffect("SMD", 0.3, -0.05, 0.65), 30, 2, "95% CI -0.05 to 0.65 includes no effect (0); 300 participants, fewer than the optimal information size of 400"),
        (PooledEffect("RR", 1.1, 0.7, 1.6), 60, 2, "95% CI 0.70 to 1.60 includes both appreciable benefit and harm (0.75 and 1.25); 600 participants"),
        (PooledEffect("MD", 3.0, 1.0, 5.0), 60, 0, "95% CI 1.00 to 5.00 excludes no effect; 600 participants"),
    ],
)
def test_imprecision_from_ci_thresholds_and_information_size(effect: PooledEffect, n: int, levels: int, reason: str) -> None:
    rated = domain(clean(studies=studies(n=n), effect=effect), "imprecision")
    assert (rated.levels, rated.reason) == (levels, reason)


def test_imprecision_notes_unknown_participants() -> None:
    rated = domain(clean(studies=studies(n=None)), "imprecision")
    assert rated.levels == 0 and "optimal information size not checked" in rated.reason


def test_custom_information_size() -> None:
    rated = domain(clean(), "imprecision", GradeThresholds(optimal_information_size=1000))
    assert rated.levels == 1 and "fewer than the optimal information size of 1000" in rated.reason


# Publication bias


def test_egger_asymmetry_with_ten_studies_rates_down() -> None:
    rated = domain(clean(effect=replace(CLEAN_EFFECT, egger_p=0.03)), "publication_bias")
    assert rated.levels == 1 and rated.reason == "Egger's test p = 0.030 (k = 10): funnel asymmetry"


def test_few_studies_are_not_tested_unless_asked_to_rate_down() -> None:
    body = clean(studies=studies(4, n=150), effect=replace(CLEAN_EFFECT, egger_p=0.01))
    rated = domain(body, "publication_bias")
    assert rated.levels == 0 and rated.reason == "4 studies, fewer than 10: funnel asymmetry cannot be tested"
    assert domain(body, "publication_bias", GradeThresholds(downgrade_when_untestable=True)).levels == 1


# Start, upgrades and the final level


def test_non_randomised_starts_low_and_large_effect_rates_up() -> None:
    effect = PooledEffect("RR", 2.5, 1.8, 3.4, i2=0.0, egger_p=0.5)
    rating = rate_certainty(clean(design="non-randomised", effect=effect, studies=studies(estimate=2.5)))
    assert rating.start == "Low" and rating.certainty == "Moderate"
    assert rating.reasons() == ("Large effect +1: RR 2.50, beyond 2-fold",)


def test_very_large_effect_and_dose_response_rate_up_at_most_two_levels() -> None:
    effect = PooledEffect("RR", 0.15, 0.1, 0.19, i2=0.0, egger_p=0.5)
    body = clean(design="non-randomised", effect=effect, dose_response=True, studies=studies(estimate=0.15))
    rating = rate_certainty(body)
    assert [u.levels for u in rating.upgrades] == [2, 1]
    assert rating.certainty == "High"


def test_randomised_evidence_is_never_rated_up() -> None:
    effect = PooledEffect("RR", 6.0, 4.0, 9.0, i2=0.0, egger_p=0.5)
    rating = rate_certainty(clean(effect=effect, dose_response=True, studies=studies(estimate=6.0)))
    assert rating.upgrades == () and rating.certainty == "High"


def test_no_upgrade_when_a_domain_is_rated_down() -> None:
    effect = PooledEffect("RR", 3.0, 2.0, 4.5, i2=80.0, egger_p=0.5)
    rating = rate_certainty(clean(design="non-randomised", effect=effect, studies=studies(estimate=3.0)))
    assert rating.upgrades == () and rating.certainty == "Very low"


def test_non_randomised_may_start_high_when_appraised_with_robins_i() -> None:
    body = clean(design="non-randomised", studies=studies(rob=("Moderate",) * 6))
    rating = rate_certainty(body, GradeThresholds(nrs_start="high"))
    assert rating.start == "High" and rating.certainty == "Moderate"


def test_certainty_never_falls_below_very_low() -> None:
    body = clean(
        studies=studies(4, rob=("High", "High"), n=50, indirect=2),
        effect=PooledEffect("SMD", 0.0, -0.5, 0.5, i2=90.0),
    )
    rating = rate_certainty(body)
    assert sum(d.levels for d in rating.downgrades) == 2 + 1 + 1 + 2
    assert rating.certainty == "Very low"


def test_override_replaces_the_rule_and_keeps_its_proposal() -> None:
    body = clean(overrides={"indirectness": DomainOverride(1, "all trials in healthy volunteers")})
    rating = rate_certainty(body)
    indirect = next(d for d in rating.downgrades if d.domain == "indirectness")
    assert (indirect.levels, indirect.proposed) == (1, 0)
    assert rating.certainty == "Moderate"
    assert rating.reasons() == (
        "Indirectness -1: no study flagged as indirect (reviewer: all trials in healthy volunteers; rule proposed -0)",
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (clean(studies=()), "no studies"),
        (clean(studies=studies(2, rob=("Unclear",))), "study 'S1': unknown risk-of-bias judgement 'Unclear'"),
        (clean(effect=PooledEffect("SMD", 0.9, 0.1, 0.5)), "estimate 0.9 is outside its CI"),
        (clean(effect=PooledEffect("RR", 0.0, -0.5, 0.4)), "RR is a ratio; give it on its natural scale"),
        (clean(effect=replace(CLEAN_EFFECT, i2=0.8 * 100 + 30)), "I² is in percent"),
        (clean(overrides={"bias": DomainOverride(1, "x")}), "cannot override 'bias'"),
        (clean(overrides={"imprecision": DomainOverride(3, "x")}), "needs 0, 1 or 2 levels and a reason"),
    ],
)
def test_bad_input_is_refused_with_the_outcome_named(body: BodyOfEvidence, message: str) -> None:
    with pytest.raises(ValueError, match="body of evidence 'ketamine: dissociation'") as caught:
        rate_certainty(body)
    assert message in str(caught.value)


def test_summary_of_findings_rows() -> None:
    unpooled = BodyOfEvidence("D-cycloserine: empathy", "randomised", studies(2, n=40, estimate=None), None)
    rows = summary_of_findings([clean(), unpooled])
    assert rows[0].outcome == "ketamine: dissociation" and rows[0].studies == 10 and rows[0].participants == 600
    assert rows[0].effect == "SMD 0.50 (95% CI 0.35 to 0.65)" and rows[0].certainty == "High"
    assert rows[1].effect == "not pooled" and rows[1].participants == 80
    assert rows[1].certainty == "Moderate"
    assert rows[1].reasons == (
        "Imprecision -1: no pooled estimate; 80 participants, fewer than the optimal information size of 400",
    )


def test_ratio_study_estimates_are_sided_around_one() -> None:
    effect = PooledEffect("RR", 1.5, 1.3, 1.7, i2=20.0, egger_p=0.5)
    sided = tuple(replace(s, estimate=0.8 if i < 3 else 1.6) for i, s in enumerate(studies()))
    rated = domain(clean(effect=effect, studies=sided), "inconsistency")
    assert rated.levels == 1 and "30% of the weight on the other side of no effect" in rated.reason


def test_binary_information_size_matches_the_two_proportion_formula() -> None:
    # control risk 0.2, RRR 25% (treated 0.15): 905.37 per group by the normal approximation
    # without continuity correction, so 906 per group.
    assert optimal_information_size(0.2) == 1812


def test_binary_information_size_agrees_with_statsmodels() -> None:
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    for risk in (0.05, 0.2, 0.5, 0.8):
        per_group = proportion.samplesize_proportions_2indep_onetail(
            diff=risk * 0.25, prop2=risk * 0.75, power=0.8, alpha=0.05, alternative="two-sided"
        )
        assert optimal_information_size(risk) == 2 * math.ceil(per_group)


def test_dichotomous_outcome_with_control_risk_uses_its_information_size() -> None:
    effect = PooledEffect("RR", 0.6, 0.45, 0.7, i2=0.0, egger_p=0.5)
    body = clean(effect=effect, studies=studies(estimate=0.6, n=100), control_risk=0.2)
    rated = domain(body, "imprecision")
    assert rated.levels == 1
    assert rated.reason.endswith(
        "1000 participants, fewer than the optimal information size of 1812 (control risk 0.2, relative risk reduction 0.25)"
    )
