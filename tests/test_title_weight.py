"""The title counted more than once: the tfidf extractor's `title_weight`, and titles reaching it
from simulation and the interactive queue."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from livingreview.screening.ranking import RankingSession
from livingreview.screening.ranking.features import FeatureContext, WordTfidf
from livingreview.screening.ranking.presets import preset_from_table
from livingreview.screening.simulate import LabelledSet, draw_priors, simulate
from livingreview.screening.texts import ranking_text

# Two records whose terms each occur in one record only, so every term has the same IDF and a
# row's weights differ by term frequency alone.
TITLES = ["alpha", "gamma"]
ABSTRACTS = ["beta", "delta"]


def _context(titles: list[str] | None = TITLES) -> FeatureContext:
    return FeatureContext(texts=[ranking_text(t, a) for t, a in zip(TITLES, ABSTRACTS)], titles=titles)


def _weights(title_weight: int) -> dict[str, float]:
    extractor = WordTfidf(ngram_max=1, stop_words="", title_weight=title_weight)
    row = extractor.transform(_context()).toarray()[0]
    # Columns are the terms in sorted order: alpha, beta, delta, gamma.
    return dict(zip(["alpha", "beta", "delta", "gamma"], row.tolist()))


@pytest.mark.parametrize("title_weight", [2, 3])
def test_a_title_term_is_counted_title_weight_times_under_sublinear_tf(title_weight):
    weights = _weights(title_weight)
    # Counted k times, the title's term has term frequency 1 + ln k beside the abstract's 1.
    assert weights["alpha"] / weights["beta"] == pytest.approx(1 + math.log(title_weight), rel=1e-6)
    assert weights["delta"] == weights["gamma"] == 0.0


def test_title_weight_one_is_sublinear_tfidf_of_the_texts_exactly():
    texts = ["Ketamine for depression: a randomised trial", "Hip fracture outcomes", "Ketamine infusion", ""]
    ours = WordTfidf(ngram_max=2, stop_words="", max_df=0.95).transform(FeatureContext(texts=texts))
    reference = TfidfVectorizer(ngram_range=(1, 2), max_df=0.95, sublinear_tf=True,
                                dtype=np.float32).fit_transform(texts)
    assert ours.dtype == np.float32
    assert (ours != reference).nnz == 0


def test_the_title_is_read_from_the_titles_not_parsed_out_of_the_text():
    # The same words, title and abstract swapped: equal rows under plain TF-IDF, but counted
    # twice the title's words lift the record whose title names the drug.
    titles, abstracts = ["ketamine depression", "registry cohort"], ["registry cohort", "ketamine depression"]
    texts = [ranking_text(t, a) for t, a in zip(titles, abstracts)]
    plain = WordTfidf(ngram_max=1, stop_words="").transform(FeatureContext(texts=texts, titles=titles))
    weighted = WordTfidf(ngram_max=1, stop_words="", title_weight=2).transform(
        FeatureContext(texts=texts, titles=titles)).toarray()
    assert (plain[0] != plain[1]).nnz == 0
    ketamine = 2  # columns: cohort, depression, ketamine, registry
    assert weighted[0, ketamine] > weighted[1, ketamine]


def test_a_title_weight_without_titles_is_refused_saying_what_is_missing():
    with pytest.raises(ValueError, match="title_weight = 2 needs the records' titles"):
        WordTfidf(title_weight=2).transform(_context(titles=None))


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_a_title_weight_that_is_no_whole_number_of_one_or_more_is_refused(bad):
    with pytest.raises(ValueError, match=f"title_weight must be a whole number of 1 or more, got {bad!r}"):
        WordTfidf(title_weight=bad)


def test_titles_must_be_one_per_text():
    with pytest.raises(ValueError, match="1 titles for 2 texts"):
        FeatureContext(texts=["a b", "c d"], titles=["a"])


def test_a_set_with_no_terms_still_gets_a_matrix_under_a_title_weight():
    matrix = WordTfidf(title_weight=2).transform(FeatureContext(texts=["", ""], titles=["", ""]))
    assert matrix.shape == (2, 1) and matrix.nnz == 0


TITLE_TWICE = preset_from_table("title-twice", {
    "feature_extractors": [{"name": "tfidf", "ngram_max": 2, "stop_words": "", "max_df": 0.95, "title_weight": 2}],
    "classifier": {"name": "svm", "c": 0.11, "relevant_weight": 9.8},
    "query_strategy": {"name": "max"},
})


def test_a_ranking_session_hands_its_titles_to_the_extractor():
    titles = ["Ketamine in depression", "Hip fracture", "Ketamine infusion", "Statins"]
    texts = [ranking_text(t, "an abstract") for t in titles]
    ranking = RankingSession(texts, titles=titles, preset=TITLE_TWICE).rank({0: 1, 1: 0})
    assert ranking[0][0] == 2
    with pytest.raises(ValueError, match="needs the records' titles"):
        RankingSession(texts, preset=TITLE_TWICE)


def test_a_simulation_gives_the_ranker_each_records_title():
    titles = ["Ketamine in depression", "Hip fracture surgery", "Ketamine infusion trial", "Statin registry",
              "Ketamine nasal spray", "Asthma costs"]
    data = LabelledSet([str(i) for i in range(6)], titles, ["A study."] * 6, np.array([1, 0, 1, 0, 1, 0]))
    result = simulate(data, draw_priors(data.labels, 0), preset=TITLE_TWICE)  # type: ignore[arg-type]
    assert sorted(result.order) == list(range(6))
    assert result.preset == "title-twice"
