"""Human verification of extractions: each reviewer's values in the judgement ledger.

A reviewer's extraction of a study is a set of `extraction_field` judgements at stage
"extraction", one chain per field: item `study:<id>/field:<name>`, or
`study:<id>/outcome:<n>/field:<name>` for a field of the study's n-th outcome. A judgement's value
is JSON: the value, how it came (`accept` a suggestion, `correct` one, `add` one where there was
none, `curated` from an evidence file, `spreadsheet` from an imported sheet) and the evidence it
was read from (record, field, span, text) when there is some. A correction is a new judgement; the
ledger keeps the old one, and undo brings it back.

Extractors work independently; a field is in conflict when their current values differ (the
evidence aside) and no resolution stands. A lead's resolution settles it for everyone. A field is
*verified* when a resolution stands, or when every reviewer who extracted it gives the same value
(one reviewer alone counts: the flagship's curator).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from livingreview.errors import BadInput
from livingreview.extraction.form import form_of, vocabulary_for
from livingreview.protocol.models import Extraction, ExtractionField, Protocol
from livingreview.screening.agreement import cohen_kappa, gwet_ac1, percent_agreement
from livingreview.store import Store, ledger
from livingreview.store.extractions import current_suggestions
from livingreview.store.studies import resolve_study

ITEM_KIND = "extraction_field"
STAGE = "extraction"
ACTIONS = ("accept", "correct", "add", "curated", "spreadsheet", "resolve")
_ITEM = re.compile(r"^study:(\d+)/(?:outcome:(\d+)/)?field:([A-Za-z_][A-Za-z0-9_]*)$")
_LABEL = re.compile(r"^(?:outcomes\[(\d+)\]\.)?([A-Za-z_][A-Za-z0-9_]*)$")
_NULL_WORDS = ("", "null", "none", "-")


class VerificationError(BadInput):
    """A value or field that cannot be recorded; the message names the study, field and what was expected."""


@dataclass(frozen=True, order=True)
class FieldRef:
    """One field of one study: study-level (`outcome` None) or of the study's outcome number `outcome`."""

    study_id: int
    field: str
    outcome: int | None = None

    @property
    def item_id(self) -> str:
        middle = "" if self.outcome is None else f"outcome:{self.outcome}/"
        return f"study:{self.study_id}/{middle}field:{self.field}"

    @property
    def label(self) -> str:
        """The field as suggestions name it: `blinding`, `outcomes[0].direction`."""
        return self.field if self.outcome is None else f"outcomes[{self.outcome}].{self.field}"

    @classmethod
    def parse(cls, item_id: str) -> FieldRef:
        match = _ITEM.match(item_id)
        if match is None:
            raise VerificationError(f"{item_id!r} is not an extraction item (study:<id>/field:<name>)")
        return cls(int(match.group(1)), match.group(3), None if match.group(2) is None else int(match.group(2)))

    @classmethod
    def from_label(cls, study_id: int, label: str) -> FieldRef:
        match = _LABEL.match(label.strip())
        if match is None:
            raise VerificationError(f"study {study_id}: {label!r} is not a field name (name, or outcomes[N].name)")
        return cls(study_id, match.group(2), None if match.group(1) is None else int(match.group(1)))


@dataclass(frozen=True)
class Extracted:
    """A reviewer's current value of one field (or a lead's resolution)."""

    ref: FieldRef
    reviewer: str
    value: Any
    action: str
    evidence: tuple[dict[str, Any], ...]
    judgement_id: int
    is_resolution: bool


@dataclass(frozen=True)
class FieldConflict:
    ref: FieldRef
    values: dict[str, Any]  # reviewer → current value


@dataclass(frozen=True)
class FieldAgreement:
    field: str
    reviewers: tuple[str, str]
    items: int  # fields of studies both extracted
    percent_agreement: float | None
    kappa: float | None
    ac1: float | None  # only for fields with a closed list of values


# --- values -------------------------------------------------------------------------------------

def form_field(form: Extraction, ref: FieldRef) -> ExtractionField:
    """The form's declaration of the field, at the level the reference asks for."""
    try:
        declared = form.field(ref.field)
    except KeyError:
        names = ", ".join(f.name for f in form.fields)
        raise VerificationError(f"study {ref.study_id}: no field {ref.field!r} in the extraction form "
                                f"(fields: {names})") from None
    if (declared.level == "outcome") != (ref.outcome is not None):
        where = "per outcome (outcomes[N].name)" if declared.level == "outcome" else "per study"
        raise VerificationError(f"study {ref.study_id}: field {ref.field!r} is extracted {where}")
    return declared


def parse_typed(text: str, declared: ExtractionField) -> Any:
    """A value as a person types it: lists separated by ';', 'null' or nothing for no value."""
    text = text.strip()
    if declared.type.startswith("list"):
        return [part.strip() for part in text.split(";") if part.strip()]
    if text.lower() in _NULL_WORDS:
        return None
    if declared.type == "integer":
        try:
            return int(text.replace(",", ""))
        except ValueError:
            raise VerificationError(f"field {declared.name!r}: expected a whole number, got {text!r}") from None
    return text


def check_value(protocol: Protocol, declared: ExtractionField, value: Any, where: str) -> Any:
    """The value in its canonical form, or an error saying what the form admits.

    Enums are checked against the form's values; text fields backed by a vocabulary (drugs,
    constructs) against its terms, and written as the term's label."""
    if declared.type.startswith("list"):
        if value is None:
            return []
        if not isinstance(value, list):
            raise VerificationError(f"{where}: expected a list of values, got {value!r}")
        return [_one(protocol, declared, item, where) for item in value]
    if value is None:
        return None
    if declared.type == "integer":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise VerificationError(f"{where}: expected a whole number of {declared.unit or 'units'}, got {value!r}")
        return value
    return _one(protocol, declared, value, where)


def _one(protocol: Protocol, declared: ExtractionField, value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise VerificationError(f"{where}: expected a non-empty text value, got {value!r}")
    value = value.strip()
    if declared.type in ("enum", "list-of-enum") and declared.values:
        if declared.admits(value):
            return value
        raise VerificationError(f"{where}: {value!r} is not one of {', '.join(declared.values)}")
    vocabulary = _closed_vocabulary(protocol, declared)
    if vocabulary is None:
        return value
    label = vocabulary.get(value.casefold())
    if label is None:
        raise VerificationError(f"{where}: {value!r} is not a term of the protocol's "
                                f"{vocabulary_for(protocol, form_of(protocol), declared.name)} vocabulary")
    return label


# Text fields whose value must be a vocabulary term: the study's drugs and constructs and an
# outcome's construct, which synthesis groups by. Instruments and regions stay open, since a study
# may use one the vocabulary lacks (the flagship's evidence README lists such gaps).
_CLOSED_TEXT = ("drugs", "constructs", "construct")


def _closed_vocabulary(protocol: Protocol, declared: ExtractionField) -> dict[str, str] | None:
    if declared.name not in _CLOSED_TEXT:
        return None
    name = vocabulary_for(protocol, form_of(protocol), declared.name)
    if name is None:
        return None
    index: dict[str, str] = {}
    for term in protocol.vocabularies[name].terms:
        for phrase in (term.id, term.id.replace("_", " "), term.label, *term.phrases()):
            index.setdefault(phrase.casefold(), term.label)
    return index


def canonical(value: Any) -> str:
    """The comparison key of a value: lists compare as sets, text without case."""
    if isinstance(value, list):
        return json.dumps(sorted({str(v).casefold() for v in value}))
    if isinstance(value, str):
        return json.dumps(value.casefold())
    return json.dumps(value)


# --- writing ------------------------------------------------------------------------------------

def record_value(store: Store, protocol: Protocol, ref: FieldRef, reviewer: str, value: Any, *,
                 action: str, evidence: Sequence[Mapping[str, Any]] = (), source: str | None = None,
                 resolution: bool = False, reason: str | None = None) -> ledger.Judgement | None:
    """Record a reviewer's value of one field; committed before returning.

    Returns None (and records nothing) when the reviewer's current judgement already says the same
    value with the same evidence, so loading the same extraction twice adds nothing."""
    if action not in ACTIONS:
        raise VerificationError(f"unknown extraction action {action!r}; expected one of {', '.join(ACTIONS)}")
    declared = form_field(form_of(protocol), ref)
    value = check_value(protocol, declared, value, f"study {ref.study_id} field {ref.label}")
    payload = json.dumps({"value": value, "action": action, "evidence": [dict(e) for e in evidence],
                          **({"source": source} if source else {})}, ensure_ascii=False, sort_keys=True)
    held = ledger.latest_judgements(store, ITEM_KIND, STAGE, item_ids=[ref.item_id],
                                    reviewer=None if resolution else reviewer)
    mine = [j for j in held if j.is_resolution == resolution and (resolution or j.reviewer == reviewer.strip())]
    if mine and mine[-1].value == payload and (not resolution or mine[-1].reviewer == reviewer.strip()):
        return None
    new = ledger.NewJudgement(ITEM_KIND, ref.item_id, STAGE, reviewer, payload, reason=reason,
                              drawn="chosen", is_resolution=resolution)
    log = ledger.LogEntry("extract", "extract.resolve" if resolution else f"extract.{action}",
                          subject=f"study:{ref.study_id}", detail={"field": ref.label})
    return ledger.record(store, new, log, role="lead" if resolution else "reviewer")


def suggestion_of(store: Store, ref: FieldRef) -> dict[str, Any] | None:
    """The rules' current suggestion for the field ({"value", "evidence", "flags"}), if any."""
    return current_suggestions(store, ref.study_id).get(ref.label)


def accept(store: Store, protocol: Protocol, ref: FieldRef, reviewer: str) -> ledger.Judgement | None:
    """Take the rules' suggestion as the reviewer's value, with the evidence it was read from."""
    suggestion = suggestion_of(store, ref)
    if suggestion is None:
        raise VerificationError(f"study {ref.study_id} field {ref.label}: no suggestion to accept "
                                "(run `extract --auto` first, or type a value)")
    return record_value(store, protocol, ref, reviewer, suggestion["value"], action="accept",
                        evidence=suggestion.get("evidence") or [])


def correct(store: Store, protocol: Protocol, ref: FieldRef, reviewer: str, typed: str) -> ledger.Judgement | None:
    """A value the reviewer typed: a correction of a suggestion, or an addition where none was made."""
    declared = form_field(form_of(protocol), ref)
    action = "correct" if suggestion_of(store, ref) is not None else "add"
    return record_value(store, protocol, ref, reviewer, parse_typed(typed, declared), action=action,
                        evidence=[{"typed_by": reviewer.strip()}])


def undo(store: Store, reviewer: str, study_id: int | None = None) -> ledger.Judgement:
    """Withdraw the reviewer's latest extraction judgement (on that study, when given)."""
    items = None if study_id is None else [j.item_id for j in _current(store, reviewer=reviewer)
                                           if FieldRef.parse(j.item_id).study_id == study_id]
    if items == []:
        raise VerificationError(f"{reviewer} has no extraction of study {study_id} to undo")
    log = ledger.LogEntry("extract", "extract.undo", subject="extraction", detail={})
    return ledger.undo(store, ITEM_KIND, STAGE, reviewer, log, item_ids=items)


def resolve(store: Store, protocol: Protocol, study_id: int, label: str, typed: str, lead: str, *,
            reason: str | None = None) -> ledger.Judgement | None:
    """A lead's value for one field, settling it for everyone (normally a conflict)."""
    ref = FieldRef.from_label(resolve_study(store, study_id), label)
    declared = form_field(form_of(protocol), ref)
    if not any(e.ref == ref for e in current_extractions(store)):
        raise VerificationError(f"study {study_id} field {ref.label}: no reviewer has extracted it, "
                                "so there is nothing to resolve")
    return record_value(store, protocol, ref, lead, parse_typed(typed, declared), action="resolve",
                        evidence=[{"resolved_by": lead.strip()}], resolution=True, reason=reason)


# --- reading ------------------------------------------------------------------------------------

def _current(store: Store, reviewer: str | None = None) -> list[ledger.Judgement]:
    return ledger.latest_judgements(store, ITEM_KIND, STAGE, reviewer=reviewer)


def current_extractions(store: Store, reviewer: str | None = None) -> list[Extracted]:
    """Every reviewer's current value per field, and standing resolutions; study ids followed
    through merges, so a study's extraction stays with it when dedupe merges it into another."""
    found = []
    for judgement in _current(store, reviewer):
        parsed = FieldRef.parse(judgement.item_id)
        ref = FieldRef(resolve_study(store, parsed.study_id), parsed.field, parsed.outcome)
        payload = _payload(judgement)
        found.append(Extracted(ref, judgement.reviewer, payload.get("value"), str(payload.get("action", "")),
                               tuple(payload.get("evidence") or ()), judgement.id, judgement.is_resolution))
    return found


def _payload(judgement: ledger.Judgement) -> dict[str, Any]:
    try:
        payload = json.loads(judgement.value)
    except json.JSONDecodeError:
        payload = None
    if not isinstance(payload, dict) or "value" not in payload:
        raise VerificationError(f"judgement {judgement.id} on {judgement.item_id} holds {judgement.value[:40]!r}, "
                                "not an extraction value (a JSON object with a 'value')")
    return payload


def conflicts(store: Store) -> list[FieldConflict]:
    """Fields where two or more reviewers' current values differ and no resolution stands."""
    by_ref = _by_ref(current_extractions(store))
    result = []
    for ref, entries in sorted(by_ref.items()):
        if any(e.is_resolution for e in entries):
            continue
        own = {e.reviewer: e.value for e in entries}
        if len({canonical(v) for v in own.values()}) > 1:
            result.append(FieldConflict(ref, dict(sorted(own.items()))))
    return result


def verified(store: Store) -> dict[int, dict[FieldRef, Any]]:
    """Study id → field → verified value: a standing resolution, or the value every reviewer gives."""
    result: dict[int, dict[FieldRef, Any]] = {}
    for ref, entries in _by_ref(current_extractions(store)).items():
        settled = [e for e in entries if e.is_resolution]
        own = [e for e in entries if not e.is_resolution]
        if settled:
            result.setdefault(ref.study_id, {})[ref] = settled[-1].value
        elif len({canonical(e.value) for e in own}) == 1:
            result.setdefault(ref.study_id, {})[ref] = own[0].value
    return result


def extractors_of(store: Store, study_id: int) -> list[str]:
    return sorted({e.reviewer for e in current_extractions(store)
                   if e.ref.study_id == study_id and not e.is_resolution})


def agreement(store: Store, protocol: Protocol) -> list[FieldAgreement]:
    """Per field and pair of reviewers: percent agreement and Cohen's kappa over the fields both
    extracted (outcome fields pooled over outcomes); Gwet's AC1 where the form lists the values."""
    form = form_of(protocol)
    own = [e for e in current_extractions(store) if not e.is_resolution]
    reviewers = sorted({e.reviewer for e in own})
    values = {(e.reviewer, e.ref): canonical(e.value) for e in own}
    results = []
    for a, b in combinations(reviewers, 2):
        shared = sorted({ref for (r, ref) in values if r == a} & {ref for (r, ref) in values if r == b})
        for declared in form.fields:
            refs = [ref for ref in shared if ref.field == declared.name]
            if not refs:
                continue
            first = [values[(a, ref)] for ref in refs]
            second = [values[(b, ref)] for ref in refs]
            ac1 = None
            if declared.type == "enum" and declared.values and not any(v.endswith(":*") for v in declared.values):
                categories = [json.dumps(v.casefold()) for v in declared.values]
                if set(first) | set(second) <= set(categories):
                    ac1 = gwet_ac1(first, second, categories)
            results.append(FieldAgreement(declared.name, (a, b), len(refs), percent_agreement(first, second),
                                          cohen_kappa(first, second), ac1))
    return results


def _by_ref(entries: Iterable[Extracted]) -> dict[FieldRef, list[Extracted]]:
    grouped: dict[FieldRef, list[Extracted]] = {}
    for entry in entries:
        grouped.setdefault(entry.ref, []).append(entry)
    return grouped
