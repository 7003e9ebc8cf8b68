"""Classifiers: fitted on the labelled rows, they score every row (higher = more likely relevant).

Screening data are very imbalanced and the first fits see one or two relevant records, so every
classifier weights the classes: the relevant class gets `relevant_weight` times the total weight
of the irrelevant class divided by its own size (1.0 = the two classes weigh the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy import sparse
from scipy.stats import rankdata
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
    seed: int = 0

    def fit(self, features: sparse.csr_matrix, labels: np.ndarray) -> Logistic:
        # The dual problem: far fewer labelled rows than TF-IDF columns, so it converges in a
        # fraction of the primal's time (25 ms against 1 s at 400 labelled rows of 2,000).
        self.model_ = LogisticRegression(C=self.c, solver="liblinear", dual=True, random_state=self.seed,
                                         max_iter=1000)
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


def _non_negative(features: sparse.csr_matrix) -> sparse.csr_matrix:
    if features.nnz and features.data.min() < 0:
        features = features.copy()
        features.data = np.maximum(features.data, 0)
    return features


@dataclass
class ColumnSubset:
    """A classifier that sees only some columns: one feature block of a session's matrix.

    Lets an ensemble fit each member on its own view (TF-IDF terms, sentence embeddings) so
    that no block's scale decides how much it counts. The columns of the full matrix are cut
    once and kept, since a session scores the same matrix on every iteration.
    """

    inner: Classifier
    columns: np.ndarray

    def fit(self, features: sparse.csr_matrix, labels: np.ndarray) -> ColumnSubset:
        self.inner.fit(self._cut(features), labels)
        return self

    def score(self, features: sparse.csr_matrix) -> np.ndarray:
        return self.inner.score(self._cut(features))

    def _cut(self, features: sparse.csr_matrix) -> sparse.csr_matrix:
        if len(self.columns) == features.shape[1]:
            return features
        cached = getattr(self, "_cut_", None)
        if cached is not None and cached[0] is features:
            return cached[1]
        subset = features[:, self.columns]
        if features.shape[0] > 1000:  # the scored matrix, not a fit's labelled rows: worth keeping
            self._cut_ = (features, subset)
        return subset


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
        ranks = np.array([rankdata(member.score(features)) / n for member in self.members])
        return shares @ ranks / shares.sum()
