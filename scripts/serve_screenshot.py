"""The README's screenshot of `livingreview serve`: a reviewer's screening page just after a save.

    .venv/bin/python scripts/serve_screenshot.py demo-review docs/images/serve-screening.png

DIR is a review (`make demo` makes the flagship's). The script adds a reviewer `ana` with a
throw-away password when the review has no such account, serves the review on a free local port,
logs in with Debian's chromium (Playwright), includes the first record of ana's queue with the `i`
key and saves the page as a PNG once the save is acknowledged.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from livingreview import Review
from livingreview.store import users
from livingreview.web import create_app
from livingreview.web.auth import hash_password

REVIEWER = "ana"


def main(directory: Path, output: Path) -> None:
    password = secrets.token_urlsafe(12)
    with Review(directory) as review:
        if users.account(review.store, REVIEWER) is not None:
            raise SystemExit(f"{directory} already has an account {REVIEWER!r}; use a copy of the review")
        users.add_user(review.store, REVIEWER, "reviewer", hash_password(password))
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise SystemExit("chromium is needed (apt-get install chromium)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(directory), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_context(viewport={"width": 1100, "height": 820}).new_page()
            page.goto(url + "/login")
            page.fill("input[name=name]", REVIEWER)
            page.fill("input[name=password]", password)
            page.click("button[type=submit]")
            page.goto(url + "/screen", timeout=600_000)  # the first ranking of a new reviewer is waited for
            page.keyboard.press("i")
            page.wait_for_selector(".flash", timeout=600_000)
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(output))
            print(page.locator(".flash").inner_text())
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=60)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
