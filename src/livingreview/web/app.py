"""The Starlette application of `livingreview serve`: one review, its team, server-rendered pages.

Every route but the login page and the static files needs a logged-in account (`RequireLogin`,
a default-deny middleware: a new route is protected without anyone remembering to). Roles are
read from the reviewers table on every request, so a change of role applies at once. Pages
carry a strict Content-Security-Policy: no inline script runs, even if escaping were ever missed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from livingreview.project import Review
from livingreview.web import lead_pages, pages
from livingreview.web.auth import LoginLimiter, session_secret
from livingreview.web.queues import QueueBoard

STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "livingreview_session"
SESSION_HOURS = 12
# connect-src: the screening page's script sends its decisions to this server, and nowhere else.
APP_CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
           "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# The report is a static page with inline styles and no script.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'"


class RequireLogin:
    """Refuses every request without a logged-in user, except the public paths."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _is_public(scope["path"]) or scope.get("session", {}).get("user"):
            await self.app(scope, receive, send)
            return
        response = (RedirectResponse("/login", status_code=303) if scope["method"] in ("GET", "HEAD")
                    else PlainTextResponse("login required", status_code=401))
        await response(scope, receive, send)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = REPORT_CSP if scope["path"].startswith("/report/") else APP_CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", csp.encode()),
                            (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"same-origin"),
                            (b"cache-control", b"no-store")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def _is_public(path: str) -> bool:
    return path in ("/login", "/favicon.ico") or path.startswith("/static/")


async def _no_icon(request: Request) -> Response:
    # Browsers ask for it on pages without a <link rel=icon> (plain-text errors); there is none.
    return Response(status_code=204)


def create_app(directory: str | Path) -> Starlette:
    review = Review(directory)
    queues = QueueBoard(review)
    routes = [
        Route("/login", pages.login_page, methods=["GET"]),
        Route("/favicon.ico", _no_icon, methods=["GET"]),
        Route("/login", pages.login, methods=["POST"]),
        Route("/logout", pages.logout, methods=["POST"]),
        Route("/", pages.dashboard, methods=["GET"]),
        Route("/screen", pages.screen_page, methods=["GET"]),
        Route("/screen/decide", pages.decide, methods=["POST"]),
        Route("/screen/undo", pages.undo, methods=["POST"]),
        Route("/decisions", pages.decisions_page, methods=["GET"]),
        Route("/conflicts", pages.conflicts_page, methods=["GET"]),
        Route("/conflicts/resolve", pages.resolve, methods=["POST"]),
        Route("/export", pages.export, methods=["POST"]),
        Route("/appraise/rob2", pages.rob2_page, methods=["GET"]),
        Route("/appraise/rob2/save", pages.rob2_save, methods=["POST"]),
        Route("/extract", pages.extract_page, methods=["GET"]),
        Route("/extract/save", pages.extract_save, methods=["POST"]),
        Route("/extract/conflicts", lead_pages.extraction_conflicts_page, methods=["GET"]),
        Route("/extract/resolve", lead_pages.extraction_resolve, methods=["POST"]),
        Route("/appraise/conflicts", lead_pages.appraisal_conflicts_page, methods=["GET"]),
        Route("/appraise/resolve", lead_pages.appraisal_resolve, methods=["POST"]),
        Route("/appraise/robins-i", lead_pages.robins_page, methods=["GET"]),
        Route("/appraise/robins-i/save", lead_pages.robins_save, methods=["POST"]),
        Route("/settings/screening", lead_pages.settings_page, methods=["GET"]),
        Route("/settings/screening", lead_pages.settings_save, methods=["POST"]),
        Route("/report/{path:path}", pages.report_file, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(SessionMiddleware, secret_key=session_secret(review.directory),
                   session_cookie=SESSION_COOKIE, max_age=SESSION_HOURS * 3600, same_site="strict",
                   https_only=False),
        Middleware(RequireLogin),
    ]
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        queues.close()
        review.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.review = review
    app.state.limiter = LoginLimiter()
    app.state.queues = queues
    return app
