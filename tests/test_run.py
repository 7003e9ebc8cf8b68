"""`livingreview run`: every stage as one round; idempotent; an update sends only new records on.

The flagship is run offline from its curated evidence (citations, decisions, extractions), as
`make demo` does: a folder with protocol.toml and evidence/ becomes a review on its first run.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from livingreview import Review, __version__
from livingreview.cli import cli
from livingreview.errors import NotAProject
from livingreview.report.counts import flow_counts
from livingreview.store.rounds import get_version

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "examples" / "glutamate-entactogens"
NEW_TRIAL = ("TY  - JOUR\nTI  - Memantine and emotion recognition in healthy volunteers: a randomized "
             "placebo-controlled crossover trial\nAU  - Example, Ann\nPY  - 2026\nJO  - Example Journal\n"
             "AB  - Healthy volunteers received memantine or placebo; facial emotion recognition was measured.\n"
             "ER  - \n")


def invoke(*arguments: str) -> Result:
    result = CliRunner().invoke(cli, list(arguments), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def run_json(directory: Path) -> dict:
    return json.loads(invoke("run", str(directory), "--offline", "--json").stdout)


@pytest.fixture(scope="module")
def flagship(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("flagship") / "review"
    directory.mkdir()
    shutil.copy(FLAGSHIP / "protocol.toml", directory / "protocol.toml")
    shutil.copytree(FLAGSHIP / "evidence", directory / "evidence")
    return directory


@pytest.fixture(scope="module")
def first_run(flagship: Path) -> dict:
    return run_json(flagship)


def stage(result: dict, name: str) -> dict:
    return next(s for s in result["stages"] if s["stage"] == name)


def test_the_first_run_sets_up_the_review_and_answers_from_the_curated_evidence(flagship: Path, first_run: dict) -> None:
    files = len(list((flagship / "evidence").glob("*.toml")))
    assert first_run["round"] == 1 and first_run["changed"]
    assert stage(first_run, "curated citations")["new_records"] == files
    curated = stage(first_run, "curated evidence")
    assert curated["reviewer"] == "curator" and curated["judgements"] > 0 and curated["screening_decisions"] > 0
    # No snapshot exists offline: one note names every source, the run goes on.
    assert len(stage(first_run, "search")["notes"]) == 1
    drugs = {row["drug"]: row["grade"] for row in first_run["conclusions"]}
    assert {"ketamine", "D-cycloserine"} <= set(drugs)
    # esketamine's one study does not report its N: the table says so rather than "0"
    (esketamine,) = [row for row in first_run["conclusions"] if row["drug"] == "esketamine"]
    assert esketamine["studies_without_n"] == esketamine["studies_with_direction"] == 1
    conclusions = re.search(r'<section id="conclusions">.*?</section>',
                            Path(first_run["report"]).read_text(encoding="utf-8"), re.DOTALL)
    assert conclusions is not None
    assert re.search(r"<td>esketamine</td>(<td>[^<]*</td>){3}<td>not reported</td>", conclusions.group(0))
    report = Path(first_run["report"])
    assert report == flagship / "report" / "index.html" and "ketamine" in report.read_text(encoding="utf-8")
    # the curated list is drawn as what it is, not as a database
    diagram = (flagship / "report" / "prisma.svg").read_text(encoding="utf-8")
    assert "Citation lists (n\u00a0=\u00a029)" in diagram and "Databases (n\u00a0=\u00a00)" in diagram


def test_the_flagships_methods_paragraph_says_its_records_came_from_the_curated_citation_list(
        flagship: Path, first_run: dict) -> None:
    page = (flagship / "report" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<section id="methods">.*?<p>(.*?)</p>', page, re.DOTALL)
    assert found is not None
    today = datetime.now(UTC).date().isoformat()
    assert unescape(found.group(1)) == (
        "This is version 1 of a living systematic review, reported following PRISMA 2020 [1]. "
        "The records came from a curated list of 29 citations supplied with the review protocol, "
        f"imported on {today}; no bibliographic database was searched by livingreview. "
        "In all, 29 records were identified; none was a duplicate, and all 29 were screened on "
        "title and abstract, of which 5 were excluded. "
        "Of the 24 reports sought, none was recorded as not retrieved, and 24 were assessed for "
        "eligibility (the review holds none of their full texts): none was excluded, 9 await "
        "classification (eligibility not yet decided) and 15 studies (15 reports) were included. "
        "Records were screened by one reviewer; the tool's criteria verdicts and active-learning "
        "ranking were offered as suggestions only. "
        "Risk of bias was judged with RoB 2 [2], with plots drawn in the style of robvis [3]. "
        "Results were synthesised without meta-analysis following SWiM [4], with effect-direction "
        "plots [5]. Certainty of evidence was rated with GRADE [6]. "
        f"The report was generated on {today} by livingreview {__version__}.")


def test_the_first_run_records_the_curated_risk_of_bias_and_the_report_shows_its_plots(
        flagship: Path, first_run: dict) -> None:
    appraisal = stage(first_run, "appraisal")
    curated = sum(len(path.read_text(encoding="utf-8").strip().splitlines()) - 1
                  for path in (flagship / "evidence").glob("rob2*-curator.csv"))
    assert curated > 0 and appraisal["appraised_studies"] == curated and appraisal["recorded"] > 0
    figures = sorted(path.name for path in (flagship / "report").glob("rob_*.png"))
    assert "rob_rob2_traffic_light.png" in figures and "rob_rob2-crossover_summary.png" in figures
    page = (flagship / "report" / "index.html").read_text(encoding="utf-8")
    assert ("RoB 2 (crossover trials), traffic-light plot: each study's judgement in each domain"
            in unescape(page))


def test_a_second_run_with_nothing_new_changes_nothing_and_says_so(flagship: Path, first_run: dict) -> None:
    report = flagship / "report" / "index.html"
    before = report.read_bytes()
    second = run_json(flagship)
    assert second["round"] == first_run["round"] + 1
    assert not second["changed"] and not any(s["changed"] for s in second["stages"])
    assert report.read_bytes() == before
    human = invoke("run", str(flagship), "--offline").stdout
    assert "nothing new since the last run" in human


def test_a_run_that_changed_nothing_is_a_dated_check_not_a_new_version(flagship: Path, first_run: dict) -> None:
    report = flagship / "report" / "index.html"
    before = report.read_bytes()
    checked = run_json(flagship)
    assert not checked["changed"] and checked["round"] > first_run["round"]
    alone = json.loads(invoke("report", str(flagship), "--json").stdout)
    assert alone["version"] == first_run["version"] == 1 and alone["changes"] is None
    assert not alone["changed"]
    generated = re.compile(rb"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC")
    assert generated.sub(b"", report.read_bytes()) == generated.sub(b"", before)  # only its date moved
    with Review(flagship) as review:  # the check stays in the log as a round of its own
        assert review.store.events("round", "round.end")[-1]["subject"] == str(checked["round"])


def test_new_records_go_to_screening_and_the_report_says_what_changed(flagship: Path, first_run: dict) -> None:
    with Review(flagship) as review:
        screened = set(review.screening.state("title_abstract").labels)
    (flagship / "inbox").mkdir(exist_ok=True)
    (flagship / "inbox" / "update.ris").write_text(NEW_TRIAL, encoding="utf-8")
    update = run_json(flagship)
    assert stage(update, "import")["new_records"] == 1 and stage(update, "dedupe")["changed"]
    assert stage(update, "report")["changed"] and update["changes"]["new_records"] == 1
    assert update["version"] == 2 and update["changes"]["previous_version"] == 1
    with Review(flagship) as review:  # version 1 is rebuilt from the log as its round left it
        first = flow_counts(review.store, review.protocol,
                            as_of_event=get_version(review.store, 1).cutoff).prisma
    assert first is not None and first.records_identified == stage(first_run, "curated citations")["new_records"]
    with Review(flagship) as review:
        state = review.screening.state("title_abstract")
        assert set(state.labels) == screened  # decisions made stay; the new record waits for a human
        pending = [unit for unit, _ in review.screening.queue("title_abstract", "curator")]
    assert len(pending) == stage(update, "screening suggestions")["unscreened"] >= 1


def test_a_folder_whose_database_is_gone_is_not_set_up_again(tmp_path: Path) -> None:
    directory = tmp_path / "lost"
    (directory / "imports").mkdir(parents=True)
    shutil.copy(FLAGSHIP / "protocol.toml", directory / "protocol.toml")
    result = CliRunner().invoke(cli, ["run", str(directory), "--offline"])
    assert isinstance(result.exception, NotAProject) and result.exception.exit_code == 3
    assert "review.db is missing" in str(result.exception) and not (directory / "review.db").exists()
