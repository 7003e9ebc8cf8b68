"""Each reviewer's next record, served from their latest ranking; rankings computed in the background.

`Screening.queue` retrains the ranker on the reviewer's own labels and scores every pending unit:
seconds on a 50,000-record review, and with twenty reviewers the rankings would queue behind each
other. Computed on the request path, or in a thread of the server (where it holds the interpreter
against the requests), it made a decision wait seconds for the next record. So, as ASReview LAB
does, the next record and the ranking are apart:

- The next record is the first unit of the reviewer's latest ranking not decided since: a
  lookup, under one lock held for microseconds. The page says it only after the decision was
  committed (`decided` is told after the store returned).
- Rankings are computed by the CLI's own `Screening.queue`, with the recall estimate and the
  random-sample hint, in one worker process that has its own connection to the store and runs at
  a lower CPU priority than the server, so requests come first. One ranking at a time: a
  reviewer's is due after `rerank_after` decisions, `rerank_seconds` after their first decision
  since it was computed, or at once when it is nearly used up; the reviewer with most decisions
  since goes first. The new ranking replaces the old in one assignment, with the units decided
  while it was computed still hidden.
- A reviewer's first ranking is waited for, as is a new one after an undo of a decision the
  latest ranking already left out (its unit is not in that ranking): both go first in line.
  Before the first ranking the worker computes the features every title-abstract ranking refits
  on (`Screening.prepare_ranker`): minutes on a large review, paid once before anyone screens
  instead of in the middle, where it stalled every ranking queued behind it.

Only freshness lags: the order is the stage code's, computed from the reviewer's own decisions
only, so it reveals nothing of anyone else's.

The dashboard's `project_status` is computed by the same worker for the same reason (seconds of
CPU on a large review; twenty reviewers logging in at once each landed on it) and shared by
everyone who asks within STATUS_SECONDS.
"""

from __future__ import annotations

import io
import logging
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

from rich.console import Console

from livingreview.project import Review
from livingreview.protocol import Protocol
from livingreview.screening.stopping import stopping_status
from livingreview.screening.terminal import KeyReader, Session, recall_estimate
from livingreview.status import project_status

Key = tuple[str, str, str, int]  # reviewer, stage, sample, seed
RANKER_NICENESS = 10
STATUS_SECONDS = 10.0
_log = logging.getLogger(__name__)


@dataclass
class Ranking:
    """One computed queue (every unit pending when it was computed, best first) and what is shown
    beside it."""

    order: list[tuple[int, float]]
    screened: int
    units: int
    recall: str | None = None
    stop: str | None = None
    random_phase_hint: str | None = None


@dataclass(frozen=True)
class NextRecord:
    """What the screening page shows of the queue: the unit to screen (None when none is left)."""

    unit: int | None
    score: float | None
    screened: int
    units: int
    pending: int
    recall: str | None
    stop: str | None
    random_phase_hint: str | None


@dataclass
class _Served:
    """A ranking being served: where serving has reached and what was decided since."""

    ranking: Ranking
    undo_generation: int  # the reviewer's undo count when the ranking was asked for
    position: dict[int, int] = field(default_factory=dict)  # unit → index in the order
    decided: set[int] = field(default_factory=set)  # units of the order decided since
    cursor: int = 0  # every unit before it is decided
    first_decision_at: float | None = None

    def __post_init__(self) -> None:
        self.position = {unit: i for i, (unit, _) in enumerate(self.ranking.order)}

    def next(self, first: int | None) -> tuple[int, float] | None:
        order = self.ranking.order
        if first is not None and first in self.position and first not in self.decided:
            return order[self.position[first]]
        while self.cursor < len(order) and order[self.cursor][0] in self.decided:
            self.cursor += 1
        return order[self.cursor] if self.cursor < len(order) else None

    def pending(self) -> int:
        return len(self.ranking.order) - len(self.decided)

    def shown(self, first: int | None) -> NextRecord:
        found = self.next(first)
        ranking = self.ranking
        return NextRecord(None if found is None else found[0], None if found is None else found[1],
                          ranking.screened + len(self.decided), ranking.units, self.pending(),
                          ranking.recall, ranking.stop, ranking.random_phase_hint)


class QueueBoard:
    """The server's rankings, one per reviewer, stage, sample and seed, and the worker computing them."""

    def __init__(self, review: Review, *, rerank_after: int = 10, rerank_seconds: float = 15.0) -> None:
        self.review = review
        self.rerank_after = rerank_after
        self.rerank_seconds = rerank_seconds
        self._served: dict[Key, _Served] = {}
        self._undos: dict[tuple[str, str], int] = {}  # (reviewer, stage) → undos so far
        self._wanted: list[Key] = []  # rankings a request waits for, first asked first
        self._failed: dict[Key, BaseException] = {}
        self._retry_at: dict[Key, float] = {}  # a ranking that failed is not tried again before then
        self._closing = False
        self._changed = threading.Condition()
        self._pool: ProcessPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._status: tuple[float, dict[str, Any]] | None = None  # (when computed, the status)
        self._status_lock = threading.Lock()
        self._prepared = False
        self.ranker_pid: int | None = None  # the worker process computing rankings, once started
        self.rankings_computed = 0
        self._scheduler = threading.Thread(target=self._schedule, name="ranking-scheduler", daemon=True)
        self._scheduler.start()

    # --- the request path -------------------------------------------------------------------------

    def next_record(self, key: Key, first: int | None = None) -> NextRecord:
        """The unit to show `key`'s reviewer next (`first` when still pending in their ranking),
        waiting only when they have no ranking yet or an undo made theirs out of date."""
        with self._changed:
            served = self._served.get(key)
            if served is None or served.undo_generation < self._undo_count(key):
                served = self._wait_for(key)
            return served.shown(first)

    def decided(self, reviewer: str, stage: str, unit: int) -> None:
        """`unit` was decided by `reviewer` (committed): hidden from every queue of theirs at
        `stage`; their ranking becomes due as decisions accumulate."""
        now = time.monotonic()
        with self._changed:
            for key, served in self._served.items():
                if key[:2] == (reviewer, stage) and unit in served.position and unit not in served.decided:
                    served.decided.add(unit)
                    served.first_decision_at = served.first_decision_at or now
            self._changed.notify_all()

    def undone(self, reviewer: str, stage: str, unit: int) -> None:
        """`reviewer`'s decision on `unit` was withdrawn (committed): pending again. A ranking that
        still holds the unit shows it again at once; the others are computed again before use."""
        with self._changed:
            before = self._undos.get((reviewer, stage), 0)
            self._undos[(reviewer, stage)] = before + 1
            for key, served in self._served.items():
                if key[:2] == (reviewer, stage) and unit in served.position:
                    served.decided.discard(unit)
                    served.cursor = min(served.cursor, served.position[unit])
                    if served.undo_generation == before:  # not out of date for an earlier undo
                        served.undo_generation = before + 1
            self._changed.notify_all()

    def project_status(self) -> dict[str, Any]:
        """`project_status` under the protocol's stopping settings, at most STATUS_SECONDS old: one
        computation in the worker serves everyone asking meanwhile (the others wait for it)."""
        with self._status_lock:
            if self._status is None or time.monotonic() - self._status[0] > STATUS_SECONDS:
                status = self._ranker().submit(status_in_worker, self.review.protocol).result()
                self._status = (time.monotonic(), status)
            return self._status[1]

    def close(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._scheduler.join(timeout=60)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    # --- the scheduler thread ---------------------------------------------------------------------

    def _undo_count(self, key: Key) -> int:
        return self._undos.get((key[0], key[1]), 0)

    def _wait_for(self, key: Key) -> _Served:
        # Called holding self._changed.
        if key not in self._wanted:
            self._wanted.append(key)
            self._changed.notify_all()
        while True:
            if key in self._failed:
                raise self._failed.pop(key)
            served = self._served.get(key)
            if served is not None and served.undo_generation >= self._undo_count(key):
                return served
            if self._closing:
                raise RuntimeError("the server is shutting down")
            self._changed.wait()

    def _schedule(self) -> None:
        while True:
            with self._changed:
                key, wait = self._due(time.monotonic())
                while key is None and not self._closing:
                    self._changed.wait(wait)
                    key, wait = self._due(time.monotonic())
                if self._closing or key is None:
                    return
                generation = self._undo_count(key)
                waited = key in self._wanted
                if waited:
                    self._wanted.remove(key)
            try:
                if not self._prepared:
                    self._ranker().submit(prepare_in_worker, self.review.protocol).result()
                    self._prepared = True
                ranking = self._ranker().submit(rank_in_worker, key, self.review.protocol).result()
                served = _Served(ranking, generation)
            except Exception as error:  # given to the request waiting for it, if any
                self._failed_ranking(key, error, waited)
                continue
            self._install(key, served)

    def _due(self, now: float) -> tuple[Key | None, float | None]:
        """The ranking to compute next, else how long until one falls due (None: until told)."""
        if self._wanted:
            return self._wanted[0], None
        best: tuple[int, Key] | None = None
        soonest: float | None = None
        for key, served in self._served.items():
            if self._retry_at.get(key, now) > now:
                continue
            decided = len(served.decided)
            if served.undo_generation < self._undo_count(key):
                decided = max(decided, 1)
            if not decided:
                continue
            since = now - (served.first_decision_at or now)
            if (decided >= self.rerank_after or since >= self.rerank_seconds
                    or served.pending() <= self.rerank_after):
                if best is None or decided > best[0]:
                    best = (decided, key)
            else:
                left = self.rerank_seconds - since
                soonest = left if soonest is None else min(soonest, left)
        return (best[1] if best else None), soonest

    def _install(self, key: Key, served: _Served) -> None:
        with self._changed:
            old = self._served.get(key)
            if old is not None:
                # Decided while this ranking was computed: still in its order, still hidden.
                served.decided = {unit for unit in old.decided if unit in served.position}
                served.first_decision_at = old.first_decision_at if served.decided else None
            self._served[key] = served
            self.rankings_computed += 1
            self._changed.notify_all()

    def _failed_ranking(self, key: Key, error: Exception, waited: bool) -> None:
        _log.error("ranking for %s failed: %s", key, error)
        with self._changed:
            if isinstance(error, BrokenProcessPool):
                self._pool, self.ranker_pid = None, None  # the worker died (killed, out of memory): the next ranking starts another
            if waited:
                self._failed[key] = error
            self._retry_at[key] = time.monotonic() + self.rerank_seconds
            self._changed.notify_all()

    def _ranker(self) -> ProcessPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                # spawn: the server has threads, which a forked child would inherit half-locked.
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"),
                                                 initializer=_open_review,
                                                 initargs=(str(self.review.directory),))
                self.ranker_pid = self._pool.submit(os.getpid).result()
                _log.info("ranking worker started (process %d)", self.ranker_pid)
            return self._pool


# --- the worker process ---------------------------------------------------------------------------

_REVIEW: Review | None = None


def _open_review(directory: str) -> None:
    global _REVIEW
    if hasattr(os, "nice"):
        os.nice(RANKER_NICENESS)  # rankings are background work: the server's requests come first
    _REVIEW = Review(directory)


def rank_in_worker(key: Key, protocol: Protocol) -> Ranking:
    return compute_ranking(_review_under(protocol), key)


def prepare_in_worker(protocol: Protocol) -> None:
    _review_under(protocol).screening.prepare_ranker("title_abstract")


def status_in_worker(protocol: Protocol) -> dict[str, Any]:
    settings = protocol.screening
    return project_status(_review_under(protocol).store, target_recall=settings.target_recall,
                          confidence=settings.confidence)


def _review_under(protocol: Protocol) -> Review:
    """The worker's review under the server's protocol as it is now: a lead's settings page
    changes `[screening]` (the preset, the target recall) in the server's review while it runs."""
    if _REVIEW is None:
        raise RuntimeError("the ranking worker was started without its review")
    if protocol != _REVIEW.protocol:
        _REVIEW.protocol = protocol
        _REVIEW.screening.protocol = protocol
    return _REVIEW


def compute_ranking(review: Review, key: Key) -> Ranking:
    """`key`'s queue by the stage code, with the reviewer's recall estimate and, in the ranked
    phase, the hint that the random-sample phase is due."""
    reviewer, stage, sample, seed = key
    screening = review.screening
    # Counted before the queue is drawn: a unit decided in between is left out of both (the
    # server hides only units of the order) and counted at the next ranking, never twice.
    state = screening.state(stage)
    screened = sum(reviewer in by for by in state.labels.values())
    order = screening.queue(stage, reviewer, seed=seed, order=sample)
    ranking = Ranking(order, screened, len(screening.eligible(stage)))
    quiet = Console(file=io.StringIO(), quiet=True)
    # The terminal screener's estimate, from this reviewer's own decisions only.
    estimate = recall_estimate(Session(screening, reviewer, stage, quiet, KeyReader(io.StringIO()), sample, seed))
    if estimate is not None:
        recall, stop = estimate
        level = f" at {recall.confidence:.0%} confidence" if recall.confidence else ""
        ranking.recall = f"recall ≥ {recall.estimated_recall:.0%}{level} ({recall.name})"
        ranking.stop = stop.explanation if stop is not None else None
    if sample == "ranked":
        ranking.random_phase_hint = random_phase_hint(review, stage)
    return ranking


# (stage, target recall, confidence) → (when computed, the hint)
_HINTS: dict[tuple[str, float, float], tuple[float, str | None]] = {}
HINT_SECONDS = 15.0


def random_phase_hint(review: Review, stage: str) -> str | None:
    """`status`'s word that the random-sample phase is due at `stage`, or None. It is the stage's,
    the same for every reviewer, and its hypergeometric tails over every unit take about a second
    on a large review: computed again for a ranking only once it is HINT_SECONDS old."""
    settings = review.protocol.screening
    key = (stage, settings.target_recall, settings.confidence)
    now = time.monotonic()
    if key not in _HINTS or now - _HINTS[key][0] > HINT_SECONDS:
        status = stopping_status(review.store, stage, target_recall=settings.target_recall,
                                 confidence=settings.confidence)
        _HINTS[key] = (now, str(status["explanation"]) if status.get("next_step") else None)
    return _HINTS[key][1]
