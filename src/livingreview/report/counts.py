"""PRISMA 2020 counts computed from the review's store and log, never typed in.

How the boxes follow from the records → reports → studies model:

- **Records identified**, per database and per register: every record stored (by an import, named
  by its database with `import --source` or the guess from the file, or by a search, named by the
  protocol source's kind). Registers are the trial registers of `importers.databases.REGISTERS`.
  A record from an import whose database is not known counts under "database not named (FORMAT)".
  The curated list of citations `run` imports from a protocol's evidence files is no database:
  its records count under "Citation lists" in the same box, and are screened like the others.
- **Duplicates removed**: records minus reports. A report is one publication or registry entry;
  its other records are the same report from other databases.
- **Removed for other reasons**: reports minus screening units. Screening is done once per study
  (`screening.workflow`), so a companion report (an abstract, a registry entry, an erratum) that
  the deduplicator linked to a study before screening is screened with it, not on its own.
- **Records screened / excluded**: screening units at title and abstract; excluded when the unit's
  outcome is exclude. Its exclusion reasons (criterion ids) are counted too, though the diagram
  shows them only at full text.
- **Reports sought**: units forwarded to full text (included or maybe at title and abstract).
  **Not retrieved**: forwarded units with no full-text decision whose full text was sought and
  never retrieved (the `fulltexts` table). **Assessed**: forwarded units with a full-text outcome.
- **Reports awaiting classification**: assessed units whose full-text outcome is maybe or an
  unresolved conflict. A living review always has some reports whose eligibility cannot be
  decided yet (the data are not reported, the trial is ongoing); Cochrane lists them as "studies
  awaiting classification", so they are counted in a box beside the excluded ones:
  assessed = excluded + awaiting classification + included.
- **Reports excluded, per reason**: full-text exclusions by the protocol criterion given. When the
  reviewers gave different criteria, the one first in the protocol counts (PRISMA counts each
  report once; the criteria are read as a hierarchy).
- **Studies and reports included**: units included at full text; a unit is one study seen
  through one report, so the two are equal unless units were not yet grouped into studies.

An updated review (version N > 1) reports in its own boxes only the records stored since version
N-1 ended, and that version's included studies and reports in the previous-version boxes. Reports
that were awaiting classification in version N-1 are carried into version N: drawn in a
previous-version box of their own, they are assessed again in this version, so "Reports assessed"
= sought - not retrieved + carried, and whatever this version decides for them (included,
excluded, still awaiting) is counted in its boxes. Studies included in the previous version plus
the new ones are then every study included. While a unit
is still being screened (no title-abstract decision, a title-abstract conflict, or a full text
retrieved but not yet assessed) the counts do not add up and `FlowCounts.prisma` is None;
`pending` says what is left. Those are withheld rather than drawn with an "awaiting screening"
note: the template has no box for them (every record screened is either excluded or sought, every
report sought is either not retrieved or assessed), and a reader takes the diagram as the whole
flow of the version. A living review hands such records on to the next version whose diagram adds
up (`report.service.diagram_base`), so each record is counted in exactly one drawn diagram.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from livingreview.importers.databases import is_register
from livingreview.protocol import Protocol
from livingreview.report.prisma import PrismaCounts, PreviousVersion
from livingreview.run import CURATED_SOURCE
from livingreview.screening.workflow import FORWARDED, NO_REASON, ScreeningState, StageState, screening_units
from livingreview.store import Store
from livingreview.store import flow as flow_table
from livingreview.store import studies as studies_table

# Search sources named by their kind, as a reader knows them.
SOURCE_KIND_NAMES = {"pubmed": "PubMed", "europepmc": "Europe PMC", "ctgov": "ClinicalTrials.gov"}
_SHORT = 44


@dataclass(frozen=True)
class FlowCounts:
    """The PRISMA counts of one version (None until they add up) and what they rest on."""

    prisma: PrismaCounts | None
    databases: Mapping[str, int]
    registers: Mapping[str, int]
    citation_lists: Mapping[str, int]
    duplicates_removed: int
    removed_other: int
    screened: int
    title_abstract_excluded: Mapping[str, int]
    sought: int
    not_retrieved: int
    assessed: int
    full_text_excluded: Mapping[str, int]
    included_units: tuple[int, ...]  # representative record ids, included in this version
    included_studies: int
    pending: Mapping[str, int] = field(default_factory=dict)
    previous: PreviousVersion | None = None
    awaiting_classification: int = 0  # assessed at full text, outcome maybe or in conflict
    awaiting_units: tuple[int, ...] = ()  # those units' representative record ids
    full_texts_held: int = 0  # assessed units with a retrieved or attached full text

    def to_dict(self) -> dict[str, object]:
        return {"databases": dict(self.databases), "registers": dict(self.registers),
                "citation_lists": dict(self.citation_lists),
                "duplicates_removed": self.duplicates_removed,
                "removed_other": self.removed_other, "records_screened": self.screened,
                "title_abstract_excluded": dict(self.title_abstract_excluded),
                "records_excluded": sum(self.title_abstract_excluded.values()),
                "reports_sought": self.sought, "reports_not_retrieved": self.not_retrieved,
                "reports_assessed": self.assessed,
                "reports_excluded": dict(self.full_text_excluded),
                "reports_awaiting_classification": self.awaiting_classification,
                "reports_full_text_held": self.full_texts_held,
                "studies_included": self.included_studies,
                "reports_included": len(self.included_units),
                "previous": None if self.previous is None else
                {"studies": self.previous.studies, "reports": self.previous.reports,
                 "awaiting": self.previous.awaiting},
                "pending": dict(self.pending), "adds_up": self.prisma is not None}


class _ScreeningAsOf(ScreeningState):
    """Screening units as the grouping stood at an event, over the records stored by then."""

    def __init__(self, store: Store, units: dict[int, tuple[int, int | None]]) -> None:
        super().__init__(store)
        self._fixed_units = units
        self._fixed_order = sorted({unit for unit, _ in units.values()})

    def unit_map(self) -> dict[int, tuple[int, int | None]]:
        return self._fixed_units

    def units(self) -> list[int]:
        return list(self._fixed_order)


def flow_counts(store: Store, protocol: Protocol, *, as_of_event: int | None = None,
                since_event: int | None = None) -> FlowCounts:
    """The flow of the records stored after `since_event` (all when None) as the review stood at
    `as_of_event` (now when None); with `since_event`, the previous-version boxes are filled with
    what was included as of `since_event`, and the reports then awaiting classification are
    assessed again in this flow."""
    view = _View(store, protocol, as_of_event)
    if since_event is None:
        return _with_diagram(view.flow(0))
    since_record = flow_table.last_record_by(store, since_event)
    before = _View(store, protocol, since_event).flow(0)
    carried = tuple(unit for unit in before.awaiting_units if unit in view.members)
    flow = view.flow(since_record, carried)
    previous = PreviousVersion(studies=before.included_studies, reports=len(before.included_units),
                               awaiting=len(carried))
    return _with_diagram(replace(flow, previous=previous))


def included_units(store: Store, protocol: Protocol, *, as_of_event: int | None = None) -> list[int]:
    """Representative record ids of every unit included at full text (as of the event)."""
    return list(_View(store, protocol, as_of_event).flow(0).included_units)


def criterion_label(protocol: Protocol, criterion_id: str | None) -> str:
    """An exclusion reason as the diagram shows it: the criterion id and its sentence's start."""
    if criterion_id is None:
        return NO_REASON
    sentence = next((c.sentence for c in protocol.criteria if c.id == criterion_id), "")
    first = re.split(r"(?<=[a-z])[.;(]", sentence, maxsplit=1)[0].strip()
    if len(first) > _SHORT:
        first = first[:_SHORT].rsplit(" ", 1)[0] + "…"
    return f"{criterion_id}: {first}" if first else criterion_id


class _View:
    """The store read as it stood at one event: records, their grouping, decisions, full texts."""

    def __init__(self, store: Store, protocol: Protocol, as_of_event: int | None) -> None:
        self.store = store
        self.protocol = protocol
        self.as_of_event = as_of_event
        up_to = None if as_of_event is None else flow_table.last_record_by(store, as_of_event)
        self.origins = flow_table.record_origins(store, up_to)
        placed = studies_table.placements(store, as_of_event)
        # A record in no report yet stands for its own report (a negative key, unlike any id).
        self.report_of: dict[int, int] = {}
        for origin in self.origins:
            placement = placed.get(origin.record_id)
            report = placement.report_id if placement is not None else None
            self.report_of[origin.record_id] = -origin.record_id if report is None else report
        study_of = {o.record_id: placed[o.record_id].study_id if o.record_id in placed else None
                    for o in self.origins}
        self.units = screening_units((o.record_id, study_of[o.record_id]) for o in self.origins)
        self.screening = _ScreeningAsOf(store, self.units)
        self.members: dict[int, list[int]] = {}
        for record, (unit, _) in self.units.items():
            self.members.setdefault(unit, []).append(record)
        time = None if as_of_event is None else flow_table.event_time(store, as_of_event)
        self.fulltext = flow_table.latest_fulltext_status(store, time)
        self.kinds = {source.name: source.kind for source in protocol.sources}
        self.order = {c.id: index for index, c in enumerate(protocol.criteria)}

    def flow(self, since_record: int, carried: tuple[int, ...] = ()) -> FlowCounts:
        """The flow of the records stored after `since_record`, with the `carried` units (older,
        awaiting classification in the previous version) assessed again at full text."""
        new = [o for o in self.origins if o.record_id > since_record]
        databases: Counter[str] = Counter()
        registers: Counter[str] = Counter()
        lists: Counter[str] = Counter()
        for origin in new:
            name = self._database(origin)
            box = lists if name == CURATED_SOURCE else registers if is_register(name) else databases
            box[name] += 1
        first_of_report: dict[int, int] = {}
        for origin in self.origins:
            first_of_report.setdefault(self.report_of[origin.record_id], origin.record_id)
        new_reports = sum(first > since_record for first in first_of_report.values())
        units = [u for u in self.screening.units() if u > since_record]
        pending: Counter[str] = Counter()
        ta = self.screening.state("title_abstract", as_of_event=self.as_of_event)
        ft = self.screening.state("full_text", as_of_event=self.as_of_event)
        ta_excluded: Counter[str] = Counter()
        forwarded = []
        for unit in units:
            outcome = ta.outcome(unit)
            if outcome == "exclude":
                ta_excluded[self._reason(ta, unit)] += 1
            elif outcome in FORWARDED:
                forwarded.append(unit)
            else:
                pending["awaiting title-abstract screening" if outcome is None
                        else "title-abstract conflicts to resolve"] += 1
        ft_excluded: Counter[str] = Counter()
        included, not_retrieved, awaiting, excluded = [], 0, [], []
        for unit in [*forwarded, *carried]:
            outcome = ft.outcome(unit)
            if outcome == "include":
                included.append(unit)
            elif outcome == "exclude":
                excluded.append(unit)
                ft_excluded[self._reason(ft, unit)] += 1
            elif outcome in ("maybe", "conflict"):
                awaiting.append(unit)
            elif self._fulltext(unit) == "not_retrieved":
                not_retrieved += 1
            else:
                pending["full texts awaiting a decision"] += 1
        studies = len({self.units[u][1] if self.units[u][1] is not None else -u for u in included})
        ordered_ta = self._in_protocol_order(ta_excluded)
        ordered_ft = self._in_protocol_order(ft_excluded)
        flow = FlowCounts(
            prisma=None, databases=dict(sorted(databases.items())),
            registers=dict(sorted(registers.items())), citation_lists=dict(sorted(lists.items())),
            duplicates_removed=len(new) - new_reports,
            removed_other=new_reports - len(units),
            screened=sum(ta_excluded.values()) + len(forwarded),
            title_abstract_excluded=ordered_ta, sought=len(forwarded), not_retrieved=not_retrieved,
            assessed=len(included) + sum(ft_excluded.values()) + len(awaiting),
            full_text_excluded=ordered_ft, included_units=tuple(included),
            included_studies=studies, pending=dict(pending), awaiting_classification=len(awaiting),
            awaiting_units=tuple(awaiting),
            full_texts_held=sum(self._fulltext(unit) == "retrieved"
                                for unit in [*included, *awaiting, *excluded]))
        return flow

    def _database(self, origin: flow_table.RecordOrigin) -> str:
        if origin.import_database:
            return origin.import_database
        if origin.search_source is not None:
            kind = self.kinds.get(origin.search_source, origin.search_source)
            return SOURCE_KIND_NAMES.get(kind, kind)
        return f"database not named ({origin.import_format})"

    def _reason(self, state: StageState, unit: int) -> str:
        """The unit's exclusion reason: the resolution's, else the reviewers' first in protocol
        order (a criterion no longer in the protocol after those that are)."""
        return criterion_label(self.protocol, state.exclusion_reason(unit, self.order))

    def _fulltext(self, unit: int) -> str | None:
        statuses = {self.fulltext.get(record) for record in self.members[unit]}
        return "retrieved" if "retrieved" in statuses else (
            "not_retrieved" if "not_retrieved" in statuses else None)

    def _in_protocol_order(self, reasons: Counter[str]) -> dict[str, int]:
        labels = [criterion_label(self.protocol, c.id) for c in self.protocol.criteria]
        rank = {label: index for index, label in enumerate(labels)}
        return {label: reasons[label] for label in sorted(reasons, key=lambda r: (rank.get(r, len(rank)), r))}


def _with_diagram(flow: FlowCounts) -> FlowCounts:
    """The flow with its PRISMA counts once nothing is pending (they are checked as they are made)."""
    return flow if flow.pending else replace(flow, prisma=_prisma(flow))


def _prisma(flow: FlowCounts) -> PrismaCounts:
    counts = PrismaCounts(
        databases=flow.databases, registers=flow.registers, citation_lists=flow.citation_lists,
        duplicates_removed=flow.duplicates_removed, removed_by_automation=0,
        removed_other=flow.removed_other, records_screened=flow.screened,
        records_excluded=sum(flow.title_abstract_excluded.values()),
        reports_sought=flow.sought, reports_not_retrieved=flow.not_retrieved,
        reports_assessed=flow.assessed, reports_excluded=flow.full_text_excluded,
        reports_awaiting=flow.awaiting_classification,
        studies_included=flow.included_studies, reports_included=len(flow.included_units),
        previous=flow.previous, reports_full_text_held=flow.full_texts_held)
    counts.check()
    return counts
