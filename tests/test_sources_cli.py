"""`livingreview search` as a user runs it: real subprocesses against the local server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from _http_server import (
    Article,
    CtgovSimulator,
    EuropePmcSimulator,
    EutilsSimulator,
    Fault,
    SourceServer,
    ctgov_study,
    europepmc_result,
)
from livingreview.store import Store

SECRET = "SECRET-cli-key-fedcba9876543210"
MORE_SOURCES = """
[[sources]]
name = "europepmc"
kind = "europepmc"

[[sources]]
name = "ctgov"
kind = "ctgov"
filters = { trials = true }
"""
EXPECTED = {"pubmed": 45, "europepmc": 37, "ctgov": 23}


@pytest.fixture
def server():
    with SourceServer() as running:
        EutilsSimulator([Article(str(35000000 + n), date(2021, 5, 1), f"Record {n}")
                         for n in range(45)]).install(running)
        EuropePmcSimulator([europepmc_result(n) for n in range(37)]).install(running)
        CtgovSimulator([ctgov_study(n) for n in range(23)]).install(running)
        yield running


@pytest.fixture
def project(tmp_path: Path, minimal_protocol: Path) -> Path:
    protocol = tmp_path / "protocol.toml"
    protocol.write_text(minimal_protocol.read_text() + MORE_SOURCES)
    directory = tmp_path / "review"
    assert livingreview("init", directory, "--protocol", protocol).returncode == 0
    return directory


def environment(server: SourceServer | None) -> dict[str, str]:
    url = server.url if server else "http://127.0.0.1:9"
    return {**os.environ, "LIVINGREVIEW_PUBMED_URL": url + "/eutils",
            "LIVINGREVIEW_EUROPEPMC_URL": url + "/europepmc",
            "LIVINGREVIEW_CTGOV_URL": url + "/ctgov", "LIVINGREVIEW_PAGE_SIZE": "10",
            "LIVINGREVIEW_RATE": "1000", "LIVINGREVIEW_RETRIES": "2", "NCBI_API_KEY": SECRET,
            "LIVINGREVIEW_CONFIG": "/nonexistent/livingreview.toml"}


def command(*args: object) -> list[str]:
    return [sys.executable, "-c", "from livingreview.cli import main; main()", *map(str, args)]


def livingreview(*args: object, server: SourceServer | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command(*args), capture_output=True, text=True, timeout=120,
                          env=environment(server))


def records(directory: Path, source: str) -> list[str]:
    with Store(directory / "review.db") as store:
        return [r[0] for r in store.query(
            "SELECT source_id FROM records WHERE source = ? ORDER BY id", (source,))]


def test_show_query_prints_each_source_verbatim(project):
    done = livingreview("search", project, "--show-query", "--json")
    assert done.returncode == 0, done.stderr
    queries = {q["source"]: q for q in json.loads(done.stdout)["queries"]}
    assert set(queries) == {"pubmed", "europepmc", "ctgov"}
    assert queries["pubmed"]["query"].startswith('("Ketamine"[MeSH Terms] OR "ketamine"[tiab]')
    assert queries["ctgov"]["parameters"]["filter.advanced"] == "AREA[StudyType]INTERVENTIONAL"
    text = livingreview("search", project, "--show-query", "--source", "europepmc")
    assert text.stdout.startswith("# europepmc (europepmc, generated from the protocol)\n(MESH")


def test_live_search_then_offline_replay(project, server, tmp_path):
    done = livingreview("search", project, "--json", server=server)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert {s["source"]: s["count_retrieved"] for s in payload["sources"]} == EXPECTED
    assert payload["records"] == sum(EXPECTED.values())
    assert SECRET not in done.stdout + done.stderr
    copy = tmp_path / "copy"  # a new review sharing the snapshots: an update made elsewhere
    assert livingreview("init", copy, "--protocol", project / "protocol.toml").returncode == 0
    (copy / "snapshots").rmdir()
    (copy / "snapshots").symlink_to(project / "snapshots")
    replay = livingreview("search", copy, "--offline", "--json")  # no server: no network
    assert replay.returncode == 0, replay.stderr
    assert {s["source"]: s["count_retrieved"] for s in json.loads(replay.stdout)["sources"]} == EXPECTED
    for source in EXPECTED:
        assert records(copy, source) == records(project, source)
    status = json.loads(livingreview("status", project, "--json").stdout)
    assert status["search"]["records_by_source"] == EXPECTED


def test_without_network_the_command_says_so_and_offers_offline(project):
    done = livingreview("search", project, "--source", "pubmed")
    assert done.returncode == 4
    assert "pubmed: could not be reached" in done.stderr
    assert "--offline" in done.stderr
    assert SECRET not in done.stderr + done.stdout


def test_offline_without_snapshots_fails_clearly(project):
    done = livingreview("search", project, "--offline", "--source", "ctgov")
    assert done.returncode == 1
    assert "ctgov: no finished snapshot" in done.stderr


def test_unknown_source_names_the_known_ones(project):
    done = livingreview("search", project, "--source", "embase")
    assert done.returncode == 1
    assert "no source named embase in the protocol; sources: pubmed, europepmc, ctgov" in done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("source, path, pages_before_kill", [
    ("europepmc", "/europepmc/search", 2),
    ("pubmed", "/eutils/efetch.fcgi", 3),
    ("ctgov", "/ctgov/studies", 1),
])
def test_a_search_killed_between_pages_resumes_with_no_gap_and_no_duplicate(
        project, server, source, path, pages_before_kill):
    released = threading.Event()
    server.inject(path, *[Fault("pass")] * pages_before_kill, Fault("hang", released=released))
    process = subprocess.Popen(command("search", project, "--source", source),
                               env=environment(server), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        assert server.reached.wait(60), "the search never asked for the page after the kill point"
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        released.set()
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert len(records(project, source)) == 10 * pages_before_kill
    with Store(project / "review.db") as store:
        assert store.scalar("SELECT status FROM searches") == "running"

    done = livingreview("search", project, "--source", source, "--json", server=server)
    assert done.returncode == 0, done.stderr
    (outcome,) = json.loads(done.stdout)["sources"]
    assert outcome["resumed"] and outcome["search_id"] == 1
    ids = records(project, source)
    assert len(ids) == len(set(ids)) == EXPECTED[source] == outcome["count_retrieved"]
    with Store(project / "review.db") as store:
        assert store.scalar("SELECT COUNT(*) FROM searches") == 1
        seqs = [r[0] for r in store.query("SELECT seq FROM search_pages ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))


def test_retries_are_shown_as_they_happen(project, server):
    server.inject("/ctgov/studies", Fault("status", 503, retry_after="1"))
    done = livingreview("search", project, "--source", "ctgov", server=server)
    assert done.returncode == 0, done.stderr
    assert "retrying: ctgov: HTTP 503; retry 1 in" in " ".join(done.stderr.split())
    assert done.stdout.strip() == "23 records stored"


def test_since_and_offline_do_not_combine(project):
    done = livingreview("search", project, "--offline", "--since", "2024-01-01")
    assert done.returncode == 2
    assert "--since narrows a live search" in done.stderr
