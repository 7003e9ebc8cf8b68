"""The shared transport against a real local server: retries, back-off, Retry-After, limits."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from _http_server import Fault, Reply, SourceServer
from livingreview.sources._transport import (
    RateLimiter,
    RetryPolicy,
    SourceDown,
    SourceRejected,
    Transport,
    retry_after_seconds,
)


class FakeTime:
    """A clock that only moves when slept on: tests see every delay without waiting it out."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def server():
    with SourceServer() as running:
        running.route("/data", lambda seen: Reply(body=b'{"ok": true}'))
        yield running


def transport(fake: FakeTime, **options) -> Transport:
    settings = {"per_second": 1000.0, "timeout": 5.0, "retry": RetryPolicy(attempts=4),
                "sleep": fake.sleep, "clock": fake.clock, "seed": 1}
    return Transport("testsource", **(settings | options))


def test_retry_after_is_read_as_seconds_or_http_date():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True),
                               now=now) == pytest.approx(30.0)
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=30), usegmt=True),
                               now=now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_rate_limiter_spaces_requests_by_the_interval():
    fake = FakeTime()
    limiter = RateLimiter(3.0, clock=fake.clock, sleep=fake.sleep)
    starts = []
    for _ in range(7):
        limiter.wait()
        starts.append(fake.now)
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert all(gap == pytest.approx(1.05 / 3) for gap in gaps)
    # so that no one-second window ever holds more than three
    assert starts[3] - starts[0] > 1.0


def test_rate_limiter_does_not_wait_when_the_caller_is_slower_than_the_limit():
    fake = FakeTime()
    limiter = RateLimiter(3.0, clock=fake.clock, sleep=fake.sleep)
    limiter.wait()
    fake.now += 5.0
    limiter.wait()
    assert fake.slept == []


def test_429_with_retry_after_in_seconds_is_honoured(server):
    fake = FakeTime()
    server.inject("/data", Fault("status", 429, retry_after="7"))
    with transport(fake) as client:
        response = client.request("GET", server.url + "/data")
    assert response.json() == {"ok": True}
    assert len(server.requests("/data")) == 2
    assert max(fake.slept) >= 7.0


def test_429_with_retry_after_as_http_date_is_honoured(server):
    fake = FakeTime()
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=40), usegmt=True)
    server.inject("/data", Fault("status", 429, retry_after=later))
    with transport(fake) as client:
        client.request("GET", server.url + "/data")
    assert max(fake.slept) >= 38.0


@pytest.mark.parametrize("fault", [
    Fault("status", 500), Fault("status", 503), Fault("reset"),
    Fault("truncate", body=b'{"ok": tr'),
], ids=["500", "503", "connection-reset", "truncated-body"])
def test_transient_faults_are_retried_until_the_answer_arrives(server, fault):
    fake = FakeTime()
    server.inject("/data", fault, fault)
    with transport(fake) as client:
        response = client.request("GET", server.url + "/data")
    assert response.json() == {"ok": True}
    assert len(server.requests("/data")) == 3


def test_a_response_slower_than_the_timeout_is_retried(server):
    fake = FakeTime()
    server.inject("/data", Fault("slow", seconds=1.0))
    with transport(fake, timeout=0.3) as client:
        response = client.request("GET", server.url + "/data")
    assert response.json() == {"ok": True}
    assert len(server.requests("/data")) == 2


def test_back_off_grows_exponentially_with_jitter(server):
    fake = FakeTime()
    server.inject("/data", *[Fault("status", 502)] * 5)
    with pytest.raises(SourceDown):
        with transport(fake, retry=RetryPolicy(attempts=5, base_delay=1.0)) as client:
            client.request("GET", server.url + "/data")
    delays = [d for d in fake.slept if d > 0.01]  # the limiter's tiny spacing aside
    assert len(delays) == 4
    for attempt, delay in enumerate(delays, start=1):
        assert 2 ** (attempt - 1) / 2 <= delay <= 2 ** (attempt - 1)


def test_a_source_that_stays_down_fails_naming_itself(server):
    fake = FakeTime()
    server.inject("/data", *[Fault("status", 500)] * 10)
    with pytest.raises(SourceDown) as failure, transport(fake) as client:
        client.request("GET", server.url + "/data", params={"q": "x"})
    assert failure.value.source == "testsource"
    assert str(failure.value).startswith("testsource: stayed down after 4 attempts (HTTP 500)")
    assert not failure.value.unreachable


def test_an_unreachable_host_is_reported_as_unreachable():
    fake = FakeTime()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        port = holder.getsockname()[1]  # bound, not listening: connections are refused
        with pytest.raises(SourceDown) as failure, transport(fake) as client:
            client.request("GET", f"http://127.0.0.1:{port}/data")
    assert failure.value.unreachable
    assert "could not be reached" in str(failure.value)


def test_a_client_error_is_not_retried(server):
    fake = FakeTime()
    server.inject("/data", Fault("status", 400))
    with pytest.raises(SourceRejected, match="HTTP 400"), transport(fake) as client:
        client.request("GET", server.url + "/data")
    assert len(server.requests("/data")) == 1


def test_a_retry_after_of_hours_stops_instead_of_sleeping(server):
    fake = FakeTime()
    server.inject("/data", Fault("status", 503, retry_after="7200"))
    with pytest.raises(SourceDown, match=r"stayed down after 1 attempt \(HTTP 503, Retry-After 7200 s\)"):
        with transport(fake) as client:
            client.request("GET", server.url + "/data")
    assert max(fake.slept, default=0.0) < 1.0
