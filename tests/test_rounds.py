"""Review rounds: numbered runs of the pipeline, their events, and "as of round N"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from livingreview import Review
from livingreview.store import Store
from livingreview.store.records import count_records_as_of
from livingreview.store.rounds import RoundError, events_of_round, get_version, review_versions, rounds

TRIAL = ("Ketamine for treatment-resistant depression: a randomized controlled trial",
         "Smith J", "10.1016/j.jad.2019.01.001")
COPY = ("Ketamine for treatment resistant depression - a randomised controlled trial",
        "Smith J", "10.1016/j.jad.2019.01.001")
OTHER = ("Psilocybin-assisted therapy for alcohol use disorder: an open-label pilot study",
         "Garcia P", "10.1111/add.12345")


def ris(path: Path, *entries: tuple[str, str, str]) -> Path:
    path.write_text("".join(f"TY  - JOUR\nTI  - {title}\nAU  - {author}\nDO  - {doi}\nPY  - 2019\n"
                            "ER  - \n\n" for title, author, doi in entries), encoding="utf-8")
    return path


def test_each_round_numbers_its_events_and_says_what_ran(review: Review, tmp_path: Path) -> None:
    review.store.log("test", "test.before")
    with review.round() as first:
        review.import_file(ris(tmp_path / "a.ris", TRIAL, OTHER))
        review.dedupe()
    assert first.number == 1
    [finished] = rounds(review.store)
    assert finished.ran == {"dedupe.run": 1, "import.file": 1}
    assert finished.first_event_id is not None and finished.last_event_id is not None
    inside = events_of_round(review.store, 1)
    assert inside == list(range(finished.first_event_id, finished.last_event_id + 1))
    before = review.store.events("test", "test.before")[0]
    assert before["round"] is None
    assert review.begin_round().number == 2
    assert review.end_round().ran == {}


def test_as_of_round_sees_records_and_studies_as_that_round_left_them(
        review: Review, tmp_path: Path) -> None:
    with review.round():
        review.import_file(ris(tmp_path / "a.ris", TRIAL, OTHER))
        review.dedupe()
    with review.round():
        review.import_file(ris(tmp_path / "b.ris", COPY))
        review.dedupe()
    now = review.grouping_counts()
    assert now == {"records": 3, "reports": 2, "studies": 2}
    assert review.grouping_counts(as_of_round=1) == {"records": 2, "reports": 2, "studies": 2}
    assert count_records_as_of(review.store, review.round_cutoff(1)) == 2
    assert count_records_as_of(review.store, review.round_cutoff(2)) == 3
    copy_id = 3
    study = review.study_of_record(copy_id)
    assert review.study_of_record(copy_id, as_of_round=1) is None
    assert review.records_of_study(study, as_of_round=1) == [1]
    assert review.records_of_study(study) == [1, 3]


def test_a_round_stopped_by_an_error_ends_saying_why(review: Review) -> None:
    with pytest.raises(ZeroDivisionError), review.round():
        1 / 0
    [ended] = review.store.events("round", "round.end")
    assert ended["detail"]["failure"] == "ZeroDivisionError: division by zero"
    assert review.begin_round().number == 2


def test_rounds_do_not_overlap_and_an_open_round_has_no_cutoff(review: Review) -> None:
    with pytest.raises(RoundError, match="no round is open"):
        review.end_round()
    review.begin_round()
    with pytest.raises(RoundError, match="round 1 .* is still open"):
        review.begin_round()
    with pytest.raises(RoundError, match="round 1 is still open"):
        review.round_cutoff(1)
    with pytest.raises(RoundError, match="round 4 does not exist; rounds so far: 1"):
        review.round_cutoff(4)


def test_a_round_opened_by_one_process_numbers_the_events_of_another(
        review: Review, tmp_path: Path) -> None:
    review.begin_round()
    with Store(review.directory / "review.db") as other:
        event = other.log("test", "test.elsewhere")
    assert event in events_of_round(review.store, 1)


def test_a_finished_round_cannot_be_rewritten(review: Review) -> None:
    with review.round():
        pass
    with pytest.raises(sqlite3.IntegrityError, match="finished round is history"), \
            review.store.transaction() as connection:
        connection.execute("UPDATE rounds SET ran = '{}' WHERE number = 1")


def test_judgements_as_of_a_round_are_those_standing_when_it_ended(
        review: Review, tmp_path: Path) -> None:
    from livingreview.store.ledger import SCREENING_UNIT, latest_judgements

    with review.round():
        review.import_file(ris(tmp_path / "a.ris", TRIAL, OTHER))
        review.screening.decide("title_abstract", 1, "ana", "include")
    with review.round():
        review.screening.decide("title_abstract", 1, "ana", "exclude")
        review.screening.decide("title_abstract", 2, "ana", "include")

    def standing(cutoff: int | None) -> dict[str, str]:
        return {j.item_id: j.value for j in latest_judgements(
            review.store, SCREENING_UNIT, "title_abstract", as_of_event=cutoff)}

    assert standing(review.round_cutoff(1)) == {"record:1": "include"}
    assert standing(review.round_cutoff(2)) == standing(None) == {"record:1": "exclude",
                                                                 "record:2": "include"}
    assert rounds(review.store)[1].ran == {"screen.decide": 2}


def test_only_rounds_that_changed_the_review_are_its_versions(review: Review, tmp_path: Path) -> None:
    with review.round():  # version 1: records, a decision
        review.import_file(ris(tmp_path / "a.ris", TRIAL, OTHER))
        review.dedupe()
        review.screening.decide("title_abstract", 1, "ana", "include")
    with review.round():  # the dated check of the sources: nothing new
        review.dedupe()
        review.import_file(tmp_path / "a.ris")
    review.screening.decide("title_abstract", 2, "ana", "exclude")  # between rounds
    with review.round():  # version 2: the decision made since version 1 ended
        review.dedupe()
    with review.round():  # a check whose source gave a copy of a record held: dedupe joins it
        review.import_file(ris(tmp_path / "b.ris", COPY))
        review.dedupe()
    review.begin_round()  # an open round that has changed nothing yet is no version
    versions = review_versions(review.store)
    assert [(v.number, v.round.number) for v in versions] == [(1, 1), (2, 3)]
    assert [r.number for r in rounds(review.store)] == [1, 2, 3, 4, 5]
    # a check belongs to the version before it: version 1 ends where round 2 ended
    assert versions[0].cutoff == review.round_cutoff(2) and versions[1].cutoff == review.round_cutoff(4)
    assert get_version(review.store, 2).round.number == 3
    with pytest.raises(RoundError, match="version 3 does not exist; versions so far: 1, 2"):
        get_version(review.store, 3)
    review.import_file(ris(tmp_path / "c.ris", ("A third trial of memantine", "Lee K", "10.1/x")))
    assert [v.round.number for v in review_versions(review.store)] == [1, 3, 5]  # ungrouped: new
    assert review_versions(review.store)[-1].cutoff is None  # its round is still open


def test_a_live_search_that_finds_only_what_the_review_holds_is_a_check_not_a_version(
        review: Review) -> None:
    from _http_server import EutilsSimulator, SourceServer
    from test_sources_search import articles, search, settings_for

    with SourceServer() as server:
        EutilsSimulator(articles(12)).install(server)
        for _ in range(2):
            with review.round():
                search(review, "pubmed", settings_for(server))
                review.dedupe()
    assert review.store.scalar("SELECT COUNT(*) FROM records") == 24  # the check's records are kept
    assert review.store.scalar("SELECT COUNT(*) FROM searches WHERE status = 'complete'") == 2
    (only,) = review_versions(review.store)
    assert only.round.number == 1 and only.cutoff == review.round_cutoff(2)
