"""Record text and reviewer names are untrusted: every command shows them inert.

A hostile RIS export carries escape sequences (clear screen, an OSC window title, an OSC 8
hyperlink, a colour), rich markup that would crash a render (`[/]`) and bracketed text that
markup would swallow (`[interquartile range]`); two reviewers have hostile names. Each command
must exit 0, print no ESC or BEL byte and print the bracketed text literally.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from livingreview.cli import cli

HOSTILE = ("\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil.example/\x1b\\click here\x1b]8;;\x1b\\"
           " [/] Ketamine [interquartile range] consensus")
REVIEWER = "\x1b]0;evil\x07[/]ann[interquartile range]"
OTHER_REVIEWER = "bob[/]\x1b[31m"
SHARED = ("AU  - \x1b[31mSmith, J\nAU  - Jones, K\nAU  - Brown, A\nPY  - 2019\n"
          "JO  - Journal of Affective Disorders [/]\nVL  - 245\nSP  - 1123\nEP  - 1130\n")


def ris(title: str, shared: str = SHARED, abstract: str = "Ketamine in healthy volunteers.") -> str:
    return f"TY  - JOUR\nTI  - {title}\n{shared}AB  - {abstract}\nER  - \n\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_inert(result: Result, *literal: str) -> None:
    assert result.exit_code == 0, (result.output, result.exception)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    flat = " ".join(result.stdout.split())
    for text in literal:
        assert text in flat, f"{text!r} missing from:\n{result.stdout}"


@pytest.fixture
def hostile_review(tmp_path: Path, minimal_protocol: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLUMNS", "400")  # rich wraps at the width: keep each cell on one line
    export = tmp_path / "hostile.ris"
    export.write_text(
        ris(HOSTILE + " (Part 1 of 4)", abstract="Ketamine [/] \x1b]0;title\x07 randomized trial.")
        + ris(HOSTILE + " (Part 2 of 4)")
        + ris("=HYPERLINK(\"http://evil.example\") ketamine in healthy volunteers",
              shared="AU  - -Minus, M\nPY  - 2020\nJO  - @journal\n"),
        encoding="utf-8")
    directory = tmp_path / "review"
    for args in (("init", str(directory), "--protocol", str(minimal_protocol)),
                 ("import", str(directory), str(export), "--source", "Embase"),
                 ("dedupe", str(directory)),
                 ("decide", str(directory), "1", "include", "--reviewer", REVIEWER),
                 ("decide", str(directory), "1", "exclude", "--reviewer", OTHER_REVIEWER, "--reason", "C1",
                  "--note", "\x1b[2Jsee [/] note")):
        done = run(*args)
        assert done.exit_code == 0, (args, done.output, done.exception)
    return directory


def test_conflicts_show_hostile_titles_and_reviewer_names_inert(hostile_review: Path) -> None:
    assert_inert(run("conflicts", str(hostile_review)),
                 "[/] Ketamine [interquartile range] consensus (Part 1 of 4)", "[/]ann[interquartile range]",
                 "bob[/]")


def test_agreement_and_reviewers_show_hostile_names_inert(hostile_review: Path) -> None:
    assert_inert(run("agreement", str(hostile_review)), "[/]ann[interquartile range] / bob[/]")
    assert_inert(run("reviewers", str(hostile_review)), "[/]ann[interquartile range]", "bob[/]")


def test_decide_echoes_a_hostile_reviewer_name_inert(hostile_review: Path) -> None:
    assert_inert(run("decide", str(hostile_review), "2", "maybe", "--reviewer", REVIEWER),
                 "[/]ann[interquartile range] maybe record 2")


def test_status_shows_hostile_database_and_reviewer_names_inert(hostile_review: Path, tmp_path: Path) -> None:
    export = tmp_path / "more.ris"
    export.write_text(ris("Another ketamine trial in healthy volunteers"), encoding="utf-8")
    imported = run("import", str(hostile_review), str(export), "--source", "\x1b]0;x\x07[/]Scopus[interquartile range]")
    assert imported.exit_code == 0, imported.output
    assert_inert(run("status", str(hostile_review)), "[/]Scopus[interquartile range]",
                 "screened by [/]ann[interquartile range]", "screened by bob[/]")


def test_uncertain_pairs_show_hostile_fields_inert_with_the_reason(hostile_review: Path) -> None:
    listed = run("dedupe", str(hostile_review), "--uncertain")
    assert_inert(listed, "[/] Ketamine [interquartile range] consensus (Part 2 of 4)",
                 "Journal of Affective Disorders [/]", "Smith, J", "1123-1130",
                 "why uncertain: numbers in the titles differ")


def test_suggest_shows_hostile_titles_inert_and_neutralises_formulas_in_its_csv(hostile_review: Path) -> None:
    assert_inert(run("suggest", str(hostile_review)), "[/] Ketamine [interquartile range] consensus (Part 2 of 4)")
    path = hostile_review / "report" / "suggestions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        titles = [row["title"] for row in csv.DictReader(handle)]
    assert "'=HYPERLINK(\"http://evil.example\") ketamine in healthy volunteers" in titles
    assert not any(t.startswith(("=", "+", "-", "@")) for t in titles)
    assert not list(path.parent.glob("*.partial"))


def test_records_and_show_print_hostile_text_inert(hostile_review: Path) -> None:
    assert_inert(run("records", str(hostile_review)),
                 "[/] Ketamine [interquartile range] consensus (Part 1 of 4)", "Smith, J")
    assert_inert(run("show", str(hostile_review), "1"),
                 "Ketamine [/] randomized trial", "[/]ann[interquartile range]: include",
                 "bob[/]: exclude (C1) note: see [/] note", "journal: Journal of Affective Disorders [/]")
