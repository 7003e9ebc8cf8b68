"""Each reviewer's queue as the server last computed it, refreshed in the background.

`Screening.queue` retrains the ranker on the reviewer's labels; on a large review that takes longer
than a reviewer waits between two records, and twenty reviewers at once would queue behind each
other. So, as ASReview LAB does, the next record comes from the last ranking computed, minus the
units decided since, and every fifth decision schedules a new ranking in the background (one at a
time per reviewer; decisions made meanwhile are folded into the next one): twenty reviewers
re-ranking after every decision would keep the processor busy with rankings no one waits for.
The recall estimate and the random-sample hint are computed with it. The order is the stage
code's; only its freshness lags.
An undo, or a page asking for a record the last ranking does not hold, computes it at once.
"""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from rich.console import Console

from livingreview.project import Review
from livingreview.screening.stopping import stopping_status
from livingreview.screening.terminal import KeyReader, Session, recall_estimate

Key = tuple[str, str, str, int]  # reviewer, stage, sample, seed


@dataclass
class Ranking:
    """One computed queue and what was shown beside it."""

    order: list[tuple[int, float]]
    screened: int
    units: int
    recall: str | None = None
    stop: str | None = None
    random_phase_hint: str | None = None
    decided: set[int] = field(default_factory=set)  # units decided here since `order` was computed

    def pending(self) -> list[tuple[int, float]]:
        return [(unit, score) for unit, score in self.order if unit not in self.decided]


class QueueBoard:
    def __init__(self, review: Review, workers: int = 2, rerank_every: int = 5) -> None:
        self.review = review
        self.rerank_every = rerank_every
        self._rankings: dict[Key, Ranking] = {}
        self._running: set[Key] = set()
        self._again: set[Key] = set()
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ranking")
        self._quiet = Console(file=io.StringIO(), quiet=True)

    def ranking(self, key: Key, *, fresh: bool = False) -> Ranking:
        with self._lock:
            ranking = self._rankings.get(key)
        if ranking is None or fresh:
            ranking = self._compute(key)
            with self._lock:
                self._rankings[key] = ranking
        return ranking

    def decided(self, key: Key, unit: int) -> None:
        """`unit` was decided (committed): hide it now; rank again in the background after every
        `rerank_every` decisions, or sooner when the last ranking is running out."""
        with self._lock:
            ranking = self._rankings.get(key)
            if ranking is not None:
                ranking.decided.add(unit)
                if len(ranking.decided) < self.rerank_every and len(ranking.order) > 2 * len(ranking.decided):
                    return
            if key in self._running:
                self._again.add(key)
                return
            self._running.add(key)
        self._executor.submit(self._refresh, key)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _refresh(self, key: Key) -> None:
        while True:
            ranking = self._compute(key)
            with self._lock:
                old = self._rankings.get(key)
                if old is not None:
                    # decided after this ranking began: still in its order, still to be hidden
                    units = {unit for unit, _ in ranking.order}
                    ranking.decided = {unit for unit in old.decided if unit in units}
                self._rankings[key] = ranking
                if key not in self._again:
                    self._running.discard(key)
                    return
                self._again.discard(key)

    def _compute(self, key: Key) -> Ranking:
        reviewer, stage, sample, seed = key
        screening = self.review.screening
        # Counted before the queue is drawn: a unit decided in between is counted at the next ranking
        # rather than twice (once here, once among `decided`).
        state = screening.state(stage)
        screened = sum(reviewer in by for by in state.labels.values())
        order = screening.queue(stage, reviewer, seed=seed, order=sample)
        ranking = Ranking(order, screened, len(screening.eligible(stage)))
        # The terminal screener's estimate, from this reviewer's own decisions only.
        estimate = recall_estimate(Session(screening, reviewer, stage, self._quiet,
                                           KeyReader(io.StringIO()), sample, seed))
        if estimate is not None:
            recall, stop = estimate
            level = f" at {recall.confidence:.0%} confidence" if recall.confidence else ""
            ranking.recall = f"recall ≥ {recall.estimated_recall:.0%}{level} ({recall.name})"
            ranking.stop = stop.explanation if stop is not None else None
        if sample == "ranked":
            status = stopping_status(self.review.store, stage)
            if status.get("next_step"):
                ranking.random_phase_hint = str(status["explanation"])
        return ranking
