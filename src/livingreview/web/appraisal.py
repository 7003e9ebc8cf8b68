"""The RoB 2 and ROBINS-I pages: the signalling questions of each RoB 2 domain and, as they are
answered, the judgement the tool's algorithm gives (`appraisal.algorithms.judge_domain`), then the
overall one. The ROBINS-I form judges its domains directly (its data file says why: V2's
algorithms are not modelled), so its page takes a judgement per domain and shows the overall one
the form's rule gives (`appraisal.algorithms.appraise`, most severe) as they are chosen.

Answering computes (a GET, nothing stored); saving records one study's complete answers through
`appraisal.service.record_answers`, the call the CSV import's rows go through, as the logged-in
reviewer. Reopening a study shows that reviewer's saved answers; another appraiser's only to a lead,
and only once their judgements conflict on a domain of that study (as screening shows decisions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import json

from livingreview.appraisal.algorithms import AnswerError, Assessment, appraise, judge_domain, overall_judgement
from livingreview.appraisal.forms import Domain, Form, load_form
from livingreview.appraisal.service import ROB_DOMAIN, ROB_QUESTION, STAGE, Unit, record_answers
from livingreview.project import Review
from livingreview.store import Store, ledger

ROB2 = "rob2"
ROBINS_I = "robins-i"


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


def studies(review: Review) -> list[tuple[str, str]]:
    """(ref, label) of every study that can be appraised, by label."""
    return sorted(review.study_index().labels.items(), key=lambda pair: (pair[1].casefold(), pair[0]))


def saved_answers(store: Store, study: str, reviewer: str) -> tuple[str | None, dict[str, str]]:
    """(aim, answers keyed "<domain>:<question>") of `reviewer`'s current RoB 2 answers for `study`."""
    form = load_form(ROB2)
    unit = Unit(study, ROB2)
    owner = {unit.question_item(q.id): f"{d.id}:{q.id}" for d in form.domains for q in d.questions}
    current = ledger.latest_judgements(store, ROB_QUESTION, STAGE, reviewer=reviewer, item_ids=list(owner))
    values = [(owner[j.item_id], json.loads(j.value)) for j in current if not j.is_resolution]
    aim = next((value.get("aim") for _, value in values), None)
    return aim, {key: value["answer"] for key, value in values}


def in_conflict(store: Store, study: str, tool: str = ROB2) -> bool:
    """Whether appraisers' domain judgements of `study` with `tool` differ, unresolved, on any domain."""
    prefix = Unit(study, tool).prefix + "/"
    return any(c.item_id.startswith(prefix) for c in ledger.conflicts(store, ROB_DOMAIN, STAGE))


def save(review: Review, reviewer: str, study: str, aim: str, given: Mapping[str, str]) -> str:
    """Record `given` (keyed "<domain>:<question>", empty answers left out) as `reviewer`'s RoB 2
    appraisal of `study`; the acknowledgement to show once it is committed."""
    answers = {key.split(":", 1)[-1]: answer for key, answer in given.items() if answer}
    index = review.study_index()
    saved = record_answers(review.store, index, study, reviewer, answers, tool=ROB2, aim=aim, source="web")
    return (f"saved RoB 2 answers for {index.label(saved.study)}: overall {saved.result.overall}; "
            f"{saved.recorded} judgements recorded, {saved.unchanged} unchanged")


# --- ROBINS-I: domains judged directly -----------------------------------------------------------

@dataclass(frozen=True)
class DirectDomainRow:
    id: str
    name: str
    levels: tuple[str, ...]
    given: str


@dataclass
class RobinsView:
    domains: list[DirectDomainRow]
    overall: str | None = None
    waiting: str | None = None  # what the form still needs before it gives the overall judgement


def robins_view(given: Mapping[str, str]) -> RobinsView:
    """Each ROBINS-I domain with the judgement `given` (domain id → level) and, once every domain
    has one, the overall judgement of the form's rule."""
    form = load_form(ROBINS_I)
    view = RobinsView([DirectDomainRow(d.id, d.name, d.levels, given.get(d.id, "")) for d in form.domains_for(None)])
    try:
        view.overall = appraise(form, Assessment("this study", {}, aim=None, direct=dict(given))).overall
    except AnswerError as error:
        view.waiting = str(error)
    return view


def saved_judgements(store: Store, study: str, reviewer: str, tool: str = ROBINS_I) -> dict[str, str]:
    """Domain id → `reviewer`'s current judgement of each domain of `study` with `tool`."""
    unit = Unit(study, tool)
    owner = {unit.domain_item(d.id): d.id for d in load_form(tool).domains}
    current = ledger.latest_judgements(store, ROB_DOMAIN, STAGE, reviewer=reviewer, item_ids=list(owner))
    return {owner[j.item_id]: json.loads(j.value)["judgement"] for j in current if not j.is_resolution}


def save_robins(review: Review, reviewer: str, study: str, given: Mapping[str, str]) -> str:
    """Record `given` (domain id → judgement) as `reviewer`'s ROBINS-I appraisal of `study`; the
    acknowledgement to show once it is committed."""
    index = review.study_index()
    saved = record_answers(review.store, index, study, reviewer, {}, tool=ROBINS_I, aim=None,
                           direct={d: j for d, j in given.items() if j}, source="web")
    return (f"saved ROBINS-I judgements for {index.label(saved.study)}: overall {saved.result.overall}; "
            f"{saved.recorded} judgements recorded, {saved.unchanged} unchanged")
