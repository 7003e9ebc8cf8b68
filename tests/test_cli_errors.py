"""Expected errors end with their exit code and one line; anything else is reported as a bug
(exit 70), with the traceback only under `livingreview --debug`."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from livingreview import Review
from livingreview.errors import EXIT_INTERNAL, BadInput, LivingReviewError, NotAProject, SourceUnreachable
from livingreview.store import MIGRATIONS

# The real entry point with one more command whose body has a bug (a KeyError nobody catches),
# so the handler is exercised exactly as a bug anywhere in a command would reach it.
WITH_A_BUG = """
from livingreview.cli import cli, main

@cli.command()
def broken():
    {}["missing key"]

main()
"""


@pytest.fixture
def review_dir(tmp_path: Path, minimal_protocol: Path) -> Path:
    Review.init(tmp_path / "review", minimal_protocol).close()
    return tmp_path / "review"


def livingreview(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", WITH_A_BUG, *args], capture_output=True, text=True)


def test_a_bug_is_reported_as_an_internal_error_without_a_traceback() -> None:
    done = livingreview("broken")
    assert done.returncode == EXIT_INTERNAL == 70
    assert "internal error: KeyError: 'missing key'" in done.stderr
    assert "rerun with `livingreview --debug ...`" in done.stderr
    assert "Traceback" not in done.stderr


def test_debug_shows_where_the_bug_happened() -> None:
    done = livingreview("--debug", "broken")
    assert done.returncode == EXIT_INTERNAL
    assert "Traceback (most recent call last)" in done.stderr
    assert 'in broken' in done.stderr and "KeyError: 'missing key'" in done.stderr


def test_bad_input_is_one_line_and_exit_1(review_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ris"
    bad.write_text("TY  - JOUR\nTI  - A title with no end record\n", encoding="utf-8")
    done = livingreview("import", str(review_dir), str(bad), "--format", "ris", "--json")
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {bad}:2 (record 1): ") and "internal error" not in done.stderr
    assert "Traceback" not in done.stderr
    with_debug = livingreview("--debug", "import", str(review_dir), str(bad), "--format", "ris",
                              "--json")
    assert with_debug.returncode == 1 and "Traceback" in with_debug.stderr


def test_a_project_from_a_newer_release_is_refused_as_not_a_project(review_dir: Path) -> None:
    connection = sqlite3.connect(review_dir / "review.db")
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    connection.close()
    done = livingreview("status", str(review_dir))
    assert done.returncode == 3
    assert "newer than this livingreview" in done.stderr and "internal error" not in done.stderr


def test_each_expected_error_carries_its_exit_code() -> None:
    assert [cls("x").exit_code for cls in (BadInput, NotAProject, SourceUnreachable)] == [1, 3, 4]
    assert all(issubclass(cls, LivingReviewError) for cls in (BadInput, NotAProject, SourceUnreachable))
    # Callers that caught ValueError before the base existed still catch bad input.
    assert issubclass(BadInput, ValueError)
