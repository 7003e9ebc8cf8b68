"""The flow diagram's layout written as SVG (by hand) and as PNG (matplotlib, Agg canvas).

Both read the same `Layout`; neither decides a position. Text reaches them from protocols and
sources, so the SVG escapes it as XML and matplotlib draws it with mathtext off (`$` in a
database name is a dollar sign, not a formula).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from livingreview.report._flow_layout import FONT_PX, LINE_PX, PAD_PX, PHASE_FILL, Box, Layout, Line

FONT_FAMILY = "DejaVu Sans, Arial, Helvetica, sans-serif"
PNG_SCALE = 2  # pixels of the PNG per pixel of the layout, for a sharp print
_ARROWHEAD_ID = "prisma-arrowhead"


def _first_baseline(box: Box) -> float:
    """Lines are centred vertically in their box; the baseline sits 3/4 down each line."""
    block = len(box.lines) * LINE_PX
    return box.y + (box.height - block) / 2 + LINE_PX * 0.75


def _text_x(box: Box) -> float:
    return box.x + box.width / 2 if box.centred else box.x + PAD_PX


def render_svg(layout: Layout) -> str:
    width, height = round(layout.width), round(layout.height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="prisma-title" '
        f'font-family="{FONT_FAMILY}" font-size="{FONT_PX}">',
        '<title id="prisma-title">PRISMA 2020 flow diagram</title>',
        f'<defs><marker id="{_ARROWHEAD_ID}" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#000"/></marker></defs>',
        f'<rect width="{width}" height="{height}" fill="#FFFFFF"/>',
    ]
    for phase in layout.phases:
        cx, cy = phase.x + phase.width / 2, phase.y + phase.height / 2
        parts.append(f'<g class="prisma-phase"><rect x="{phase.x:g}" y="{phase.y:g}" '
                     f'width="{phase.width:g}" height="{phase.height:g}" rx="6" '
                     f'fill="{PHASE_FILL}"/><text x="{cx:g}" y="{cy:g}" font-weight="bold" '
                     f'text-anchor="middle" dominant-baseline="central" '
                     f'transform="rotate(-90 {cx:g} {cy:g})">{escape(phase.label)}</text></g>')
    for box in layout.boxes:
        parts.append(_svg_box(box))
    for arrow in layout.arrows:
        points = " ".join(f"{px:g},{py:g}" for px, py in arrow.points)
        parts.append(f'<polyline points="{points}" fill="none" stroke="#000" stroke-width="1.2" '
                     f'marker-end="url(#{_ARROWHEAD_ID})"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _svg_box(box: Box) -> str:
    anchor = "middle" if box.centred else "start"
    x = _text_x(box)
    baseline = _first_baseline(box)
    spans = "".join(_svg_line(line, x, baseline + i * LINE_PX) for i, line in enumerate(box.lines))
    return (f'<g class="prisma-box"><rect x="{box.x:g}" y="{box.y:g}" width="{box.width:g}" '
            f'height="{box.height:g}" fill="{box.fill}" stroke="#000" stroke-width="1"/>'
            f'<text text-anchor="{anchor}">{spans}</text></g>')


def _svg_line(line: Line, x: float, y: float) -> str:
    weight = ' font-weight="bold"' if line.bold else ""
    return f'<tspan x="{x:g}" y="{y:g}"{weight}>{escape(line.text, quote=True)}</tspan>'


def render_png(layout: Layout, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

    figure = Figure(figsize=(layout.width / 100, layout.height / 100), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, layout.width)
    axes.set_ylim(layout.height, 0)
    axes.set_axis_off()
    points = FONT_PX * 72 / 100  # the layout's pixels at 100 dpi
    for phase in layout.phases:
        axes.add_patch(FancyBboxPatch((phase.x, phase.y), phase.width, phase.height,
                                      boxstyle="round,pad=0,rounding_size=6",
                                      facecolor=PHASE_FILL, edgecolor="none"))
        axes.text(phase.x + phase.width / 2, phase.y + phase.height / 2, phase.label,
                  rotation=90, ha="center", va="center", fontsize=points, fontweight="bold",
                  family="DejaVu Sans", parse_math=False)
    for box in layout.boxes:
        axes.add_patch(Rectangle((box.x, box.y), box.width, box.height, facecolor=box.fill,
                                 edgecolor="black", linewidth=0.72))
        baseline = _first_baseline(box)
        for i, line in enumerate(box.lines):
            axes.text(_text_x(box), baseline + i * LINE_PX, line.text, fontsize=points,
                      ha="center" if box.centred else "left", va="baseline",
                      fontweight="bold" if line.bold else "normal", family="DejaVu Sans",
                      parse_math=False)
    for arrow in layout.arrows:
        xs, ys = zip(*arrow.points)
        axes.plot(xs[:-1], ys[:-1], color="black", linewidth=0.86, solid_capstyle="butt")
        axes.add_patch(FancyArrowPatch(arrow.points[-2], arrow.points[-1], arrowstyle="-|>",
                                       mutation_scale=9, shrinkA=0, shrinkB=0, color="black",
                                       linewidth=0.86))
    figure.savefig(path, format="png", dpi=100 * PNG_SCALE, facecolor="white")
