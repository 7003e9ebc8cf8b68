"""The web app refuses what it must: anonymous requests on every route, a reviewer reading another's
decisions or acting as a lead, a POST without the session's CSRF token, too many failed logins;
record text is escaped; passwords are Argon2 hashes; the session secret is private."""

from __future__ import annotations

import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import httpx
from starlette.routing import Mount, Route

from _web_review import HOSTILE_TITLE, PASSWORD, csrf_of, make_review, serving
from livingreview import Review
from livingreview.store import users
from livingreview.web.auth import SECRET_FILE

@pytest.fixture
def app(tmp_path: Path):
    with serving(make_review(tmp_path / "review")) as (application, url):
        application.state.url = url
        application.state.clients = []
        yield application
        for opened in application.state.clients:
            opened.close()


def client(app) -> httpx.Client:
    """A browser-like client of the running server (one cookie jar), closed after the test."""
    opened = httpx.Client(base_url=app.state.url, timeout=60)
    app.state.clients.append(opened)
    return opened


def logged_in(app, name: str) -> tuple[httpx.Client, str]:
    browser = client(app)
    token = csrf_of(browser.get("/login").text)
    answer = browser.post("/login", data={"csrf": token, "name": name, "password": PASSWORD},
                          follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return browser, csrf_of(browser.get("/").text)


def first_record(browser: httpx.Client) -> int:
    found = re.search(r'name="record_id" value="(\d+)"', browser.get("/screen").text)
    assert found
    return int(found.group(1))


def decide(browser: httpx.Client, token: str, record: int, label: str, **extra: str):
    return browser.post("/screen/decide", data={"csrf": token, "record_id": str(record), "label": label,
                                                "stage": "title_abstract", "sample": "ranked", **extra},
                        follow_redirects=False)


def test_every_route_but_login_and_static_refuses_an_anonymous_request(app):
    anonymous = client(app)
    checked = 0
    for route in app.routes:
        if isinstance(route, Mount):
            assert route.path == "/static"
            assert anonymous.get("/static/app.css").status_code == 200
            continue
        assert isinstance(route, Route)
        path = route.path.replace("{path:path}", "index.html")
        for method in route.methods or ():
            if method == "HEAD":
                continue
            answer = anonymous.request(method, path, follow_redirects=False)
            if path == "/favicon.ico":
                assert answer.status_code == 204 and not answer.content
                continue
            if path == "/login":
                assert answer.status_code == (200 if method == "GET" else 403)  # POST: no CSRF token
                continue
            checked += 1
            assert answer.status_code in (303, 401), (method, path, answer.status_code)
            if answer.status_code == 303:
                assert answer.headers["location"] == "/login"
    assert checked >= 10


def test_a_post_without_the_sessions_csrf_token_is_refused_and_nothing_is_stored(app):
    ana, token = logged_in(app, "ana")
    record = first_record(ana)
    cross_site = decide(ana, "", record, "include")
    forged = decide(ana, "a-token-from-another-session", record, "include")
    assert cross_site.status_code == forged.status_code == 403
    assert app.state.review.screening.decisions("title_abstract") == []
    assert decide(ana, token, record, "include").status_code == 303
    assert len(app.state.review.screening.decisions("title_abstract")) == 1


def test_a_reviewer_cannot_read_another_reviewers_decisions_or_act_as_a_lead(app):
    ana, ana_token = logged_in(app, "ana")
    ben, ben_token = logged_in(app, "ben")
    record = first_record(ana)
    assert decide(ana, ana_token, record, "include").status_code == 303
    # ben's screen and own decisions show nothing of ana's label
    assert "ana" not in ben.get("/screen").text
    assert ben.get("/decisions?reviewer=ana").status_code == 403
    assert ben.get("/conflicts").status_code == 403
    resolve = ben.post("/conflicts/resolve", data={"csrf": ben_token, "record_id": str(record),
                                                   "label": "include", "stage": "title_abstract"})
    assert resolve.status_code == 403
    assert ben.post("/export", data={"csrf": ben_token, "format": "csv"}).status_code == 403
    assert [d.reviewer for d in app.state.review.screening.decisions("title_abstract")] == ["ana"]


def test_a_reviewer_sees_the_other_label_once_their_decisions_conflict(app):
    ana, ana_token = logged_in(app, "ana")
    ben, ben_token = logged_in(app, "ben")
    record = first_record(ana)
    decide(ana, ana_token, record, "include")
    decide(ben, ben_token, record, "exclude", reason="C1")
    page = ben.get("/decisions").text
    assert "conflict: ana include" in page
    lee, lee_token = logged_in(app, "lee")
    assert f'data-record="{record}"' in lee.get("/conflicts").text
    answer = lee.post("/conflicts/resolve", data={"csrf": lee_token, "record_id": str(record),
                                                  "label": "include", "stage": "title_abstract"},
                      follow_redirects=False)
    assert answer.status_code == 303
    resolution = app.state.review.screening.state("title_abstract").resolutions[record]
    assert (resolution.reviewer, resolution.label) == ("lee", "include")


def test_a_title_holding_script_is_shown_escaped(app):
    ana, _ = logged_in(app, "ana")
    answer = ana.get("/screen?record=1")  # the hostile record is the first imported
    assert 'data-record="1"' in answer.text
    assert "<script>alert" not in answer.text and "<img src=x" not in answer.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in answer.text
    assert "&lt;b&gt;markup&lt;/b&gt; &amp; ampersands" in answer.text
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert HOSTILE_TITLE.startswith("<script>")


def test_login_is_rate_limited_per_name_and_address(app):
    browser = client(app)
    token = csrf_of(browser.get("/login").text)
    answers = [browser.post("/login", data={"csrf": token, "name": "ana", "password": f"wrong {i}"}).status_code
               for i in range(6)]
    assert answers == [401] * 5 + [429]
    # even the right password waits out the window
    assert browser.post("/login", data={"csrf": token, "name": "ana", "password": PASSWORD}).status_code == 429
    # another name from the same address is not blocked by ana's failures
    assert browser.post("/login", data={"csrf": token, "name": "ben", "password": PASSWORD},
                        follow_redirects=False).status_code == 303


def test_session_cookie_is_httponly_samesite_strict_and_signed_with_a_private_secret(app):
    browser = client(app)
    token = csrf_of(browser.get("/login").text)
    answer = browser.post("/login", data={"csrf": token, "name": "lee", "password": PASSWORD},
                          follow_redirects=False)
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    secret = app.state.review.directory / SECRET_FILE
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    tampered = client(app)
    tampered.cookies.set("livingreview_session", answer.cookies["livingreview_session"][:-2] + "xx")
    assert tampered.get("/", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(app):
    ana, token = logged_in(app, "ana")
    assert ana.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert ana.get("/screen", follow_redirects=False).headers["location"] == "/login"


def test_users_add_stores_an_argon2_hash_never_the_password(tmp_path: Path):
    directory = make_review(tmp_path / "review")
    done = subprocess.run([sys.executable, "-m", "livingreview", "users", "add", str(directory), "cara",
                           "--role", "reviewer", "--password-stdin"], input="a long enough secret\n",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    short = subprocess.run([sys.executable, "-m", "livingreview", "users", "add", str(directory), "dan",
                            "--role", "lead", "--password-stdin"], input="short\n",
                           capture_output=True, text=True, timeout=120)
    assert short.returncode == 1 and "at least 8 characters" in short.stderr
    with Review(directory) as review:
        stored = users.password_hash(review.store, "cara")
        assert stored is not None and stored.startswith("$argon2id$")
        assert "a long enough secret" not in stored
        assert users.password_hash(review.store, "dan") is None
        assert [e["subject"] for e in review.store.events("users", "users.add")][-1] == "reviewer:cara"
