"""Risk-of-bias command: `appraise` (import, show, conflicts, resolve, plots)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from livingreview.cli._common import emit, json_option
from livingreview.project import Review
from livingreview.safe_text import for_terminal

# The tools' names without importing livingreview.appraisal, which loads matplotlib: every
# command's start-up would pay for it. tests/test_appraise_cli.py checks they match BUILTIN_FORMS.
TOOLS = ("rob2", "rob2-crossover", "robins-i")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--import", "import_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A CSV laid out like the RoB 2 spreadsheet (Study, 1.1, 1.2, ...; optional Record ID, "
                   "DOI or PMID columns to find the study): one appraiser's answers.")
@click.option("--reviewer", help="Who appraised (with --import) or who resolves (the lead, with --resolve).")
@click.option("--tool", type=click.Choice(TOOLS),
              help="The risk-of-bias tool of the imported answers (default rob2), or of the appraisal "
                   "to resolve when a study was appraised with several.")
@click.option("--aim", type=click.Choice(["assignment", "adherence"]), default="assignment", show_default=True,
              help="RoB 2's effect of interest for rows without an Aim column.")
@click.option("--conflicts", "show_conflicts", is_flag=True,
              help="List the domains on which appraisers disagree and no resolution stands.")
@click.option("--resolve", nargs=3, metavar="STUDY DOMAIN JUDGEMENT",
              help="Settle one domain: the study (key, label or id), the domain (D1...) and the final judgement.")
@click.option("--reason", help="Why the lead settled it so (required with --resolve).")
@click.option("--outcome", help="With --resolve: the outcome, when the study was appraised for several.")
@click.option("--plots", is_flag=True,
              help="Write the traffic-light and summary plots of the final judgements to DIR/report/.")
@json_option
def appraise(directory: Path, import_file: Path | None, reviewer: str | None, tool: str | None, aim: str,
             show_conflicts: bool, resolve: tuple[str, str, str] | None, reason: str | None,
             outcome: str | None, plots: bool, as_json: bool) -> None:
    """Risk of bias: import an appraiser's answers, show each study's judgements, settle conflicts.

    Answers are kept in the judgement ledger per study, tool, outcome and appraiser; each domain's
    judgement is the one the tool's algorithm gives from that appraiser's answers, and the overall
    judgement comes from the final domain judgements (agreed by both appraisers, or resolved by a
    lead). Importing the same file again records nothing new. Without an action, prints every
    appraised study's domain and overall judgements, per appraiser and final, and the agreement.
    """
    if sum(bool(x) for x in (import_file, show_conflicts, resolve)) > 1:
        raise click.UsageError("use one of --import, --conflicts and --resolve at a time")
    with Review(directory) as review:
        if import_file is not None:
            if not reviewer:
                raise click.UsageError("--import needs --reviewer (who appraised)")
            summary = review.appraise_import(import_file, reviewer, tool=tool or "rob2", aim=aim)
            emit(summary.to_dict(), as_json, _render_import)
            return
        if resolve:
            if not reviewer or not reason:
                raise click.UsageError("--resolve needs --reviewer (the lead) and --reason")
            study, domain, judgement = resolve
            done = review.appraise_resolve(study, domain, judgement, reviewer, reason,
                                           tool=tool, outcome=outcome)
            emit({"item": done.item_id, "judgement": judgement, "lead": done.reviewer, "reason": done.reason,
                  "event": done.event_id}, as_json,
                 lambda d: click.echo(f"resolved {for_terminal(d['item'])}: {for_terminal(d['judgement'])}"
                                      f" by {for_terminal(d['lead'])}"))
            return
        from livingreview.appraisal.service import agreement, conflicts, write_plots

        index = review.study_index()
        if show_conflicts:
            emit({"conflicts": conflicts(review.store, index)}, as_json, _render_conflicts)
            return
        appraised = review.appraisals()
        figures = write_plots(appraised, review.report_dir) if plots else []
        payload = {"studies": [a.to_dict() for a in appraised], "agreement": agreement(review.store),
                   "conflicts": len(conflicts(review.store)), "figures": [str(f) for f in figures],
                   "unsettled": sum(a.overall is None for a in appraised)}
    emit(payload, as_json, _render_appraisals)


def _render_import(payload: dict[str, Any]) -> None:
    click.echo(f"{for_terminal(payload['reviewer'])}: {payload['rows']} rows of {for_terminal(payload['file'])} "
               f"({payload['tool']}); {payload['recorded']} judgements recorded, {payload['unchanged']} unchanged")
    for item in payload["disagreements"]:
        click.echo(f"  line {item['line']}: {for_terminal(item['study'])} {item['domain']} stated "
                   f"{item['stated']}, the algorithm gives {item['algorithm']} (the algorithm's is kept)")
    if payload["ignored_columns"]:
        click.echo(f"  ignored columns: {', '.join(for_terminal(c) for c in payload['ignored_columns'])}")


def _render_conflicts(payload: dict[str, Any]) -> None:
    if not payload["conflicts"]:
        click.echo("no risk-of-bias conflicts")
        return
    table = Table("study", "tool", "outcome", "domain", "judgements", title="risk-of-bias conflicts")
    for c in payload["conflicts"]:
        table.add_row(f"{for_terminal(c['study'])} ({for_terminal(c['label'])})", c["tool"],
                      for_terminal(c["outcome"] or ""), c["domain"],
                      "; ".join(f"{for_terminal(r)}: {v}" for r, v in c["judgements"].items()))
    Console().print(table)


def _render_appraisals(payload: dict[str, Any]) -> None:
    if not payload["studies"]:
        click.echo("no appraisals yet: import answers with `appraise DIR --import FILE.csv --reviewer NAME`")
        return
    console = Console()
    for study in payload["studies"]:
        reviewers = sorted(study["by_reviewer"])
        table = Table("domain", *(for_terminal(r) for r in reviewers), "final", "status",
                      title=f"{for_terminal(study['label'])} [{for_terminal(study['study'])}] {study['tool']}"
                            + (f", {for_terminal(study['outcome'])}" if study["outcome"] else ""))
        for domain in study["domains"]:
            table.add_row(domain["domain"], *(domain["by_reviewer"].get(r, "") for r in reviewers),
                          domain["final"] or "?", domain["status"])
        table.add_row("Overall", *(study["by_reviewer"][r]["overall"] for r in reviewers),
                      study["overall"] or "?", "" if study["overall"] else "unsettled")
        console.print(table)
    for row in payload["agreement"]:
        kappa = "n/a" if row["kappa"] is None else f"{row['kappa']:.2f}"
        click.echo(f"{row['tool']} {row['domain']}: {for_terminal(' / '.join(row['reviewers']))} agree on "
                   f"{row['percent_agreement']:.0%} of {row['studies']} studies (kappa {kappa}, AC1 {row['ac1']:.2f})")
    click.echo(f"{payload['conflicts']} conflicts" + (" (see --conflicts)" if payload["conflicts"] else ""))
    for figure in payload["figures"]:
        click.echo(f"wrote {for_terminal(figure)}")
    if payload["figures"] and payload["unsettled"]:
        click.echo(f"{payload['unsettled']} appraisals not plotted: settle their conflicts first")


COMMANDS = [appraise]
