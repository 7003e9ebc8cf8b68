from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from livingreview.cli import cli

ALL_COMMANDS = cli.list_commands(click.Context(cli))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "livingreview", *args], capture_output=True, text=True)


@pytest.mark.parametrize("name", ALL_COMMANDS)
def test_every_command_has_help_and_documented_options(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    assert command.help and len(command.help.strip()) > 20, f"{name} has no help text"
    for parameter in command.params:
        if isinstance(parameter, click.Option) and not parameter.hidden:
            assert parameter.help, f"option {parameter.name} of '{name}' is undocumented"


def test_top_level_help_lists_commands_and_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in ("init", "import", "status"):
        assert name in result.output
    assert "Exit codes" in result.output


def test_init_then_status_json(tmp_path: Path, minimal_protocol: Path) -> None:
    target = tmp_path / "r"
    created = run("init", str(target), "--protocol", str(minimal_protocol), "--json")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["review"] == "minimal"
    assert (target / "review.db").exists() and (target / "snapshots").is_dir()
    status = run("status", str(target), "--json")
    assert status.returncode == 0, status.stderr
    payload = json.loads(status.stdout)
    assert payload["records"]["stored"] == 0


def test_init_twice_exits_3(tmp_path: Path, minimal_protocol: Path) -> None:
    assert run("init", str(tmp_path / "r"), "--protocol", str(minimal_protocol)).returncode == 0
    again = run("init", str(tmp_path / "r"), "--protocol", str(minimal_protocol))
    assert again.returncode == 3
    assert "already holds a review" in again.stderr


def test_status_of_a_folder_that_is_no_project_exits_3(tmp_path: Path) -> None:
    result = run("status", str(tmp_path))
    assert result.returncode == 3
    assert "not a review project" in result.stderr


def test_invalid_protocol_exits_1_naming_file_and_line(tmp_path: Path, minimal_protocol: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(minimal_protocol.read_text().replace('kind = "pubmed"', 'kind = "scopus"'))
    result = run("init", str(tmp_path / "r"), "--protocol", str(broken))
    assert result.returncode == 1
    line = broken.read_text().splitlines().index('kind = "scopus"') + 1
    assert f"broken.toml:{line}: sources[0].kind" in " ".join(result.stderr.split())
    assert not (tmp_path / "r").exists()


def test_unknown_command_is_a_usage_error() -> None:
    assert run("frobnicate").returncode == 2
