"""Import RoB 2 answers from a CSV laid out like the official RoB 2 spreadsheet.

One row per study (or per study and outcome), one column per signalling question. Headers are
matched leniently: `1.1`, `D1.1`, `Q1.1`, `SQ1_1` all name question 1.1 (`S.1` for the crossover
domain); `1.1 support` (or comment, justification, quote) holds the supporting text; `D1` or
`Domain 1` (optionally followed by judgement/risk) holds a stated domain judgement and `Overall`
the stated overall one. `Study` (or Study ID, Trial) is required; `Outcome` (or Result), `Aim`
(assignment/adherence) and `Weight` are optional; other columns are reported as ignored.

Stated judgements are compared with the algorithm's, and every difference is reported. For a
form whose domains are judged directly (ROBINS-I) the same reader takes a judgements table in
robvis's layout (`Study, D1, ..., D7, Overall, Weight`): the domain columns are the judgements
and no question columns are needed. All problems of a file are collected and raised together,
each with its line and column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from livingreview.appraisal.algorithms import (
    AnswerError,
    AppraisalResult,
    Assessment,
    appraise,
    normalise_answer,
)
from livingreview.appraisal.forms import Form, load_form
from livingreview.errors import BadInput

MAX_PROBLEMS = 50
_QUESTION = re.compile(r"^(?:d|q|sq|domain)?\s*([1-9]|s)\s*[._]\s*(\d{1,2})$", re.IGNORECASE)
_SUPPORT = re.compile(
    r"^(?:d|q|sq|domain)?\s*([1-9]|s)\s*[._]\s*(\d{1,2})\s*[ _-]?\s*(?:support|comment|justification|quote)s?$",
    re.IGNORECASE,
)
_DOMAIN = re.compile(
    r"^(?:d|domain)\s*[ _-]?\s*([1-9]|s)(?:\s*[ _-]?\s*(?:judgement|judgment|risk of bias|risk|rob))?$",
    re.IGNORECASE,
)
_NAMED: dict[str, set[str]] = {
    "study": {"study", "study id", "studyid", "study name", "trial", "trial id"},
    "outcome": {"outcome", "result", "outcome result", "outcome id"},
    "aim": {"aim", "effect", "effect of interest"},
    "weight": {"weight"},
    "overall": {"overall", "overall judgement", "overall judgment", "overall risk of bias", "overall rob"},
}
_JUDGEMENT_SPELLINGS: dict[str, str] = {
    "low": "Low",
    "low risk": "Low",
    "low risk of bias": "Low",
    "+": "Low",
    "some concerns": "Some concerns",
    "some concern": "Some concerns",
    "some_concerns": "Some concerns",
    "!": "Some concerns",
    "high": "High",
    "high risk": "High",
    "high risk of bias": "High",
    "-": "High",
}


class SpreadsheetError(BadInput):
    """Problems in a RoB 2 CSV, each as (line, column or None, message)."""

    def __init__(self, where: str, problems: list[tuple[int, str | None, str]]) -> None:
        self.where, self.problems = where, problems
        lines = [
            f"{where}:{line}:" + (f" column {column!r}:" if column else "") + f" {message}"
            for line, column, message in problems
        ]
        super().__init__(f"cannot import {where}\n" + "\n".join(lines))


@dataclass(frozen=True)
class Disagreement:
    domain: str  # a domain id, or "overall"
    stated: str
    algorithm: str


@dataclass(frozen=True)
class ImportedRow:
    line: int
    result: AppraisalResult
    weight: float | None
    disagreements: tuple[Disagreement, ...]
    support: dict[str, dict[str, str]] = field(default_factory=dict)  # domain → question → text


@dataclass(frozen=True)
class SpreadsheetImport:
    rows: tuple[ImportedRow, ...]
    ignored_columns: tuple[str, ...]


@dataclass
class _Columns:
    """Where each kind of value sits: header index → meaning."""

    study: int | None = None
    outcome: int | None = None
    aim: int | None = None
    weight: int | None = None
    overall: int | None = None
    questions: dict[int, tuple[str, str]] = field(default_factory=dict)  # index → (domain, question)
    support: dict[int, tuple[str, str]] = field(default_factory=dict)
    domains: dict[int, str] = field(default_factory=dict)  # index → domain id
    ignored: list[str] = field(default_factory=list)


def read_appraisal_csv(path: str | Path, *, form: Form | str = "rob2", aim: str = "assignment") -> SpreadsheetImport:
    """Read and appraise every row of a RoB 2 CSV (UTF-8, with or without BOM; `,` `;` or tab)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(str(path), [(1, None, f"not UTF-8 text ({error.reason} at byte {error.start})")]) from None
    return parse_appraisal_csv(text, str(path), form=form, aim=aim)


def parse_appraisal_csv(text: str, where: str, *, form: Form | str = "rob2", aim: str = "assignment") -> SpreadsheetImport:
    form = load_form(form) if isinstance(form, str) else form
    rows = list(_records(text))
    if not rows:
        raise SpreadsheetError(where, [(1, None, "the file is empty; expected a header row")])
    header_line, header = rows[0]
    problems: list[tuple[int, str | None, str]] = []
    columns = _columns(header, form, header_line, problems)
    if problems:  # rows cannot be read against a header that does not say what they hold
        raise SpreadsheetError(where, problems)
    imported: list[ImportedRow] = []
    for line, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            problems.append((line, None, f"{len(cells)} cells but the header has {len(header)} columns"))
            continue
        cells = cells + [""] * (len(header) - len(cells))
        row = _row(form, aim, columns, header, line, cells, problems)
        if row is not None:
            imported.append(row)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise SpreadsheetError(where, problems[:MAX_PROBLEMS])
    return SpreadsheetImport(tuple(imported), tuple(columns.ignored))


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line of the record, cells) for each CSV record; quoted cells may span lines."""
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def _normal_header(raw: str) -> str:
    return " ".join(re.sub(r"[_:]+", " ", raw).lower().split())


def _columns(header: list[str], form: Form, line: int, problems: list[tuple[int, str | None, str]]) -> _Columns:
    columns = _Columns()
    domains = list(dict.fromkeys(d.id for d in form.domains))
    known = {(d.id, q.id) for d in form.domains for q in d.questions}
    seen: dict[str, str] = {}
    for index, raw in enumerate(header):
        name = raw.strip()
        key, meaning = _classify(name)
        if key is None:
            columns.ignored.append(name)
            continue
        if key in seen:
            problems.append((line, name, f"names the same thing as column {seen[key]!r}"))
            continue
        seen[key] = name
        if meaning[0] in ("question", "support"):
            domain_id, question_id = meaning[1], meaning[2]
            if (domain_id, question_id) not in known:
                problems.append((line, name, f"{form.tool} has no signalling question {question_id}"))
                continue
            target = columns.questions if meaning[0] == "question" else columns.support
            target[index] = (domain_id, question_id)
        elif meaning[0] == "domain":
            if meaning[1] not in domains:
                problems.append((line, name, f"{form.tool} has no domain {meaning[1]} ({', '.join(domains)})"))
                continue
            columns.domains[index] = meaning[1]
        else:
            setattr(columns, meaning[0], index)
    if columns.study is None:
        problems.append((line, None, "no study column (expected a header such as 'Study' or 'Study ID')"))
    if not columns.questions and any(not d.judged_directly for d in form.domains):
        problems.append((line, None, "no signalling-question columns (expected headers such as '1.1' or 'D1.1')"))
    for domain_id in dict.fromkeys(d.id for d in form.domains if d.judged_directly):
        if domain_id not in columns.domains.values():
            problems.append((line, None, f"no column for {domain_id}, which {form.tool} judges directly (expected a header '{domain_id}')"))
    return columns


def _classify(name: str) -> tuple[str | None, tuple[str, ...]]:
    """A unique key for the column and what it holds, or (None, ()) for a column we ignore."""
    for pattern, kind in ((_QUESTION, "question"), (_SUPPORT, "support")):
        match = pattern.match(name)
        if match:
            number = match.group(1).upper()
            question_id = f"{number}.{int(match.group(2))}"
            return f"{kind}:{question_id}", (kind, f"D{number}", question_id)
    match = _DOMAIN.match(name)
    if match:
        domain_id = f"D{match.group(1).upper()}"
        return f"domain:{domain_id}", ("domain", domain_id)
    normal = _normal_header(name)
    for kind, spellings in _NAMED.items():
        if normal in spellings:
            return kind, (kind,)
    return None, ()


def _row(
    form: Form,
    default_aim: str,
    columns: _Columns,
    header: list[str],
    line: int,
    cells: list[str],
    problems: list[tuple[int, str | None, str]],
) -> ImportedRow | None:
    before = len(problems)
    assert columns.study is not None
    study = cells[columns.study].strip()
    if not study:
        problems.append((line, header[columns.study], "the study is blank"))
    answers: dict[str, dict[str, str]] = {}
    for index, (domain_id, question_id) in columns.questions.items():
        code = normalise_answer(cells[index])
        if code is None:
            problems.append((line, header[index], f"{cells[index]!r} is not an answer (expected Y, PY, PN, N, NI or NA)"))
            continue
        answers.setdefault(domain_id, {})[question_id] = code
    aim: str | None = None  # a tool without variants (ROBINS-I) has no aim to record
    if form.aims:
        aim = _aim(cells[columns.aim], default_aim) if columns.aim is not None else default_aim
        if aim is None:
            assert columns.aim is not None
            problems.append((line, header[columns.aim], f"{cells[columns.aim]!r} is not an aim ({' or '.join(form.aims)})"))
    stated = _stated(form, columns, header, line, cells, problems)
    weight = _weight(columns, header, line, cells, problems)
    if len(problems) > before:
        return None
    answers = _for_aim(form, answers, aim, header, columns, line, problems)
    if len(problems) > before:
        return None
    try:
        direct = {d.id: stated[d.id] for d in form.domains_for(aim) if d.judged_directly and d.id in stated}
        assessment = Assessment(study, answers, aim=aim, outcome=_outcome(columns, cells), direct=direct)
        result = appraise(form, assessment)
    except AnswerError as error:
        problems.append((line, _question_column(header, columns, error), str(error)))
        return None
    return ImportedRow(line, result, weight, _disagreements(result, stated), _support(columns, cells))


def _for_aim(
    form: Form,
    answers: dict[str, dict[str, str]],
    aim: str | None,
    header: list[str],
    columns: _Columns,
    line: int,
    problems: list[tuple[int, str | None, str]],
) -> dict[str, dict[str, str]]:
    """The answers to this aim's questions; a question only the other aim asks must be blank or NA."""
    asked = {(d.id, q.id) for d in form.domains_for(aim) for q in d.questions}
    kept: dict[str, dict[str, str]] = {}
    for index, (domain_id, question_id) in columns.questions.items():
        answer = answers.get(domain_id, {}).get(question_id)
        if answer is None:
            continue
        if (domain_id, question_id) in asked:
            kept.setdefault(domain_id, {})[question_id] = answer
        elif answer != "NA":
            problems.append((line, header[index], f"question {question_id} is not asked when the aim is {aim}; leave it blank"))
    return kept


def _aim(cell: str, default: str) -> str | None:
    text = cell.strip().lower()
    if not text:
        return default
    if "adher" in text:
        return "adherence"
    if "assign" in text:
        return "assignment"
    return None


def _outcome(columns: _Columns, cells: list[str]) -> str | None:
    return cells[columns.outcome].strip() or None if columns.outcome is not None else None


def _stated(
    form: Form, columns: _Columns, header: list[str], line: int, cells: list[str], problems: list[tuple[int, str | None, str]]
) -> dict[str, str]:
    stated: dict[str, str] = {}
    targets = dict(columns.domains)
    if columns.overall is not None:
        targets[columns.overall] = "overall"
    for index, domain_id in targets.items():
        raw = cells[index].strip()
        if not raw:
            continue
        judgement = _judgement(form, raw)
        if judgement is None:
            problems.append((line, header[index], f"{raw!r} is not a judgement ({', '.join(form.levels)})"))
            continue
        stated[domain_id] = judgement
    return stated


def _judgement(form: Form, raw: str) -> str | None:
    """The form's level for a cell: its exact name in any case, or a RoB 2 alias (+, !, -, ...)."""
    text = " ".join(raw.lower().split())
    for level in form.levels:
        if text == level.lower():
            return level
    alias = _JUDGEMENT_SPELLINGS.get(text)
    return alias if alias in form.levels else None


def _weight(columns: _Columns, header: list[str], line: int, cells: list[str], problems: list[tuple[int, str | None, str]]) -> float | None:
    if columns.weight is None or not cells[columns.weight].strip():
        return None
    raw = cells[columns.weight].strip()
    try:
        weight = float(raw.rstrip("%"))
    except ValueError:
        weight = -1.0
    if not weight >= 0:
        problems.append((line, header[columns.weight], f"{raw!r} is not a non-negative number"))
        return None
    return weight


def _disagreements(result: AppraisalResult, stated: dict[str, str]) -> tuple[Disagreement, ...]:
    found = [
        Disagreement(domain.domain, stated[domain.domain], domain.proposed)
        for domain in result.domains
        if domain.domain in stated and stated[domain.domain] != domain.proposed
    ]
    if "overall" in stated and stated["overall"] != result.overall_proposed:
        found.append(Disagreement("overall", stated["overall"], result.overall_proposed))
    return tuple(found)


def _support(columns: _Columns, cells: list[str]) -> dict[str, dict[str, str]]:
    support: dict[str, dict[str, str]] = {}
    for index, (domain_id, question_id) in columns.support.items():
        if cells[index].strip():
            support.setdefault(domain_id, {})[question_id] = cells[index].strip()
    return support


def _question_column(header: list[str], columns: _Columns, error: AnswerError) -> str | None:
    """The header of the cell an AnswerError is about: its question's, else its domain's column."""
    for index, (domain_id, question_id) in columns.questions.items():
        if domain_id == error.domain and question_id == error.question:
            return header[index]
    for index, domain_id in columns.domains.items():
        if domain_id == error.domain and error.question is None:
            return header[index]
    return None
