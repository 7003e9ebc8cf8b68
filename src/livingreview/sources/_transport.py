"""HTTP for every source: polite spacing of requests, retries with back-off, clear failures.

Sleeping and the clock are injected so that tests can run the real retry logic against a real
server without waiting out real back-off delays.
"""

from __future__ import annotations

import random
import re
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from livingreview import __version__
from livingreview.errors import EXIT_UNREACHABLE, LivingReviewError
from livingreview.safe_text import redact

Sleep = Callable[[float], None]
Clock = Callable[[], float]

# Request parameters whose values are secrets: a server may echo them back in an error body.
SECRET_PARAMETERS = frozenset({"api_key", "apikey", "key", "token", "access_token"})
# getaddrinfo's messages, for when the socket.gaierror is not kept as the cause.
_NAME_NOT_RESOLVED = re.compile(r"name or service not known|nodename nor servname|"
                                r"temporary failure in name resolution|no address associated|getaddrinfo failed",
                                re.IGNORECASE)
_LOCAL_HOSTS = frozenset({"localhost", "::1", "[::1]"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504}) | frozenset(range(505, 600))
USER_AGENT = f"livingreview/{__version__} (systematic review tool)"


class SourceError(LivingReviewError, RuntimeError):
    """A request to a source failed for good; names the source and what happened."""

    exit_code = EXIT_UNREACHABLE

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        super().__init__(f"{source}: {message}")


class SourceDown(SourceError):
    """The source kept failing (network, timeouts, 429, 5xx) through every retry."""

    def __init__(self, source: str, url: str, attempts: int, last_problem: str,
                 unreachable: bool) -> None:
        self.url, self.attempts, self.unreachable = url, attempts, unreachable
        tries = f"{attempts} attempt{'' if attempts == 1 else 's'}"
        super().__init__(source, f"{'could not be reached' if unreachable else 'stayed down'} "
                                 f"after {tries} ({last_problem}) at {url}")


class SourceRejected(SourceError):
    """The source answered with a client error (4xx other than 429): retrying will not help."""


# Requests leave exactly spaced but arrive with network jitter; without slack, four requests
# at 3/s can land inside one second at the server.
SPACING_SLACK = 1.05


class RateLimiter:
    """Spaces requests at least 1.05/rate seconds apart (a token bucket holding one token).

    One token, not a burst allowance, because NCBI counts requests in any one-second window.
    """

    def __init__(self, per_second: float, *, clock: Clock = time.monotonic,
                 sleep: Sleep = time.sleep) -> None:
        if per_second <= 0:
            raise ValueError(f"rate must be positive, got {per_second}")
        self.interval = SPACING_SLACK / per_second
        self._clock, self._sleep = clock, sleep
        self._next_allowed: float | None = None

    def wait(self) -> None:
        current = self._clock()
        if self._next_allowed is not None and current < self._next_allowed:
            self._sleep(self._next_allowed - current)
            current = self._next_allowed
        self._next_allowed = current + self.interval


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    base_delay: float = 1.0
    max_delay: float = 60.0
    # A server asking for a longer pause than this is treated as down for now: the search stops,
    # keeps what it has, and resumes on the next run instead of sleeping for hours.
    longest_retry_after: float = 300.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Exponential back-off with full jitter: spreads retries of many clients apart."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return rng.uniform(ceiling / 2, ceiling)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds: either delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Transport:
    """One source's HTTP client: rate-limited, retried, with failures named after the source."""

    def __init__(
        self,
        source: str,
        *,
        per_second: float,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
        seed: int | None = None,
        on_retry: Callable[[str], None] | None = None,
    ) -> None:
        self.source = source
        self.retry = retry or RetryPolicy()
        self.limiter = RateLimiter(per_second, clock=clock, sleep=sleep)
        self._sleep = sleep
        self._rng = random.Random(seed)
        self._on_retry = on_retry
        self._client = httpx.Client(timeout=timeout, follow_redirects=True,
                                    headers={"User-Agent": USER_AGENT})
        self.requests_sent = 0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        shown_url: str | None = None,
    ) -> httpx.Response:
        """Send until a 2xx arrives or retries run out. `shown_url` is what errors may print
        (the caller passes a copy without secrets)."""
        shown = shown_url or url
        secrets = _secret_values(params, data)
        problem, unreachable, attempt = "", True, 0
        for attempt in range(1, self.retry.attempts + 1):
            self.limiter.wait()
            self.requests_sent += 1
            wait_hint: float | None = None
            try:
                response = self._client.request(method, url, params=params, data=data)
                response.read()
            except httpx.TimeoutException as error:
                problem, unreachable = f"timed out: {type(error).__name__}", False
            except httpx.ConnectError as error:
                problem = redact(f"connection failed: {error}", secrets)
                if _hopeless(error, url):
                    break  # no network or no such host: retrying for minutes would not help
            except httpx.TransportError as error:
                problem, unreachable = redact(f"{type(error).__name__}: {error}", secrets), False
            else:
                if response.is_success:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    # The body may echo the key sent (NCBI's invalid-key reply does).
                    raise SourceRejected(
                        self.source, redact(f"HTTP {response.status_code} from {shown}: "
                                            f"{response.text[:300].strip()}", secrets))
                problem, unreachable = f"HTTP {response.status_code}", False
                wait_hint = retry_after_seconds(response.headers.get("Retry-After"))
            if attempt == self.retry.attempts:
                break
            delay = self.retry.delay(attempt, self._rng)
            if wait_hint is not None and wait_hint > self.retry.longest_retry_after:
                problem += f", Retry-After {wait_hint:.0f} s"
                break
            if wait_hint is not None:
                # The server said when to come back: never earlier than that.
                delay = max(delay, wait_hint)
            if self._on_retry:
                self._on_retry(f"{self.source}: {problem}; retry {attempt} in {delay:.1f}s")
            self._sleep(delay)
        # The endpoint, not the full query: the message is for telling which service is down.
        raise SourceDown(self.source, redact(url, secrets), attempt, problem, unreachable)


def _secret_values(*fields: Mapping[str, Any] | None) -> list[str]:
    return [str(value) for mapping in fields if mapping
            for name, value in mapping.items() if name.lower() in SECRET_PARAMETERS and value]


def _hopeless(error: httpx.ConnectError, url: str) -> bool:
    """A name that does not resolve (no network, or a mistyped host) or a remote host refusing
    the connection: both stay so for the seconds a retry would wait. Timeouts, 5xx and 429 are
    retried; so is a refused local host (a local server may still be starting)."""
    causes = _causes(error)
    if any(isinstance(c, socket.gaierror) for c in causes) or _NAME_NOT_RESOLVED.search(str(error)):
        return True
    refused = any(isinstance(c, ConnectionRefusedError) for c in causes) or "refused" in str(error).lower()
    host = httpx.URL(url).host or ""
    return refused and host not in _LOCAL_HOSTS and not host.startswith("127.")


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain
