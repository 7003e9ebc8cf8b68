"""Synthesis command: `synthesize` (evidence map, effect direction, meta-analysis, GRADE, conclusions)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from livingreview.cli._common import emit, json_option
from livingreview.project import Review
from livingreview.safe_text import for_terminal


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--include-maybe", is_flag=True, default=None,
              help="Count studies screened 'maybe' too (a sensitivity analysis); default: the protocol's "
                   "[synthesis.conclusions] include_maybe.")
@json_option
def synthesize(directory: Path, include_maybe: bool | None, as_json: bool) -> None:
    """Synthesise the included studies and print the conclusion per drug.

    Builds the drug x construct evidence map, the effect-direction table with a sign test per drug
    and construct, a meta-analysis per drug and construct where enough studies give comparable
    effect sizes, a GRADE rating per drug and construct (from the settled risk-of-bias appraisals)
    and the protocol's graded conclusion per drug. Figures, tables and synthesis.json go to
    DIR/report/synthesis/. Rerunning on the same inputs writes the same files and says so.
    """
    with Review(directory) as review:
        result = review.synthesize(include_maybe=include_maybe)
    payload = {**result.payload, "digest": result.digest, "changed": result.changed}
    emit(payload, as_json, _render)


def _render(payload: dict[str, Any]) -> None:
    console = Console()
    click.echo(f"evidence from {payload['evidence_source']}"
               + (" (studies screened 'maybe' counted too)" if payload["include_maybe"] else ""))
    table = Table("drug", "conclusion", "studies", "randomised", "N", "improved/worse/none/mixed", "sign p",
                  title="conclusions per drug")
    without_n = {c["label"]: c["studies_without_n"]
                 for c in payload["conclusions"]["conclusions"]}
    for row in payload["conclusion_table"]:
        p = "" if row["sign_test_p"] is None else f"{row['sign_test_p']:.3f}"
        votes = "/".join(str(row[d]) for d in ("improved", "worsened", "no difference", "mixed"))
        missing = without_n.get(row["drug"], 0)
        participants = str(row["participants"]) + (f" ({missing} without N)" if missing else "")
        table.add_row(for_terminal(row["drug"]), row["grade"],
                      f"{row['studies_with_direction']} of {row['included_studies']}", str(row["randomised"]),
                      participants, votes, p)
    console.print(table)
    for pooled in payload["meta_analyses"]:
        click.echo(f"meta-analysis {for_terminal(pooled['drug'])} / {for_terminal(pooled['construct'])}: "
                   f"{pooled['measure']} {pooled['estimate']:.2f} [{pooled['ci_lb']:.2f}, {pooled['ci_ub']:.2f}], "
                   f"k = {pooled['k']}, I2 = {pooled['i2']:.0f}%")
    rated = [g for g in payload["grade"] if g["certainty"] is not None]
    for grade in rated:
        click.echo(f"GRADE {for_terminal(grade['drug'])} / {for_terminal(grade['construct'])}: {grade['certainty']}")
    unrated = len(payload["grade"]) - len(rated)
    if unrated:
        click.echo(f"{unrated} drug x construct bodies not GRADE-rated: risk of bias not appraised or not settled")
    click.echo("nothing changed since the last synthesis" if not payload["changed"]
               else "synthesis written to report/synthesis/")


COMMANDS = [synthesize]
