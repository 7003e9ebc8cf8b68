"""`records`, `show` and `dedupe --uncertain`: looking at what the review holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from livingreview import Review
from livingreview.cli import cli
from livingreview.store.dedupe import NewPair, insert_pairs

TRIAL = ("AU  - Smith, J\nAU  - Jones, K\nAU  - Brown, A\nPY  - 2019\nJO  - Journal of Affective Disorders\n"
         "VL  - 245\nSP  - 1123\nEP  - 1130\n")
EXPORT = (
    "TY  - JOUR\nTI  - Ketamine for treatment-resistant depression: a randomized controlled trial\n"
    f"{TRIAL}DO  - 10.1016/j.jad.2019.01.001\nAB  - We randomised 120 adults to ketamine or midazolam.\nER  - \n\n"
    "TY  - JOUR\nTI  - KETAMINE FOR TREATMENT-RESISTANT DEPRESSION: A RANDOMIZED CONTROLLED TRIAL\n"
    f"{TRIAL}ER  - \n\n"
    "TY  - JOUR\nTI  - Canadian contraception consensus (Part 1 of 4)\nAU  - Black, A\nPY  - 2015\n"
    "JO  - J Obstet Gynaecol Can\nVL  - 37\nSP  - 936\nEP  - 942\nER  - \n\n"
    "TY  - JOUR\nTI  - Canadian contraception consensus (Part 2 of 4)\nAU  - Black, A\nPY  - 2015\n"
    "JO  - J Obstet Gynaecol Can\nVL  - 37\nSP  - 936\nEP  - 942\nER  - \n\n"
    "TY  - JOUR\nTI  - Psilocybin-assisted therapy for alcohol use disorder\nAU  - Garcia, P\nPY  - 2015\n"
    "JO  - Addiction\nAN  - 25551234\nER  - \n\n"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def ok_json(*args: str) -> dict:  # type: ignore[type-arg]
    done = run(*args, "--json")
    assert done.exit_code == 0, (done.output, done.exception)
    return json.loads(done.stdout)


@pytest.fixture
def review_dir(tmp_path: Path, minimal_protocol: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLUMNS", "300")
    export = tmp_path / "export.ris"
    export.write_text(EXPORT, encoding="utf-8")
    directory = tmp_path / "review"
    for args in (("init", str(directory), "--protocol", str(minimal_protocol)),
                 ("import", str(directory), str(export), "--source", "Embase"),
                 ("dedupe", str(directory)),
                 ("decide", str(directory), "2", "include", "--reviewer", "ann", "--note", "clear RCT")):
        done = run(*args)
        assert done.exit_code == 0, (args, done.output)
    return directory


def test_records_lists_every_record_with_its_study_and_screening(review_dir: Path) -> None:
    listed = ok_json("records", str(review_dir))
    assert listed["count"] == 5
    rows = {row["id"]: row for row in listed["records"]}
    assert rows[1]["first_author"] == "Smith, J" and rows[1]["year"] == 2019
    assert rows[1]["study"] == rows[2]["study"]  # the two copies are one study
    assert rows[1]["screening"] == rows[2]["screening"] == "include"
    assert rows[5]["screening"] == "unscreened" and rows[5]["source"] == "ris"
    table = run("records", str(review_dir))
    assert table.exit_code == 0 and "Psilocybin-assisted therapy" in table.stdout


def test_records_query_needs_every_word_in_title_abstract_authors_or_identifiers(review_dir: Path) -> None:
    assert [r["id"] for r in ok_json("records", str(review_dir), "--query", "midazolam adults")["records"]] == [1]
    assert [r["id"] for r in ok_json("records", str(review_dir), "--query", "consensus part")["records"]] == [3, 4]
    assert [r["id"] for r in ok_json("records", str(review_dir), "--query", "garcia")["records"]] == [5]
    assert [r["id"] for r in ok_json("records", str(review_dir), "--query", "10.1016/j.jad.2019.01.001")["records"]] == [1]
    assert ok_json("records", str(review_dir), "--query", "ketamine psilocybin")["count"] == 0
    empty = run("records", str(review_dir), "--query", "nothing-like-this")
    assert empty.exit_code == 0 and "no records match" in empty.stdout


def test_show_gives_fields_raw_text_study_history_decisions_and_events(review_dir: Path) -> None:
    shown = ok_json("show", str(review_dir), "1")
    assert shown["record"]["doi"] == "10.1016/j.jad.2019.01.001"
    assert shown["record"]["raw"].startswith("TY  - JOUR")
    assert shown["study_records"] == [1, 2] and shown["report"] is not None
    assert [step["action"] for step in shown["study_history"]] == ["dedupe.run"]
    assert shown["study_history"][0]["study"] == shown["study"]
    # The decision on record 2 is the study's decision: record 1 shows it too.
    [decision] = shown["decisions"]
    assert (decision["reviewer"], decision["label"], decision["note"]) == ("ann", "include", "clear RCT")
    text = run("show", str(review_dir), "2")
    assert text.exit_code == 0
    assert "ann: include note: clear RCT" in text.stdout and "screen.decide record:1" in text.stdout
    assert "TI  - KETAMINE FOR TREATMENT-RESISTANT DEPRESSION" in text.stdout


def test_show_of_an_unknown_record_is_bad_input(review_dir: Path) -> None:
    done = run("show", str(review_dir), "99")
    assert done.exit_code == 1
    assert "record 99 is not in the review" in str(done.exception)


def test_uncertain_pairs_carry_authors_year_doi_pages_and_the_judges_reason(review_dir: Path) -> None:
    [pair] = ok_json("dedupe", str(review_dir), "--uncertain")["uncertain"]
    assert (pair["a"]["id"], pair["b"]["id"]) == (3, 4)
    assert pair["reason"] == "numbers in the titles differ"
    assert pair["a"]["authors"] == ["Black, A"] and pair["a"]["year"] == 2015
    assert pair["a"]["pages"] == "936-942" and pair["a"]["journal"] == "J Obstet Gynaecol Can"
    shown = run("dedupe", str(review_dir), "--uncertain")
    assert shown.exit_code == 0
    assert "why uncertain: numbers in the titles differ" in shown.stdout
    for field in ("authors", "year", "journal", "pages"):
        assert field in shown.stdout


def test_a_pair_stored_before_reasons_were_kept_says_so(review_dir: Path) -> None:
    with Review(review_dir) as review:
        insert_pairs(review.store, [NewPair(1, 5, "duplicate", "fuzzy", 0.75, "uncertain")], "dedupe", "then")
    pairs = {(p["a"]["id"], p["b"]["id"]): p for p in ok_json("dedupe", str(review_dir), "--uncertain")["uncertain"]}
    assert pairs[(1, 5)]["reason"] == "reason not recorded"
