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
  130 interrupted (Ctrl-C); what was being written is rolled back
"""

from __future__ import annotations

import importlib

import click

from livingreview import __version__
from livingreview.cli._common import Invocation, run_guarded

# Command name -> (module in livingreview.cli, short help shown by `livingreview --help`).
# Modules are imported only when their command runs: the stages pull in numpy, scipy and
# scikit-learn, seconds of start-up that `--help` and a typo should not pay. To register a
# command, add one line here; the module lists it in its COMMANDS. tests/test_startup.py checks
# that every line names a real command with this short help.
COMMANDS: dict[str, tuple[str, str]] = {
    "agreement": ("screen_commands", "Agreement per stage and reviewer pair: percent agreement, Cohen's kappa, Gwet's AC1."),
    "appraise": ("appraise_commands", "Risk of bias: import an appraiser's answers, show each study's judgements, settle conflicts."),
    "attach-fulltext": ("search_commands", "Attach the full text of record RECORD_ID by hand: a PDF, JATS XML or plain-text FILE."),
    "conflicts": ("screen_commands", "List records on which reviewers disagree (include or maybe against exclude)."),
    "decide": ("screen_commands", "Record one reviewer's decision on RECORD_ID (for scripts; `screen` is the interactive way)."),
    "dedupe": ("dedupe_commands", "Group duplicate records and companion reports into studies; nothing is deleted."),
    "export": ("report_commands", "Export the review: included studies as CSV or XLSX, included records as RIS, effect sizes for metafor, or a JSON bundle that `import-bundle` restores."),
    "extract": ("extract_commands", "Suggest extraction values for the included studies (or every record with --all), and verify them."),
    "fetch-fulltext": ("search_commands", "Retrieve open-access full texts (JATS XML) of the reports that passed title-abstract screening, from Europe PMC or PubMed Central."),
    "import": ("project_commands", "Import exported records (RIS, MEDLINE, PubMed XML, WoS, CSV, BibTeX, Europe PMC, CT.gov)."),
    "import-bundle": ("report_commands", "Restore a review from a bundle written by `export --format bundle` into NEW_DIRECTORY, row for row and file for file."),
    "init": ("project_commands", "Create a review project in DIRECTORY from a protocol file."),
    "meta": ("meta_commands", "Meta-analyse TABLE (CSV) as metafor's rma.uni would, with REML and the z test by default."),
    "records": ("records_commands", "List the review's records (id, source, year, first author, title, study, screening), optionally only those matching --query."),
    "report": ("report_commands", "Write the review's HTML report (DIR/report/index.html, with the PRISMA diagram as SVG and PNG) from the store and the stages' outputs, and print its path."),
    "resolve": ("screen_commands", "Settle RECORD_ID (normally a conflict) for everyone with LABEL."),
    "reviewers": ("screen_commands", "List the reviewers of the review with their roles, after any --set-role changes."),
    "run": ("run_commands", "Run every stage of the review in DIRECTORY, in order, as one numbered round."),
    "screen": ("screen_commands", "Screen records one at a time in the terminal, one key per decision."),
    "search": ("search_commands", "Search the protocol's sources (PubMed, Europe PMC, ClinicalTrials.gov) and store the records."),
    "serve": ("serve_commands", "Serve the review in DIRECTORY to its team in the browser (accounts: `livingreview users add`)."),
    "show": ("records_commands", "Everything known about record RECORD_ID: its fields, raw text, report, study, decisions and events."),
    "simulate": ("simulate_commands", "Replay the labelled set DATA (CSV: record_id, title, abstract, label_included) through the ranker."),
    "status": ("project_commands", "Counts per stage, derived from the review's event log."),
    "suggest": ("screen_commands", "Criteria verdicts, evidence and rank of every unscreened record; also report/suggestions.csv."),
    "synthesize": ("synthesize_commands", "Synthesise the included studies and print the conclusion per drug."),
    "undo": ("screen_commands", "Withdraw a reviewer's latest decision at a stage; the decision they made before it counts again."),
    "users": ("serve_commands", "Accounts of `livingreview serve`."),
}


class LazyGroup(click.Group):
    """A group that imports a command's module when the command is looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.add_command(load_command(cmd_name))
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Shortened by click's own rule, as its Group.format_commands does for loaded commands.
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit))
                for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def load_command(name: str) -> click.Command:
    module = importlib.import_module(f"livingreview.cli.{COMMANDS[name][0]}")
    for command in module.COMMANDS:
        if command.name == name:
            return command
    raise LookupError(f"livingreview.cli.{COMMANDS[name][0]} has no command {name!r}")


@click.group(cls=LazyGroup, help=__doc__)
@click.version_option(__version__, prog_name="livingreview")
@click.option("--debug", is_flag=True, help="On an internal error, show the full traceback.")
@click.pass_context
def cli(context: click.Context, debug: bool) -> None:
    if isinstance(context.obj, Invocation):
        context.obj.debug = debug


def main() -> None:
    run_guarded(cli)
