"""The terminal verifier on a real terminal (pexpect): keys, typed corrections, undo, kill -9."""

from __future__ import annotations

import os
import re
import signal
import sys
from pathlib import Path

import pexpect
import pytest

from livingreview import Review
from livingreview.extraction import verify
from livingreview.extraction.service import extraction_units, run_suggestions, store_suggestions

TITLE = "Ketamine [bold red]and[/] empathy\x1b[31m in healthy volunteers"
ABSTRACT = "In this randomised double-blind crossover trial, 24 healthy adults received ketamine and placebo."
CLI = [sys.executable, "-c", "from livingreview.cli import main; main()"]
SAVED = re.compile(rb"saved judgement (\d+): (accept|correct) study (\d+) field (\S+)")


@pytest.fixture
def project(tmp_path: Path, minimal_protocol: Path) -> Path:
    ris = tmp_path / "records.ris"
    ris.write_text(f"TY  - JOUR\nTI  - {TITLE}\nAB  - {ABSTRACT}\nER  - \n", encoding="utf-8")
    with Review.init(tmp_path / "review", minimal_protocol) as review:
        review.import_file(ris)
        review.dedupe()
        review.screening.decide("title_abstract", 1, "ann", "include")
        units = extraction_units(review.screening, every_record=False)
        store_suggestions(review.store, run_suggestions(review.protocol, units, {}))
    return tmp_path / "review"


def spawn(project: Path, reviewer: str) -> pexpect.spawn:
    env = {**os.environ, "COLUMNS": "120", "LINES": "60", "TERM": "xterm"}
    return pexpect.spawn(CLI[0], [*CLI[1:], "extract", str(project), "--reviewer", reviewer], env=env, timeout=60)


def test_accept_correct_refuse_undo_then_sigkill_keeps_every_acknowledged_value(project: Path):
    child = spawn(project, "ann")
    child.expect(re.escape("[q] quit"))
    screen = child.before.decode("utf-8", "replace")
    assert "[bold red]and[/]" in screen  # record text shown as text, never as markup
    assert "\x1b[31m in healthy" not in screen  # its escape sequence made visible, not sent to the terminal
    child.send("a")
    child.expect(SAVED)
    assert child.match.group(2, 4) == (b"accept", b"randomised")
    child.expect(re.escape("[q] quit"))
    child.send("c")
    child.expect("value for allocation")
    child.sendline("parallel")
    child.expect(SAVED)
    assert child.match.group(2, 4) == (b"correct", b"allocation")
    child.expect(re.escape("[q] quit"))
    child.send("c")
    child.expect("value for blinding")
    child.sendline("blindish")
    child.expect("'blindish' is not one of")
    child.expect(re.escape("[q] quit"))
    child.send("u")
    child.expect(r"saved undo of judgement \d+ \(study 1 field allocation\)")
    child.expect(re.escape("[q] quit"))
    child.send("s")  # skip allocation this time; blinding is next
    child.expect(r"field (\x1b\[[0-9;]*m)*blinding")
    child.kill(signal.SIGKILL)
    child.wait()
    with Review(project) as review:
        current = {e.ref.label: e for e in verify.current_extractions(review.store, "ann")}
    assert set(current) == {"randomised"}
    assert current["randomised"].value == "yes" and current["randomised"].action == "accept"
    assert current["randomised"].evidence and current["randomised"].evidence[0]["field"] in ("title", "abstract")


def test_quit_reports_the_values_saved(project: Path):
    child = spawn(project, "bob")
    child.expect(re.escape("[q] quit"))
    child.send("a")
    child.expect(SAVED)
    child.expect(re.escape("[q] quit"))
    child.send("q")
    child.expect("stopped; 1 values saved")
    child.expect(pexpect.EOF)
