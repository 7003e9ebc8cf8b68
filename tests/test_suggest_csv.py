"""suggestions.csv: formula-looking titles are neutralised and the file is replaced whole."""

from __future__ import annotations

import csv
from pathlib import Path

from livingreview.screening.criteria import CriterionVerdict, RecordVerdict, Span
from livingreview.screening.suggest import Suggestion, Suggestions, write_csv


def _suggestions(title: str) -> Suggestions:
    span = Span("title", 0, 3, "=cmd", "intervention", "ketamine", False)
    verdict = RecordVerdict(1, (CriterionVerdict("C1", "met", (span,)),), (span,), {"title": title})
    return Suggestions("title_abstract", "criteria", [Suggestion(1, 1, 0.5, title, verdict)])


def test_formula_titles_are_written_as_text(tmp_path: Path) -> None:
    path = tmp_path / "report" / "suggestions.csv"
    write_csv(_suggestions('=HYPERLINK("http://x","y")'), path)
    with path.open(encoding="utf-8", newline="") as handle:
        header, row = list(csv.reader(handle))
    assert row[header.index("title")] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert header[-2:] == ["C1", "C1_evidence"] and row[-2] == "met"


def test_a_rewrite_replaces_the_file_and_leaves_no_partial(tmp_path: Path) -> None:
    path = tmp_path / "suggestions.csv"
    write_csv(_suggestions("first"), path)
    write_csv(_suggestions("second"), path)
    assert "second" in path.read_text(encoding="utf-8") and "first" not in path.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["suggestions.csv"]
