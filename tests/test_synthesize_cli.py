"""`livingreview synthesize` end to end: the flagship's curated evidence gives its per-drug
conclusions and figures, reruns change nothing, and studies with effect sizes are pooled and
GRADE-rated from the settled risk-of-bias appraisals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from livingreview.cli import cli
from livingreview.effect_sizes import escalc
from livingreview.project import Review
from livingreview.store import ledger
from livingreview.synthesis import meta_analysis

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "examples" / "glutamate-entactogens"
RESULT = Path("report") / "synthesis"
HEADER = "Study,1.1,1.2,1.3,2.1,2.2,2.3,2.4,2.5,2.6,2.7,3.1,3.2,3.3,3.4,4.1,4.2,4.3,4.4,4.5,5.1,5.2,5.3"
LOW = "Y,Y,N,N,N,,,,Y,,Y,,,,N,N,N,,,Y,N,N"
# Made-up group summaries for three made-up trials (not studies of the flagship): only the
# arithmetic of pooling is under test, so the numbers need not be anyone's results.
SYNTHETIC = {"synthetic-a": (12.0, 4.0, 20, 9.0, 4.5, 20), "synthetic-b": (11.0, 5.0, 30, 10.0, 5.0, 28),
             "synthetic-c": (14.0, 3.5, 15, 9.5, 4.0, 16)}


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def synthesize_json(project: Path, *options: str) -> dict[str, Any]:
    return json.loads(invoke("synthesize", str(project), "--json", *options).output)


def make_project(tmp_path: Path) -> Path:
    directory = tmp_path / "review"
    invoke("init", str(directory), "--protocol", str(FLAGSHIP / "protocol.toml"))
    return directory


@pytest.fixture
def flagship(tmp_path: Path) -> Path:
    directory = make_project(tmp_path)
    shutil.copytree(FLAGSHIP / "evidence", directory / "evidence")
    return directory


def test_flagship_conclusions_come_from_the_curated_evidence(flagship: Path) -> None:
    payload = synthesize_json(flagship)
    assert payload["evidence_source"] == "curated files"
    grades = {row["drug"]: row["grade"] for row in payload["conclusion_table"]}
    assert grades["ketamine"] == "suggestive" and grades["D-cycloserine"] == "insufficient"
    assert payload["meta_analyses"] == []  # no drug and construct has enough included effect sizes to pool
    assert payload["grade"] and all(g["certainty"] is None for g in payload["grade"])  # nothing appraised
    for name in ("evidence_map", "effect_direction", "harvest_plot"):
        assert [Path(p).name for p in payload["figures"][name]] == [f"{name}.png", f"{name}.svg"]
        assert all((flagship / p).is_file() for p in payload["figures"][name])
    saved = json.loads((flagship / RESULT / "synthesis.json").read_text(encoding="utf-8"))
    assert saved["conclusion_table"] == payload["conclusion_table"]


def test_a_second_run_changes_nothing(flagship: Path) -> None:
    first = invoke("synthesize", str(flagship)).output
    assert "evidence from curated files" in first and "ketamine" in first
    written = {p.name: p.read_bytes() for p in (flagship / RESULT).iterdir()}
    second = invoke("synthesize", str(flagship)).output
    assert "nothing changed since the last synthesis" in second
    assert {p.name: p.read_bytes() for p in (flagship / RESULT).iterdir()} == written
    assert synthesize_json(flagship)["changed"] is False
    with Review(flagship) as review:
        assert len(review.store.events("synthesis", "synthesis.run")) == 1  # reruns log nothing


def test_counting_maybe_studies_is_a_different_result(flagship: Path) -> None:
    base = synthesize_json(flagship)
    with_maybe = synthesize_json(flagship, "--include-maybe")
    assert base["include_maybe"] is False and with_maybe["include_maybe"] is True
    assert with_maybe["digest"] != base["digest"] and with_maybe["changed"] is True


def test_no_evidence_is_a_clear_error(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    result = CliRunner().invoke(cli, ["synthesize", str(project)])
    assert "no evidence to synthesise" in str(result.exception)


def write_synthetic_evidence(directory: Path) -> None:
    (directory / "evidence").mkdir()
    for number, (key, (m1, sd1, n1, m2, sd2, n2)) in enumerate(SYNTHETIC.items()):
        (directory / "evidence" / f"{key}.toml").write_text(f"""
key = "{key}"
[citation]
authors = ["Synthetic{chr(65 + number)} A"]
year = 2020
[screening]
decision = "include"
[extraction]
randomised = "yes"
allocation = "parallel"
control = "placebo"
n_total = {n1 + n2}
drugs = ["ketamine"]
[[outcomes]]
construct = "social reward"
class = "self-report"
direction = "improved"
primary = true
numbers = {{ m1 = {m1}, sd1 = {sd1}, n1 = {n1}, m2 = {m2}, sd2 = {sd2}, n2 = {n2} }}
""", encoding="utf-8")


def test_comparable_effect_sizes_are_pooled_as_the_protocol_says(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    write_synthetic_evidence(project)
    (pooled,) = synthesize_json(project)["meta_analyses"]
    columns = list(zip(*SYNTHETIC.values(), strict=True))
    sizes = escalc("SMD", m1i=columns[0], sd1i=columns[1], n1i=columns[2], m2i=columns[3], sd2i=columns[4],
                   n2i=columns[5])
    # The flagship protocol asks for a random-effects model, REML and the Knapp-Hartung test.
    expected = meta_analysis(sizes.yi, sizes.vi, method="REML", test="knha").to_dict()
    assert (pooled["drug"], pooled["construct"], pooled["method"], pooled["test"]) == (
        "ketamine", "social reward", "REML", "knha")
    assert pooled["studies"] == list(SYNTHETIC)
    for key in ("estimate", "ci_lb", "ci_ub", "tau2", "i2", "k"):
        assert pooled[key] == pytest.approx(expected[key], rel=1e-12)
    assert (project / pooled["figure"]).is_file()


def test_grade_is_rated_once_every_study_of_a_body_is_appraised(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    write_synthetic_evidence(project)
    rows = "\n".join(f"{key},{LOW}" for key in SYNTHETIC)
    for reviewer in ("ana", "ben"):
        path = tmp_path / f"{reviewer}.csv"
        path.write_text(f"{HEADER}\n{rows}\n", encoding="utf-8")
        invoke("appraise", str(project), "--import", str(path), "--reviewer", reviewer)
    (body,) = synthesize_json(project)["grade"]
    assert body["drug"] == "ketamine" and body["design"] == "randomised" and body["start"] == "High"
    assert body["downgrades"]["risk_of_bias"]["levels"] == 0
    # The pooled SMD's Knapp-Hartung interval (-0.56 to 1.82) spans both -0.2 and 0.2, and 129
    # participants fall short of 400: imprecision -2. I^2 = 55% is over the 50% band: -1.
    assert body["downgrades"]["imprecision"]["levels"] == 2
    assert "129 participants" in body["downgrades"]["imprecision"]["reason"]
    assert body["downgrades"]["inconsistency"]["levels"] == 1
    assert body["certainty"] == "Very low" and body["effect"]["measure"] == "SMD"


def test_extraction_judgements_in_the_ledger_are_not_silently_passed_over(flagship: Path) -> None:
    with Review(flagship) as review:
        ledger.record(review.store,
                      ledger.NewJudgement("extraction_field", "study:1/field:n_total", "extraction", "ana", "68"),
                      ledger.LogEntry("extraction", "extraction.judge", "study:1/field:n_total", {}))
    result = CliRunner().invoke(cli, ["synthesize", str(flagship)])
    # Synthesis now reads the ledger's extractions; one it cannot read is named, not skipped.
    assert "judgement 1 on study:1/field:n_total holds '68', not an extraction value" in str(result.exception)
