"""Stopping rules: is it safe to stop screening, and what recall has probably been reached?

Statistical rules (Callaghan & Müller-Hansen 2020, "Statistical stopping criteria for automated
screening in systematic reviews", Systematic Reviews 9:273) test the null hypothesis "recall is
below the target" with a hypergeometric test on a sample of the records that were unscreened
when the sample started:

- `hypergeometric`: the sample is the trailing run of records screened in random order (once
  ranking has found what it can: `livingreview screen DIR --reviewer NAME --sample random`, or the
  `random` query strategy in simulation). Exact under its assumptions.
- `hypergeometric-ranked`: every trailing run of the ranked screening is treated as if it were a
  random sample of the records unscreened before it. Ranked records are more likely relevant than
  a random draw, so this errs on the side of screening more. The smallest p-value over all run
  lengths is taken, as in the paper.

Heuristics (no recall estimate): `consecutive-irrelevant` and `fraction-screened`.

Every rule is a plug-in in the entry-point group `livingreview.stopping_rules`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from livingreview.plugins import load_plugin


@dataclass(frozen=True)
class StoppingObservation:
    """One screened record: its label (1 relevant) and whether it was drawn at random."""

    label: int
    random: bool = False


@dataclass(frozen=True)
class StoppingResult:
    name: str
    should_stop: bool
    estimated_recall: float | None
    confidence: float | None
    explanation: str


class StoppingRule(Protocol):
    def evaluate(self, history: Sequence[StoppingObservation], n_total: int,
                 target_recall: float, confidence: float) -> StoppingResult: ...


DEFAULT_RULES = ("hypergeometric", "hypergeometric-ranked", "consecutive-irrelevant", "fraction-screened")


def evaluate_stopping(
    history: Sequence[StoppingObservation | int],
    n_total: int,
    *,
    rules: Sequence[str | StoppingRule] = DEFAULT_RULES,
    target_recall: float = 0.95,
    confidence: float = 0.95,
) -> list[StoppingResult]:
    """Every rule's verdict on the screening so far (`history` in screening order, priors first)."""
    observations = [item if isinstance(item, StoppingObservation) else StoppingObservation(int(item))
                    for item in history]
    if len(observations) > n_total:
        raise ValueError(f"{len(observations)} records screened but the set has only {n_total}")
    if not 0 < target_recall <= 1 or not 0 < confidence < 1:
        raise ValueError("target_recall must be in (0, 1] and confidence in (0, 1)")
    bad = [i for i, o in enumerate(observations) if o.label not in (0, 1)]
    if bad:
        raise ValueError(f"labels must be 0 or 1; screened record {bad[0]} has {observations[bad[0]].label!r}")
    return [_rule(rule).evaluate(observations, n_total, target_recall, confidence) for rule in rules]


def _rule(rule: str | StoppingRule) -> StoppingRule:
    return load_plugin("stopping_rules", rule)() if isinstance(rule, str) else rule


def stop_verdict(results: Sequence[StoppingResult]) -> StoppingResult | None:
    """The statistical rule that says stop if any does, else the first heuristic that does."""
    stopping = [r for r in results if r.should_stop]
    stopping.sort(key=lambda r: r.estimated_recall is None)
    return stopping[0] if stopping else None


def _hypergeom_cdf(hits: Any, urn: Any, relevant: Any, drawn: Any) -> Any:
    """scipy's hypergeometric cdf, imported on first use: `scipy.stats` takes seconds to load,
    which every command that reads the review (through `status`) would otherwise pay."""
    from scipy.stats import hypergeom

    return hypergeom.cdf(hits, urn, relevant, drawn)


def _null_p_values(found_total: int, found_before: np.ndarray, urn: np.ndarray, drawn: np.ndarray,
                   hits: np.ndarray, target_recall: float) -> np.ndarray:
    """p-values of "recall < target", for samples of `drawn` records from an `urn`.

    The `urn` records were unscreened when a sample began (`found_before` relevant found by
    then); `hits` relevant were among the `drawn`. Under the null hypothesis the urn holds at
    least `needed` relevant records: the fewest that would put recall below the target.
    """
    needed = np.floor(found_total / target_recall - found_before + 1).astype(np.int64)
    # More relevant than the urn can hold: the null hypothesis is impossible (p = 0).
    possible = needed <= urn
    return np.where(possible, _hypergeom_cdf(hits, urn, np.clip(needed, hits, urn), drawn), 0.0)


def _recall_bound(found_total: int, found_before: int, urn: int, drawn: int, hits: int, alpha: float) -> float:
    """Lower confidence bound on recall: found_total / (found_before + the most relevant the urn
    can hold without the sample rejecting it), by bisection (the cdf falls as that number grows)."""
    low, high = hits, urn - (drawn - hits)
    while low < high:
        middle = (low + high + 1) // 2
        if _hypergeom_cdf(hits, urn, middle, drawn) >= alpha:
            low = middle
        else:
            high = middle - 1
    return found_total / (found_before + low) if found_before + low else 1.0


@dataclass
class RandomSampleHypergeometric:
    """Hypergeometric test on the trailing run of records screened in random order."""

    name: str = "hypergeometric"

    def evaluate(self, history: Sequence[StoppingObservation], n_total: int,
                 target_recall: float, confidence: float) -> StoppingResult:
        drawn = _trailing_random_draws(history)
        labels = np.fromiter((o.label for o in history), dtype=np.int64, count=len(history))
        found_total = int(labels.sum())
        before = len(history) - drawn
        found_before = int(labels[:before].sum())
        urn = n_total - before
        if drawn == 0:
            needed = _sample_size_without_hits(found_total, found_before, urn, target_recall, 1 - confidence)
            return StoppingResult(self.name, False, None, confidence,
                                  f"no random sample yet: screen about {needed} of the {urn} remaining "
                                  "records in random order; stop if none of them is relevant")
        hits = found_total - found_before
        p = float(_null_p_values(found_total, np.array(found_before), np.array(urn), np.array(drawn),
                                 np.array(hits), target_recall))
        bound = _recall_bound(found_total, found_before, urn, drawn, hits, 1 - confidence)
        return StoppingResult(
            self.name, p < 1 - confidence, bound, confidence,
            f"{hits} relevant in a random sample of {drawn} of the {urn} records "
            f"unscreened when it began: recall >= {bound:.3f} at {confidence:.0%} confidence "
            f"(p = {p:.3g} for recall < {target_recall:.0%})",
        )


def _sample_size_without_hits(found_total: int, found_before: int, urn: int,
                              target_recall: float, alpha: float) -> int:
    """How many random records, all irrelevant, would reject "recall < target" (at least 1)."""
    needed = max(math.floor(max(found_total, 1) / target_recall - found_before + 1), 1)
    if needed > urn:
        return 0
    # P(no relevant in a sample) falls as the sample grows, so the smallest rejecting size is found
    # by bisection: the cdf at every size from 1 to the urn took seconds on a 50,000-record review,
    # and the server's rankings ask this for every reviewer.
    low, high = 1, urn  # the answer is in [low, high]; `urn` when no size rejects
    while low < high:
        middle = (low + high) // 2
        if _hypergeom_cdf(0, urn, needed, middle) < alpha:
            high = middle
        else:
            low = middle + 1
    return low


@dataclass
class RankedHypergeometric:
    """The hypergeometric test on every trailing run of the ranked screening (conservative)."""

    name: str = "hypergeometric-ranked"
    min_sample: int = 1

    def evaluate(self, history: Sequence[StoppingObservation], n_total: int,
                 target_recall: float, confidence: float) -> StoppingResult:
        labels = np.fromiter((o.label for o in history), dtype=np.int64, count=len(history))
        found_total = int(labels.sum())
        if found_total == 0 or len(labels) == 0:
            return StoppingResult(self.name, False, None, confidence, "no relevant record found yet")
        drawn = np.arange(self.min_sample, len(labels) + 1)
        if len(drawn) == 0:
            return StoppingResult(self.name, False, None, confidence, "too few records screened")
        hits = np.cumsum(labels[::-1])[drawn - 1]
        urn = n_total - len(labels) + drawn
        p = _null_p_values(found_total, found_total - hits, urn, drawn, hits, target_recall)
        best = int(np.argmin(p))
        bound = _recall_bound(found_total, found_total - int(hits[best]), int(urn[best]), int(drawn[best]),
                              int(hits[best]), 1 - confidence)
        return StoppingResult(
            self.name, bool(p[best] < 1 - confidence), bound, confidence,
            f"the last {drawn[best]} screened (of {urn[best]} unscreened before them) hold {hits[best]} "
            f"relevant: recall >= {bound:.3f} at {confidence:.0%} confidence if they were a random "
            f"draw (p = {p[best]:.3g} for recall < {target_recall:.0%})",
        )


@dataclass
class ConsecutiveIrrelevant:
    """Stop after `n` irrelevant records in a row (a heuristic: no recall estimate)."""

    n: int = 50
    name: str = "consecutive-irrelevant"

    def evaluate(self, history: Sequence[StoppingObservation], n_total: int,
                 target_recall: float, confidence: float) -> StoppingResult:
        run = 0
        for observation in reversed(history):
            if observation.label:
                break
            run += 1
        return StoppingResult(self.name, run >= self.n, None, None,
                              f"{run} irrelevant in a row (stop at {self.n})")


@dataclass
class FractionScreened:
    """Stop once `fraction` of all records are screened (a heuristic: no recall estimate)."""

    fraction: float = 0.5
    name: str = "fraction-screened"

    def evaluate(self, history: Sequence[StoppingObservation], n_total: int,
                 target_recall: float, confidence: float) -> StoppingResult:
        share = len(history) / n_total if n_total else 1.0
        return StoppingResult(self.name, share >= self.fraction, None, None,
                              f"{len(history)} of {n_total} screened ({share:.1%}; stop at {self.fraction:.0%})")


def stopping_status(store: Any, stage: str = "title_abstract", *, target_recall: float = 0.95,
                    confidence: float = 0.95) -> dict[str, Any]:
    """For `status`: the recall the screening of `stage` has probably reached, and the rule that says stop.

    The history is every screened unit in the order it was first decided (`_stage_history`). When
    it ends with a run of units drawn at random (the random-sample phase), the random-sample rule
    gives the estimate and the verdict: it is the one that is valid; the ranked rule is reported
    beside it under "ranked". Without a random phase only the ranked rule can estimate recall, the
    verdict comes from every rule (statistical first), and once the ranked rule suggests stopping
    `next_step` says how to draw the sample that would make the estimate valid.
    """
    history, n_units = _stage_history(store, stage)
    summary: dict[str, Any] = {"stage": stage, "screened": len(history), "units": n_units,
                               "target_recall": target_recall, "estimated_recall": None,
                               "confidence": confidence, "stop": None, "explanation": "nothing screened yet",
                               "rule": None, "random_draws": 0}
    if not history:
        return summary
    results = {r.name: r for r in evaluate_stopping(history, n_units, target_recall=target_recall,
                                                   confidence=confidence)}
    ranked = results[RankedHypergeometric.name]
    draws = _trailing_random_draws(history)
    if draws:
        sample = results[RandomSampleHypergeometric.name]
        summary.update(
            estimated_recall=sample.estimated_recall, rule=sample.name, random_draws=draws,
            stop=sample.name if sample.should_stop else None,
            explanation=f"random-sample rule ({sample.name}) on {draws} random draws: {sample.explanation}",
            ranked={"estimated_recall": ranked.estimated_recall, "stop": ranked.should_stop,
                    "explanation": ranked.explanation})
        return summary
    verdict = stop_verdict(list(results.values()))
    summary.update(estimated_recall=ranked.estimated_recall, rule=ranked.name,
                   stop=verdict.name if verdict else None, explanation=(verdict or ranked).explanation)
    if ranked.should_stop and len(history) < n_units:  # with every unit screened there is nothing to sample
        summary["next_step"] = _random_sample_hint(store, stage, history, n_units, target_recall, confidence)
    return summary


def _stage_history(store: Any, stage: str) -> tuple[list[StoppingObservation], int]:
    """Every screened unit of `stage` in the order it was first decided (by anyone), and how many
    units the stage has.

    A unit is relevant unless its current outcome is exclude (a conflict or maybe might still be
    relevant), and random when its first decision drew it from the random order; decisions stored
    before the draw was recorded count as not random.
    """
    from livingreview.screening.workflow import ScreeningState

    screening = ScreeningState(store)
    state = screening.state(stage)
    eligible = set(screening.eligible(stage))
    units = screening.unit_map()
    first: dict[int, Any] = {}
    for decision in screening.decisions(stage):
        first.setdefault(units.get(decision.record_id, (decision.record_id, None))[0], decision)
    order = sorted((u for u in first if u in eligible and state.outcome(u) is not None),
                   key=lambda u: first[u].id)
    history = [StoppingObservation(int(state.outcome(u) != "exclude"), first[u].drawn == "random")
               for u in order]
    return history, len(eligible)


def _trailing_random_draws(history: Sequence[StoppingObservation]) -> int:
    """How many records at the end of `history` were drawn at random: the random sample."""
    draws = 0
    for observation in reversed(history):
        if not observation.random:
            break
        draws += 1
    return draws


def _random_sample_hint(store: Any, stage: str, history: Sequence[StoppingObservation], n_units: int,
                        target_recall: float, confidence: float) -> str:
    """One line: how to turn the ranked rule's suggestion into a valid estimate."""
    found = sum(o.label for o in history)
    size = _sample_size_without_hits(found, found, n_units - len(history), target_recall, 1 - confidence)
    how_many = f"about {size} records" if size else "records"
    stage_option = "" if stage == "title_abstract" else f" --stage {stage}"
    return (f"the ranked rule suggests stopping, but only a random sample gives a valid recall estimate: "
            f"screen {how_many} with `livingreview screen {Path(store.path).parent} --reviewer NAME"
            f"{stage_option} --sample random`")
