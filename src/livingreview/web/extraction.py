"""The extraction page: each included study's fields with the rules' suggestion, the words it was
read from highlighted in the record, and the reviewer's own value; saving goes through
`extraction.verify` (accept / correct / add), as the terminal verifier's keys do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from livingreview.extraction import verify
from livingreview.extraction.form import form_of
from livingreview.extraction.service import extraction_units
from livingreview.extraction.verify import FieldRef
from livingreview.project import Review
from livingreview.screening.criteria import Span
from livingreview.store.extractions import current_suggestions
from livingreview.web.views import highlight

_EVIDENCE = {"evidence": 4}


@dataclass(frozen=True)
class FieldRow:
    label: str
    suggested: str | None
    evidence: list[str]
    flags: list[str]
    mine: str | None
    action: str | None


@dataclass
class ExtractView:
    studies: list[tuple[int, str]] = field(default_factory=list)
    study_id: int | None = None
    record_id: int | None = None
    title: Markup = Markup("")
    abstract: Markup = Markup("")
    fields: list[FieldRow] = field(default_factory=list)


def shown(value: Any) -> str:
    """A value as the reviewer types it: lists as 'a; b'."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def study_fields(review: Review, study_id: int, suggested: dict[str, Any]) -> list[FieldRef]:
    """The form's study fields, then its outcome fields for each outcome the rules found."""
    form = form_of(review.protocol)
    refs = [FieldRef(study_id, item.name) for item in form.fields if item.level == "study"]
    outcomes = sorted({FieldRef.from_label(study_id, label).outcome or 0 for label in suggested
                       if label.startswith("outcomes[")})
    refs += [FieldRef(study_id, item.name, n) for n in outcomes for item in form.fields if item.level == "outcome"]
    return refs


def extract_view(review: Review, reviewer: str, study_id: int | None) -> ExtractView:
    units = [u for u in extraction_units(review.screening, every_record=False) if u.study_id is not None]
    view = ExtractView([(int(u.study_id or 0), u.representative.title or "(no title)") for u in units])
    unit = next((u for u in units if u.study_id == study_id), units[0] if units else None)
    if unit is None or unit.study_id is None:
        return view
    record = unit.representative
    view.study_id, view.record_id = unit.study_id, record.id
    suggested = current_suggestions(review.store, unit.study_id)
    mine = {e.ref: e for e in verify.current_extractions(review.store, reviewer)
            if e.ref.study_id == unit.study_id and not e.is_resolution}
    spans = []
    for ref in study_fields(review, unit.study_id, suggested):
        suggestion = suggested.get(ref.label)
        evidence = list((suggestion or {}).get("evidence") or [])
        for item in evidence:
            start, end = item.get("start"), item.get("end")
            if item.get("record_id") == record.id and isinstance(start, int) and isinstance(end, int):
                spans.append(Span(str(item.get("field")), start, end, str(item.get("text", "")), "evidence",
                                  ref.label, False))
        own = mine.get(ref)
        view.fields.append(FieldRow(
            ref.label, None if suggestion is None else shown(suggestion.get("value")),
            [str(item.get("text", "")) for item in evidence if item.get("text")],
            [str(flag) for flag in (suggestion or {}).get("flags") or []],
            None if own is None else shown(own.value), None if own is None else own.action))
    view.title = highlight(record.title or "", "title", tuple(spans), _EVIDENCE)
    view.abstract = highlight(record.abstract or "", "abstract", tuple(spans), _EVIDENCE)
    return view


def save(review: Review, reviewer: str, study_id: int, label: str, action: str, typed: str) -> str:
    """Accept the suggestion or record the typed value; the acknowledgement to show."""
    ref = FieldRef.from_label(study_id, label)
    if action == "accept":
        judgement = verify.accept(review.store, review.protocol, ref, reviewer)
    else:
        judgement = verify.correct(review.store, review.protocol, ref, reviewer, typed)
    if judgement is None:
        return f"already so: {ref.label} of study {study_id}"
    return f"saved judgement {judgement.id}: {action} study {study_id} field {ref.label}"
