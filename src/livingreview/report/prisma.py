"""The PRISMA 2020 flow diagram: the counts, the arithmetic that ties them, and the drawing.

`PrismaCounts` holds one number per box of the PRISMA 2020 template (Page et al. 2021), with the
per-source and per-reason breakdowns the template lists inside its boxes, the optional "other
methods" column and the previous-version boxes of an updated review. `check()` walks the arrows
of the diagram and names the first box whose number does not follow from the boxes above it, so
a diagram that does not add up is never drawn. The caller derives the counts from the review's
log; this module only checks and draws them.

The drawing is laid out once (`_flow_layout.flow_layout`: boxes, arrows and phase bars in pixel
coordinates) and written twice from the same geometry: hand-built SVG and a PNG drawn with
matplotlib (`_flow_draw`), so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from livingreview.errors import BadInput
from livingreview.report._flow_draw import render_png, render_svg
from livingreview.report._flow_layout import flow_layout


class PrismaCountError(BadInput):
    """A box of the flow diagram whose number does not follow from the boxes it comes from."""

    def __init__(self, box: str, message: str) -> None:
        super().__init__(f"PRISMA box {box!r}: {message}")
        self.box = box


def _frozen(counts: Mapping[str, int] | None) -> Mapping[str, int]:
    return MappingProxyType(dict(counts or {}))


@dataclass(frozen=True)
class OtherMethods:
    """The right-hand column: records found by other methods (websites, organisations, citation
    searching), which go straight to retrieval without title-and-abstract screening."""

    identified: Mapping[str, int]
    reports_sought: int
    reports_not_retrieved: int
    reports_assessed: int
    reports_excluded: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "identified", _frozen(self.identified))
        object.__setattr__(self, "reports_excluded", _frozen(self.reports_excluded))


@dataclass(frozen=True)
class PreviousVersion:
    """What the previous version of a living review included, and how many of its reports were
    awaiting classification (assessed again in this version)."""

    studies: int
    reports: int
    awaiting: int = 0


@dataclass(frozen=True)
class PrismaCounts:
    """The numbers of one PRISMA 2020 flow diagram (databases-and-registers column first).

    `reports_excluded` maps each exclusion reason, labelled by the protocol's criterion, to its
    count; `reports_awaiting` counts reports assessed whose eligibility is not decided yet
    (Cochrane's "studies awaiting classification"), drawn beside the excluded ones when there are
    any, so that assessed = excluded + awaiting + included; `studies_included` and `reports_included` are the new ones of this version (all of them
    when there is no previous version).
    """

    databases: Mapping[str, int]
    registers: Mapping[str, int]
    duplicates_removed: int
    removed_by_automation: int
    removed_other: int
    records_screened: int
    records_excluded: int
    reports_sought: int
    reports_not_retrieved: int
    reports_assessed: int
    reports_excluded: Mapping[str, int]
    studies_included: int
    reports_included: int
    other_methods: OtherMethods | None = None
    previous: PreviousVersion | None = None
    reports_awaiting: int = 0
    # Curated lists of citations (supplied with the protocol), screened like database records.
    citation_lists: Mapping[str, int] = field(default_factory=dict)
    # Reports assessed whose full text the review holds (retrieved or attached); None when not
    # counted. PRISMA's boxes take a report not marked "not retrieved" as retrieved; the methods
    # text must not claim more than the review holds.
    reports_full_text_held: int | None = None

    def __post_init__(self) -> None:
        for name in ("databases", "registers", "reports_excluded", "citation_lists"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    @property
    def records_identified(self) -> int:
        return (sum(self.databases.values()) + sum(self.registers.values())
                + sum(self.citation_lists.values()))

    @property
    def records_removed(self) -> int:
        return self.duplicates_removed + self.removed_by_automation + self.removed_other

    @property
    def total_studies(self) -> int:
        return self.studies_included + (self.previous.studies if self.previous else 0)

    @property
    def total_reports(self) -> int:
        return self.reports_included + (self.previous.reports if self.previous else 0)

    def check(self) -> None:
        """Raise `PrismaCountError` naming the first box that does not add up."""
        for box, value in self._named_counts():
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise PrismaCountError(box, f"a count must be a whole number >= 0, got {value!r}")
        _expect("Records screened", self.records_screened,
                self.records_identified - self.records_removed,
                f"records identified ({self.records_identified}) minus records removed before "
                f"screening ({self.records_removed})")
        _expect("Reports sought for retrieval", self.reports_sought,
                self.records_screened - self.records_excluded,
                f"records screened ({self.records_screened}) minus records excluded "
                f"({self.records_excluded})")
        carried = self.previous.awaiting if self.previous else 0
        _expect("Reports assessed for eligibility", self.reports_assessed,
                self.reports_sought - self.reports_not_retrieved + carried,
                f"reports sought ({self.reports_sought}) minus reports not retrieved "
                f"({self.reports_not_retrieved}) plus reports awaiting classification in the "
                f"previous version ({carried})")
        excluded = sum(self.reports_excluded.values())
        kept = self.reports_assessed - excluded - self.reports_awaiting
        if kept < 0:
            raise PrismaCountError("Reports excluded", f"{excluded} reports excluded and "
                                   f"{self.reports_awaiting} awaiting classification but only "
                                   f"{self.reports_assessed} assessed")
        kept_other = self._check_other_methods()
        _expect("Reports of included studies", self.reports_included, kept + kept_other,
                f"reports assessed minus reports excluded and awaiting classification ({kept} via"
                f" databases and registers + {kept_other} via other methods)")
        if self.studies_included > self.reports_included:
            raise PrismaCountError("Studies included", f"{self.studies_included} studies from only "
                                   f"{self.reports_included} reports (a study has at least one)")
        if self.reports_included and not self.studies_included:
            raise PrismaCountError("Studies included", f"{self.reports_included} included reports "
                                   "but no included study")

    def _check_other_methods(self) -> int:
        other = self.other_methods
        if other is None:
            return 0
        identified = sum(other.identified.values())
        if other.reports_sought > identified:
            raise PrismaCountError("Other methods: reports sought for retrieval",
                                   f"{other.reports_sought} sought from {identified} identified")
        _expect("Other methods: reports assessed for eligibility", other.reports_assessed,
                other.reports_sought - other.reports_not_retrieved,
                f"reports sought ({other.reports_sought}) minus reports not retrieved "
                f"({other.reports_not_retrieved})")
        kept = other.reports_assessed - sum(other.reports_excluded.values())
        if kept < 0:
            raise PrismaCountError("Other methods: reports excluded",
                                   f"{sum(other.reports_excluded.values())} reports excluded but "
                                   f"only {other.reports_assessed} assessed")
        return kept

    def _named_counts(self) -> list[tuple[str, object]]:
        named: list[tuple[str, object]] = [
            *((f"Databases: {k}", v) for k, v in self.databases.items()),
            *((f"Registers: {k}", v) for k, v in self.registers.items()),
            *((f"Citation lists: {k}", v) for k, v in self.citation_lists.items()),
            ("Duplicate records removed", self.duplicates_removed),
            ("Records marked as ineligible by automation tools", self.removed_by_automation),
            ("Records removed for other reasons", self.removed_other),
            ("Records screened", self.records_screened),
            ("Records excluded", self.records_excluded),
            ("Reports sought for retrieval", self.reports_sought),
            ("Reports not retrieved", self.reports_not_retrieved),
            ("Reports assessed for eligibility", self.reports_assessed),
            *((f"Reports excluded: {k}", v) for k, v in self.reports_excluded.items()),
            ("Reports awaiting classification", self.reports_awaiting),
            ("Studies included", self.studies_included),
            ("Reports of included studies", self.reports_included),
        ]
        if self.other_methods is not None:
            other = self.other_methods
            named += [*((f"Other methods: {k}", v) for k, v in other.identified.items()),
                      ("Other methods: reports sought for retrieval", other.reports_sought),
                      ("Other methods: reports not retrieved", other.reports_not_retrieved),
                      ("Other methods: reports assessed for eligibility", other.reports_assessed),
                      *((f"Other methods: reports excluded: {k}", v)
                        for k, v in other.reports_excluded.items())]
        if self.previous is not None:
            named += [("Studies included in previous version", self.previous.studies),
                      ("Reports included in previous version", self.previous.reports),
                      ("Reports awaiting classification in previous version",
                       self.previous.awaiting)]
        for label in (*self.databases, *self.registers, *self.citation_lists, *self.reports_excluded):
            if not label.strip():
                raise PrismaCountError("labels", "a database, register or reason has an empty name")
        return named


def _expect(box: str, actual: int, expected: int, how: str) -> None:
    if actual != expected:
        raise PrismaCountError(box, f"is {actual} but {how} is {expected}")


def write_flow_diagram(counts: PrismaCounts, svg_path: Path | None = None,
                       png_path: Path | None = None) -> None:
    """Check the counts, then write the diagram as SVG and/or PNG."""
    counts.check()
    layout = flow_layout(counts)
    if svg_path is not None:
        svg_path.write_text(render_svg(layout), encoding="utf-8")
    if png_path is not None:
        render_png(layout, png_path)


def flow_diagram_svg(counts: PrismaCounts) -> str:
    """The checked diagram as an SVG document (a string, for inlining into the HTML report)."""
    counts.check()
    return render_svg(flow_layout(counts))
