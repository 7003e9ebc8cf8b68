from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from livingreview.records import Record, normalise_doi, normalise_pmcid
from livingreview.store import MIGRATIONS, Store, schema_version


def test_new_store_is_wal_and_fully_migrated(tmp_path: Path) -> None:
    with Store(tmp_path / "review.db") as store:
        assert store.scalar("PRAGMA journal_mode") == "wal"
        assert schema_version(store._connection) == len(MIGRATIONS)
        # `decisions` is a view of the judgement ledger since migration 0005.
        tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"events", "imports", "searches", "records", "studies", "decisions", "extractions",
            "outcomes", "appraisals", "duplicate_pairs"} <= tables


def test_reopening_applies_no_migration_twice(tmp_path: Path) -> None:
    Store(tmp_path / "review.db").close()
    with Store(tmp_path / "review.db") as store:
        assert schema_version(store._connection) == len(MIGRATIONS)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "review.db")
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    connection.close()
    with pytest.raises(RuntimeError, match="newer than this livingreview"):
        Store(tmp_path / "review.db")


def test_events_cannot_be_changed_or_deleted(tmp_path: Path) -> None:
    with Store(tmp_path / "review.db") as store:
        store.log("test", "thing.done", detail={"records": 3})
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.query("UPDATE events SET action = 'x'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.query("DELETE FROM events")
        assert store.event_total("test", "thing.done", "records") == 3


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "review.db") as store:
        store.query("INSERT INTO searches (source, query, started_at) VALUES ('x', 'q', 'now')")
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.insert_records([Record(source="x", raw="r", title="t")], search_id=1)
                raise RuntimeError("boom")
        assert store.scalar("SELECT COUNT(*) FROM records") == 0


def test_records_round_trip_with_normalised_identifiers(tmp_path: Path) -> None:
    record = Record(source="ris", raw="TY  - JOUR", title="  A   title ", authors=["Doe, J"],
                    doi="https://doi.org/10.1000/ABC.1.", pmid="PMID: 0123", pmcid="4567",
                    abstract="Registered as nct01234567.")
    with Store(tmp_path / "review.db") as store:
        store.query("INSERT INTO searches (source, query, started_at) VALUES ('x', 'q', 'now')")
        assert store.insert_records([record], search_id=1) == 1
        [stored] = store.records()
    assert stored.title == "A title"
    assert stored.doi == "10.1000/abc.1"
    assert stored.pmid == "123"
    assert stored.pmcid == "PMC4567"
    assert stored.nct_ids == ["NCT01234567"]
    assert stored.authors == ["Doe, J"]
    assert stored.raw == "TY  - JOUR"
    assert stored.id == 1


def test_identifier_normalisers_reject_garbage() -> None:
    assert normalise_doi("not a doi") is None
    assert normalise_pmcid("") is None
