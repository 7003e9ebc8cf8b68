"""A review database that is missing, empty, garbage, locked, full or read-only ends with one
clear line and the documented exit code, never a traceback or a silently new review."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from livingreview import Review
from livingreview.errors import EXIT_BAD_INPUT, EXIT_NOT_A_PROJECT, NotAProject
from livingreview.store.db import NotADatabase, Store, StoreUnavailable


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "livingreview", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


def _one_clean_line(stderr: str) -> None:
    assert "Traceback" not in stderr and "internal error" not in stderr


def _write_ris(path: Path, count: int) -> None:
    path.write_text("".join(f"TY  - JOUR\nTI  - Record {n}\nPY  - 2020\nER  - \n\n"
                            for n in range(count)), encoding="utf-8")


@pytest.mark.parametrize("damage", ["deleted", "emptied"])
def test_a_lost_review_database_is_not_silently_recreated(review: Review, damage: str) -> None:
    review.close()
    database = review.directory / "review.db"
    for leftover in (database, database.with_name("review.db-wal"), database.with_name("review.db-shm")):
        leftover.unlink(missing_ok=True)
    if damage == "emptied":
        database.touch()
    with pytest.raises(NotAProject, match="review.db"):
        Review(review.directory)
    assert database.exists() == (damage == "emptied")
    done = _cli("status", str(review.directory))
    assert done.returncode == EXIT_NOT_A_PROJECT
    assert str(database) in done.stderr.replace("\n", "")
    _one_clean_line(done.stderr)
    assert not database.exists() or database.stat().st_size == 0


def test_init_refuses_to_overwrite_a_different_protocol_without_force(
        tmp_path: Path, minimal_protocol: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    theirs = folder / "protocol.toml"
    theirs.write_text(minimal_protocol.read_text().replace('id = "minimal"', 'id = "theirs"'))
    before = theirs.read_bytes()
    with pytest.raises(NotAProject, match="protocol.toml exists already"):
        Review.init(folder, minimal_protocol)
    assert theirs.read_bytes() == before and not (folder / "review.db").exists()
    done = _cli("init", str(folder), "--protocol", str(minimal_protocol))
    assert done.returncode == EXIT_NOT_A_PROJECT and "--force" in done.stderr
    assert theirs.read_bytes() == before
    assert _cli("init", str(folder), "--protocol", str(minimal_protocol), "--force").returncode == 0
    assert theirs.read_bytes() == minimal_protocol.read_bytes()


def test_init_from_the_protocol_already_in_the_folder_needs_no_force(
        tmp_path: Path, minimal_protocol: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "protocol.toml").write_bytes(minimal_protocol.read_bytes())
    with Review.init(folder, minimal_protocol) as created:
        assert created.protocol.review.id == "minimal"


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_garbage_or_truncated_database_is_named_as_not_a_livingreview_database(
        review: Review, tmp_path: Path, damage: str) -> None:
    path = tmp_path / "export.ris"
    _write_ris(path, 300)
    review.import_file(path)
    review.store.query("PRAGMA wal_checkpoint(TRUNCATE)")
    review.close()
    database = review.directory / "review.db"
    content = database.read_bytes()
    database.write_bytes(os.urandom(8192) if damage == "garbage" else content[: len(content) // 3])
    with pytest.raises(NotADatabase, match="is not a livingreview database"):
        with Review(review.directory) as opened:
            opened.status()
    done = _cli("status", str(review.directory))
    assert done.returncode == EXIT_NOT_A_PROJECT, done.stderr
    assert "is not a livingreview database" in done.stderr
    _one_clean_line(done.stderr)


def test_a_newer_schema_still_exits_3(review: Review) -> None:
    review.store.query("PRAGMA user_version = 999")
    review.close()
    done = _cli("status", str(review.directory))
    assert done.returncode == EXIT_NOT_A_PROJECT and "upgrade livingreview" in done.stderr
    _one_clean_line(done.stderr)


def _hold_write_lock(database: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_locked_database_is_waited_for_with_a_message(review: Review) -> None:
    holder = _hold_write_lock(review.store.path)
    said: list[str] = []
    review.store.announce = said.append
    review.store.lock_timeout = 30.0  # a failed release ends the test, not an hour later
    release = threading.Timer(2.5, lambda: holder.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    review.store.log("test", "test.after_wait")  # longer than SQLite's own one-second step
    release.join()
    holder.close()
    assert time.monotonic() - started >= 2.0
    assert said == [said[0]] and "waiting for another livingreview process to release review.db" in said[0]
    assert review.store.events("test", "test.after_wait")


def test_a_lock_held_past_the_timeout_fails_clearly(review: Review) -> None:
    holder = _hold_write_lock(review.store.path)
    try:
        with Store(review.store.path, lock_timeout=1.5, announce=lambda m: None) as waiting:
            with pytest.raises(StoreUnavailable, match="locked by another livingreview process"):
                waiting.log("test", "test.never")
    finally:
        holder.close()


def test_a_locked_database_on_the_command_line_waits_then_exits_1(review: Review,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "export.ris"
    _write_ris(path, 3)
    holder = _hold_write_lock(review.store.path)
    try:
        done = _cli("import", str(review.directory), str(path),
                    env={"LIVINGREVIEW_LOCK_TIMEOUT": "2"})
    finally:
        holder.close()
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    assert "waiting for another livingreview process to release review.db" in done.stderr
    assert "locked by another livingreview process" in done.stderr
    _one_clean_line(done.stderr)


def test_a_full_database_disk_rolls_back_and_says_so(review: Review, tmp_path: Path) -> None:
    # SQLite's own "database or disk is full" (SQLITE_FULL), raised by capping the file's pages.
    path = tmp_path / "export.ris"
    _write_ris(path, 2000)
    pages = review.store.scalar("PRAGMA page_count")
    review.store.query(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(StoreUnavailable, match="the disk is full"):
        review.import_file(path)
    review.store.query("PRAGMA max_page_count = 1073741823")
    assert review.store.scalar("SELECT COUNT(*) FROM records") == 0
    assert review.store.scalar("SELECT COUNT(*) FROM imports") == 0
    assert list(review.imports_dir.iterdir()) == []


def test_a_read_only_database_says_so(review: Review, tmp_path: Path) -> None:
    # Tests run as root here, where chmod does not stop writes: SQLite's query_only pragma
    # raises the same SQLITE_READONLY error ("attempt to write a readonly database").
    path = tmp_path / "export.ris"
    _write_ris(path, 3)
    review.store.query("PRAGMA query_only = ON")
    with pytest.raises(StoreUnavailable, match="read-only"):
        review.import_file(path)
    review.store.query("PRAGMA query_only = OFF")
    assert list(review.imports_dir.iterdir()) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_full_disk_or_read_only_folder_outside_the_store_is_one_line_and_exit_1(
        code: int, capsys: pytest.CaptureFixture[str]) -> None:
    import click

    from livingreview.cli._common import run_guarded

    @click.group()
    def tool() -> None:
        pass

    @tool.command()
    def write() -> None:
        raise OSError(code, os.strerror(code), "/review/report/index.html")

    with pytest.raises(SystemExit) as ended:
        run_guarded(tool, ["write"])
    assert ended.value.code == EXIT_BAD_INPUT
    error = capsys.readouterr().err
    assert f"cannot write /review/report/index.html: {os.strerror(code)}" in error
    _one_clean_line(error)
