"""Shared CLI plumbing: JSON output, progress on stderr, errors mapped to exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from livingreview.importers.base import ImportFormatError
from livingreview.plugins import PluginNotFound
from livingreview.project import ProjectError
from livingreview.protocol import ProtocolError

EXIT_BAD_INPUT = 1
EXIT_PROJECT = 3
EXIT_UNREACHABLE = 4

# Soft wrap: error lines stay whole for logs and scripts that grep them.
stderr = Console(stderr=True, soft_wrap=True)

json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")


class SourceUnreachable(RuntimeError):
    """Raised by commands that need the network when it is not there."""


def emit(payload: dict[str, Any], as_json: bool, render: Callable[[dict[str, Any]], None]) -> None:
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str))
    else:
        render(payload)


def progress(enabled: bool = True) -> Progress:
    """A rich progress display on stderr; quiet when stderr is not a terminal-like stream."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        disable=not enabled,
        transient=False,
    )


def run_guarded(command: click.Group) -> None:
    try:
        command.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        stderr.print("aborted")
        sys.exit(EXIT_BAD_INPUT)
    except (ProtocolError, ImportFormatError, PluginNotFound, ValueError) as error:
        stderr.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)
        sys.exit(EXIT_BAD_INPUT)
    except ProjectError as error:
        stderr.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)
        sys.exit(EXIT_PROJECT)
    except SourceUnreachable as error:
        stderr.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)
        sys.exit(EXIT_UNREACHABLE)
