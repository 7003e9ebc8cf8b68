"""Exports of a review: included studies (CSV, XLSX), included records (RIS), effect sizes for
metafor (CSV), and the whole review as one JSON bundle that `import_bundle` restores.

- **CSV / XLSX**: one row per included study with its first report's citation and its extraction,
  field by field: the verified value (a standing resolution, or the value every reviewer who
  extracted the field gave, as synthesis reads it) where there is one; the extraction stage's
  suggestion only where no reviewer has given a value; nothing where reviewers disagree and no
  resolution stands. Beside each field, `extraction:FIELD:source` says which: verified,
  suggested or in conflict. Every text cell goes through `safe_text.for_csv`, so a title or value
  beginning with `=`, `+`, `-` or `@` is shown as text, never run as a formula.
- **RIS**: one entry per report of each included study (its first record), with the tags Zotero
  and EndNote read: TY AU TI T2 PY VL IS SP EP DO AN AB ER. A PMID is written as `AN  - PMID:n`.
- **metafor CSV**: one row per outcome with an effect size in the synthesis evidence, in escalc's
  names (`yi`, `vi`, `measure`) with the moderators `randomised` (1/0/blank) and `n_total`, and
  `pooled` = 1 on the outcome the synthesis pools for its study and construct (the primary one,
  else the first). `livingreview meta FILE --mods randomised` reads it as it is.
- **bundle**: the protocol's text, every table of the store row by row (records with their raw
  text, imports, searches, duplicate pairs, report and study membership history, judgements,
  extractions, appraisals, events, rounds) and the project's files (imported copies, snapshots,
  full texts, evidence), base64-encoded. Restoring it gives the same rows and files.
"""

from __future__ import annotations

import base64
import csv
import json
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livingreview import __version__
from livingreview.errors import BadInput
from livingreview.extraction.verify import FieldRef, current_extractions, verified
from livingreview.files import replacing
from livingreview.project import DATABASE_FILE, PROTOCOL_FILE, Review
from livingreview.records import Record
from livingreview.report.counts import included_units
from livingreview.report.service import study_label
from livingreview.safe_text import for_csv
from livingreview.store import Store
from livingreview.store import bundle as bundle_tables
from livingreview.store import studies as studies_table
from livingreview.store.extractions import current_suggestions
from livingreview.store.records import records_by_id

FORMATS = ("csv", "xlsx", "ris", "metafor", "bundle")
DEFAULT_NAMES = {"csv": "included_studies.csv", "xlsx": "included_studies.xlsx",
                 "ris": "included_records.ris", "metafor": "effect_sizes_metafor.csv",
                 "bundle": "review_bundle.json"}
BUNDLE_FORMAT = "livingreview-bundle"
BUNDLE_VERSION = 1
# Project folders whose files belong to the review (the report is rebuilt from them).
BUNDLED_FOLDERS = ("imports", "snapshots", "fulltexts", "evidence")
_CITATION_COLUMNS = ("study_id", "record_id", "study", "title", "authors", "journal", "year",
                     "volume", "issue", "pages", "doi", "pmid", "nct_ids")
# Control characters an XLSX cell cannot hold (openpyxl refuses them).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ExportError(BadInput):
    """An export that cannot be written (nothing to export, a bad bundle, a taken folder)."""


def export(review: Review, format: str, out: Path | None = None) -> Path:
    """Write one export and return its path (`DIR/report/exports/NAME` by default)."""
    if format not in FORMATS:
        raise ExportError(f"unknown export format {format!r}; expected one of {', '.join(FORMATS)}")
    path = out or review.report_dir / "exports" / DEFAULT_NAMES[format]
    path.parent.mkdir(parents=True, exist_ok=True)
    writers = {"csv": write_csv, "xlsx": write_xlsx, "ris": write_ris,
               "metafor": write_metafor, "bundle": write_bundle}
    count = writers[format](review, path)
    review.store.log("export", f"export.{format}", subject=str(path), detail={"rows": count})
    return path


# --- included studies ------------------------------------------------------------------------------

def study_rows(review: Review) -> list[dict[str, object]]:
    """One row per included study: citation of its first record and its extraction, verified
    values first, suggestions where no reviewer has given a value."""
    extraction = _Extraction.read(review.store)
    rows: list[dict[str, object]] = []
    for record in records_by_id(review.store, included_units(review.store, review.protocol)):
        row: dict[str, object] = {
            "study_id": record.study_id, "record_id": record.id, "study": study_label(record),
            "title": record.title, "authors": "; ".join(record.authors), "journal": record.journal,
            "year": record.year, "volume": record.volume, "issue": record.issue,
            "pages": record.pages, "doi": record.doi, "pmid": record.pmid,
            "nct_ids": "; ".join(record.nct_ids)}
        if record.study_id is not None:
            row.update(extraction.cells(review.store, record.study_id))
        rows.append(row)
    return rows


@dataclass(frozen=True)
class _Extraction:
    """The reviewers' extraction of every study: verified values, and every field a reviewer has
    given a value for (a given field that is not verified is one they disagree on)."""

    checked: Mapping[int, Mapping[FieldRef, Any]]
    given: frozenset[FieldRef]

    @classmethod
    def read(cls, store: Store) -> _Extraction:
        return cls(verified(store), frozenset(e.ref for e in current_extractions(store)))

    def cells(self, store: Store, study_id: int) -> dict[str, object]:
        """`extraction:FIELD` and `extraction:FIELD:source` for every field of one study."""
        suggested = current_suggestions(store, study_id)
        checked = self.checked.get(study_id, {})
        labels = {ref.label: ref for ref in checked}
        labels.update({ref.label: ref for ref in self.given if ref.study_id == study_id})
        cells: dict[str, object] = {}
        for label in sorted(set(labels) | set(suggested)):
            ref = labels.get(label)
            if ref is not None and ref in checked:
                value, source = checked[ref], "verified"
            elif ref is not None:  # reviewers gave values that disagree, and none is resolved
                value, source = None, "in conflict"
            else:
                value, source = suggested[label].get("value"), "suggested"
            cells[f"extraction:{label}"] = _cell(value)
            cells[f"extraction:{label}:source"] = source
        return cells


def _cell(value: object) -> object:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _columns(rows: Sequence[dict[str, object]]) -> list[str]:
    seen = dict.fromkeys(_CITATION_COLUMNS)
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def write_csv(review: Review, path: Path) -> int:
    rows = study_rows(review)
    columns = _columns(rows)
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([for_csv(row.get(c)) for c in columns])
    return len(rows)


def write_xlsx(review: Review, path: Path) -> int:
    from openpyxl import Workbook  # loaded only for this export

    rows = study_rows(review)
    columns = _columns(rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "included studies"
    sheet.append(columns)
    for row in rows:
        sheet.append([_xlsx_cell(row.get(c)) for c in columns])
    with replacing(path) as temporary:
        workbook.save(temporary)
    return len(rows)


def _xlsx_cell(value: object) -> object:
    if isinstance(value, str):
        # A string openpyxl would store as a formula (leading '=') becomes text through for_csv.
        return for_csv(_XLSX_ILLEGAL.sub("", value))
    return value


# --- included records as RIS -----------------------------------------------------------------------

def report_records(review: Review) -> list[Record]:
    """The first record of each report of every included study, in record order."""
    reports = studies_table.current_reports(review.store)
    chosen: dict[int, int] = {}
    for unit in included_units(review.store, review.protocol):
        study = studies_table.study_of_record(review.store, unit)
        members = ([unit] if study is None else studies_table.records_of_study(review.store, study))
        for record in members:
            chosen.setdefault(reports.get(record, -record), record)
    return records_by_id(review.store, sorted(chosen.values()))


def ris_entry(record: Record) -> str:
    lines = [("TY", "JOUR")]
    lines += [("AU", author) for author in record.authors]
    start, _, end = (record.pages or "").partition("-")
    for tag, value in (("TI", record.title), ("T2", record.journal), ("PY", record.year),
                       ("VL", record.volume), ("IS", record.issue), ("SP", start), ("EP", end),
                       ("DO", record.doi), ("AN", f"PMID:{record.pmid}" if record.pmid else None),
                       ("AB", record.abstract)):
        if value not in (None, ""):
            lines.append((tag, str(value)))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_one_line(value)}".rstrip() + "\r\n" for tag, value in lines)


def _one_line(text: str) -> str:
    # A line break inside a value would start a new (untagged) line that readers misparse.
    return " ".join(text.split())


def write_ris(review: Review, path: Path) -> int:
    records = report_records(review)
    with replacing(path) as temporary:
        temporary.write_text("".join(ris_entry(r) + "\r\n" for r in records), encoding="utf-8")
    return len(records)


# --- effect sizes for metafor ----------------------------------------------------------------------

def metafor_rows(review: Review) -> list[dict[str, object]]:
    from livingreview.synthesis.service import evidence_source  # pulls in scipy and matplotlib

    evidence = evidence_source(review.directory, review.protocol, review.store)
    rows: list[dict[str, object]] = []
    for study in evidence.studies:
        with_effect = [(o, o.effect) for o in study.outcomes if o.effect is not None]
        pooled: dict[str, int] = {}  # construct → index of the outcome synthesis pools
        for index, (outcome, _) in enumerate(with_effect):
            if outcome.construct not in pooled or (
                    outcome.primary and not with_effect[pooled[outcome.construct]][0].primary):
                pooled[outcome.construct] = index
        for index, (outcome, effect) in enumerate(with_effect):
            rows.append({
                "study": study.label, "key": study.key, "decision": study.decision,
                "drug": "; ".join(study.drugs), "construct": outcome.construct,
                "outcome_class": outcome.outcome_class, "instrument": outcome.instrument,
                "primary": {True: 1, False: 0, None: ""}[outcome.primary],
                "pooled": int(index == pooled[outcome.construct] and len(study.drugs) == 1),
                "measure": effect.measure, "yi": effect.yi, "vi": effect.vi,
                "randomised": {"yes": 1, "no": 0}.get(study.randomised, ""),
                "n_total": "" if study.n_total is None else study.n_total})
    return rows


def write_metafor(review: Review, path: Path) -> int:
    rows = metafor_rows(review)
    if not rows:
        raise ExportError(f"{review.directory}: no study in the synthesis evidence has an effect "
                          "size; there is nothing for metafor")
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: for_csv(v) for k, v in row.items()} for row in rows)
    return len(rows)


# --- the whole review as one JSON bundle -----------------------------------------------------------

def bundle(review: Review) -> dict[str, Any]:
    files = {}
    for folder in BUNDLED_FOLDERS:
        root = review.directory / folder
        for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []:
            files[path.relative_to(review.directory).as_posix()] = base64.b64encode(
                path.read_bytes()).decode("ascii")
    return {"format": BUNDLE_FORMAT, "bundle_version": BUNDLE_VERSION, "tool_version": __version__,
            "schema_version": bundle_tables.stored_schema_version(review.store),
            "review": review.protocol.review.id,
            "protocol": (review.directory / PROTOCOL_FILE).read_text(encoding="utf-8"),
            "tables": bundle_tables.dump_tables(review.store), "files": files}


def write_bundle(review: Review, path: Path) -> int:
    content = bundle(review)
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8") as handle:
        json.dump(content, handle, ensure_ascii=False, separators=(",", ":"))
    return sum(len(t["rows"]) for t in content["tables"].values())


def import_bundle(bundle_path: Path, directory: Path) -> Review:
    """Restore a bundle into a new project folder (which must not exist, or be empty)."""
    content = _read_bundle(bundle_path)
    if directory.exists() and any(directory.iterdir()):
        raise ExportError(f"{directory} is not empty; restore a bundle into a new folder")
    directory.mkdir(parents=True, exist_ok=True)
    try:
        (directory / PROTOCOL_FILE).write_text(content["protocol"], encoding="utf-8")
        for relative, encoded in content["files"].items():
            target = (directory / relative).resolve()
            if directory.resolve() not in target.parents:
                raise ExportError(f"{bundle_path}: file {relative!r} would land outside {directory}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(encoded))
        for folder in ("snapshots", "imports", "report"):
            (directory / folder).mkdir(exist_ok=True)
        with Store(directory / DATABASE_FILE) as store:
            rows = bundle_tables.restore_tables(store, content["tables"], int(content["schema_version"]))
            store.log("project", "bundle.restore", subject=content.get("review"),
                      detail={"bundle": str(bundle_path), "rows": rows,
                              "files": len(content["files"]),
                              "from_tool_version": content.get("tool_version")})
        return Review(directory)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


def _read_bundle(path: Path) -> dict[str, Any]:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExportError(f"{path}: not a readable JSON bundle ({error})") from error
    if not isinstance(content, dict) or content.get("format") != BUNDLE_FORMAT:
        raise ExportError(f"{path}: not a livingreview bundle (no \"format\": \"{BUNDLE_FORMAT}\")")
    if content.get("bundle_version") != BUNDLE_VERSION:
        raise ExportError(f"{path}: bundle version {content.get('bundle_version')!r}; this "
                          f"livingreview reads version {BUNDLE_VERSION}")
    for key in ("protocol", "tables", "files", "schema_version"):
        if key not in content:
            raise ExportError(f"{path}: the bundle has no {key!r}")
    return content

