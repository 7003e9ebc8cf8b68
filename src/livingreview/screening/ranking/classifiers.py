"""Classifiers: fitted on the labelled rows, they score every row (higher = more likely relevant).

Screening data are very imbalanced and the first fits see one or two relevant records, so every
classifier weights the classes: the relevant class gets `relevant_weight` times the total weight
of the irrelevant class divided by its own size (1.0 = the two classes weigh the same).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC


class Classifier(Protocol):
    def fit(self, features: sparse.csr_matrix, labels: np.ndarray) -> Classifier: ...

    def score(self, features: sparse.csr_matrix) -> np.ndarray: ...


def balanced_weights(labels: np.ndarray, relevant_weight: float) -> np.ndarray:
    """Sample weights giving the relevant class `relevant_weight` times the irrelevant class's total."""
    n_relevant = int(labels.sum())
    n_irrelevant = len(labels) - n_relevant
    weights = np.ones(len(labels), dtype=np.float64)
    if n_relevant and n_irrelevant:
        weights[labels == 1] = relevant_weight * n_irrelevant / n_relevant
    return weights * len(labels) / weights.sum()


@dataclass
class LinearSvm:
    """Linear SVM (squared hinge); the score is the signed distance to the margin."""

    c: float = 0.1
    relevant_weight: float = 1.0
    seed: int = 0

    def fit(self, features: sparse.csr_matrix, labels: np.ndarray) -> LinearSvm:
        self.model_ = LinearSVC(C=self.c, random_state=self.seed, dual=True, max_iter=5000)
        self.model_.fit(features, labels, sample_weight=balanced_weights(labels, self.relevant_weight))
        return self

    def score(self, features: sparse.csr_matrix) -> np.ndarray:
        return _linear_score(self.model_, features)


def _linear_score(model: LinearSVC | LogisticRegression, features: sparse.csr_matrix) -> np.ndarray:
    """The decision value w·x + b, computed in the matrix's own precision.

    sklearn's decision_function would first copy a float32 matrix to float64 and scan it for
    NaN: at 50,000 records that is most of an iteration, for features that were checked when
    they were made.
    """
    weights = model.coef_.ravel().astype(features.dtype)
    return np.asarray(features @ weights, dtype=np.float64) + float(model.intercept_[0])


@dataclass
class Logistic:
    """L2 logistic regression; the score is the log-odds of relevance."""

    c: float = 1.0
    relevant_weight: float = 1.0
    tol: float = 1e-4  # the solver's stopping tolerance
    seed: int = 0

    def fit(self, features: sparse.csr_matrix, labels: np.ndarray) -> Logistic:
        # The dual problem: far fewer labelled rows than TF-IDF columns, so it converges in a
        # fraction of the primal's time (25 ms against 1 s at 400 labelled rows of 2,000).
        self.model_ = LogisticRegression(C=self.c, solver="liblinear", dual=True, tol=self.tol,
                                         random_state=self.seed, max_iter=1000)
        self.model_.fit(features, labels, sample_weight=balanced_weights(labels, self.relevant_weight))
        return self

    def score(self, features: sparse.csr_matrix) -> np.ndarray:
        return _linear_score(self.model_, features)


@dataclass
class NaiveBayes:
    """Complement naive Bayes (suits imbalanced text classes); the score is the log-odds of relevance."""

    alpha: float = 0.1
    relevant_weight: float = 1.0
    seed: int = 0

    def fit(self, features: sparse.csr_matrix, labels: np.ndarray) -> NaiveBayes:
        self.model_ = ComplementNB(alpha=self.alpha)
        # ComplementNB needs non-negative features; the extra columns are clipped at zero.
        self.model_.fit(_non_negative(features), labels,
                        sample_weight=balanced_weights(labels, self.relevant_weight))
        return self

    def score(self, features: sparse.csr_matrix) -> np.ndarray:
        log_probability = self.model_.predict_joint_log_proba(_non_negative(features))
        return np.asarray(log_probability[:, 1] - log_probability[:, 0], dtype=np.float64)


def _non_negative(features: sparse.csr_matrix | np.ndarray) -> sparse.csr_matrix | np.ndarray:
    if isinstance(features, np.ndarray):
        return np.maximum(features, 0)
    if features.nnz and features.data.min() < 0:
        features = features.copy()
        features.data = np.maximum(features.data, 0)
    return features


@dataclass
class ColumnSubset:
    """A classifier that sees only some columns: one feature block of a session's matrix.

    Lets an ensemble fit each member on its own view (TF-IDF terms, sentence embeddings) so
    that no block's scale decides how much it counts. The columns of the scored matrix are cut
    once and kept in `cuts`, which members reading the same columns share: a session scores
    the same matrix on every iteration.
    """

    inner: Classifier
    columns: np.ndarray
    cuts: dict[bytes, tuple[object, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The key under which members with the same columns share a cut: made once, since at
        # 50,000 records the TF-IDF columns alone are megabytes of indices.
        self._cut_key = self.columns.tobytes()

    def fit(self, features: sparse.csr_matrix, labels: np.ndarray) -> ColumnSubset:
        self.inner.fit(self.cut(features, keep=False), labels)
        return self

    def score(self, features: sparse.csr_matrix) -> np.ndarray:
        return self.inner.score(self.cut(features))

    def cut(self, features: sparse.csr_matrix, *, keep: bool = True) -> sparse.csr_matrix | np.ndarray:
        """These columns of `features`, dense when the block fills most of its cells.

        `keep` holds on to the cut for the next call with the same matrix: right for the
        matrix that is scored every iteration, wasted on a fit's labelled rows.
        """
        cached = self.cuts.get(self._cut_key)
        if cached is not None and cached[0] is features:
            return cached[1]
        subset = features if len(self.columns) == features.shape[1] else features[:, self._selector()]
        if _dense_enough(subset):
            # Sentence embeddings fill every cell: as an array their product is a BLAS call,
            # several times faster than the same numbers walked as a sparse matrix.
            subset = subset.toarray()
        if keep:
            self.cuts[self._cut_key] = (features, subset)
        return subset

    def _selector(self) -> slice | np.ndarray:
        # A run of adjacent columns is cut as a slice: scipy copies it row by row, where a
        # list of columns costs a sparse product (15 ms on 1,000 rows of 660,000 columns).
        if len(self.columns) == 0:
            return self.columns
        first, last = int(self.columns[0]), int(self.columns[-1])
        if last - first + 1 == len(self.columns):
            return slice(first, last + 1)
        return self.columns


def _dense_enough(matrix: sparse.csr_matrix) -> bool:
    cells = matrix.shape[0] * matrix.shape[1]
    return cells > 0 and matrix.nnz / cells > 0.5


@dataclass
class RankEnsemble:
    """Weighted mean of the members' normalised ranks: no single model's scale dominates.

    `shares` weigh the members (equal when not given); a rank fusion needs no calibration
    between, say, an SVM margin and a log-odds.
    """

    members: tuple[Classifier, ...]
    shares: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if self.shares and len(self.shares) != len(self.members):
            raise ValueError(f"{len(self.shares)} shares for {len(self.members)} ensemble members")
        if any(share < 0 for share in self.shares) or (self.shares and sum(self.shares) <= 0):
            raise ValueError(f"ensemble shares must be non-negative and not all zero: {self.shares}")

    def fit(self, features: sparse.csr_matrix, labels: np.ndarray) -> RankEnsemble:
        for member in self.members:
            member.fit(features, labels)
        return self

    def score(self, features: sparse.csr_matrix) -> np.ndarray:
        n = features.shape[0]
        shares = np.asarray(self.shares or [1.0] * len(self.members), dtype=np.float64)
        ranks = np.array([_ranks(member.score(features)) / n for member in self.members])
        return shares @ ranks / shares.sum()


def _ranks(scores: np.ndarray) -> np.ndarray:
    """1..n by score; ties keep record order (a stable sort), as the queue itself does."""
    ranks = np.empty(len(scores), dtype=np.float64)
    ranks[np.argsort(scores, kind="stable")] = np.arange(1, len(scores) + 1)
    return ranks


