"""The screening pages over HTTP against a real server: undo brings the record back, the random-sample
phase stores random draws, the stage code's refusals reach the page, the report is served from
its folder only."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from _web_review import PASSWORD, csrf_of, make_review, serving


@pytest.fixture
def server(tmp_path: Path):
    with serving(make_review(tmp_path / "review", hostile=False)) as (app, url):
        with httpx.Client(base_url=url, timeout=60, follow_redirects=True) as browser:
            token = csrf_of(browser.get("/login").text)
            browser.post("/login", data={"csrf": token, "name": "ana", "password": PASSWORD})
            yield app, browser


def shown_record(page: str) -> int:
    found = re.search(r'<article class="record" id="record" data-record="(\d+)">', page)
    assert found, "no record on the page"
    return int(found.group(1))


def post(browser: httpx.Client, path: str, page: str, **fields: str) -> str:
    data = {"csrf": csrf_of(page), "stage": "title_abstract", "sample": "ranked", "seed": "0", **fields}
    return browser.post(path, data=data).text


def test_undo_withdraws_the_last_decision_and_shows_its_record_again(server):
    app, browser = server
    page = browser.get("/screen").text
    first = shown_record(page)
    assert "title_abstract: 0 / 6 screened by ana, 6 to go" in page
    page = post(browser, "/screen/decide", page, record_id=str(first), label="include")
    assert shown_record(page) != first
    assert "title_abstract: 1 / 6 screened by ana, 5 to go" in page
    page = post(browser, "/screen/undo", page)
    assert "saved undo of decision" in page
    assert shown_record(page) == first
    assert "title_abstract: 0 / 6 screened by ana, 6 to go" in page
    state = app.state.review.screening.state("title_abstract")
    assert "ana" not in state.labels.get(first, {})


def test_the_random_sample_phase_stores_random_draws(server):
    app, browser = server
    page = browser.get("/screen?sample=random&seed=7").text
    assert 'id="random-phase"' in page
    record = shown_record(page)
    expected = app.state.review.screening.queue("title_abstract", "ana", seed=7, order="random")[0][0]
    assert record == expected
    post(browser, "/screen/decide", page, record_id=str(record), label="exclude", sample="random", seed="7")
    [decision] = app.state.review.screening.decisions("title_abstract")
    assert (decision.record_id, decision.drawn, decision.reviewer) == (record, "random", "ana")


def test_the_stage_codes_refusal_is_shown_and_nothing_is_stored(server):
    app, browser = server
    page = browser.get("/screen").text
    record = shown_record(page)
    page = post(browser, "/screen/decide", page, record_id=str(record), label="exclude", reason="C9")
    assert "exclusion reason &#39;C9&#39; is not a criterion of the protocol" in page
    assert shown_record(page) == record
    assert app.state.review.screening.decisions("title_abstract") == []


def test_the_report_is_linked_and_served_from_its_folder_only(server):
    app, browser = server
    assert "No report yet" in browser.get("/").text
    (app.state.review.report_dir / "index.html").write_text("<p>the report</p>", encoding="utf-8")
    assert 'href="/report/index.html"' in browser.get("/").text
    answer = browser.get("/report/index.html")
    assert answer.text == "<p>the report</p>"
    assert "script-src" not in answer.headers["content-security-policy"]
    assert browser.get("/report/%2E%2E/review.db").status_code == 404
    assert browser.get("/report/..%2Fprotocol.toml").status_code == 404


SENT_BY_THE_PAGE = {"X-Requested-With": "livingreview"}  # as static/app.js marks its requests


def test_a_decision_sent_by_the_page_answers_with_the_next_record_in_one_request(server):
    app, browser = server
    page = browser.get("/screen").text
    first = shown_record(page)
    answer = browser.post("/screen/decide", headers=SENT_BY_THE_PAGE, follow_redirects=False, data={
        "csrf": csrf_of(page), "stage": "title_abstract", "sample": "ranked", "seed": "0",
        "record_id": str(first), "label": "include"})
    assert answer.status_code == 200
    assert answer.headers["x-page-url"] == "/screen?stage=title_abstract&sample=ranked&seed=0"
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    [decision] = app.state.review.screening.decisions("title_abstract")
    assert (decision.record_id, decision.label, decision.reviewer) == (first, "include", "ana")
    assert f"saved decision {decision.id}: include, record {first}" in answer.text
    assert shown_record(answer.text) != first
    assert "title_abstract: 1 / 6 screened by ana, 5 to go" in answer.text


def test_a_plain_form_decision_still_redirects_to_the_screen(server):
    app, browser = server
    page = browser.get("/screen").text
    answer = browser.post("/screen/decide", follow_redirects=False, data={
        "csrf": csrf_of(page), "stage": "title_abstract", "sample": "ranked", "seed": "0",
        "record_id": str(shown_record(page)), "label": "exclude"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/screen?stage=title_abstract&sample=ranked&seed=0"
    assert "saved decision" not in answer.text
    assert len(app.state.review.screening.decisions("title_abstract")) == 1


def test_a_refusal_sent_by_the_page_shows_the_same_record_with_the_error(server):
    app, browser = server
    page = browser.get("/screen").text
    record = shown_record(page)
    answer = browser.post("/screen/decide", headers=SENT_BY_THE_PAGE, follow_redirects=False, data={
        "csrf": csrf_of(page), "stage": "title_abstract", "sample": "ranked", "seed": "0",
        "record_id": str(record), "label": "exclude", "reason": "C9"})
    assert answer.status_code == 422
    assert answer.headers["x-page-url"] == f"/screen?stage=title_abstract&sample=ranked&seed=0&record={record}"
    assert "exclusion reason &#39;C9&#39; is not a criterion of the protocol" in answer.text
    assert shown_record(answer.text) == record
    assert app.state.review.screening.decisions("title_abstract") == []


def test_an_undo_sent_by_the_page_shows_the_undone_record(server):
    app, browser = server
    page = post(browser, "/screen/decide", browser.get("/screen").text, record_id="1", label="include")
    answer = browser.post("/screen/undo", headers=SENT_BY_THE_PAGE, follow_redirects=False, data={
        "csrf": csrf_of(page), "stage": "title_abstract", "sample": "ranked", "seed": "0"})
    assert answer.status_code == 200
    assert answer.headers["x-page-url"] == "/screen?stage=title_abstract&sample=ranked&seed=0&record=1"
    assert "saved undo of decision" in answer.text and shown_record(answer.text) == 1
