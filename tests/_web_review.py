"""A small review with accounts, for the web app's tests (tests/test_web_*.py)."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from livingreview import Review
from livingreview.web import create_app
from livingreview.store.users import add_user
from livingreview.web.auth import hash_password

DATA = Path(__file__).resolve().parent / "data"
PASSWORD = "correct horse battery"
HOSTILE_TITLE = "<script>alert('x')</script><img src=x onerror=alert(1)> ketamine trial"
TEAM = {"ana": "reviewer", "ben": "reviewer", "lee": "lead"}
# Every RoB 2 domain Low (assignment aim); with 1.2 = NI, D1 (and overall) is Some concerns.
LOW = {"1.1": "Y", "1.2": "Y", "1.3": "N", "2.1": "N", "2.2": "N", "2.6": "Y", "3.1": "Y",
       "4.1": "N", "4.2": "N", "4.3": "N", "5.1": "Y", "5.2": "N", "5.3": "N"}
D1_CONCERNS = {**LOW, "1.2": "NI"}


def ris(records: list[tuple[str, str]]) -> str:
    return "".join(f"TY  - JOUR\nTI  - {title}\nAB  - {abstract}\nER  - \n\n" for title, abstract in records)


def make_review(directory: Path, records: int = 6, *, hostile: bool = True) -> Path:
    """A review with `records` records (the first titled with script when `hostile`) and the team."""
    rows = [(f"Ketamine and empathy in healthy volunteers, trial {i}",
             f"Randomized controlled trial {i}: healthy volunteers received ketamine or placebo.")
            for i in range(records)]
    if hostile:
        rows[0] = (HOSTILE_TITLE, "An abstract with <b>markup</b> & ampersands about ketamine.")
    review = Review.init(directory, DATA / "minimal_protocol.toml")
    source = directory.parent / f"{directory.name}.ris"
    source.write_text(ris(rows), encoding="utf-8")
    review.import_file(source)
    hashed = hash_password(PASSWORD)
    for name, role in TEAM.items():
        add_user(review.store, name, role, hashed)  # type: ignore[arg-type]
    review.close()
    return directory


def make_grouped_review(directory: Path) -> Path:
    """`make_review` without the hostile title, its records grouped into studies (the units
    extracted and appraised)."""
    make_review(directory, hostile=False)
    with Review(directory) as review:
        review.dedupe()
    return directory


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page holds no CSRF token"
    return found.group(1)


@contextmanager
def serving(directory: Path) -> Iterator[tuple[Starlette, str]]:
    """`livingreview serve`'s app under a real uvicorn on a free 127.0.0.1 port, in a thread."""
    app = create_app(directory)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield app, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
