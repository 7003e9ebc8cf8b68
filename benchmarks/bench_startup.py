"""Start-up time of the command line: `livingreview --help` and `livingreview status DIR`.

    .venv/bin/python benchmarks/bench_startup.py [--runs 5] [--ref REF]

Each command runs --runs times in a fresh interpreter (as a user runs it); the median wall time
is printed, with the min and max, so that a busy machine shows as spread. `--ref REF` measures
the same commands at a git revision too (checked out with `git worktree` into a temporary
folder, run with this venv), for a before/after figure. The top imports by cumulative time
(`python -X importtime`) follow, to show where the time goes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = ROOT / "tests" / "data" / "minimal_protocol.toml"


def timed(arguments: list[str], source: Path, runs: int) -> list[float]:
    environment = {**os.environ, "PYTHONPATH": str(source / "src")}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "livingreview", *arguments], env=environment,
                              capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"livingreview {' '.join(arguments)} failed: {done.stderr}")
    return times


def top_imports(arguments: list[str], source: Path, count: int = 8) -> list[tuple[int, str]]:
    environment = {**os.environ, "PYTHONPATH": str(source / "src")}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "livingreview", *arguments],
                          env=environment, capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return sorted(rows, reverse=True)[:count]


def measure(label: str, source: Path, scratch: Path, runs: int) -> None:
    # A review made by the version measured: an older one refuses a newer schema.
    review = scratch / f"review-{label}"
    subprocess.run([sys.executable, "-m", "livingreview", "init", str(review), "--protocol", str(PROTOCOL)],
                   env={**os.environ, "PYTHONPATH": str(source / "src")}, check=True, capture_output=True)
    for name, arguments in (("--help", ["--help"]), ("status", ["status", str(review)])):
        times = timed(arguments, source, runs)
        print(f"{label:>8}  {name:<7} median {statistics.median(times):6.3f} s   "
              f"min {min(times):6.3f}  max {max(times):6.3f}  ({runs} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ref", help="also measure this git revision (e.g. the commit before a change)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        if options.ref:
            before = scratch / "before"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before), options.ref],
                           check=True, capture_output=True)
            try:
                measure(options.ref[:8], before, scratch, options.runs)
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)],
                               check=True, capture_output=True)
        measure("now", ROOT, scratch, options.runs)
        print("\nslowest imports of --help (cumulative, microseconds):")
        for microseconds, module in top_imports(["--help"], ROOT):
            print(f"  {microseconds:>9}  {module}")


if __name__ == "__main__":
    main()
