"""The request handlers of `livingreview serve`.

Each POST first checks the session's CSRF token (`_checked_form`), then does its work in a
worker thread through the same stage code as the CLI, with the logged-in user as the reviewer,
and answers only after that work has committed: a redirect that acknowledges a decision is sent
after `decide` returned, and `decide` commits before it returns.

A screening decision or undo sent by the page's own script (marked with `FETCH_HEADER`) is
answered with the next screen page itself, in the same request, and the screen's GET address in
`PAGE_URL_HEADER` for the script to put in the history; a plain form POST gets the redirect.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from livingreview.errors import BadInput
from livingreview.project import Review
from livingreview.report.exports import FORMATS
from livingreview.screening.workflow import STAGES
from livingreview.store import users
from livingreview.store.reviewers import Reviewer
from livingreview.web import appraisal, views
from livingreview.web.appraisal import Rob2View, rob2_view
from livingreview.web.extraction import ExtractView, extract_view
from livingreview.web.extraction import save as save_extraction
from livingreview.web.auth import CSRF_FIELD, CSRF_HEADER, authenticate, csrf_matches, new_csrf_token

FETCH_HEADER = "x-requested-with"
FETCH_MARK = "livingreview"
PAGE_URL_HEADER = "x-page-url"
_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                         trim_blocks=True, lstrip_blocks=True)


# --- helpers ------------------------------------------------------------------------------------

def _review(request: Request) -> Review:
    return request.app.state.review


def _csrf(request: Request) -> str:
    if "csrf" not in request.session:
        request.session["csrf"] = new_csrf_token()
    return str(request.session["csrf"])


async def _checked_form(request: Request) -> FormData:
    """The POSTed form, once its CSRF token matches the session's (403 otherwise)."""
    form = await request.form()
    given = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not csrf_matches(request.session.get("csrf"), given if isinstance(given, str) else None):
        raise HTTPException(403, "the form's CSRF token is missing or does not match this session; "
                                 "reload the page and try again")
    return form


def _user(request: Request, *, lead: bool = False) -> Reviewer:
    """The logged-in account as it stands now (401 if it is gone), a lead when `lead` (403)."""
    account = users.account(_review(request).store, str(request.session.get("user", "")))
    if account is None:
        request.session.clear()
        raise HTTPException(401, "login required")
    if lead and account.role != "lead":
        raise HTTPException(403, f"only a lead may do this; {account.name} is a {account.role}")
    return account


def _render(request: Request, template: str, user: Reviewer | None, status: int = 200,
            **context: Any) -> HTMLResponse:
    page = _TEMPLATES.get_template(template).render(
        user=user, csrf=_csrf(request), flash=request.session.pop("flash", None),
        error=request.session.pop("error", None), **context)
    return HTMLResponse(page, status_code=status)


def _stage(value: object) -> str:
    stage = str(value or "title_abstract")
    if stage not in STAGES:
        raise HTTPException(400, f"unknown stage {stage!r}; expected one of {', '.join(STAGES)}")
    return stage


def _sample(value: object) -> str:
    sample = str(value or "ranked")
    if sample not in views.SAMPLES:
        raise HTTPException(400, f"unknown sample {sample!r}; expected one of {', '.join(views.SAMPLES)}")
    return sample


def _integer(value: object, what: str, default: int | None = None) -> int:
    if (value is None or value == "") and default is not None:
        return default
    try:
        return int(str(value))
    except ValueError:
        raise HTTPException(400, f"{what} must be a whole number, not {value!r}") from None


def _optional(value: object) -> str | None:
    text = str(value).strip() if isinstance(value, str) else ""
    return text or None


def _fetched(request: Request) -> bool:
    """Whether the page's own script sent this request and will show the page it gets back."""
    return request.headers.get(FETCH_HEADER) == FETCH_MARK


def _screen_url(stage: str, sample: str, seed: int, record: int | None = None) -> str:
    query: dict[str, object] = {"stage": stage, "sample": sample, "seed": seed}
    if record is not None:
        query["record"] = record
    return "/screen?" + urlencode(query)


# --- login --------------------------------------------------------------------------------------

async def login_page(request: Request) -> Response:
    if request.session.get("user"):
        return RedirectResponse("/", status_code=303)
    return _render(request, "login.html", None)


async def login(request: Request) -> Response:
    form = await _checked_form(request)
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    address = request.client.host if request.client else "unknown"
    limiter = request.app.state.limiter
    wait = limiter.blocked_for(name, address)
    if wait:
        return _render(request, "login.html", None, status=429,
                       message=f"too many failed logins for {name}; try again in {int(wait) + 1} s")
    account = await run_in_threadpool(authenticate, _review(request).store, name, password)
    if account is None:
        limiter.failed(name, address)
        return _render(request, "login.html", None, status=401, message="wrong name or password")
    limiter.succeeded(name, address)
    request.session.clear()  # a new session: nothing from before the login carries over
    request.session.update(user=account.name, csrf=new_csrf_token())
    return RedirectResponse("/", status_code=303)


async def logout(request: Request) -> Response:
    await _checked_form(request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


# --- dashboard ----------------------------------------------------------------------------------

async def dashboard(request: Request) -> Response:
    def work() -> tuple[Reviewer, dict[str, Any]]:
        user = _user(request)
        return user, views.dashboard_view(_review(request), request.app.state.queues, user.role == "lead")

    user, context = await run_in_threadpool(work)
    return _render(request, "dashboard.html", user, stages=STAGES, formats=FORMATS, **context)


async def report_file(request: Request) -> Response:
    """A file of the latest report (`DIR/report/`), never anything outside that folder."""
    report_dir = _review(request).report_dir.resolve()
    path = (report_dir / request.path_params["path"]).resolve()
    if not path.is_relative_to(report_dir) or not path.is_file():
        raise HTTPException(404, "no such file in the report")
    return FileResponse(path)


# --- screening ----------------------------------------------------------------------------------

async def screen_page(request: Request) -> Response:
    stage, sample = _stage(request.query_params.get("stage")), _sample(request.query_params.get("sample"))
    seed = _integer(request.query_params.get("seed"), "seed", 0)
    first = request.query_params.get("record")
    return await _screen(request, stage, sample, seed, _integer(first, "record") if first else None)


async def _screen(request: Request, stage: str, sample: str, seed: int, first_id: int | None,
                  status: int = 200) -> HTMLResponse:
    """The screen page: the next record of the queue, or `first_id` when it is still pending."""
    def work() -> tuple[Reviewer, views.ScreenView]:
        user = _user(request)
        return user, views.screen_view(_review(request), request.app.state.queues, user.name, stage, sample,
                                       seed, first_id)

    user, view = await run_in_threadpool(work)
    return _render(request, "screen.html", user, status=status, view=view, stages=STAGES)


async def _after_screening(request: Request, stage: str, sample: str, seed: int, record: int | None,
                           status: int = 200) -> Response:
    """The answer to a decision or undo: the screen it leads to, shown at once to the page's script
    (with its GET address, so a reload never posts again), a redirect to it for a plain form."""
    url = _screen_url(stage, sample, seed, record)
    if not _fetched(request):
        return RedirectResponse(url, status_code=303)
    page = await _screen(request, stage, sample, seed, record, status)
    page.headers[PAGE_URL_HEADER] = url
    return page


async def decide(request: Request) -> Response:
    form = await _checked_form(request)
    stage, sample = _stage(form.get("stage")), _sample(form.get("sample"))
    seed = _integer(form.get("seed"), "seed", 0)
    record_id = _integer(form.get("record_id"), "record_id")
    label = str(form.get("label", ""))

    def work() -> str:
        user = _user(request)
        # A record of the queue keeps the queue's kind: only random draws feed the random-sample rule.
        decision = _review(request).screening.decide(
            stage, record_id, user.name, label, reason=_optional(form.get("reason")),
            note=_optional(form.get("note")), drawn=sample)
        request.app.state.queues.decided(user.name, stage, decision.record_id)  # after the commit
        reason = f" ({decision.reason})" if decision.reason else ""
        return f"saved decision {decision.id}: {decision.label}{reason}, record {decision.record_id}"

    try:
        request.session["flash"] = await run_in_threadpool(work)
    except BadInput as error:
        request.session["error"] = str(error)
        # the same record again, with the refusal; 422 tells the script nothing was stored
        return await _after_screening(request, stage, sample, seed, record_id, status=422)
    return await _after_screening(request, stage, sample, seed, None)


async def undo(request: Request) -> Response:
    form = await _checked_form(request)
    stage, sample = _stage(form.get("stage")), _sample(form.get("sample"))
    seed = _integer(form.get("seed"), "seed", 0)

    def work() -> tuple[str, int]:
        user = _user(request)
        undone = _review(request).screening.undo(stage, user.name)
        request.app.state.queues.undone(user.name, stage, undone.record_id)
        return f"saved undo of decision {undone.supersedes} (record {undone.record_id})", undone.record_id

    try:
        request.session["flash"], record = await run_in_threadpool(work)
    except BadInput as error:
        request.session["error"] = str(error)
        return await _after_screening(request, stage, sample, seed, None, status=422)
    return await _after_screening(request, stage, sample, seed, record)


async def decisions_page(request: Request) -> Response:
    stage = _stage(request.query_params.get("stage"))
    wanted = request.query_params.get("reviewer")

    def work() -> tuple[Reviewer, str, list[dict[str, Any]]]:
        user = _user(request)
        whose = (wanted or user.name).strip()
        if whose != user.name:
            _user(request, lead=True)  # only a lead reads another reviewer's decisions
        return user, whose, views.own_decisions(_review(request), whose, stage)

    user, whose, rows = await run_in_threadpool(work)
    return _render(request, "decisions.html", user, rows=rows, whose=whose, stage=stage, stages=STAGES)


async def conflicts_page(request: Request) -> Response:
    stage = _stage(request.query_params.get("stage"))

    def work() -> tuple[Reviewer, list[dict[str, Any]]]:
        user = _user(request, lead=True)
        return user, views.conflict_rows(_review(request), stage)

    user, rows = await run_in_threadpool(work)
    review = _review(request)
    reasons = [(c.id, c.sentence) for c in review.protocol.criteria if stage in c.stages]
    return _render(request, "conflicts.html", user, rows=rows, stage=stage, stages=STAGES, reasons=reasons)


async def resolve(request: Request) -> Response:
    form = await _checked_form(request)
    stage = _stage(form.get("stage"))
    record_id = _integer(form.get("record_id"), "record_id")

    def work() -> str:
        user = _user(request, lead=True)
        decision = _review(request).screening.resolve(
            stage, record_id, str(form.get("label", "")), user.name,
            reason=_optional(form.get("reason")), note=_optional(form.get("note")))
        return f"saved resolution {decision.id}: record {decision.record_id} {decision.label}"

    try:
        request.session["flash"] = await run_in_threadpool(work)
    except BadInput as error:
        request.session["error"] = str(error)
    return RedirectResponse("/conflicts?" + urlencode({"stage": stage}), status_code=303)


async def extract_page(request: Request) -> Response:
    study = request.query_params.get("study")
    study_id = _integer(study, "study") if study else None

    def work() -> tuple[Reviewer, ExtractView]:
        user = _user(request)
        return user, extract_view(_review(request), user.name, study_id)

    user, view = await run_in_threadpool(work)
    return _render(request, "extract.html", user, view=view)


async def extract_save(request: Request) -> Response:
    form = await _checked_form(request)
    study_id = _integer(form.get("study"), "study")
    action = "accept" if form.get("action") == "accept" else "correct"

    def work() -> str:
        user = _user(request)
        return save_extraction(_review(request), user.name, study_id, str(form.get("label", "")), action,
                               str(form.get("value", "")))

    try:
        request.session["flash"] = await run_in_threadpool(work)
    except BadInput as error:
        request.session["error"] = str(error)
    return RedirectResponse(f"/extract?study={study_id}", status_code=303)


async def rob2_page(request: Request) -> Response:
    """RoB 2 answers (GET, nothing stored) and the algorithm's judgements they give; a study opened
    without answers in the query shows the answers saved for it (the user's own, or, for a lead and
    once the appraisers conflict on it, those of `reviewer`)."""
    query = request.query_params
    given = {k[2:]: v for k, v in query.items() if k.startswith("q:")}
    study = _optional(query.get("study"))
    wanted = _optional(query.get("reviewer"))

    def work() -> tuple[Reviewer, str, Rob2View, list[tuple[str, str]], bool]:
        user = _user(request)
        whose = wanted or user.name
        if whose != user.name:
            _user(request, lead=True)  # only a lead reads another appraiser's answers, and only once they conflict
            if study is None or not appraisal.in_conflict(_review(request).store, study):
                raise HTTPException(403, "another appraiser's answers are shown only once they conflict")
        aim, shown, saved = query.get("aim"), given, False
        if study is not None and not given:
            stored_aim, stored = appraisal.saved_answers(_review(request).store, study, whose)
            if stored:
                aim, shown, saved = aim or stored_aim, stored, True
        return user, whose, rob2_view(aim, shown), appraisal.studies(_review(request)), saved

    user, whose, view, studies, saved = await run_in_threadpool(work)
    return _render(request, "rob2.html", user, view=view, study=study, studies=studies, whose=whose,
                   saved=saved)


async def rob2_save(request: Request) -> Response:
    """Record the page's answers as the user's appraisal of the study; acknowledged once committed."""
    form = await _checked_form(request)
    study, aim = str(form.get("study", "")).strip(), str(form.get("aim", ""))
    given = {k[2:]: str(v) for k, v in form.multi_items() if k.startswith("q:")}

    def work() -> str:
        user = _user(request)
        return appraisal.save(_review(request), user.name, study, aim, given)

    try:
        request.session["flash"] = await run_in_threadpool(work)
    except BadInput as error:
        request.session["error"] = str(error)
        # back to the answers as given, so nothing typed is lost
        return RedirectResponse("/appraise/rob2?" + urlencode({"study": study, "aim": aim,
                                                               **{f"q:{k}": v for k, v in given.items()}}),
                                status_code=303)
    return RedirectResponse("/appraise/rob2?" + urlencode({"study": study}), status_code=303)


async def export(request: Request) -> Response:
    form = await _checked_form(request)
    format = str(form.get("format", ""))

    def work() -> Path:
        _user(request, lead=True)
        return _review(request).export(format)

    try:
        path = await run_in_threadpool(work)
    except BadInput as error:
        request.session["error"] = str(error)
        return RedirectResponse("/", status_code=303)
    return FileResponse(path, filename=path.name)
