"""`realdata` tests skip when ../shared is absent, except under LIVINGREVIEW_REQUIRE_REALDATA=1
(set by CI), where they fail: missing data must not pass silently."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

SAMPLE = '''
import pytest
from conftest import fixture_path

@pytest.mark.realdata
def test_reads_a_fixture_that_is_not_there():
    fixture_path("no-such-folder", "no-such-file.ris")

@pytest.mark.realdata
def test_skips_on_its_own():
    pytest.skip("the reference tool is not installed")

def test_not_realdata_may_skip():
    pytest.skip("unrelated to the shared fixtures")
'''


def run_sample(tmp_path: Path, required: bool) -> str:
    (tmp_path / "test_sample.py").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    realdata: reads ../shared\n",
                                         encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(TESTS),
                   "LIVINGREVIEW_REQUIRE_REALDATA": "1" if required else "0"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "-rA", "-q", "-p", "no:cacheprovider",
         "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path), str(tmp_path)],
        capture_output=True, text=True, env=environment, cwd=tmp_path)
    return done.stdout


def test_realdata_tests_skip_when_the_data_is_absent(tmp_path: Path) -> None:
    summary = run_sample(tmp_path, required=False).splitlines()[-1]
    assert "3 skipped" in summary and "failed" not in summary


def test_realdata_tests_fail_instead_of_skipping_when_required(tmp_path: Path) -> None:
    output = run_sample(tmp_path, required=True)
    assert "2 failed, 1 skipped" in output.splitlines()[-1]
    assert "no-such-file.ris is not present" in output
    assert "LIVINGREVIEW_REQUIRE_REALDATA=1 forbids skipping" in output
    assert "the reference tool is not installed" in output
