"""Imports are all or nothing: re-imports are recognised, failures and kills leave no trace,
and the `livingreview import` command reports what happened."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from livingreview import Review
from livingreview.cli import cli
from livingreview.importers import ImportFormatError


def _write_ris(path: Path, count: int, *, broken_at: int | None = None) -> None:
    """`count` RIS records; record number `broken_at` (1-based) lacks its ER line."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        for number in range(1, count + 1):
            handle.write(f"TY  - JOUR\r\nTI  - Generated record {number} on ketamine and empathy\r\n"
                         f"AU  - Author{number}, A.\r\nPY  - {1990 + number % 30}\r\n"
                         f"DO  - 10.5555/generated.{number}\r\n"
                         "AB  - An abstract long enough to make the file realistic in size, "
                         "with a second sentence about randomised controlled trials.\r\n")
            if number != broken_at:
                handle.write("ER  - \r\n\r\n")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _counts(database: Path) -> tuple[int, int]:
    connection = sqlite3.connect(database)
    try:
        imports = connection.execute("SELECT COUNT(*) FROM imports").fetchone()[0]
        records = connection.execute("SELECT COUNT(*) FROM records").fetchone()[0]
        return imports, records
    finally:
        connection.close()


def test_reimporting_the_same_bytes_changes_nothing(review: Review, tmp_path: Path) -> None:
    path = tmp_path / "export.ris"
    _write_ris(path, 30)
    first = review.import_file(path)
    assert (first.records, first.already_imported) == (30, False)
    renamed = tmp_path / "same-bytes-other-name.ris"
    renamed.write_bytes(path.read_bytes())
    for again_path in (path, renamed):
        again = review.import_file(again_path)
        assert again.already_imported and again.import_id == first.import_id and again.records == 30
    assert review.store.scalar("SELECT COUNT(*) FROM records") == 30
    assert review.store.scalar("SELECT COUNT(*) FROM imports") == 1
    skipped = review.store.events("import", "import.skipped")
    assert [e["subject"] for e in skipped] == [str(path), str(renamed)]
    assert all(e["detail"]["same_as_import"] == first.import_id for e in skipped)
    assert review.store.event_total("import", "import.file", "records") == 30


def test_an_error_after_records_were_written_rolls_all_of_them_back(review: Review, tmp_path: Path) -> None:
    path = tmp_path / "broken-late.ris"
    _write_ris(path, 1500, broken_at=1200)  # 1199 records (two insert batches) are read first
    seen: list[int] = []
    with pytest.raises(ImportFormatError) as error:
        review.import_file(path, on_record=seen.append)
    assert seen[-1] == 1199
    assert error.value.record == 1200 and error.value.line == 1199 * 8 + 7  # the next TY line
    assert review.store.scalar("SELECT COUNT(*) FROM records") == 0
    assert review.store.scalar("SELECT COUNT(*) FROM imports") == 0
    assert review.store.events("import", "import.file") == []
    assert list(review.imports_dir.iterdir()) == []
    # Fixing the file makes it a different file, which then imports whole.
    _write_ris(path, 1500)
    assert review.import_file(path).records == 1500


_IMPORT_WITH_PROGRESS = """
import sys
from livingreview import Review

def progress(number):
    if number % 1000 == 0:
        print(number, flush=True)

with Review(sys.argv[1]) as review:
    result = review.import_file(sys.argv[2], on_record=progress)
    print("done", result.records, flush=True)
"""


@pytest.mark.slow
def test_killing_an_import_midway_leaves_nothing_partial(review: Review, tmp_path: Path) -> None:
    path = tmp_path / "large.ris"
    total = 50_000
    _write_ris(path, total)
    database = review.store.path
    wal = database.with_name(database.name + "-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0
    process = subprocess.Popen([sys.executable, "-c", _IMPORT_WITH_PROGRESS, str(review.directory), str(path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    try:
        for line in process.stdout:
            assert not line.startswith("done"), "the import finished before it could be killed"
            # By record 5000, nine batches of 500 have gone into the open transaction.
            if int(line) >= 5000 and wal.exists() and wal.stat().st_size > wal_before:
                process.send_signal(signal.SIGKILL)
                break
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        assert process.stderr is not None
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    imports, records = _counts(database)
    assert (imports, records) in {(0, 0), (1, total)}
    assert (imports, records) == (0, 0)  # it was killed well before the end
    connection = sqlite3.connect(database)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()
    again = review.import_file(path)
    assert (again.records, again.already_imported) == (total, False)
    assert _counts(database) == (1, total)
    # The killed run's verbatim copy has the same content-hash name and was simply replaced.
    assert [p.name for p in review.imports_dir.iterdir()] == [f"{_sha256(path)[:12]}-large.ris"]


# --- the command line --------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, minimal_protocol: Path) -> Path:
    directory = tmp_path / "review"
    result = CliRunner().invoke(cli, ["init", str(directory), "--protocol", str(minimal_protocol)])
    assert result.exit_code == 0, result.output
    return directory


def test_cli_import_prints_one_json_object(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.ris"
    _write_ris(path, 12)
    result = CliRunner().invoke(cli, ["import", str(project), str(path), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["records"] == 12
    assert payload["files"] == [{"path": str(path), "format": "ris", "database": None,
                                 "encoding": "utf-8", "records": 12, "already_imported": False,
                                 "warnings": []}]
    again = json.loads(CliRunner().invoke(cli, ["import", str(project), str(path), "--json"]).stdout)
    assert again["records"] == 0 and again["files"][0]["already_imported"] is True


def test_cli_csv_column_mapping_keeps_the_files_own_ids(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "eigene.csv"
    path.write_text("Nummer;Titel;Zusammenfassung;Jahr\n"
                    "K-17;Ketamin und Empathie;Eine Studie.;2021\n"
                    "K-18;Esketamin bei Depression;Noch eine.;2022\n", encoding="utf-8")
    arguments = ["import", str(project), str(path), "--format", "csv", "--column", "title=Titel",
                 "--column", "abstract=Zusammenfassung", "--column", "record_id=Nummer", "--json"]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["records"] == 2
    with Review(project) as review:
        records = review.store.records()
    assert [(r.source_id, r.title, r.abstract, r.extra) for r in records] == [
        ("K-17", "Ketamin und Empathie", "Eine Studie.", {"Jahr": "2021"}),
        ("K-18", "Esketamin bei Depression", "Noch eine.", {"Jahr": "2022"})]
    assert records[0].raw == "K-17;Ketamin und Empathie;Eine Studie.;2021\n"


def test_cli_malformed_file_exits_1_naming_file_and_line(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.ris"
    path.write_text("TY  - JOUR\nTI  - One\nER  - \nTY  - JOUR\nTI  - Two\n", encoding="utf-8")
    env = {**os.environ, "COLUMNS": "300"}
    result = subprocess.run([sys.executable, "-m", "livingreview", "import", str(project), str(path), "--json"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert result.stdout == ""
    message = " ".join(result.stderr.split())
    assert f"{path}:5 (record 2)" in message and "'ER -' to end the record" in message
    assert _counts(project / "review.db") == (0, 0)
