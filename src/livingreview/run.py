"""`livingreview run`: every stage in order, as one numbered round of the review.

search → import → curated evidence → dedupe → screening suggestions → extraction suggestions →
appraisal plots → synthesis → report. Humans decide: the run never screens, extracts or appraises
for anyone; it records what curated evidence files say under their own reviewer's name, and
offers suggestions. Each stage is idempotent, so a run with nothing new changes nothing and says
so; a run that finds new records sends only those to screening, because everything already
decided stays decided.

Each run is a round of the log (`store/rounds.py`), dated even when nothing is new, since a
living review must show when its sources were last checked. A run that changed nothing keeps the
previous report: its version stays the one readers have.

Where things come from:
- the protocol's `[[sources]]`, searched live or (`offline`) replayed from the newest snapshot; a
  source that cannot be reached or has no snapshot is reported and the run goes on;
- files dropped into `DIR/inbox/` (exports from other databases), imported once each;
- `DIR/evidence/*.toml`, curated evidence files (one per study, a named reviewer's reading):
  when no search or import has brought any record yet, their citations are imported as the
  review's records (no abstracts); their screening decisions and extractions are then recorded
  as that reviewer's, for the records the review holds.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from livingreview.project import Review

INBOX = "inbox"
EVIDENCE = "evidence"
CURATED_SOURCE = "Curated citation list"
Progress = Callable[[str], None]


@dataclass
class StageOutcome:
    name: str
    changed: bool
    detail: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"stage": self.name, "changed": self.changed, **self.detail,
                **({"notes": self.notes} if self.notes else {})}


@dataclass
class RunResult:
    round: int
    stages: list[StageOutcome]
    report_path: Path | None
    version: int | None
    conclusions: list[dict[str, Any]]
    changes: dict[str, Any] | None

    @property
    def changed(self) -> bool:
        return any(stage.changed for stage in self.stages)

    def to_json(self) -> dict[str, Any]:
        return {"round": self.round, "changed": self.changed,
                "stages": [stage.to_json() for stage in self.stages],
                "report": None if self.report_path is None else str(self.report_path),
                "version": self.version, "conclusions": self.conclusions, "changes": self.changes}


def run_review(review: Review, *, offline: bool = False, progress: Progress | None = None) -> RunResult:
    say = progress or (lambda message: None)
    with review.round() as opened:
        stages = [_search(review, offline, say), _inbox(review, say)]
        stages.append(_curated_citations(review, say))
        stages.append(_dedupe(review, say))
        stages.append(_curated_evidence(review, say))
        stages.append(_screening_suggestions(review, say))
        stages.append(_extraction_suggestions(review, say))
        stages.append(_appraisal(review, say))
        synthesis = _synthesis(review, say)
        stages.append(synthesis)
        report_path = version = changes = None
        if any(stage.changed for stage in stages) or not (review.report_dir / "index.html").exists():
            say("report")
            outcome = review.report()
            stages.append(StageOutcome("report", outcome.changed, {"version": outcome.version}))
            report_path, version = outcome.path, outcome.version
            changes = _changes_json(outcome.changes)
        else:
            stages.append(StageOutcome("report", False, notes=["nothing new: the report is unchanged"]))
            report_path = review.report_dir / "index.html"
    return RunResult(opened.number, stages, report_path, version,
                     synthesis.detail.get("conclusions", []), changes)


def _search(review: Review, offline: bool, say: Progress) -> StageOutcome:
    if not review.protocol.sources:
        return StageOutcome("search", False, notes=["the protocol lists no sources"])
    say("search (offline replay)" if offline else "search")
    report = review.search(offline=offline)
    new = sum(o.count_retrieved for o in report.outcomes if not o.already_stored)
    notes = _grouped_failures({name: str(error) for name, error in report.failures.items()})
    detail = {"new_records": new, "sources": {o.source: o.count_retrieved for o in report.outcomes}}
    return StageOutcome("search", new > 0, detail, notes)


def _grouped_failures(failures: dict[str, str]) -> list[str]:
    """One line per distinct reason, naming the sources it stopped (six sources without a
    snapshot are one note, not six)."""
    by_reason: dict[str, list[str]] = {}
    for name, message in sorted(failures.items()):
        reason = message.removeprefix(f"{name}: ").replace(name, "{source}")
        by_reason.setdefault(reason, []).append(name)
    return [f"{', '.join(names)}: {reason.replace('{source}', 'the source')}"
            for reason, names in by_reason.items()]


def _inbox(review: Review, say: Progress) -> StageOutcome:
    folder = review.directory / INBOX
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")) \
        if folder.is_dir() else []
    new = 0
    for path in files:
        say(f"import {path.name}")
        result = review.import_file(path)
        new += 0 if result.already_imported else result.records
    return StageOutcome("import", new > 0, {"files": len(files), "new_records": new})


def _curated_citations(review: Review, say: Progress) -> StageOutcome:
    """The evidence files' citations as records, when nothing else has brought any."""
    folder = review.directory / EVIDENCE
    if not folder.is_dir():
        return StageOutcome("curated citations", False, notes=["no evidence folder"])
    if review.store.records():
        return StageOutcome("curated citations", False,
                            notes=["records came from searches or imports: citations not imported"])
    from livingreview.extraction.curated import citations_as_ris

    say("curated citations")
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "curated-citations.ris"
        path.write_text(citations_as_ris(folder), encoding="utf-8")
        result = review.import_file(path, source_name=CURATED_SOURCE)
    new = 0 if result.already_imported else result.records
    return StageOutcome("curated citations", new > 0, {"new_records": new})


def _dedupe(review: Review, say: Progress) -> StageOutcome:
    say("dedupe")
    result = review.dedupe()
    changed = bool(result.new_records or result.new_pairs or result.records_regrouped)
    return StageOutcome("dedupe", changed, {"records": result.records, "new_records": result.new_records,
                                            "studies": result.studies, "new_pairs": result.new_pairs})


def _curated_evidence(review: Review, say: Progress) -> StageOutcome:
    folder = review.directory / EVIDENCE
    if not folder.is_dir():
        return StageOutcome("curated evidence", False, notes=["no evidence folder"])
    from livingreview.extraction.curated import load_curated

    say("curated evidence")
    loaded = load_curated(review.store, review.protocol, review.screening, folder)
    notes = [f"no record in the review for {', '.join(loaded.unmatched)}"] if loaded.unmatched else []
    changed = bool(loaded.recorded or loaded.screening_recorded)
    return StageOutcome("curated evidence", changed,
                        {"reviewer": loaded.reviewer, "studies": len(loaded.matched),
                         "judgements": loaded.recorded, "screening_decisions": loaded.screening_recorded},
                        notes)


def _screening_suggestions(review: Review, say: Progress) -> StageOutcome:
    """Criteria verdicts and ranks of what is left to screen (humans decide; nothing changes)."""
    say("screening suggestions")
    from livingreview.screening.suggest import write_csv

    suggestions = review.suggest()
    path = review.report_dir / "suggestions.csv"
    write_csv(suggestions, path)
    return StageOutcome("screening suggestions", False,
                        {"unscreened": len(suggestions.items), "ranked_by": suggestions.ranked_by,
                         "file": str(path.relative_to(review.directory))})


def _extraction_suggestions(review: Review, say: Progress) -> StageOutcome:
    """Rule-based suggestions for included studies whose suggestions are new or changed."""
    say("extraction suggestions")
    from livingreview.extraction.service import extraction_units, run_suggestions, store_suggestions
    from livingreview.store.extractions import current_suggestions, jats_fulltexts

    units = [u for u in extraction_units(review.screening, every_record=False) if u.study_id is not None]
    results = run_suggestions(review.protocol, units, jats_fulltexts(review.store, review.directory))
    fresh = [(unit, found) for unit, found in results
             if _suggestion_fields(found) != current_suggestions(review.store, int(unit.study_id or 0))]
    written, _ = store_suggestions(review.store, fresh)
    if written:
        review.store.log("extract", "extract.auto", detail={"units": len(fresh), "rows": written, "run": True})
    return StageOutcome("extraction suggestions", written > 0,
                        {"included_studies": len(units), "studies_with_new_suggestions": len(fresh)})


def _suggestion_fields(found: Any) -> dict[str, Any]:
    """The rows `store_suggestions` would write for one study, keyed as `current_suggestions` reads them."""
    fields = {name: value.to_json() for name, value in found.fields.items()}
    for index, outcome in enumerate(found.outcomes):
        fields.update({f"outcomes[{index}].{name}": value.to_json() for name, value in outcome.items()})
    return fields


def _appraisal(review: Review, say: Progress) -> StageOutcome:
    """Curated risk-of-bias answers, `DIR/evidence/TOOL-REVIEWER.csv` (e.g. `rob2-curator.csv`),
    recorded as that reviewer's (the import is idempotent); then the traffic-light and summary
    plots of the settled appraisals, which the report shows. Other appraisers enter answers with
    `appraise --import`."""
    from livingreview.appraisal.service import write_plots

    say("appraisal")
    recorded = sum(review.appraise_import(path, reviewer, tool=tool).recorded
                   for path, tool, reviewer in _appraisal_files(review.directory / EVIDENCE))
    appraisals = review.appraisals()
    settled = [a for a in appraisals if a.overall is not None and a.by_reviewer]
    figures = write_plots(settled, review.report_dir) if settled else []
    return StageOutcome("appraisal", recorded > 0, {"appraised_studies": len(appraisals),
                                                    "recorded": recorded, "figures": len(figures)})


def _appraisal_files(folder: Path) -> list[tuple[Path, str, str]]:
    """(file, tool, reviewer) for each `TOOL-REVIEWER.csv`; the longest tool name that prefixes
    the stem wins, so `rob2-crossover-curator.csv` is the crossover form's, not rob2's."""
    tools = sorted(("rob2", "rob2-crossover"), key=len, reverse=True)
    found: list[tuple[Path, str, str]] = []
    for path in sorted(folder.glob("rob2*.csv")) if folder.is_dir() else []:
        tool = next((t for t in tools if path.stem.startswith(f"{t}-")), None)
        if tool is not None and path.stem.removeprefix(f"{tool}-"):
            found.append((path, tool, path.stem.removeprefix(f"{tool}-")))
    return found


def _synthesis(review: Review, say: Progress) -> StageOutcome:
    say("synthesis")
    if not (review.directory / EVIDENCE).is_dir() and not _has_extractions(review):
        return StageOutcome("synthesis", False, notes=["no verified extractions or curated evidence yet"])
    synthesis = review.synthesize()
    return StageOutcome("synthesis", synthesis.changed,
                        {"evidence": synthesis.source, "conclusions": synthesis.narrative.conclusions.rows()})


def _has_extractions(review: Review) -> bool:
    from livingreview.store import ledger

    return bool(ledger.latest_judgements(review.store, "extraction_field"))


def _changes_json(changes: Any) -> dict[str, Any] | None:
    return None if changes is None else asdict(changes)
