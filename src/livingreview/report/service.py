"""`livingreview report`: the report's inputs gathered from the store and the stages' outputs.

The version of the report counts the rounds that changed the review (`rounds.review_versions`:
new records, decisions, extractions, appraisals, a changed synthesis); a round that only checked
the sources stays in the log, where the PRISMA-S table and the methods' search dates read it, but
is no new version. A review never run in rounds is version 1. Its PRISMA diagram counts the
records stored since the last earlier version whose diagram added up (`diagram_base`), with that
version's inclusions in the previous-version boxes. The PRISMA counts come from
`report.counts`; the PRISMA-S table from the `searches` table; the methods paragraph's sources
from the searches and the imports logged (`source_uses`); characteristics of included studies
from their records and the extraction values reviewers verified (a field no reviewer has
verified shows the extraction stage's suggestion, marked as suggested); the synthesis sections
from the `synthesize` command's `report/synthesis/synthesis.json` and figures; risk-of-bias
plots from `appraise --plots`. A section whose stage has not run is left empty, so the page says "not yet
available".

What changed since the previous version compares this version with the one before it: records
stored since it ended, studies included now and not then, and estimates and conclusions against
the ones the previous version's report logged (`report.render` events carry them).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from livingreview import __version__
from livingreview.extraction.verify import FieldRef, verified
from livingreview.project import Review
from livingreview.records import Record
from livingreview.run import CURATED_SOURCE
from livingreview.report.checklist import SearchReport
from livingreview.report.counts import SOURCE_KIND_NAMES, FlowCounts, flow_counts, included_units
from livingreview.report.html import (
    ChangesSinceLast,
    FieldValue,
    Figure,
    ReportInputs,
    StudyCitation,
    render_report,
)
from livingreview.report.methods import MethodsFacts, SourceUse
from livingreview.store import flow as flow_table
from livingreview.store import rounds as rounds_table
from livingreview.store.extractions import current_suggestions
from livingreview.store.records import records_by_id
from livingreview.synthesis.conclusions import participants_text

SYNTHESIS_RESULT = Path("report") / "synthesis" / "synthesis.json"
INTERFACES = {"pubmed": "NCBI E-utilities API", "europepmc": "Europe PMC REST API",
              "ctgov": "ClinicalTrials.gov API v2"}
REPLAYED = " (replayed from snapshot)"  # an offline search, as the PRISMA-S table says
_ESTIMATE_DIGITS = 6  # estimates equal to this many decimals count as unchanged


@dataclass(frozen=True)
class Version:
    number: int
    previous: int | None  # the previous version's number
    previous_cutoff: int | None  # its last event (of its own round, or of the checks after it)


@dataclass(frozen=True)
class ReportOutcome:
    path: Path
    version: int
    counts: FlowCounts
    changes: ChangesSinceLast | None
    changed: bool  # False: the same version, counts, estimates and conclusions as the last render


def current_version(review: Review) -> Version:
    """The version the report shows: the last round that changed the review
    (`rounds.review_versions`); a round that only checked the sources is no new version."""
    return _latest(rounds_table.review_versions(review.store))


def _latest(versions: Sequence[rounds_table.ReviewVersion]) -> Version:
    if len(versions) < 2:
        return Version(1, None, None)
    return Version(len(versions), len(versions) - 1, versions[-2].cutoff)


def diagram_base(review: Review, earlier_versions: Sequence[rounds_table.ReviewVersion]) -> int | None:
    """The cutoff of the last of `earlier_versions` whose diagram added up (None: there is none).

    A version's diagram counts the records stored since that base, so a version left with
    unsettled units (its diagram withheld) hands its records on to the next version that adds
    up, and every record is counted in exactly one drawn diagram."""
    base = None
    for earlier in earlier_versions:
        if earlier.cutoff is None:
            continue
        flow = flow_counts(review.store, review.protocol, as_of_event=earlier.cutoff,
                           since_event=base)
        if flow.prisma is not None:
            base = earlier.cutoff
    return base


def write_report(review: Review, *, generated: datetime | None = None) -> ReportOutcome:
    """Gather the inputs, render `DIR/report/index.html`, and log what this version reported
    (once: a render that reports what the last one did logs nothing)."""
    inputs, counts, synthesis = gather_inputs(review, generated=generated)
    path = render_report(inputs, review.report_dir)
    detail = {"version": inputs.version, "path": str(path.relative_to(review.directory)),
              "counts": counts.to_dict(), **_estimates_and_conclusions(synthesis)}
    last = flow_table.last_event_detail(review.store, "report", "report.render",
                                        flow_table.last_event_id(review.store))
    changed = json.loads(json.dumps(detail)) != last
    if changed:
        review.store.log("report", "report.render", subject=str(inputs.version), detail=detail)
    return ReportOutcome(path, inputs.version, counts, inputs.changes, changed)


def gather_inputs(review: Review, *, generated: datetime | None = None
                  ) -> tuple[ReportInputs, FlowCounts, dict[str, Any] | None]:
    versions = rounds_table.review_versions(review.store)  # read once: it rebuilds past groupings
    version = _latest(versions)
    counts = flow_counts(review.store, review.protocol,
                         since_event=diagram_base(review, versions[:version.number - 1]))
    synthesis = _synthesis(review.directory)
    searches = search_reports(review)
    included = included_units(review.store, review.protocol)
    inputs = ReportInputs(
        title=review.protocol.review.title, question=review.protocol.review.question,
        version=version.number, generated=generated or datetime.now(UTC),
        summary=_summary(counts, len(included)),
        methods=_methods(review, searches, synthesis), prisma=counts.prisma,
        searches=searches, characteristics=characteristics(review, included),
        outcomes=outcome_rows(synthesis),
        evidence_map=_figures(review.directory, synthesis, "evidence_map", "Evidence map"),
        effect_direction=_figures(review.directory, synthesis, "effect_direction",
                                  "Effect direction per drug and construct"),
        forest_plots=_forest_plots(review.directory, synthesis),
        effect_sizes=effect_size_rows(synthesis),
        effect_estimates=effect_estimate_rows(synthesis),
        risk_of_bias=risk_of_bias_figures(review.report_dir),
        summary_of_findings=[{("not rated" if k == "not_rated" else k): v for k, v in row.items()}
                             for row in _rows(synthesis, "grade", ("drug", "construct", "certainty",
                                                                   "design", "reasons", "not_rated"))],
        conclusions=conclusion_rows(synthesis),
        conclusions_rule=str(((synthesis or {}).get("conclusions") or {}).get("rule_text", "")),
        changes=changes_since_last(review, version, synthesis))
    return inputs, counts, synthesis


# The appraisal stage's plots, `rob_TOOL_KIND.png`: what each kind shows, in the order shown.
_ROB_PLOTS = {"traffic_light": "traffic-light plot: each study's judgement in each domain",
              "summary": "summary plot: the share of studies at each judgement, domain by domain"}


def risk_of_bias_figures(report_dir: Path) -> list[Figure]:
    """The risk-of-bias plots, each tool's traffic light before its summary, captioned with the
    tool's name ("RoB 2 (crossover trials), summary plot: ...")."""
    from livingreview.appraisal.forms import FormError, load_form

    figures = []
    for tool in sorted({path.stem.removeprefix("rob_").rsplit("_", 2)[0]
                        for path in report_dir.glob("rob_*.png")}):
        try:
            name = load_form(tool).name
        except FormError:  # a plot of a form this version does not ship: its file name says
            name = tool
        for kind, shows in _ROB_PLOTS.items():
            path = report_dir / f"rob_{tool}_{kind}.png"
            if path.exists():
                figures.append(Figure(path, f"{name}, {shows}"))
    return figures


def search_reports(review: Review) -> list[SearchReport]:
    """The PRISMA-S rows: every completed search, in the order run."""
    kinds = {source.name: source.kind for source in review.protocol.sources}
    reports = []
    for row in flow_table.completed_searches(review.store):
        kind = kinds.get(row.source, row.source)
        limits = "; ".join(f"{k}={v}" for k, v in sorted(row.filters.items()) if k != "mode")
        reports.append(SearchReport(
            database=SOURCE_KIND_NAMES.get(kind, kind),
            interface=INTERFACES.get(kind, kind) + (REPLAYED if row.mode == "offline" else ""),
            date_run=date.fromisoformat(row.started_at[:10]), query=row.query,
            hits_reported=row.count_reported, records_retrieved=row.count_retrieved,
            limits=limits))
    return reports


def characteristics(review: Review, units: Sequence[int]) -> list[dict[str, object]]:
    """One row per included study: its first report's citation, then its design, population,
    size, drugs and what was measured, each field as a reviewer verified it; where no reviewer
    has, the extraction stage's suggestion stands in, marked as suggested."""
    checked = verified(review.store)
    rows: list[dict[str, object]] = []
    for record in records_by_id(review.store, list(units)):
        study = record.study_id
        values = _StudyValues(checked.get(study, {}) if study is not None else {},
                              current_suggestions(review.store, study) if study is not None else {},
                              study)
        rows.append({"study": study_citation(record),
                     "design": values.parts(_DESIGN_FIELDS),
                     "population": values.parts(("population",)),
                     "age group": values.parts(("age_group",)),
                     "N": values.parts(("n_total",)),
                     "drugs, doses and routes": values.parts(("drugs", "doses", "routes")),
                     "constructs": values.parts(("constructs",)),
                     "outcome classes": values.parts(("outcome_classes",))})
    return rows


# How a design field's value reads in the table; a value not listed is shown as it is.
_DESIGN_FIELDS = ("randomised", "allocation", "blinding", "control")
_WORDING = {
    "randomised": {"yes": "randomised", "no": "not randomised",
                   "not-stated": "randomisation not stated"},
    "allocation": {"single-group": "single group", "not-stated": "allocation not stated"},
    "blinding": {"not-stated": "blinding not stated"},
    "control": {"placebo": "placebo-controlled", "active": "active control",
                "none": "no control group", "not-stated": "control not stated"},
    "age_group": {"child-adolescent": "children and adolescents", "not-stated": "not stated"},
}
_PREFIX = {"doses": "dose ", "routes": "route "}


@dataclass(frozen=True)
class _StudyValues:
    """One study's verified fields, with its suggestions to fall back on."""

    checked: Mapping[FieldRef, Any]
    suggestions: Mapping[str, Mapping[str, Any]]
    study_id: int | None

    def parts(self, fields: Sequence[str]) -> list[FieldValue]:
        """Each field's value as text: verified when a reviewer gave one (even "none"),
        otherwise the suggestion, marked; a field with neither is left out."""
        parts: list[FieldValue] = []
        for name in fields:
            ref = None if self.study_id is None else FieldRef(self.study_id, name)
            if ref is not None and ref in self.checked:
                value, suggested = self.checked[ref], False
            else:
                value, suggested = (self.suggestions.get(name) or {}).get("value"), True
                if value in (None, [], ""):
                    continue
            text = _field_text(name, value)
            if text:
                parts.append(FieldValue(text, suggested))
        return parts


def _field_text(name: str, value: object) -> str:
    words = _WORDING.get(name, {})
    items = value if isinstance(value, list) else [] if value is None else [value]
    shown = ", ".join(words.get(str(item), str(item)) for item in items)
    if not shown:  # a reviewer recorded none; doses and routes say so by their absence
        return "" if name in _PREFIX else "none recorded"
    return _PREFIX.get(name, "") + shown


def study_citation(record: Record) -> StudyCitation:
    """The study cell: "Abel et al. 2003" from the first author's surname, with the title,
    journal and identifiers of the study's first report."""
    surname = _surname(record.authors[0]) if record.authors else "Anonymous"
    more = " et al." if len(record.authors) > 1 else ""
    return StudyCitation(label=f"{surname}{more} {record.year or 'n.d.'}",
                         title=record.title or "", journal=record.journal or "",
                         doi=record.doi, pmid=record.pmid)


def _surname(author: str) -> str:
    """"Abel" from "Abel, K M", "Abel KM" or "Abel"; a name without initials is kept whole."""
    if "," in author:
        return author.split(",")[0].strip() or author.strip()
    words = author.split()
    initials = len(words) > 1 and words[-1].isupper() and len(words[-1]) <= 3
    return " ".join(words[:-1] if initials else words) or "Anonymous"


def study_label(record: Record) -> str:
    first = (record.authors[0].split(",")[0].strip() if record.authors else "") or "anonymous"
    more = " et al." if len(record.authors) > 1 else ""
    return f"{first}{more} {record.year or 'n.d.'} (record {record.id})"


def changes_since_last(review: Review, version: Version,
                       synthesis: Mapping[str, Any] | None) -> ChangesSinceLast | None:
    if version.previous is None or version.previous_cutoff is None:
        return None
    cutoff = version.previous_cutoff
    store = review.store
    new_records = len(flow_table.record_origins(store)) - flow_table.last_record_by(store, cutoff)
    before = set(included_units(store, review.protocol, as_of_event=cutoff))
    now = included_units(store, review.protocol)
    newly = [study_label(r) for r in records_by_id(store, [u for u in now if u not in before])]
    earlier = flow_table.last_event_detail(store, "report", "report.render", cutoff)
    current = _estimates_and_conclusions(synthesis)
    return ChangesSinceLast(
        previous_version=version.previous, new_records=new_records, newly_included=newly,
        changed_estimates=changed_rows(earlier.get("estimates", []), current["estimates"],
                                       ("drug", "construct", "measure"), "estimate"),
        changed_conclusions=changed_rows(earlier.get("conclusions", []), current["conclusions"],
                                         ("drug",), "conclusion"))


def changed_rows(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]],
                 keys: Sequence[str], value: str) -> list[dict[str, Any]]:
    """Rows whose `value` differs between versions (new and dropped rows included)."""
    old = {tuple(row[k] for k in keys): row[value] for row in before}
    new = {tuple(row[k] for k in keys): row[value] for row in after}
    changed = []
    for key in sorted(set(old) | set(new), key=str):
        if old.get(key) != new.get(key):
            changed.append({**dict(zip(keys, key, strict=True)), "before": old.get(key, "none"),
                            "now": new.get(key, "none")})
    return changed


def _estimates_and_conclusions(synthesis: Mapping[str, Any] | None) -> dict[str, list[dict[str, Any]]]:
    """What the next version compares against: pooled estimates and per-drug conclusions."""
    synthesis = synthesis or {}
    estimates = [{"drug": m["drug"], "construct": m["construct"], "measure": m["measure"],
                  "estimate": round(float(m["estimate"]), _ESTIMATE_DIGITS),
                  "ci": [round(float(m["ci_lb"]), _ESTIMATE_DIGITS),
                         round(float(m["ci_ub"]), _ESTIMATE_DIGITS)]}
                 for m in synthesis.get("meta_analyses", [])]
    conclusions = [{"drug": row["drug"], "conclusion": row["grade"]}
                   for row in synthesis.get("conclusion_table", [])]
    return {"estimates": estimates, "conclusions": conclusions}


def _synthesis(directory: Path) -> dict[str, Any] | None:
    path = directory / SYNTHESIS_RESULT
    if not path.exists():
        return None
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _figures(directory: Path, synthesis: Mapping[str, Any] | None, name: str,
             caption: str) -> list[Figure]:
    paths = [directory / p for p in ((synthesis or {}).get("figures") or {}).get(name, [])]
    png = [p for p in paths if p.suffix == ".png" and p.exists()]
    return [Figure(path, caption) for path in png[:1]]


def _forest_plots(directory: Path, synthesis: Mapping[str, Any] | None) -> list[Figure]:
    """The pooled forest plots, then the plots of study estimates that were not pooled."""
    figures = []
    for body in (synthesis or {}).get("meta_analyses", []):
        path = directory / body["figure"]
        if path.exists():
            figures.append(Figure(path, f"{body['drug']}: {body['construct']} "
                                        f"({body['measure']}, k = {len(body['studies'])}, pooled)"))
    for plot in (synthesis or {}).get("effect_plots", []):
        path = directory / plot["figure"]
        if path.exists():
            figures.append(Figure(path, plot["caption"]))
    return figures


def effect_size_rows(synthesis: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Per drug and construct: the studies with an effect size and, for those without, what is
    missing (the synthesis's `effect_sizes` table)."""
    columns = ("drug", "construct", "with an effect size", "without one (what is missing)")
    # synthesis.json is written with sorted keys: the columns are put back in reading order here.
    return [{column: row.get(column) for column in columns} for row in (synthesis or {}).get("effect_sizes", [])]


def effect_estimate_rows(synthesis: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """One row per study estimate drawn in a forest plot: how it was computed and any caveat."""
    rows = []
    for plot in (synthesis or {}).get("effect_plots", []):
        for study in plot["studies"]:
            rows.append({"drug": plot["drug"], "construct": plot["construct"], "study": study["label"],
                         "estimate [95% CI]": f"{study['measure']} {study['yi']:.2f} "
                                              f"[{study['ci_lb']:.2f}, {study['ci_ub']:.2f}]",
                         "computed from": study["computed_from"],
                         "sign": "positive favours the drug" if study["favours_drug"]
                         else "positive: higher score with the drug",
                         "caveat": study["caveat"] or None})
    return rows


def outcome_rows(synthesis: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """One row per drug and construct with a direction of effect: its studies and, where they
    were pooled, the estimate with its confidence interval and heterogeneity."""
    pooled = {(m["drug"], m["construct"]): m for m in (synthesis or {}).get("meta_analyses", [])}
    rows = []
    for body in (synthesis or {}).get("grade", []):
        meta = pooled.get((body["drug"], body["construct"]))
        rows.append({"drug": body["drug"], "construct": body["construct"],
                     "studies": len(body["studies"]),
                     "pooled estimate": None if meta is None else
                     f"{meta['measure']} {meta['estimate']:.2f} "
                     f"[{meta['ci_lb']:.2f}, {meta['ci_ub']:.2f}]",
                     "I² (%)": None if meta is None else meta["i2"]})
    return rows


def conclusion_rows(synthesis: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """One row per drug: the conclusion first, then the numbers its rule reads, and the studies
    last (the synthesis's table in the order a reader checks it, narrow enough for the page)."""
    rows = []
    for row in (synthesis or {}).get("conclusion_table", []):
        directions = "/".join(str(row.get(k, 0)) for k in ("improved", "worsened", "no difference",
                                                              "mixed"))
        rows.append({"drug": row["drug"], "conclusion": row["grade"],
                     "studies with a direction": f"{row.get('studies_with_direction', 0)} of "
                                                 f"{row.get('included_studies', 0)}",
                     "randomised": row.get("randomised"), "participants": participants_text(row),
                     "improved/worsened/no difference/mixed": directions,
                     "constructs improved": row.get("constructs_improved"),
                     "sign test p": row.get("sign_test_p"), "studies": row.get("studies")})
    return rows


def _rows(synthesis: Mapping[str, Any] | None, key: str, columns: Sequence[str]) -> list[dict[str, Any]]:
    return [{c: row.get(c) for c in columns} for row in (synthesis or {}).get(key, [])]


def _summary(counts: FlowCounts, included_total: int) -> str:
    awaiting = _awaiting_sentence(counts.awaiting_classification)
    if counts.prisma is None:
        left = ", ".join(f"{n} {what}" for what, n in counts.pending.items())
        return (f"{included_total} studies are included so far.{awaiting} Screening is not "
                f"finished ({left}), so the PRISMA flow diagram is drawn once every record of "
                "this version has been screened.")
    new = (f"; {counts.included_studies} of them new in this version"
           if counts.previous is not None else "")
    return (f"{included_total} studies are included{new}, from "
            f"{counts.prisma.records_identified:,} records identified in this version.{awaiting}")


def _awaiting_sentence(awaiting: int) -> str:
    if not awaiting:
        return ""
    reports = "report assessed for eligibility awaits" if awaiting == 1 else "reports assessed for eligibility await"
    return (f" {awaiting} {reports} classification: their eligibility could not be decided "
            "yet (maybe or in conflict at the full-text stage).")


def _methods(review: Review, searches: Sequence[SearchReport],
             synthesis: Mapping[str, Any] | None) -> MethodsFacts:
    used: list[str] = []
    if any(review.report_dir.glob("rob_rob2_*.png")):
        used += ["rob2", "robvis"]
    if synthesis:
        used += ["swim", "effect-direction"]
        used += ["reml", "metafor"] if synthesis.get("meta_analyses") else []
        used += ["grade"] if any(g.get("certainty") for g in synthesis.get("grade", [])) else []
    screeners = flow_table.screening_reviewers(review.store)
    return MethodsFacts(tool_version=__version__, sources=source_uses(review, searches),
                        screeners=screeners or None, methods=used)


def source_uses(review: Review, searches: Sequence[SearchReport]) -> list[SourceUse]:
    """Where the records came from, for the methods paragraph: each database searched (with its
    interface and the days of its searches), then each database whose export was imported and
    the curated citation list, with the days their files were imported."""
    searched: dict[str, SourceUse] = {}
    for search in searches:
        found = searched.get(search.database)
        interface = search.interface.replace(REPLAYED, "; replayed from a saved snapshot")
        searched[search.database] = SourceUse(
            search.database, "searched", (*(found.dates if found else ()), search.date_run),
            interface, (found.records if found else 0) + (search.records_retrieved or 0))
    imported: dict[str, SourceUse] = {}
    for event in review.store.events("import", "import.file"):
        name, records = str(event["detail"].get("database") or ""), int(event["detail"]["records"])
        if not records:
            continue
        name = name or f"database not named ({event['detail'].get('format', 'file')})"
        found = imported.get(name)
        imported[name] = SourceUse(
            name, "curated" if name == CURATED_SOURCE else "imported",
            (*(found.dates if found else ()), date.fromisoformat(str(event["at"])[:10])),
            records=(found.records if found else 0) + records)
    return [*searched.values(), *imported.values()]
