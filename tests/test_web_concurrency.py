"""The server and the CLI on one review at once: decisions made through the web by two reviewers
and, at the same time, by another process through the Python API `livingreview decide` calls are
all stored (one writer at a time, WAL, busy timeout), and each acknowledged decision was on disk
before its acknowledgement."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from _web_review import PASSWORD, csrf_of, make_review, serving
from livingreview import Review

RECORDS = 40
# What `livingreview decide DIR ID include --reviewer cli` does, in a loop, in its own process.
CLI_DECIDES = """
import sys
from livingreview import Review
with Review(sys.argv[1]) as review:
    for record_id in range(1, int(sys.argv[2]) + 1):
        review.screening.decide("title_abstract", record_id, "cli", "include")
print("done")
"""


def screen_everything(url: str, name: str, acknowledged: list[int], failures: list[str]) -> None:
    with httpx.Client(base_url=url, timeout=120) as browser:
        token = csrf_of(browser.get("/login").text)
        browser.post("/login", data={"csrf": token, "name": name, "password": PASSWORD})
        while True:
            page = browser.get("/screen").text
            found = re.search(r'name="record_id" value="(\d+)"', page)
            if found is None:
                return
            answer = browser.post("/screen/decide", data={
                "csrf": csrf_of(page), "record_id": found.group(1), "label": "exclude",
                "stage": "title_abstract", "sample": "ranked"}, follow_redirects=False)
            if answer.status_code != 303 or "/screen?" not in answer.headers["location"] or "record=" in answer.headers["location"]:
                failures.append(f"{name} record {found.group(1)}: {answer.status_code}")
                return
            acknowledged.append(int(found.group(1)))


def test_server_and_another_process_decide_at_once_without_lost_writes(tmp_path: Path):
    directory = make_review(tmp_path / "review", records=RECORDS, hostile=False)
    acknowledged: dict[str, list[int]] = {"ana": [], "ben": []}
    failures: list[str] = []
    with serving(directory) as (_app, url):
        cli = subprocess.Popen([sys.executable, "-c", CLI_DECIDES, str(directory), str(RECORDS)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        reviewers = [threading.Thread(target=screen_everything, args=(url, name, acknowledged[name], failures))
                     for name in acknowledged]
        for thread in reviewers:
            thread.start()
        for thread in reviewers:
            thread.join(timeout=600)
        out, err = cli.communicate(timeout=600)
    assert cli.returncode == 0 and out.strip() == "done", err
    assert failures == []
    with Review(directory) as review:
        state = review.screening.state("title_abstract")
        stored = {name: sorted(u for u, by in state.labels.items() if name in by) for name in ("ana", "ben", "cli")}
        events = len(review.store.events("screen", "screen.decide"))
    assert sorted(acknowledged["ana"]) == stored["ana"] == list(range(1, RECORDS + 1))
    assert sorted(acknowledged["ben"]) == stored["ben"] == list(range(1, RECORDS + 1))
    assert stored["cli"] == list(range(1, RECORDS + 1))
    assert events == 3 * RECORDS
