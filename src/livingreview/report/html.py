"""The review as one self-contained HTML file: every figure inlined, styles inline, no script.

`ReportInputs` holds plain typed values (tables as lists of dicts, figures as file paths, text
fields); the caller reads them from the store. `render_report` writes `index.html` (with the
PRISMA diagram also as `prisma.svg` and `prisma.png` beside it) and returns its path. A section
with no inputs yet says "not yet available" instead of failing.

Everything from records is untrusted: Jinja2 autoescapes every value, control characters are
dropped on the way out, figures go in as `data:` images (an SVG shown through `<img>` runs no
script), and a Content-Security-Policy forbids scripts and any load that is not inline.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from livingreview.errors import BadInput
from livingreview.report.checklist import (
    PRISMA_S_COLUMNS,
    ChecklistEntry,
    SearchReport,
    fill_checklist,
    prisma_s_rows,
)
from livingreview.report.methods import MethodsFacts, MethodsText, methods_text
from livingreview.report.prisma import PrismaCounts, flow_diagram_svg, write_flow_diagram
from livingreview.safe_text import plain_for_terminal

NOT_YET_AVAILABLE = "not yet available"
_IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

Row = Mapping[str, object]


@dataclass(frozen=True)
class Figure:
    """A figure file (SVG or PNG) and its caption."""

    path: Path
    caption: str


@dataclass(frozen=True)
class FieldValue:
    """One value in the characteristics table; `suggested` when no human has verified it (the
    rule-based suggestion stands in, and the page shows it in italics)."""

    text: str
    suggested: bool = False


@dataclass(frozen=True)
class StudyCitation:
    """The study column of the characteristics table: who, when, where, and its identifiers."""

    label: str  # "Abel et al. 2003"
    title: str = ""
    journal: str = ""
    doi: str | None = None
    pmid: str | None = None


@dataclass(frozen=True)
class ChangesSinceLast:
    """What this version changed relative to the previous one."""

    previous_version: int
    new_records: int
    newly_included: Sequence[str] = ()
    changed_estimates: Sequence[Row] = ()
    changed_conclusions: Sequence[Row] = ()


@dataclass(frozen=True)
class ReportInputs:
    title: str
    question: str
    version: int
    generated: datetime
    summary: str = ""
    methods: MethodsFacts | None = None
    prisma: PrismaCounts | None = None
    searches: Sequence[SearchReport] = ()
    checklist_known: Mapping[str, str] = field(default_factory=dict)
    characteristics: Sequence[Row] = ()
    outcomes: Sequence[Row] = ()
    evidence_map: Sequence[Figure] = ()
    evidence_map_table: Sequence[Row] = ()
    effect_direction: Sequence[Figure] = ()
    forest_plots: Sequence[Figure] = ()
    effect_sizes: Sequence[Row] = ()  # per drug and construct: studies with and without an effect size
    effect_estimates: Sequence[Row] = ()  # per study estimate drawn: how it was computed
    risk_of_bias: Sequence[Figure] = ()
    summary_of_findings: Sequence[Row] = ()
    conclusions: Sequence[Row] = ()
    conclusions_rule: str = ""
    changes: ChangesSinceLast | None = None

    def __post_init__(self) -> None:
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            raise BadInput(f"report: version must be a whole number >= 1, got {self.version!r}")
        if self.generated.tzinfo is None:
            raise BadInput("report: the generation time must carry a time zone (it is shown in UTC)")
        if self.changes is not None and not 1 <= self.changes.previous_version < self.version:
            raise BadInput(f"report: version {self.version} cannot be compared with version "
                           f"{self.changes.previous_version}")


@dataclass(frozen=True)
class _Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _StudyTable:
    """The characteristics table: each cell a citation or a run of values, some suggested."""

    columns: tuple[str, ...]
    rows: tuple[tuple[StudyCitation | tuple[FieldValue, ...], ...], ...]
    any_suggested: bool


@dataclass(frozen=True)
class _InlineFigure:
    src: str
    caption: str


def render_report(inputs: ReportInputs, out_dir: Path) -> Path:
    """Write the report into `out_dir` (created if needed) and return the path of index.html."""
    out_dir.mkdir(parents=True, exist_ok=True)
    prisma_svg = None
    if inputs.prisma is not None:
        write_flow_diagram(inputs.prisma, out_dir / "prisma.svg", out_dir / "prisma.png")
        prisma_svg = Markup(flow_diagram_svg(inputs.prisma))  # built with every label escaped
    page = _environment().get_template("report.html.j2").render(
        inputs=inputs,
        generated_utc=inputs.generated.astimezone(timezone.utc),
        not_yet=NOT_YET_AVAILABLE,
        methods=_methods(inputs),
        prisma_svg=prisma_svg,
        checklist=_checklist(inputs),
        searches=_table([dict(r) for r in prisma_s_rows(inputs.searches)], PRISMA_S_COLUMNS),
        no_search=_no_search(inputs),
        characteristics=_study_table(inputs.characteristics),
        outcomes=_table(inputs.outcomes),
        evidence_map=_figures("evidence map", inputs.evidence_map),
        evidence_map_table=_table(inputs.evidence_map_table),
        effect_direction=_figures("effect direction", inputs.effect_direction),
        forest_plots=_figures("forest plots", inputs.forest_plots),
        effect_sizes=_table(inputs.effect_sizes),
        effect_estimates=_table(inputs.effect_estimates),
        risk_of_bias=_figures("risk of bias", inputs.risk_of_bias),
        summary_of_findings=_table(inputs.summary_of_findings),
        conclusions=_table(inputs.conclusions),
        changed_estimates=_table(inputs.changes.changed_estimates if inputs.changes else ()),
        changed_conclusions=_table(inputs.changes.changed_conclusions if inputs.changes else ()),
    )
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def _environment() -> Environment:
    return Environment(loader=PackageLoader("livingreview.report", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       undefined=StrictUndefined, finalize=_drop_controls,
                       trim_blocks=True, lstrip_blocks=True)


def _drop_controls(value: object) -> object:
    """Control characters and terminal escapes out of every printed string (autoescape follows)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return plain_for_terminal(value)
    return value


def _no_search(inputs: ReportInputs) -> bool:
    """True when the records are known to have come only from imports or a curated list: the
    PRISMA-S section then says no search was run, rather than "not yet available"."""
    sources = inputs.methods.sources if inputs.methods is not None else ()
    return not inputs.searches and bool(sources) and all(s.how != "searched" for s in sources)


def _methods(inputs: ReportInputs) -> MethodsText | None:
    if inputs.methods is None:
        return None
    facts = inputs.methods
    if inputs.searches and "prisma-s" not in facts.methods:
        facts = replace(facts, methods=(*facts.methods, "prisma-s"))
    return methods_text(facts, inputs.version, inputs.prisma, inputs.generated.date())


def _checklist(inputs: ReportInputs) -> list[ChecklistEntry]:
    """The checklist answered by the sections this report has, then by what the caller adds."""
    known: dict[str, str] = {}
    if inputs.question:
        known["4"] = "Title block: review question"
    if inputs.methods is not None:
        known.update(dict.fromkeys(_items_in_methods(inputs.methods), "Methods"))
    if inputs.searches:
        known.update({"6": "Methods; PRISMA-S table", "7": "PRISMA-S table (queries as run)"})
    if inputs.prisma is not None:
        known["16a"] = "PRISMA 2020 flow diagram"
    sections = {"17": (inputs.characteristics, "Characteristics of included studies"),
                "19": (inputs.outcomes or inputs.forest_plots, "Outcomes; forest plots"),
                "18": (inputs.risk_of_bias, "Risk-of-bias plots"),
                "20b": (inputs.forest_plots, "Forest plots"),
                "22": (inputs.summary_of_findings, "Summary of findings")}
    known.update({item: where for item, (present, where) in sections.items() if present})
    known.update(inputs.checklist_known)
    return fill_checklist(known)


def _items_in_methods(facts: MethodsFacts) -> list[str]:
    """Checklist items the methods paragraph answers, given what it says was done."""
    used = set(facts.methods)
    items = ["6"]
    items += ["8"] if facts.screeners else []
    items += ["11"] if used & {"rob2", "robins-i"} else []
    items += ["13d"] if used & {"reml", "swim"} else []
    items += ["15"] if "grade" in used else []
    return items


def _cell(value: object) -> str:
    """A table cell as text: None empty, floats rounded for reading, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _float_cell(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(_cell(item) for item in value)
    return str(value)


def _float_cell(value: float) -> str:
    """Two decimals; below 0.1, two significant digits, so a p value of 0.0012 keeps its size."""
    if math.isfinite(value) and value != 0 and abs(value) < 0.1:
        return f"{value:.2g}"
    return f"{value:,.2f}"


def _table(rows: Sequence[Row], columns: Sequence[str] | None = None) -> _Table | None:
    """Rows of dicts as a table; its columns are the keys in the order they first appear."""
    if not rows:
        return None
    if columns is None:
        seen: dict[str, None] = {}
        for row in rows:
            seen.update(dict.fromkeys(str(key) for key in row))
        columns = tuple(seen)
    return _Table(tuple(columns),
                  tuple(tuple(_cell(row.get(column)) for column in columns) for row in rows))


def _study_table(rows: Sequence[Row]) -> _StudyTable | None:
    """The characteristics rows as a table whose cells keep whether a value was suggested."""
    plain = _table(rows)
    if plain is None:
        return None
    cells = tuple(tuple(_study_cell(row.get(column)) for column in plain.columns) for row in rows)
    suggested = any(isinstance(cell, tuple) and any(v.suggested for v in cell)
                    for row in cells for cell in row)
    return _StudyTable(plain.columns, cells, suggested)


def _study_cell(value: object) -> StudyCitation | tuple[FieldValue, ...]:
    if isinstance(value, StudyCitation):
        return value
    if isinstance(value, FieldValue):
        return (value,)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, FieldValue) for v in value):
        return tuple(value)
    text = _cell(value)
    return (FieldValue(text),) if text else ()


def _figures(section: str, figures: Sequence[Figure]) -> list[_InlineFigure]:
    return [_InlineFigure(_data_uri(section, figure.path), figure.caption) for figure in figures]


def _data_uri(section: str, path: Path) -> str:
    """The figure file as a `data:` URI, after checking it is the image its suffix says."""
    media_type = _IMAGE_TYPES.get(path.suffix.lower())
    if media_type is None:
        raise BadInput(f"report, {section}: {path} is not a figure (expected .svg or .png)")
    try:
        content = path.read_bytes()
    except OSError as error:
        raise BadInput(f"report, {section}: {path}: cannot read the figure ({error.strerror})"
                       ) from error
    looks_right = (content.startswith(_PNG_SIGNATURE) if media_type == "image/png"
                   else b"<svg" in content[:4096])
    if not looks_right:
        raise BadInput(f"report, {section}: {path} is not a valid {path.suffix.lstrip('.').upper()} "
                       "file")
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"
