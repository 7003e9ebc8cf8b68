"""The spreadsheet round-trip: export with suggestions, import back as one reviewer's extraction."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from livingreview import Review
from livingreview.cli import cli
from livingreview.extraction import verify
from livingreview.extraction.spreadsheet import SpreadsheetError, export_sheet, import_sheet
from livingreview.store.extractions import SuggestionRow, add_suggestions

TITLE = "=HYPERLINK(\"http://x\") ketamine and empathy"


@pytest.fixture
def review(tmp_path: Path, minimal_protocol: Path):
    ris = tmp_path / "records.ris"
    ris.write_text(f"TY  - JOUR\nTI  - {TITLE}\nAB  - A double-blind trial of ketamine.\nER  - \n",
                   encoding="utf-8")
    with Review.init(tmp_path / "review", minimal_protocol) as opened:
        opened.import_file(ris)
        opened.dedupe()
        opened.screening.decide("title_abstract", 1, "ann", "include")
        evidence = {"record_id": 1, "field": "abstract", "start": 2, "end": 14, "text": "double-blind"}
        add_suggestions(opened.store, [
            SuggestionRow(1, "blinding", {"value": "double-blind", "evidence": [evidence], "flags": []}, 1, "rules/1"),
            SuggestionRow(1, "drugs", {"value": ["ketamine"], "evidence": [], "flags": []}, 1, "rules/1"),
            SuggestionRow(1, "outcomes[0].direction", {"value": "improved", "evidence": [], "flags": []}, 1, "rules/1"),
        ])
        yield opened


def test_csv_round_trip_records_unchanged_cells_as_accepted_and_changed_ones_as_corrections(review, tmp_path):
    path = tmp_path / "form.csv"
    assert export_sheet(review.store, review.protocol, review.screening, path) == {"studies": 1, "outcomes": 1}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["title"].startswith("'=HYPERLINK")  # neutralised, shown as text
    assert rows[0]["blinding"] == "double-blind" and "double-blind" in rows[0]["provenance"]
    rows[0]["blinding"] = "single-blind"
    rows[1]["direction"] = "mixed"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = import_sheet(review.store, review.protocol, path, "bob")
    assert (result.accepted, result.corrected) == (1, 2)  # drugs accepted; blinding and direction changed
    assert {c["field"] for c in result.changed_cells} == {"blinding", "outcomes[0].direction"}
    current = {e.ref.label: e for e in verify.current_extractions(review.store, "bob")}
    assert current["blinding"].value == "single-blind" and current["blinding"].evidence[-1]["row"] == 2
    assert current["drugs"].action == "accept" and current["outcomes[0].direction"].value == "mixed"
    assert import_sheet(review.store, review.protocol, path, "bob").unchanged == 3


def test_xlsx_export_hides_provenance_and_imports_back(review, tmp_path):
    path = tmp_path / "form.xlsx"
    export_sheet(review.store, review.protocol, review.screening, path)
    book = load_workbook(path)
    studies = book["studies"]
    header = [c.value for c in studies[1]]
    assert header[-1] == "provenance" and studies.column_dimensions[studies.cell(1, len(header)).column_letter].hidden
    assert studies.cell(2, header.index("title") + 1).value.startswith("'=")
    studies.cell(2, header.index("n_total") + 1).value = 30
    book.save(path)
    result = import_sheet(review.store, review.protocol, path, "carl")
    assert result.added == 1 and result.accepted == 3
    assert {e.ref.label: e.value for e in verify.current_extractions(review.store, "carl")}["n_total"] == 30


def test_bad_cells_are_all_named_by_sheet_row_and_column_and_nothing_is_recorded(review, tmp_path):
    path = tmp_path / "form.xlsx"
    export_sheet(review.store, review.protocol, review.screening, path)
    book = load_workbook(path)
    studies, outcomes = book["studies"], book["outcomes"]
    header = [c.value for c in studies[1]]
    studies.cell(2, header.index("blinding") + 1).value = "=1+1"
    studies.cell(2, header.index("n_total") + 1).value = "many"
    outcome_header = [c.value for c in outcomes[1]]
    outcomes.cell(2, outcome_header.index("direction") + 1).value = "sideways"
    book.save(path)
    with pytest.raises(SpreadsheetError) as raised:
        import_sheet(review.store, review.protocol, path, "dan")
    message = str(raised.value)
    assert "sheet studies row 2 column blinding: a formula" in message
    assert "sheet studies row 2 column n_total: field 'n_total': expected a whole number" in message
    assert "sheet outcomes row 2 column direction" in message and "'sideways'" in message
    assert verify.current_extractions(review.store, "dan") == []


def test_export_and_import_on_the_command_line(review, tmp_path):
    runner = CliRunner()
    path = tmp_path / "form.csv"
    exported = runner.invoke(cli, ["extract", str(review.directory), "--export", str(path), "--json"])
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.output) == {"path": str(path), "studies": 1, "outcomes": 1}
    missing = runner.invoke(cli, ["extract", str(review.directory), "--import", str(path)])
    assert missing.exit_code == 2 and "--reviewer NAME" in missing.output
    imported = runner.invoke(cli, ["extract", str(review.directory), "--import", str(path), "--reviewer", "eve",
                                   "--json"])
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.output)["accepted"] == 3
