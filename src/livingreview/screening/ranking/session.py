"""A ranking session: features computed once, the classifier refitted on every ranking.

Interactive screening (`rank_unlabelled`) and simulation (`screening.simulate`) both rank
through `RankingSession.rank`, so what a simulation measures is what a reviewer gets.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from livingreview.screening.ranking.features import FeatureContext
from livingreview.screening.ranking.presets import EXTRA_BLOCK, Preset, build, load_preset


class RankingSession:
    """Features for a fixed list of texts under one preset and seed; `rank` may be called many times."""

    def __init__(
        self,
        texts: Sequence[str],
        *,
        preset: str | Preset = "default",
        seed: int = 0,
        extra_features: np.ndarray | None = None,
        records: Sequence[Any] | None = None,
        protocol: Any | None = None,
        on_progress: Callable[[str, int, int], None] | None = None,
    ) -> None:
        self.preset = preset if isinstance(preset, Preset) else load_preset(preset)
        self.seed = seed
        self.n_records = len(texts)
        # Why a fallback preset was used instead of the one asked for (None: it was not).
        self.fallback_reason: str | None = None
        context = FeatureContext(texts=texts, records=records, protocol=protocol, seed=seed,
                                 on_progress=on_progress)
        blocks = self._feature_blocks(context)
        if extra_features is not None:
            blocks.append((EXTRA_BLOCK, _extra_block(extra_features, self.n_records)))
        self.features = sparse.hstack([matrix for _, matrix in blocks], format="csr", dtype=np.float32)
        # Once here, or scipy sorts the column indices again on every product.
        self.features.sort_indices()
        self.blocks = _column_positions(blocks)
        self.classifier = build("classifiers", self.preset.classifier, seed, self.blocks)

    def _feature_blocks(self, context: FeatureContext) -> list[tuple[str, sparse.csr_matrix]]:
        try:
            return [(component.name, build("feature_extractors", component, self.seed).transform(context))
                    for component in self.preset.feature_extractors]
        except ImportError as error:
            if self.preset.fallback is None:
                raise
            self.fallback_reason = f"{error.args[0]} (preset '{self.preset.name}' fell back to " \
                                   f"'{self.preset.fallback}')"
            self.preset = load_preset(self.preset.fallback)
            return self._feature_blocks(context)

    def scores(self, labels: Mapping[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """(unlabelled indices, classifier scores) after refitting on `labels`."""
        labelled, y = _label_arrays(labels, self.n_records)
        unlabelled = np.setdiff1d(np.arange(self.n_records), labelled, assume_unique=True)
        if len(np.unique(y)) < 2:
            # One class seen so far: nothing to learn from yet, so keep the records' own order.
            return unlabelled, np.zeros(len(unlabelled))
        # One BLAS thread: the products here are too small to gain from more, and idle threads
        # spinning for work double the CPU time of an iteration.
        with threadpool_limits(1, user_api="blas"):
            self.classifier.fit(self.features[labelled], y)
            # Scoring every row and dropping the labelled ones avoids copying the matrix each iteration.
            return unlabelled, self.classifier.score(self.features)[unlabelled]

    def order(self, labels: Mapping[int, int], *, iteration: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """(unlabelled record indices in the order to screen them, their scores in that order)."""
        unlabelled, scores = self.scores(labels)
        strategy = build("query_strategies", self.preset.query_strategy, self.seed)
        # The seed and the number of labels fix the random stream: the same history, the same order.
        rng = np.random.default_rng([self.seed, len(labels), iteration])
        order = strategy.order(scores, rng)
        return unlabelled[order], scores[order]

    def rank(self, labels: Mapping[int, int], *, iteration: int = 0) -> list[tuple[int, float]]:
        """Unlabelled record indices with their scores, in the order to screen them."""
        indices, scores = self.order(labels, iteration=iteration)
        return list(zip(indices.tolist(), scores.tolist()))


def _label_arrays(labels: Mapping[int, int], n_records: int) -> tuple[np.ndarray, np.ndarray]:
    indices = np.fromiter(labels.keys(), dtype=np.int64, count=len(labels))
    values = np.fromiter(labels.values(), dtype=np.int64, count=len(labels))
    if len(indices) and (indices.min() < 0 or indices.max() >= n_records):
        raise ValueError(f"label index out of range 0..{n_records - 1}: {sorted(labels)[:5]}...")
    if not np.isin(values, (0, 1)).all():
        raise ValueError("labels must be 0 (irrelevant) or 1 (relevant)")
    order = np.argsort(indices, kind="stable")
    return indices[order], values[order]


def _column_positions(blocks: list[tuple[str, sparse.csr_matrix]]) -> dict[str, np.ndarray]:
    """Each block's columns in the stacked matrix; a repeated extractor name gets '-2', '-3'..."""
    positions: dict[str, np.ndarray] = {}
    start = 0
    for name, matrix in blocks:
        key, copy = name, 1
        while key in positions:
            copy += 1
            key = f"{name}-{copy}"
        positions[key] = np.arange(start, start + matrix.shape[1])
        start += matrix.shape[1]
    return positions


def _extra_block(extra: np.ndarray, n_records: int) -> sparse.csr_matrix:
    extra = np.asarray(extra, dtype=np.float32)
    if extra.ndim != 2 or extra.shape[0] != n_records:
        raise ValueError(f"extra_features must have shape ({n_records}, k), got {extra.shape}")
    # Unit-length rows keep the extra columns on the scale of the (unit-length) TF-IDF rows.
    return sparse.csr_matrix(normalize(extra))


@dataclass
class _CachedSession:
    """A cache slot: its lock is held while the session is built and while it ranks, since a
    ranking refits the session's one classifier in place."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    session: RankingSession | None = None


# Threads may rank at once (a web server, a progress thread): _SESSIONS_LOCK guards the cache's
# order and contents, each slot's own lock the session in it, so threads ranking different texts
# do not wait for each other and two asking for the same texts build the features once.
_SESSIONS: OrderedDict[str, _CachedSession] = OrderedDict()
_SESSIONS_LOCK = threading.Lock()
_SESSION_CACHE_SIZE = 4


def rank_unlabelled(
    texts: Sequence[str],
    labels: Mapping[int, int],
    *,
    preset: str = "default",
    seed: int = 0,
    extra_features: np.ndarray | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> list[tuple[int, float]]:
    """Indices of the unlabelled texts with their scores, best first.

    `labels` maps text index to 1 (relevant) or 0 (irrelevant). The features of the last few
    text lists are kept, so calling this after every decision refits only the classifier.
    """
    key = _session_key(texts, preset, seed, extra_features)
    with _SESSIONS_LOCK:
        slot = _SESSIONS.setdefault(key, _CachedSession())
        _SESSIONS.move_to_end(key)
        while len(_SESSIONS) > _SESSION_CACHE_SIZE:
            _SESSIONS.popitem(last=False)  # a thread still using an evicted slot keeps its reference
    with slot.lock:
        if slot.session is None:
            slot.session = RankingSession(texts, preset=preset, seed=seed, extra_features=extra_features,
                                          on_progress=on_progress)
        return slot.session.rank(labels)


def _session_key(texts: Sequence[str], preset: str, seed: int, extra: np.ndarray | None) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    if extra is not None:
        digest.update(np.ascontiguousarray(extra, dtype=np.float64).tobytes())
        digest.update(str(np.shape(extra)).encode())
    return f"{preset}|{seed}|{digest.hexdigest()}"
