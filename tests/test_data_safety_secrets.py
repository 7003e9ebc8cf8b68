"""Secrets never reach stderr or the event log: an API key a server echoes in its error body
(NCBI's invalid-key reply does) is redacted wherever the message goes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from _http_server import EutilsSimulator, Reply, Seen, SourceServer
from livingreview import Review
from livingreview.protocol.models import Source
from livingreview.safe_text import REDACTED
from livingreview.sources import SourceSettings, run_search
from livingreview.sources._transport import RetryPolicy, SourceRejected, Transport

KEY = "f00dbabe0123456789abcdef0123456789ab"


def _invalid_key_reply(seen: Seen) -> Reply:
    """The shape of NCBI's reply to a bad key: the key sent, echoed in the JSON error body."""
    body = {"error": "API key invalid", "api-key": seen.params.get("api_key", ""),
            "type": "invalid", "status": "unknown"}
    return Reply(400, json.dumps(body).encode())


@pytest.fixture
def server():
    with SourceServer() as running:
        EutilsSimulator([]).install(running)
        running.route("/eutils/esearch.fcgi", _invalid_key_reply)
        yield running


def test_a_key_echoed_in_an_error_body_is_redacted_from_the_error(server: SourceServer) -> None:
    with Transport("pubmed", per_second=1000.0, retry=RetryPolicy(attempts=1)) as client:
        with pytest.raises(SourceRejected) as rejected:
            client.request("GET", server.url + "/eutils/esearch.fcgi",
                           params={"db": "pubmed", "api_key": KEY})
    assert KEY not in str(rejected.value)
    assert REDACTED in str(rejected.value) and "API key invalid" in str(rejected.value)


def test_a_key_from_the_settings_echoed_by_the_server_never_reaches_the_event_log(
        review: Review, server: SourceServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # The key comes from the settings (a config file), not the environment the log knows of.
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    settings = SourceSettings(pubmed_url=server.url + "/eutils", ncbi_api_key=KEY, rate=1000.0,
                              timeout=2.0, retries=1)
    with pytest.raises(SourceRejected):
        run_search(review.store, review.directory, review.protocol,
                   Source(name="pubmed", kind="pubmed"), settings=settings)
    failed = review.store.events("search", "search.failed")
    assert failed and REDACTED in failed[0]["detail"]["error"]
    assert KEY not in json.dumps(review.store.events())


def test_the_event_log_redacts_known_secrets_and_key_shaped_text(
        review: Review, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCBI_API_KEY", KEY)
    review.store.log("search", "search.note", detail={"error": f"bad key {KEY}",
                                                      "nested": [{"url": "x?token=abc123"}]},
                     why=f'server said "api_key": "{KEY}"')
    stored = review.store.query("SELECT detail, why FROM events WHERE action = 'search.note'")[0]
    assert KEY not in stored["detail"] and KEY not in stored["why"] and "abc123" not in stored["detail"]
    assert json.loads(stored["detail"]) == {"error": f"bad key {REDACTED}",
                                            "nested": [{"url": f"x?token={REDACTED}"}]}


def test_the_command_line_prints_the_error_without_the_key(review: Review, server: SourceServer,
                                                           tmp_path: Path) -> None:
    review.close()
    environment = {**os.environ, "NCBI_API_KEY": KEY, "LIVINGREVIEW_PUBMED_URL": server.url + "/eutils",
                   "LIVINGREVIEW_RETRIES": "1", "LIVINGREVIEW_CONFIG": str(tmp_path / "none.toml")}
    done = subprocess.run([sys.executable, "-m", "livingreview", "search", str(review.directory),
                           "--source", "pubmed"], capture_output=True, text=True, env=environment,
                          timeout=120)
    assert done.returncode != 0, done.stderr
    assert "API key invalid" in done.stderr and REDACTED in done.stderr
    assert KEY not in done.stderr and KEY not in done.stdout
