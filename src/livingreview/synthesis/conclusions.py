"""Per-drug conclusions from the rule the protocol writes in `[synthesis.conclusions]`.

For each drug, the evidence is summarised by vote counting on direction (SWiM, see
`effect_direction`): a study's overall direction is that of at least 70% of its outcomes, all
constructs together, otherwise mixed; studies with no direction extracted are listed but carry no
vote. Over the studies with a direction the rule sees:

- `studies`: how many there are; `randomised`: how many say they were randomised;
  `participants`: the sum of their `n_total` (those without one add nothing);
- `improved`, and the shares of studies improved, worsened and with no difference (mixed studies
  count in the denominator, so a drug whose studies disagree has low shares everywhere);
- the two-sided sign test of improved against worsened studies;
- `constructs_improved`: constructs where more studies improved than worsened (per-construct
  directions, same 70% rule).

The protocol's grades are tried in order; the first whose conditions all hold is the conclusion,
and a drug that meets none gets `otherwise`. Each conclusion keeps why the grades above it were
missed, so a report can say what more evidence would change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from livingreview.protocol.models import ConclusionGrade, Conclusions, Protocol
from livingreview.synthesis.effect_direction import SignTest, overall_direction, sign_test, study_directions
from livingreview.synthesis.evidence import DIRECTIONS, Direction, StudyEvidence, in_order, select_studies

@dataclass(frozen=True)
class DrugEvidence:
    drug: str
    label: str
    studies: tuple[StudyEvidence, ...]  # every selected study of the drug, by label
    directions: dict[str, Direction | None]  # study key -> overall direction
    by_construct: dict[str, dict[Direction, int]]  # construct -> studies per direction

    @property
    def voting(self) -> list[StudyEvidence]:
        """The studies with a direction: the ones the rule counts."""
        return [s for s in self.studies if self.directions[s.key] is not None]

    @property
    def counts(self) -> dict[Direction, int]:
        tally = Counter(d for d in self.directions.values() if d is not None)
        return {d: tally[d] for d in DIRECTIONS}

    @property
    def randomised(self) -> int:
        return sum(s.is_randomised for s in self.voting)

    @property
    def participants(self) -> int:
        return sum(s.n_total or 0 for s in self.voting)

    @property
    def without_n(self) -> int:
        return sum(s.n_total is None for s in self.voting)

    def share(self, direction: Direction) -> float:
        return self.counts[direction] / len(self.voting) if self.voting else 0.0

    @property
    def sign_test(self) -> SignTest:
        return sign_test(self.directions.values())

    @property
    def constructs_improved(self) -> int:
        return sum(1 for c in self.by_construct.values() if c.get("improved", 0) > c.get("worsened", 0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "drug": self.drug, "label": self.label, "included_studies": len(self.studies),
            "studies_with_direction": len(self.voting), "randomised": self.randomised,
            "participants": self.participants, "studies_without_n": self.without_n,
            "directions": self.counts, "sign_test": self.sign_test.to_dict(),
            "constructs_improved": self.constructs_improved, "by_construct": self.by_construct,
            "citations": [{"key": s.key, "label": s.label, "direction": self.directions[s.key]}
                          for s in self.studies],
        }


@dataclass(frozen=True)
class Conclusion:
    evidence: DrugEvidence
    grade: str
    missed: dict[str, list[str]]  # grade tried before this one -> the conditions it missed

    def text(self, construct_labels: Mapping[str, str] | None = None) -> str:
        """One paragraph a report or terminal can print (plain text; escape it for markup)."""
        labels = construct_labels or {}
        e = self.evidence
        counts = e.counts
        name = e.label[:1].upper() + e.label[1:]
        parts = [
            f"{name}: {self.grade} \u2014 {len(e.studies)} included stud{'y' if len(e.studies) == 1 else 'ies'}, "
            f"{len(e.voting)} with a direction of effect ({e.randomised} randomised, {_participants(e)}): "
            + ", ".join(f"{counts[d]} {d}" for d in DIRECTIONS) + f"; {e.sign_test.text()}.",
        ]
        if e.by_construct:
            constructs = "; ".join(
                f"{labels.get(c, c)} " + ", ".join(f"{n} {d}" for d, n in tally.items())
                for c, tally in e.by_construct.items())
            parts.append(f"By construct: {constructs}.")
        for grade, reasons in self.missed.items():
            parts.append(f"Not {grade}: {'; '.join(reasons)}.")
        cited = ", ".join(f"{s.label} [{s.key}]" for s in e.studies)
        parts.append(f"Studies: {cited}.")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"grade": self.grade, "missed": self.missed, **self.evidence.to_dict()}


def _participants(evidence: DrugEvidence) -> str:
    if evidence.voting and evidence.without_n == len(evidence.voting):
        return "N not reported"
    missing = evidence.without_n
    more = f" + {missing} stud{'y' if missing == 1 else 'ies'} without N" if missing else ""
    return f"N = {evidence.participants}{more}"


def drug_evidence(studies: Sequence[StudyEvidence], drug: str, label: str,
                  construct_order: Sequence[str] = ()) -> DrugEvidence:
    own = sorted((s for s in studies if drug in s.drugs), key=lambda s: s.label)
    by_construct: dict[str, Counter[Direction]] = {}
    for study in own:
        for construct, cell in study_directions(study).items():
            if cell.direction is not None:
                by_construct.setdefault(construct, Counter())[cell.direction] += 1
    ordered = in_order(set(by_construct), construct_order)
    return DrugEvidence(
        drug, label, tuple(own), {s.key: overall_direction(s) for s in own},
        {c: {d: by_construct[c][d] for d in DIRECTIONS if by_construct[c][d]} for c in ordered},
    )


def missed_conditions(grade: ConclusionGrade, evidence: DrugEvidence) -> list[str]:
    """Each condition of the grade the evidence does not meet, said with both numbers."""
    missed = []
    for key, have in (("min_studies", len(evidence.voting)), ("min_randomised", evidence.randomised),
                      ("min_participants", evidence.participants), ("min_improved", evidence.counts["improved"]),
                      ("min_constructs_improved", evidence.constructs_improved)):
        need = getattr(grade, key)
        if have < need:
            missed.append(f"{key.removeprefix('min_').replace('_', ' ')} {have} < {need}")
    shared: tuple[Direction, ...] = ("improved", "worsened", "no difference")
    for direction in shared:
        field = direction.replace(" ", "_")
        share = evidence.share(direction)
        low, high = getattr(grade, f"min_share_{field}"), getattr(grade, f"max_share_{field}")
        if low is not None and share < low:
            missed.append(f"share {direction} {share:.2f} < {low:.2f}")
        if high is not None and share > high:
            missed.append(f"share {direction} {share:.2f} > {high:.2f}")
    if grade.sign_test_p_below is not None:
        p = evidence.sign_test.p_value
        if p is None or p >= grade.sign_test_p_below:
            shown = "not computable" if p is None else f"{p:.3g}"
            missed.append(f"sign test p {shown}, not below {grade.sign_test_p_below:g}")
    return missed


_CONDITION_WORDS = {
    "min_studies": "at least {} studies with a direction of effect",
    "min_randomised": "at least {} of them randomised",
    "min_participants": "at least {} participants",
    "min_improved": "at least {} improved",
    "min_constructs_improved": "more studies improved than worsened in at least {} constructs",
    "min_share_improved": "at least {:.0%} improved", "max_share_improved": "at most {:.0%} improved",
    "min_share_worsened": "at least {:.0%} worsened", "max_share_worsened": "at most {:.0%} worsened",
    "min_share_no_difference": "at least {:.0%} with no difference",
    "max_share_no_difference": "at most {:.0%} with no difference",
    "sign_test_p_below": "two-sided sign test (improved vs worsened) p < {:g}",
}


def rule_text(rule: Conclusions) -> str:
    """The rule in words, for a report to print beside the conclusions."""
    lines = []
    for grade in rule.grades:
        # A minimum of 0 asks nothing; a maximum of 0 ("no study improved") does.
        conditions = [words.format(value) for key, words in _CONDITION_WORDS.items()
                      if (value := getattr(grade, key)) is not None and not (key.startswith("min_") and value == 0)]
        lines.append(f"{grade.name}: " + ("; ".join(conditions) or "always"))
    lines.append(f"otherwise: {rule.otherwise}")
    scope = "included and 'maybe' studies" if rule.include_maybe else "included studies"
    return (f"Per drug, over its {scope}; the first grade whose conditions all hold is given.\n"
            + "\n".join(lines))


def grade_drug(evidence: DrugEvidence, rule: Conclusions) -> Conclusion:
    missed: dict[str, list[str]] = {}
    for grade in rule.grades:
        reasons = missed_conditions(grade, evidence)
        if not reasons:
            return Conclusion(evidence, grade.name, missed)
        missed[grade.name] = reasons
    return Conclusion(evidence, rule.otherwise, missed)


def participants_text(row: Mapping[str, Any]) -> str:
    """A `ConclusionTable.rows()` row's participants as a reader takes them: a sum over studies
    whose N is unknown is no count ("not reported"), and a partial sum says what it leaves out."""
    missing = int(row.get("studies_without_n", 0))
    if missing and missing >= int(row.get("studies_with_direction", 0)):
        return "not reported"
    shown = f"{int(row['participants']):,}"
    return f"{shown} ({missing} with N not reported)" if missing else shown


@dataclass(frozen=True)
class ConclusionTable:
    conclusions: tuple[Conclusion, ...]
    rule: Conclusions
    construct_labels: dict[str, str]

    def text(self) -> str:
        return "\n".join(c.text(self.construct_labels) for c in self.conclusions)

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per drug, for a table or a CSV."""
        rows: list[dict[str, Any]] = []
        for c in self.conclusions:
            e = c.evidence
            test = e.sign_test
            rows.append({"drug": e.label, "grade": c.grade, "included_studies": len(e.studies),
                         "studies_with_direction": len(e.voting), "randomised": e.randomised,
                         "participants": e.participants, "studies_without_n": e.without_n,
                         **{d: e.counts[d] for d in DIRECTIONS},
                         "sign_test_p": test.p_value, "constructs_improved": e.constructs_improved,
                         "studies": "; ".join(f"{s.label} [{s.key}]" for s in e.studies)})
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule.model_dump(), "rule_text": rule_text(self.rule),
                "conclusions": [c.to_dict() for c in self.conclusions]}


def conclude(studies: Sequence[StudyEvidence], protocol: Protocol, *, include_maybe: bool | None = None,
             drug_vocabulary: str = "intervention", construct_vocabulary: str = "construct") -> ConclusionTable:
    """A graded conclusion for every drug with a selected study, in the protocol's drug order.

    `include_maybe` overrides the rule's own setting (a sensitivity analysis).
    """
    rule = protocol.synthesis.conclusions
    maybe = rule.include_maybe if include_maybe is None else include_maybe
    chosen = select_studies(studies, maybe)
    drug_terms = protocol.vocabularies[drug_vocabulary].terms
    construct_terms = protocol.vocabularies[construct_vocabulary].terms
    labels = {t.id: t.label for t in drug_terms}
    drugs = in_order({d for s in chosen for d in s.drugs}, [t.id for t in drug_terms])
    construct_order = [t.id for t in construct_terms]
    conclusions = tuple(grade_drug(drug_evidence(chosen, d, labels.get(d, d), construct_order), rule) for d in drugs)
    return ConclusionTable(conclusions, rule, {t.id: t.label for t in construct_terms})
