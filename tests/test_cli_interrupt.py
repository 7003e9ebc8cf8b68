"""Ctrl-C ends any command with exit 130, one "interrupted" line and no traceback; what was
being written is rolled back."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and FIFOs")

RIS_RECORD = ("TY  - JOUR\nTI  - Ketamine trial number {n} in healthy volunteers\nAU  - Smith, J\n"
              "PY  - 2019\nJO  - Journal of Affective Disorders\nER  - \n\n")


def start(*args: object) -> subprocess.Popen[str]:
    # Ctrl-C as in a terminal: a runner started in the background (`cmd &`, nohup) ignores SIGINT,
    # and an ignored SIGINT is inherited, so Python would install no KeyboardInterrupt handler.
    return subprocess.Popen([sys.executable, "-m", "livingreview", *map(str, args)], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_terminal_sigint)


def _terminal_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    return process.returncode, stderr


def wait_until(condition, what: str, timeout: float = 240.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def livingreview(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "livingreview", *map(str, args)], capture_output=True,
                          text=True, timeout=300)


def records_in(directory: Path) -> int:
    return int(json.loads(livingreview("status", directory, "--json").stdout)["records"]["stored"])


def test_an_import_interrupted_mid_file_exits_130_and_stores_nothing(tmp_path: Path, minimal_protocol: Path) -> None:
    directory = tmp_path / "review"
    assert livingreview("init", directory, "--protocol", minimal_protocol).returncode == 0
    # A FIFO: the import blocks reading it after the first half, so the signal lands mid-import.
    fifo = tmp_path / "export.ris"
    os.mkfifo(fifo)
    process = start("import", directory, fifo, "--source", "Embase")
    with fifo.open("w", encoding="utf-8") as writer:
        writer.write("".join(RIS_RECORD.format(n=n) for n in range(500)))
        writer.flush()
        time.sleep(1.0)  # the reader has the first half and waits for more
        code, stderr = interrupt(process)
    assert code == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert records_in(directory) == 0
    # Nothing half-done stands in the way: the whole file imports afterwards.
    export = tmp_path / "whole.ris"
    export.write_text("".join(RIS_RECORD.format(n=n) for n in range(1000)), encoding="utf-8")
    assert livingreview("import", directory, export, "--source", "Embase").returncode == 0
    assert records_in(directory) == 1000


def test_a_simulation_interrupted_while_ranking_exits_130_without_a_traceback(tmp_path: Path) -> None:
    data = tmp_path / "labelled.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "title", "abstract", "label_included"])
        for n in range(3000):
            relevant = n % 50 == 0
            words = "ketamine randomized trial depression" if relevant else f"survey topic {n % 97} cohort"
            writer.writerow([n, f"Study {n}: {words}", f"Abstract {n} about {words} and item {n * 7 % 101}.",
                             int(relevant)])
    process = start("simulate", data, "--out", tmp_path)
    maps = Path(f"/proc/{process.pid}/maps")
    if not Path("/proc/self/maps").exists():
        process.kill()
        pytest.skip("needs /proc to see that the ranker is loaded")
    # Interrupt once scikit-learn's compiled modules are mapped: the simulation is under way.
    wait_until(lambda: process.poll() is not None or "sklearn" in maps.read_text(), "the ranker to load")
    time.sleep(0.5)
    assert process.poll() is None, "the simulation ended before it could be interrupted"
    code, stderr = interrupt(process)
    assert code == 130, stderr
    assert stderr.strip().endswith("interrupted") and "Traceback" not in stderr


def test_ctrl_c_that_a_loading_compiled_module_turns_into_an_import_error_still_exits_130() -> None:
    import click

    from livingreview.cli._common import run_guarded

    @click.group()
    def tool() -> None:
        pass

    @tool.command()
    def load() -> None:
        # What a compiled extension does when Ctrl-C lands while it initialises: the
        # KeyboardInterrupt is swallowed and an ImportError is raised in its place.
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            pass
        raise ImportError("initialization failed")

    with pytest.raises(SystemExit) as ended:
        run_guarded(tool, ["load"])
    assert ended.value.code == 130
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
