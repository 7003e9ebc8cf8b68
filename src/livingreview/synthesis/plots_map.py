"""Figures of the synthesis without meta-analysis: evidence map, effect direction plot, harvest plot.

Built like the risk-of-bias figures (`livingreview.appraisal.plots`): a `Figure` on the Agg canvas,
no pyplot state, labels cleaned by `safe_label` (control characters dropped, `$` escaped, cut),
written as PNG or SVG by `save_figure`.

- Evidence map: a heat map per outcome class, drugs down, constructs across. Colour is the cell's
  net direction, (improved - worsened) / studies with a direction, from red (all worsened) through
  pale yellow (no difference, mixed, or balanced) to blue (all improved); a plain share improved
  would paint null and harmful findings the same colour. The cell text gives k (studies), N
  (participants) and the studies per direction.
- Effect direction plot (Thomson & Thomas 2013; Boon & Thomson 2021): a row per study grouped by
  drug, a column per construct, an arrow per study and construct (up improved, down worsened,
  left-right no difference or mixed), its size by the study's N in the bands of those papers'
  template (< 50, 50-300, > 300); under each drug, the sign test per construct.
- Harvest plot (Ogilvie et al., BMC Med Res Methodol 2008;8:8): for each construct, a bar per study
  in the column of its direction, the bar's height its design (3 randomised controlled, 2
  controlled, 1 uncontrolled), its colour its drug.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from livingreview.appraisal.plots import safe_label, save_figure
from livingreview.synthesis.effect_direction import DirectionRow, EffectDirectionTable
from livingreview.synthesis.evidence import DIRECTIONS, Direction
from livingreview.synthesis.evidence_map import EvidenceMap, MapCell

__all__ = ["effect_direction_plot", "evidence_map_plot", "harvest_plot", "save_figure"]

ARROW: dict[Direction, str] = {"improved": "\u25b2", "worsened": "\u25bc", "no difference": "\u25c4\u25ba",
                               "mixed": "\u25c4\u25ba"}
MAP_SYMBOL: dict[Direction, str] = {**ARROW, "mixed": "~"}  # in a map cell "~" tells mixed from no difference
DIRECTION_COLOUR: dict[Direction, str] = {"improved": "#1A7F37", "worsened": "#B42318",
                                          "no difference": "#6E6E6E", "mixed": "#8E44AD"}
NET_COLOURMAP = "RdYlBu"  # diverging and readable with the common colour-vision deficiencies
NO_DIRECTION = "#D9D9D9"
DRUG_COLOURS = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3", "#8C8C8C")
CELL_GID = "map-cell"
ARROW_GID = "direction-arrow"
BAR_GID = "harvest-bar"


def _label(labels: Mapping[str, str], key: str, limit: int = 28) -> str:
    return safe_label(labels.get(key, key), limit)


def evidence_map_plot(evidence_map: EvidenceMap, drug_labels: Mapping[str, str] = {},
                      construct_labels: Mapping[str, str] = {}, *, title: str | None = None) -> Figure:
    """One heat-map panel per outcome class with studies; cells hold k, N and directions."""
    emap = evidence_map
    if not emap.cells:
        raise ValueError("nothing to map: no study has an outcome")
    columns, rows = len(emap.constructs), len(emap.drugs)
    panel_width = 1.15 * columns + 0.4
    width = max(7.5, 1.9 + panel_width * len(emap.outcome_classes))  # room for the captions
    height = 3.2 + 0.8 * rows
    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    norm = Normalize(-1.0, 1.0)
    cmap = colormaps[NET_COLOURMAP]
    for index, outcome_class in enumerate(emap.outcome_classes):
        left = (1.6 + index * panel_width) / width
        axes = figure.add_axes((left, 1.85 / height, (panel_width - 0.35) / width, (height - 2.55) / height))
        for y, drug in enumerate(emap.drugs):
            for x, construct in enumerate(emap.constructs):
                _map_cell(axes, x, y, emap.cell(drug, construct, outcome_class), cmap, norm)
        axes.set_xlim(-0.5, columns - 0.5)
        axes.set_ylim(rows - 0.5, -0.5)
        axes.set_title(safe_label(outcome_class), fontsize=10, fontweight="bold")
        axes.set_xticks(range(columns), [_label(construct_labels, c, 24) for c in emap.constructs],
                        rotation=35, ha="right", fontsize=8)
        axes.set_yticks(range(rows), [_label(drug_labels, d) for d in emap.drugs] if index == 0 else [], fontsize=9)
        axes.tick_params(length=0)
    colour_axes = figure.add_axes((0.3 / width, 0.8 / height, min(3.6, width - 0.6) / width, 0.12 / height))
    bar = figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=colour_axes, orientation="horizontal")
    bar.set_ticks([-1, -0.5, 0, 0.5, 1])
    # Left-aligned under the bar rather than a centred colour-bar label, which the figure edge cuts.
    figure.text(0.3 / width, 0.12 / height, "colour: net direction = (improved \u2212 worsened) / studies with a "
                "direction; grey: no direction extracted", fontsize=8)
    bar.ax.tick_params(labelsize=7)
    included = "included and 'maybe' studies" if emap.include_maybe else "included studies"
    figure.text(0.3 / width, 0.34 / height, f"k studies, N participants ({included}; NR: N not reported); "
                "\u25b2 improved \u25bc worsened \u25c4\u25ba no difference ~ mixed", fontsize=8)
    figure.suptitle(safe_label(title or "Evidence map: drug \u00d7 construct by outcome class", 90), fontsize=11)
    return figure


def _map_cell(axes: Axes, x: int, y: int, cell: MapCell | None, cmap: Colormap, norm: Normalize) -> None:
    if cell is None:
        axes.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor="white", edgecolor="#E5E5E5", linewidth=0.6))
        return
    net = cell.net_direction
    colour = NO_DIRECTION if net is None else cmap(norm(net))
    axes.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=colour, edgecolor="white", linewidth=1.2,
                             gid=CELL_GID))
    if cell.without_n == cell.k:
        n_text = "N not reported"
    else:
        n_text = f"N={cell.participants}" + (f" +{cell.without_n} NR" if cell.without_n else "")
    votes = " ".join(f"{cell.directions[d]}{MAP_SYMBOL[d]}" for d in DIRECTIONS if cell.directions.get(d))
    dark = net is not None and abs(net) > 0.7
    axes.text(x, y, f"k={cell.k}\n{n_text}\n{votes}".rstrip(), ha="center", va="center", fontsize=7.5,
              color="white" if dark else "black")


def effect_direction_plot(table: EffectDirectionTable, drug_labels: Mapping[str, str] = {},
                          construct_labels: Mapping[str, str] = {}, *, title: str | None = None) -> Figure:
    """Studies down (grouped by drug, each group closed by its sign tests), constructs across."""
    if not table.rows:
        raise ValueError("nothing to plot: no studies")
    lines: list[tuple[str, object]] = []
    for drug in table.drugs:
        lines.append(("drug", drug))
        lines.extend(("study", row) for row in table.rows_for(drug))
        lines.append(("test", drug))
    columns = len(table.constructs)
    width = 3.9 + 1.35 * columns
    height = 2.3 + 0.32 * len(lines)
    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.02, 1.0 / height, 0.96, (height - 1.7) / height))
    first = 3.5  # x of the first construct column, in axes units of one column
    axes.set_xlim(0, first + 1.3 * columns)
    axes.set_ylim(len(lines) - 0.5, -1.75)
    axes.axis("off")
    axes.text(0.05, -1.1, "Study", fontsize=8.5, fontweight="bold", va="center")
    axes.text(2.3, -1.1, "N", fontsize=8.5, fontweight="bold", va="center", ha="center")
    axes.text(2.95, -1.1, "Rand.", fontsize=8.5, fontweight="bold", va="center", ha="center")
    for x, construct in enumerate(table.constructs):
        header = "\n".join(textwrap.wrap(_label(construct_labels, construct, 32), 16))
        axes.text(first + 1.3 * x + 0.65, -1.1, header, fontsize=8, fontweight="bold", va="center", ha="center")
    for y, (kind, item) in enumerate(lines):
        if kind == "drug":
            axes.text(0.05, y, _label(drug_labels, str(item), 40), fontsize=9, fontweight="bold", va="center")
            axes.axhline(y - 0.5, color="#7F7F7F", linewidth=0.6)
        elif kind == "study":
            _direction_row(axes, y, item, table.constructs, first)  # type: ignore[arg-type]
        else:
            axes.text(0.25, y, "sign test", fontsize=7.5, style="italic", va="center")
            for x, construct in enumerate(table.constructs):
                test = table.tests.get((str(item), construct))
                if test is not None:
                    shown = ("no \u25b2/\u25bc" if test.p_value is None
                             else f"{test.improved}\u25b2 {test.worsened}\u25bc p={test.p_value:.2g}")
                    axes.text(first + 1.3 * x + 0.65, y, shown, fontsize=7, style="italic", ha="center", va="center")
    figure.text(0.02, 0.3 / height, _wrapped(width, "\u25b2 improved  \u25bc worsened  \u25c4\u25ba no difference "
                "(grey) or mixed (purple); ? measured, direction not extracted; arrow size: N < 50 or not reported, "
                "50\u2013300, > 300; "
                "Rand.: randomised (? not stated); sign test: two-sided binomial, improved vs worsened studies "
                "(no difference and mixed not counted)"), fontsize=7)
    figure.suptitle(safe_label(title or "Effect direction by study and construct (SWiM)", 90), fontsize=11)
    return figure


def _wrapped(width_inches: float, text: str) -> str:
    """Text broken into lines that fit the figure at 7 pt (about 16 characters per inch)."""
    return "\n".join(textwrap.wrap(text, int(width_inches * 16)))


def _arrow_size(n_total: int | None) -> float:
    if n_total is None or n_total < 50:
        return 9.0
    return 13.0 if n_total <= 300 else 17.0


def _direction_row(axes: Axes, y: int, row: DirectionRow, constructs: Sequence[str], first: float) -> None:
    study = row.study
    axes.text(0.25, y, safe_label(study.label, 24), fontsize=8, va="center")
    axes.text(2.3, y, "NR" if study.n_total is None else str(study.n_total), fontsize=8, va="center", ha="center")
    axes.text(2.95, y, {"yes": "yes", "no": "no"}.get(study.randomised, "?"), fontsize=8, va="center", ha="center")
    for x, construct in enumerate(constructs):
        cell = row.cells.get(construct)
        if cell is None:
            continue
        centre = first + 1.3 * x + 0.65
        if cell.direction is None:
            axes.text(centre, y, "?", fontsize=9, color="#6E6E6E", ha="center", va="center")
            continue
        axes.text(centre, y, ARROW[cell.direction], fontsize=_arrow_size(study.n_total), ha="center",
                  va="center", color=DIRECTION_COLOUR[cell.direction], gid=ARROW_GID)


HARVEST_COLUMNS: tuple[tuple[str, tuple[Direction, ...]], ...] = (
    ("worsened", ("worsened",)), ("no difference or mixed", ("no difference", "mixed")), ("improved", ("improved",)))


def harvest_plot(table: EffectDirectionTable, drug_labels: Mapping[str, str] = {},
                 construct_labels: Mapping[str, str] = {}, *, title: str | None = None) -> Figure:
    """A row of panels per construct, a column per direction, a bar per study (height = design)."""
    if not table.rows:
        raise ValueError("nothing to plot: no studies")
    colours = {drug: DRUG_COLOURS[i % len(DRUG_COLOURS)] for i, drug in enumerate(table.drugs)}
    bars = {(c, col): [(row, row.cells[c].direction) for row in table.rows
                       if c in row.cells and row.cells[c].direction in directions]
            for c in table.constructs for col, directions in HARVEST_COLUMNS}
    widest = max([len(v) for v in bars.values()] + [3])
    width = 2.2 + 3 * (0.38 * widest + 0.4)
    height = 1.9 + 1.8 * len(table.constructs)
    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    grid = figure.subplots(len(table.constructs), 3, squeeze=False, sharey=True,
                           gridspec_kw={"left": 1.9 / width, "right": 0.98, "top": 1 - 0.75 / height,
                                        "bottom": 1.0 / height, "wspace": 0.08, "hspace": 0.25})
    for r, construct in enumerate(table.constructs):
        for c, (column, _) in enumerate(HARVEST_COLUMNS):
            axes = grid[r][c]
            for x, (row, direction) in enumerate(bars[(construct, column)]):
                axes.bar(x, row.study.design_strength, width=0.7, color=colours[row.drug], edgecolor="black",
                         linewidth=0.5, hatch="//" if direction == "mixed" else None, gid=BAR_GID)
                axes.text(x, row.study.design_strength + 0.1, safe_label(row.study.label, 18), rotation=90,
                          ha="center", va="bottom", fontsize=6)
            axes.set_xlim(-0.6, widest - 0.4)
            axes.set_ylim(0, 7.2)  # room above the tallest bar for a rotated study label
            axes.set_xticks([])
            axes.set_yticks([1, 2, 3])
            axes.tick_params(labelsize=7)
            if r == 0:
                axes.set_title(column, fontsize=9, fontweight="bold")
            if c == 0:
                axes.set_ylabel(_label(construct_labels, construct, 22), fontsize=8.5, rotation=0, ha="right",
                                va="center")
    handles = [Patch(facecolor=colours[d], edgecolor="black", label=_label(drug_labels, d)) for d in table.drugs]
    handles.append(Patch(facecolor="white", edgecolor="black", hatch="//", label="mixed"))
    figure.legend(handles=handles, loc="lower center", ncols=min(len(handles), 5), fontsize=7.5, frameon=False)
    figure.text(0.01, 0.45 / height, "bar height: 3 randomised controlled, 2 controlled, 1 uncontrolled",
                fontsize=7)
    figure.suptitle(safe_label(title or "Harvest plot: studies by direction of effect and construct", 90), fontsize=11)
    return figure
