"""Untrusted text made safe for where it is shown: the terminal, spreadsheets, logs.

Titles, abstracts, reviewer names and server replies come from outside. In a terminal an escape
sequence in a title can clear the screen, retitle the window or plant a hyperlink; rich reads
`[...]` as markup, so `[/]` crashes a render and `[interquartile range]` vanishes. In a
spreadsheet a cell starting with `=`, `+`, `-` or `@` is a formula. A server's error body can
echo the API key that was sent. Each has one function here, applied where text leaves the
program.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable

from rich.markup import escape as _escape_markup

# ESC-introduced sequences (CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ST`, and two-byte escapes),
# then any other C0/C1 control character except tab and newline.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, clear screen
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window title, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]?"  # other two-byte escapes, or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Secrets as they appear in URLs, headers, JSON and error bodies.
_SECRET_PATTERNS = (
    re.compile(r"(?i)((?:api[_-]?key|apikey|access[_-]?token|token|secret|password|passwd)"
               r"[\"']?\s*[:=]\s*[\"']?)([^\s\"'&,;}]+)"),
    re.compile(r"(?i)(authorization\s*:\s*(?:bearer|basic|token)\s+)(\S+)"),
)
# Environment variables whose values are secrets wherever they turn up.
SECRET_ENVIRONMENT = ("NCBI_API_KEY", "LIVINGREVIEW_NCBI_API_KEY", "EUROPEPMC_API_KEY")
REDACTED = "[REDACTED]"


def plain_for_terminal(text: str) -> str:
    """The text without escape sequences or control characters (tab and newline kept)."""
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def visible_controls(text: str) -> str:
    """Control characters shown as their Unicode control pictures (ESC as ␛), one for one, so
    character offsets into the text (highlighted evidence spans) stay right."""
    return _CONTROL.sub(_picture, text)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return chr(0x2400 + code) if code < 32 else "\u2421" if code == 0x7F else "\ufffd"


def for_terminal(text: str) -> str:
    """Safe inside a rich markup string: controls removed, `[` escaped."""
    return _escape_markup(plain_for_terminal(text))


def for_csv(value: object) -> object:
    """A cell a spreadsheet shows as text: a leading formula character gets a quote before it.

    Numbers are left alone (a negative number is not a formula); so is None.
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    return "'" + value


def for_html(text: str) -> str:
    return html.escape(plain_for_terminal(text), quote=True)


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """The text with secrets replaced: known values (given, or in the secret environment
    variables) wherever they occur, and anything that looks like `api_key=...` or a bearer
    token."""
    known = [s for s in (*secrets, *(os.environ.get(name) for name in SECRET_ENVIRONMENT))
             if s and len(s) >= 4]
    for secret in sorted(set(known), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text
