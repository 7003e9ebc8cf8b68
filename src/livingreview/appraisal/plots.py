"""Risk-of-bias figures in the style of robvis: the traffic-light plot and the summary bar plot.

Built on `matplotlib.figure.Figure` with the Agg canvas (no pyplot, no global state), saved as PNG
or SVG by the file's suffix. Study labels come from records, so they are cleaned before drawing:
control characters dropped, `$` escaped (matplotlib would read `$...$` as mathtext), and cut to
`LABEL_LIMIT` characters.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch

from livingreview.appraisal.algorithms import AppraisalResult

LABEL_LIMIT = 40
CELL_GID = "rob-cell"
CELL_INCHES = 0.45
# Colours and symbols as robvis draws them (green +, yellow !, red -, dark red x, blue ?).
LEVEL_STYLE: dict[str, tuple[str, str]] = {
    "Low": ("#02C100", "+"),
    "Low (except for concerns about uncontrolled confounding)": ("#8ACF5C", "+"),
    "Some concerns": ("#E2DF07", "!"),
    "Moderate": ("#E2DF07", "!"),
    "High": ("#BF0000", "\u2212"),
    "Serious": ("#BF0000", "\u2212"),
    "Critical": ("#820000", "\u00d7"),
    "No information": ("#4EA1F7", "?"),
}
NOT_ASSESSED = "#D9D9D9"
_WHITE_SYMBOL = {"Critical"}  # black on dark red would hardly show
_FORMATS = {".png": "png", ".svg": "svg"}


@dataclass(frozen=True)
class PlotDomain:
    id: str
    name: str


@dataclass(frozen=True)
class PlotRow:
    """One study (or study and outcome): a judgement per domain (None if not assessed)."""

    label: str
    judgements: tuple[str | None, ...]
    overall: str | None
    weight: float | None = None


def rows_from_results(
    results: Sequence[AppraisalResult], weights: Sequence[float | None] | None = None
) -> tuple[tuple[PlotDomain, ...], tuple[PlotRow, ...]]:
    """Plot domains and rows from appraisal results of one tool (final judgements, overrides applied)."""
    if not results:
        raise ValueError("nothing to plot: no appraisal results")
    domains = tuple(PlotDomain(d.domain, d.name) for d in results[0].domains)
    rows = []
    for index, result in enumerate(results):
        if tuple(d.domain for d in result.domains) != tuple(d.id for d in domains):
            raise ValueError(f"study {result.study!r} was appraised with other domains than the first study")
        label = result.study if result.outcome is None else f"{result.study} ({result.outcome})"
        weight = weights[index] if weights is not None else None
        rows.append(PlotRow(label, tuple(d.judgement for d in result.domains), result.overall, weight))
    return domains, tuple(rows)


def safe_label(text: str, limit: int = LABEL_LIMIT) -> str:
    """A label safe to draw: no control characters, one space between words, `$` escaped, cut."""
    kept = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    kept = " ".join(kept.split())
    if len(kept) > limit:
        kept = kept[: limit - 1].rstrip() + "\u2026"
    return kept.replace("$", r"\$")


def traffic_light(domains: Sequence[PlotDomain], rows: Sequence[PlotRow], *, title: str | None = None) -> Figure:
    """Studies down, domains (then Overall) across, one coloured circle with its symbol per cell."""
    _check(domains, rows)
    columns = [d.id for d in domains] + ["Overall"]
    labels = [safe_label(row.label) for row in rows]
    # Sizes in inches; one cell is CELL_INCHES square, so the equal-aspect grid fills its box.
    label_width = 0.3 + 0.075 * max(len(label) for label in labels)
    grid_width, grid_height = CELL_INCHES * len(columns), CELL_INCHES * len(rows)
    top = 0.45 + (0.35 if title else 0.0)
    bottom = 0.8 + 0.2 * len(domains)  # domain captions and the legend
    width = max(label_width + grid_width + 0.3, 6.5)
    height = top + grid_height + bottom
    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    axes = figure.add_axes((label_width / width, bottom / height, grid_width / width, grid_height / height))
    for y, row in enumerate(rows):
        for x, judgement in enumerate((*row.judgements, row.overall)):
            _cell(axes, x, y, judgement)
    axes.set_xlim(-0.5, len(columns) - 0.5)
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.set_aspect("equal")
    axes.axvline(len(domains) - 0.5, color="#7F7F7F", linewidth=0.8)
    axes.xaxis.tick_top()
    axes.set_xticks(range(len(columns)), columns, fontsize=9, fontweight="bold")
    axes.set_yticks(range(len(rows)), labels, fontsize=9)
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    if title:
        figure.suptitle(safe_label(title, 80), fontsize=11, y=1 - 0.1 / height, va="top")
    _captions_and_legend(figure, domains, rows)
    return figure


def summary_plot(
    domains: Sequence[PlotDomain],
    rows: Sequence[PlotRow],
    levels: Sequence[str],
    *,
    weighted: bool = False,
    title: str | None = None,
) -> Figure:
    """Per domain (and overall), the share of studies at each level, as 100% stacked bars.

    `weighted` uses each row's weight (all rows need one) instead of counting studies equally;
    studies not assessed in a domain are left out of that domain's bar.
    """
    _check(domains, rows)
    if weighted and any(row.weight is None for row in rows):
        missing = next(row.label for row in rows if row.weight is None)
        raise ValueError(f"weighted summary needs a weight for every study; {safe_label(missing)!r} has none")
    bars = [f"{d.id}: {d.name}" for d in domains] + ["Overall risk of bias"]
    shares = [_shares([row.judgements[i] for row in rows], rows, levels, weighted) for i in range(len(domains))]
    shares.append(_shares([row.overall for row in rows], rows, levels, weighted))
    height = 1.5 + 0.42 * len(bars)
    figure = Figure(figsize=(8.5, height))
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.43, 1.0 / height, 0.53, 1 - 1.45 / height))
    positions = list(range(len(bars)))[::-1]
    left = [0.0] * len(bars)
    for level in levels:
        widths = [share.get(level, 0.0) for share in shares]
        colour = LEVEL_STYLE.get(level, (NOT_ASSESSED, ""))[0]
        axes.barh(positions, widths, left=left, color=colour, edgecolor="black", linewidth=0.5, height=0.7, label=level)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    axes.set_xlim(0, 1)
    axes.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"], fontsize=8)
    axes.set_yticks(positions, [textwrap.fill(safe_label(b, 110), 48) for b in bars], fontsize=8)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=min(len(levels), 3), fontsize=8, frameon=False)
    caption = "weighted by study weight" if weighted else "each study counts once"
    axes.set_xlabel(f"Proportion of studies ({caption})", fontsize=8)
    if title:
        figure.suptitle(safe_label(title, 80), fontsize=11)
    return figure


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Write the figure as PNG or SVG (chosen by suffix), without a timestamp, so reruns match."""
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: figures are written as {' or '.join(_FORMATS)}")
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    # SVG element ids are random unless salted; a fixed salt makes them the same on every run.
    with rc_context({"svg.hashsalt": "livingreview"}):
        figure.savefig(path, format=fmt, dpi=150, metadata=metadata)
    return path


def _check(domains: Sequence[PlotDomain], rows: Sequence[PlotRow]) -> None:
    if not rows:
        raise ValueError("nothing to plot: no studies")
    for row in rows:
        if len(row.judgements) != len(domains):
            raise ValueError(f"{safe_label(row.label)!r} has {len(row.judgements)} judgements for {len(domains)} domains")


def _cell(axes: Axes, x: int, y: int, judgement: str | None) -> None:
    colour, symbol = LEVEL_STYLE.get(judgement, (NOT_ASSESSED, "")) if judgement else (NOT_ASSESSED, "")
    circle = Circle((x, y), 0.38, facecolor=colour, edgecolor="black", linewidth=0.6, gid=CELL_GID)
    axes.add_patch(circle)
    if symbol:
        colour = "white" if judgement in _WHITE_SYMBOL else "black"
        axes.text(x, y, symbol, ha="center", va="center_baseline", fontsize=11, fontweight="bold", color=colour)


def _captions_and_legend(figure: Figure, domains: Sequence[PlotDomain], rows: Sequence[PlotRow]) -> None:
    width, height = figure.get_size_inches()
    for index, domain in enumerate(domains):
        y = (0.2 * (len(domains) - index) + 0.4) / height
        figure.text(0.25 / width, y, safe_label(f"{domain.id}: {domain.name}", 110), fontsize=7.5)
    used = [level for level in LEVEL_STYLE if any(level in (*r.judgements, r.overall) for r in rows)]
    handles: list[Patch | Line2D] = [
        Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=LEVEL_STYLE[level][0],
               markeredgecolor="black", label=_legend_label(level))
        for level in used
    ]  # fmt: skip
    if any(None in (*r.judgements, r.overall) for r in rows):
        handles.append(Patch(facecolor=NOT_ASSESSED, edgecolor="black", label="Not assessed"))
    figure.legend(handles=handles, loc="lower center", ncols=min(len(handles), 3), fontsize=7.5,
                  frameon=False, bbox_to_anchor=(0.5, 0.0))  # fmt: skip


def _legend_label(level: str) -> str:
    return f"{LEVEL_STYLE[level][1]}  {level}"


def _shares(
    judgements: Sequence[str | None], rows: Sequence[PlotRow], levels: Sequence[str], weighted: bool
) -> dict[str, float]:
    totals: dict[str, float] = {}
    for judgement, row in zip(judgements, rows, strict=True):
        if judgement is None:
            continue
        if judgement not in levels:
            raise ValueError(f"{safe_label(row.label)!r}: {judgement!r} is not one of {', '.join(levels)}")
        totals[judgement] = totals.get(judgement, 0.0) + (row.weight if weighted and row.weight is not None else 1.0)
    whole = sum(totals.values())
    return {level: value / whole for level, value in totals.items()} if whole > 0 else {}
