"""Forest plots of study effect sizes for every drug and construct, pooled or not.

A meta-analysis pools a drug and construct only when `[synthesis] min_studies_for_meta` included
studies give an effect of one measure (`service._meta_analyses`). Every other drug and construct
with at least one effect size still gets a forest plot here: each study's own estimate and 95%
interval, no diamond, as the Cochrane Handbook (chapter 12) suggests for effects that are not
pooled. Studies awaiting classification ('maybe') are drawn too, marked as such, because the
reader should see their numbers; they never enter a pooled estimate unless the protocol includes
them.

`effect_size_table` lists, for each drug and construct, the studies that give an effect size and,
for each that does not, what its extraction lacks, so the report can say why a plot is missing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livingreview.synthesis._plots import study_effects_plot
from livingreview.synthesis.evidence import Effect, OutcomeEvidence, StudyEvidence, in_order

Z_95 = 1.959963984540054
MEASURE_NAMES = {"SMD": "Hedges' g", "SMCC": "standardized mean change (SMCC)"}
AWAITING = "awaiting classification"


@dataclass(frozen=True)
class StudyEffect:
    """One study's effect on one construct: a row of a forest plot."""

    key: str
    label: str
    decision: str
    effect: Effect

    @property
    def ci(self) -> tuple[float, float]:
        half = Z_95 * math.sqrt(self.effect.vi)
        return self.effect.yi - half, self.effect.yi + half

    @property
    def row_label(self) -> str:
        marks = [self.effect.measure]
        if self.decision == "maybe":
            marks.append(AWAITING)
        if self.effect.caveat:
            marks.append("approximate")
        return f"{self.label} ({', '.join(marks)})"

    def to_dict(self) -> dict[str, Any]:
        lower, upper = self.ci
        return {"study": self.key, "label": self.label, "decision": self.decision,
                "measure": self.effect.measure, "yi": self.effect.yi, "vi": self.effect.vi,
                "ci_lb": lower, "ci_ub": upper, "computed_from": self.effect.computed_from,
                "favours_drug": self.effect.favours_drug, "caveat": self.effect.caveat}


@dataclass(frozen=True)
class EffectPlot:
    drug: str  # labels, as the report shows them
    construct: str
    rows: tuple[StudyEffect, ...]
    axis: str
    figure: str

    @property
    def caption(self) -> str:
        included = sum(r.decision == "include" for r in self.rows)
        awaiting = len(self.rows) - included
        counts = f"{included} included" + (f", {awaiting} {AWAITING}" if awaiting else "")
        return f"{self.drug}: {self.construct} (study estimates, not pooled; {counts}; {self.axis})"

    def to_dict(self) -> dict[str, Any]:
        return {"drug": self.drug, "construct": self.construct, "axis": self.axis, "figure": self.figure,
                "caption": self.caption, "studies": [r.to_dict() for r in self.rows]}


def study_effects(studies: Iterable[StudyEvidence], drug: str, construct: str) -> tuple[list[StudyEffect],
                                                                                          list[tuple[StudyEvidence, str]]]:
    """The studies of one drug (alone) with an outcome on the construct: those whose outcome gives an
    effect size, and the others with what their numbers lack."""
    with_effect, without = [], []
    for study in studies:
        if study.drugs != (drug,):
            continue
        outcomes = [o for o in study.outcomes if o.construct == construct]
        if not outcomes:
            continue
        chosen = _effect_outcome(outcomes)
        if chosen is not None and chosen.effect is not None:
            with_effect.append(StudyEffect(study.key, study.label, study.decision, chosen.effect))
        else:
            without.append((study, "; ".join(dict.fromkeys(o.effect_missing for o in outcomes))))
    return with_effect, without


def _effect_outcome(outcomes: Sequence[OutcomeEvidence]) -> OutcomeEvidence | None:
    """The outcome a study contributes: its primary one with an effect size, else its first with one."""
    with_effect = [o for o in outcomes if o.effect is not None]
    return next((o for o in with_effect if o.primary), with_effect[0] if with_effect else None)


def draw_effect_plots(studies: Sequence[StudyEvidence], out: Path, drugs: Mapping[str, str],
                      constructs: Mapping[str, str], pooled: set[tuple[str, str]]) -> tuple[EffectPlot, ...]:
    """A forest plot of study estimates for every drug and construct with an effect size that is not
    pooled (`pooled` holds the (drug, construct) term ids of the meta-analyses), into `out`."""
    for stale in out.glob("effects_*.png"):
        stale.unlink()
    plots = []
    for drug, construct in _bodies(studies, drugs, constructs):
        if (drug, construct) in pooled:
            continue
        rows, _ = study_effects(studies, drug, construct)
        if not rows:
            continue
        rows.sort(key=lambda r: (r.decision != "include", r.key))
        figure = out / f"effects_{_slug(drug)}_{_slug(construct)}.png"
        axis = _axis(rows)
        study_effects_plot([r.row_label for r in rows], [r.effect.yi for r in rows], [r.effect.vi for r in rows],
                           [figure], axis=axis, title=f"{drugs.get(drug, drug)}: {constructs.get(construct, construct)}")
        plots.append(EffectPlot(drugs.get(drug, drug), constructs.get(construct, construct), tuple(rows), axis,
                                str(figure)))
    return tuple(plots)


def effect_size_table(studies: Sequence[StudyEvidence], drugs: Mapping[str, str],
                      constructs: Mapping[str, str]) -> list[dict[str, str]]:
    """One row per drug and construct: the studies with an effect size, and those without with
    what their extraction lacks."""
    rows = []
    for drug, construct in _bodies(studies, drugs, constructs):
        with_effect, without = study_effects(studies, drug, construct)
        rows.append({
            "drug": drugs.get(drug, drug), "construct": constructs.get(construct, construct),
            "with an effect size": "; ".join(r.row_label for r in with_effect) or "none",
            "without one (what is missing)": "; ".join(
                f"{s.label}{' (' + AWAITING + ')' if s.decision == 'maybe' else ''}: {reason}"
                for s, reason in without) or "none",
        })
    return rows


def _bodies(studies: Sequence[StudyEvidence], drugs: Mapping[str, str],
            constructs: Mapping[str, str]) -> list[tuple[str, str]]:
    """(drug, construct) pairs of single-drug studies, in the protocol's term order."""
    pairs = {(s.drugs[0], o.construct) for s in studies if len(s.drugs) == 1 for o in s.outcomes}
    drug_rank = {d: i for i, d in enumerate(in_order({d for d, _ in pairs}, list(drugs)))}
    construct_rank = {c: i for i, c in enumerate(in_order({c for _, c in pairs}, list(constructs)))}
    return sorted(pairs, key=lambda pair: (drug_rank[pair[0]], construct_rank[pair[1]]))


def _axis(rows: Sequence[StudyEffect]) -> str:
    measures = " / ".join(MEASURE_NAMES.get(m, m) for m in dict.fromkeys(r.effect.measure for r in rows))
    if all(r.effect.favours_drug for r in rows):
        return f"{measures}; positive favours the drug"
    if not any(r.effect.favours_drug for r in rows):
        return f"{measures}; positive: higher score with the drug"
    return f"{measures}; sign per study, see the table"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
