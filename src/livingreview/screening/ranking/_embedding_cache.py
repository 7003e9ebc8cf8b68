"""Sentence embeddings kept on disk, one row per distinct text, so each text is embedded once.

A living review re-ranks the same records after every update and a simulation replays the same
set under several seeds; the model is the slow part (about 25 ms a record on two CPU cores),
so vectors are looked up by the SHA-256 of the text and the model's identity, and only texts
never seen before are embedded.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path

import numpy as np

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL,
    text_sha256 BLOB NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text_sha256)
) WITHOUT ROWID
"""
_LOOKUP_CHUNK = 500  # SQLite's default limit on bound parameters is 999 (older builds)


def cache_directory() -> Path:
    """$LIVINGREVIEW_CACHE_DIR, else $XDG_CACHE_HOME/livingreview, else ~/.cache/livingreview."""
    explicit = os.environ.get("LIVINGREVIEW_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "livingreview"


def cached_embeddings(texts: Sequence[str], model: str, dimensions: int,
                      embed: Callable[[list[str]], np.ndarray], path: Path | None = None) -> np.ndarray:
    """Vectors for `texts` (rows in order), calling `embed` only on texts the cache lacks."""
    path = path or cache_directory() / "embeddings.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = [hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest() for text in texts]
    with closing(_connect(path)) as connection:
        known = _lookup(connection, model, sorted(set(keys)), dimensions)
        missing = {key: text for key, text in zip(keys, texts) if key not in known}
        if missing:
            vectors = np.asarray(embed(list(missing.values())), dtype=np.float32)
            fresh = dict(zip(missing, vectors))
            with connection:  # one transaction: a killed run leaves whole rows or none
                connection.executemany(
                    "INSERT OR IGNORE INTO vectors (model, text_sha256, vector) VALUES (?, ?, ?)",
                    [(model, key, vector.tobytes()) for key, vector in fresh.items()])
            known.update(fresh)
    if not keys:
        return np.zeros((0, dimensions), dtype=np.float32)
    return np.stack([known[key] for key in keys])


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=60)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(_SCHEMA)
    return connection


def _lookup(connection: sqlite3.Connection, model: str, keys: list[bytes], dimensions: int) -> dict[bytes, np.ndarray]:
    found: dict[bytes, np.ndarray] = {}
    for start in range(0, len(keys), _LOOKUP_CHUNK):
        chunk = keys[start:start + _LOOKUP_CHUNK]
        rows = connection.execute(
            f"SELECT text_sha256, vector FROM vectors WHERE model = ? AND text_sha256 IN ({','.join('?' * len(chunk))})",
            (model, *chunk))
        for key, blob in rows:
            vector = np.frombuffer(blob, dtype=np.float32)
            if len(vector) == dimensions:  # a row of another shape is from a different model build
                found[key] = vector
    return found
