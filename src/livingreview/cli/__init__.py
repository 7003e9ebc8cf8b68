"""livingreview: living systematic reviews, from search to report.

A review is a folder made by `init`; the stage commands take that folder.

\b
Exit codes scripts can rely on:
  0  success
  1  bad input: an invalid protocol, a malformed import file, a failed check
  2  usage error (unknown command or option)
  3  not a review project, or the project already exists
  4  a source could not be reached (use --offline to replay snapshots)
  70 internal error: a bug in livingreview (rerun with --debug for the traceback)
"""

from __future__ import annotations

import click

from livingreview import __version__
from livingreview.cli._common import Invocation, run_guarded
from livingreview.cli import (
    appraise_commands,
    dedupe_commands,
    extract_commands,
    meta_commands,
    project_commands,
    report_commands,
    screen_commands,
    search_commands,
    serve_commands,
    simulate_commands,
    synthesize_commands,
)

COMMAND_MODULES = (project_commands, dedupe_commands, search_commands, screen_commands, simulate_commands,
                   meta_commands, extract_commands, appraise_commands, synthesize_commands,
                   report_commands, serve_commands)


@click.group(help=__doc__)
@click.version_option(__version__, prog_name="livingreview")
@click.option("--debug", is_flag=True, help="On an internal error, show the full traceback.")
@click.pass_context
def cli(context: click.Context, debug: bool) -> None:
    if isinstance(context.obj, Invocation):
        context.obj.debug = debug


for module in COMMAND_MODULES:
    for command in module.COMMANDS:
        cli.add_command(command)


def main() -> None:
    run_guarded(cli)
