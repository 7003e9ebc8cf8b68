"""A review project: a folder holding `protocol.toml`, `review.db` and the files around them."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livingreview import dedupe as dedupe_stage
from livingreview.errors import NotAProject
from livingreview.importers.service import ImportResult, import_file
from livingreview.protocol import Protocol, load_protocol
from livingreview.screening.agreement import PairAgreement, pairwise_agreement
from livingreview.screening.workflow import Screening
from livingreview.sources.search import PageCallback, SearchReport, search_sources
from livingreview.sources.settings import SourceSettings
from livingreview.store import Store
from livingreview.store import rounds as rounds_table
from livingreview.store import studies as studies_table
from livingreview.store.protocol_log import PROTOCOL_CHANGED, last_protocol_seen

if TYPE_CHECKING:
    from livingreview.appraisal.service import ImportSummary, StudyAppraisal, StudyIndex
    from livingreview.screening.suggest import Suggestions
    from livingreview.sources.fulltext import FulltextReport
    from livingreview.store.ledger import Judgement
    from livingreview.report.counts import FlowCounts
    from livingreview.report.service import ReportOutcome
    from livingreview.run import RunResult
    from livingreview.synthesis.service import Synthesis

PROTOCOL_FILE = "protocol.toml"
DATABASE_FILE = "review.db"


class ProjectError(NotAProject):
    """The folder is not a review project, or cannot become one."""


def protocol_summary(protocol: Protocol, text: bytes) -> dict[str, Any]:
    """What is compared between runs: the file's hash, the review id and each criterion's rule."""
    return {"sha256": hashlib.sha256(text).hexdigest(), "review": protocol.review.id,
            "criteria": {criterion.id: criterion.rule for criterion in protocol.criteria}}


def protocol_diff(before: dict[str, Any] | None, now: dict[str, Any]) -> dict[str, Any]:
    """A short account of what changed between two summaries (all of it new when no before)."""
    if before is None:
        return {"first_seen": True}
    old, new = before.get("criteria", {}), now["criteria"]
    diff: dict[str, Any] = {
        "criteria_removed": sorted(set(old) - set(new)),
        "criteria_added": sorted(set(new) - set(old)),
        "rules_changed": sorted(c for c in set(old) & set(new) if old[c] != new[c]),
    }
    if before.get("review") != now["review"]:
        diff["review_id"] = [before.get("review"), now["review"]]
    return {key: value for key, value in diff.items() if value} or {"other_text_changed": True}


def note_protocol_version(store: Store, protocol: Protocol, text: bytes) -> None:
    """Log `protocol.changed` (with what changed) when the protocol differs from the version
    the log saw last: decisions cite its criteria, so its edits belong in the record."""
    now = protocol_summary(protocol, text)
    before = last_protocol_seen(store)
    if before is not None and before.get("sha256") == now["sha256"]:
        return
    store.log("protocol", PROTOCOL_CHANGED, subject=protocol.review.id,
              detail={"now": now, "before_sha256": before and before.get("sha256"),
                      "changes": protocol_diff(before, now)})


def _require_database(database: Path) -> None:
    """A project's `review.db` must be there and hold something: SQLite would silently start
    an empty review in its place."""
    if not database.exists():
        raise ProjectError(f"{database} is missing: this review's database was deleted or moved "
                           "(restore it from a backup; `livingreview init` starts a new review)")
    if database.stat().st_size == 0:
        raise ProjectError(f"{database} is empty (0 bytes): the review's data is not in it "
                           "(restore it from a backup)")


class Review:
    """The Python API: one object per project folder, one method per stage."""

    def __init__(self, directory: str | Path, *, create: bool = False) -> None:
        """Open the project in `directory`; only `Review.init` passes `create` (a missing
        `review.db` is otherwise a lost review, not a new one)."""
        self.directory = Path(directory)
        protocol_path = self.directory / PROTOCOL_FILE
        if not protocol_path.exists():
            raise ProjectError(
                f"{self.directory} is not a review project (no {PROTOCOL_FILE}); "
                f"create one with `livingreview init {self.directory} --protocol FILE`"
            )
        database = self.directory / DATABASE_FILE
        if not create:
            _require_database(database)
        self.protocol: Protocol = load_protocol(protocol_path)
        self.store = Store(database)
        try:
            note_protocol_version(self.store, self.protocol, protocol_path.read_bytes())
        except BaseException:
            self.store.close()
            raise

    @classmethod
    def init(cls, directory: str | Path, protocol_file: str | Path, *,
             force: bool = False) -> Review:
        """A new project from `protocol_file`; an existing `protocol.toml` in the folder is
        replaced only when `force` is given."""
        directory = Path(directory)
        load_protocol(protocol_file)  # validate before touching the folder
        if (directory / DATABASE_FILE).exists():
            raise ProjectError(f"{directory} already holds a review ({DATABASE_FILE} exists)")
        target = directory / PROTOCOL_FILE
        replaces = target.exists() and target.read_bytes() != Path(protocol_file).read_bytes()
        if replaces and not force:
            raise ProjectError(f"{target} exists already and differs from {protocol_file}; "
                               "give --force to replace it, or init from it "
                               f"(--protocol {target})")
        directory.mkdir(parents=True, exist_ok=True)
        for folder in ("snapshots", "imports", "report"):
            (directory / folder).mkdir(exist_ok=True)
        if Path(protocol_file).resolve() != target.resolve():
            shutil.copyfile(protocol_file, target)
        review = cls(directory, create=True)
        review.store.log("project", "project.init", subject=review.protocol.review.id,
                         detail={"protocol": str(protocol_file)})
        return review

    def protocol_warnings(self) -> list[str]:
        """What in `protocol.toml` no longer matches the decisions stored under it."""
        from livingreview.status import protocol_warnings

        return protocol_warnings(self.store, self.protocol)

    @property
    def imports_dir(self) -> Path:
        return self.directory / "imports"

    @property
    def snapshots_dir(self) -> Path:
        return self.directory / "snapshots"

    @property
    def report_dir(self) -> Path:
        return self.directory / "report"

    def import_file(
        self,
        path: str | Path,
        *,
        format: str | None = None,
        options: dict[str, object] | None = None,
        on_record: Callable[[int], None] | None = None,
        source_name: str | None = None,
    ) -> ImportResult:
        """`source_name`: the database the file came from (guessed from the file when None)."""
        return import_file(self.store, self.imports_dir, Path(path), format=format,
                           options=options, on_record=on_record, source_name=source_name)

    def dedupe(self, on_progress: Callable[[str, int, int], None] | None = None) -> dedupe_stage.DedupeResult:
        """Match new records against all, record the pairs, regroup records into studies."""
        return dedupe_stage.run_dedupe(self.store, on_progress=on_progress)

    def dedupe_uncertain(self) -> list[dict[str, object]]:
        return dedupe_stage.uncertain_pairs(self.store)

    def dedupe_decide(self, record_a: int, record_b: int, status: str, *,
                      decided_by: str) -> dedupe_stage.PairDecision:
        """A human's `confirmed` or `rejected` for a pair; later runs never override it."""
        return dedupe_stage.decide_pair(self.store, record_a, record_b, status, decided_by)

    def search(self, *, sources: list[str] | None = None, offline: bool = False,
               since: date | None = None, settings: SourceSettings | None = None,
               on_page: PageCallback | None = None,
               on_retry: Callable[[str], None] | None = None) -> SearchReport:
        """Search the protocol's sources live (snapshotting every page) or replay snapshots."""
        return search_sources(self.store, self.directory, self.protocol, names=sources,
                              offline=offline, since=since, settings=settings, on_page=on_page,
                              on_retry=on_retry)

    @cached_property
    def screening(self) -> Screening:
        """Decisions, undo, resolution, conflicts and each reviewer's queue (`livingreview screen`)."""
        return Screening(self.store, self.protocol)

    def suggest(self, stage: str = "title_abstract", *, seed: int = 0,
                on_progress: Callable[[str, int, int], None] | None = None) -> Suggestions:
        # Imported here: ranking pulls in scikit-learn, which other commands need not load.
        from livingreview.screening.suggest import suggest

        return suggest(self.screening, stage, seed=seed, on_progress=on_progress)

    def agreement(self) -> list[PairAgreement]:
        return pairwise_agreement(self.screening)

    def fetch_fulltexts(self, *, settings: SourceSettings | None = None,
                        on_progress: Callable[[int, int], None] | None = None) -> FulltextReport:
        """Open-access JATS of the units forwarded to full text; the others with the reason."""
        from livingreview.sources.fulltext import fetch_fulltexts

        return fetch_fulltexts(self.store, self.directory, settings=settings,
                               on_progress=on_progress)

    def attach_fulltext(self, record_id: int, file: str | Path) -> dict[str, Any]:
        from livingreview.sources.fulltext import attach_fulltext

        return attach_fulltext(self.store, self.directory, record_id, Path(file))

    def status(self) -> dict[str, Any]:
        """Counts per stage (`livingreview status`)."""
        # Imported here, like suggest: the stopping rules load scipy.stats (seconds), which
        # commands that do not report status need not pay for.
        from livingreview.status import project_status

        settings = self.protocol.screening
        return {**project_status(self.store, target_recall=settings.target_recall, confidence=settings.confidence),
                "warnings": self.protocol_warnings()}

    # --- risk of bias and synthesis -------------------------------------------------------------
    # Imported when called: appraisal and synthesis pull in matplotlib and scipy.

    def study_index(self) -> StudyIndex:
        """Studies by record id, DOI, PMID, evidence key or label (for appraisal rows)."""
        from livingreview.appraisal.service import StudyIndex
        from livingreview.synthesis.evidence import load_evidence_dir

        folder = self.directory / "evidence"
        evidence = load_evidence_dir(folder, self.protocol) if folder.is_dir() else []
        return StudyIndex.build(self.store.records(), evidence)

    def appraise_import(self, path: str | Path, reviewer: str, *, tool: str = "rob2",
                        aim: str = "assignment") -> ImportSummary:
        """One appraiser's RoB answers from a CSV, as judgements in the ledger (idempotent).

        `aim` is RoB 2's effect of interest for rows without an Aim column (the protocol has no
        field for it yet)."""
        from livingreview.appraisal.service import import_csv

        return import_csv(self.store, path, self.study_index(), reviewer, tool=tool, aim=aim)

    def appraisals(self) -> list[StudyAppraisal]:
        """Per appraised study: each appraiser's and the final domain and overall judgements."""
        from livingreview.appraisal.service import appraisals

        return appraisals(self.store, self.study_index())

    def appraise_resolve(self, study: str, domain: str, judgement: str, lead: str, reason: str, *,
                         tool: str | None = None, outcome: str | None = None) -> Judgement:
        from livingreview.appraisal.service import resolve

        return resolve(self.store, study, domain, judgement, lead, reason, index=self.study_index(),
                       tool=tool, outcome=outcome)

    def synthesize(self, *, include_maybe: bool | None = None) -> Synthesis:
        """Evidence map, effect direction, conclusions, meta-analyses and GRADE (`livingreview synthesize`)."""
        from livingreview.appraisal.service import final_overall
        from livingreview.synthesis.service import evidence_source, synthesize

        evidence = evidence_source(self.directory, self.protocol, self.store)
        index = self.study_index()
        settled = final_overall(self.appraisals())
        risk_of_bias = {study.key: settled.get(index.evidence_ref(study)) for study in evidence.studies}
        return synthesize(self.directory, self.protocol, self.store, evidence, risk_of_bias,
                          include_maybe=include_maybe)

    # --- report and exports ---------------------------------------------------------------------
    # Imported when called: the report loads Jinja2 and matplotlib.

    def prisma_counts(self, *, as_of_round: int | None = None,
                      since_round: int | None = None) -> FlowCounts:
        """PRISMA 2020 counts from the log: of the records stored after `since_round` ended, as
        round `as_of_round` left the review (now by default)."""
        from livingreview.report.counts import flow_counts

        since = None if since_round is None else self.round_cutoff(since_round)
        return flow_counts(self.store, self.protocol, as_of_event=self._cutoff(as_of_round),
                           since_event=since)

    def report(self) -> ReportOutcome:
        """Write `report/index.html` for the current version (`livingreview report`)."""
        from livingreview.report.service import write_report

        return write_report(self)

    def export(self, format: str, out: str | Path | None = None) -> Path:
        """Write one export (csv, xlsx, ris, metafor, bundle) and return its path."""
        from livingreview.report.exports import export

        return export(self, format, None if out is None else Path(out))

    def run(self, *, offline: bool = False, progress: Callable[[str], None] | None = None) -> RunResult:
        """Every stage in order as one round (`livingreview run`); humans decide."""
        from livingreview.run import run_review

        return run_review(self, offline=offline, progress=progress)

    # --- records, reports and studies over time -------------------------------------------------

    def study_of_record(self, record_id: int, *, as_of_round: int | None = None) -> int | None:
        return studies_table.study_of_record(self.store, record_id, self._cutoff(as_of_round))

    def records_of_study(self, study_id: int, *, as_of_round: int | None = None) -> list[int]:
        return studies_table.records_of_study(self.store, study_id, self._cutoff(as_of_round))

    def resolve_study(self, study_id: int) -> int:
        """The study a (possibly merged) study id stands for now."""
        return studies_table.resolve_study(self.store, study_id)

    def grouping_counts(self, *, as_of_round: int | None = None) -> dict[str, int]:
        """Records, reports and studies grouped, now or as round N left them."""
        return studies_table.grouping_counts(self.store, self._cutoff(as_of_round))

    # --- rounds ---------------------------------------------------------------------------------

    def begin_round(self) -> rounds_table.Round:
        """Open the next round: every event until `end_round` is attributed to it."""
        return rounds_table.begin_round(self.store)

    def end_round(self, failure: str | None = None) -> rounds_table.Round:
        return rounds_table.end_round(self.store, failure=failure)

    @contextmanager
    def round(self) -> Iterator[rounds_table.Round]:
        """`with review.round() as opened: ...`; a round stopped by an error still ends, saying
        why, so the next run can begin its own."""
        opened = self.begin_round()
        try:
            yield opened
        except BaseException as error:
            self.end_round(failure=f"{type(error).__name__}: {error}")
            raise
        self.end_round()

    def round_cutoff(self, number: int) -> int:
        """The last event id of round `number`: the "as of round N" cutoff."""
        return rounds_table.round_cutoff(self.store, number)

    def _cutoff(self, as_of_round: int | None) -> int | None:
        return None if as_of_round is None else self.round_cutoff(as_of_round)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Review:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
