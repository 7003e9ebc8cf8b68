"""A review project: a folder holding `protocol.toml`, `review.db` and the files around them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from livingreview import dedupe as dedupe_stage
from livingreview.importers.service import ImportResult, import_file
from livingreview.protocol import Protocol, load_protocol
from livingreview.screening.agreement import PairAgreement, pairwise_agreement
from livingreview.screening.workflow import Screening
from livingreview.sources.search import PageCallback, SearchReport, search_sources
from livingreview.sources.settings import SourceSettings
from livingreview.store import Store

if TYPE_CHECKING:
    from livingreview.screening.suggest import Suggestions

PROTOCOL_FILE = "protocol.toml"
DATABASE_FILE = "review.db"


class ProjectError(RuntimeError):
    """The folder is not a review project, or cannot become one."""


class Review:
    """The Python API: one object per project folder, one method per stage."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        protocol_path = self.directory / PROTOCOL_FILE
        if not protocol_path.exists():
            raise ProjectError(
                f"{self.directory} is not a review project (no {PROTOCOL_FILE}); "
                f"create one with `livingreview init {self.directory} --protocol FILE`"
            )
        self.protocol: Protocol = load_protocol(protocol_path)
        self.store = Store(self.directory / DATABASE_FILE)

    @classmethod
    def init(cls, directory: str | Path, protocol_file: str | Path) -> Review:
        directory = Path(directory)
        load_protocol(protocol_file)  # validate before touching the folder
        if (directory / DATABASE_FILE).exists():
            raise ProjectError(f"{directory} already holds a review ({DATABASE_FILE} exists)")
        directory.mkdir(parents=True, exist_ok=True)
        for folder in ("snapshots", "imports", "report"):
            (directory / folder).mkdir(exist_ok=True)
        if Path(protocol_file).resolve() != (directory / PROTOCOL_FILE).resolve():
            shutil.copyfile(protocol_file, directory / PROTOCOL_FILE)
        review = cls(directory)
        review.store.log("project", "project.init", subject=review.protocol.review.id,
                         detail={"protocol": str(protocol_file)})
        return review

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
    ) -> ImportResult:
        return import_file(self.store, self.imports_dir, Path(path), format=format,
                           options=options, on_record=on_record)

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

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Review:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
