"""Exports: the JSON bundle restores a review row for row, RIS re-imports through our own RIS
importer, CSV and XLSX neutralise formulas, and the metafor CSV reads back through `meta`."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import fixture_path
from livingreview import Review
from livingreview.cli import cli
from livingreview.store.bundle import dump_tables
from livingreview.store.extractions import SuggestionRow, add_suggestions
from test_synthesize_cli import make_project, write_synthetic_evidence

_RIS_BLOCK = re.compile(r"TY  - .*?ER  - *\n", re.DOTALL)
FORMULA_TITLE = "=cmd|' /C calc'!A0 duplication cyst"


def invoke(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def decide(project: Path, unit: int, stage: str, label: str, reason: str | None = None) -> None:
    for reviewer in ("ana", "ben"):
        invoke("decide", str(project), str(unit), label, "--reviewer", reviewer, "--stage", stage,
               *(("--reason", reason) if reason else ()))


@pytest.fixture
def screened(tmp_path: Path, minimal_protocol: Path) -> tuple[Path, list[int]]:
    """Embase's export, plus a copy of its first record whose title starts with a formula (from a
    second database), deduped and screened: three studies included, two excluded, one undo."""
    project = tmp_path / "review"
    invoke("init", str(project), "--protocol", str(minimal_protocol))
    with Review(project) as review:
        review.begin_round()
    embase = fixture_path("exports", "embase.ris")
    invoke("import", str(project), str(embase))
    first = _RIS_BLOCK.findall(embase.read_text(encoding="utf-8-sig"))[4]
    hostile = tmp_path / "hostile.ris"
    hostile.write_text(re.sub(r"^T1  - .*$", f"T1  - {FORMULA_TITLE}",
                              re.sub(r"^(DB|DO|UR|L2)  - .*\n", "", first, flags=re.MULTILINE),
                              count=1, flags=re.MULTILINE), encoding="utf-8")
    invoke("import", str(project), str(hostile), "--source", "Hostile DB")
    invoke("dedupe", str(project))
    with Review(project) as review:
        units = review.screening.units()
    assert len(units) == 7  # the altered copy has no DOI and another title: a study of its own
    for unit in units[:3] + units[-1:]:
        decide(project, unit, "title_abstract", "include")
    for unit in units[3:6]:
        decide(project, unit, "title_abstract", "exclude", "C1")
    invoke("undo", str(project), "--reviewer", "ben", "--record", str(units[5]))
    for unit in units[:2] + units[-1:]:
        text = tmp_path / f"{unit}.txt"
        text.write_text(f"Full text of record {unit}.\n", encoding="utf-8")
        invoke("attach-fulltext", str(project), str(unit), str(text))
        decide(project, unit, "full_text", "include")
    decide(project, units[2], "full_text", "exclude", "C2")
    with Review(project) as review:
        study = review.store.records("id = ?", (units[0],))[0].study_id
        assert study is not None
        add_suggestions(review.store, [SuggestionRow(study, "n_total", {
            "value": 40, "evidence": [{"field": "abstract", "start": 0, "end": 5}], "flags": []},
            units[0], "rules/test")])
        review.end_round()
    return project, units


@pytest.mark.realdata
def test_the_bundle_restores_every_table_row_by_row_and_every_file(screened, tmp_path: Path) -> None:
    project, _ = screened
    with Review(project) as review:
        before = dump_tables(review.store)
    bundle = Path(invoke("export", str(project), "--format", "bundle")["path"])
    restored_dir = tmp_path / "restored"
    restored = invoke("import-bundle", str(bundle), str(restored_dir))
    assert restored["records"] == 7
    with Review(restored_dir) as review:
        after = dump_tables(review.store)
        restore_events = review.store.events("project", "bundle.restore")
    assert set(after) == set(before)
    for table in before:
        assert after[table]["columns"] == before[table]["columns"], table
        rows = after[table]["rows"]
        if table == "events":
            # the restore is logged after the review's own events, which are all there unchanged
            assert rows[:-1] == before[table]["rows"] and len(restore_events) == 1
        else:
            assert rows == before[table]["rows"], table
    for table in ("records", "imports", "judgements", "report_members", "study_members",
                  "duplicate_pairs", "fulltexts", "extractions", "rounds", "reviewers"):
        assert before[table]["rows"], f"the test project should hold rows in {table}"
    for folder in ("imports", "fulltexts"):
        originals = {p.relative_to(project): p.read_bytes() for p in (project / folder).rglob("*")
                     if p.is_file()}
        assert originals and originals == {p.relative_to(restored_dir): p.read_bytes()
                                           for p in (restored_dir / folder).rglob("*") if p.is_file()}
    assert (restored_dir / "protocol.toml").read_bytes() == (project / "protocol.toml").read_bytes()
    assert invoke("status", str(restored_dir))["screening"] == invoke("status", str(project))["screening"]


@pytest.mark.realdata
def test_a_bundle_does_not_restore_over_an_existing_project(screened, tmp_path: Path) -> None:
    project, _ = screened
    bundle = Path(invoke("export", str(project), "--format", "bundle")["path"])
    result = CliRunner().invoke(cli, ["import-bundle", str(bundle), str(project)])
    assert result.exit_code != 0 and "is not empty" in str(result.exception)
    bundle.write_text('{"format": "something else"}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["import-bundle", str(bundle), str(tmp_path / "new")])
    assert "not a livingreview bundle" in str(result.exception)
    assert not (tmp_path / "new").exists()


@pytest.mark.realdata
def test_included_records_as_ris_reimport_with_the_same_fields(screened, tmp_path: Path,
                                                               minimal_protocol: Path) -> None:
    project, units = screened
    ris = Path(invoke("export", str(project), "--format", "ris")["path"])
    with Review(project) as review:
        originals = review.store.records(f"id IN ({', '.join('?' * 3)})",
                                         (units[0], units[1], units[-1]))
    with Review.init(tmp_path / "again", minimal_protocol) as again:
        result = again.import_file(ris)
        assert (result.format, result.records) == ("ris", 3)
        reread = again.store.records()
    fields = ("title", "authors", "journal", "year", "volume", "issue", "pages", "doi", "pmid")
    for original, back in zip(originals, reread, strict=True):
        for name in fields:
            assert getattr(back, name) == getattr(original, name), name
        assert back.abstract == " ".join((original.abstract or "").split())
    text = ris.read_text(encoding="utf-8")
    assert text.count("TY  - JOUR") == 3 and text.count("ER  -") == 3


@pytest.mark.realdata
def test_csv_and_xlsx_list_the_included_studies_with_formulas_neutralised(screened) -> None:
    from openpyxl import load_workbook

    project, units = screened
    csv_path = Path(invoke("export", str(project), "--format", "csv")["path"])
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["record_id"]) for r in rows] == [units[0], units[1], units[-1]]
    assert rows[2]["title"] == "'" + FORMULA_TITLE
    assert rows[0]["extraction:n_total"] == "40" and rows[0]["extraction:n_total:source"] == "suggested"
    sheet = load_workbook(invoke("export", str(project), "--format", "xlsx")["path"]).active
    header = [cell.value for cell in sheet[1]]
    title = sheet.cell(row=4, column=header.index("title") + 1)
    assert title.value == "'" + FORMULA_TITLE and title.data_type == "s"
    assert sheet.max_row == 4


@pytest.mark.realdata
def test_csv_and_xlsx_write_the_verified_extraction_and_say_where_each_value_came_from(screened) -> None:
    from openpyxl import load_workbook

    from livingreview.extraction.verify import FieldRef, correct

    project, units = screened
    with Review(project) as review:
        study = review.store.records("id = ?", (units[0],))[0].study_id
        assert study is not None
        add_suggestions(review.store, [SuggestionRow(study, "active_comparator", {
            "value": "placebo", "evidence": [], "flags": []}, units[0], "rules/test"),
            SuggestionRow(study, "doses", {"value": ["0.5 mg/kg"], "evidence": [], "flags": []},
                          units[0], "rules/test")])
        # n_total: the rules read 40, both reviewers corrected it to 42 (verified, agreed)
        for reviewer in ("ana", "ben"):
            correct(review.store, review.protocol, FieldRef(study, "n_total"), reviewer, "42")
        # active_comparator: one reviewer alone gave a value, which starts like a formula
        correct(review.store, review.protocol, FieldRef(study, "active_comparator"), "ana",
                "=HYPERLINK(\"http://x\") adults")
        # doses: the reviewers disagree and no lead has resolved it
        correct(review.store, review.protocol, FieldRef(study, "doses"), "ana", "0.5 mg/kg")
        correct(review.store, review.protocol, FieldRef(study, "doses"), "ben", "1 mg/kg")
    with Path(invoke("export", str(project), "--format", "csv")["path"]).open(
            encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert (row["extraction:n_total"], row["extraction:n_total:source"]) == ("42", "verified")
    assert row["extraction:active_comparator"] == "'=HYPERLINK(\"http://x\") adults"
    assert row["extraction:active_comparator:source"] == "verified"
    assert (row["extraction:doses"], row["extraction:doses:source"]) == ("", "in conflict")
    sheet = load_workbook(invoke("export", str(project), "--format", "xlsx")["path"]).active
    header = [cell.value for cell in sheet[1]]
    cells = {name: sheet.cell(row=2, column=header.index(name) + 1).value for name in header}
    assert (cells["extraction:n_total"], cells["extraction:n_total:source"]) == (42, "verified")
    assert cells["extraction:active_comparator"] == "'=HYPERLINK(\"http://x\") adults"
    assert cells["extraction:doses:source"] == "in conflict" and cells["extraction:doses"] is None
    # a study no reviewer has extracted keeps the rules' suggestion, marked as such
    with Review(project) as review:
        other = review.store.records("id = ?", (units[1],))[0].study_id
        assert other is not None
        add_suggestions(review.store, [SuggestionRow(other, "n_total", {
            "value": 18, "evidence": [], "flags": []}, units[1], "rules/test")])
    with Path(invoke("export", str(project), "--format", "csv")["path"]).open(
            encoding="utf-8", newline="") as handle:
        second = list(csv.DictReader(handle))[1]
    assert (second["extraction:n_total"], second["extraction:n_total:source"]) == ("18", "suggested")


def test_the_metafor_csv_reads_back_through_meta_to_the_pooled_estimate(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    write_synthetic_evidence(project)
    (pooled,) = invoke("synthesize", str(project))["meta_analyses"]
    table = Path(invoke("export", str(project), "--format", "metafor")["path"])
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["key"] for r in rows if r["pooled"] == "1"] == pooled["studies"]
    assert {"yi", "vi", "measure", "randomised", "n_total"} <= set(rows[0])
    again = invoke("meta", str(table), "--method", "REML", "--test", "knha")
    for key in ("estimate", "ci_lb", "ci_ub", "tau2"):
        assert again[key] == pytest.approx(pooled[key], rel=1e-9)
    with_moderator = invoke("meta", str(table), "--mods", "n_total")
    assert [m["name"] for m in with_moderator["moderators"]] == ["n_total"]
