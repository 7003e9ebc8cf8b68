"""PRISMA 2020 counts from the store and log, through the real commands, over two rounds.

Round 1 imports two named databases with overlapping records (Embase, guessed from its file, and
a Scopus export that holds three of the Embase records too), dedupes, screens titles and
abstracts with two reviewers and a lead (exclusions for three criteria, two conflicts), attaches
five full texts and fetches the sixth from a local Europe PMC that has no copy, and decides at
full text. Round 2 imports PsycINFO (guessed from Ovid's links) and one more copy of an old
record, and screens the new units.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from _http_server import Reply, Seen, SourceServer
from conftest import fixture_path
from livingreview import Review, __version__
from livingreview.cli import cli
from livingreview.importers.databases import guess_database, is_register
from livingreview.report.counts import flow_counts
from livingreview.report.service import changed_rows

pytestmark = pytest.mark.realdata

_RIS_BLOCK = re.compile(r"TY  - .*?ER  - *\n", re.DOTALL)


def invoke(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = CliRunner().invoke(cli, [*args, "--json"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def embase_blocks() -> list[str]:
    return _RIS_BLOCK.findall(fixture_path("exports", "embase.ris").read_text(encoding="utf-8-sig"))


def scopus_with_three_embase_records(tmp_path: Path) -> Path:
    """Scopus's export plus the first three Embase records (their DB tags removed), as one
    database's file that overlaps another's."""
    scopus = fixture_path("exports", "scopus.ris").read_text(encoding="utf-8-sig").rstrip("\n")
    copies = [re.sub(r"^DB  - .*\n", "", block, flags=re.MULTILINE) for block in embase_blocks()[:3]]
    path = tmp_path / "scopus_export.ris"
    path.write_text(scopus + "\n\n" + "".join(copies), encoding="utf-8")
    return path


def decide(project: Path, unit: int, stage: str, labels: dict[str, str]) -> None:
    """Each reviewer's label, 'exclude:C2' carrying its reason."""
    for reviewer, label in labels.items():
        value, _, reason = label.partition(":")
        invoke("decide", str(project), str(unit), value, "--reviewer", reviewer, "--stage", stage,
               *(("--reason", reason) if reason else ()))


def attach(project: Path, unit: int, tmp_path: Path) -> None:
    text = tmp_path / f"fulltext-{unit}.txt"
    text.write_text(f"The full text of record {unit}, obtained from the library.\n", encoding="utf-8")
    invoke("attach-fulltext", str(project), str(unit), str(text))


def europepmc_without_copies(server: SourceServer) -> dict[str, str]:
    """A local Europe PMC that finds no PMCID for any DOI; the environment pointing at it."""
    server.route("/europepmc/search", lambda seen: Reply(body=json.dumps(
        {"hitCount": 0, "resultList": {"result": []}}).encode()))
    return {"LIVINGREVIEW_EUROPEPMC_URL": server.url + "/europepmc",
            "LIVINGREVIEW_PUBMED_URL": server.url + "/eutils", "LIVINGREVIEW_RATE": "1000",
            "LIVINGREVIEW_RETRIES": "1", "LIVINGREVIEW_CONFIG": "/nonexistent"}


def units_of(project: Path) -> list[int]:
    with Review(project) as review:
        return review.screening.units()


def from_the_log(project: Path) -> dict[str, Any]:
    """What the event log and status say, independently of the PRISMA code."""
    status = invoke("status", str(project))
    with Review(project) as review:
        imported: dict[str, int] = {}
        for event in review.store.events("import", "import.file"):
            name = event["detail"]["database"]
            imported[name] = imported.get(name, 0) + event["detail"]["records"]
    return {"status": status, "imported": imported}


@pytest.fixture
def round_one(tmp_path: Path, minimal_protocol: Path) -> tuple[Path, list[int]]:
    project = tmp_path / "review"
    invoke("init", str(project), "--protocol", str(minimal_protocol))
    with Review(project) as review:
        review.begin_round()
    embase = invoke("import", str(project), str(fixture_path("exports", "embase.ris")))
    assert embase["files"][0]["database"] == "Embase"  # guessed from the file's DB tags
    invoke("import", str(project), str(scopus_with_three_embase_records(tmp_path)),
           "--source", "Scopus")
    invoke("dedupe", str(project))
    u = units_of(project)
    assert len(u) == 12
    ta = "title_abstract"
    for unit in u[:4]:
        decide(project, unit, ta, {"ana": "include", "ben": "include"})
    decide(project, u[4], ta, {"ana": "include", "ben": "maybe"})
    for unit in u[5:7]:
        decide(project, unit, ta, {"ana": "exclude:C1", "ben": "exclude:C1"})
    decide(project, u[7], ta, {"ana": "exclude:C2", "ben": "exclude:C3"})
    decide(project, u[8], ta, {"ana": "exclude:C3", "ben": "exclude:C3"})
    decide(project, u[9], ta, {"ana": "include", "ben": "exclude:C1"})
    invoke("resolve", str(project), str(u[9]), "exclude", "--reviewer", "lea", "--reason", "C3")
    decide(project, u[10], ta, {"ana": "exclude:C2", "ben": "exclude:C2"})
    decide(project, u[11], ta, {"ana": "include", "ben": "exclude:C2"})
    invoke("resolve", str(project), str(u[11]), "include", "--reviewer", "lea")
    for unit in (*u[:4], u[11]):
        attach(project, unit, tmp_path)
    with SourceServer() as server:
        fetched = invoke("fetch-fulltext", str(project), env=europepmc_without_copies(server))
    assert (fetched["sought"], fetched["retrieved"]) == (1, 0)
    ft = "full_text"
    decide(project, u[0], ft, {"ana": "include", "ben": "include"})
    decide(project, u[1], ft, {"ana": "include", "ben": "include"})
    decide(project, u[2], ft, {"ana": "exclude:C1", "ben": "exclude:C1"})
    decide(project, u[3], ft, {"ana": "exclude:C3", "ben": "exclude:C2"})
    decide(project, u[11], ft, {"ana": "exclude:C3", "ben": "exclude:C3"})
    return project, u


def test_every_prisma_box_of_a_first_version_matches_the_log(round_one) -> None:
    project, _ = round_one
    report = invoke("report", str(project))
    prisma = report["prisma"]
    log = from_the_log(project)
    status = log["status"]
    ta, ft = status["screening"]["title_abstract"], status["screening"]["full_text"]

    assert prisma["adds_up"] and prisma["pending"] == {}
    assert prisma["databases"] == log["imported"] == status["records"]["by_database"] == {
        "Embase": 6, "Scopus": 9}
    assert prisma["registers"] == {}
    assert prisma["duplicates_removed"] == status["records"]["stored"] - status["dedupe"]["reports"] == 3
    assert prisma["removed_other"] == status["dedupe"]["reports"] - status["dedupe"]["studies"] == 0
    assert prisma["records_screened"] == ta["screened"] == 12
    assert prisma["records_excluded"] == ta["excluded"] == 6
    assert prisma["title_abstract_excluded"] == {"C1: Humans in a clinical trial": 2,
                                                 "C2: A glutamate modulator is given": 2,
                                                 "C3: An entactogenic outcome is measured": 2}
    assert prisma["reports_sought"] == ft["units"] == ta["included"] + ta["maybe"] == 6
    assert prisma["reports_not_retrieved"] == status["fulltext"]["not_retrieved"] == 1
    assert prisma["reports_assessed"] == ft["screened"] == 5
    # u[3]: C3 and C2 given, C2 counts (first in the protocol)
    assert prisma["reports_excluded"] == {"C1: Humans in a clinical trial": 1,
                                          "C2: A glutamate modulator is given": 1,
                                          "C3: An entactogenic outcome is measured": 1}
    assert sum(prisma["reports_excluded"].values()) == ft["excluded"]
    assert prisma["studies_included"] == prisma["reports_included"] == ft["included"] == 2
    assert prisma["previous"] is None and report["version"] == 1

    html = Path(report["path"]).read_text(encoding="utf-8")
    assert (project / "report" / "prisma.svg").exists() and (project / "report" / "prisma.png").exists()
    for text in ("Embase", "Scopus", "C1: Humans in a clinical trial"):
        assert text in html
    assert report["changed"] and not invoke("report", str(project))["changed"]
    with Review(project) as review:
        assert len(review.store.events("report", "report.render")) == 1  # a rerun logs nothing


def methods_paragraph(html: str) -> str:
    found = re.search(r'<section id="methods">.*?<p>(.*?)</p>', html, re.DOTALL)
    assert found is not None
    return unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def test_the_methods_paragraph_of_an_import_only_review_says_the_records_were_imported(round_one) -> None:
    project, _ = round_one
    html = Path(invoke("report", str(project))["path"]).read_text(encoding="utf-8")
    today = datetime.now(UTC).date().isoformat()
    assert methods_paragraph(html) == (
        "This is version 1 of a living systematic review, reported following PRISMA 2020 [1]. "
        f"Records exported from Embase and Scopus were imported on {today}; those databases were "
        "searched outside livingreview. "
        "In all, 15 records were identified; after 3 duplicates were removed, 12 were screened on "
        "title and abstract, of which 6 were excluded. "
        "Of 6 reports sought, 1 could not be retrieved, and 5 were assessed in full: 3 were "
        "excluded and 2 studies (2 reports) were included. "
        "Records were screened by two reviewers working independently; the tool's criteria "
        "verdicts and active-learning ranking were offered as suggestions only. "
        f"The report was generated on {today} by livingreview {__version__}.")


def test_counts_check_their_arithmetic_and_are_withheld_while_screening_is_open(round_one) -> None:
    project, u = round_one
    with Review(project) as review:
        counts = flow_counts(review.store, review.protocol)
        assert counts.prisma is not None
        counts.prisma.check()  # raises PrismaCountError on any box that does not follow
        assert counts.prisma.records_identified - counts.prisma.records_removed == 12
    # Undoing one full-text decision reopens a unit: the counts no longer add up, and say why.
    invoke("undo", str(project), "--reviewer", "ana", "--stage", "full_text", "--record", str(u[0]))
    invoke("undo", str(project), "--reviewer", "ben", "--stage", "full_text", "--record", str(u[0]))
    prisma = invoke("report", str(project))["prisma"]
    assert not prisma["adds_up"] and prisma["pending"] == {"full texts awaiting a decision": 1}


def round_two(project: Path, tmp_path: Path) -> list[int]:
    """Round 1 ends; round 2 imports PsycINFO and a CINAHL copy of an old Embase record, and
    screens the six new units: one included at full text, five excluded on title and abstract."""
    with Review(project) as review:
        review.end_round()
        review.begin_round()
    psycinfo = invoke("import", str(project), str(fixture_path("exports", "ovid_psycinfo.ris")))
    assert psycinfo["files"][0]["database"] == "APA PsycInfo"  # Ovid's link says D=psyc
    again = tmp_path / "cinahl.ris"
    again.write_text(re.sub(r"^DB  - .*\n", "", embase_blocks()[3], flags=re.MULTILINE),
                     encoding="utf-8")
    invoke("import", str(project), str(again), "--source", "CINAHL")
    invoke("dedupe", str(project))
    new = [unit for unit in units_of(project) if unit > 15]
    assert len(new) == 6  # the CINAHL copy joined an old study
    decide(project, new[0], "title_abstract", {"ana": "include", "ben": "include"})
    for unit in new[1:]:
        decide(project, unit, "title_abstract", {"ana": "exclude:C1", "ben": "exclude:C1"})
    attach(project, new[0], tmp_path)
    decide(project, new[0], "full_text", {"ana": "include", "ben": "include"})
    return new


def test_an_updated_version_counts_its_new_records_and_the_previous_versions_studies(
        round_one, tmp_path: Path) -> None:
    project, _ = round_one
    new = round_two(project, tmp_path)
    with Review(project) as review:
        review.end_round()

    report = invoke("report", str(project))
    prisma = report["prisma"]
    assert report["version"] == 2 and prisma["adds_up"]
    assert prisma["databases"] == {"APA PsycInfo": 6, "CINAHL": 1}
    assert (prisma["duplicates_removed"], prisma["removed_other"]) == (1, 0)
    assert (prisma["records_screened"], prisma["records_excluded"]) == (6, 5)
    assert prisma["title_abstract_excluded"] == {"C1: Humans in a clinical trial": 5}
    assert (prisma["reports_sought"], prisma["reports_not_retrieved"], prisma["reports_assessed"]) == (1, 0, 1)
    assert prisma["reports_excluded"] == {}
    assert (prisma["studies_included"], prisma["reports_included"]) == (1, 1)
    assert prisma["previous"] == {"studies": 2, "reports": 2, "awaiting": 0}
    with Review(project) as review:  # the first version's diagram, rebuilt from the log
        first = review.prisma_counts(as_of_round=1).prisma
    assert first is not None and dict(first.databases) == {"Embase": 6, "Scopus": 9}
    assert (first.records_screened, first.reports_not_retrieved, first.studies_included) == (12, 1, 2)

    with Review(project) as review:
        from livingreview.report.service import current_version, changes_since_last

        version = current_version(review)
        changes = changes_since_last(review, version, None)
        first = review.store.records("id = ?", (new[0],))[0]
    assert changes is not None and changes.previous_version == 1
    assert changes.new_records == 7
    assert changes.newly_included == [f"{first.authors[0].split(',')[0]} et al. {first.year} "
                                      f"(record {new[0]})"]
    assert list(changes.changed_estimates) == [] and list(changes.changed_conclusions) == []
    html = Path(report["path"]).read_text(encoding="utf-8")
    assert "previous version" in html.lower()


def test_changed_estimates_and_conclusions_name_what_moved() -> None:
    before = [{"drug": "ketamine", "construct": "empathy", "measure": "SMD", "estimate": 0.31},
              {"drug": "memantine", "construct": "empathy", "measure": "SMD", "estimate": 0.1}]
    after = [{"drug": "ketamine", "construct": "empathy", "measure": "SMD", "estimate": 0.25},
             {"drug": "memantine", "construct": "empathy", "measure": "SMD", "estimate": 0.1},
             {"drug": "riluzole", "construct": "empathy", "measure": "SMD", "estimate": -0.2}]
    changed = changed_rows(before, after, ("drug", "construct", "measure"), "estimate")
    assert changed == [
        {"drug": "ketamine", "construct": "empathy", "measure": "SMD", "before": 0.31, "now": 0.25},
        {"drug": "riluzole", "construct": "empathy", "measure": "SMD", "before": "none", "now": -0.2}]


@pytest.mark.parametrize(("parts", "database"), [
    (("exports", "embase.ris"), "Embase"),
    (("exports", "scopus.ris"), "Scopus"),
    (("exports", "ovid_psycinfo.ris"), "APA PsycInfo"),
    (("exports", "proquest.ris"), "PTSDpubs"),
    (("exports", "web_of_science.txt"), "Web of Science"),
    (("exports", "pubmed_endnote.txt"), "PubMed"),
    (("exports", "embase.csv"), "Embase"),
    (("exports", "baseline_zotero.ris"), None),  # Lens via Zotero: nothing in the file says
    (("medline", "pubmed_result1.txt"), "PubMed"),
])
def test_the_database_is_guessed_from_what_exporters_write(tmp_path: Path, minimal_protocol: Path,
                                                          parts: tuple[str, ...],
                                                          database: str | None) -> None:
    with Review.init(tmp_path / "r", minimal_protocol) as review:
        result = review.import_file(fixture_path(*parts))
        assert result.database == database
        assert review.status()["records"]["by_database"] == {
            database or f"database not named ({result.format})": result.records}


def test_a_named_source_wins_over_the_guess_and_registers_are_told_apart(
        tmp_path: Path, minimal_protocol: Path) -> None:
    with Review.init(tmp_path / "r", minimal_protocol) as review:
        result = review.import_file(fixture_path("exports", "scopus.ris"), source_name="Scopus (Elsevier)")
        assert result.database == "Scopus (Elsevier)"
    assert guess_database("ctgov-json", "") == "ClinicalTrials.gov"
    assert is_register("ClinicalTrials.gov") and not is_register("Embase")


def test_the_report_shows_the_synthesis_and_which_estimates_changed_since_the_last_version(
        tmp_path: Path) -> None:
    from test_synthesize_cli import make_project, write_synthetic_evidence

    project = make_project(tmp_path)
    write_synthetic_evidence(project)
    estimates = []
    for round_number in (1, 2):
        with Review(project) as review:
            review.begin_round()
        if round_number == 2:  # a corrected extraction moves one study's effect
            study = project / "evidence" / "synthetic-c.toml"
            study.write_text(study.read_text(encoding="utf-8").replace("m1 = 14.0", "m1 = 10.5"),
                             encoding="utf-8")
        (pooled,) = invoke("synthesize", str(project))["meta_analyses"]
        estimates.append(pooled["estimate"])
        report = invoke("report", str(project))
        with Review(project) as review:
            review.end_round()
    assert report["version"] == 2 and estimates[0] != estimates[1]
    (changed,) = report["changes"]["changed_estimates"]
    assert (changed["drug"], changed["construct"], changed["measure"]) == ("ketamine", "social reward", "SMD")
    assert changed["before"] == pytest.approx(estimates[0], abs=1e-6)
    assert changed["now"] == pytest.approx(estimates[1], abs=1e-6)
    assert report["changes"]["new_records"] == 0
    html = Path(report["path"]).read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") >= 3  # evidence map, effect direction, forest plot
    assert "ketamine" in html and "social reward" in html
    assert f"SMD {estimates[1]:.2f} [" in html  # the outcomes table shows the pooled estimate


def test_a_database_name_read_from_a_file_keeps_no_control_characters() -> None:
    head = "TY  - JOUR\nDB  - Evil\x1b]0;title\x07 Index\nER  - \n"
    assert guess_database("ris", head) == "Evil ]0;title Index"


def test_a_trial_registry_record_counts_in_the_registers_box(tmp_path: Path,
                                                            minimal_protocol: Path) -> None:
    project = tmp_path / "review"
    invoke("init", str(project), "--protocol", str(minimal_protocol))
    imported = invoke("import", str(project), str(fixture_path("ctgov", "NCT02513394.json")))
    assert imported["files"][0]["database"] == "ClinicalTrials.gov"
    invoke("dedupe", str(project))
    (unit,) = units_of(project)
    decide(project, unit, "title_abstract", {"ana": "exclude:C2"})
    prisma = invoke("report", str(project))["prisma"]
    assert (prisma["databases"], prisma["registers"]) == ({}, {"ClinicalTrials.gov": 1})
    assert prisma["adds_up"] and prisma["records_excluded"] == 1


def test_a_version_left_unsettled_hands_its_records_to_the_next_diagram(round_one) -> None:
    project, u = round_one
    for reviewer in ("ana", "ben"):  # round 1 ends with one full text undecided
        invoke("undo", str(project), "--reviewer", reviewer, "--stage", "full_text", "--record", str(u[0]))
    assert not invoke("report", str(project))["prisma"]["adds_up"]
    with Review(project) as review:
        review.end_round()
        review.begin_round()
    decide(project, u[0], "full_text", {"ana": "include", "ben": "include"})
    with Review(project) as review:
        review.end_round()
    report = invoke("report", str(project))
    prisma = report["prisma"]
    assert report["version"] == 2 and prisma["adds_up"]
    # no earlier diagram was drawn, so this one counts every record, and has no previous boxes
    assert prisma["databases"] == {"Embase": 6, "Scopus": 9} and prisma["previous"] is None
    assert (prisma["records_screened"], prisma["studies_included"]) == (12, 2)
    assert report["changes"]["newly_included"] and report["changes"]["new_records"] == 0


@pytest.mark.parametrize(("header", "database"), [
    ("Authors,Author full names,Title,Year,Source title,Link,EID\n", "Scopus"),
    ("PMID,Title,Authors,Citation,First Author,Journal/Book,Publication Year,Create Date\n", "PubMed"),
    ("PT\tAU\tTI\tSO\tPY\tUT\n", "Web of Science"),
    ("title;abstract;doi\n", None),
])
def test_csv_exports_are_told_apart_by_their_header(header: str, database: str | None) -> None:
    assert guess_database("csv", header) == database


@pytest.mark.parametrize("labels", [{"ana": "maybe", "ben": "maybe"},
                                    {"ana": "include", "ben": "exclude:C1"}],
                         ids=["maybe", "conflict"])
def test_a_full_text_left_undecided_awaits_classification_and_the_diagram_is_drawn(
        round_one, labels: dict[str, str]) -> None:
    project, u = round_one
    for reviewer in ("ana", "ben"):
        invoke("undo", str(project), "--reviewer", reviewer, "--stage", "full_text", "--record", str(u[0]))
    decide(project, u[0], "full_text", labels)
    report = invoke("report", str(project))
    prisma = report["prisma"]
    assert prisma["adds_up"] and prisma["pending"] == {}
    assert prisma["reports_awaiting_classification"] == 1
    assert prisma["reports_assessed"] == 5 == (sum(prisma["reports_excluded"].values())
                                               + prisma["reports_awaiting_classification"]
                                               + prisma["reports_included"])
    assert prisma["studies_included"] == prisma["reports_included"] == 1
    with Review(project) as review:
        counts = flow_counts(review.store, review.protocol).prisma
    assert counts is not None and counts.reports_awaiting == 1
    counts.check()
    svg = (project / "report" / "prisma.svg").read_text(encoding="utf-8")
    box = next(g for g in re.findall(r'<g class="prisma-box">.*?</g>', svg) if "awaiting" in g)
    lines = " ".join(re.findall(r">([^<>]+)</tspan>", box))
    assert re.sub(" +", " ", lines) == ("Reports awaiting classification (n\u00a0=\u00a01) "
                                        "eligibility not yet decided")
    html = Path(report["path"]).read_text(encoding="utf-8")
    assert "1 report assessed for eligibility awaits classification" in html  # the summary
    assert ("Of 6 reports sought, 1 could not be retrieved, and 5 were assessed in full: 3 were "
            "excluded, 1 awaits classification (eligibility not yet decided) and 1 study (1 report) "
            "was included.") in methods_paragraph(html)


def test_a_record_not_yet_screened_on_title_and_abstract_withholds_the_diagram(round_one) -> None:
    project, u = round_one
    for reviewer in ("ana", "ben"):
        invoke("undo", str(project), "--reviewer", reviewer, "--stage", "title_abstract",
               "--record", str(u[5]))
    report = invoke("report", str(project))
    prisma = report["prisma"]
    assert not prisma["adds_up"]
    assert prisma["pending"] == {"awaiting title-abstract screening": 1}
    html = Path(report["path"]).read_text(encoding="utf-8")
    assert "Screening is not finished (1 awaiting title-abstract screening)" in html
    assert not (project / "report" / "prisma.svg").exists()


def test_a_report_awaiting_classification_is_carried_into_the_next_version_that_includes_it(
        round_one, tmp_path: Path) -> None:
    project, u = round_one
    for reviewer in ("ana", "ben"):  # version 1: u[0] assessed in full, eligibility undecided
        invoke("undo", str(project), "--reviewer", reviewer, "--stage", "full_text", "--record", str(u[0]))
    decide(project, u[0], "full_text", {"ana": "maybe", "ben": "maybe"})
    first = invoke("report", str(project))["prisma"]
    assert (first["reports_awaiting_classification"], first["studies_included"]) == (1, 1)
    new = round_two(project, tmp_path)
    decide(project, u[0], "full_text", {"ana": "include", "ben": "include"})  # the data came in
    with Review(project) as review:
        review.end_round()

    report = invoke("report", str(project))
    prisma = report["prisma"]
    status = from_the_log(project)["status"]
    ft = status["screening"]["full_text"]
    assert report["version"] == 2 and prisma["adds_up"] and prisma["pending"] == {}
    assert prisma["previous"] == {"studies": 1, "reports": 1, "awaiting": 1}
    assert prisma["databases"] == {"APA PsycInfo": 6, "CINAHL": 1}
    assert (prisma["duplicates_removed"], prisma["removed_other"]) == (1, 0)
    assert (prisma["records_screened"], prisma["records_excluded"]) == (6, 5)
    assert (prisma["reports_sought"], prisma["reports_not_retrieved"]) == (1, 0)
    # the new report and the carried one are assessed in this version; both are included
    assert prisma["reports_assessed"] == 1 - 0 + 1 == 2
    assert prisma["reports_excluded"] == {} and prisma["reports_awaiting_classification"] == 0
    assert (prisma["studies_included"], prisma["reports_included"]) == (2, 2)
    # previous version + new = every study included, as the log has it
    assert prisma["previous"]["studies"] + prisma["studies_included"] == ft["included"] == 3
    assert ft["maybe"] == 0
    with Review(project) as review:
        counts = flow_counts(review.store, review.protocol,
                             since_event=review.round_cutoff(1)).prisma
    assert counts is not None and counts.total_studies == 3 and counts.total_reports == 3
    newly = {int(label.rsplit("(record ", 1)[1].rstrip(")"))
             for label in report["changes"]["newly_included"]}
    assert newly == {u[0], new[0]}
    svg = (project / "report" / "prisma.svg").read_text(encoding="utf-8")
    boxes = [" ".join(re.findall(r">([^<>]+)</tspan>", g))
             for g in re.findall(r'<g class="prisma-box">.*?</g>', svg)]
    assert any("awaiting classification in previous version" in re.sub(" +", " ", box)
               and "(n\u00a0=\u00a01)" in box for box in boxes)
    assert any("Total studies included in review (n\u00a0=\u00a03)" in re.sub(" +", " ", box)
               for box in boxes)
