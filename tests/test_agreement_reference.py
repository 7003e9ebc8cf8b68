"""Our agreement statistics against irrCAC (irrcac 0.4.4 on PyPI, pinned in requirements/constraints.txt),
a Python port of Gwet's irrCAC R package.

Tolerance: 1e-9 absolute. Both sides evaluate the same closed forms in double precision, only in a
different order, and irrCAC rounds its reported estimates to `digits` decimals (we ask for 15), so
honest results differ by ~1e-15. Formula errors show at a far coarser scale: these are ratios of
counts over n <= 5000 units, and the errors tried while writing this file (q from the labels seen,
pe / q instead of pe / (q - 1), pooled marginals in kappa) move them by 5e-5 or more.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from irrCAC.raw import CAC as RawRatings
from irrCAC.table import CAC as ContingencyTable

from livingreview.screening.agreement import cohen_kappa, gwet_ac1, percent_agreement
from livingreview.screening.workflow import LABELS

TOLERANCE = 1e-9
TWO_CATEGORIES = ("include", "exclude")


@dataclass(frozen=True)
class Reference:
    percent_agreement: float
    kappa: float  # NaN when chance agreement is 1
    ac1_from_table: float
    ac1_from_raw: float


def irrcac(first: Sequence[str], second: Sequence[str], scale: Sequence[str]) -> Reference:
    """irrCAC's estimates, with the full scale given both ways irrCAC accepts it.

    The contingency table has a row and a column for every category of the scale, used or not, and
    the raw ratings (units x raters) are passed `categories=scale`: irrCAC's AC1 takes q from these,
    exactly as ours takes q from `categories`.
    """
    counts = Counter(zip(first, second))
    rows = [[counts[(a, b)] for b in scale] for a in scale]
    table = pd.DataFrame(rows, index=list(scale), columns=list(scale))
    raw = pd.DataFrame({"first": list(first), "second": list(second)})
    # irrCAC also computes standard errors, z and p-values, which divide by zero when every unit
    # agrees (and kappa's point estimate is 0/0 when both raters used one label); we compare point
    # estimates only, and the 0/0 case explicitly.
    with np.errstate(divide="ignore", invalid="ignore"):
        by_table = ContingencyTable(table, digits=15)
        by_raw = RawRatings(raw, categories=list(scale), digits=15)
        return Reference(percent_agreement=float(by_table.pa2()["est"]["coefficient_value"]),
                         kappa=float(by_table.cohen()["est"]["coefficient_value"]),
                         ac1_from_table=float(by_table.gwet()["est"]["coefficient_value"]),
                         ac1_from_raw=float(by_raw.gwet()["est"]["coefficient_value"]))


def assert_matches_irrcac(first: Sequence[str], second: Sequence[str], scale: Sequence[str]) -> None:
    reference = irrcac(first, second, scale)
    assert percent_agreement(first, second) == pytest.approx(reference.percent_agreement, abs=TOLERANCE)
    ours = gwet_ac1(first, second, categories=scale)
    assert ours == pytest.approx(reference.ac1_from_table, abs=TOLERANCE)
    assert ours == pytest.approx(reference.ac1_from_raw, abs=TOLERANCE)
    if math.isnan(reference.kappa):
        assert cohen_kappa(first, second) is None
    else:
        assert cohen_kappa(first, second) == pytest.approx(reference.kappa, abs=TOLERANCE)


# Screening-like prevalence: most records are excluded, a few included, fewer "maybe".
SKEWED = {"include": 0.07, "exclude": 0.90, "maybe": 0.03}


def screening_pair(rng: random.Random, n: int, scale: Sequence[str],
                   agreement: float) -> tuple[list[str], list[str]]:
    """Two reviewers over n records drawn from the skewed prevalence restricted to `scale`: the second
    agrees with the first with probability `agreement`, otherwise picks one of the other labels
    (weighted by prevalence), so that even small samples contain disagreements."""
    first = rng.choices(scale, [SKEWED[label] for label in scale], k=n)
    return first, [a if rng.random() < agreement else other_label(rng, a, scale) for a in first]


def other_label(rng: random.Random, label: str, scale: Sequence[str]) -> str:
    others = [other for other in scale if other != label]
    return rng.choices(others, [SKEWED[other] for other in others])[0]


# (scale, n, agreement, seed): every size and agreement level on both scales, then repeated draws
# of the usual three-label case.
RANDOM_CASES = [(scale, n, agreement, 1)
                for scale in (TWO_CATEGORIES, LABELS)
                for n in (3, 10, 40, 250, 5000)
                for agreement in (0.5, 0.8, 0.95)]
RANDOM_CASES += [(LABELS, n, 0.8, seed) for n in (25, 400) for seed in (2, 3, 4)]


@pytest.mark.parametrize(("scale", "n", "agreement", "seed"), RANDOM_CASES,
                         ids=[f"q{len(s)}-n{n}-agree{a}-seed{seed}" for s, n, a, seed in RANDOM_CASES])
def test_random_screening_pairs_match_irrcac(scale, n, agreement, seed):
    first, second = screening_pair(random.Random(f"{len(scale)}-{n}-{agreement}-{seed}"), n, scale, agreement)
    assert_matches_irrcac(first, second, scale)


def test_balanced_prevalence_pairs_match_irrcac():
    rng = random.Random(11)
    for _ in range(10):
        n = rng.randint(2, 300)
        first = [rng.choice(LABELS) for _ in range(n)]
        second = [rng.choice(LABELS) for _ in range(n)]
        assert_matches_irrcac(first, second, LABELS)


@pytest.mark.parametrize("scale", [TWO_CATEGORIES, LABELS], ids=["q2", "q3"])
def test_full_agreement_matches_irrcac(scale):
    labels = ["exclude"] * 45 + ["include"] * 5
    assert_matches_irrcac(labels, list(labels), scale)
    assert gwet_ac1(labels, labels, categories=scale) == 1.0 and cohen_kappa(labels, labels) == 1.0


@pytest.mark.parametrize("scale", [TWO_CATEGORIES, LABELS], ids=["q2", "q3"])
def test_one_label_only_matches_irrcac(scale):
    # Everything excluded by both: kappa is 0/0 (ours None, irrCAC NaN); AC1's chance agreement is
    # 0 because all the mean marginal sits on one category, so AC1 = percent agreement = 1.
    everything_excluded = ["exclude"] * 60
    assert_matches_irrcac(everything_excluded, everything_excluded, scale)
    assert gwet_ac1(everything_excluded, everything_excluded, categories=scale) == 1.0
    # One reviewer excluded everything, the other included a few.
    other = ["include"] * 4 + ["exclude"] * 56
    assert_matches_irrcac(everything_excluded, other, scale)
    assert cohen_kappa(everything_excluded, other) == pytest.approx(0.0, abs=TOLERANCE)


def test_two_records_match_irrcac():
    # The smallest sample irrCAC takes: its variance divides by n - 1 and fails on a single unit.
    assert_matches_irrcac(["include", "exclude"], ["include", "exclude"], LABELS)
    assert_matches_irrcac(["include", "exclude"], ["maybe", "exclude"], LABELS)
    assert_matches_irrcac(["include", "include"], ["exclude", "maybe"], LABELS)


def test_unused_category_still_counts_in_q():
    # Nobody used "maybe", yet the scale has three categories: q = 3, as irrCAC does when given the
    # scale. Taking q from the labels seen (2) would give a different, larger chance agreement.
    first = ["exclude"] * 30 + ["include"] * 6 + ["exclude"] * 3
    second = ["exclude"] * 30 + ["include"] * 6 + ["include"] * 3
    assert_matches_irrcac(first, second, LABELS)
    on_observed_scale = irrcac(first, second, TWO_CATEGORIES).ac1_from_table
    on_two_categories = gwet_ac1(first, second, categories=TWO_CATEGORIES)
    assert on_two_categories == pytest.approx(on_observed_scale, abs=TOLERANCE)
    assert abs(gwet_ac1(first, second) - on_observed_scale) > 1e-3


def test_hand_worked_tables_of_the_workflow_tests_match_irrcac():
    # The two worked examples in test_screening_workflow.py, recomputed by irrCAC.
    plus_minus = (["+"] * 123 + ["-"] * 2, ["+"] * 118 + ["-"] * 5 + ["+"] * 2)
    reference = irrcac(*plus_minus, scale=("+", "-"))
    assert reference.ac1_from_table == pytest.approx(0.889568 / 0.945568, abs=TOLERANCE)
    assert reference.kappa == pytest.approx(-0.00128 / 0.05472, abs=TOLERANCE)
    three = (["include"] * 4 + ["exclude"] * 3 + ["maybe", "include", "maybe"],
             ["include"] * 4 + ["exclude"] * 3 + ["maybe", "exclude", "exclude"])
    assert irrcac(*three, scale=LABELS).ac1_from_raw == pytest.approx(0.4925 / 0.6925, abs=TOLERANCE)
