"""Without a network `search` fails at once and says what to do; `--offline` in a new project
says how to get something to replay."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import httpx

from livingreview.sources._transport import RetryPolicy, SourceDown, Transport, _hopeless

# RFC 2606: `.invalid` never resolves, with or without a network.
NOWHERE = "http://eutils.ncbi.invalid"


def counting_transport(slept: list[float]) -> Transport:
    return Transport("pubmed", per_second=1000.0, timeout=5.0, retry=RetryPolicy(attempts=6),
                     sleep=slept.append, seed=1)


def test_a_host_name_that_does_not_resolve_fails_after_one_attempt_without_waiting() -> None:
    slept: list[float] = []
    with pytest.raises(SourceDown) as failure, counting_transport(slept) as client:
        client.request("GET", NOWHERE + "/esearch.fcgi")
    assert failure.value.attempts == 1 and failure.value.unreachable
    # no back-off (the rate limiter's spacing shares the sleep: only the first request went)
    assert client.requests_sent == 1 and sum(slept) < 0.1


def test_a_refused_local_port_is_still_retried_as_a_server_may_be_starting() -> None:
    slept: list[float] = []
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        port = holder.getsockname()[1]
        with pytest.raises(SourceDown) as failure, counting_transport(slept) as client:
            client.request("GET", f"http://127.0.0.1:{port}/data")
    assert failure.value.attempts == 6 and client.requests_sent == 6


def test_a_remote_host_refusing_is_hopeless_but_a_local_one_is_not() -> None:
    # No remote host can be made to refuse here (no network): the decision is checked on the
    # error httpx raises, with the OS error it wraps as its cause.
    def refused() -> httpx.ConnectError:
        error = httpx.ConnectError("[Errno 111] Connection refused")
        error.__cause__ = ConnectionRefusedError(111, "Connection refused")
        return error

    assert _hopeless(refused(), "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esearch.fcgi")
    assert not _hopeless(refused(), "http://127.0.0.1:8080/eutils")
    assert not _hopeless(refused(), "http://localhost:8080/eutils")
    assert not _hopeless(httpx.ConnectError("[Errno 101] Network is unreachable"), "https://www.ebi.ac.uk/")


def livingreview(*args: object, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIVINGREVIEW_CONFIG": "/nonexistent/livingreview.toml", **environment}
    return subprocess.run([sys.executable, "-m", "livingreview", *map(str, args)],
                          capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture
def project(tmp_path: Path, minimal_protocol: Path) -> Path:
    directory = tmp_path / "review"
    assert livingreview("init", directory, "--protocol", minimal_protocol).returncode == 0
    return directory


def test_search_without_network_exits_4_after_one_try_and_points_to_offline(project: Path) -> None:
    done = livingreview("search", project, "--source", "pubmed",
                        LIVINGREVIEW_PUBMED_URL=NOWHERE + "/eutils", LIVINGREVIEW_RETRIES="6")
    assert done.returncode == 4, done.stderr
    assert "could not be reached after 1 attempt" in done.stderr
    assert f"livingreview search {project} --offline" in done.stderr
    assert "retry" not in done.stderr and "Traceback" not in done.stderr


def test_offline_in_a_new_project_says_how_to_get_something_to_replay(project: Path) -> None:
    done = livingreview("search", project, "--offline", "--source", "pubmed")
    assert done.returncode == 1, done.stderr
    assert "pubmed: no finished snapshot saved for source pubmed" in done.stderr
    assert "run a live search once" in done.stderr and "livingreview import" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_server_error_body_with_escape_sequences_reaches_stderr_inert(project: Path) -> None:
    from _http_server import Reply, SourceServer

    hostile = "\x1b]0;owned\x07\x1b[2J bad request [/] [interquartile range]"
    with SourceServer() as server:
        server.route("/eutils/esearch.fcgi", lambda seen: Reply(status=400, body=hostile.encode()))
        done = livingreview("search", project, "--source", "pubmed",
                            LIVINGREVIEW_PUBMED_URL=server.url + "/eutils", LIVINGREVIEW_RETRIES="1")
    assert done.returncode in (1, 4), done.stderr
    assert "HTTP 400" in done.stderr and "bad request [/] [interquartile range]" in done.stderr
    assert "\x1b" not in done.stderr + done.stdout and "\x07" not in done.stderr + done.stdout
