"""Verified extractions as the evidence synthesis reads: one `StudyEvidence` per screened study.

A study is synthesised from its verified fields (`verify.verified`: resolved, agreed, or extracted
by one reviewer alone) with its screening outcome as the decision (full text, else title and
abstract). The fields go through the same reader as a curated evidence file, so drug and construct
names map onto the protocol's terms the same way and problems are reported the same way. An
outcome with no verified construct or class cannot be placed on the evidence map and is left out;
a study whose screening is unsettled (a conflict, or never screened) is not synthesised.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from livingreview.errors import BadInput
from livingreview.extraction.verify import FieldRef, conflicts, verified
from livingreview.protocol.models import Protocol
from livingreview.records import Record, author_year
from livingreview.screening.workflow import Screening
from livingreview.store import Store

# The curated-file reader is evidence.py's own; reused so both sources give identical evidence.
from livingreview.synthesis.evidence import (
    EvidenceError,
    StudyEvidence,
    _distinct_labels,
    _Reader,
    _term_index,
)

_NUMBER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*$")


def verified_evidence(store: Store, protocol: Protocol, screening: Screening) -> list[StudyEvidence]:
    """Every study with verified extraction values and a settled screening outcome."""
    open_conflicts = conflicts(store)
    if open_conflicts:
        shown = ", ".join(f"study {c.ref.study_id} {c.ref.label}" for c in open_conflicts[:5])
        raise BadInput(f"{len(open_conflicts)} extraction conflicts are unresolved ({shown}"
                       f"{', ...' if len(open_conflicts) > 5 else ''}); list them with `extract --conflicts` "
                       "and settle them with `extract --resolve` before synthesising")
    decisions = _study_decisions(screening)
    records = _first_records(store)
    drugs, constructs = _term_index(protocol, "intervention"), _term_index(protocol, "construct")
    problems: list[tuple[str, str, str]] = []
    studies = []
    for study_id, fields in sorted(verified(store).items()):
        decision = decisions.get(study_id)
        if decision not in ("include", "exclude", "maybe"):
            continue
        record = records.get(study_id)
        data = _as_evidence_file(study_id, decision, record, fields)
        found = _Reader(f"study {study_id}", problems).study(data, drugs, constructs)
        if found is not None:
            studies.append(replace(found, label=_label(record, study_id)))
    if problems:
        raise EvidenceError(problems)
    return _distinct_labels(studies)


def _study_decisions(screening: Screening) -> dict[int, str]:
    title_abstract, full_text = screening.state("title_abstract"), screening.state("full_text")
    decisions: dict[int, str] = {}
    for unit, study in set(screening.unit_map().values()):
        outcome = full_text.outcome(unit) or title_abstract.outcome(unit)
        if study is not None and outcome is not None:
            decisions[study] = outcome
    return decisions


def _first_records(store: Store) -> dict[int, Record]:
    first: dict[int, Record] = {}
    for record in store.records():
        if record.study_id is not None:
            first.setdefault(record.study_id, record)
    return first


def _as_evidence_file(study_id: int, decision: str, record: Record | None,
                      fields: dict[FieldRef, Any]) -> dict[str, Any]:
    extraction = {ref.field: value for ref, value in fields.items() if ref.outcome is None and value is not None}
    outcomes: dict[int, dict[str, Any]] = {}
    for ref, value in fields.items():
        if ref.outcome is not None and value not in (None, []):
            outcomes.setdefault(ref.outcome, {})[ref.field] = value
    citation: dict[str, Any] = {}
    if record is not None:
        citation = {k: v for k, v in (("pmid", record.pmid), ("doi", record.doi)) if v}
        citation["nct_ids"] = list(record.nct_ids)
    return {"key": f"study{study_id}", "citation": citation, "screening": {"decision": decision},
            "extraction": extraction,
            "outcomes": [_outcome(o) for _, o in sorted(outcomes.items()) if "construct" in o and "class" in o]}


def _outcome(values: dict[str, Any]) -> dict[str, Any]:
    outcome = {k: v for k, v in values.items() if k not in ("role", "numbers", "regions")}
    if values.get("role") in ("primary", "secondary"):
        outcome["primary"] = values["role"] == "primary"
    numbers = {}
    for text in values.get("numbers", []):
        match = _NUMBER.match(str(text))
        if match:
            numbers[match.group(1)] = _number(match.group(2))
    outcome["numbers"] = numbers
    return outcome


def _number(text: str) -> float | int | str:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def _label(record: Record | None, study_id: int) -> str:
    """"Hess 2024", else "study N"."""
    label = None if record is None else author_year(record)
    return f"study {study_id}" if label is None else label
