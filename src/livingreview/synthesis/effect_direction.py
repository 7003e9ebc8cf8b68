"""Vote counting by direction of effect, as SWiM recommends when effects cannot be pooled.

Synthesis without meta-analysis (SWiM; Campbell et al., BMJ 2020;368:l6890) accepts vote counting
only by the *direction* of effect, never by statistical significance, with a sign test over the
studies (McKenzie & Brennan, Cochrane Handbook, chapter 12). A study's direction for a domain
follows the rule of the effect direction plot (Thomson & Thomas, Res Synth Methods 2013;4:95-101;
revisited by Boon & Thomson, Res Synth Methods 2021;12:29-33): when at least 70% of its outcomes
in the domain point one way, that is the study's direction; otherwise it is mixed.

Here the domains are the protocol's constructs, and an outcome's direction is one of improved,
worsened, no difference or mixed (issue 10's vocabulary). Outcomes with no direction extracted are
left out of the rule; a study with none left has no direction for the domain (shown blank).
The sign test compares studies that improved with studies that worsened; studies with no
difference or a mixed direction carry no sign and are not counted (their number is reported
beside the test).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from scipy.stats import binomtest

from livingreview.synthesis.evidence import Direction, StudyEvidence, in_order, select_studies

SAME_DIRECTION_SHARE = Fraction(7, 10)  # exact, so 7 of 10 outcomes is 70% and not a rounding error


def domain_direction(directions: Iterable[Direction | None]) -> Direction | None:
    """The direction of at least 70% of the outcomes given (those with a direction), else mixed.

    "No difference" is a direction of its own here: three null outcomes of three give a null
    study. None when no outcome has a direction.
    """
    known = [d for d in directions if d is not None]
    if not known:
        return None
    direction, count = Counter(known).most_common(1)[0]
    if direction != "mixed" and count >= SAME_DIRECTION_SHARE * len(known):
        return direction
    return "mixed"


@dataclass(frozen=True)
class SignTest:
    """Two-sided exact binomial test of improved against worsened studies (p = 0.5 under H0)."""

    improved: int
    worsened: int
    not_counted: int  # studies with no difference or a mixed direction

    @property
    def n(self) -> int:
        return self.improved + self.worsened

    @property
    def p_value(self) -> float | None:
        if self.n == 0:
            return None
        return float(binomtest(self.improved, self.n, 0.5, alternative="two-sided").pvalue)

    def text(self) -> str:
        if self.n == 0:
            return f"sign test not possible (no study improved or worsened; {self.not_counted} not counted)"
        return (f"sign test {self.improved} improved vs {self.worsened} worsened, p = {self.p_value:.3g}"
                f" ({self.not_counted} with no difference or mixed not counted)")

    def to_dict(self) -> dict[str, Any]:
        return {"improved": self.improved, "worsened": self.worsened, "not_counted": self.not_counted,
                "p_value": self.p_value}


def sign_test(directions: Iterable[Direction | None]) -> SignTest:
    counts = Counter(d for d in directions if d is not None)
    return SignTest(counts["improved"], counts["worsened"], counts["no difference"] + counts["mixed"])


@dataclass(frozen=True)
class DirectionCell:
    direction: Direction | None
    outcomes: int  # outcomes of the study in this domain (with or without a direction)


@dataclass(frozen=True)
class DirectionRow:
    """One study under one of its drugs: its direction per construct it measured."""

    drug: str
    study: StudyEvidence
    cells: dict[str, DirectionCell]


@dataclass(frozen=True)
class EffectDirectionTable:
    drugs: tuple[str, ...]
    constructs: tuple[str, ...]
    rows: tuple[DirectionRow, ...]  # grouped by drug, in `drugs` order
    tests: dict[tuple[str, str], SignTest]  # (drug, construct) -> sign test

    def rows_for(self, drug: str) -> list[DirectionRow]:
        return [row for row in self.rows if row.drug == drug]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": f"a study's direction for a construct is that of >= {float(SAME_DIRECTION_SHARE):.0%} of its "
                    "outcomes there, otherwise mixed",
            "constructs": list(self.constructs),
            "rows": [{"drug": row.drug, "study": row.study.key, "label": row.study.label,
                      "n_total": row.study.n_total, "randomised": row.study.randomised,
                      "directions": {c: cell.direction for c, cell in row.cells.items()}}
                     for row in self.rows],
            "sign_tests": [{"drug": drug, "construct": construct, **test.to_dict()}
                           for (drug, construct), test in self.tests.items()],
        }


def effect_direction_table(studies: Sequence[StudyEvidence], *, include_maybe: bool = False,
                           drug_order: Sequence[str] = (), construct_order: Sequence[str] = ()) -> EffectDirectionTable:
    """Rows of the effect direction plot and a sign test per drug and construct.

    A study of two drugs (a combination arm aside) is a row under each. Drugs and constructs are
    ordered as in `drug_order` and `construct_order` (the protocol's order), unknown ones last.
    """
    chosen = select_studies(studies, include_maybe)
    drugs = in_order({d for s in chosen for d in s.drugs}, drug_order)
    constructs = in_order({o.construct for s in chosen for o in s.outcomes}, construct_order)
    rows = []
    for drug in drugs:
        for study in sorted((s for s in chosen if drug in s.drugs), key=lambda s: s.label):
            rows.append(DirectionRow(drug, study, study_directions(study)))
    tests = {}
    for drug in drugs:
        for construct in constructs:
            directions = [row.cells[construct].direction for row in rows
                          if row.drug == drug and construct in row.cells]
            if directions:
                tests[(drug, construct)] = sign_test(directions)
    return EffectDirectionTable(tuple(drugs), tuple(constructs), tuple(rows), tests)


def study_directions(study: StudyEvidence) -> dict[str, DirectionCell]:
    """The study's direction for each construct it measured (the 70% rule over its outcomes there)."""
    by_construct: dict[str, list[Direction | None]] = {}
    for outcome in study.outcomes:
        by_construct.setdefault(outcome.construct, []).append(outcome.direction)
    return {c: DirectionCell(domain_direction(ds), len(ds)) for c, ds in by_construct.items()}


def overall_direction(study: StudyEvidence) -> Direction | None:
    """The study's direction over all its outcomes (the same 70% rule, every construct together)."""
    return domain_direction(o.direction for o in study.outcomes)
