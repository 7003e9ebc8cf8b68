"""The screening flow in Debian's chromium driven by Playwright, against a real `serve`: two reviewers
screen the same record blind to each other with the keyboard, their conflict appears for the lead,
who resolves it; a title holding script is shown as text and runs nothing.

Skips without chromium or playwright, except under LIVINGREVIEW_REQUIRE_BROWSER=1. Screenshots go
to LIVINGREVIEW_SCREENSHOT_DIR when it is set, for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from _web_review import PASSWORD, make_review, serving
from test_report_browser import CHROMIUM_FLAGS, SCREENSHOT_DIR_VARIABLE, _chromium


def log_in(browser, url: str, name: str, problems: list[str]):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: problems.append(f"{name} console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"{name} page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"{name} dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: problems.append(f"{name} outside request: {r.url}")
            if not r.url.startswith(url) else None)
    page.goto(url + "/")
    assert page.url.endswith("/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")
    return context, page


def keep(screenshots: Path, name: str) -> None:
    folder = os.environ.get(SCREENSHOT_DIR_VARIABLE)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(screenshots / name, Path(folder) / name)


@pytest.mark.slow
def test_two_reviewers_screen_blind_and_the_lead_resolves_their_conflict_in_chromium(tmp_path: Path):
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    directory = make_review(tmp_path / "review")
    problems: list[str] = []
    with serving(directory) as (app, url), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            ana_context, ana = log_in(browser, url, "ana", problems)
            ben_context, ben = log_in(browser, url, "ben", problems)

            # the hostile title: shown as text, nothing runs
            ana.goto(url + "/screen?record=1")
            hostile_title = ana.locator("#record-title").inner_text()
            ana.screenshot(path=str(tmp_path / "screen-hostile.png"), full_page=True)

            ana.goto(url + "/screen?record=2")
            ana.screenshot(path=str(tmp_path / "serve-screening.png"), full_page=True)
            ana_navigations: list[str] = []
            ana.on("request", lambda r: ana_navigations.append(f"{r.method} {r.url[len(url):]}")
                   if r.is_navigation_request() else None)
            ana.keyboard.press("i")
            ana.wait_for_selector(".flash")
            ana_saved = ana.locator(".flash").inner_text()
            ana_next = ana.locator("#record").get_attribute("data-record")
            ana_url_after_decision = ana.url[len(url):]
            ana.screenshot(path=str(tmp_path / "screen-after-keypress.png"), full_page=True)
            ana.reload()  # a GET of the screen: the decision is not posted again
            ana_reloaded = (ana.locator(".flash").count(), ana.locator("#record").get_attribute("data-record"))
            ana_decisions = [d.record_id for d in app.state.review.screening.decisions("title_abstract")
                             if d.reviewer == "ana"]

            ben.goto(url + "/screen?record=2")
            ben_before = ben.content()
            ben.keyboard.press("e")
            ben.wait_for_selector("#reasons.asking")
            ben.keyboard.press("1")
            ben.wait_for_selector(".flash")
            ben_saved = ben.locator(".flash").inner_text()
            ben.goto(url + "/decisions")
            ben_decisions = ben.locator("#decisions").inner_text()
            ben_conflicts = ben.goto(url + "/conflicts")
            assert ben_conflicts is not None
            ben_conflicts_status = (ben_conflicts.status, ben.locator("body").inner_text())

            lee_context, lee = log_in(browser, url, "lee", problems)
            lee.goto(url + "/conflicts")
            conflict = lee.locator('article.conflict[data-record="2"]')
            conflict_text = conflict.inner_text()
            lee.screenshot(path=str(tmp_path / "conflicts.png"), full_page=True)
            conflict.locator("button[value=include]").click()
            lee.wait_for_selector(".flash")
            lee_saved = lee.locator(".flash").inner_text()
            remaining = lee.locator("#no-conflicts").count()
            lee.goto(url + "/")
            lee.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
            dashboard = lee.locator("#stages").inner_text()
            for context in (ana_context, ben_context, lee_context):
                context.close()
        finally:
            browser.close()
        state = app.state.review.screening.state("title_abstract")

    # the one failed load is ben's refused visit to the conflicts page
    assert problems == ["ben console: Failed to load resource: the server responded with a status of 403 (Forbidden)"]
    assert hostile_title.startswith("<script>alert('x')</script><img src=x onerror=alert(1)>")
    assert ana_saved.startswith("saved decision") and "include, record 2" in ana_saved
    assert ana_next != "2"
    # the keypress was one fetch, not a navigation; the page's address became the screen's GET address
    assert ana_url_after_decision == "/screen?stage=title_abstract&sample=ranked&seed=0"
    assert ana_navigations == ["GET /screen?stage=title_abstract&sample=ranked&seed=0"]  # the reload only
    assert ana_reloaded[0] == 0 and ana_reloaded[1] != "2"  # no second "saved decision", record 2 is done
    assert ana_decisions == [2]
    assert "ana" not in ben_before  # ben's page tells nothing of ana's label
    assert "exclude (C1), record 2" in ben_saved
    assert "conflict: ana include" in ben_decisions  # revealed once the conflict is opened
    assert ben_conflicts_status[0] == 403 and "only a lead" in ben_conflicts_status[1]
    assert "ana: include" in conflict_text and "ben: exclude (C1)" in conflict_text
    assert "saved resolution" in lee_saved and remaining == 1
    assert "title_abstract" in dashboard
    assert (state.resolutions[2].reviewer, state.resolutions[2].label) == ("lee", "include")
    assert {name: d.label for name, d in state.labels[2].items()} == {"ana": "include", "ben": "exclude"}
    for name in ("screen-hostile.png", "serve-screening.png", "screen-after-keypress.png", "conflicts.png",
                 "dashboard.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
        keep(tmp_path, name)


@pytest.mark.slow
def test_the_rob2_domain_judgement_follows_the_answers_in_chromium(tmp_path: Path):
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    directory = make_review(tmp_path / "review", hostile=False)
    problems: list[str] = []
    with serving(directory) as (_app, url), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            context, page = log_in(browser, url, "ana", problems)
            page.goto(url + "/appraise/rob2")
            before = page.locator("#domain-D1 legend").inner_text()
            # RoB 2 domain 1: allocation random and concealed, no baseline imbalance → Low
            for question, answer in (("1.1", "Y"), ("1.2", "PY"), ("1.3", "N")):
                with page.expect_navigation():
                    page.select_option(f'select[name="q:D1:{question}"]', answer)
            low = page.locator("#domain-D1 legend").inner_text()
            page.screenshot(path=str(tmp_path / "rob2.png"), full_page=True)
            # allocation not concealed → High, and so overall High whatever else follows
            with page.expect_navigation():
                page.select_option('select[name="q:D1:1.2"]', "N")
            high = page.locator("#domain-D1 legend").inner_text()
            overall = page.locator("#overall").inner_text()
            context.close()
        finally:
            browser.close()
    assert problems == []
    assert before.endswith("waiting")
    assert low.endswith("Low") and high.endswith("High")
    assert overall == "Overall: every domain needs its answers"
    keep(tmp_path, "rob2.png")


def included_study_with_suggestions(directory: Path) -> int:
    """make_review's record 2 grouped, included, with the rules' blinding suggestion and its evidence."""
    from livingreview import Review
    from livingreview.store.extractions import SuggestionRow, add_suggestions

    with Review(directory) as review:
        review.dedupe()
        record = review.screening.records([2])[0]
        study = record.study_id
        assert study is not None
        review.screening.decide("title_abstract", 2, "lee", "include")
        start = (record.abstract or "").index("Randomized controlled trial")
        evidence = {"record_id": 2, "field": "abstract", "start": start, "end": start + 27,
                    "text": "Randomized controlled trial"}
        add_suggestions(review.store, [SuggestionRow(study, "blinding", {
            "value": "double-blind", "evidence": [evidence], "flags": []}, 1, "rules/test")])
    return study


@pytest.mark.slow
def test_a_suggested_extraction_is_accepted_then_corrected_in_chromium(tmp_path: Path):
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    from livingreview import Review
    from livingreview.extraction import verify

    directory = make_review(tmp_path / "review", hostile=False)
    study = included_study_with_suggestions(directory)
    problems: list[str] = []
    with serving(directory) as (_app, url), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            context, page = log_in(browser, url, "ana", problems)
            page.goto(url + "/extract")
            marked = page.locator("#study mark").all_inner_texts()
            row = page.locator('tr[data-field="blinding"]')
            with page.expect_navigation():
                row.locator("button[value=accept]").click()
            accepted = page.locator('tr[data-field="blinding"] td.mine').inner_text()
            page.locator('tr[data-field="blinding"] input[name=value]').fill("single-blind")
            with page.expect_navigation():
                page.locator('tr[data-field="blinding"] button[value=correct]').click()
            corrected = page.locator('tr[data-field="blinding"] td.mine').inner_text()
            page.locator('tr[data-field="blinding"] input[name=value]').fill("blindish")
            with page.expect_navigation():
                page.locator('tr[data-field="blinding"] button[value=correct]').click()
            refused = page.locator(".error").inner_text()
            page.screenshot(path=str(tmp_path / "extract.png"), full_page=True)
            context.close()
        finally:
            browser.close()
    assert problems == []
    assert marked == ["Randomized controlled trial"]
    assert accepted == "double-blind (accept)" and corrected == "single-blind (correct)"
    assert "'blindish' is not one of" in refused
    with Review(directory) as review:
        [current] = verify.current_extractions(review.store, "ana")
    assert (current.ref, current.value, current.action) == (verify.FieldRef(study, "blinding"), "single-blind",
                                                            "correct")
    keep(tmp_path, "extract.png")


@pytest.mark.slow
def test_the_lead_resolves_extraction_and_appraisal_disagreements_in_chromium(tmp_path: Path):
    """Two extractors and two appraisers disagree; the lead sees both values (a hostile one as
    text) and resolves one of each in the browser. Screenshots of the lead's pages, the ROBINS-I
    page and the screening page after a save are kept for a person to look at."""
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    from livingreview import Review
    from livingreview.appraisal.service import appraisals, record_answers
    from livingreview.extraction import verify

    directory = make_review(tmp_path / "review")
    study = included_study_with_suggestions(directory)
    hostile = "<img src=x onerror=alert(1)> placebo pill"
    low = {"1.1": "Y", "1.2": "Y", "1.3": "N", "2.1": "N", "2.2": "N", "2.6": "Y", "3.1": "Y",
           "4.1": "N", "4.2": "N", "4.3": "N", "5.1": "Y", "5.2": "N", "5.3": "N"}
    with Review(directory) as review:
        for reviewer, blinding, comparator in (("ana", "double-blind", hostile), ("ben", "single-blind", "placebo")):
            verify.correct(review.store, review.protocol, verify.FieldRef(study, "blinding"), reviewer, blinding)
            verify.correct(review.store, review.protocol, verify.FieldRef(study, "active_comparator"), reviewer,
                           comparator)
        index = review.study_index()
        record_answers(review.store, index, str(study), "ana", low, source="test")
        record_answers(review.store, index, str(study), "ben", {**low, "1.2": "NI"}, source="test")
    problems: list[str] = []
    with serving(directory) as (app, url), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            lee_context, lee = log_in(browser, url, "lee", problems)
            lee.goto(url + "/extract/conflicts")
            comparator = lee.locator('tr[data-field="active_comparator"]').inner_text()
            lee.screenshot(path=str(tmp_path / "extract-conflicts.png"), full_page=True)
            row = lee.locator('tr[data-field="blinding"]')
            row.locator("form.resolve").first.locator("input[name=reason]").fill("methods: double-blind")
            with lee.expect_navigation():
                row.locator('button[value="double-blind"]').click()
            extraction_saved = lee.locator(".flash").inner_text()
            still_open = lee.locator("tr[data-field]").evaluate_all("rows => rows.map(r => r.dataset.field)")

            lee.goto(url + "/appraise/conflicts")
            domain = lee.locator('article.conflict[data-domain="D1"]')
            differing = domain.locator("tr.differs").inner_text()
            lee.screenshot(path=str(tmp_path / "appraise-conflicts.png"), full_page=True)
            domain.locator("input[name=reason]").fill("concealment not reported")
            with lee.expect_navigation():
                domain.locator('button[value="Some concerns"]').click()
            appraisal_saved = lee.locator(".flash").inner_text()
            appraisal_left = lee.locator("#no-conflicts").count()

            lee.goto(url + "/settings/screening")
            lee.fill("input[name=target_recall]", "0.9")
            with lee.expect_navigation():
                lee.locator("#settings button").click()
            settings_saved = lee.locator(".flash").inner_text()
            lee.screenshot(path=str(tmp_path / "settings.png"), full_page=True)

            ana_context, ana = log_in(browser, url, "ana", problems)
            ana.goto(url + f"/appraise/robins-i?study={study}")
            for domain_id, judgement in (("D1", "Moderate"), ("D2", "Low"), ("D3", "Low"), ("D4", "Low"),
                                         ("D5", "Serious"), ("D6", "Low"), ("D7", "Low")):
                with ana.expect_navigation():
                    ana.select_option(f'select[name="d:{domain_id}"]', judgement)
            robins_overall = ana.locator("#overall").inner_text()
            with ana.expect_navigation():
                ana.locator("#robins-save button").click()
            robins_saved = ana.locator(".flash").inner_text()
            ana.screenshot(path=str(tmp_path / "robins-i.png"), full_page=True)

            ana.goto(url + "/screen?record=3")
            ana.keyboard.press("i")
            ana.wait_for_selector(".flash")
            ana.screenshot(path=str(tmp_path / "screening-after-save.png"), full_page=True)
            screening_saved = ana.locator(".flash").inner_text()
            ana.keyboard.press("m")  # the keys still work on the page the decision brought back
            ana.locator(".flash", has_text="maybe").wait_for()
            second_saved = ana.locator(".flash").inner_text()
            for context in (lee_context, ana_context):
                context.close()
        finally:
            browser.close()
        store = app.state.review.store
        verified = verify.verified(store)[study]
        [appraisal] = [a for a in appraisals(store) if a.unit.tool == "rob2"]

    assert problems == []
    assert hostile in comparator and "ben: placebo" in comparator  # shown as text, nothing ran
    assert extraction_saved.startswith("saved resolution") and "blinding = double-blind" in extraction_saved
    assert still_open == ["active_comparator"]
    assert verified[verify.FieldRef(study, "blinding")] == "double-blind"
    assert differing.split("\t")[1:] == ["Y", "NI"]
    assert appraisal_saved.startswith("saved resolution") and appraisal_left == 1
    d1 = next(d for d in appraisal.domains if d.domain == "D1")
    assert (d1.final, d1.status) == ("Some concerns", "resolved")
    assert settings_saved == "saved protocol.toml [screening]: target_recall 0.95 → 0.9"
    assert "target_recall = 0.9" in (directory / "protocol.toml").read_text(encoding="utf-8")
    assert robins_overall == "Overall: Serious"
    assert "saved ROBINS-I judgements" in robins_saved and "overall Serious" in robins_saved
    assert screening_saved.startswith("saved decision") and "include, record 3" in screening_saved
    assert second_saved.startswith("saved decision") and "maybe, record" in second_saved
    for name in ("extract-conflicts.png", "appraise-conflicts.png", "settings.png", "robins-i.png",
                 "screening-after-save.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
        keep(tmp_path, name)
