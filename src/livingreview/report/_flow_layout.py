"""Geometry of the PRISMA 2020 flow diagram, in pixels, shared by the SVG and PNG writers.

Columns, left to right: the phase bars, the previous version (updated reviews only), records
from databases and registers with their exclusion boxes beside them, and records from other
methods with theirs. Rows follow the template: identification, screening, retrieval,
eligibility, included, and the totals of an updated review. A row is as tall as its fullest box,
and text is wrapped to the box by its width measured in DejaVu Sans, the widest of the fonts
either renderer uses, so a line never runs past the border. Reports awaiting classification, when
there are any, get a box of their own stacked under "Reports excluded" in the eligibility row,
each with its own arrow from "Reports assessed". In an updated review, the previous version's
reports awaiting classification, when there are any, get a box in the previous column with an
arrow into "Reports assessed", where they are assessed again.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from livingreview.safe_text import plain_for_terminal

if TYPE_CHECKING:
    from livingreview.report.prisma import PrismaCounts

FONT_PX = 12
LINE_PX = 16
PAD_PX = 8
GAP_PX = 34  # room for an arrow between columns and between rows
STACK_GAP_PX = 14  # between the two boxes stacked beside "Reports assessed"
MARGIN_PX = 12
PHASE_WIDTH = 30
HEADER_HEIGHT = 40
WIDTHS = {"previous": 215, "main": 250, "excluded": 265, "awaiting": 265, "other": 250,
          "other_excluded": 245}
# The previous version's reports awaiting classification sit in the previous column's eligibility
# row, indented so the arrow from the previous version's studies to the totals passes beside them.
PREVIOUS_ARROW_INSET = 12
CARRIED_INSET = 2 * PREVIOUS_ARROW_INSET
WIDTHS["carried"] = WIDTHS["previous"] - CARRIED_INSET
# Colours of the PRISMA 2020 template: gold header for databases and registers, grey for other
# methods and the previous version, pale blue phase bars.
HEADER_FILL = "#F5C243"
GREY_FILL = "#D9D9D9"
PREVIOUS_FILL = "#EFEFEF"
PHASE_FILL = "#A7C7E7"
BOX_FILL = "#FFFFFF"
CONTINUATION = "  "
_TEXT_TO_PATH = TextToPath()


@dataclass(frozen=True)
class Line:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    lines: tuple[Line, ...]
    fill: str = BOX_FILL
    centred: bool = False


@dataclass(frozen=True)
class Arrow:
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Phase:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    phases: tuple[Phase, ...]


def _n(value: int) -> str:
    """The count as PRISMA writes it, with no-break spaces so it never wraps inside."""
    return f"(n\u00a0=\u00a0{value:,})"


def _clean(label: str) -> str:
    """A name from a protocol or a source on one line, without control characters."""
    return " ".join(plain_for_terminal(label).split())


def _listing(heading: str, counts: Mapping[str, int]) -> list[Line]:
    lines = [Line(f"{heading} {_n(sum(counts.values()))}")]
    lines += [Line(f"\u2022 {_clean(name)} {_n(value)}") for name, value in counts.items()]
    return lines


def _wrap(lines: Sequence[Line], width: float) -> tuple[Line, ...]:
    room = width - 2 * PAD_PX - 4  # a little slack for fonts drawn slightly wider
    wrapped: list[Line] = []
    for line in lines:
        wrapped += [Line(piece, line.bold) for piece in _wrap_words(line.text, room, line.bold)]
    return tuple(wrapped)


def _wrap_words(text: str, room: float, bold: bool) -> list[str]:
    """Greedy wrapping by measured width; continuation lines are indented, and a word longer
    than the box (a URL, say) is cut where it must be."""
    pieces: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, bold) > room:
            pieces.append(current)
            candidate = f"{CONTINUATION}{word}"
        while text_width(candidate, bold) > room and len(candidate) > len(CONTINUATION) + 1:
            cut = _longest_fitting_prefix(candidate, room, bold)
            pieces.append(candidate[:cut])
            candidate = CONTINUATION + candidate[cut:]
        current = candidate
    pieces.append(current)
    return pieces


def _longest_fitting_prefix(text: str, room: float, bold: bool) -> int:
    cut = len(CONTINUATION) + 1
    while cut < len(text) and text_width(text[:cut + 1], bold) <= room:
        cut += 1
    return cut


@functools.cache
def text_width(text: str, bold: bool = False) -> float:
    """Width in pixels of one line at FONT_PX in DejaVu Sans (matplotlib's bundled font, which
    the PNG uses; browsers drawing the SVG with Arial or Liberation Sans need less room)."""
    weight = "bold" if bold else "normal"
    properties = FontProperties(family="DejaVu Sans", size=FONT_PX, weight=weight)
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, properties, ismath=False)
    return float(width)


def _box_contents(counts: PrismaCounts) -> dict[tuple[str, str], list[Line]]:
    """The text of every box, keyed by (column, row)."""
    updated = counts.previous is not None
    new = "new " if updated else ""
    contents: dict[tuple[str, str], list[Line]] = {
        ("main", "identification"): [Line("Records identified from:", True),
                                     *_listing("Databases", counts.databases),
                                     *_listing("Registers", counts.registers),
                                     *(_listing("Citation lists", counts.citation_lists)
                                       if counts.citation_lists else [])],
        ("excluded", "identification"): [
            Line("Records removed before screening:", True),
            Line(f"Duplicate records removed {_n(counts.duplicates_removed)}"),
            Line(f"Records marked as ineligible by automation tools "
                 f"{_n(counts.removed_by_automation)}"),
            Line(f"Records removed for other reasons {_n(counts.removed_other)}")],
        ("main", "screening"): [Line(f"Records screened {_n(counts.records_screened)}")],
        ("excluded", "screening"): [Line(f"Records excluded {_n(counts.records_excluded)}")],
        ("main", "retrieval"): [Line(f"Reports sought for retrieval {_n(counts.reports_sought)}")],
        ("excluded", "retrieval"): [
            Line(f"Reports not retrieved {_n(counts.reports_not_retrieved)}")],
        ("main", "eligibility"): [
            Line(f"Reports assessed for eligibility {_n(counts.reports_assessed)}")],
        ("excluded", "eligibility"): _reasons(counts.reports_excluded),
        **({("awaiting", "eligibility"): [
            Line(f"Reports awaiting classification {_n(counts.reports_awaiting)}", True),
            Line("eligibility not yet decided")]}
           if counts.reports_awaiting else {}),
        ("main", "included"): [
            Line(f"{'New studies' if updated else 'Studies'} included in review "
                 f"{_n(counts.studies_included)}", True),
            Line(f"Reports of {new}included studies {_n(counts.reports_included)}", True)],
    }
    if counts.previous is not None:
        contents[("previous", "identification")] = [
            Line(f"Studies included in previous version of review {_n(counts.previous.studies)}"),
            Line("Reports of studies included in previous version of review "
                 f"{_n(counts.previous.reports)}")]
        if counts.previous.awaiting:
            contents[("carried", "eligibility")] = [Line(
                "Reports awaiting classification in previous version "
                f"{_n(counts.previous.awaiting)}")]
        contents[("main", "total")] = [
            Line(f"Total studies included in review {_n(counts.total_studies)}", True),
            Line(f"Reports of total included studies {_n(counts.total_reports)}", True)]
    other = counts.other_methods
    if other is not None:
        contents[("other", "identification")] = [Line("Records identified from:", True),
                                                 *(Line(f"\u2022 {_clean(k)} {_n(v)}")
                                                   for k, v in other.identified.items())]
        contents[("other", "retrieval")] = [
            Line(f"Reports sought for retrieval {_n(other.reports_sought)}")]
        contents[("other_excluded", "retrieval")] = [
            Line(f"Reports not retrieved {_n(other.reports_not_retrieved)}")]
        contents[("other", "eligibility")] = [
            Line(f"Reports assessed for eligibility {_n(other.reports_assessed)}")]
        contents[("other_excluded", "eligibility")] = _reasons(other.reports_excluded)
    return contents


def _reasons(reasons: Mapping[str, int]) -> list[Line]:
    lines = [Line(f"Reports excluded {_n(sum(reasons.values()))}", True)]
    return lines + [Line(f"{_clean(reason)} {_n(value)}") for reason, value in reasons.items()]


def flow_layout(counts: PrismaCounts) -> Layout:
    """Place every box, arrow and phase bar of the diagram for these counts."""
    columns = ["previous"] if counts.previous is not None else []
    columns += ["main", "excluded"]
    columns += ["other", "other_excluded"] if counts.other_methods is not None else []
    left = MARGIN_PX + PHASE_WIDTH + GAP_PX / 2
    x: dict[str, float] = {}
    for name in columns:
        x[name] = left
        left += WIDTHS[name] + GAP_PX
    x["awaiting"] = x["excluded"]  # stacked under "Reports excluded"
    if "previous" in x:
        x["carried"] = x["previous"] + CARRIED_INSET
    contents = {key: _wrap(lines, WIDTHS[key[0]]) for key, lines in _box_contents(counts).items()}
    rows = ["identification", "screening", "retrieval", "eligibility", "included"]
    rows += ["total"] if counts.previous is not None else []
    top = MARGIN_PX + HEADER_HEIGHT + GAP_PX / 2
    y: dict[str, float] = {}
    height: dict[str, float] = {}
    for row in rows:
        tallest = max(_natural_height(lines) for (c, r), lines in contents.items()
                      if r == row and c != "awaiting")
        stacked = contents.get(("awaiting", row))
        if stacked is not None:
            tallest = max(tallest, _natural_height(contents[("excluded", row)]) + STACK_GAP_PX
                          + _natural_height(stacked))
        y[row], height[row] = top, tallest
        top += height[row] + GAP_PX
    spans = {key: (y[key[1]], height[key[1]]) for key in contents}
    if ("awaiting", "eligibility") in contents:
        row_top, row_height = spans[("excluded", "eligibility")]
        excluded_height = _natural_height(contents[("excluded", "eligibility")])
        spans[("excluded", "eligibility")] = (row_top, excluded_height)
        spans[("awaiting", "eligibility")] = (row_top + excluded_height + STACK_GAP_PX,
                                              row_height - excluded_height - STACK_GAP_PX)
    boxes = [Box(x[c], spans[(c, r)][0], WIDTHS[c], spans[(c, r)][1], lines,
                 PREVIOUS_FILL if c in ("previous", "carried") else BOX_FILL)
             for (c, r), lines in contents.items()]
    boxes += _headers(counts, x)
    arrows = _arrows(counts, x, y, height, spans)
    phases = _phases(rows, y, height)
    width = max(b.x + b.width for b in boxes) + MARGIN_PX
    return Layout(width, top - GAP_PX + MARGIN_PX, tuple(boxes), tuple(arrows), phases)


def _natural_height(lines: Sequence[Line]) -> float:
    return len(lines) * LINE_PX + 2 * PAD_PX


def _headers(counts: PrismaCounts, x: Mapping[str, float]) -> list[Box]:
    span = WIDTHS["main"] + GAP_PX + WIDTHS["excluded"]
    which = "new studies" if counts.previous is not None else "studies"
    where = ("databases, registers and citation lists" if counts.citation_lists
             else "databases and registers")
    headers = [Box(x["main"], MARGIN_PX, span, HEADER_HEIGHT,
                   _wrap([Line(f"Identification of {which} via {where}", True)],
                         span), HEADER_FILL, centred=True)]
    if counts.previous is not None:
        headers.append(Box(x["previous"], MARGIN_PX, WIDTHS["previous"], HEADER_HEIGHT,
                           (Line("Previous studies", True),), GREY_FILL, centred=True))
    if counts.other_methods is not None:
        span = WIDTHS["other"] + GAP_PX + WIDTHS["other_excluded"]
        headers.append(Box(x["other"], MARGIN_PX, span, HEADER_HEIGHT,
                           _wrap([Line(f"Identification of {which} via other methods", True)],
                                 span), GREY_FILL, centred=True))
    return headers


def _arrows(counts: PrismaCounts, x: Mapping[str, float], y: Mapping[str, float],
            height: Mapping[str, float],
            spans: Mapping[tuple[str, str], tuple[float, float]]) -> list[Arrow]:
    def bottom(row: str) -> float:
        return y[row] + height[row]

    def middle(row: str) -> float:
        return y[row] + height[row] / 2

    main_mid = x["main"] + WIDTHS["main"] / 2
    sequence = ["identification", "screening", "retrieval", "eligibility", "included"]
    sequence += ["total"] if counts.previous is not None else []
    arrows = [Arrow(((main_mid, bottom(a)), (main_mid, y[b]))) for a, b in zip(sequence, sequence[1:])]
    main_right = x["main"] + WIDTHS["main"]
    beside = [key for key in spans if key[0] in ("excluded", "awaiting") and key[1] != "included"]
    arrows += [Arrow(((main_right, top + tall / 2), (x["excluded"], top + tall / 2)))
               for top, tall in (spans[key] for key in beside)]
    if counts.previous is not None:
        carried = spans.get(("carried", "eligibility"))
        prev_x = x["previous"] + (PREVIOUS_ARROW_INSET if carried else WIDTHS["previous"] / 2)
        arrows.append(Arrow(((prev_x, bottom("identification")), (prev_x, middle("total")),
                             (x["main"], middle("total")))))
        if carried is not None:
            top, tall = carried
            arrows.append(Arrow(((x["carried"] + WIDTHS["carried"], top + tall / 2),
                                 (x["main"], top + tall / 2))))
    if counts.other_methods is not None:
        other_mid = x["other"] + WIDTHS["other"] / 2
        other_right = x["other"] + WIDTHS["other"]
        arrows += [Arrow(((other_mid, bottom("identification")), (other_mid, y["retrieval"]))),
                   Arrow(((other_mid, bottom("retrieval")), (other_mid, y["eligibility"]))),
                   *(Arrow(((other_right, middle(r)), (x["other_excluded"], middle(r))))
                     for r in ("retrieval", "eligibility")),
                   Arrow(((other_mid, bottom("eligibility")), (other_mid, middle("included")),
                          (main_right, middle("included"))))]
    return arrows


def _phases(rows: Sequence[str], y: Mapping[str, float], height: Mapping[str, float]) -> tuple[Phase, ...]:
    spans = {"Identification": ("identification", "identification"),
             "Screening": ("screening", "eligibility"),
             "Included": ("included", rows[-1])}
    return tuple(Phase(MARGIN_PX, y[first], PHASE_WIDTH, y[last] + height[last] - y[first], label)
                 for label, (first, last) in spans.items())
