"""The extraction form as a spreadsheet, for teams that extract in one: export, then import back.

Export writes one row per included study with the rules' suggestions filled in, and one row per
suggested outcome; an XLSX file has a `studies` and an `outcomes` sheet, a CSV file one table whose
`outcome` column is empty on study rows. The last column, `provenance`, holds the suggestions'
evidence as JSON (hidden in XLSX) so a reader can see where each value came from. Lists are written
as "a; b". Every text cell goes through `safe_text.for_csv`, so a record's title that begins like a
formula is shown as text.

Import reads the file back as ONE reviewer's extraction: an unchanged cell is recorded as the
suggestion accepted (with its evidence), a changed cell as a correction, a value where there was no
suggestion as an addition; each judgement names the file, sheet, row and column it came from.
Every cell is checked against the form before anything is recorded, and all problems are reported
together, each with its sheet, row and column. A formula is refused: a value must be typed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livingreview.errors import BadInput
from livingreview.extraction.form import form_of
from livingreview.extraction.service import extraction_units
from livingreview.extraction.verify import (
    FieldRef,
    VerificationError,
    canonical,
    check_value,
    parse_typed,
    record_value,
)
from livingreview.protocol.models import ExtractionField, Protocol
from livingreview.safe_text import for_csv, plain_for_terminal
from livingreview.screening.workflow import Screening
from livingreview.files import replacing
from livingreview.store import Store
from livingreview.store.extractions import current_suggestions
from livingreview.store import studies as studies_table
from livingreview.store.studies import resolve_study

STUDIES, OUTCOMES = "studies", "outcomes"
_KEYS = ("study_id", "outcome", "record_id", "title")
_PROVENANCE = "provenance"
_FORMULA_START = ("=", "+", "-", "@")


class SpreadsheetError(BadInput):
    """A sheet that cannot be imported; `problems` lists (sheet, row, column, message)."""

    def __init__(self, path: Path, problems: list[tuple[str, int, str, str]]) -> None:
        self.problems = problems
        super().__init__(f"{path}: {len(problems)} problems\n" + "\n".join(
            f"sheet {s} row {r} column {c}: {m}" for s, r, c, m in problems))


@dataclass
class SheetImport:
    reviewer: str
    accepted: int = 0
    corrected: int = 0
    added: int = 0
    unchanged: int = 0  # the reviewer's current value already said so
    changed_cells: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"reviewer": self.reviewer, "accepted": self.accepted, "corrected": self.corrected,
                "added": self.added, "unchanged": self.unchanged, "changed_cells": self.changed_cells}


# --- export ---------------------------------------------------------------------------------------

def sheet_rows(store: Store, protocol: Protocol, screening: Screening) -> dict[str, list[dict[str, Any]]]:
    """The rows of both sheets, as plain values (lists joined, None empty)."""
    form = form_of(protocol)
    study_fields = [f for f in form.fields if f.level == "study"]
    outcome_fields = [f for f in form.fields if f.level == "outcome"]
    rows: dict[str, list[dict[str, Any]]] = {STUDIES: [], OUTCOMES: []}
    for unit in extraction_units(screening, every_record=False):
        if unit.study_id is None:
            continue
        suggested = current_suggestions(store, unit.study_id)
        title = plain_for_terminal(unit.representative.title or "")
        row = {"study_id": unit.study_id, "outcome": "", "record_id": unit.record_id, "title": title}
        row.update({f.name: _cell(suggested.get(f.name, {}).get("value")) for f in study_fields})
        row[_PROVENANCE] = _provenance(suggested, [f.name for f in study_fields])
        rows[STUDIES].append(row)
        count = 1 + max((FieldRef.from_label(unit.study_id, k).outcome or 0 for k in suggested
                         if k.startswith("outcomes[")), default=-1)
        for number in range(count):
            labels = [f"outcomes[{number}].{f.name}" for f in outcome_fields]
            outcome_row = {"study_id": unit.study_id, "outcome": number, "record_id": unit.record_id, "title": title}
            outcome_row.update({f.name: _cell(suggested.get(label, {}).get("value"))
                                for f, label in zip(outcome_fields, labels)})
            outcome_row[_PROVENANCE] = _provenance(suggested, labels)
            rows[OUTCOMES].append(outcome_row)
    return rows


def export_sheet(store: Store, protocol: Protocol, screening: Screening, path: Path) -> dict[str, int]:
    """Write the form to `path` (.csv or .xlsx); returns the rows written per sheet."""
    rows = sheet_rows(store, protocol, screening)
    form = form_of(protocol)
    study_columns = [*_KEYS, *(f.name for f in form.fields if f.level == "study"), _PROVENANCE]
    outcome_columns = [*_KEYS, *(f.name for f in form.fields if f.level == "outcome"), _PROVENANCE]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        columns = list(dict.fromkeys([*study_columns[:-1], *outcome_columns[:-1], _PROVENANCE]))
        with replacing(path) as partial, partial.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, columns)
            writer.writeheader()
            for row in rows[STUDIES] + rows[OUTCOMES]:
                writer.writerow({c: for_csv(row.get(c, "")) for c in columns})
    elif suffix == ".xlsx":
        _write_xlsx(path, [(STUDIES, study_columns, rows[STUDIES]), (OUTCOMES, outcome_columns, rows[OUTCOMES])])
    else:
        raise BadInput(f"{path}: export to .csv or .xlsx, not {suffix or 'a file without a suffix'}")
    return {STUDIES: len(rows[STUDIES]), OUTCOMES: len(rows[OUTCOMES])}


def _write_xlsx(path: Path, sheets: list[tuple[str, list[str], list[dict[str, Any]]]]) -> None:
    from openpyxl import Workbook  # loaded only for this export

    book = Workbook()
    book.remove(book.active)
    for name, columns, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append(columns)
        for row in rows:
            sheet.append([for_csv(row.get(c, "")) for c in columns])
        sheet.column_dimensions[sheet.cell(1, len(columns)).column_letter].hidden = True
    with replacing(path) as partial:
        book.save(partial)


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else value


def _provenance(suggested: dict[str, dict[str, Any]], labels: list[str]) -> str:
    evidence = {label.rpartition(".")[2]: [{k: e.get(k) for k in ("record_id", "field", "start", "end", "text")}
                                           for e in suggested[label].get("evidence") or []]
                for label in labels if label in suggested and suggested[label].get("evidence")}
    return json.dumps(evidence, ensure_ascii=False, sort_keys=True) if evidence else ""


# --- import ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Cell:
    sheet: str
    row: int
    column: str
    ref: FieldRef
    value: Any


def import_sheet(store: Store, protocol: Protocol, path: Path, reviewer: str) -> SheetImport:
    """Record the file as `reviewer`'s extraction; nothing is recorded if any cell is wrong."""
    problems: list[tuple[str, int, str, str]] = []
    cells = list(_read_cells(store, protocol, path, problems))
    if problems:
        raise SpreadsheetError(path, problems)
    result = SheetImport(reviewer.strip())
    suggestions: dict[int, dict[str, dict[str, Any]]] = {}
    for cell in cells:
        suggested = suggestions.setdefault(cell.ref.study_id, current_suggestions(store, cell.ref.study_id))
        suggestion = suggested.get(cell.ref.label)
        where = {"file": path.name, "sheet": cell.sheet, "row": cell.row, "column": cell.column}
        if suggestion is not None and canonical(_conformed(protocol, cell.ref, suggestion["value"])) == canonical(cell.value):
            action, evidence = "accept", [*(suggestion.get("evidence") or []), where]
        elif suggestion is None and cell.value in (None, []):
            continue  # nothing suggested and nothing typed: the field was not extracted
        else:
            action, evidence = ("correct" if suggestion is not None else "add"), [where]
        recorded = record_value(store, protocol, cell.ref, reviewer, cell.value, action=action, evidence=evidence,
                                source=f"spreadsheet:{path.name}")
        if recorded is None:
            result.unchanged += 1
            continue
        if action == "accept":
            result.accepted += 1
        else:
            result.corrected += action == "correct"
            result.added += action == "add"
            result.changed_cells.append({**where, "field": cell.ref.label, "study_id": cell.ref.study_id,
                                         "value": cell.value,
                                         "suggested": None if suggestion is None else suggestion["value"]})
    return result


def _conformed(protocol: Protocol, ref: FieldRef, value: Any) -> Any:
    try:
        return check_value(protocol, form_of(protocol).field(ref.field), value, ref.label)
    except VerificationError:
        return value


def _read_cells(store: Store, protocol: Protocol, path: Path,
                problems: list[tuple[str, int, str, str]]) -> Iterator[_Cell]:
    form = form_of(protocol)
    known = studies_table.study_ids(store)
    for sheet, number, row in _rows(path):
        study = _study_id(row.get("study_id"), known, store)
        if study is None:
            problems.append((sheet, number, "study_id", f"expected the id of a study in this review, got "
                                                        f"{row.get('study_id')!r}"))
            continue
        raw_outcome = row.get("outcome")
        outcome_text = "" if raw_outcome is None else str(raw_outcome).strip()
        if outcome_text and not outcome_text.isdigit():
            problems.append((sheet, number, "outcome", f"expected an outcome number (0, 1, ...) or nothing, "
                                                       f"got {outcome_text!r}"))
            continue
        outcome = int(outcome_text) if outcome_text else None
        level = "study" if outcome is None else "outcome"
        for declared in form.fields:
            if declared.name not in row:
                continue
            raw = row[declared.name]
            if declared.level != level:
                if str(raw or "").strip():
                    problems.append((sheet, number, declared.name, f"a {declared.level}-level field, filled "
                                                                   f"in on a {level} row"))
                continue
            value = _value(protocol, declared, raw, FieldRef(study, declared.name, outcome), problems,
                           (sheet, number))
            if value is not _BAD:
                yield _Cell(sheet, number, declared.name, FieldRef(study, declared.name, outcome), value)


_BAD = object()


def _value(protocol: Protocol, declared: ExtractionField, raw: Any, ref: FieldRef,
           problems: list[tuple[str, int, str, str]], at: tuple[str, int]) -> Any:
    text = "" if raw is None else str(raw)
    if text.startswith("'") and text[1:].startswith(_FORMULA_START):
        text = text[1:]  # our own for_csv quote: the text is the value
    elif text.startswith("=") and isinstance(raw, str):
        problems.append((*at, declared.name, f"a formula ({text[:40]!r}) is not a value; type the value itself"))
        return _BAD
    try:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and declared.type == "integer":
            parsed: Any = int(raw) if float(raw).is_integer() else raw
        else:
            parsed = parse_typed(text, declared)
        return check_value(protocol, declared, parsed, f"study {ref.study_id} {ref.label}")
    except VerificationError as error:
        problems.append((*at, declared.name, str(error)))
        return _BAD


def _study_id(raw: Any, known: set[int], store: Store) -> int | None:
    try:
        number = int(str(raw).strip())
    except ValueError:
        return None
    return resolve_study(store, number) if number in known else None


def _rows(path: Path) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(sheet, row number as the spreadsheet shows it, cells by column name) for every data row."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                yield path.stem, number, row
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:
            for sheet in book.worksheets:
                rows = sheet.iter_rows(values_only=True)
                header = [str(c) if c is not None else "" for c in next(rows, ())]
                for number, values in enumerate(rows, start=2):
                    if any(v not in (None, "") for v in values):
                        yield sheet.title, number, dict(zip(header, values))
        finally:
            book.close()
    else:
        raise BadInput(f"{path}: import a .csv or .xlsx file, not {suffix or 'a file without a suffix'}")
