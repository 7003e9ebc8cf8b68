"""The screening page is served from each reviewer's latest ranking while the next one is computed
in the ranking worker: the next record comes while a ranking is running, a decision made meanwhile
is stored and its record is not shown to that reviewer again, an undo the ranking left out brings
the record back, and one reviewer's decisions leave another's queue as it was."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from _web_review import PASSWORD, csrf_of, make_review, serving

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pauses the worker with SIGSTOP")
RECORDS = 12


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[object, str]]:
    with serving(make_review(tmp_path / "review", records=RECORDS, hostile=False)) as (app, url):
        app.state.queues.rerank_after = 1  # every decision makes the reviewer's ranking due
        yield app, url


@contextmanager
def logged_in(url: str, name: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=60, follow_redirects=True) as browser:
        browser.post("/login", data={"csrf": csrf_of(browser.get("/login").text), "name": name,
                                     "password": PASSWORD})
        yield browser


def shown_record(page: str) -> int | None:
    found = re.search(r'name="record_id" value="(\d+)"', page)
    return int(found.group(1)) if found else None


def decide(browser: httpx.Client, page: str, label: str = "exclude") -> str:
    record = shown_record(page)
    assert record is not None, "no record on the page"
    answer = browser.post("/screen/decide", data={"csrf": csrf_of(page), "record_id": str(record),
                                                  "label": label, "stage": "title_abstract", "sample": "ranked"})
    assert f"record {record}" in answer.text and "saved decision" in answer.text, answer.text
    return answer.text


def wait_for_rankings(app, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while app.state.queues.rankings_computed < count:
        assert time.monotonic() < deadline, "the ranking worker computed no new ranking"
        time.sleep(0.05)


def stored_labels(app, reviewer: str) -> set[int]:
    state = app.state.review.screening.state("title_abstract")
    return {unit for unit, by in state.labels.items() if reviewer in by}


def test_decisions_made_while_a_ranking_runs_are_answered_stored_and_not_shown_again(server):
    app, url = server
    with logged_in(url, "ana") as ana:
        page = ana.get("/screen").text
        worker = app.state.queues.ranker_pid
        assert worker is not None
        computed = app.state.queues.rankings_computed
        os.kill(worker, signal.SIGSTOP)  # the next ranking, due at the first decision, cannot finish
        try:
            decided = []
            for label in ("include", "exclude", "exclude", "include"):
                decided.append(shown_record(page))
                started = time.perf_counter()
                page = decide(ana, page, label)
                assert time.perf_counter() - started < 10, "the next record waited for the ranking"
            assert app.state.queues.rankings_computed == computed  # still running
            assert stored_labels(app, "ana") == set(decided)
            assert shown_record(page) not in decided
        finally:
            os.kill(worker, signal.SIGCONT)
        wait_for_rankings(app, computed + 1)
        seen = set(decided)
        while (record := shown_record(page)) is not None:
            assert record not in seen, f"record {record} was shown again after ana decided it"
            seen.add(record)
            page = decide(ana, page)
        assert len(seen) == RECORDS and stored_labels(app, "ana") == seen


def test_an_undo_of_a_decision_the_ranking_left_out_shows_the_record_again(server):
    app, url = server
    with logged_in(url, "ana") as ana:
        page = ana.get("/screen").text
        first = shown_record(page)
        computed = app.state.queues.rankings_computed
        page = decide(ana, page, "include")
        wait_for_rankings(app, computed + 1)  # a ranking computed after the decision: first is not in it
        page = ana.post("/screen/undo", data={"csrf": csrf_of(page), "stage": "title_abstract",
                                              "sample": "ranked"}).text
        assert "saved undo of decision" in page
        assert shown_record(page) == first
        assert first not in stored_labels(app, "ana")


def test_one_reviewers_decisions_leave_anothers_queue_as_it_was(server):
    app, url = server
    with logged_in(url, "ana") as ana, logged_in(url, "ben") as ben:
        ben_first = shown_record(ben.get("/screen").text)
        page = ana.get("/screen").text
        assert shown_record(page) == ben_first  # no labels yet: both queues follow the criteria
        computed = app.state.queues.rankings_computed
        for _ in range(3):
            page = decide(ana, page)
        wait_for_rankings(app, computed + 1)
        assert shown_record(ben.get("/screen").text) == ben_first
        assert stored_labels(app, "ben") == set()


def test_a_record_settled_since_the_ranking_is_not_shown(server):
    app, url = server
    with logged_in(url, "ana") as ana:
        first = shown_record(ana.get("/screen").text)
        app.state.review.screening.resolve("title_abstract", first, "exclude", "lee")  # as the CLI would
        assert shown_record(ana.get("/screen").text) != first
