"""The lead's pages of `livingreview serve`: extraction and risk-of-bias disagreements resolved
through the services the CLI's `--resolve` options use, the ROBINS-I page saving through
`appraisal.service.record_answers`, and the screening settings written into protocol.toml (checked
by the protocol loader, replaced whole, logged as `protocol.changed` with the lead's name).
Reviewers get 403 for every lead page and POST; every POST needs the session's CSRF token.
HTTP against a real server (Starlette's TestClient warns under this anyio, and warnings are errors)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from _web_review import D1_CONCERNS, LOW, PASSWORD, csrf_of, make_grouped_review, serving
from livingreview import Review
from livingreview.appraisal.service import appraisals, record_answers
from livingreview.extraction import verify
from livingreview.protocol import load_protocol
from livingreview.store import ledger
from livingreview.web.settings import with_screening

HOSTILE_VALUE = "<img src=x onerror=alert(1)> sertraline"
ROBINS_LOW = {f"D{n}": "Low" for n in range(1, 8)}


@pytest.fixture
def review_dir(tmp_path: Path) -> Path:
    return make_grouped_review(tmp_path / "review")


@pytest.fixture
def app(review_dir: Path) -> Iterator:
    with serving(review_dir) as (application, url):
        application.state.url = url
        application.state.clients = []
        yield application
        for opened in application.state.clients:
            opened.close()


def logged_in(app, name: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=app.state.url, timeout=60, follow_redirects=True)
    app.state.clients.append(client)
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"csrf": token, "name": name, "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client, csrf_of(client.get("/").text)


def first_study(app) -> int:
    found = sorted({r.study_id for r in app.state.review.store.records() if r.study_id is not None})
    assert found, "dedupe grouped no study"
    return found[0]


# --- extraction disagreements ----------------------------------------------------------------

def two_extractors_disagree(app) -> int:
    review = app.state.review
    study = first_study(app)
    for reviewer, comparator, blinding in (("ana", HOSTILE_VALUE, "double-blind"), ("ben", "placebo pill", "single-blind")):
        verify.correct(review.store, review.protocol, verify.FieldRef(study, "active_comparator"), reviewer, comparator)
        verify.correct(review.store, review.protocol, verify.FieldRef(study, "blinding"), reviewer, blinding)
    verify.correct(review.store, review.protocol, verify.FieldRef(study, "n_total"), "ana", "40")
    verify.correct(review.store, review.protocol, verify.FieldRef(study, "n_total"), "ben", "40")
    return study


def test_the_lead_sees_both_extractors_values_escaped_and_only_the_fields_in_conflict(app):
    study = two_extractors_disagree(app)
    lee, _ = logged_in(app, "lee")
    page = lee.get("/extract/conflicts").text
    article = page[page.index(f'data-study="{study}"'):]
    assert 'data-field="active_comparator"' in article and 'data-field="blinding"' in article
    assert 'data-field="n_total"' not in article  # both said 40: no conflict
    assert "<img src=x" not in page
    assert "ana: <strong>&lt;img src=x onerror=alert(1)&gt; sertraline</strong>" in page
    assert "ben: <strong>single-blind</strong>" in page
    assert "one of: open-label, single-blind, double-blind, triple-blind" in page
    agreement = page[page.index('<table id="agreement">'):]
    assert "<tr><td>n_total</td><td>ana and ben</td><td>1</td><td>100.0 %</td>" in agreement
    assert "<tr><td>blinding</td><td>ana and ben</td><td>1</td><td>0.0 %</td>" in agreement


def test_the_leads_choice_is_recorded_as_extract_resolve_records_it_and_settles_the_field(app):
    study = two_extractors_disagree(app)
    lee, token = logged_in(app, "lee")
    answer = lee.post("/extract/resolve", data={"csrf": token, "study": str(study), "label": "blinding",
                                               "value": "double-blind", "reason": "methods section"})
    assert answer.status_code == 200 and "saved resolution" in answer.text
    assert 'data-field="blinding"' not in answer.text and 'data-field="active_comparator"' in answer.text
    store = app.state.review.store
    assert verify.verified(store)[study][verify.FieldRef(study, "blinding")] == "double-blind"
    [resolution] = [e for e in verify.current_extractions(store) if e.is_resolution]
    assert (resolution.reviewer, resolution.action) == ("lee", "resolve")
    assert [e["actor"] for e in store.events("extract", "extract.resolve")] == ["lee"]


def test_a_typed_resolution_is_checked_as_the_cli_checks_it(app):
    study = two_extractors_disagree(app)
    lee, token = logged_in(app, "lee")
    answer = lee.post("/extract/resolve", data={"csrf": token, "study": str(study), "label": "blinding",
                                               "value": "blindish"})
    assert "&#39;blindish&#39; is not one of" in answer.text
    assert not [e for e in verify.current_extractions(app.state.review.store) if e.is_resolution]


def test_the_leads_dashboard_counts_the_disagreements_awaiting_resolution(app):
    two_extractors_disagree(app)
    two_appraisers_disagree(app)
    lee, _ = logged_in(app, "lee")
    assert ('<a href="/extract/conflicts">extraction: 2 fields</a> ·\n<a href="/appraise/conflicts">risk of bias: '
            '1 domains</a>') in lee.get("/").text
    ana, _ = logged_in(app, "ana")
    assert 'id="disagreements"' not in ana.get("/").text


def test_a_reviewer_cannot_read_or_resolve_extraction_disagreements(app):
    study = two_extractors_disagree(app)
    ana, token = logged_in(app, "ana")
    assert ana.get("/extract/conflicts").status_code == 403
    answer = ana.post("/extract/resolve", data={"csrf": token, "study": str(study), "label": "blinding",
                                               "value": "double-blind"})
    assert answer.status_code == 403
    lee, _ = logged_in(app, "lee")
    forged = lee.post("/extract/resolve", data={"csrf": "forged", "study": str(study), "label": "blinding",
                                               "value": "double-blind"})
    assert forged.status_code == 403
    assert not [e for e in verify.current_extractions(app.state.review.store) if e.is_resolution]


# --- risk-of-bias disagreements ---------------------------------------------------------------

def two_appraisers_disagree(app) -> str:
    review = app.state.review
    study = str(first_study(app))
    index = review.study_index()
    record_answers(review.store, index, study, "ana", LOW, tool="rob2", source="test")
    record_answers(review.store, index, study, "ben", D1_CONCERNS, tool="rob2", source="test")
    return study


def test_the_lead_sees_each_appraisers_answers_and_judgement_of_the_domain_in_conflict(app):
    study = two_appraisers_disagree(app)
    lee, _ = logged_in(app, "lee")
    page = lee.get("/appraise/conflicts").text
    assert page.count('<article class="conflict"') == 1  # D1 only: the other domains agree
    assert f'data-study="{study}" data-domain="D1"' in page
    row = re.search(r'<tr class="differs"><td>1\.2 [^<]*</td><td>([^<]*)</td><td>([^<]*)</td></tr>', page)
    assert row and row.groups() == ("Y", "NI")  # ana's, then ben's answer
    assert page.count('<tr class="differs">') == 1
    assert '<th class="judgement">Low</th><th class="judgement">Some concerns</th>' in page
    agreement = page[page.index('<table id="agreement">'):]
    assert "<tr><td>rob2</td><td>D1</td><td>ana and ben</td><td>1</td><td>0.0 %</td>" in agreement
    assert "<tr><td>rob2</td><td>D2</td><td>ana and ben</td><td>1</td><td>100.0 %</td>" in agreement
    link = re.search(r'<a href="(/appraise/rob2\?study=\d+&amp;reviewer=ben)">ben</a>', page)
    assert link, "the lead cannot open ben's answers from the page"
    bens = lee.get(link.group(1).replace("&amp;", "&")).text
    assert 'id="whose">ben\'s saved answers' in bens
    assert re.search(r'name="q:D1:1\.2"[^>]*>.*?<option selected>NI</option>', bens, re.S)


def test_the_leads_judgement_needs_a_reason_and_is_recorded_as_appraise_resolve_records_it(app):
    study = two_appraisers_disagree(app)
    lee, token = logged_in(app, "lee")
    data = {"csrf": token, "study": study, "tool": "rob2", "domain": "D1", "judgement": "Some concerns"}
    refused = lee.post("/appraise/resolve", data={**data, "reason": " "})
    assert "a resolution needs a reason" in refused.text
    assert not ledger.latest_judgements(app.state.review.store, "rob_domain", "appraisal", reviewer="lee")
    answer = lee.post("/appraise/resolve", data={**data, "reason": "allocation concealment not reported"})
    assert "saved resolution" in answer.text and 'id="no-conflicts"' in answer.text
    [appraisal] = appraisals(app.state.review.store)
    d1 = next(d for d in appraisal.domains if d.domain == "D1")
    assert (d1.status, d1.final, d1.resolution) == ("resolved", "Some concerns", {
        "lead": "lee", "reason": "allocation concealment not reported"})
    assert appraisal.overall == "Some concerns"


def test_a_reviewer_cannot_read_or_resolve_appraisal_disagreements(app):
    study = two_appraisers_disagree(app)
    ben, token = logged_in(app, "ben")
    assert ben.get("/appraise/conflicts").status_code == 403
    answer = ben.post("/appraise/resolve", data={"csrf": token, "study": study, "tool": "rob2", "domain": "D1",
                                                "judgement": "Low", "reason": "mine"})
    assert answer.status_code == 403
    lee, _ = logged_in(app, "lee")
    assert lee.post("/appraise/resolve", data={"study": study, "tool": "rob2", "domain": "D1",
                                               "judgement": "Low", "reason": "x"}).status_code == 403
    assert ledger.conflicts(app.state.review.store, "rob_domain", "appraisal")


def test_a_robins_i_domain_judged_differently_is_shown_and_resolved_like_a_rob2_one(app):
    review = app.state.review
    study = str(first_study(app))
    for reviewer, missing in (("ana", "Low"), ("ben", "Serious")):
        record_answers(review.store, review.study_index(), study, reviewer, {}, tool="robins-i", aim=None,
                       direct={**ROBINS_LOW, "D5": missing}, source="test")
    lee, token = logged_in(app, "lee")
    page = lee.get("/appraise/conflicts").text
    assert page.count('<article class="conflict"') == 1 and 'data-domain="D5"' in page
    assert '<th class="judgement">Low</th><th class="judgement">Serious</th>' in page
    bens = lee.get(f"/appraise/robins-i?study={study}&reviewer=ben").text
    assert f'href="/appraise/robins-i?study={study}&amp;reviewer=ben"' in page and "ben's saved judgements" in bens
    answer = lee.post("/appraise/resolve", data={"csrf": token, "study": study, "tool": "robins-i", "domain": "D5",
                                                "judgement": "Moderate", "reason": "attrition 12%, balanced"})
    assert "saved resolution" in answer.text
    [appraisal] = appraisals(review.store)
    assert appraisal.overall == "Moderate"


# --- ROBINS-I ----------------------------------------------------------------------------------

def test_the_robins_i_overall_judgement_follows_the_domain_judgements_as_they_are_given(app):
    ana, _ = logged_in(app, "ana")
    waiting = ana.get("/appraise/robins-i", params={"d:D1": "Moderate"}).text
    assert "domain D2: needs a judgement" in waiting
    serious = ana.get("/appraise/robins-i", params={f"d:{d}": j for d, j in {**ROBINS_LOW, "D5": "Serious"}.items()})
    assert 'id="overall">Overall: <strong>Serious</strong>' in serious.text
    low = ana.get("/appraise/robins-i", params={f"d:{d}": j for d, j in ROBINS_LOW.items()})
    assert 'id="overall">Overall: <strong>Low</strong>' in low.text


def test_robins_i_judgements_are_saved_through_record_answers_and_shown_again(app):
    ana, token = logged_in(app, "ana")
    study = str(first_study(app))
    given = {f"d:{d}": j for d, j in {**ROBINS_LOW, "D1": "Moderate"}.items()}
    answer = ana.post("/appraise/robins-i/save", data={"csrf": token, "study": study, **given})
    assert "saved ROBINS-I judgements" in answer.text and "overall Moderate; 7 judgements recorded" in answer.text
    current = {j.item_id: j.value for j in ledger.latest_judgements(app.state.review.store, "rob_domain",
                                                                      "appraisal", reviewer="ana")}
    assert current[f"study:{study}/tool:robins-i/domain:D1"] == '{"aim": null, "judgement": "Moderate"}'
    assert len(current) == 7
    reopened = ana.get(f"/appraise/robins-i?study={study}").text
    assert "Your saved judgements for this study." in reopened
    assert re.search(r'name="d:D1">.*?<option selected>Moderate</option>', reopened, re.S)
    ben, _ = logged_in(app, "ben")
    assert "Not saved yet" in ben.get(f"/appraise/robins-i?study={study}").text
    assert ben.get(f"/appraise/robins-i?study={study}&reviewer=ana").status_code == 403


def test_incomplete_robins_i_judgements_are_refused_and_nothing_is_stored(app):
    ana, token = logged_in(app, "ana")
    study = str(first_study(app))
    partial = {f"d:{d}": j for d, j in ROBINS_LOW.items() if d != "D6"}
    answer = ana.post("/appraise/robins-i/save", data={"csrf": token, "study": study, **partial})
    assert "domain D6: needs a judgement" in answer.text
    assert ana.post("/appraise/robins-i/save", data={"study": study, **partial}).status_code == 403
    assert not ledger.latest_judgements(app.state.review.store, "rob_domain", "appraisal")


# --- screening settings -------------------------------------------------------------------------

SETTINGS = {"preset": "tfidf", "target_recall": "0.9", "confidence": "0.8"}


def test_the_lead_saves_screening_settings_into_protocol_toml_with_a_logged_change(app, review_dir: Path):
    path = review_dir / "protocol.toml"
    before = path.read_text(encoding="utf-8")
    lee, token = logged_in(app, "lee")
    page = lee.get("/settings/screening").text
    assert "<option selected>default</option>" in page and 'name="target_recall" value="0.95"' in page
    answer = lee.post("/settings/screening", data={"csrf": token, **SETTINGS})
    assert "saved protocol.toml [screening]: preset default → tfidf; target_recall 0.95 → 0.9" in answer.text
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # the rest of the file, comments included, untouched
    assert after.endswith('[screening]\npreset = "tfidf"\ntarget_recall = 0.9\nconfidence = 0.8\n')
    settings = load_protocol(path).screening
    assert (settings.preset, settings.target_recall, settings.confidence) == ("tfidf", 0.9, 0.8)
    assert app.state.review.screening.protocol.screening == settings  # the running server uses them
    [event] = [e for e in app.state.review.store.events("protocol", "protocol.changed") if e["actor"] == "lee"]
    assert event["detail"]["changes"]["screening"] == {"preset": ["default", "tfidf"],
                                                      "target_recall": [0.95, 0.9], "confidence": [0.95, 0.8]}
    logged = len(app.state.review.store.events("protocol", "protocol.changed"))
    with Review(review_dir) as reopened:  # a command sees the version already logged
        assert len(reopened.store.events("protocol", "protocol.changed")) == logged


@pytest.mark.parametrize(("field", "value", "message"), [
    ("target_recall", "1.5", "screening.target_recall: Input should be less than or equal to 1"),
    ("confidence", "high", "expected a number such as 0.95, got &#39;high&#39;"),
    ("preset", "fastest", "no ranking preset named &#39;fastest&#39;; valid names: default, elas-u4"),
])
def test_a_setting_the_protocol_loader_refuses_is_refused_and_the_file_is_left_alone(app, review_dir: Path,
                                                                                     field, value, message):
    path = review_dir / "protocol.toml"
    before = path.read_bytes()
    lee, token = logged_in(app, "lee")
    answer = lee.post("/settings/screening", data={"csrf": token, **SETTINGS, field: value})
    assert message in answer.text
    assert path.read_bytes() == before
    assert not [e for e in app.state.review.store.events("protocol", "protocol.changed") if e["actor"] == "lee"]


def test_a_reviewer_cannot_read_or_change_the_screening_settings(app, review_dir: Path):
    before = (review_dir / "protocol.toml").read_bytes()
    ana, token = logged_in(app, "ana")
    assert ana.get("/settings/screening").status_code == 403
    assert ana.post("/settings/screening", data={"csrf": token, **SETTINGS}).status_code == 403
    lee, _ = logged_in(app, "lee")
    assert lee.post("/settings/screening", data=SETTINGS).status_code == 403  # no CSRF token
    assert (review_dir / "protocol.toml").read_bytes() == before


def test_settings_replace_their_keys_in_an_existing_screening_table_and_keep_its_comments():
    text = ('[review]\nid = "x"\n\n[screening]\n# chosen at the protocol meeting\npreset = "default"\n\n'
            '[[criteria]]\nid = "C1"\n')
    edited = with_screening(text, {"preset": "tfidf", "target_recall": 0.9})
    assert edited == ('[review]\nid = "x"\n\n[screening]\n# chosen at the protocol meeting\npreset = "tfidf"\n'
                      'target_recall = 0.9\n\n[[criteria]]\nid = "C1"\n')

def test_the_saved_preset_is_the_one_the_queue_ranks_with(review_dir: Path):
    from livingreview.web.settings import save_settings

    with Review(review_dir) as review:
        screening = review.screening
        units = screening.pending("title_abstract", "ana")
        screening.decide("title_abstract", units[0], "ana", "include")
        screening.decide("title_abstract", units[1], "ana", "exclude")
        by_default = screening.queue("title_abstract", "ana")
        save_settings(review, "lee", {"preset": "tfidf", "target_recall": "0.95", "confidence": "0.95"})
        by_tfidf = screening.queue("title_abstract", "ana")
    assert {u for u, _ in by_default} == {u for u, _ in by_tfidf} == set(units[2:])
    assert [score for _, score in by_default] != [score for _, score in by_tfidf]


def test_with_one_reviewer_per_record_a_screened_record_leaves_the_other_reviewers_queue(review_dir: Path):
    from livingreview.web.settings import save_settings

    with Review(review_dir) as review:
        screening = review.screening
        first, second = screening.pending("title_abstract", "ana")[:2]
        screening.decide("title_abstract", first, "ana", "include")
        assert first in screening.pending("title_abstract", "ben")  # by default every reviewer screens it
        save_settings(review, "lee", {"preset": "default", "target_recall": "0.95", "confidence": "0.95",
                                      "reviewers_per_record": "1"})
        assert first not in screening.pending("title_abstract", "ben")
        assert not screening.still_pending("title_abstract", "ben", first)
        assert [u for u, _ in screening.queue("title_abstract", "ben")].count(first) == 0
        screening.undo("title_abstract", "ana")
        assert first in screening.pending("title_abstract", "ben")  # nobody's label on it any more
        assert second in screening.pending("title_abstract", "ben")
    assert "reviewers_per_record = 1\n" in (review_dir / "protocol.toml").read_text(encoding="utf-8")


def test_reviewers_per_record_left_empty_removes_its_key_from_the_screening_table():
    text = '[screening]\npreset = "default"\nreviewers_per_record = 2\n\n[[criteria]]\nid = "C1"\n'
    assert with_screening(text, {"preset": "tfidf", "reviewers_per_record": None}) == (
        '[screening]\npreset = "tfidf"\n\n[[criteria]]\nid = "C1"\n')


def test_a_reviewers_per_record_that_is_not_a_whole_number_is_refused(app, review_dir: Path):
    before = (review_dir / "protocol.toml").read_bytes()
    lee, token = logged_in(app, "lee")
    answer = lee.post("/settings/screening", data={"csrf": token, **SETTINGS, "reviewers_per_record": "two"})
    assert "expected a whole number of reviewers, or nothing for every reviewer, got &#39;two&#39;" in answer.text
    zero = lee.post("/settings/screening", data={"csrf": token, **SETTINGS, "reviewers_per_record": "0"})
    assert "screening.reviewers_per_record: Input should be greater than or equal to 1" in zero.text
    assert (review_dir / "protocol.toml").read_bytes() == before


def test_a_protocol_with_windows_line_ends_keeps_them():
    text = '[review]\r\nid = "x"\r\n'
    assert with_screening(text, {"preset": "tfidf"}) == '[review]\r\nid = "x"\r\n\r\n[screening]\r\npreset = "tfidf"\r\n'
