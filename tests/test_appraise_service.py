"""Risk of bias on the judgement ledger: two appraisers' RoB 2 answers, conflicts per domain,
resolution by a lead, agreement, and imports that are idempotent and all-or-nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from livingreview.appraisal.service import (
    AppraisalError,
    agreement,
    conflicts,
    final_overall,
    parse_item,
    record_answers,
)
from livingreview.project import Review
from livingreview.store import ledger

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "examples" / "glutamate-entactogens"
HEADER = "Study,1.1,1.2,1.3,2.1,2.2,2.3,2.4,2.5,2.6,2.7,3.1,3.2,3.3,3.4,4.1,4.2,4.3,4.4,4.5,5.1,5.2,5.3"
# Answers giving Low in every domain; with 1.2 = NI (allocation concealment unknown) D1 becomes
# Some concerns by the RoB 2 algorithm, and so does the overall judgement.
LOW = "Y,Y,N,N,N,,,,Y,,Y,,,,N,N,N,,,Y,N,N"
D1_CONCERNS = "Y,NI,N,N,N,,,,Y,,Y,,,,N,N,N,,,Y,N,N"


@pytest.fixture
def review(tmp_path: Path) -> Review:
    project = Review.init(tmp_path / "review", FLAGSHIP / "protocol.toml")
    shutil.copytree(FLAGSHIP / "evidence", project.directory / "evidence")
    return project


def write(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def answers(row: str) -> dict[str, str]:
    """A CSV row's answers keyed by question id, the unasked (empty) ones left out."""
    return {question: answer for question, answer in zip(HEADER.split(",")[1:], row.split(","), strict=True) if answer}


def two_appraisers(review: Review, tmp_path: Path) -> None:
    review.appraise_import(write(tmp_path / "ana.csv", f"hess2024,{LOW}", f"Murrough 2015,{LOW}"), "ana")
    review.appraise_import(write(tmp_path / "ben.csv", f"hess2024,{D1_CONCERNS}", f"murrough2015,{LOW}"), "ben")


def test_each_appraisers_answers_give_their_own_domain_judgements(review: Review, tmp_path: Path) -> None:
    two_appraisers(review, tmp_path)
    hess = next(a for a in review.appraisals() if a.unit.study == "hess2024")
    assert hess.label == "Hess 2024" and hess.aim == "assignment"
    assert hess.by_reviewer["ana"].overall == "Low"
    assert hess.by_reviewer["ben"].domains[0].judgement == "Some concerns"
    assert hess.by_reviewer["ben"].overall == "Some concerns"
    d1 = hess.domains[0]
    assert (d1.status, d1.final, d1.by_reviewer) == ("conflict", None, {"ana": "Low", "ben": "Some concerns"})
    assert [d.status for d in hess.domains[1:]] == ["agreed"] * 4
    assert hess.overall is None  # unsettled while D1 is in conflict


def test_conflicts_are_the_domains_whose_algorithm_judgements_differ(review: Review, tmp_path: Path) -> None:
    two_appraisers(review, tmp_path)
    found = conflicts(review.store, review.study_index())
    assert found == [{"study": "hess2024", "label": "Hess 2024", "tool": "rob2", "outcome": None, "domain": "D1",
                      "judgements": {"ana": "Low", "ben": "Some concerns"}}]


def test_agreement_per_domain_is_kappa_and_ac1_over_both_appraisers_studies(review: Review, tmp_path: Path) -> None:
    two_appraisers(review, tmp_path)
    d1 = next(row for row in agreement(review.store) if row["domain"] == "D1")
    # Pairs (Low, Some concerns) and (Low, Low): po = 1/2; kappa's pe = 1 * 1/2 = 1/2, so kappa 0;
    # AC1 over the 3 RoB 2 levels: mean shares 3/4, 1/4, 0, pe = (3/16 + 3/16) / 2 = 3/16,
    # AC1 = (1/2 - 3/16) / (13/16) = 5/13.
    assert d1["studies"] == 2 and d1["percent_agreement"] == 0.5
    assert d1["kappa"] == pytest.approx(0.0, abs=1e-12)
    assert d1["ac1"] == pytest.approx(5 / 13, rel=1e-12)
    d2 = next(row for row in agreement(review.store) if row["domain"] == "D2")
    assert d2["percent_agreement"] == 1.0 and d2["kappa"] is None  # both used one level throughout


def test_a_leads_resolution_settles_the_domain_and_the_overall_follows(review: Review, tmp_path: Path) -> None:
    two_appraisers(review, tmp_path)
    done = review.appraise_resolve("Hess 2024", "D1", "Some concerns", "lead", "concealment not reported")
    assert parse_item(done.item_id)[2] == "D1" and done.is_resolution
    hess = next(a for a in review.appraisals() if a.unit.study == "hess2024")
    assert hess.domains[0].status == "resolved" and hess.domains[0].final == "Some concerns"
    assert hess.domains[0].resolution == {"lead": "lead", "reason": "concealment not reported"}
    assert hess.overall == "Some concerns"
    assert conflicts(review.store) == []
    event = review.store.events("appraisal", "appraisal.resolve")[-1]
    assert event["actor"] == "lead" and event["detail"]["reason"] == "concealment not reported"
    assert final_overall(review.appraisals()) == {"hess2024": "Some concerns", "murrough2015": "Low"}
    again = review.appraise_resolve("hess2024", "D1", "Some concerns", "lead", "concealment not reported")
    assert again.id == done.id and len(review.store.events("appraisal", "appraisal.resolve")) == 1


def test_a_resolution_must_be_a_level_of_the_domain_and_have_a_reason(review: Review, tmp_path: Path) -> None:
    two_appraisers(review, tmp_path)
    with pytest.raises(AppraisalError, match="'Serious' is not a judgement of rob2 domain D1"):
        review.appraise_resolve("hess2024", "D1", "Serious", "lead", "why")
    with pytest.raises(AppraisalError, match="needs a reason"):
        review.appraise_resolve("hess2024", "D1", "Low", "lead", " ")
    with pytest.raises(AppraisalError, match="no appraised domain 'D9'"):
        review.appraise_resolve("hess2024", "D9", "Low", "lead", "why")


def test_importing_the_same_file_again_records_nothing(review: Review, tmp_path: Path) -> None:
    path = write(tmp_path / "ana.csv", f"hess2024,{LOW}")
    first = review.appraise_import(path, "ana")
    events = len(review.store.events())
    again = review.appraise_import(path, "ana")
    assert first.recorded == 27 and first.unchanged == 0  # 22 questions and 5 domains
    assert again.recorded == 0 and again.unchanged == 27
    assert len(review.store.events()) == events + 1  # only the import's own summary event


def test_a_changed_answer_records_only_what_changed(review: Review, tmp_path: Path) -> None:
    review.appraise_import(write(tmp_path / "a.csv", f"hess2024,{LOW}"), "ana")
    changed = review.appraise_import(write(tmp_path / "b.csv", f"hess2024,{D1_CONCERNS}"), "ana")
    assert changed.recorded == 2  # question 1.2 and domain D1
    d1 = [j for j in ledger.judgements(review.store, "rob_domain", "appraisal") if j.item_id.endswith("/domain:D1")]
    assert [json.loads(j.value)["judgement"] for j in d1] == ["Low", "Some concerns"]
    assert d1[1].supersedes == d1[0].id  # appended to the appraiser's chain, nothing overwritten


def test_rows_are_matched_by_doi_pmid_or_key(review: Review, tmp_path: Path) -> None:
    header = f"Study,DOI,PMID,{HEADER.split(',', 1)[1]}"
    path = write(tmp_path / "ids.csv", f"first,10.1176/appi.ajp.20230980,,{LOW}", f"second,,,{LOW}",
                 header=header)
    with pytest.raises(AppraisalError, match=r"ids.csv:3: study 'second' matches no study"):
        review.appraise_import(path, "ana")
    assert ledger.latest_judgements(review.store, "rob_question") == []  # all or nothing
    write(path, f"first,10.1176/APPI.AJP.20230980,,{LOW}", header=header)
    imported = review.appraise_import(path, "ana")
    assert imported.studies == ("hess2024",) and imported.ignored_columns == ()


def test_an_unknown_doi_is_an_error_naming_the_line(review: Review, tmp_path: Path) -> None:
    header = f"Study,DOI,{HEADER.split(',', 1)[1]}"
    path = write(tmp_path / "doi.csv", f"hess2024,10.9999/not.here,{LOW}", header=header)
    with pytest.raises(AppraisalError, match=r"doi.csv:2: DOI '10.9999/not.here' matches no study"):
        review.appraise_import(path, "ana")


def test_an_answer_the_form_does_not_allow_names_line_and_column(review: Review, tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", f"hess2024,{LOW.replace('Y', 'maybe', 1)}")
    with pytest.raises(AppraisalError, match=r"bad.csv:2: column '1.1': 'maybe' is not an answer"):
        review.appraise_import(path, "ana")


def test_the_aim_is_stored_with_every_item(review: Review, tmp_path: Path) -> None:
    # Adherence asks 2.3-2.6 instead of assignment's 2.3-2.7; here the participants and carers
    # were blinded (2.1, 2.2 N), so 2.3 and 2.4 are not asked; 2.5 (failures in implementing) is N,
    # so 2.6 is not asked either.
    row = "Y,Y,N,N,N,,,N,,,Y,,,,N,N,N,,,Y,N,N"
    review.appraise_import(write(tmp_path / "adh.csv", f"hess2024,{row}"), "ana", aim="adherence")
    hess = review.appraisals()[0]
    assert hess.aim == "adherence" and hess.by_reviewer["ana"].overall == "Low"
    items = ledger.latest_judgements(review.store, "rob_question", "appraisal")
    assert all('"aim": "adherence"' in j.value for j in items)


def test_recording_one_studys_answers_stores_them_and_the_algorithms_domain_judgements(review: Review) -> None:
    saved = record_answers(review.store, review.study_index(), "Hess 2024", "ana", answers(D1_CONCERNS))
    assert (saved.study, saved.recorded, saved.unchanged) == ("hess2024", 27, 0)  # 22 questions, 5 domains
    assert saved.result.overall == "Some concerns"
    hess = review.appraisals()[0]
    assert hess.by_reviewer["ana"].domains[0].judgement == "Some concerns"
    assert [d.status for d in hess.domains] == ["single"] * 5
    judged = review.store.events("appraisal", "appraisal.judge")
    assert len(judged) == 27 and {event["actor"] for event in judged} == {"ana"}


def test_recording_the_same_answers_again_records_nothing(review: Review) -> None:
    record_answers(review.store, review.study_index(), "hess2024", "ana", answers(LOW))
    stored = len(ledger.judgements(review.store, "rob_question")) + len(ledger.judgements(review.store, "rob_domain"))
    again = record_answers(review.store, review.study_index(), "hess2024", "ana", answers(LOW))
    assert (again.recorded, again.unchanged) == (0, 27)
    assert len(ledger.judgements(review.store, "rob_question")) + len(ledger.judgements(review.store, "rob_domain")) == stored


def test_a_second_appraisers_recorded_answers_open_a_conflict_on_the_domain_they_change(review: Review) -> None:
    record_answers(review.store, review.study_index(), "hess2024", "ana", answers(LOW))
    record_answers(review.store, review.study_index(), "hess2024", "ben", answers(D1_CONCERNS))
    found = conflicts(review.store, review.study_index())
    assert [(c["study"], c["domain"], c["judgements"]) for c in found] == [
        ("hess2024", "D1", {"ana": "Low", "ben": "Some concerns"})]


def test_a_bad_answer_names_study_and_question_and_nothing_is_stored(review: Review) -> None:
    bad = {**answers(LOW), "1.1": "maybe"}
    with pytest.raises(AppraisalError, match=r"study 'hess2024', domain D1, question 1.1: answer 'maybe' is not allowed"):
        record_answers(review.store, review.study_index(), "hess2024", "ana", bad)
    incomplete = {q: a for q, a in answers(LOW).items() if q != "5.1"}
    with pytest.raises(AppraisalError, match=r"study 'hess2024', domain D5, question 5.1: needs an answer"):
        record_answers(review.store, review.study_index(), "hess2024", "ana", incomplete)
    with pytest.raises(AppraisalError, match=r"study 'nobody 1999' matches no study"):
        record_answers(review.store, review.study_index(), "nobody 1999", "ana", answers(LOW))
    assert ledger.judgements(review.store, "rob_question") == []
    assert ledger.judgements(review.store, "rob_domain") == []
