"""Untrusted text is neutralised for the terminal, spreadsheets, HTML and logs."""

from __future__ import annotations

import pytest
from rich.console import Console

from livingreview.safe_text import REDACTED, for_csv, for_html, for_terminal, plain_for_terminal, redact

HOSTILE = [
    "Title\x1b[2J\x1b[H cleared",  # clear screen, cursor home
    "Title\x1b]0;owned\x07 retitled",  # window title (OSC ... BEL)
    "Title \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ text",  # hyperlink (OSC ... ST)
    "Bell\x07 backspace\x08 and C1 \x9b31m colour",
    "Lone escape \x1b",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_no_escape_or_control_character_survives(text: str) -> None:
    cleaned = plain_for_terminal(text)
    assert not any(ord(c) < 32 and c not in "\t\n" or 0x7f <= ord(c) <= 0x9f for c in cleaned)


def test_visible_words_are_kept_and_tabs_and_newlines_stay() -> None:
    assert plain_for_terminal("Title\x1b[2J\x1b[H cleared") == "Title cleared"
    assert plain_for_terminal("Title \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ text") == "Title link text"
    assert plain_for_terminal("a\tb\nc") == "a\tb\nc"


@pytest.mark.parametrize("text", ["[/]", "median [interquartile range]", "[bold red]x[/bold red]", "\\[x]"])
def test_rich_markup_in_record_text_prints_literally(text: str) -> None:
    console = Console(record=True, width=200, color_system=None)
    console.print(f"title: {for_terminal(text)}")
    assert console.export_text().rstrip("\n") == f"title: {text}"


@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-cmd", "'-cmd"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("Ketamine", "Ketamine"), (-1.5, -1.5), (None, None),
])
def test_formula_cells_are_neutralised(value: object, cell: object) -> None:
    assert for_csv(value) == cell


def test_html_escapes_markup_and_drops_controls() -> None:
    assert for_html("<script>alert('x')</script>\x1b[2J") == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


def test_known_secret_values_and_key_shapes_are_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCBI_API_KEY", "0123456789abcdef0123456789abcdef0123")
    body = ('{"error":"API key invalid","api-key":"0123456789abcdef0123456789abcdef0123"} '
            "GET /esearch.fcgi?term=x&api_key=SECRETVALUE&email=a@b.org Authorization: Bearer tok3n")
    cleaned = redact(body, secrets=["tok3n"])
    assert "0123456789abcdef" not in cleaned and "SECRETVALUE" not in cleaned and "tok3n" not in cleaned
    assert cleaned.count(REDACTED) >= 3 and "term=x" in cleaned and "API key invalid" in cleaned
