from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from livingreview import Review
from livingreview.screening.criteria import evaluate_record
from livingreview.screening.terminal import highlighted, vocabulary_styles
from livingreview.screening.workflow import Screening
from livingreview.store import Store

RECORDS = [
    ("Ketamine and empathy in healthy volunteers: a randomized controlled trial",
     "Healthy volunteers received ketamine or placebo; empathic concern was measured."),
    ("Esketamine nasal spray for MDD", "A placebo-controlled trial of esketamine in depression."),
    ("Knee surgery outcomes", "Patients with depression were excluded. Knee function improved."),
    ("Empathy after ketamine", "Healthy participants; empathy ratings after ketamine infusion."),
    ("Hip replacement costs", "A cost analysis of hip replacement in older adults."),
    ("CI-581 in healthy subjects", "An early report of CI-581 and empathic concern."),
]
PROMPT = re.escape("[q] quit")
SAVED = re.compile(rb"saved decision (\d+): (include|exclude|maybe)(?: \((C\d)\))? record (\d+)")
CLI = [sys.executable, "-c", "from livingreview.cli import main; main()"]


@pytest.fixture
def project(tmp_path: Path, minimal_protocol: Path) -> Path:
    directory = tmp_path / "review"
    export = tmp_path / "records.ris"
    export.write_text("".join(f"TY  - JOUR\nTI  - {t}\nAB  - {a}\nER  - \n\n" for t, a in RECORDS),
                      encoding="utf-8")
    with Review.init(directory, minimal_protocol) as review:
        review.import_file(export)
    return directory


def spawn_screener(project: Path, reviewer: str) -> pexpect.spawn:
    env = {**os.environ, "COLUMNS": "120", "LINES": "60", "TERM": "xterm"}
    return pexpect.spawn(CLI[0], [*CLI[1:], "screen", str(project), "--reviewer", reviewer],
                         env=env, timeout=60)


def acknowledge(child: pexpect.spawn) -> tuple[int, str, str | None, int]:
    child.expect(SAVED)
    decision, label, reason, record = child.match.groups()
    return int(decision), label.decode(), reason.decode() if reason else None, int(record)


def test_single_keys_on_a_terminal_then_sigkill_loses_no_acknowledged_decision(project: Path):
    child = spawn_screener(project, "ann")
    acknowledged = []
    child.expect(PROMPT)
    child.send("i")  # one key, no Enter: the terminal is in cbreak mode
    acknowledged.append(acknowledge(child))
    child.expect(PROMPT)
    child.send("e")
    child.expect(re.escape("[c] cancel"))
    child.send("3")
    acknowledged.append(acknowledge(child))
    child.expect(PROMPT)
    child.send("m")
    acknowledged.append(acknowledge(child))
    child.expect(PROMPT)
    child.send("n")  # a note is typed as a line, with echo, then the record is shown again
    child.expect(re.escape("note (Enter to finish):"))
    child.sendline("dose [unclear]")
    child.expect(re.escape("note: dose [unclear]"))
    child.expect(PROMPT)
    child.send("i")
    acknowledged.append(acknowledge(child))
    child.expect(PROMPT)
    child.send("u")
    child.expect(rb"saved undo of decision (\d+) \(record (\d+)\)")
    undone_decision, undone_record = (int(x) for x in child.match.groups())
    child.expect(PROMPT)
    child.send("i")
    acknowledged.append(acknowledge(child))
    child.expect(PROMPT)
    child.send("i")  # the last key races the kill: it may or may not have been saved
    child.kill(signal.SIGKILL)
    child.wait()
    assert child.signalstatus == signal.SIGKILL

    assert [a[1:3] for a in acknowledged] == [("include", None), ("exclude", "C3"), ("maybe", None),
                                              ("include", None), ("include", None)]
    assert undone_decision == acknowledged[3][0]
    # The record brought back by undo is shown again first.
    assert acknowledged[4][3] == undone_record
    with Store(project / "review.db") as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"
        rows = {r["id"]: r for r in store.query("SELECT * FROM decisions")}
        for decision, label, reason, record in acknowledged:
            assert rows[decision]["label"] == label
            assert rows[decision]["reason"] == reason
            assert rows[decision]["record_id"] == record
            assert rows[decision]["reviewer"] == "ann"
        assert rows[acknowledged[3][0]]["note"] == "dose [unclear]"
        undo_rows = [r for r in rows.values() if r["undone"]]
        assert [(r["supersedes"], r["record_id"]) for r in undo_rows] == [(undone_decision, undone_record)]
        logged = {e["detail"]["decision"] for e in store.events("screen")}
        assert {a[0] for a in acknowledged} <= logged


def test_reopened_screener_continues_where_the_killed_one_stopped(project: Path, minimal_protocol: Path):
    child = spawn_screener(project, "ann")
    child.expect(PROMPT)
    child.send("i")
    first = acknowledge(child)
    child.kill(signal.SIGKILL)
    child.wait()
    child = spawn_screener(project, "ann")
    child.expect(rb"title_abstract: 1 / 6 screened by ann")
    child.expect(PROMPT)
    child.send("q")
    child.expect(rb"stopped; 0 decisions saved")
    child.expect(pexpect.EOF)
    with Review(project) as review:
        pending = [u for u, _ in Screening(review.store, review.protocol).queue("title_abstract", "ann")]
    assert first[3] not in pending and len(pending) == 5


def test_lines_drive_the_screener_when_input_is_not_a_terminal(project: Path):
    keys = "i\nn\nneeds full text for dose\ne\n1\nzzz\nq\n"
    done = subprocess.run([*CLI, "screen", str(project), "--reviewer", "bob"], input=keys, text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "stopped; 2 decisions saved" in done.stdout
    with sqlite3.connect(project / "review.db") as connection:
        rows = connection.execute("SELECT label, reason, note FROM decisions ORDER BY id").fetchall()
    assert rows == [("include", None, None), ("exclude", "C1", "needs full text for dose")]


def test_full_text_exclusions_need_a_reason_key(project: Path):
    with Review(project) as review:
        included = review.screening.queue("title_abstract", "ann")[0][0]
        review.screening.decide("title_abstract", included, "ann", "include")
    done = subprocess.run([*CLI, "screen", str(project), "--reviewer", "bob", "--stage", "full_text"],
                          input="e\n0\n2\n", text=True, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "[0] no reason" not in done.stdout
    assert "nothing left to screen at full_text for bob" in done.stdout
    with sqlite3.connect(project / "review.db") as connection:
        rows = connection.execute("SELECT stage, record_id, label, reason FROM decisions"
                                  " WHERE reviewer = 'bob'").fetchall()
    assert rows == [("full_text", included, "exclude", "C2")]


def test_a_study_is_shown_once_with_its_grouped_records(project: Path):
    with Review(project) as review:
        first, second = (r.id for r in review.store.records("title LIKE '%ketamine%'")[:2])
        with review.store.transaction() as connection:
            study = connection.execute("INSERT INTO studies (created_at) VALUES ('2026-01-01')").lastrowid
            connection.execute("UPDATE records SET study_id = ? WHERE id IN (?, ?)", (study, first, second))
    done = subprocess.run([*CLI, "screen", str(project), "--reviewer", "bob"], input="i\ni\ni\ni\ni\ni\n",
                          text=True, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"record {first} (+1 grouped: {second})" in done.stdout
    assert f"record {second} " not in done.stdout
    assert done.stdout.count("saved decision") == 5
    assert "nothing left to screen at title_abstract for bob" in done.stdout


def test_the_screener_never_shows_another_reviewers_labels(project: Path):
    with Review(project) as review:
        screening = Screening(review.store, review.protocol)
        first = screening.queue("title_abstract", "bob")[0][0]
        screening.decide("title_abstract", first, "ann", "exclude", reason="C2", note="SECRET-NOTE")
    done = subprocess.run([*CLI, "screen", str(project), "--reviewer", "bob"], input="q\n", text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"record {first}" in done.stdout
    for leak in ("ann", "SECRET-NOTE", "exclude (C2)"):
        assert leak not in done.stdout


def test_terms_are_highlighted_by_vocabulary_and_negated_ones_struck(project: Path):
    with Review(project) as review:
        record = review.store.records("title = ?", ("Knee surgery outcomes",))[0]
        verdict = evaluate_record(review.protocol, record)
        styles = vocabulary_styles(review.protocol)
        text = highlighted(record.abstract or "", "abstract", verdict, styles)
    styled = {(record.abstract or "")[s.start:s.end]: str(s.style) for s in text.spans}
    assert styled == {"depression": f"{styles['population']} strike"}
    assert len(set(styles.values())) == len(styles)


def test_a_note_stays_with_its_record_and_quitting_before_saving_it_asks(project: Path):
    # include the first record, type a note on the second, undo (the first comes back), quit twice
    keys = "i\nn\nabout the second record\nu\nq\nq\n"
    done = subprocess.run([*CLI, "screen", str(project), "--reviewer", "bob"], input=keys, text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("note: about the second record") == 1  # not on the record undo brought back
    assert "unsaved note on record" in done.stdout and "stopped; 1 decisions saved" in done.stdout


def test_hostile_record_text_reaches_the_terminal_inert(tmp_path: Path, minimal_protocol: Path):
    directory = tmp_path / "review"
    export = tmp_path / "records.ris"
    export.write_bytes("TY  - JOUR\nTI  - Ketamine \x1b[2J\x1b]0;owned\x07 [/] [interquartile range] &lt;5 mg\n"
                       "AU  - Doe, Jane\nAU  - Roe, Kim\nAB  - Empathy after ketamine.\nER  - \n".encode())
    with Review.init(directory, minimal_protocol) as review:
        review.import_file(export)
    done = subprocess.run([*CLI, "screen", str(directory), "--reviewer", "bob"], input="q\n", text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "␛[2J" in done.stdout and "[/] [interquartile range] <5 mg" in done.stdout
    assert "Doe, Jane; Roe, Kim" in done.stdout


def test_reason_keys_follow_the_protocol_order_at_every_stage(project: Path):
    with Review(project) as review:
        protocol = review.protocol
    keys_text = subprocess.run([*CLI, "screen", str(project), "--reviewer", "bob"], input="e\nc\nq\n",
                               text=True, capture_output=True, timeout=120).stdout
    for number, criterion in enumerate(protocol.criteria, start=1):
        if "title_abstract" in criterion.stages:
            assert f"[{number}] {criterion.id} " in keys_text
