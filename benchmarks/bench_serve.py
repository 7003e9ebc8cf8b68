"""`livingreview serve` under load: N reviewers deciding at once against a large review.

    .venv/bin/python benchmarks/bench_serve.py            # 20 reviewers, 120 s, 50,000 records
    .venv/bin/python benchmarks/bench_serve.py --quick    # 4 reviewers, 20 s, 2,000 records
    .venv/bin/python benchmarks/bench_serve.py --records 10000 --seconds 60 --keep-reviews /tmp/reviews
    .venv/bin/python benchmarks/bench_serve.py --quick --plain-forms   # as a browser without script

The review is the flagship protocol (examples/glutamate-entactogens) over copies of the real
PubMed fixture articles (each with its own PMID and a numbered title), imported as a PubMed XML
file. The server is `livingreview serve` in its own process on 127.0.0.1; each simulated reviewer
is a thread with its own session that logs in, then loops: read the record on its screen page,
post a decision (about 1 in 10 include, the rest exclude, seeded per reviewer) as the page's
script does, marked with its header, and take the next record's page from the answer: one request
a keypress. With --plain-forms it posts as a browser without script does instead and follows the
redirect to the screen page (a 303 then a GET). By default a reviewer decides the moment a record is shown (a stress
test: the latency is then set by how many decisions a second the server can take); --think S
makes each one read for S seconds on average first (uniform from S/2 to 3S/2; people take 5 to 30). "Keypress to next record" is the time from sending the decision to
having the next record's page. Afterwards the store is opened and the decisions it holds are
counted per reviewer: every decision acknowledged (a next page with its "saved decision") must be there,
and no reviewer may be shown a record again after deciding it.

Before the clock starts, one reviewer's first screen page is fetched: the ranking worker computes
the criteria verdicts of every record then (minutes for 50,000), once. Each reviewer's own first
page (their first ranking, waited for) is timed apart from the keypress latency.

The machine's load average is sampled every 5 s during the run, since the figures mean little
without it. Prints a summary, then one JSON object with everything measured; exits non-zero when
decisions acknowledged and stored differ or a record was shown again after its decision.
With --keep-reviews DIR the review built for a size is kept in DIR and copied for each run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _generate import fixture_articles, write_pubmed_set  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = ROOT / "examples" / "glutamate-entactogens" / "protocol.toml"
PASSWORD = "benchmark password"
RECORD_ID = re.compile(r'name="record_id" value="(\d+)"')
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
REQUEST_TIMEOUT = 120.0
SENT_BY_THE_PAGE = {"X-Requested-With": "livingreview"}  # as src/livingreview/web/static/app.js sends


def build_review(directory: Path, records: int, reviewers: int) -> list[str]:
    from livingreview import Review
    from livingreview.store.users import add_user
    from livingreview.web.auth import hash_password

    source = write_pubmed_set(directory.parent / "records.xml", records, fixture_articles())
    names = [f"reviewer{i:02d}" for i in range(reviewers)]
    with Review.init(directory, PROTOCOL) as review:
        review.import_file(source)
        hashed = hash_password(PASSWORD)
        for name in names:
            add_user(review.store, name, "reviewer", hashed)
    return names


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(directory: Path, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen([sys.executable, "-m", "livingreview", "serve", str(directory),
                               "--host", "127.0.0.1", "--port", str(port)])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=5)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not start within 120 s")


def log_in(client: httpx.Client, name: str) -> None:
    token = CSRF.search(client.get("/login").text)
    assert token, "no CSRF token on the login page"
    answer = client.post("/login", data={"csrf": token.group(1), "name": name, "password": PASSWORD})
    assert answer.status_code in (200, 303) and "/login" not in str(answer.url), f"{name} could not log in"


class Reviewer(threading.Thread):
    def __init__(self, url: str, name: str, seed: int, stop_at: float, think: float = 0.0,
                 plain_forms: bool = False) -> None:
        super().__init__(daemon=True)
        self.url, self.name, self.stop_at, self.think = url, name, stop_at, think
        self.headers = {} if plain_forms else SENT_BY_THE_PAGE
        self.random = random.Random(seed)
        self.latencies: list[float] = []
        self.first_page: float | None = None
        self.decided: set[str] = set()
        self.shown_again = 0
        self.acknowledged = 0
        self.refused: list[str] = []
        self.timed_out: list[str] = []

    def run(self) -> None:
        try:
            self._screen()
        except httpx.TimeoutException as error:
            # A request unanswered within the timeout: counted, and this reviewer stops.
            self.timed_out.append(f"{type(error).__name__} after {REQUEST_TIMEOUT} s")

    def _screen(self) -> None:
        with httpx.Client(base_url=self.url, timeout=REQUEST_TIMEOUT, follow_redirects=True) as client:
            log_in(client, self.name)
            started = time.perf_counter()
            page = client.get("/screen").text
            self.first_page = time.perf_counter() - started
            while time.monotonic() < self.stop_at:
                record, token = RECORD_ID.search(page), CSRF.search(page)
                if record is None or token is None:
                    return
                if record.group(1) in self.decided:
                    self.shown_again += 1
                label = "include" if self.random.random() < 0.1 else "exclude"
                if self.think:
                    time.sleep(self.random.uniform(0.5, 1.5) * self.think)
                started = time.perf_counter()
                answer = client.post("/screen/decide", data={
                    "csrf": token.group(1), "record_id": record.group(1), "label": label,
                    "stage": "title_abstract", "sample": "ranked", "seed": "0"}, headers=self.headers)
                self.latencies.append(time.perf_counter() - started)
                page = answer.text
                if answer.status_code == 200 and 'class="flash"' in page and "saved decision" in page:
                    self.acknowledged += 1
                    self.decided.add(record.group(1))
                else:
                    self.refused.append(f"record {record.group(1)}: {answer.status_code}")


def stored_decisions(directory: Path) -> int:
    from livingreview import Review

    with Review(directory) as review:
        return len(review.screening.decisions("title_abstract"))


class LoadSampler(threading.Thread):
    """The 1-minute load average every `every` seconds until stopped: the machine is shared."""

    def __init__(self, every: float = 5.0) -> None:
        super().__init__(daemon=True)
        self.every, self.samples = every, [os.getloadavg()[0]]
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            self.samples.append(os.getloadavg()[0])


def prepared_review(scratch: Path, records: int, reviewers: int, keep: Path | None) -> tuple[Path, float]:
    """A fresh review with `records` records and `reviewers` accounts in `scratch`; built once per
    size and copied when `keep` is given. Returns it and the seconds spent building it."""
    directory = scratch / "review"
    started = time.perf_counter()
    if keep is None:
        build_review(directory, records, reviewers)
        return directory, time.perf_counter() - started
    kept = keep / f"{records}-records-{reviewers}-reviewers"
    if not (kept / "review.db").exists():
        shutil.rmtree(kept, ignore_errors=True)
        build_review(kept, records, reviewers)
        (kept.parent / "records.xml").unlink(missing_ok=True)
    shutil.copytree(kept, directory)
    return directory, time.perf_counter() - started


def percentiles(values: list[float]) -> dict[str, float] | None:
    if not values:
        return None
    array = np.array(values) * 1000
    return {"p50": round(float(np.percentile(array, 50)), 1), "p95": round(float(np.percentile(array, 95)), 1),
            "max": round(float(array.max()), 1)}


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def run(records: int, reviewers: int, seconds: float, keep: Path | None, think: float = 0.0,
        plain_forms: bool = False) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as scratch:
        directory, built = prepared_review(Path(scratch), records, reviewers, keep)
        names = [f"reviewer{i:02d}" for i in range(reviewers)]
        port = free_port()
        server = start_server(directory, port)
        url = f"http://127.0.0.1:{port}"
        sampler = LoadSampler()
        try:
            with httpx.Client(base_url=url, timeout=3600, follow_redirects=True) as warm:
                log_in(warm, names[0])
                started = time.perf_counter()
                warm.get("/screen")  # the worker's criteria verdicts of every record, once
                first_page = time.perf_counter() - started
            sampler.start()
            stop_at = time.monotonic() + seconds
            threads = [Reviewer(url, name, seed, stop_at, think, plain_forms) for seed, name in enumerate(names)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            sampler.stopped.set()
            stop(server)
        firsts = [t.first_page for t in threads if t.first_page is not None]
        return {
            "records": records, "reviewers": reviewers, "seconds": seconds, "think_s": think,
            "requests_a_keypress": 2 if plain_forms else 1,
            "review_built_s": round(built, 1), "first_screen_page_s": round(first_page, 2),
            "each_reviewers_first_page_ms": percentiles(firsts),
            "decisions_acknowledged": sum(t.acknowledged for t in threads),
            "decisions_stored": stored_decisions(directory),
            "decisions_refused": sum(len(t.refused) for t in threads),
            "records_shown_again_after_their_decision": sum(t.shown_again for t in threads),
            "reviewers_timed_out": sum(len(t.timed_out) for t in threads),
            "keypress_to_next_record_ms": percentiles([x for t in threads for x in t.latencies]),
            "load_average_1min": {"min": min(sampler.samples), "mean": round(float(np.mean(sampler.samples)), 2),
                                  "max": max(sampler.samples)},
            "cpus": os.cpu_count(),
        }


def summary(result: dict[str, object]) -> str:
    latency = result["keypress_to_next_record_ms"] or {}
    load = result["load_average_1min"]
    assert isinstance(latency, dict) and isinstance(load, dict)
    return "\n".join([
        f"{result['reviewers']} reviewers x {result['records']:,} records for {result['seconds']:.0f} s, "
        f"reading {result['think_s']} s a record on average, {result['requests_a_keypress']} request(s) a keypress "
        f"({result['cpus']} CPUs, 1-min load average {load['min']:.1f}-{load['max']:.1f}, mean {load['mean']:.1f})",
        f"  keypress to next record: p50 {latency.get('p50')} ms, p95 {latency.get('p95')} ms, "
        f"max {latency.get('max')} ms (target p95 < 300 ms)",
        f"  decisions acknowledged {result['decisions_acknowledged']}, stored {result['decisions_stored']}, "
        f"refused {result['decisions_refused']}; records shown again after their decision: "
        f"{result['records_shown_again_after_their_decision']}",
        f"  first screen page (criteria verdicts of every record): {result['first_screen_page_s']} s; "
        f"each reviewer's first page: {result['each_reviewers_first_page_ms']} ms",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="4 reviewers, 20 s, 2,000 records")
    parser.add_argument("--records", type=int, help="records in the review (default 50,000)")
    parser.add_argument("--reviewers", type=int, help="simulated reviewers deciding at once (default 20)")
    parser.add_argument("--seconds", type=float, help="how long they decide (default 120)")
    parser.add_argument("--think", type=float, default=0.0, metavar="S",
                        help="seconds a reviewer reads each record on average before deciding (default 0)")
    parser.add_argument("--plain-forms", action="store_true",
                        help="decide as a browser without script: a plain form POST, its 303, then the GET")
    parser.add_argument("--keep-reviews", type=Path, metavar="DIR",
                        help="keep the review built for each size in DIR and copy it for each run")
    options = parser.parse_args()
    records = options.records or (2_000 if options.quick else 50_000)
    reviewers = options.reviewers or (4 if options.quick else 20)
    seconds = options.seconds or (20.0 if options.quick else 120.0)
    result = run(records, reviewers, seconds, options.keep_reviews, options.think, options.plain_forms)
    print(summary(result))
    print(json.dumps(result, indent=2))
    if result["decisions_acknowledged"] != result["decisions_stored"]:
        sys.exit("acknowledged decisions differ from stored decisions")
    if result["records_shown_again_after_their_decision"]:
        sys.exit("a reviewer was shown a record again after deciding it")


if __name__ == "__main__":
    main()
