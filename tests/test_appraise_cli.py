"""`livingreview appraise` end to end on a project made with the flagship protocol: two appraisers
who disagree on one RoB 2 domain, the conflict, the lead's resolution, the JSON and the plots."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from livingreview.appraisal.forms import BUILTIN_FORMS
from livingreview.cli import cli
from livingreview.cli.appraise_commands import TOOLS
from livingreview.project import Review

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "examples" / "glutamate-entactogens"
HEADER = "Study,Outcome,1.1,1.2,1.3,2.1,2.2,2.3,2.4,2.5,2.6,2.7,3.1,3.2,3.3,3.4,4.1,4.2,4.3,4.4,4.5,5.1,5.2,5.3"
LOW = "Y,Y,N,N,N,,,,Y,,Y,,,,N,N,N,,,Y,N,N"
# Outcome data missing for many and no evidence the result is robust to it: 3.1 N, 3.2 N, 3.3 Y,
# 3.4 Y gives High in D3, and High overall.
D3_HIGH = "Y,Y,N,N,N,,,,Y,,N,N,Y,Y,N,N,N,,,Y,N,N"


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def as_json(*args: str) -> dict[str, Any]:
    return json.loads(invoke(*args, "--json").output)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    directory = tmp_path / "review"
    invoke("init", str(directory), "--protocol", str(FLAGSHIP / "protocol.toml"))
    shutil.copytree(FLAGSHIP / "evidence", directory / "evidence")
    (tmp_path / "ana.csv").write_text(
        f"{HEADER}\nHess 2024,SHAPS social items,{LOW}\nfineberg2023,,{LOW}\n", encoding="utf-8")
    (tmp_path / "ben.csv").write_text(
        f"{HEADER}\nhess2024,SHAPS social items,{D3_HIGH}\nFineberg 2023,,{LOW}\n", encoding="utf-8")
    return directory


def import_both(project: Path) -> None:
    invoke("appraise", str(project), "--import", str(project.parent / "ana.csv"), "--reviewer", "ana")
    invoke("appraise", str(project), "--import", str(project.parent / "ben.csv"), "--reviewer", "ben")


def test_json_gives_each_studys_judgements_per_appraiser_and_final(project: Path) -> None:
    import_both(project)
    payload = as_json("appraise", str(project))
    hess = next(s for s in payload["studies"] if s["study"] == "hess2024")
    assert hess["outcome"] == "SHAPS social items" and hess["label"] == "Hess 2024"
    assert hess["by_reviewer"]["ana"]["overall"] == "Low"
    assert hess["by_reviewer"]["ben"]["overall"] == "High"
    assert hess["by_reviewer"]["ben"]["domains"]["D3"] == "High"
    d3 = next(d for d in hess["domains"] if d["domain"] == "D3")
    assert d3["status"] == "conflict" and d3["final"] is None and hess["overall"] is None
    fineberg = next(s for s in payload["studies"] if s["study"] == "fineberg2023")
    assert fineberg["overall"] == "Low" and {d["status"] for d in fineberg["domains"]} == {"agreed"}
    d3_agreement = next(a for a in payload["agreement"] if a["domain"] == "D3")
    assert (d3_agreement["studies"], d3_agreement["percent_agreement"]) == (2, 0.5)
    assert payload["conflicts"] == 1


def test_conflict_then_resolution_by_the_lead(project: Path) -> None:
    import_both(project)
    (conflict,) = as_json("appraise", str(project), "--conflicts")["conflicts"]
    assert (conflict["study"], conflict["domain"], conflict["judgements"]) == (
        "hess2024", "D3", {"ana": "Low", "ben": "High"})
    resolved = as_json("appraise", str(project), "--resolve", "hess2024", "D3", "Some concerns",
                       "--reviewer", "lead", "--reason", "attrition small and balanced")
    assert resolved["lead"] == "lead" and resolved["judgement"] == "Some concerns"
    assert as_json("appraise", str(project), "--conflicts")["conflicts"] == []
    hess = next(s for s in as_json("appraise", str(project))["studies"] if s["study"] == "hess2024")
    assert hess["overall"] == "Some concerns"
    assert next(d for d in hess["domains"] if d["domain"] == "D3")["resolution"] == {
        "lead": "lead", "reason": "attrition small and balanced"}


def test_importing_again_is_idempotent(project: Path) -> None:
    import_both(project)
    again = as_json("appraise", str(project), "--import", str(project.parent / "ana.csv"), "--reviewer", "ana")
    assert again["recorded"] == 0 and again["unchanged"] == 54


def test_plots_are_written_to_the_report_folder_once_settled(project: Path) -> None:
    import_both(project)
    invoke("appraise", str(project), "--resolve", "hess2024", "D3", "High", "--reviewer", "lead",
           "--reason", "outcome missing for a third")
    figures = as_json("appraise", str(project), "--plots")["figures"]
    assert [Path(f).name for f in figures] == ["rob_rob2_traffic_light.png", "rob_rob2_summary.png"]
    assert all((project / "report" / Path(f).name).stat().st_size > 5000 for f in figures)


def test_a_bad_resolution_exits_1_with_the_expected_levels(project: Path) -> None:
    import_both(project)
    result = subprocess.run([sys.executable, "-m", "livingreview", "appraise", str(project), "--resolve",
                             "hess2024", "D3", "Serious", "--reviewer", "lead", "--reason", "x"],
                            capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "'Serious' is not a judgement of rob2 domain D3 (expected one of Low, Some concerns, High)" in result.stderr


def test_import_without_a_reviewer_is_a_usage_error(project: Path) -> None:
    result = CliRunner().invoke(cli, ["appraise", str(project), "--import", str(project.parent / "ana.csv")])
    assert result.exit_code == 2 and "--import needs --reviewer" in result.output


def test_the_tool_choices_are_the_built_in_forms() -> None:
    assert TOOLS == tuple(BUILTIN_FORMS)


def test_robins_i_judgements_table_is_stored_per_domain(project: Path) -> None:
    table = project.parent / "robins.csv"
    table.write_text("Study,D1,D2,D3,D4,D5,D6,D7,Overall\n"
                     "murrough2015,Serious,Low,Low,Moderate,Low,Low,Low,Serious\n", encoding="utf-8")
    invoke("appraise", str(project), "--import", str(table), "--reviewer", "ana", "--tool", "robins-i")
    (study,) = as_json("appraise", str(project))["studies"]
    assert (study["tool"], study["aim"], study["overall"]) == ("robins-i", None, "Serious")
    assert [d["final"] for d in study["domains"]] == ["Serious", "Low", "Low", "Moderate", "Low", "Low", "Low"]
    assert {d["status"] for d in study["domains"]} == {"single"}


# Hess 2024's citation as its curated evidence file gives it (examples/.../hess2024.toml).
HESS_RIS = """TY  - JOUR
TI  - Entactogen Effects of Ketamine: A Reverse-Translational Study
AU  - Hess, Emily M
PY  - 2024
JO  - Am J Psychiatry
DO  - 10.1176/appi.ajp.20230980
ER  - 
"""


def test_a_record_of_the_review_names_its_study_and_links_the_evidence_file(project: Path) -> None:
    ris = project.parent / "hess.ris"
    ris.write_text(HESS_RIS, encoding="utf-8")
    invoke("import", str(project), str(ris), "--source", "pubmed")
    invoke("dedupe", str(project))
    with Review(project) as review:
        (record,) = review.store.records()
        study = str(review.resolve_study(record.study_id or 0))
    table = project.parent / "by-record.csv"
    table.write_text(f"Study,Outcome,Record ID,{HEADER.split(',', 2)[2]}\nanything,SHAPS social items,{record.id},{LOW}\n",
                     encoding="utf-8")
    by_record = as_json("appraise", str(project), "--import", str(table), "--reviewer", "ana")
    # The evidence file hess2024 carries the record's DOI, so its key names the same stored study.
    by_key = as_json("appraise", str(project), "--import", str(project.parent / "ana.csv"), "--reviewer", "ben")
    assert by_record["studies"] == [study] and by_key["studies"][0] == study
    (appraised,) = [s for s in as_json("appraise", str(project))["studies"] if s["study"] == study]
    assert appraised["label"] == "Hess 2024" and sorted(appraised["by_reviewer"]) == ["ana", "ben"]
    assert appraised["overall"] == "Low"  # both appraisers' answers give Low throughout


def test_an_appraisal_follows_its_study_when_dedupe_merges_it_into_another(project: Path) -> None:
    ris = project.parent / "two.ris"
    # Two reports of the flagship's ketamine studies (citations from their evidence files), kept
    # apart by dedupe, then declared duplicates by a reviewer: one study absorbs the other.
    murrough_ris = HESS_RIS.replace("Entactogen Effects of Ketamine: A Reverse-Translational Study",
                                "Regulation of neural responses to emotion perception by ketamine in individuals "
                                "with treatment-resistant major depressive disorder").replace(
        "Hess, Emily M", "Murrough, James W").replace("2024", "2015").replace(
        "Am J Psychiatry", "Transl Psychiatry").replace("10.1176/appi.ajp.20230980", "10.1038/tp.2015.10")
    ris.write_text(HESS_RIS + "\n" + murrough_ris, encoding="utf-8")
    invoke("import", str(project), str(ris), "--source", "pubmed")
    invoke("dedupe", str(project))
    with Review(project) as review:
        hess, murrough = review.store.records()
        appraised_study = str(murrough.study_id)
    table = project.parent / "murrough.csv"
    table.write_text(f"Study,Record ID,{HEADER.split(',', 2)[2]}\nMurrough,{murrough.id},{LOW}\n", encoding="utf-8")
    invoke("appraise", str(project), "--import", str(table), "--reviewer", "ana")
    with Review(project) as review:
        review.dedupe_decide(hess.id or 0, murrough.id or 0, "confirmed", decided_by="lead")
        now = str(review.study_of_record(murrough.id or 0))
    assert now != appraised_study  # Murrough's study was merged into Hess's
    (study,) = as_json("appraise", str(project))["studies"]
    assert (study["appraised_as"], study["study"], study["overall"]) == (appraised_study, now, "Low")
