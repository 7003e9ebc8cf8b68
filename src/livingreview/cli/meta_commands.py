"""`meta`: meta-analyse a metafor-ready table (escalc's column names), outside any review project."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from livingreview.cli._common import emit, json_option, stderr
from livingreview.errors import BadInput

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from livingreview.synthesis import MetaResult

MEASURES = ("RR", "OR", "RD", "SMD", "MD", "COR", "ZCOR", "GEN")
METHOD_CHOICES = ("REML", "DL", "ML", "PM", "HE", "HS", "SJ", "EB", "EE", "FE")
# escalc's argument names that may appear as columns; GEN reads yi and vi as given.
ESCALC_COLUMNS = ("ai", "bi", "ci", "di", "n1i", "n2i", "m1i", "sd1i", "m2i", "sd2i", "ri", "ni")
LABEL_COLUMNS = ("study", "slab", "label")


class TableError(BadInput):
    """A malformed input table; the message names the file, line and column."""


@click.command("meta")
@click.argument("table", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--measure", type=click.Choice(MEASURES, case_sensitive=False), default="GEN", show_default=True,
              help="escalc's effect measure; GEN takes the yi and vi columns as given.")
@click.option("--method", type=click.Choice(METHOD_CHOICES, case_sensitive=False), default="REML",
              show_default=True, help="tau^2 estimator (EE/FE: the equal-effects model).")
@click.option("--test", type=click.Choice(("z", "knha", "adhoc"), case_sensitive=False), default="z",
              show_default=True, help="z: Wald test; knha: Knapp-Hartung t test; adhoc: knha with scale >= 1.")
@click.option("--mods", "moderators", multiple=True, metavar="COL",
              help="A numeric column to use as a moderator (meta-regression); repeat for more.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the forest plot (and the funnel plot) here, as PNG and SVG.")
@json_option
def meta_command(table: Path, measure: str, method: str, test: str, moderators: tuple[str, ...],
                 out_dir: Path | None, as_json: bool) -> None:
    """Meta-analyse TABLE (CSV) as metafor's rma.uni would, with REML and the z test by default.

    Columns use escalc's names: ai,bi,ci,di (or ai,n1i,ci,n2i) for RR, OR and RD;
    m1i,sd1i,n1i,m2i,sd2i,n2i for SMD and MD; ri,ni for COR and ZCOR; yi,vi for GEN. An optional
    study (or slab) column labels the forest plot. Rows whose effect cannot be computed are left out, with the reason.
    --json prints estimate, se, zval, pval, ci_lb, ci_ub, pi_lb, pi_ub, tau2, tau2_ci_lb,
    tau2_ci_ub, i2 (percent), h2, q, q_pval and k; with --mods also the moderators and their QM test.
    """
    # Imported here so that every other command starts without loading numpy, scipy or matplotlib.
    import numpy as np

    from livingreview.synthesis import meta_analysis

    header, rows = read_table(table)
    yi, vi, notes = effect_sizes(table, header, rows, measure.upper())
    mods = _moderator_matrix(table, header, rows, moderators) if moderators else None
    usable = np.isfinite(yi) & np.isfinite(vi)
    if mods is not None:
        usable &= np.all(np.isfinite(mods), axis=1)
    for index in np.flatnonzero(~usable):
        reason = notes[index] or "a moderator is missing"
        stderr.print(f"note: {table.name} line {index + 2} left out: {reason}", markup=False, highlight=False)
    if not usable.any():
        raise TableError(f"{table}: no row has a computable effect size")
    try:
        result = meta_analysis(yi[usable], vi[usable], mods[usable] if mods is not None else None,
                               method=method, test=test, moderator_names=moderators or None)
    except ValueError as error:  # too few studies, collinear moderators, no convergence
        raise TableError(f"{table}: {error}") from None
    payload: dict[str, Any] = {key: _finite_or_none(value) for key, value in result.to_dict().items()}
    if moderators:
        payload["moderators"] = [vars(row) for row in result.coefficients[1:]]
        payload["qm"], payload["qm_pval"] = result.qm, result.qm_pval
    if out_dir is not None:
        labels = _labels(header, rows, usable)
        _write_plots(result, table, out_dir, labels, measure.upper(), intercept_only=mods is None)
    emit(payload, as_json, _render)


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a CSV, with an error naming the line when a row has the wrong width."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [name.strip() for name in next(reader, [])]
            if not any(header):
                raise TableError(f"{path}: empty file; expected a header row of escalc column names")
            rows = []
            for record in reader:
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) != len(header):
                    raise TableError(f"{path} line {reader.line_num}: {len(record)} fields, "
                                     f"but the header has {len(header)}")
                rows.append(dict(zip(header, record, strict=True)) | {"__line__": str(reader.line_num)})
    except UnicodeDecodeError as error:
        raise TableError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except csv.Error as error:
        raise TableError(f"{path}: not a readable CSV ({error})") from None
    if not rows:
        raise TableError(f"{path}: the header is there but no study rows follow it")
    return header, rows


def numeric_column(path: Path, rows: list[dict[str, str]], name: str) -> NDArray[Any]:
    """The column as floats; an empty cell is NaN, anything else that is not a number is an error."""
    import numpy as np

    values = np.empty(len(rows))
    for index, row in enumerate(rows):
        cell = row[name].strip()
        try:
            values[index] = float(cell) if cell and cell.upper() not in ("NA", "NAN") else math.nan
        except ValueError:
            raise TableError(f"{path} line {row['__line__']}, column {name}: {cell!r} is not a number") from None
        if math.isinf(values[index]):
            raise TableError(f"{path} line {row['__line__']}, column {name}: {cell!r} is not a finite number")
    return values


def effect_sizes(path: Path, header: list[str], rows: list[dict[str, str]],
                 measure: str) -> tuple[NDArray[Any], NDArray[Any], list[str | None]]:
    if measure == "GEN":
        missing = [name for name in ("yi", "vi") if name not in header]
        if missing:
            raise TableError(f"{path}: --measure GEN needs columns yi and vi; missing {', '.join(missing)}")
        yi, vi = numeric_column(path, rows, "yi"), numeric_column(path, rows, "vi")
        _check_variances(path, rows, vi)
        notes = ["yi or vi is empty" if math.isnan(y) or math.isnan(v) else None for y, v in zip(yi, vi, strict=True)]
        return yi, vi, notes
    columns: dict[str, Any] = {name: numeric_column(path, rows, name) for name in ESCALC_COLUMNS if name in header}
    if not columns:
        raise TableError(f"{path}: --measure {measure} needs escalc's columns (ai,bi,ci,di or n1i,n2i with "
                         "m1i,sd1i,m2i,sd2i, or ri,ni); the header has none of them")
    try:
        from livingreview.effect_sizes import escalc
    except ImportError:
        raise TableError(f"{path}: computing {measure} from raw columns needs livingreview.effect_sizes, "
                         "which this installation lacks; give yi,vi columns and --measure GEN") from None
    try:
        computed = escalc(measure, **columns)
    except ValueError as error:  # escalc names the argument and the 0-based data row
        raise TableError(f"{path}: {error} (data row 0 is line 2)") from None
    return computed.yi, computed.vi, list(computed.notes)


def _check_variances(path: Path, rows: list[dict[str, str]], vi: NDArray[Any]) -> None:
    for row, value in zip(rows, vi, strict=True):
        if value <= 0:  # False for an empty (NaN) cell, which is left out later with a note
            raise TableError(f"{path} line {row['__line__']}, column vi: {value:g} is not a positive variance")


def _moderator_matrix(path: Path, header: list[str], rows: list[dict[str, str]],
                      names: tuple[str, ...]) -> NDArray[Any]:
    import numpy as np

    missing = [name for name in names if name not in header]
    if missing:
        raise TableError(f"{path}: --mods column {', '.join(missing)} is not in the header ({', '.join(header)})")
    return np.column_stack([numeric_column(path, rows, name) for name in names])


def _labels(header: list[str], rows: list[dict[str, str]], usable: NDArray[Any]) -> list[str]:
    from livingreview.safe_text import plain_for_terminal

    column = next((name for name in LABEL_COLUMNS if name in header), None)
    labels = [plain_for_terminal(row[column]).strip() if column else f"line {row['__line__']}" for row in rows]
    # A dollar sign would start matplotlib's mathtext.
    return [label.replace("$", r"\$")[:60] for label, keep in zip(labels, usable, strict=True) if keep]


def _write_plots(result: MetaResult, table: Path, out_dir: Path, labels: list[str], measure: str, *,
                 intercept_only: bool) -> None:
    from livingreview.synthesis import forest_plot, funnel_plot, trim_and_fill

    axis = {"GEN": "effect size", "RR": "log risk ratio", "OR": "log odds ratio", "RD": "risk difference",
            "SMD": "standardised mean difference", "MD": "mean difference", "COR": "correlation",
            "ZCOR": "Fisher's z"}[measure]
    forest = [out_dir / f"{table.stem}-forest.{suffix}" for suffix in ("png", "svg")]
    forest_plot(result, forest, labels=labels, measure=axis)
    written = [*forest]
    if intercept_only and result.k >= 3:
        filled = trim_and_fill(result.yi, result.vi, method=result.method, test=result.test)
        funnel = [out_dir / f"{table.stem}-funnel.{suffix}" for suffix in ("png", "svg")]
        funnel_plot(result, funnel, filled=filled, measure=axis)
        written += funnel
    stderr.print("wrote " + ", ".join(str(path) for path in written), markup=False, highlight=False)


def _finite_or_none(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _render(payload: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from livingreview.safe_text import for_terminal

    def number(key: str, digits: int = 4) -> str:
        value = payload[key]
        return "-" if value is None else f"{value:.{digits}f}"

    table = Table(title=f"meta-analysis of {payload['k']} studies", title_justify="left")
    table.add_column("")
    table.add_column("value", justify="right")
    table.add_column("interval", justify="right")
    table.add_row("estimate", number("estimate"), f"95% CI {number('ci_lb')} to {number('ci_ub')}")
    table.add_row("se / z (or t)", number("se"), f"{number('zval', 3)}, p = {payload['pval']:.3g}")
    table.add_row("prediction", "", f"{number('pi_lb')} to {number('pi_ub')}")
    table.add_row("tau\u00b2", number("tau2"), f"Q-profile {number('tau2_ci_lb')} to {number('tau2_ci_ub')}")
    table.add_row("I\u00b2 / H\u00b2", f"{number('i2', 1)}%", number("h2", 2))
    table.add_row("Q", number("q", 2), f"p = {payload['q_pval']:.3g}")
    for row in payload.get("moderators", []):
        table.add_row(f"moderator {for_terminal(row['name'])}", f"{row['estimate']:.4f}",
                      f"95% CI {row['ci_lb']:.4f} to {row['ci_ub']:.4f}, p = {row['pval']:.3g}")
    if "qm" in payload:
        table.add_row("QM (moderators)", f"{payload['qm']:.3f}", f"p = {payload['qm_pval']:.3g}")
    Console(soft_wrap=True).print(table)


COMMANDS = (meta_command,)
