"""The RoB 2 page: the signalling questions of each domain and, as they are answered, the
judgement the tool's algorithm gives (`appraisal.algorithms.judge_domain`), then the overall one.

It computes; it does not store. Appraisals are recorded with `livingreview appraise` (CSV import)
until the appraisal service offers a call that records one study's answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Mapping

from livingreview.appraisal.algorithms import AnswerError, judge_domain, overall_judgement
from livingreview.appraisal.forms import Domain, Form, load_form

ROB2 = "rob2"


@dataclass
class QuestionRow:
    id: str
    text: str
    answers: tuple[str, ...]
    given: str
    asked: bool


@dataclass
class DomainRow:
    id: str
    name: str
    questions: list[QuestionRow]
    judgement: str | None = None
    rules: tuple[str, ...] = ()
    waiting: str | None = None  # what the algorithm still needs


@dataclass
class Rob2View:
    aim: str
    aims: tuple[str, ...]
    domains: list[DomainRow] = field(default_factory=list)
    overall: str | None = None
    flags: tuple[str, ...] = ()


def rob2_view(aim: str | None, given: Mapping[str, str]) -> Rob2View:
    """Each domain's questions with the answers `given` (keyed "<domain>:<question>")."""
    form = load_form(ROB2)
    aim = aim if aim in form.aims else form.aims[0]
    view = Rob2View(aim, form.aims)
    for domain in form.domains_for(aim):
        view.domains.append(_domain_row(form, domain, {q.id: given.get(f"{domain.id}:{q.id}", "")
                                                       for q in domain.questions}))
    judgements = [row.judgement for row in view.domains]
    if all(judgement is not None for judgement in judgements):
        view.overall, view.flags = overall_judgement(form, [j for j in judgements if j is not None])
    return view


def _domain_row(form: Form, domain: Domain, answers: dict[str, str]) -> DomainRow:
    so_far: dict[str, str] = {}
    questions = []
    for question in domain.questions:
        asked = question.is_asked(so_far)
        so_far[question.id] = answers[question.id] if asked and answers[question.id] else "NA"
        questions.append(QuestionRow(question.id, question.text, question.answers,
                                     answers[question.id] if asked else "", asked))
    row = DomainRow(domain.id, domain.name, questions)
    given = {q.id: q.given for q in questions if q.asked and q.given}
    try:
        row.judgement, row.rules, _ = judge_domain(form, "this study", domain, given)
    except AnswerError as error:
        row.waiting = str(error)
    return row
