"""Agreement between two reviewers: percent agreement, Cohen's kappa and Gwet's AC1.

Kappa corrects for chance with each rater's own marginals, which makes it collapse when one
category dominates (most records are excluded): the "high agreement, low kappa" paradox. AC1
(Gwet 2008, Br J Math Stat Psychol 61:29-48) estimates chance agreement from the mean marginals
pi_k = (p1_k + p2_k) / 2 as  pe = 1/(q-1) * sum_k pi_k (1 - pi_k),  with q the number of categories
of the scale (used or not), and stays close to percent agreement when prevalence is skewed.
Reviews report both. tests/test_agreement_reference.py checks all three statistics against irrCAC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from livingreview.screening.workflow import LABELS, STAGES, ScreeningState
from livingreview.store import Store, ledger


@dataclass(frozen=True)
class PairAgreement:
    stage: str
    reviewers: tuple[str, str]
    units: int  # screened by both
    percent_agreement: float | None
    kappa: float | None  # None when chance agreement is 1 (both used one label throughout)
    ac1: float | None


def percent_agreement(first: Sequence[str], second: Sequence[str]) -> float | None:
    _check_pairs(first, second)
    if not first:
        return None
    return sum(a == b for a, b in zip(first, second)) / len(first)


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float | None:
    """(po - pe) / (1 - pe) with pe = sum_k p1_k * p2_k from each rater's own proportions."""
    observed = percent_agreement(first, second)
    if observed is None:
        return None
    n = len(first)
    categories = set(first) | set(second)
    expected = sum((first.count(c) / n) * (second.count(c) / n) for c in categories)
    if expected == 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def gwet_ac1(first: Sequence[str], second: Sequence[str], categories: Sequence[str] = LABELS) -> float | None:
    """Gwet's AC1 over the `categories` of the rating scale (q = their number)."""
    observed = percent_agreement(first, second)
    if observed is None:
        return None
    unknown = (set(first) | set(second)) - set(categories)
    if unknown:
        raise ValueError(f"ratings {sorted(unknown)} are not among the categories {list(categories)}")
    q = len(categories)
    if q < 2:
        raise ValueError("AC1 needs a scale of at least two categories")
    n = len(first)
    mean_share = [(first.count(c) + second.count(c)) / (2 * n) for c in categories]
    expected = sum(p * (1 - p) for p in mean_share) / (q - 1)
    return (observed - expected) / (1.0 - expected)


def _check_pairs(first: Sequence[str], second: Sequence[str]) -> None:
    if len(first) != len(second):
        raise ValueError(f"paired ratings differ in length: {len(first)} and {len(second)}")


def pair_agreement(stage: str, reviewers: tuple[str, str], first: Sequence[str], second: Sequence[str],
                   categories: Sequence[str] = LABELS) -> PairAgreement:
    """The three statistics for one pair's ratings of the same items (in the same order)."""
    return PairAgreement(stage, reviewers, len(first), percent_agreement(first, second),
                         cohen_kappa(first, second), gwet_ac1(first, second, categories))


def pairwise_agreement(screening: ScreeningState, stages: Sequence[str] = STAGES) -> list[PairAgreement]:
    """Every pair of reviewers, per stage, over the units both labelled (current labels)."""
    results = []
    for stage in stages:
        state = screening.state(stage)
        eligible = set(screening.eligible(stage))
        reviewers = sorted({r for unit, by in state.labels.items() if unit in eligible for r in by})
        for a, b in combinations(reviewers, 2):
            shared = [by for unit, by in sorted(state.labels.items())
                      if unit in eligible and a in by and b in by]
            results.append(pair_agreement(stage, (a, b), [by[a].label for by in shared],
                                          [by[b].label for by in shared]))
    return results


def ledger_agreement(store: Store, item_kind: str, stage: str, categories: Sequence[str], *,
                     as_of_event: int | None = None) -> list[PairAgreement]:
    """Every pair of reviewers over the items of any kind both currently judged in the ledger
    (extraction fields, risk-of-bias answers, ...); `categories` is the scale of the values.

    Screening uses `pairwise_agreement`, which counts units (grouped records) eligible at a stage.
    """
    current = ledger.latest_judgements(store, item_kind, stage, as_of_event=as_of_event)
    reviewers = sorted({j.reviewer for j in current if not j.is_resolution})
    results = []
    for a, b in combinations(reviewers, 2):
        paired = ledger.paired_values(store, item_kind, stage, a, b, as_of_event=as_of_event)
        results.append(pair_agreement(stage, (a, b), [first for _, first, _ in paired],
                                      [second for _, _, second in paired], categories))
    return results
