"""RoB 2 answers imported from a CSV laid out like the official RoB 2 spreadsheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA
from livingreview.appraisal.algorithms import CONSIDER_HIGH
from livingreview.appraisal.spreadsheet import (
    Disagreement,
    SpreadsheetError,
    parse_appraisal_csv,
    read_appraisal_csv,
)

SAMPLE = DATA / "rob2_sample.csv"
HEADER = "Study,1.1,1.2,1.3,2.1,2.2,2.3,2.4,2.5,2.6,2.7,3.1,3.2,3.3,3.4,4.1,4.2,4.3,4.4,4.5,5.1,5.2,5.3"
LOW_ROW = "T1,Y,Y,N,N,N,,,,Y,,Y,,,,N,N,N,,,Y,N,N"


def test_sample_file_gives_each_studys_domain_and_overall_judgements() -> None:
    imported = read_appraisal_csv(SAMPLE)
    by_study = {row.result.study: row for row in imported.rows}
    assert list(by_study) == ["Trial A", "Trial B", "Trial C", "Trial D"]
    judgements = {s: [d.judgement for d in r.result.domains] + [r.result.overall] for s, r in by_study.items()}
    assert judgements == {
        "Trial A": ["Low"] * 6,
        "Trial B": ["Low", "Low", "High", "Low", "Low", "High"],
        "Trial C": ["Some concerns", "Low", "Low", "Low", "Some concerns", "Some concerns"],
        "Trial D": ["Low", "Some concerns", "Low", "Some concerns", "Some concerns", "Some concerns"],
    }
    assert by_study["Trial C"].result.aim == "adherence"
    assert by_study["Trial D"].result.flags == (CONSIDER_HIGH,)
    assert imported.ignored_columns == ("Notes",)


def test_sample_file_reports_where_stated_judgements_disagree_with_the_algorithm() -> None:
    rows = {row.result.study: row for row in read_appraisal_csv(SAMPLE).rows}
    assert rows["Trial B"].disagreements == (Disagreement("D3", "Some concerns", "High"),)
    assert all(not rows[s].disagreements for s in ("Trial A", "Trial C", "Trial D"))


def test_sample_file_keeps_lines_weights_outcomes_and_multiline_support() -> None:
    rows = {row.result.study: row for row in read_appraisal_csv(SAMPLE).rows}
    assert [rows[s].line for s in ("Trial A", "Trial B", "Trial C", "Trial D")] == [2, 3, 4, 6]
    assert rows["Trial A"].weight == 40.0 and rows["Trial D"].weight is None
    assert rows["Trial A"].result.outcome == "HAM-D week 6" and rows["Trial D"].result.outcome is None
    assert rows["Trial C"].support == {"D1": {"1.1": "random numbers\ntable"}}


@pytest.mark.parametrize("spelling", ["1.1", "D1.1", "Q1.1", "q1_1", "SQ1.1", "Domain 1.1"])
def test_question_header_spellings_are_tolerated(spelling: str) -> None:
    text = f"{HEADER.replace('1.1', spelling, 1)}\n{LOW_ROW}\n"
    result = parse_appraisal_csv(text, "x.csv").rows[0].result
    assert result.domains[0].answers["1.1"] == "Y" and result.overall == "Low"


def test_semicolon_separated_export_is_read() -> None:
    text = f"{HEADER.replace(',', ';')}\n{LOW_ROW.replace(',', ';')}\n"
    assert parse_appraisal_csv(text, "x.csv").rows[0].result.overall == "Low"


def _problems(text: str) -> list[tuple[int, str | None, str]]:
    with pytest.raises(SpreadsheetError) as caught:
        parse_appraisal_csv(text, "bad.csv")
    return caught.value.problems


def test_bad_answer_is_reported_with_line_and_column() -> None:
    problems = _problems(f"{HEADER}\n{LOW_ROW}\n{LOW_ROW.replace('T1,Y,Y', 'T2,Y,maybe')}\n")
    assert problems == [(3, "1.2", "'maybe' is not an answer (expected Y, PY, PN, N, NI or NA)")]


def test_conditional_structure_violation_names_line_column_study_domain_question() -> None:
    row = LOW_ROW.replace("N,N,,,,Y,,Y", "N,N,Y,,,Y,,Y")  # 2.3 answered though nobody was aware
    (problem,) = _problems(f"{HEADER}\n{row}\n")
    line, column, message = problem
    assert (line, column) == (2, "2.3")
    assert message.startswith("study 'T1', domain D2, question 2.3: answered 'Y' but it is asked only if")


def test_all_problems_of_a_file_are_collected() -> None:
    text = f"{HEADER},D3,Weight\n{LOW_ROW},Moderate,heavy\n,{LOW_ROW[3:]},Low,1\n"
    problems = _problems(text)
    assert problems == [
        (2, "D3", "'Moderate' is not a judgement (Low, Some concerns, High)"),
        (2, "Weight", "'heavy' is not a non-negative number"),
        (3, "Study", "the study is blank"),
    ]


def test_header_problems_unknown_question_duplicate_and_missing_study() -> None:
    problems = _problems("Trial name,1.1,D1.1,6.1,DS\nx,Y,Y,Y,Low\n")
    assert (1, "D1.1", "names the same thing as column '1.1'") in problems
    assert (1, "6.1", "rob2 has no signalling question 6.1") in problems
    assert (1, "DS", "rob2 has no domain DS (D1, D2, D3, D4, D5)") in problems
    assert (1, None, "no study column (expected a header such as 'Study' or 'Study ID')") in problems


def test_question_of_the_other_aim_must_be_blank() -> None:
    row = LOW_ROW.replace(",Y,,Y,,,,N", ",Y,PN,Y,,,,N")  # 2.7 answered on an adherence row
    text = f"{HEADER},Aim\n{row},adherence\n"
    problems = _problems(text)
    assert (2, "2.7", "question 2.7 is not asked when the aim is adherence; leave it blank") in problems


def test_row_with_more_cells_than_header_is_an_error() -> None:
    assert _problems(f"{HEADER}\n{LOW_ROW},extra\n") == [(2, None, "24 cells but the header has 23 columns")]


def test_error_message_lists_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "rob.csv"
    path.write_text(f"{HEADER}\n{LOW_ROW.replace('T1,Y', 'T1,X')}\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match=rf"{path.name}:2: column '1.1': 'X' is not an answer"):
        read_appraisal_csv(path)


def test_crossover_form_reads_domain_s_columns() -> None:
    text = f"{HEADER},S.1,S.2,S.3\n{LOW_ROW},Y,,PN\n"
    result = parse_appraisal_csv(text, "x.csv", form="rob2-crossover").rows[0].result
    assert [d.domain for d in result.domains][:2] == ["D1", "DS"]
    assert result.domains[1].judgement == "High" and result.overall == "High"


ROBINS_HEADER = "Study,D1,D2,D3,D4,D5,D6,D7,Overall,Weight"


def test_robins_i_judgements_table_in_robvis_layout() -> None:
    text = (
        f"{ROBINS_HEADER}\n"
        "Cohort A,Moderate,low,Low,Low,Serious,Low,Low,Serious,12\n"
        "Cohort B,Low (except for concerns about uncontrolled confounding),Low,Low,Low,Low,Low,Low,Moderate,8\n"
    )
    rows = parse_appraisal_csv(text, "robins.csv", form="robins-i").rows
    assert [r.result.overall for r in rows] == ["Serious", "Low (except for concerns about uncontrolled confounding)"]
    assert rows[0].disagreements == ()
    assert rows[1].disagreements == (
        Disagreement("overall", "Moderate", "Low (except for concerns about uncontrolled confounding)"),
    )
    assert rows[0].weight == 12.0


def test_robins_i_table_needs_every_domain_column_and_judgement() -> None:
    with pytest.raises(SpreadsheetError) as caught:
        parse_appraisal_csv("Study,D1,D2,D3,D4,D5,D6,Overall\nx,Low,Low,Low,Low,Low,Low,Low\n", "r.csv", form="robins-i")
    assert caught.value.problems == [(1, None, "no column for D7, which robins-i judges directly (expected a header 'D7')")]
    with pytest.raises(SpreadsheetError) as caught:
        parse_appraisal_csv(f"{ROBINS_HEADER}\nx,Low,Low,,Low,Low,Low,Low,Low,1\n", "r.csv", form="robins-i")
    ((line, column, message),) = caught.value.problems
    assert (line, column) == (2, "D3") and message.startswith("study 'x', domain D3: needs a judgement")


def test_robins_i_confounding_only_level_in_another_domain_is_reported_at_its_cell() -> None:
    row = "x,Low,Low (except for concerns about uncontrolled confounding),Low,Low,Low,Low,Low,Low,1"
    with pytest.raises(SpreadsheetError) as caught:
        parse_appraisal_csv(f"{ROBINS_HEADER}\n{row}\n", "r.csv", form="robins-i")
    ((line, column, message),) = caught.value.problems
    assert (line, column) == (2, "D2") and "is not allowed" in message


def test_robins_i_rows_record_no_aim() -> None:
    text = f"{ROBINS_HEADER}\nx,Low,Low,Low,Low,Low,Low,Low,Low,1\n"
    assert parse_appraisal_csv(text, "r.csv", form="robins-i").rows[0].result.aim is None


def test_unknown_aim_is_reported_at_its_cell() -> None:
    problems = _problems(f"{HEADER},Aim\n{LOW_ROW},per protocol\n")
    assert problems == [(2, "Aim", "'per protocol' is not an aim (assignment or adherence)")]
