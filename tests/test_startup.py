"""Start-up stays light: `--help` loads no stage, and the lazy command table tells the truth.

The timing itself is in benchmarks/bench_startup.py (a timed test would fail on a busy machine);
what is pinned here is its cause, the modules a run imports.
"""

from __future__ import annotations

import json
import subprocess
import sys

import click

from livingreview.cli import COMMANDS, cli, load_command

HEAVY = ("numpy", "scipy", "sklearn", "rapidfuzz", "matplotlib", "lxml", "httpx", "livingreview.project")


def modules_loaded_by(*args: str) -> set[str]:
    """The modules in sys.modules once the CLI has run with `args` in a fresh interpreter."""
    script = ("import atexit, json, sys\n"
              "atexit.register(lambda: print('\\nMODULES ' + json.dumps(sorted(sys.modules))))\n"
              "sys.argv = ['livingreview', *sys.argv[1:]]\n"
              "from livingreview.cli import main\n"
              "main()\n")
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300)
    line = next(line for line in done.stdout.splitlines() if line.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


def test_help_imports_no_stage_and_no_scientific_library() -> None:
    loaded = modules_loaded_by("--help")
    assert "livingreview.cli" in loaded
    assert not [name for name in HEAVY if name in loaded]


def test_a_command_help_loads_only_its_own_module() -> None:
    loaded = modules_loaded_by("simulate", "--help")
    assert "livingreview.cli.simulate_commands" in loaded
    assert "livingreview.cli.screen_commands" not in loaded and "sklearn" not in loaded


def test_import_of_the_package_does_not_load_the_stages_but_review_still_resolves() -> None:
    code = ("import sys, livingreview\n"
            "assert 'livingreview.project' not in sys.modules and 'numpy' not in sys.modules\n"
            "from livingreview import Review, Record\n"
            "print(Review.__module__, Record.__module__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["livingreview.project", "livingreview.records"]


def test_every_registered_command_exists_with_the_short_help_listed() -> None:
    for name, (_module, short_help) in COMMANDS.items():
        command = load_command(name)
        assert command.name == name
        assert command.get_short_help_str(limit=500) == short_help, name


def test_every_command_of_every_command_module_is_registered() -> None:
    modules = {module for module, _ in COMMANDS.values()}
    for module in modules:
        loaded = __import__(f"livingreview.cli.{module}", fromlist=["COMMANDS"])
        assert {c.name for c in loaded.COMMANDS} <= set(COMMANDS), module
    assert cli.list_commands(click.Context(cli)) == sorted(COMMANDS)


def test_status_of_a_new_review_loads_neither_scipy_stats_nor_scikit_learn(tmp_path, minimal_protocol) -> None:  # type: ignore[no-untyped-def]
    directory = tmp_path / "review"
    done = subprocess.run([sys.executable, "-m", "livingreview", "init", str(directory), "--protocol",
                           str(minimal_protocol)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    loaded = modules_loaded_by("status", str(directory))
    assert "livingreview.status" in loaded
    assert "scipy.stats" not in loaded and "sklearn" not in loaded
