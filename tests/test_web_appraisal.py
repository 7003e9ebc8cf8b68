"""The RoB 2 page saves: a reviewer's answers go through `appraisal.service.record_answers` as that
reviewer, are acknowledged only once stored, come back when the study is reopened, and are shown to
no one else (to a lead only once two appraisers' judgements conflict). HTTP against a real server."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from _web_review import D1_CONCERNS, LOW, PASSWORD, csrf_of, make_grouped_review, serving
from livingreview.appraisal.forms import load_form
from livingreview.store import ledger

@pytest.fixture
def app(tmp_path: Path):
    with serving(make_grouped_review(tmp_path / "review")) as (application, url):
        application.state.url = url
        application.state.clients = []
        yield application
        for opened in application.state.clients:
            opened.close()


def logged_in(app, name: str) -> tuple[httpx.Client, str]:
    browser = httpx.Client(base_url=app.state.url, timeout=60)
    app.state.clients.append(browser)
    token = csrf_of(browser.get("/login").text)
    answer = browser.post("/login", data={"csrf": token, "name": name, "password": PASSWORD},
                          follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return browser, csrf_of(browser.get("/").text)


def fields(answers: dict[str, str]) -> dict[str, str]:
    owner = {q.id: d.id for d in load_form("rob2").domains_for("assignment") for q in d.questions}
    return {f"q:{owner[question]}:{question}": answer for question, answer in answers.items()}


def first_study(browser: httpx.Client) -> str:
    found = re.search(r'<option value="(\d+)"', browser.get("/appraise/rob2").text)
    assert found, "the page lists no study"
    return found.group(1)


def save(browser: httpx.Client, token: str | None, study: str, answers: dict[str, str]) -> httpx.Response:
    data = {"study": study, "aim": "assignment", **fields(answers)}
    if token is not None:
        data["csrf"] = token
    return browser.post("/appraise/rob2/save", data=data, follow_redirects=True)


def chosen(page: str, question: str) -> str | None:
    """The answer the page's select for `question` ("D1:1.2") shows as chosen."""
    select = re.search(rf'name="q:{question}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"the page has no question {question}"
    answer = re.search(r"<option selected>([^<]+)</option>", select.group(1))
    return answer.group(1) if answer else None


def stored(app, reviewer: str) -> dict[str, str]:
    """Item id → value of `reviewer`'s current RoB 2 judgements in the review's ledger."""
    store = app.state.review.store
    return {j.item_id: j.value for kind in ("rob_question", "rob_domain")
            for j in ledger.latest_judgements(store, kind, "appraisal", reviewer=reviewer)}


def test_saved_answers_are_in_the_ledger_acknowledged_and_shown_again(app):
    ana, token = logged_in(app, "ana")
    study = first_study(ana)
    page = save(ana, token, study, D1_CONCERNS)
    assert page.status_code == 200 and "saved RoB 2 answers" in page.text
    assert "overall Some concerns; 27 judgements recorded, 0 unchanged" in page.text
    judged = stored(app, "ana")
    assert judged[f"study:{study}/tool:rob2/domain:D1"] == '{"aim": "assignment", "judgement": "Some concerns"}'
    assert judged[f"study:{study}/tool:rob2/question:1.2"] == '{"aim": "assignment", "answer": "NI"}'
    assert len(judged) == 27
    reopened = ana.get(f"/appraise/rob2?study={study}").text
    assert "Your saved answers for this study." in reopened
    assert chosen(reopened, "D1:1.2") == "NI" and chosen(reopened, "D5:5.1") == "Y"
    again = save(ana, token, study, D1_CONCERNS)
    assert "0 judgements recorded, 27 unchanged" in again.text


def test_a_save_without_the_csrf_token_is_refused_and_nothing_is_stored(app):
    ana, token = logged_in(app, "ana")
    study = first_study(ana)
    assert save(ana, None, study, LOW).status_code == 403
    assert save(ana, "forged", study, LOW).status_code == 403
    assert stored(app, "ana") == {}


def test_incomplete_answers_are_refused_with_the_question_named_and_nothing_is_stored(app):
    ana, token = logged_in(app, "ana")
    study = first_study(ana)
    page = save(ana, token, study, {q: a for q, a in LOW.items() if q != "5.1"})
    assert f"study &#39;{study}&#39;, domain D5, question 5.1: needs an answer" in page.text
    assert stored(app, "ana") == {}


def test_another_reviewer_cannot_read_the_answers_and_a_lead_only_once_they_conflict(app):
    ana, ana_token = logged_in(app, "ana")
    ben, ben_token = logged_in(app, "ben")
    lee, _ = logged_in(app, "lee")
    study = first_study(ana)
    save(ana, ana_token, study, LOW)
    bens_view = ben.get(f"/appraise/rob2?study={study}").text
    assert "Not saved yet" in bens_view and chosen(bens_view, "D1:1.1") is None
    assert ben.get(f"/appraise/rob2?study={study}&reviewer=ana").status_code == 403
    assert lee.get(f"/appraise/rob2?study={study}&reviewer=ana").status_code == 403  # no conflict yet
    save(ben, ben_token, study, D1_CONCERNS)
    assert ben.get(f"/appraise/rob2?study={study}&reviewer=ana").status_code == 403  # still not a lead
    leads_view = lee.get(f"/appraise/rob2?study={study}&reviewer=ana")
    assert leads_view.status_code == 200 and 'id="whose">ana\'s saved answers' in leads_view.text
    assert chosen(leads_view.text, "D1:1.2") == "Y"
