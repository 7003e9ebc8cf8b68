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
