"""Passwords, the session secret, CSRF tokens and login rate limiting of `livingreview serve`.

Passwords are kept only as Argon2id hashes (argon2-cffi's defaults). The session cookie is
signed with a secret made at first use in the project folder (`.serve-secret`, mode 0600), so
restarting the server keeps people logged in and another review's cookie is worthless here.
Every POST carries the session's CSRF token; a cookie alone (a cross-site form) is not enough.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections import deque
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from livingreview.store import Store
from livingreview.store import users
from livingreview.store.reviewers import Reviewer

SECRET_FILE = ".serve-secret"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
_HASHER = PasswordHasher()
# A password no hash matches, verified when the name is unknown so that the time taken does not
# tell which names have accounts.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))
MIN_PASSWORD_LENGTH = 8


class PasswordError(ValueError):
    """A password that cannot be used; the message says what is expected."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def authenticate(store: Store, name: str, password: str) -> Reviewer | None:
    """The account's reviewer when the password matches its hash, else None."""
    stored = users.password_hash(store, name)
    try:
        _HASHER.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if stored is None:
        return None
    if _HASHER.check_needs_rehash(stored):
        users.replace_hash(store, name, _HASHER.hash(password))
    return users.account(store, name)


def session_secret(directory: Path) -> str:
    """The project's session-signing secret, created (0600, never overwritten) at first use."""
    path = directory / SECRET_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        secret = path.read_text(encoding="ascii").strip()
        if len(secret) < 32:
            raise PasswordError(f"{path} holds no usable secret; delete it to make a new one") from None
        return secret
    secret = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secret + "\n")
    return secret


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_matches(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


class LoginLimiter:
    """At most `attempts` failed logins per (name, client address) in `window` seconds."""

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts = attempts
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def blocked_for(self, name: str, address: str) -> float:
        """Seconds until another attempt is allowed (0 when allowed now)."""
        with self._lock:
            failures = self._recent((name.strip().lower(), address))
            if len(failures) < self.attempts:
                return 0.0
            return max(0.0, failures[0] + self.window - time.monotonic())

    def failed(self, name: str, address: str) -> None:
        with self._lock:
            self._recent((name.strip().lower(), address)).append(time.monotonic())

    def succeeded(self, name: str, address: str) -> None:
        with self._lock:
            self._failures.pop((name.strip().lower(), address), None)

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        cutoff = time.monotonic() - self.window
        while failures and failures[0] < cutoff:
            failures.popleft()
        return failures
