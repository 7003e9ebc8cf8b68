"""GRADE certainty of a body of evidence (one outcome, e.g. one drug and construct).

GRADE asks for judgement; this module makes the judgement reproducible by writing each step as a
rule with a parameter (`GradeThresholds`), so a reviewer can see, change and override it. Sources:
Guyatt et al., GRADE guidelines 4 (risk of bias), 5 (publication bias), 6 (imprecision),
7 (inconsistency), 8 (indirectness) and 9 (rating up), J Clin Epidemiol 2011;64; Schünemann et al.,
GRADE guidelines 18 (ROBINS-I), J Clin Epidemiol 2019;111:105-114.

- Start: randomised evidence starts High. Non-randomised evidence starts Low by default
  (`nrs_start="low"`); GRADE 18 lets evidence appraised with ROBINS-I start High
  (`nrs_start="high"`), because ROBINS-I's risk-of-bias judgement then carries the confounding
  concern. We default to Low because our ROBINS-I judgements are entered directly rather than
  derived from V2's signalling questions (see appraisal/forms/robins_i.toml).
- Five downgrade domains, each 0, 1 or 2 levels with a reason; a reviewer can override any of them
  with a reason, and the proposed rating is kept beside it.
- Upgrades (large effect, dose-response) only for non-randomised evidence that starts Low and has no
  downgrade (GRADE 9: rating up is for evidence without serious limitations), at most 2 levels.
- Final: High, Moderate, Low or Very low.

Study weights (e.g. meta-analysis weights) are used when every study has one; otherwise each study
counts once, and the reasons say which was used.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Literal

CERTAINTY_LEVELS = ("Very low", "Low", "Moderate", "High")
DOMAINS = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
DOMAIN_NAMES = {
    "risk_of_bias": "Risk of bias",
    "inconsistency": "Inconsistency",
    "indirectness": "Indirectness",
    "imprecision": "Imprecision",
    "publication_bias": "Publication bias",
}
_SERIOUS_ROB = {"High", "Serious", "Critical"}
_SOME_ROB = {"Some concerns", "Moderate", "Low (except for concerns about uncontrolled confounding)"}
_LOW_ROB = {"Low"}
RATIO_MEASURES = {"RR", "OR", "HR", "IRR", "ROM"}

Design = Literal["randomised", "non-randomised"]


@dataclass(frozen=True)
class GradeThresholds:
    """The rules' parameters. Defaults are this project's operationalisation, with their sources."""

    # Risk of bias: share of weight (or of studies) whose overall judgement is High/Serious/Critical,
    # or not Low. GRADE 4 gives no numbers; a quarter and a half are this project's choice.
    rob_serious_share: float = 0.25
    rob_very_serious_share: float = 0.5
    rob_not_low_share: float = 0.5
    # Inconsistency: I² bands of the Cochrane Handbook, chapter 10 (50-90% may be substantial,
    # 75-100% considerable); studies "disagree in direction" when at least this share of the
    # weight lies on the other side of no effect from the pooled estimate.
    i2_serious: float = 50.0
    i2_very_serious: float = 75.0
    direction_minority_share: float = 0.25
    # Indirectness: share of weight (or of studies) flagged indirect.
    indirect_share: float = 0.5
    # Imprecision (GRADE 6): 400 participants is the rule-of-thumb optimal information size GRADE
    # gives for continuous outcomes; for a dichotomous outcome with a known control-group risk the
    # OIS is the conventional sample size to detect a 25% relative risk reduction (two-sided 5%,
    # power 80%). Appreciable benefit and harm: relative effects of 25% (RR 0.75 and 1.25) for ratio
    # measures, and a small standardised effect (Cohen's 0.2) for SMD.
    optimal_information_size: int = 400
    relative_risk_reduction: float = 0.25
    alpha: float = 0.05
    power: float = 0.80
    decision_thresholds: Mapping[str, tuple[float, float]] = field(
        default_factory=lambda: {
            **{measure: (0.75, 1.25) for measure in RATIO_MEASURES},
            "SMD": (-0.2, 0.2),
        }
    )
    # Publication bias: Egger's test at the 10% level, run only with 10 or more studies
    # (Sterne et al., BMJ 2011;343:d4002); with fewer, downgrade only if asked to.
    egger_alpha: float = 0.10
    min_studies_for_egger: int = 10
    downgrade_when_untestable: bool = False
    # Rating up (GRADE 9): a large effect is a ratio beyond 2 (or below 0.5), very large beyond 5
    # (or below 0.2), with a confidence interval that excludes no effect.
    large_ratio: float = 2.0
    very_large_ratio: float = 5.0
    nrs_start: Literal["low", "high"] = "low"


@dataclass(frozen=True)
class StudyEvidence:
    study: str
    risk_of_bias: str  # the study's overall judgement (RoB 2 or ROBINS-I level)
    weight: float | None = None
    participants: int | None = None
    estimate: float | None = None  # the study's effect, on the pooled effect's scale
    indirect: bool = False


@dataclass(frozen=True)
class PooledEffect:
    """The pooled estimate on its natural scale (ratios as ratios, not logs); I² in percent."""

    measure: str
    estimate: float
    ci_low: float
    ci_high: float
    i2: float | None = None
    egger_p: float | None = None

    @property
    def is_ratio(self) -> bool:
        return self.measure.upper() in RATIO_MEASURES

    @property
    def null(self) -> float:
        return 1.0 if self.is_ratio else 0.0


@dataclass(frozen=True)
class DomainOverride:
    levels: int
    reason: str


@dataclass(frozen=True)
class BodyOfEvidence:
    outcome: str
    design: Design
    studies: tuple[StudyEvidence, ...]
    effect: PooledEffect | None = None  # None when the studies were not pooled
    dose_response: bool = False
    overrides: Mapping[str, DomainOverride] = field(default_factory=dict)
    control_risk: float | None = None  # dichotomous outcomes: the comparator group's event risk


@dataclass(frozen=True)
class DomainRating:
    domain: str
    levels: int  # levels rated down: 0, 1 or 2
    reason: str
    proposed: int  # what the rule gave, before any override
    override_reason: str | None = None


@dataclass(frozen=True)
class Upgrade:
    factor: str
    levels: int
    reason: str


@dataclass(frozen=True)
class CertaintyRating:
    outcome: str
    start: str
    downgrades: tuple[DomainRating, ...]
    upgrades: tuple[Upgrade, ...]
    certainty: str

    def reasons(self) -> tuple[str, ...]:
        """One line per domain rated down and per factor rated up, for tables and footnotes."""
        down = [
            f"{DOMAIN_NAMES[d.domain]} -{d.levels}: {d.reason}"
            + (f" (reviewer: {d.override_reason}; rule proposed -{d.proposed})" if d.override_reason else "")
            for d in self.downgrades
            if d.levels or d.override_reason
        ]
        return tuple(down + [f"{u.factor} +{u.levels}: {u.reason}" for u in self.upgrades if u.levels])


@dataclass(frozen=True)
class SummaryOfFindingsRow:
    outcome: str
    studies: int
    participants: int | None
    effect: str
    certainty: str
    reasons: tuple[str, ...]


def rate_certainty(body: BodyOfEvidence, thresholds: GradeThresholds | None = None) -> CertaintyRating:
    """The GRADE rating of one body of evidence, with a reason for every level moved."""
    rules = thresholds or GradeThresholds()
    _validate(body)
    start = 4 if body.design == "randomised" or rules.nrs_start == "high" else 2
    proposed = {
        "risk_of_bias": _risk_of_bias(body, rules),
        "inconsistency": _inconsistency(body, rules),
        "indirectness": _indirectness(body, rules),
        "imprecision": _imprecision(body, rules),
        "publication_bias": _publication_bias(body, rules),
    }
    downgrades = tuple(_with_override(body, domain, *proposed[domain]) for domain in DOMAINS)
    total_down = sum(d.levels for d in downgrades)
    upgrades: tuple[Upgrade, ...] = ()
    if body.design == "non-randomised" and start == 2 and total_down == 0:
        upgrades = _upgrades(body, rules)
    score = start - total_down + min(2, sum(u.levels for u in upgrades))
    certainty = CERTAINTY_LEVELS[min(4, max(1, score)) - 1]
    return CertaintyRating(body.outcome, CERTAINTY_LEVELS[start - 1], downgrades, upgrades, certainty)


def summary_of_findings(
    bodies: Sequence[BodyOfEvidence], thresholds: GradeThresholds | None = None
) -> list[SummaryOfFindingsRow]:
    """One summary-of-findings row per body of evidence: k, N, effect with CI, certainty, reasons."""
    rows = []
    for body in bodies:
        rating = rate_certainty(body, thresholds)
        rows.append(
            SummaryOfFindingsRow(
                outcome=body.outcome,
                studies=len(body.studies),
                participants=_participants(body.studies),
                effect=format_effect(body.effect),
                certainty=rating.certainty,
                reasons=rating.reasons(),
            )
        )
    return rows


def format_effect(effect: PooledEffect | None) -> str:
    if effect is None:
        return "not pooled"
    return f"{effect.measure} {effect.estimate:.2f} (95% CI {effect.ci_low:.2f} to {effect.ci_high:.2f})"


# The five domains: each returns (levels, reason).


def _risk_of_bias(body: BodyOfEvidence, rules: GradeThresholds) -> tuple[int, str]:
    serious = _share(body.studies, lambda s: s.risk_of_bias in _SERIOUS_ROB)
    not_low = _share(body.studies, lambda s: s.risk_of_bias not in _LOW_ROB)
    basis = _basis(body.studies)
    names = _names(s for s in body.studies if s.risk_of_bias in _SERIOUS_ROB)
    if serious >= rules.rob_very_serious_share:
        return 2, f"{serious:.0%} of {basis} from studies at high or serious risk of bias ({names})"
    if serious >= rules.rob_serious_share:
        return 1, f"{serious:.0%} of {basis} from studies at high or serious risk of bias ({names})"
    if not_low >= rules.rob_not_low_share:
        return 1, f"{not_low:.0%} of {basis} from studies not at low risk of bias"
    return 0, f"{1 - not_low:.0%} of {basis} from studies at low risk of bias"


def _inconsistency(body: BodyOfEvidence, rules: GradeThresholds) -> tuple[int, str]:
    if len(body.studies) < 2:
        return 0, "a single study: inconsistency cannot be judged"
    minority = _direction_minority(body)
    disagree = minority is not None and minority >= rules.direction_minority_share
    parts = []
    i2 = body.effect.i2 if body.effect else None
    if i2 is not None:
        parts.append(f"I² = {i2:.0f}%")
    if minority is not None:
        parts.append(f"{minority:.0%} of {_basis(body.studies)} on the other side of no effect")
    reason = "; ".join(parts) or "no I² and no study estimates to compare"
    if i2 is not None and i2 >= rules.i2_very_serious:
        return (2 if disagree else 1), reason
    if (i2 is not None and i2 >= rules.i2_serious) or disagree:
        return 1, reason
    return 0, reason


def _indirectness(body: BodyOfEvidence, rules: GradeThresholds) -> tuple[int, str]:
    share = _share(body.studies, lambda s: s.indirect)
    flagged = [s for s in body.studies if s.indirect]
    if not flagged:
        return 0, "no study flagged as indirect"
    reason = f"{len(flagged)} of {len(body.studies)} studies ({share:.0%} of {_basis(body.studies)}) indirect: {_names(flagged)}"
    return (1 if share >= rules.indirect_share else 0), reason


def _imprecision(body: BodyOfEvidence, rules: GradeThresholds) -> tuple[int, str]:
    levels, parts = 0, []
    effect = body.effect
    if effect is None:
        parts.append("no pooled estimate")
    else:
        interval = f"95% CI {effect.ci_low:.2f} to {effect.ci_high:.2f}"
        low, high = rules.decision_thresholds.get(effect.measure.upper(), (math.nan, math.nan))
        if effect.ci_low <= low and effect.ci_high >= high:
            levels, text = 2, f"{interval} includes both appreciable benefit and harm ({low:g} and {high:g})"
        elif effect.ci_low <= effect.null <= effect.ci_high:
            levels, text = 1, f"{interval} includes no effect ({effect.null:g})"
        elif any(effect.ci_low < t < effect.ci_high for t in (low, high)):
            crossed = next(t for t in (low, high) if effect.ci_low < t < effect.ci_high)
            levels, text = 1, f"{interval} crosses the decision threshold {crossed:g}"
        else:
            text = f"{interval} excludes no effect" + ("" if math.isnan(low) else " and the decision thresholds")
        parts.append(text)
    participants = _participants(body.studies)
    if body.control_risk is None:
        target, basis = rules.optimal_information_size, ""
    else:
        target = optimal_information_size(body.control_risk, rules.relative_risk_reduction, rules.alpha, rules.power)
        basis = f" (control risk {body.control_risk:g}, relative risk reduction {rules.relative_risk_reduction:g})"
    if participants is None:
        parts.append("participants not known for every study: optimal information size not checked")
    elif participants < target:
        levels += 1
        parts.append(f"{participants} participants, fewer than the optimal information size of {target}{basis}")
    else:
        parts.append(f"{participants} participants")
    return min(levels, 2), "; ".join(parts)


def optimal_information_size(
    control_risk: float, relative_risk_reduction: float = 0.25, alpha: float = 0.05, power: float = 0.80
) -> int:
    """Participants in two equal groups needed to detect the relative risk reduction (two-sided).

    The normal approximation for two independent proportions without continuity correction (as in
    statsmodels' samplesize_proportions_2indep_onetail), rounded up per group.
    """
    if not 0 < control_risk < 1 or not 0 < relative_risk_reduction < 1:
        raise ValueError("control risk and relative risk reduction must lie strictly between 0 and 1")
    treated = control_risk * (1 - relative_risk_reduction)
    mean = (control_risk + treated) / 2
    normal = NormalDist()
    z_alpha, z_power = normal.inv_cdf(1 - alpha / 2), normal.inv_cdf(power)
    spread = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_power * math.sqrt(
        control_risk * (1 - control_risk) + treated * (1 - treated)
    )
    return 2 * math.ceil((spread / (control_risk - treated)) ** 2)


def _publication_bias(body: BodyOfEvidence, rules: GradeThresholds) -> tuple[int, str]:
    k = len(body.studies)
    egger = body.effect.egger_p if body.effect else None
    if k < rules.min_studies_for_egger:
        reason = f"{k} studies, fewer than {rules.min_studies_for_egger}: funnel asymmetry cannot be tested"
        return (1, reason + "; rated down as requested") if rules.downgrade_when_untestable else (0, reason)
    if egger is None:
        return 0, f"{k} studies; Egger's test not run"
    if egger < rules.egger_alpha:
        return 1, f"Egger's test p = {egger:.3f} (k = {k}): funnel asymmetry"
    return 0, f"Egger's test p = {egger:.3f} (k = {k})"


def _upgrades(body: BodyOfEvidence, rules: GradeThresholds) -> tuple[Upgrade, ...]:
    upgrades = []
    effect = body.effect
    if effect is not None and effect.is_ratio and not effect.ci_low <= 1.0 <= effect.ci_high:
        size = max(effect.estimate, 1 / effect.estimate)
        text = f"{effect.measure} {effect.estimate:.2f}"
        if size >= rules.very_large_ratio:
            upgrades.append(Upgrade("Very large effect", 2, f"{text}, beyond {rules.very_large_ratio:g}-fold"))
        elif size >= rules.large_ratio:
            upgrades.append(Upgrade("Large effect", 1, f"{text}, beyond {rules.large_ratio:g}-fold"))
    if body.dose_response:
        upgrades.append(Upgrade("Dose-response", 1, "a dose-response gradient"))
    return tuple(upgrades)


def _with_override(body: BodyOfEvidence, domain: str, levels: int, reason: str) -> DomainRating:
    override = body.overrides.get(domain)
    if override is None:
        return DomainRating(domain, levels, reason, levels)
    return DomainRating(domain, override.levels, reason, levels, override.reason)


def _validate(body: BodyOfEvidence) -> None:
    where = f"body of evidence {body.outcome!r}"
    if not body.studies:
        raise ValueError(f"{where}: no studies")
    if body.design not in ("randomised", "non-randomised"):
        raise ValueError(f"{where}: design must be 'randomised' or 'non-randomised' (got {body.design!r})")
    known = _SERIOUS_ROB | _SOME_ROB | _LOW_ROB
    for study in body.studies:
        if study.risk_of_bias not in known:
            raise ValueError(f"{where}, study {study.study!r}: unknown risk-of-bias judgement {study.risk_of_bias!r}")
        if study.weight is not None and not study.weight >= 0:
            raise ValueError(f"{where}, study {study.study!r}: weight must be >= 0")
    if body.control_risk is not None and not 0 < body.control_risk < 1:
        raise ValueError(f"{where}: control risk must lie strictly between 0 and 1 (got {body.control_risk})")
    for domain, override in body.overrides.items():
        if domain not in DOMAINS:
            raise ValueError(f"{where}: cannot override {domain!r}; domains are {', '.join(DOMAINS)}")
        if override.levels not in (0, 1, 2) or not override.reason.strip():
            raise ValueError(f"{where}: override of {domain} needs 0, 1 or 2 levels and a reason")
    effect = body.effect
    if effect is not None:
        if not effect.ci_low <= effect.estimate <= effect.ci_high:
            raise ValueError(f"{where}: estimate {effect.estimate} is outside its CI [{effect.ci_low}, {effect.ci_high}]")
        if effect.is_ratio and effect.ci_low <= 0:
            raise ValueError(f"{where}: {effect.measure} is a ratio; give it on its natural scale (> 0)")
        if effect.i2 is not None and not 0 <= effect.i2 <= 100:
            raise ValueError(f"{where}: I² is in percent, 0 to 100 (got {effect.i2})")
        if effect.egger_p is not None and not 0 <= effect.egger_p <= 1:
            raise ValueError(f"{where}: Egger's p must be within 0 and 1 (got {effect.egger_p})")


def _weights(studies: Sequence[StudyEvidence]) -> list[float]:
    if all(s.weight is not None for s in studies) and sum(s.weight or 0.0 for s in studies) > 0:
        return [s.weight or 0.0 for s in studies]
    return [1.0] * len(studies)


def _basis(studies: Sequence[StudyEvidence]) -> str:
    weighted = all(s.weight is not None for s in studies) and sum(s.weight or 0.0 for s in studies) > 0
    return "the weight" if weighted else "the studies"


def _share(studies: Sequence[StudyEvidence], test: Callable[[StudyEvidence], bool]) -> float:
    weights = _weights(studies)
    chosen = sum(w for s, w in zip(studies, weights, strict=True) if test(s))
    return chosen / sum(weights)


def _direction_minority(body: BodyOfEvidence) -> float | None:
    """Share of weight on the other side of no effect from the pooled estimate (or the majority)."""
    null = body.effect.null if body.effect else 0.0
    sided = [(s, w) for s, w in zip(body.studies, _weights(body.studies), strict=True) if s.estimate is not None and s.estimate != null]
    if len(sided) < 2:
        return None
    above = sum(w for s, w in sided if s.estimate is not None and s.estimate > null)
    below = sum(w for s, w in sided if s.estimate is not None and s.estimate < null)
    total = above + below
    if body.effect is not None and body.effect.estimate != null:
        return (below if body.effect.estimate > null else above) / total
    return min(above, below) / total


def _participants(studies: Sequence[StudyEvidence]) -> int | None:
    if any(s.participants is None for s in studies):
        return None
    return sum(s.participants or 0 for s in studies)


def _names(studies: Iterable[StudyEvidence]) -> str:
    names = [s.study for s in studies]
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
