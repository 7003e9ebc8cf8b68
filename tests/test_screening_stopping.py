"""Stopping rules on label sequences whose answers are computed independently here."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import hypergeom

from livingreview.screening.stopping import (
    ConsecutiveIrrelevant,
    FractionScreened,
    RandomSampleHypergeometric,
    RankedHypergeometric,
    StoppingObservation,
    _sample_size_without_hits,
    evaluate_stopping,
    stop_verdict,
)


def _by_name(results):
    return {result.name: result for result in results}


def _ranked_then_random(ranked, random_labels):
    return [StoppingObservation(label) for label in ranked] + [StoppingObservation(label, True) for label in random_labels]


def test_random_sample_p_value_matches_the_closed_form():
    # 19 relevant found while ranking 100 records; then 300 random records of the 900 left, none relevant.
    # Recall < 95% means at least floor(19 / 0.95 - 19 + 1) = 2 relevant are left among the 900, and the
    # chance of drawing 300 without either is (600 x 599) / (900 x 899).
    history = _ranked_then_random([1] * 19 + [0] * 81, [0] * 300)
    result = RandomSampleHypergeometric().evaluate(history, 1000, 0.95, 0.95)
    p = 600 * 599 / (900 * 899)
    assert p > 0.05
    assert not result.should_stop
    assert f"p = {p:.3g}" in result.explanation


def test_random_sample_stops_when_the_sample_rules_out_missed_records():
    history = _ranked_then_random([1] * 40 + [0] * 60, [0] * 800)
    result = RandomSampleHypergeometric().evaluate(history, 1000, 0.95, 0.95)
    # floor(40 / 0.95 - 40 + 1) = 3 relevant would have to hide among the 900; 800 draws miss all three
    # with probability C(100, 3) / C(900, 3).
    assert math.comb(100, 3) / math.comb(900, 3) < 0.05
    assert result.should_stop
    assert result.estimated_recall >= 0.95


def test_the_recall_bound_is_the_largest_count_the_sample_does_not_reject():
    history = _ranked_then_random([1] * 10 + [0] * 40, [1] + [0] * 199)
    result = RandomSampleHypergeometric().evaluate(history, 1000, 0.9, 0.95)
    urn, drawn, hits = 950, 200, 1
    plausible = [k for k in range(hits, urn - drawn + hits + 1) if hypergeom.cdf(hits, urn, k, drawn) >= 0.05]
    assert result.estimated_recall == pytest.approx(11 / (10 + max(plausible)))


def test_without_a_random_sample_the_rule_says_how_many_to_draw():
    history = [StoppingObservation(1)] * 19 + [StoppingObservation(0)] * 81
    result = RandomSampleHypergeometric().evaluate(history, 1000, 0.95, 0.95)
    assert not result.should_stop and result.estimated_recall is None
    size = int(result.explanation.split("screen about ")[1].split()[0])
    # With 2 relevant assumed left among 900, `size` irrelevant draws reject, one fewer does not.
    assert hypergeom.cdf(0, 900, 2, size) < 0.05 <= hypergeom.cdf(0, 900, 2, size - 1)


def test_ranked_rule_takes_the_trailing_run_with_the_smallest_p_value():
    labels = [1, 1, 0, 1, 1, 1, 0, 1] + [0] * 150
    n_total = 400
    result = RankedHypergeometric().evaluate([StoppingObservation(x) for x in labels], n_total, 0.95, 0.95)
    found = sum(labels)
    p_values = []
    for n in range(1, len(labels) + 1):
        tail = labels[-n:]
        before = found - sum(tail)
        needed = math.floor(found / 0.95 - before + 1)
        urn = n_total - len(labels) + n
        p_values.append(0.0 if needed > urn else hypergeom.cdf(sum(tail), urn, max(needed, sum(tail)), n))
    assert result.should_stop == (min(p_values) < 0.05)
    assert f"p = {min(p_values):.3g}" in result.explanation


def test_ranked_rule_does_not_stop_with_one_relevant_record_left_plausible():
    labels = [1, 0, 1, 1, 0, 1] + [0] * 2000
    result = RankedHypergeometric().evaluate([StoppingObservation(x) for x in labels], 3000, 0.95, 0.95)
    # With 4 found, a single missed record already means recall 0.8; 2000 irrelevant of the 2994 left
    # miss one such record with probability 994 / 2994.
    assert not result.should_stop
    assert f"p = {994 / 2994:.3g}" in result.explanation


def test_consecutive_irrelevant_counts_the_trailing_run():
    history = [StoppingObservation(x) for x in [1, 0, 1, 0, 0, 0]]
    assert ConsecutiveIrrelevant(n=3).evaluate(history, 10, 0.95, 0.95).should_stop
    assert not ConsecutiveIrrelevant(n=4).evaluate(history, 10, 0.95, 0.95).should_stop


def test_fraction_screened():
    history = [StoppingObservation(0)] * 50
    assert FractionScreened(fraction=0.5).evaluate(history, 100, 0.95, 0.95).should_stop
    assert not FractionScreened(fraction=0.5).evaluate(history, 101, 0.95, 0.95).should_stop


def test_evaluate_stopping_accepts_plain_labels_and_runs_every_default_rule():
    results = _by_name(evaluate_stopping([1, 0, 0, 1] + [0] * 60, 100))
    assert set(results) == {"hypergeometric", "hypergeometric-ranked", "consecutive-irrelevant", "fraction-screened"}
    assert results["consecutive-irrelevant"].should_stop
    assert results["hypergeometric-ranked"].estimated_recall is not None


def test_the_statistical_rule_is_preferred_when_several_say_stop():
    results = evaluate_stopping(_ranked_then_random([1] * 40 + [0] * 60, [0] * 800), 1000)
    assert stop_verdict(results).name == "hypergeometric"
    assert stop_verdict(evaluate_stopping([1, 0], 1000)) is None


def test_bad_labels_and_sizes_are_refused():
    with pytest.raises(ValueError, match="screened record 1 has 2"):
        evaluate_stopping([1, 2, 0], 10)
    with pytest.raises(ValueError, match="3 records screened but the set has only 2"):
        evaluate_stopping([1, 0, 0], 2)


@pytest.mark.slow
def test_random_sampling_rule_keeps_its_confidence_in_simulation():
    # 200 seeded reviews: ranking finds a share of the relevant records, then random sampling runs,
    # with the rule checked after every 10 records, until it says stop. The rule must reach the
    # target recall in at least 95% of them.
    rng = np.random.default_rng(2020)
    rule = RandomSampleHypergeometric()
    reached = []
    for _ in range(200):
        n_total, n_relevant = 1000, int(rng.integers(10, 60))
        screened_ranked = int(rng.integers(100, 300))
        found_ranked = int(round(n_relevant * rng.uniform(0.6, 1.0)))
        missed = n_relevant - found_ranked
        rest = rng.permutation(np.r_[np.ones(missed), np.zeros(n_total - screened_ranked - missed)]).astype(int)
        history = [StoppingObservation(1)] * found_ranked + [StoppingObservation(0)] * (screened_ranked - found_ranked)
        for start in range(0, len(rest), 10):
            history += [StoppingObservation(int(label), True) for label in rest[start:start + 10]]
            if rule.evaluate(history, n_total, 0.95, 0.95).should_stop:
                break
        reached.append(sum(o.label for o in history) / n_relevant >= 0.95)
    assert np.mean(reached) >= 0.95


def test_status_reports_the_estimated_recall_and_the_rule_that_says_stop(review, tmp_path):
    from livingreview.screening.workflow import Screening
    from livingreview.status import project_status

    assert project_status(review.store)["stopping"]["explanation"] == "nothing screened yet"
    path = tmp_path / "set.ris"
    path.write_text("".join(f"TY  - JOUR\nTI  - Record {i}\nAB  - Abstract {i}.\nER  - \n\n" for i in range(120)),
                    encoding="utf-8")
    review.import_file(path)
    ids = [row["id"] for row in review.store.query("SELECT id FROM records ORDER BY id")]
    screening = Screening(review.store, review.protocol)
    labels = [1, 1, 0, 1] + [0] * 60
    for record_id, label in zip(ids, labels):
        screening.decide("title_abstract", record_id, "ann", "include" if label else "exclude")
    stopping = project_status(review.store)["stopping"]
    expected = RankedHypergeometric().evaluate([StoppingObservation(x) for x in labels], 120, 0.95, 0.95)
    assert stopping["screened"] == 64 and stopping["units"] == 120
    assert stopping["estimated_recall"] == pytest.approx(expected.estimated_recall)
    assert stopping["stop"] == "consecutive-irrelevant"  # 60 irrelevant in a row; the statistics disagree
    assert not expected.should_stop


@pytest.mark.parametrize("found_total, found_before, urn, target_recall, alpha", [
    (0, 0, 100, 0.95, 0.05), (1, 0, 1, 0.95, 0.05), (5, 5, 10, 0.95, 0.05), (3, 3, 5, 0.99, 0.01),
    (100, 100, 150, 0.95, 0.05), (10, 3, 2000, 0.9, 0.2), (37, 30, 2999, 0.8, 0.1), (50, 50, 50_000, 0.95, 0.05),
])
def test_the_random_sample_size_is_the_first_size_scipy_rejects_at(found_total, found_before, urn,
                                                                   target_recall, alpha):
    """The bisection gives the size a scan of scipy's cdf over every size from 1 to the urn gives."""
    needed = max(math.floor(max(found_total, 1) / target_recall - found_before + 1), 1)
    sizes = np.arange(1, urn + 1)
    rejected = np.flatnonzero(hypergeom.cdf(0, urn, needed, sizes) < alpha) if needed <= urn else None
    expected = 0 if rejected is None else int(sizes[rejected[0]]) if len(rejected) else urn
    assert _sample_size_without_hits(found_total, found_before, urn, target_recall, alpha) == expected
