"""The lead's disagreement pages: extraction fields two extractors filled differently, and
risk-of-bias domains two appraisers judged differently.

Nothing is decided here. Which fields and domains are in conflict comes from the stage code
(`extraction.verify.conflicts`, `appraisal.service.appraisals`, both over the judgement ledger),
and a resolution goes through the call the CLI's `extract --resolve` and `appraise --resolve` make
(`extraction.verify.resolve`, `appraisal.service.resolve`), with the logged-in lead as the lead.
Values are shown as the extractors typed them; the templates escape every one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from livingreview.appraisal import service as appraisal_service
from livingreview.appraisal.forms import load_form
from livingreview.extraction import verify
from livingreview.extraction.form import form_of
from livingreview.project import Review
from livingreview.protocol.models import Extraction
from livingreview.store.records import records_by_id
from livingreview.store.studies import records_of_study
from livingreview.web.extraction import shown


@dataclass(frozen=True)
class FieldDisagreement:
    label: str  # as `extract --resolve` names the field: `blinding`, `outcomes[0].direction`
    values: dict[str, str]  # reviewer → value as typed ("a; b" for lists)
    choices: tuple[str, ...]  # the distinct values, each one a resolution the lead may pick
    allowed: tuple[str, ...]  # the form's values for an enum field, else ()


@dataclass
class StudyFields:
    study_id: int
    title: str
    fields: list[FieldDisagreement] = field(default_factory=list)


def extraction_disagreements(review: Review) -> list[StudyFields]:
    """Per study, the fields whose extractors' current values differ and no resolution stands."""
    form = form_of(review.protocol)
    studies: dict[int, StudyFields] = {}
    for conflict in verify.conflicts(review.store):
        study = studies.get(conflict.ref.study_id)
        if study is None:
            study = studies[conflict.ref.study_id] = StudyFields(conflict.ref.study_id,
                                                                 _study_title(review, conflict.ref.study_id))
        values = {reviewer: shown(value) for reviewer, value in conflict.values.items()}
        study.fields.append(FieldDisagreement(conflict.ref.label, values, tuple(dict.fromkeys(values.values())),
                                              _allowed(form, conflict.ref)))
    return list(studies.values())


def _allowed(form: Extraction, ref: verify.FieldRef) -> tuple[str, ...]:
    try:
        return tuple(verify.form_field(form, ref).values)
    except verify.VerificationError:
        return ()  # a field the form no longer has: still shown, so the lead can settle it or see why not


def _study_title(review: Review, study_id: int) -> str:
    records = records_by_id(review.store, records_of_study(review.store, study_id)[:1])
    return (records[0].title if records else None) or f"study {study_id}"


def resolve_field(review: Review, lead: str, study_id: int, label: str, value: str, reason: str | None) -> str:
    """The lead's value for one field (as `extract --resolve` records it); the acknowledgement."""
    judgement = verify.resolve(review.store, review.protocol, study_id, label, value, lead, reason=reason)
    if judgement is None:
        return f"already so: study {study_id} {label}"
    return f"saved resolution {judgement.id}: study {study_id} {label} = {value}"


@dataclass(frozen=True)
class AnswerRow:
    question: str
    text: str
    answers: dict[str, str]  # appraiser → answer
    differs: bool


# The pages that show one appraiser's form for a study (a lead may open them once appraisers conflict).
FORM_PAGES = {"rob2": "/appraise/rob2", "robins-i": "/appraise/robins-i"}


@dataclass(frozen=True)
class DomainDisagreement:
    study: str  # the study it stands for now
    appraised_as: str  # the study ref its judgements are stored under (before any merge)
    label: str
    tool: str
    outcome: str | None
    domain: str
    name: str
    judgements: dict[str, str]  # appraiser → the judgement their answers give
    levels: tuple[str, ...]
    answers: tuple[AnswerRow, ...]  # the domain's signalling questions (none for a domain judged directly)


def appraisal_disagreements(review: Review) -> list[DomainDisagreement]:
    """Every domain whose appraisers' judgements differ with no resolution standing, with each
    appraiser's answers to the domain's signalling questions."""
    found = []
    for appraisal in appraisal_service.appraisals(review.store, review.study_index()):
        form = load_form(appraisal.unit.tool)
        for status in appraisal.domains:
            if status.status != "conflict":
                continue
            domain = next(d for d in form.domains_for(appraisal.aim) if d.id == status.domain)
            rows = []
            for question in domain.questions:
                answers = {reviewer: result_domain.answers.get(question.id, "")
                           for reviewer, result in appraisal.by_reviewer.items()
                           for result_domain in result.domains if result_domain.domain == domain.id}
                rows.append(AnswerRow(question.id, question.text, answers, len(set(answers.values())) > 1))
            found.append(DomainDisagreement(appraisal.study, appraisal.unit.study, appraisal.label,
                                            appraisal.unit.tool, appraisal.unit.outcome, domain.id, domain.name,
                                            dict(status.by_reviewer), domain.levels, tuple(rows)))
    return found


def resolve_domain(review: Review, lead: str, study: str, tool: str, outcome: str | None, domain: str,
                   judgement: str, reason: str) -> str:
    """The lead's judgement of one domain (as `appraise --resolve` records it); the acknowledgement."""
    resolution = appraisal_service.resolve(review.store, study, domain, judgement, lead, reason,
                                           index=review.study_index(), tool=tool, outcome=outcome)
    return f"saved resolution {resolution.id}: study {study} {tool} {domain} = {judgement}"
