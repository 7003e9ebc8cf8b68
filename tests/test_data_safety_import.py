"""Imports that race, die or run out of disk: no traceback, no lost copy, no orphan left."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import BinaryIO

import pytest

from livingreview import Review
from livingreview.cli import cli
from livingreview.cli._common import run_guarded
from livingreview.errors import BadInput
from livingreview.importers import service
from livingreview.store.db import StoreUnavailable


def _write_ris(path: Path, count: int, tag: str = "") -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        for number in range(1, count + 1):
            handle.write(f"TY  - JOUR\r\nTI  - Record {tag}{number} on ketamine and empathy\r\n"
                         f"AU  - Author{number}, A.\r\nPY  - {1990 + number % 30}\r\n"
                         "AB  - An abstract about a randomised controlled trial.\r\nER  - \r\n\r\n")


def _copy_name(path: Path) -> str:
    return f"{hashlib.sha256(path.read_bytes()).hexdigest()[:12]}-{path.name}"


def _dead_pid() -> int:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    return int(finished.stdout)


def test_a_second_import_of_the_same_bytes_at_the_same_time_is_skipped_and_keeps_the_copy(
        review: Review, tmp_path: Path) -> None:
    path = tmp_path / "export.ris"
    _write_ris(path, 40)
    other = Review(review.directory)
    waiting = threading.Event()
    other.store.announce = lambda message: waiting.set()
    second: list[service.ImportResult] = []
    runner: list[threading.Thread] = []

    def start_the_other_import_inside_this_one(number: int) -> None:
        # The first import holds the write lock; the second copies, sees no import yet, and
        # waits for the lock: the race of two processes, made to happen every time.
        if number == 1:
            runner.append(threading.Thread(target=lambda: second.append(other.import_file(path))))
            runner[0].start()
            assert waiting.wait(20), "the second import never waited for the lock"

    first = review.import_file(path, on_record=start_the_other_import_inside_this_one)
    runner[0].join(30)
    other.close()
    assert not first.already_imported and first.records == 40
    assert second[0].already_imported and second[0].import_id == first.import_id
    assert [p.name for p in review.imports_dir.iterdir()] == [_copy_name(path)]
    assert (review.imports_dir / _copy_name(path)).read_bytes() == path.read_bytes()
    skipped = review.store.events("import", "import.skipped")
    assert "another livingreview process" in skipped[0]["why"]
    assert review.store.scalar("SELECT COUNT(*) FROM records") == 40


def test_the_stored_copy_is_relative_to_the_project_folder(review: Review, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "export.ris"
    _write_ris(path, 3)
    monkeypatch.chdir(tmp_path)
    with Review(review.directory.relative_to(tmp_path)) as relative:
        relative.import_file(path)
    stored = review.store.scalar("SELECT stored_copy FROM imports")
    assert stored == f"imports/{_copy_name(path)}"
    assert (review.directory / stored).exists()


_IMPORT_WITH_PROGRESS = """
import sys
from livingreview import Review

def progress(number):
    if number % 500 == 0:
        print(number, flush=True)

with Review(sys.argv[1]) as review:
    review.import_file(sys.argv[2], on_record=progress)
    print("done", flush=True)
"""


def test_a_killed_import_leaves_no_copy_after_the_next_import(review: Review, tmp_path: Path) -> None:
    killed_file, next_file = tmp_path / "large.ris", tmp_path / "next.ris"
    _write_ris(killed_file, 20_000)
    _write_ris(next_file, 5, tag="next ")
    process = subprocess.Popen([sys.executable, "-c", _IMPORT_WITH_PROGRESS,
                                str(review.directory), str(killed_file)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    try:
        line = process.stdout.readline()
        assert line.strip() == "500", "the import finished or failed before it could be killed"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
        process.stdout.close()
    assert any(review.imports_dir.iterdir()), "the killed import had written its copy"
    review.import_file(next_file)
    assert [p.name for p in review.imports_dir.iterdir()] == [_copy_name(next_file)]
    assert review.store.scalar("SELECT COUNT(*) FROM imports") == 1


def test_orphans_are_swept_but_copies_with_an_import_and_other_files_stay(
        review: Review, tmp_path: Path) -> None:
    kept, recovered = tmp_path / "kept.ris", tmp_path / "recovered.ris"
    _write_ris(kept, 2, tag="kept ")
    _write_ris(recovered, 2, tag="recovered ")
    review.import_file(kept)
    # A copy left by an older version killed mid-import (named, no imports row, old).
    legacy = review.imports_dir / "0123456789ab-lost.ris"
    legacy.write_text("TY  - JOUR\n")
    os.utime(legacy, (time.time() - 60, time.time() - 60))
    notes = review.imports_dir / "README.txt"
    notes.write_text("the team's own notes")
    # An import that committed and was killed before renaming its copy into place.
    review.import_file(recovered)
    name = _copy_name(recovered)
    digest = hashlib.sha256(recovered.read_bytes()).hexdigest()
    partial = review.imports_dir / f".{digest}.{_dead_pid()}-0000@{os.uname().nodename}.partial"
    (review.imports_dir / name).rename(partial)
    third = tmp_path / "third.ris"
    _write_ris(third, 1, tag="third ")
    review.import_file(third)
    assert sorted(p.name for p in review.imports_dir.iterdir()) == sorted(
        [_copy_name(kept), name, _copy_name(third), "README.txt"])
    assert (review.imports_dir / name).read_bytes() == recovered.read_bytes()


def test_a_full_disk_while_copying_imports_nothing_and_leaves_no_partial_copy(
        review: Review, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "export.ris"
    _write_ris(path, 10)

    def fills_the_disk(reading: BinaryIO, writing: BinaryIO, length: int = 0) -> None:
        writing.write(reading.read(100))  # what fitted
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copyfileobj", fills_the_disk)
    with pytest.raises(StoreUnavailable, match="the disk is full"):
        review.import_file(path)
    assert list(review.imports_dir.iterdir()) == []
    assert review.store.scalar("SELECT COUNT(*) FROM imports") == 0


def test_a_full_disk_while_copying_is_one_line_and_exit_1_on_the_command_line(
        review: Review, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.ris"
    _write_ris(path, 10)

    def no_space(reading: BinaryIO, writing: BinaryIO, length: int = 0) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copyfileobj", no_space)
    with pytest.raises(SystemExit) as ended:
        run_guarded(cli, ["import", str(review.directory), str(path)])
    assert ended.value.code == 1
    error = capsys.readouterr().err
    assert "the disk is full" in error and "Traceback" not in error and "internal error" not in error


@pytest.mark.parametrize(("content", "says"), [
    (b"\x1f\x8b\x08\x00" + bytes(60), "looks like gzip; unpack it first"),
    (b"PK\x03\x04" + bytes(60), "looks like a zip archive"),
    (b"SQLite format 3\x00\x10\x00\x02\x02" + bytes(40), "binary file, not a text export"),
    (b"TY  - JOUR\r\nTI  - A title\x00\x01\x02 then text", "binary file, not a text export"),
])
def test_a_packed_or_binary_file_is_refused_by_name(review: Review, tmp_path: Path,
                                                    content: bytes, says: str) -> None:
    path = tmp_path / "export.ris"
    path.write_bytes(content)
    with pytest.raises(BadInput, match=says) as refused:
        review.import_file(path)
    assert str(path) in str(refused.value)
    assert review.store.scalar("SELECT COUNT(*) FROM imports") == 0


def test_utf16_text_is_not_taken_for_binary(review: Review, tmp_path: Path) -> None:
    path = tmp_path / "export.ris"
    _write_ris(path, 2)
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    assert review.import_file(path).records == 2


def test_copies_stored_before_as_cwd_relative_or_absolute_paths_become_project_relative(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from livingreview.store import migrations
    from livingreview.store.db import Store

    database = tmp_path / "review.db"
    before = next(i for i, m in enumerate(migrations.MIGRATIONS)
                  if m.name == "0010_stored_copies_relative_to_the_project")
    with monkeypatch.context() as older:
        older.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:before])
        Store(database).close()
    connection = sqlite3.connect(database)
    for number, stored in enumerate(["/home/ana/reviews/k/imports/0123456789ab-pubmed.ris",
                                     "k/imports/abcdef012345-embase export.ris",
                                     "imports/imports/fedcba987654-a.ris",
                                     "C:\\Users\\bo\\k\\imports\\00112233aabb-wos.txt"]):
        connection.execute("INSERT INTO imports (path, stored_copy, sha256, format, encoding,"
                           " record_count, imported_at) VALUES ('x', ?, ?, 'ris', 'utf-8', 0, 'now')",
                           (stored, str(number)))
    connection.commit()
    connection.close()
    with Store(database) as store:
        rows = [row[0] for row in store.query("SELECT stored_copy FROM imports ORDER BY id")]
    assert rows == ["imports/0123456789ab-pubmed.ris", "imports/abcdef012345-embase export.ris",
                    "imports/fedcba987654-a.ris", "imports/00112233aabb-wos.txt"]


def _feed_fifo(fifo: Path, data: bytes) -> threading.Thread:
    def write() -> None:
        with fifo.open("wb") as writer:
            writer.write(data)
    feeder = threading.Thread(target=write, daemon=True)
    feeder.start()
    return feeder


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_pipe_is_read_once_and_imported_under_its_own_name(review: Review, tmp_path: Path) -> None:
    whole = tmp_path / "whole.ris"
    _write_ris(whole, 600)  # larger than a pipe's buffer: a second open would lose it
    fifo = tmp_path / "export.ris"
    os.mkfifo(fifo)
    feeder = _feed_fifo(fifo, whole.read_bytes())
    result = review.import_file(fifo)
    feeder.join(timeout=10)
    assert result.records == 600 and result.path == fifo
    assert review.store.scalar("SELECT path FROM imports") == str(fifo)
    stored = review.directory / review.store.scalar("SELECT stored_copy FROM imports")
    assert stored.read_bytes() == whole.read_bytes() and stored.name.endswith("-export.ris")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_malformed_pipe_is_reported_by_its_own_name_and_line(review: Review, tmp_path: Path) -> None:
    fifo = tmp_path / "export.ris"
    os.mkfifo(fifo)
    feeder = _feed_fifo(fifo, b"TY  - JOUR\nTI  - A title\nER  - \n\nTI  - no start\nER  - \n")
    with pytest.raises(BadInput) as refused:
        review.import_file(fifo, format="ris")
    feeder.join(timeout=10)
    assert str(refused.value).startswith(f"{fifo}:6 (record 2)")
    assert review.store.scalar("SELECT COUNT(*) FROM imports") == 0
