"""Request handlers of the disagreement, ROBINS-I and screening-settings pages.

They follow `pages`: a POST's CSRF token is checked first (`_checked_form`), the work runs in a
worker thread through the stage code with the logged-in user, and the answer (a redirect with the
acknowledgement) is sent only after that work committed. Disagreements and settings are the
lead's: a reviewer gets 403 for the pages and their POSTs alike.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from livingreview.appraisal.service import agreement as appraisal_agreement
from livingreview.errors import BadInput
from livingreview.extraction import verify
from livingreview.extraction.verify import FieldAgreement
from livingreview.store.reviewers import Reviewer
from livingreview.web import appraisal, disagreements, settings
from livingreview.web.pages import _checked_form, _integer, _optional, _render, _review, _user


# --- disagreements between extractors ---------------------------------------------------------

async def extraction_conflicts_page(request: Request) -> Response:
    """The fields in conflict, and the extractors' agreement per field (as `extract --conflicts`)."""
    def work() -> tuple[Reviewer, list[disagreements.StudyFields], list[FieldAgreement]]:
        user = _user(request, lead=True)
        review = _review(request)
        return user, disagreements.extraction_disagreements(review), verify.agreement(review.store, review.protocol)

    user, studies, agreement = await run_in_threadpool(work)
    return _render(request, "extract_conflicts.html", user, studies=studies, agreement=agreement)


async def extraction_resolve(request: Request) -> Response:
    form = await _checked_form(request)
    study_id = _integer(form.get("study"), "study")
    label, value = str(form.get("label", "")), str(form.get("value", ""))

    def work() -> str:
        user = _user(request, lead=True)
        return disagreements.resolve_field(_review(request), user.name, study_id, label, value,
                                           _optional(form.get("reason")))

    try:
        request.session["flash"] = await run_in_threadpool(work)
    except BadInput as error:
        request.session["error"] = str(error)
    return RedirectResponse("/extract/conflicts", status_code=303)


# --- disagreements between appraisers ----------------------------------------------------------

async def appraisal_conflicts_page(request: Request) -> Response:
    """The domains in conflict, and the appraisers' agreement per domain (as `appraise` reports it)."""
    def work() -> tuple[Reviewer, list[disagreements.DomainDisagreement], list[dict[str, Any]]]:
        user = _user(request, lead=True)
        review = _review(request)
        return user, disagreements.appraisal_disagreements(review), appraisal_agreement(review.store)

    user, domains, agreement = await run_in_threadpool(work)
    return _render(request, "appraise_conflicts.html", user, domains=domains, agreement=agreement,
                   form_pages=disagreements.FORM_PAGES)


async def appraisal_resolve(request: Request) -> Response:
    form = await _checked_form(request)
    study, tool, domain = (str(form.get(key, "")).strip() for key in ("study", "tool", "domain"))

    def work() -> str:
        user = _user(request, lead=True)
        return disagreements.resolve_domain(_review(request), user.name, study, tool, _optional(form.get("outcome")),
                                            domain, str(form.get("judgement", "")), str(form.get("reason", "")))

    try:
        request.session["flash"] = await run_in_threadpool(work)
    except BadInput as error:
        request.session["error"] = str(error)
    return RedirectResponse("/appraise/conflicts", status_code=303)


# --- ROBINS-I ------------------------------------------------------------------------------------

async def robins_page(request: Request) -> Response:
    """ROBINS-I domain judgements (GET, nothing stored) and the overall judgement they give; a study
    opened without judgements in the query shows the user's saved ones (a lead may read another
    appraiser's once their judgements of the study conflict)."""
    query = request.query_params
    given = {k[2:]: v for k, v in query.items() if k.startswith("d:") and v}
    study = _optional(query.get("study"))
    wanted = _optional(query.get("reviewer"))

    def work() -> tuple[Reviewer, str, appraisal.RobinsView, list[tuple[str, str]], bool]:
        user = _user(request)
        whose = wanted or user.name
        if whose != user.name:
            _user(request, lead=True)
            if study is None or not appraisal.in_conflict(_review(request).store, study, appraisal.ROBINS_I):
                raise HTTPException(403, "another appraiser's judgements are shown only once they conflict")
        shown, saved = given, False
        if study is not None and not given:
            stored = appraisal.saved_judgements(_review(request).store, study, whose)
            if stored:
                shown, saved = stored, True
        return user, whose, appraisal.robins_view(shown), appraisal.studies(_review(request)), saved

    user, whose, view, studies, saved = await run_in_threadpool(work)
    return _render(request, "robins.html", user, view=view, study=study, studies=studies, whose=whose,
                   saved=saved)


async def robins_save(request: Request) -> Response:
    form = await _checked_form(request)
    study = str(form.get("study", "")).strip()
    given = {k[2:]: str(v) for k, v in form.multi_items() if k.startswith("d:")}

    def work() -> str:
        user = _user(request)
        return appraisal.save_robins(_review(request), user.name, study, given)

    try:
        request.session["flash"] = await run_in_threadpool(work)
    except BadInput as error:
        request.session["error"] = str(error)
        return RedirectResponse("/appraise/robins-i?" + urlencode({"study": study, **{f"d:{k}": v for k, v in given.items()}}),
                                status_code=303)
    return RedirectResponse("/appraise/robins-i?" + urlencode({"study": study}), status_code=303)


# --- screening settings ---------------------------------------------------------------------------

async def settings_page(request: Request) -> Response:
    def work() -> tuple[Reviewer, settings.SettingsView]:
        return _user(request, lead=True), settings.settings_view(_review(request))

    user, view = await run_in_threadpool(work)
    return _render(request, "settings.html", user, view=view)


async def settings_save(request: Request) -> Response:
    form = await _checked_form(request)
    typed = {key: str(form.get(key, "")) for key in settings.SETTINGS}

    def work() -> str:
        user = _user(request, lead=True)
        _, changed = settings.save_settings(_review(request), user.name, typed)
        if not changed:
            return "nothing changed: protocol.toml left as it was"
        shown = "; ".join(f"{key} {before} → {after}" for key, (before, after) in changed.items())
        return f"saved protocol.toml [screening]: {shown}"

    try:
        request.session["flash"] = await run_in_threadpool(work)
    except BadInput as error:
        request.session["error"] = str(error)
    return RedirectResponse("/settings/screening", status_code=303)
