"""Replaying a labelled set through the ranker, as if a reviewer screened it in the ranked order.

The loop ranks with `RankingSession.rank`, the code path interactive screening uses, screens the
top record(s), reveals their labels and ranks again, until every relevant record is found; the
records left are then screened in the last ranking's order so the curve spans the whole set.
"""

from __future__ import annotations

from collections import Counter
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from livingreview.errors import BadInput
from livingreview.importers.encoding import detect_encoding
from livingreview.importers.tabular import CsvImporter
from livingreview.screening import metrics
from livingreview.screening.ranking import RankingSession
from livingreview.screening.texts import ranking_text

@dataclass(frozen=True)
class LabelledSet:
    """A screening data set with its final decisions: one entry per record, in file order."""

    record_ids: list[str]
    titles: list[str]
    abstracts: list[str]
    labels: np.ndarray
    source: str = ""

    @property
    def texts(self) -> list[str]:
        return [ranking_text(title, abstract) for title, abstract in zip(self.titles, self.abstracts)]

    @property
    def n_relevant(self) -> int:
        return int(self.labels.sum())

    def index_of(self, record_ids: Sequence[str]) -> list[int]:
        positions = {record_id: i for i, record_id in enumerate(self.record_ids)}
        missing = [r for r in record_ids if r not in positions]
        if missing:
            raise BadInput(f"{self.source}: no record with record_id {', '.join(missing)}")
        return [positions[r] for r in record_ids]


def read_labelled_csv(path: Path) -> LabelledSet:
    """A CSV with columns record_id, title, abstract, label_included (0/1); other columns are ignored.

    Read through the project's CSV importer, so quoting, encodings and malformed rows are handled
    and reported (file and line) exactly as `livingreview import` does.
    """
    importer = CsvImporter(column_map={"record_id": "record_id", "title": "title", "abstract": "abstract",
                                       "label": "label_included"})
    records = list(importer.parse(path, detect_encoding(path).name))
    record_ids: list[str] = []
    for number, record in enumerate(records, start=1):
        if record.label is None:
            raise BadInput(f"{path}: record {number} (record_id {record.source_id}) has no label_included")
        if record.source_id is None:
            raise BadInput(f"{path}: record {number} has no record_id")
        record_ids.append(record.source_id)
    duplicated = sorted(r for r, n in Counter(record_ids).items() if n > 1)
    if duplicated:
        raise BadInput(f"{path}: record_id not unique: {', '.join(duplicated[:5])}")
    return LabelledSet(record_ids, [r.title or "" for r in records], [r.abstract or "" for r in records],
                       np.asarray([r.label for r in records], dtype=np.int64), source=str(path))


def draw_priors(labels: np.ndarray, seed: int) -> list[int]:
    """One relevant and one irrelevant record, drawn by `seed` (the usual simulation start)."""
    rng = np.random.default_rng(seed)
    relevant, irrelevant = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    if not len(relevant) or not len(irrelevant):
        raise BadInput("a simulation needs at least one relevant and one irrelevant record")
    return [int(rng.choice(relevant)), int(rng.choice(irrelevant))]


@dataclass
class SimulationResult:
    order: list[int]
    labels: np.ndarray
    n_priors: int
    iteration_seconds: list[float] = field(default_factory=list)
    feature_seconds: float = 0.0
    preset: str = "default"  # the preset that ranked: a fallback when the one asked for was not installed
    fallback_reason: str | None = None

    @property
    def order_labels(self) -> np.ndarray:
        return self.labels[self.order]

    def figures(self) -> dict[str, float | int | str | None]:
        n_total, n_relevant, screened = len(self.labels), int(self.labels.sum()), self.order_labels
        return {
            "records": n_total,
            "relevant": n_relevant,
            "priors": self.n_priors,
            "wss@95": metrics.wss(screened, n_total, n_relevant, 0.95),
            "wss@100": metrics.wss(screened, n_total, n_relevant, 1.0),
            "recall@10%": metrics.recall_at(screened, n_total, n_relevant, 0.10),
            "erf@10%": metrics.erf(screened, n_total, n_relevant, 0.10),
            "iterations": len(self.iteration_seconds),
            "seconds_per_iteration": float(np.mean(self.iteration_seconds)) if self.iteration_seconds else 0.0,
            "feature_seconds": self.feature_seconds,
            "preset_used": self.preset,
            "fallback_reason": self.fallback_reason,
        }


def simulate(
    data: LabelledSet,
    priors: Sequence[int],
    *,
    preset: str = "default",
    seed: int = 0,
    batch_size: int = 1,
    on_iteration: Callable[[int, int], None] | None = None,
    on_features: Callable[[str, int, int], None] | None = None,
) -> SimulationResult:
    """Screen `data` starting from the `priors` (record positions), ranking after every batch."""
    if len(set(priors)) != len(priors):
        raise BadInput("a prior record is given twice")
    started = time.perf_counter()
    session = RankingSession(data.texts, preset=preset, seed=seed, on_progress=on_features)
    result = SimulationResult(order=list(priors), labels=data.labels, n_priors=len(priors),
                              feature_seconds=time.perf_counter() - started, preset=session.preset.name,
                              fallback_reason=session.fallback_reason)
    known = {i: int(data.labels[i]) for i in priors}
    found = sum(known.values())
    ranking: list[tuple[int, float]] = []
    while found < data.n_relevant and len(known) < len(data.labels):
        tick = time.perf_counter()
        ranking = session.rank(known)
        result.iteration_seconds.append(time.perf_counter() - tick)
        for index, _score in ranking[:batch_size]:
            known[index] = int(data.labels[index])
            result.order.append(index)
            found += known[index]
        if on_iteration:
            on_iteration(found, len(known))
    # Past the last relevant record the rest is screened in the last ranking's order (record
    # order when no ranking was needed), so the curve and WSS@100 span all N records.
    screened = set(known)
    rest = [index for index, _score in ranking] or range(len(data.labels))
    result.order.extend(index for index in rest if index not in screened)
    return result
