"""From signalling-question answers to domain and overall risk-of-bias judgements.

The domain algorithms are the rules of the form (`forms/*.toml`); this module checks an answer set
against the form's conditional structure, applies the rules, combines parts and domains, and keeps a
reviewer's override beside (never instead of) what the algorithm proposed.

Overall judgement, by the form's `overall.method`:
- `rob2`: any domain High gives High; all Low gives Low; otherwise Some concerns. RoB 2 also allows
  High when concerns in several domains together substantially lower confidence; that is a judgement,
  so it is only flagged (`consider_high` in `flags`) when `consider_high_at` or more domains have
  some concerns.
- `most_severe` (ROBINS-I): the most severe domain judgement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from livingreview.appraisal.forms import ANSWER_CODES, NOT_ASKED, Domain, Form, first_match
from livingreview.errors import BadInput

_ANSWER_SPELLINGS: dict[str, str] = {
    "YES": "Y",
    "PROBABLY YES": "PY",
    "PROBABLY NO": "PN",
    "NO": "N",
    "NO INFORMATION": "NI",
    "NOT APPLICABLE": "NA",
    "N/A": "NA",
    "": "NA",
}
CONSIDER_HIGH = "consider_high"


class AnswerError(BadInput):
    """Answers that break the form's conditional structure; names study, domain and question."""

    def __init__(self, study: str, domain: str, question: str | None, message: str) -> None:
        self.study, self.domain, self.question = study, domain, question
        where = f"study {study!r}, domain {domain}" + (f", question {question}" if question else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Override:
    """A reviewer's judgement in place of the algorithm's, with the reason (required)."""

    judgement: str
    reason: str


@dataclass(frozen=True)
class Assessment:
    """One appraiser's answers for one study (or one result of a study).

    `answers` maps domain id to {question id: answer}; `direct` holds the judgements of domains the
    form judges directly (ROBINS-I); `overrides` replace a domain's proposed judgement.
    """

    study: str
    answers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    aim: str | None = None
    outcome: str | None = None
    direct: Mapping[str, str] = field(default_factory=dict)
    overrides: Mapping[str, Override] = field(default_factory=dict)
    overall_override: Override | None = None


@dataclass(frozen=True)
class DomainResult:
    domain: str
    name: str
    short: str
    proposed: str  # the algorithm's judgement, or the appraiser's for a directly judged domain
    rules: tuple[str, ...]  # the rule that applied in each part ("judged directly" otherwise)
    answers: Mapping[str, str]
    override: Override | None = None

    @property
    def judgement(self) -> str:
        return self.override.judgement if self.override else self.proposed


@dataclass(frozen=True)
class AppraisalResult:
    study: str
    outcome: str | None
    tool: str
    aim: str | None
    domains: tuple[DomainResult, ...]
    overall_proposed: str
    overall_override: Override | None
    flags: tuple[str, ...]

    @property
    def overall(self) -> str:
        return self.overall_override.judgement if self.overall_override else self.overall_proposed

    def to_dict(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "outcome": self.outcome,
            "tool": self.tool,
            "aim": self.aim,
            "domains": [_domain_dict(d) for d in self.domains],
            "overall": self.overall,
            "overall_algorithm": self.overall_proposed,
            "overall_override": _override_dict(self.overall_override),
            "flags": list(self.flags),
        }


def normalise_answer(raw: str) -> str | None:
    """The answer code for a cell such as 'py', 'Probably yes' or '' (NA); None if unreadable."""
    text = " ".join(raw.strip().upper().split())
    if text in ANSWER_CODES:
        return text
    return _ANSWER_SPELLINGS.get(text)


def group_answers(form: Form, study: str, answers: Mapping[str, str], aim: str | None = None) -> dict[str, dict[str, str]]:
    """Answers keyed by question id alone (as the judgement ledger stores them), grouped by domain."""
    try:
        domains = form.domains_for(aim)
    except ValueError as error:
        raise AnswerError(study, "(all)", None, str(error)) from None
    owner = {question.id: domain.id for domain in domains for question in domain.questions}
    grouped: dict[str, dict[str, str]] = {domain.id: {} for domain in domains if not domain.judged_directly}
    for question_id, answer in answers.items():
        if question_id not in owner:
            raise AnswerError(study, "(all)", question_id, f"not a signalling question of {form.tool} ({aim or 'any aim'})")
        grouped[owner[question_id]][question_id] = answer
    return grouped


def check_answers(study: str, domain: Domain, given: Mapping[str, str]) -> dict[str, str]:
    """The domain's complete answer set (unasked questions as NA), or AnswerError on the first
    unknown question, disallowed answer, missing answer, or answer to a question not asked."""
    known = {question.id for question in domain.questions}
    for question_id in given:
        if question_id not in known:
            raise AnswerError(study, domain.id, question_id, f"not a question of this domain ({', '.join(sorted(known))})")
    answers: dict[str, str] = {}
    for question in domain.questions:
        answer = given.get(question.id, NOT_ASKED)
        if question.is_asked(answers):
            if answer not in question.answers:
                expected = "/".join(question.answers)
                problem = "needs an answer" if answer == NOT_ASKED else f"answer {answer!r} is not allowed"
                raise AnswerError(study, domain.id, question.id, f"{problem} (expected {expected})")
        elif answer != NOT_ASKED:
            assert question.asked_if is not None  # always asked otherwise
            earlier = ", ".join(f"{q} is {answers[q]}" for q in question.asked_if.questions)
            raise AnswerError(
                study, domain.id, question.id,
                f"answered {answer!r} but it is asked only if {question.asked_if.text} ({earlier});"
                " leave it blank or NA",
            )  # fmt: skip
        answers[question.id] = answer
    return answers


def judge_domain(form: Form, study: str, domain: Domain, given: Mapping[str, str]) -> tuple[str, tuple[str, ...], dict[str, str]]:
    """The algorithm's judgement for one domain, the rule that applied in each part, and the answers."""
    answers = check_answers(study, domain, given)
    judgements, rules = [], []
    for part in domain.parts:
        index = first_match(part, answers)
        # load_form proved the rules cover every allowed answer set, so a rule always matches.
        assert index is not None
        judgements.append(part.rules[index].judgement)
        rules.append(part.rules[index].when.text)
    return max(judgements, key=form.severity), tuple(rules), answers


def overall_judgement(form: Form, judgements: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The overall judgement from the (final) domain judgements, and any flags for the appraiser."""
    if form.overall_method == "most_severe":
        return max(judgements, key=form.severity), ()
    low, concerns, high = form.levels[0], form.levels[1], form.levels[-1]
    if high in judgements:
        return high, ()
    if all(judgement == low for judgement in judgements):
        return low, ()
    flags: tuple[str, ...] = ()
    if form.consider_high_at is not None and judgements.count(concerns) >= form.consider_high_at:
        flags = (CONSIDER_HIGH,)
    return concerns, flags


def appraise(form: Form, assessment: Assessment) -> AppraisalResult:
    """Domain judgements (proposed and final) and the overall judgement of one assessment."""
    try:
        domains = form.domains_for(assessment.aim)
    except ValueError as error:
        raise AnswerError(assessment.study, "(all)", None, str(error)) from None
    ids = {domain.id for domain in domains}
    for domain_id in [*assessment.answers, *assessment.direct, *assessment.overrides]:
        if domain_id not in ids:
            raise AnswerError(assessment.study, domain_id, None, f"not a domain of {form.tool} ({', '.join(sorted(ids))})")
    results = tuple(_domain_result(form, assessment, domain) for domain in domains)
    proposed, flags = overall_judgement(form, [result.judgement for result in results])
    overall_override = assessment.overall_override
    if overall_override is not None:
        _check_override(assessment.study, "overall", overall_override, form.levels)
    return AppraisalResult(
        study=assessment.study,
        outcome=assessment.outcome,
        tool=form.tool,
        aim=assessment.aim,
        domains=results,
        overall_proposed=proposed,
        overall_override=overall_override,
        flags=flags,
    )


def _domain_result(form: Form, assessment: Assessment, domain: Domain) -> DomainResult:
    study = assessment.study
    if domain.judged_directly:
        proposed = assessment.direct.get(domain.id)
        if proposed not in domain.levels:
            problem = "needs a judgement" if proposed is None else f"judgement {proposed!r} is not allowed"
            raise AnswerError(study, domain.id, None, f"{problem} (one of {', '.join(domain.levels)})")
        rules: tuple[str, ...] = ("judged directly",)
        answers: dict[str, str] = {}
    else:
        if domain.id not in assessment.answers:
            raise AnswerError(study, domain.id, None, "no answers given for this domain")
        proposed, rules, answers = judge_domain(form, study, domain, assessment.answers[domain.id])
    override = assessment.overrides.get(domain.id)
    if override is not None:
        _check_override(study, domain.id, override, domain.levels)
    return DomainResult(domain.id, domain.name, domain.short, proposed, rules, answers, override)


def _check_override(study: str, where: str, override: Override, levels: Sequence[str]) -> None:
    if override.judgement not in levels:
        raise AnswerError(study, where, None, f"override {override.judgement!r} is not one of {', '.join(levels)}")
    if not override.reason.strip():
        raise AnswerError(study, where, None, "an override needs a reason")


def _override_dict(override: Override | None) -> dict[str, str] | None:
    return None if override is None else {"judgement": override.judgement, "reason": override.reason}


def _domain_dict(result: DomainResult) -> dict[str, Any]:
    return {
        "domain": result.domain,
        "name": result.name,
        "judgement": result.judgement,
        "proposed": result.proposed,
        "rules": list(result.rules),
        "answers": dict(result.answers),
        "override": _override_dict(result.override),
    }
