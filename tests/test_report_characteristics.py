"""The report's characteristics of included studies: verified values first, suggestions marked.

A review under the flagship's protocol with two included studies: for the first, a reviewer has
verified the design, size and drugs; the second has only the rule-based extractor's suggestions,
which the table shows in italics under a legend. Records are written here (no identifiers), read
through the real import, dedupe, screening and `extract --auto`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from livingreview import Review
from livingreview.cli import cli
from livingreview.extraction.verify import FieldRef, record_value
from livingreview.report.counts import included_units
from livingreview.report.html import FieldValue, StudyCitation
from livingreview.report.service import characteristics, conclusion_rows

VERIFIED_TITLE = "Ketamine <b>and</b> facial emotion recognition in adults"
SUGGESTED_TITLE = "D-cycloserine and emotion recognition in healthy volunteers"
RECORDS = (
    "TY  - JOUR\n"
    f"TI  - {VERIFIED_TITLE}\n"
    "AU  - Verified, Vera\nAU  - Second, Sam\nPY  - 2024\nJO  - Journal of Tests & Trials\n"
    "AB  - Participants received ketamine; facial emotion recognition was measured.\n"
    "ER  - \n\n"
    "TY  - JOUR\n"
    f"TI  - {SUGGESTED_TITLE}\n"
    "AU  - Suggested SB\nPY  - 2021\nJO  - Example Journal\n"
    "AB  - In a randomised, double-blind, placebo-controlled crossover study, healthy volunteers "
    "received D-cycloserine or placebo and facial emotion recognition was measured.\n"
    "ER  - \n"
)
VERIFIED = {"randomised": "yes", "allocation": "parallel", "blinding": "double-blind",
            "control": "placebo", "population": ["depression"], "age_group": "adult",
            "n_total": 24, "drugs": ["ketamine"], "doses": ["0.5 mg/kg"],
            "routes": ["intravenous"], "constructs": ["emotion recognition"],
            "outcome_classes": ["behavioural"]}


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, flagship_protocol_path: Path) -> Path:
    root = tmp_path_factory.mktemp("characteristics")
    directory = root / "review"
    records = root / "records.ris"
    records.write_text(RECORDS, encoding="utf-8")
    invoke("init", str(directory), "--protocol", str(flagship_protocol_path))
    invoke("import", str(directory), str(records), "--source", "PubMed")
    invoke("dedupe", str(directory))
    with Review(directory) as review:
        for unit in review.screening.units():
            for stage in ("title_abstract", "full_text"):
                review.screening.decide(stage, unit, "ana", "include")
    invoke("extract", str(directory), "--auto", "--json")
    with Review(directory) as review:
        study = review.study_of_record(_record_titled(review, VERIFIED_TITLE))
        assert study is not None
        for name, value in VERIFIED.items():
            record_value(review.store, review.protocol, FieldRef(study, name), "ana", value,
                         action="add")
    return directory


@pytest.fixture(scope="module")
def flagship_protocol_path() -> Path:
    return Path(__file__).resolve().parent.parent / "examples" / "glutamate-entactogens" / "protocol.toml"


def _record_titled(review: Review, title: str) -> int:
    return next(r.id for r in review.store.records() if r.title == title)


def _rows(directory: Path) -> dict[str, dict[str, object]]:
    with Review(directory) as review:
        rows = characteristics(review, included_units(review.store, review.protocol))
    by_title = {}
    for row in rows:
        citation = row["study"]
        assert isinstance(citation, StudyCitation)
        by_title[citation.title] = row
    return by_title


def _texts(cell: object) -> list[tuple[str, bool]]:
    assert isinstance(cell, list) and all(isinstance(v, FieldValue) for v in cell)
    return [(v.text, v.suggested) for v in cell]


def test_verified_values_are_shown_as_the_reviewer_gave_them(project: Path) -> None:
    row = _rows(project)[VERIFIED_TITLE]
    citation = row["study"]
    assert isinstance(citation, StudyCitation)
    assert (citation.label, citation.journal) == ("Verified et al. 2024", "Journal of Tests & Trials")
    assert _texts(row["design"]) == [("randomised", False), ("parallel", False),
                                     ("double-blind", False), ("placebo-controlled", False)]
    assert _texts(row["population"]) == [("depression", False)]
    assert _texts(row["N"]) == [("24", False)]
    assert _texts(row["drugs, doses and routes"]) == [
        ("ketamine", False), ("dose 0.5 mg/kg", False), ("route intravenous", False)]
    assert _texts(row["outcome classes"]) == [("behavioural", False)]


def test_a_study_without_verified_values_shows_the_suggestions_marked_as_such(project: Path) -> None:
    row = _rows(project)[SUGGESTED_TITLE]
    citation = row["study"]
    assert isinstance(citation, StudyCitation) and citation.label == "Suggested 2021"
    design = _texts(row["design"])
    assert design and all(suggested for _, suggested in design)
    assert ("randomised", True) in design and ("double-blind", True) in design
    assert ("d-cycloserine", True) in _texts(row["drugs, doses and routes"])


def test_the_page_shows_suggestions_in_italics_under_a_legend_and_escapes_record_text(
        project: Path) -> None:
    report = json.loads(invoke("report", str(project), "--json"))
    html = Path(report["path"]).read_text(encoding="utf-8")
    section = html[html.index('<section id="characteristics">'):html.index('<section id="outcomes">')]
    assert "are the rule-based extractor's suggestions" in section
    assert '<em class="suggested" title="suggested, not verified">d-cycloserine</em>' in section
    assert re.search(r"<td>ketamine<br>dose 0.5 mg/kg<br>route intravenous</td>", section)
    assert "Ketamine &lt;b&gt;and&lt;/b&gt; facial emotion recognition" in section
    assert "<b>and</b>" not in section
    assert "<i>Journal of Tests &amp; Trials</i>" in section


def test_the_conclusion_table_leads_with_the_conclusion_and_ends_with_the_studies() -> None:
    synthesis = {"conclusion_table": [{
        "constructs_improved": 2, "drug": "ketamine", "grade": "suggestive", "improved": 5,
        "included_studies": 11, "mixed": 1, "no difference": 0, "participants": 348,
        "randomised": 3, "sign_test_p": 0.7265625, "studies": "Abel 2003 [study1]",
        "studies_with_direction": 9, "worsened": 3}]}
    rows = conclusion_rows(synthesis)
    assert rows == [{"drug": "ketamine", "conclusion": "suggestive",
                     "studies with a direction": "9 of 11", "randomised": 3, "participants": "348",
                     "improved/worsened/no difference/mixed": "5/3/0/1", "constructs improved": 2,
                     "sign test p": 0.7265625, "studies": "Abel 2003 [study1]"}]
    assert list(rows[0])[-1] == "studies" and conclusion_rows(None) == []
