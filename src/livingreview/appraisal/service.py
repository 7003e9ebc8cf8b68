"""Risk of bias on the judgement ledger: two appraisers, conflicts per domain, resolution by a lead.

What is stored (item kinds `rob_question` and `rob_domain`, stage `appraisal`), one item per
signalling question and per domain of one study, tool and (optionally) outcome:

    study:<ref>/tool:<tool>[/outcome:<name>]/question:<id>   value {"answer": "PY", "aim": ...}
    study:<ref>/tool:<tool>[/outcome:<name>]/domain:<id>     value {"judgement": "Low", "aim": ...}

`<ref>` is the review's study id when the study is in the store, else the key of its curated
evidence file (`hess2024`); outcome names are percent-encoded. A domain value is the judgement the
form's algorithm gives from that appraiser's own answers (or, for a domain judged directly as in
ROBINS-I, the appraiser's judgement), so two appraisers conflict on a domain exactly when their
answers lead to different judgements, and `ledger.conflicts` finds it. A lead settles one with a
resolution on the domain item. The overall judgement is never stored: it is computed from the
final domain judgements by the form's overall rule.

Importing the same file again records nothing new: a judgement equal to the appraiser's current one
is skipped, so the command is idempotent.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from livingreview.appraisal.algorithms import (
    AnswerError,
    AppraisalResult,
    Assessment,
    Override,
    appraise,
    group_answers,
    overall_judgement,
)
from livingreview.appraisal.forms import BUILTIN_FORMS, Form, load_form
from livingreview.appraisal.spreadsheet import ImportedRow, SpreadsheetError, read_appraisal_csv
from livingreview.errors import BadInput
from livingreview.records import Record, author_year, normalise_doi, normalise_pmid
from livingreview.safe_text import plain_for_terminal
from livingreview.screening.agreement import PairAgreement, pair_agreement
from livingreview.store import Store, ledger
from livingreview.store.studies import resolve_study
from livingreview.synthesis.evidence import StudyEvidence

STAGE = "appraisal"
ROB_QUESTION = "rob_question"
ROB_DOMAIN = "rob_domain"
_ITEM = re.compile(r"^study:(?P<study>[^/]+)/tool:(?P<tool>[^/]+)(?:/outcome:(?P<outcome>[^/]+))?"
                   r"/(?P<kind>question|domain):(?P<id>[^/]+)$")
_ID_COLUMNS = {"record": {"record", "record id", "record_id", "recordid"}, "doi": {"doi"},
               "pmid": {"pmid", "pubmed id", "pubmed_id"}}


class AppraisalError(BadInput):
    """An appraisal that cannot be imported, read or resolved; the message says what was expected."""


# --- studies: which study a spreadsheet row or an evidence file is ---------------------------------

@dataclass(frozen=True)
class StudyRef:
    ref: str  # the store's study id (digits) or a curated evidence key
    label: str


@dataclass
class StudyIndex:
    """Finds a study by record id, DOI, PMID, evidence key or label ("Hess 2024")."""

    by_record: dict[int, int] = field(default_factory=dict)  # record id → current study id
    by_doi: dict[str, StudyRef] = field(default_factory=dict)
    by_pmid: dict[str, StudyRef] = field(default_factory=dict)
    by_name: dict[str, StudyRef] = field(default_factory=dict)  # key or label, case-folded
    labels: dict[str, str] = field(default_factory=dict)  # ref → label

    @classmethod
    def build(cls, records: Iterable[Record], evidence: Sequence[StudyEvidence]) -> StudyIndex:
        """`records` carry their current study id; evidence files linked to a stored study by DOI
        or PMID name that study, the others their own key."""
        index = cls()
        for record in records:
            if record.id is None or record.study_id is None:
                continue
            index.by_record[record.id] = record.study_id
            ref = StudyRef(str(record.study_id), index.labels.setdefault(str(record.study_id), _record_label(record)))
            if record.doi:
                index.by_doi.setdefault(record.doi, ref)
            if record.pmid:
                index.by_pmid.setdefault(record.pmid, ref)
        for study in evidence:
            ref = StudyRef(index.evidence_ref(study), study.label)
            index.labels[ref.ref] = study.label
            for name in (study.key, study.label):
                index.by_name[name.casefold()] = ref
            doi, pmid = normalise_doi(study.doi), normalise_pmid(study.pmid)
            if doi:
                index.by_doi.setdefault(doi, ref)
            if pmid:
                index.by_pmid.setdefault(pmid, ref)
        return index

    def evidence_ref(self, study: StudyEvidence) -> str:
        """The stored study an evidence file describes (by DOI, then PMID), else its key."""
        doi, pmid = normalise_doi(study.doi), normalise_pmid(study.pmid)
        for found in (self.by_doi.get(doi) if doi else None, self.by_pmid.get(pmid) if pmid else None):
            if found is not None and found.ref.isdigit():
                return found.ref
        return study.key

    def label(self, ref: str) -> str:
        return self.labels.get(ref, ref)

    def match(self, study: str, ids: Mapping[str, str]) -> StudyRef:
        """The study a row names: its record id, DOI or PMID column if filled, else its study
        column as an evidence key, a label or a stored study id. KeyError says what did not match."""
        if ids.get("record"):
            raw = ids["record"]
            if not raw.isdigit() or int(raw) not in self.by_record:
                raise KeyError(f"record id {raw!r} is not a record grouped into a study of this review")
            ref = str(self.by_record[int(raw)])
            return StudyRef(ref, self.label(ref))
        for column, key, table in (("doi", normalise_doi(ids.get("doi")), self.by_doi),
                                   ("pmid", normalise_pmid(ids.get("pmid")), self.by_pmid)):
            if ids.get(column):
                if key is None or key not in table:
                    raise KeyError(f"{column.upper()} {ids[column]!r} matches no study of this review")
                return table[key]
        found = self.by_name.get(study.strip().casefold())
        if found is not None:
            return found
        if study.strip().isdigit() and study.strip() in self.labels:
            return StudyRef(study.strip(), self.label(study.strip()))
        raise KeyError(f"study {study!r} matches no study of this review (expected an evidence key or "
                       "label, a study id, or a Record ID, DOI or PMID column)")


def _record_label(record: Record) -> str:
    """"Surname year" of a study's first record (cleaned for display), else "study N"."""
    label = author_year(record)
    return f"study {record.study_id}" if label is None else plain_for_terminal(label)


# --- item ids and values ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    """What one appraisal is of: a study, with a tool, for one outcome (or the whole study)."""

    study: str
    tool: str
    outcome: str | None = None

    @property
    def prefix(self) -> str:
        outcome = "" if self.outcome is None else f"/outcome:{quote(self.outcome, safe='')}"
        return f"study:{self.study}/tool:{self.tool}{outcome}"

    def question_item(self, question: str) -> str:
        return f"{self.prefix}/question:{question}"

    def domain_item(self, domain: str) -> str:
        return f"{self.prefix}/domain:{domain}"


def parse_item(item_id: str) -> tuple[Unit, str, str]:
    """(unit, "question" or "domain", question or domain id) of a risk-of-bias item id."""
    match = _ITEM.match(item_id)
    if match is None:
        raise AppraisalError(f"{item_id!r} is not a risk-of-bias item id")
    outcome = match["outcome"]
    unit = Unit(match["study"], match["tool"], None if outcome is None else unquote(outcome))
    return unit, match["kind"], match["id"]


def _value(**fields: Any) -> str:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False)


def _field(value: str, name: str) -> Any:
    return json.loads(value).get(name)


# --- import ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportSummary:
    file: str
    reviewer: str
    tool: str
    rows: int
    recorded: int  # judgements appended
    unchanged: int  # judgements equal to the reviewer's current ones, not recorded again
    studies: tuple[str, ...]  # refs, in file order
    disagreements: tuple[dict[str, Any], ...]  # stated judgements the algorithm does not reproduce
    ignored_columns: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "reviewer": self.reviewer, "tool": self.tool, "rows": self.rows,
                "recorded": self.recorded, "unchanged": self.unchanged, "studies": list(self.studies),
                "disagreements": list(self.disagreements), "ignored_columns": list(self.ignored_columns)}


def import_csv(store: Store, path: str | Path, index: StudyIndex, reviewer: str, *, tool: str = "rob2",
               aim: str = "assignment") -> ImportSummary:
    """One appraiser's answers from a RoB 2 (or ROBINS-I) CSV, recorded as ledger judgements in one
    transaction: nothing is recorded if any row is wrong. Errors name the file and line."""
    form = _form(tool)
    path = Path(path)
    try:
        imported = read_appraisal_csv(path, form=form, aim=aim)
    except (SpreadsheetError, AnswerError) as error:
        raise AppraisalError(str(error)) from None
    except OSError as error:
        raise AppraisalError(f"cannot read {path}: {error.strerror}") from None
    ids = _id_cells(path.read_text(encoding="utf-8-sig"))
    units = _units(path, imported.rows, ids, index, tool)
    recorded = unchanged = 0
    disagreements: list[dict[str, Any]] = []
    with store.transaction():
        for row, unit in zip(imported.rows, units, strict=True):
            done, same = _record_row(store, unit, row.result, row.support, reviewer,
                                     {"source": str(path), "line": row.line})
            recorded, unchanged = recorded + done, unchanged + same
            disagreements.extend({"line": row.line, "study": unit.study, "domain": d.domain, "stated": d.stated,
                                  "algorithm": d.algorithm} for d in row.disagreements)
        store.log(STAGE, "appraisal.import", subject=str(path), actor=reviewer, detail={
            "tool": tool, "rows": len(imported.rows), "recorded": recorded, "unchanged": unchanged})
    ignored = tuple(c for c in imported.ignored_columns if not _id_column(c))  # read here, not ignored
    return ImportSummary(str(path), reviewer, tool, len(imported.rows), recorded, unchanged,
                         tuple(dict.fromkeys(u.study for u in units)), tuple(disagreements), ignored)


@dataclass(frozen=True)
class AnswersSummary:
    """What `record_answers` stored for one study."""

    study: str  # ref
    reviewer: str
    tool: str
    outcome: str | None
    recorded: int  # judgements appended
    unchanged: int  # judgements equal to the reviewer's current ones, not recorded again
    result: AppraisalResult  # the algorithm on these answers

    def to_dict(self) -> dict[str, Any]:
        return {"study": self.study, "reviewer": self.reviewer, "tool": self.tool, "outcome": self.outcome,
                "recorded": self.recorded, "unchanged": self.unchanged,
                "domains": {d.domain: d.judgement for d in self.result.domains}, "overall": self.result.overall}


def record_answers(store: Store, index: StudyIndex, study_ref: str, reviewer: str, answers: Mapping[str, str],
                   *, tool: str = "rob2", aim: str | None = "assignment", outcome: str | None = None,
                   source: str = "answers", direct: Mapping[str, str] | None = None) -> AnswersSummary:
    """One appraiser's complete answers (question id → answer code) for one study, recorded as the
    CSV import records a row, in one transaction: the answers and, per domain, the judgement the
    form's algorithm gives from them. `direct` holds the judgements of the domains the form judges
    directly (domain id → level; every ROBINS-I domain). Answers equal to the reviewer's current
    ones are skipped (idempotent); incomplete or disallowed answers raise AppraisalError naming
    study and question and store nothing."""
    form = _form(tool)
    if not reviewer.strip():
        raise AppraisalError("an appraisal needs the appraiser's name")
    try:
        ref = index.match(study_ref, {})
    except KeyError as error:
        raise AppraisalError(str(error.args[0])) from None
    try:
        grouped = group_answers(form, ref.ref, answers, aim)
        result = appraise(form, Assessment(ref.ref, grouped, aim=aim, outcome=outcome, direct=dict(direct or {})))
    except AnswerError as error:
        raise AppraisalError(str(error)) from None
    unit = Unit(ref.ref, tool, outcome)
    with store.transaction():
        recorded, unchanged = _record_row(store, unit, result, {}, reviewer, {"source": source})
        store.log(STAGE, "appraisal.answers", subject=unit.prefix, actor=reviewer, detail={
            "tool": tool, "source": source, "recorded": recorded, "unchanged": unchanged})
    return AnswersSummary(ref.ref, reviewer, tool, outcome, recorded, unchanged, result)


def _form(tool: str) -> Form:
    if tool not in BUILTIN_FORMS:
        raise AppraisalError(f"unknown risk-of-bias tool {tool!r}; expected one of {', '.join(BUILTIN_FORMS)}")
    return load_form(tool)


def _id_cells(text: str) -> dict[int, dict[str, str]]:
    """Line → the row's record id, DOI and PMID cells (the columns the RoB reader ignores).
    Lines are counted as the RoB reader counts them: the first line of each CSV record."""
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [_id_column(cell) for cell in next(reader, [])]
    columns = {name: header.index(name) for name in _ID_COLUMNS if name in header}
    cells: dict[int, dict[str, str]] = {}
    start = reader.line_num + 1
    for row in reader:
        cells[start] = {name: row[i].strip() for name, i in columns.items() if i < len(row)}
        start = reader.line_num + 1
    return cells


def _id_column(header: str) -> str | None:
    """"record", "doi" or "pmid" for a header naming a study identifier, else None."""
    normal = " ".join(header.strip().lower().split())
    return next((name for name, spellings in _ID_COLUMNS.items() if normal in spellings), None)


def _units(path: Path, rows: Sequence[ImportedRow], ids: Mapping[int, Mapping[str, str]], index: StudyIndex,
           tool: str) -> list[Unit]:
    units: list[Unit] = []
    problems: list[str] = []
    seen: dict[Unit, int] = {}
    for row in rows:
        try:
            ref = index.match(row.result.study, ids.get(row.line, {}))
        except KeyError as error:
            problems.append(f"{path}:{row.line}: {error.args[0]}")
            continue
        unit = Unit(ref.ref, tool, row.result.outcome)
        if unit in seen:
            problems.append(f"{path}:{row.line}: appraises the same study and outcome as line {seen[unit]}")
        seen[unit] = row.line
        units.append(unit)
    if problems:
        raise AppraisalError(f"cannot import {path}\n" + "\n".join(problems))
    return units


def _record_row(store: Store, unit: Unit, result: AppraisalResult, support: Mapping[str, Mapping[str, str]],
                reviewer: str, origin: Mapping[str, Any]) -> tuple[int, int]:
    """Record one appraisal's answers and domain judgements, each logged with `origin` (where
    they came from); (recorded, unchanged)."""
    items: dict[tuple[str, str], tuple[str, str | None]] = {}  # (kind, item) → (value, note)
    for domain in result.domains:
        for question, answer in domain.answers.items():
            note = support.get(domain.domain, {}).get(question)
            items[(ROB_QUESTION, unit.question_item(question))] = (_value(answer=answer, aim=result.aim), note)
        items[(ROB_DOMAIN, unit.domain_item(domain.domain))] = (
            _value(judgement=domain.proposed, aim=result.aim), "; ".join(domain.rules))
    current = {(kind, j.item_id): j.value for kind in (ROB_QUESTION, ROB_DOMAIN)
               for j in ledger.latest_judgements(store, kind, STAGE, reviewer=reviewer,
                                                 item_ids=[i for k, i in items if k == kind])
               if not j.is_resolution}
    recorded = 0
    for (kind, item), (value, note) in items.items():
        if current.get((kind, item)) == value:
            continue
        ledger.record(store, ledger.NewJudgement(kind, item, STAGE, reviewer, value, note=note),
                      ledger.LogEntry(STAGE, "appraisal.judge", item, dict(origin)))
        recorded += 1
    return recorded, len(items) - recorded


# --- resolution ------------------------------------------------------------------------------------

def resolve(store: Store, study: str, domain: str, judgement: str, lead: str, reason: str, *,
            index: StudyIndex | None = None, tool: str | None = None,
            outcome: str | None = None) -> ledger.Judgement:
    """A lead's judgement on one domain of one appraised study (a conflict, or any domain)."""
    if not reason.strip():
        raise AppraisalError("a resolution needs a reason (--reason)")
    ref = current_study(store, _study_ref(study, index))
    appraised = {parse_item(j.item_id) for j in ledger.latest_judgements(store, ROB_DOMAIN, STAGE)}
    candidates = sorted({unit for unit, _, item in appraised
                         if current_study(store, unit.study) == ref and item == domain and tool in (None, unit.tool)
                         and outcome in (None, unit.outcome)}, key=lambda u: (u.tool, u.outcome or ""))
    if not candidates:
        raise AppraisalError(f"study {study!r} has no appraised domain {domain!r}"
                             + (f" with tool {tool}" if tool else "") + (f" for outcome {outcome!r}" if outcome else ""))
    if len(candidates) > 1:
        named = ", ".join(f"tool {u.tool}" + (f" outcome {u.outcome!r}" if u.outcome else "") for u in candidates)
        raise AppraisalError(f"study {study!r} domain {domain} is appraised more than once ({named}); "
                             "say which with --tool and --outcome")
    unit = candidates[0]
    levels = next(d.levels for d in _form(unit.tool).domains if d.id == domain)
    if judgement not in levels:
        raise AppraisalError(f"{judgement!r} is not a judgement of {unit.tool} domain {domain} "
                             f"(expected one of {', '.join(levels)})")
    current = ledger.latest_judgements(store, ROB_DOMAIN, STAGE, item_ids=[unit.domain_item(domain)])
    aims = sorted({_field(j.value, "aim") for j in current}, key=str)
    value = _value(judgement=judgement, aim=aims[0] if aims else None)
    standing = next((j for j in current if j.is_resolution), None)
    if standing is not None and (standing.value, standing.reason, standing.reviewer) == (value, reason, lead.strip()):
        return standing  # the same resolution again: nothing new to record
    return ledger.record(
        store, ledger.NewJudgement(ROB_DOMAIN, unit.domain_item(domain), STAGE, lead, value, reason=reason,
                                   is_resolution=True),
        ledger.LogEntry(STAGE, "appraisal.resolve", unit.domain_item(domain), {}), role="lead")


def current_study(store: Store, ref: str) -> str:
    """The study a ref stands for now: a stored study merged into another follows the redirect,
    so appraisals stay with their study whatever dedupe does later; an evidence key is itself."""
    return str(resolve_study(store, int(ref))) if ref.isdigit() else ref


def _study_ref(study: str, index: StudyIndex | None) -> str:
    if index is None:
        return study
    try:
        return index.match(study, {}).ref
    except KeyError:
        return study  # an id as `appraise --conflicts` prints it


# --- reading ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DomainStatus:
    domain: str
    name: str
    by_reviewer: dict[str, str]  # reviewer → judgement
    final: str | None  # resolved, agreed, or the only appraiser's; None while in conflict
    status: str  # "agreed" | "single" | "resolved" | "conflict"
    resolution: dict[str, str] | None = None  # lead, reason

    def to_dict(self) -> dict[str, Any]:
        return {"domain": self.domain, "name": self.name, "by_reviewer": dict(self.by_reviewer),
                "final": self.final, "status": self.status, "resolution": self.resolution}


@dataclass(frozen=True)
class StudyAppraisal:
    unit: Unit  # as appraised (its study id may since have been merged into another)
    study: str  # the study it stands for now
    label: str
    aim: str | None
    by_reviewer: dict[str, AppraisalResult]  # the algorithm on each appraiser's answers
    problems: dict[str, str]  # reviewer → why their answers give no result (incomplete)
    domains: tuple[DomainStatus, ...]
    overall: str | None  # from the final domain judgements; None while any is in conflict
    flags: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "study": self.study, "appraised_as": self.unit.study, "label": self.label, "tool": self.unit.tool, "outcome": self.unit.outcome,
            "aim": self.aim, "domains": [d.to_dict() for d in self.domains], "overall": self.overall,
            "flags": list(self.flags),
            "by_reviewer": {name: {"domains": {d.domain: d.judgement for d in result.domains},
                                   "overall": result.overall, "flags": list(result.flags)}
                            for name, result in self.by_reviewer.items()},
            "problems": dict(self.problems),
        }


def appraisals(store: Store, index: StudyIndex | None = None, *, as_of_event: int | None = None) -> list[StudyAppraisal]:
    """Per appraised study (and tool and outcome): each appraiser's domain and overall judgements
    by the algorithm, and the final ones (agreed or resolved)."""
    questions = ledger.latest_judgements(store, ROB_QUESTION, STAGE, as_of_event=as_of_event)
    domains = ledger.latest_judgements(store, ROB_DOMAIN, STAGE, as_of_event=as_of_event)
    units: dict[Unit, dict[str, list[tuple[str, str, str]]]] = {}
    for kind, found in (("question", questions), ("domain", domains)):
        for j in found:
            unit, _, item = parse_item(j.item_id)
            units.setdefault(unit, {}).setdefault(kind, []).append((j.reviewer if not j.is_resolution else "", item, j.value))
    resolutions = {j.item_id: j for j in domains if j.is_resolution}
    return [_study_appraisal(unit, current_study(store, unit.study), found, resolutions, index)
            for unit, found in sorted(units.items(), key=lambda pair: _unit_order(pair[0]))]


def _unit_order(unit: Unit) -> tuple[int, str, str, str]:
    return (0 if unit.study.isdigit() else 1, unit.study.zfill(12), unit.tool, unit.outcome or "")


def _study_appraisal(unit: Unit, study: str, found: Mapping[str, list[tuple[str, str, str]]],
                     resolutions: Mapping[str, ledger.Judgement], index: StudyIndex | None) -> StudyAppraisal:
    form = _form(unit.tool)
    answers: dict[str, dict[str, str]] = {}
    judged: dict[str, dict[str, str]] = {}
    aims: dict[str, str | None] = {}
    for reviewer, item, value in found.get("question", []):
        if reviewer:
            answers.setdefault(reviewer, {})[item] = _field(value, "answer")
            aims[reviewer] = _field(value, "aim")
    for reviewer, item, value in found.get("domain", []):
        if reviewer:
            judged.setdefault(reviewer, {})[item] = _field(value, "judgement")
            aims.setdefault(reviewer, _field(value, "aim"))
    results, problems = {}, {}
    for reviewer in sorted(judged.keys() | answers.keys()):
        try:
            grouped = group_answers(form, unit.study, answers.get(reviewer, {}), aims.get(reviewer))
            direct = {d.id: judged.get(reviewer, {}).get(d.id, "") for d in form.domains_for(aims.get(reviewer))
                      if d.judged_directly}
            results[reviewer] = appraise(form, Assessment(unit.study, grouped, aim=aims.get(reviewer),
                                                          outcome=unit.outcome, direct=direct))
        except (AnswerError, ValueError) as error:
            problems[reviewer] = str(error)
    aim = next((a for a in aims.values() if a), None)
    statuses = tuple(_domain_status(unit, d.id, d.name, judged, resolutions) for d in form.domains_for(aim)
                     if any(d.id in by for by in judged.values()) or unit.domain_item(d.id) in resolutions)
    finals = [s.final for s in statuses]
    overall: str | None = None
    flags: tuple[str, ...] = ()
    if statuses and None not in finals and len(statuses) == len(form.domains_for(aim)):
        overall, flags = overall_judgement(form, [f for f in finals if f is not None])
    label = index.label(study) if index is not None else study
    return StudyAppraisal(unit, study, label, aim, results, problems, statuses, overall, flags)


def _domain_status(unit: Unit, domain: str, name: str, judged: Mapping[str, Mapping[str, str]],
                   resolutions: Mapping[str, ledger.Judgement]) -> DomainStatus:
    by_reviewer = {reviewer: by[domain] for reviewer, by in sorted(judged.items()) if domain in by}
    resolution = resolutions.get(unit.domain_item(domain))
    if resolution is not None:
        return DomainStatus(domain, name, by_reviewer, _field(resolution.value, "judgement"), "resolved",
                            {"lead": resolution.reviewer, "reason": resolution.reason or ""})
    values = set(by_reviewer.values())
    if len(values) == 1:
        return DomainStatus(domain, name, by_reviewer, values.pop(), "agreed" if len(by_reviewer) > 1 else "single")
    return DomainStatus(domain, name, by_reviewer, None, "conflict")


def conflicts(store: Store, index: StudyIndex | None = None) -> list[dict[str, Any]]:
    """Domains on which appraisers' judgements differ and no resolution stands."""
    found = []
    for conflict in ledger.conflicts(store, ROB_DOMAIN, STAGE):
        unit, _, domain = parse_item(conflict.item_id)
        study = current_study(store, unit.study)
        found.append({"study": study, "label": index.label(study) if index else study,
                      "tool": unit.tool, "outcome": unit.outcome, "domain": domain,
                      "judgements": {r: _field(v, "judgement") for r, v in conflict.values.items()}})
    return found


def agreement(store: Store) -> list[dict[str, Any]]:
    """Per tool, domain and pair of appraisers: percent agreement, Cohen's kappa and Gwet's AC1
    over the studies both appraised (the domain judgements their answers give)."""
    current = [j for j in ledger.latest_judgements(store, ROB_DOMAIN, STAGE) if not j.is_resolution]
    reviewers = sorted({j.reviewer for j in current})
    rows = []
    for first, second in combinations(reviewers, 2):
        pairs: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for item, a, b in ledger.paired_values(store, ROB_DOMAIN, STAGE, first, second):
            unit, _, domain = parse_item(item)
            pairs.setdefault((unit.tool, domain), []).append((_field(a, "judgement"), _field(b, "judgement")))
        for (tool, domain), values in sorted(pairs.items()):
            levels = next(d.levels for d in _form(tool).domains if d.id == domain)
            result: PairAgreement = pair_agreement(domain, (first, second), [a for a, _ in values],
                                                   [b for _, b in values], levels)
            rows.append({"tool": tool, "domain": domain, "reviewers": [first, second], "studies": result.units,
                         "percent_agreement": result.percent_agreement, "kappa": result.kappa, "ac1": result.ac1})
    return rows


# Overall judgements of every tool, least to most severe, so appraisals made with different tools
# can be compared (RoB 2's High and ROBINS-I's Serious both mean "serious" to GRADE).
SEVERITY = ("Low", "Low (except for concerns about uncontrolled confounding)", "Some concerns", "Moderate",
            "High", "Serious", "Critical")


def final_overall(appraised: Sequence[StudyAppraisal]) -> dict[str, str | None]:
    """Study ref → its most severe final overall judgement over its appraisals (None while any of
    them is unsettled): what GRADE's risk-of-bias domain counts."""
    worst: dict[str, str | None] = {}
    for item in appraised:
        study = item.study
        if item.overall is None or (study in worst and worst[study] is None):
            worst[study] = None
        elif study not in worst or SEVERITY.index(item.overall) > SEVERITY.index(worst[study] or "Low"):
            worst[study] = item.overall
    return worst


def write_plots(appraised: Sequence[StudyAppraisal], report_dir: Path) -> list[Path]:
    """Traffic-light and summary plots per tool, of the settled appraisals only."""
    from livingreview.appraisal.plots import rows_from_results, save_figure, summary_plot, traffic_light

    written: list[Path] = []
    for tool in sorted({a.unit.tool for a in appraised}):
        results = [_final_result(a) for a in appraised
                   if a.unit.tool == tool and a.overall is not None and a.by_reviewer]
        if not results:
            continue
        domains, rows = rows_from_results(results)
        report_dir.mkdir(parents=True, exist_ok=True)
        title = f"{load_form(tool).name}: final judgements"
        written.append(save_figure(traffic_light(domains, rows, title=title), report_dir / f"rob_{tool}_traffic_light.png"))
        written.append(save_figure(summary_plot(domains, rows, load_form(tool).levels, title=title),
                                   report_dir / f"rob_{tool}_summary.png"))
    if not written:
        raise BadInput("no appraisal is settled yet: resolve the conflicts (appraise --conflicts) before plotting")
    return written


def _final_result(appraisal: StudyAppraisal) -> AppraisalResult:
    """An appraiser's result with the final judgements put in as overrides where they differ
    (what the plots draw), labelled with the study's label."""
    first = next(iter(appraisal.by_reviewer.values()))
    finals = {d.domain: d.final for d in appraisal.domains}
    domains = tuple(replace(d, override=_as_override(finals.get(d.domain), d.proposed)) for d in first.domains)
    overall = _as_override(appraisal.overall, first.overall_proposed)
    return replace(first, study=appraisal.label, domains=domains, overall_override=overall)


def _as_override(final: str | None, proposed: str) -> Override | None:
    return None if final is None or final == proposed else Override(final, "agreed or resolved")
