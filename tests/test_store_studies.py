"""Records → reports → studies as append-only history: companions, merges, splits, as-of
queries, and an old project carried forward by migration 0006."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest

from livingreview import Review
from livingreview.dedupe import decide_pair
from livingreview.records import Record
from livingreview.store import MIGRATIONS, Store
from livingreview.store.studies import (
    current_report_studies,
    current_reports,
    grouping_counts,
    records_of_study,
    reports_of_study,
    resolve_study,
    study_of_record,
)

TRIAL = dict(
    title="Ketamine for treatment-resistant depression: a randomized controlled trial.",
    authors=["Smith J", "Jones K", "Brown A", "Taylor R", "Wilson M"],
    journal="Journal of Affective Disorders", year=2019, volume="245", pages="1123-1130",
    doi="10.1016/j.jad.2019.01.001", pmid="30412345",
    abstract="Background: Ketamine has rapid antidepressant effects in patients whose depression "
             "did not respond to two or more antidepressants. Registered as NCT01234567. "
             "Methods: We randomised 120 adults.",
)
# The same trial's report without its registry number: nothing links it to other reports.
UNREGISTERED = dict(TRIAL, abstract=str(TRIAL["abstract"]).replace(" Registered as NCT01234567.", ""))
REGISTRY = dict(source="ctgov", source_id="NCT01234567", title="Ketamine Versus Midazolam in TRD")


def insert(store: Store, *records: Record) -> list[int]:
    with store.transaction() as connection:
        connection.execute(
            "INSERT INTO imports (path, stored_copy, sha256, format, encoding, record_count,"
            " imported_at) VALUES ('t', 't', ?, 'test', 'utf-8', ?, 'now')",
            (uuid.uuid4().hex, len(records)))
        import_id = connection.execute("SELECT max(id) FROM imports").fetchone()[0]
        before = store.scalar("SELECT COALESCE(max(id), 0) FROM records")
        store.insert_records(records, import_id=import_id)
    return [row[0] for row in store.query("SELECT id FROM records WHERE id > ? ORDER BY id", (before,))]


def record(**fields: object) -> Record:
    return Record(source=str(fields.pop("source", "pubmed")), raw="test", **fields)  # type: ignore[arg-type]


def test_duplicates_share_a_report_and_a_registry_entry_is_a_report_of_the_same_study(
        review: Review) -> None:
    pubmed, embase, registry = insert(
        review.store, record(**TRIAL), record(**dict(TRIAL, source="embase", pmid=None)),
        record(**REGISTRY))
    result = review.dedupe()
    assert result.studies == 1
    reports = current_reports(review.store)
    assert reports[pubmed] == reports[embase] != reports[registry]
    study = study_of_record(review.store, pubmed)
    assert records_of_study(review.store, study) == [pubmed, embase, registry]
    assert grouping_counts(review.store) == {"records": 3, "reports": 2, "studies": 1}
    assert review.status()["dedupe"]["reports"] == 2


def test_the_grouping_before_a_split_is_rebuilt_as_of_its_event(review: Review) -> None:
    a, b = insert(review.store, record(**TRIAL), record(**dict(TRIAL, source="embase", pmid=None)))
    review.dedupe()
    [run] = review.store.events("dedupe", "dedupe.run")
    together = study_of_record(review.store, a)
    decision = decide_pair(review.store, a, b, "rejected", "ana")
    assert decision.study_a == together != decision.study_b
    assert records_of_study(review.store, together) == [a]
    assert records_of_study(review.store, decision.study_b) == [b]
    # As the first run left it: one study, one report, both records.
    assert records_of_study(review.store, together, as_of_event=run["id"]) == [a, b]
    assert current_reports(review.store, run["id"])[a] == current_reports(review.store, run["id"])[b]
    assert current_reports(review.store)[a] != current_reports(review.store)[b]
    assert study_of_record(review.store, b, as_of_event=run["id"]) == together


def test_a_merged_study_redirects_and_what_was_attached_to_it_follows(review: Review) -> None:
    by_doi = dict(UNREGISTERED, title="Ketamine in treatment-resistant depression", pmid=None)
    by_pmid = dict(UNREGISTERED, title="Intravenous ketamine: a trial in resistant depression", doi=None,
                   journal="Br J Psychiatry", pages="55-60")
    a, c = insert(review.store, record(**by_doi), record(**by_pmid))
    review.dedupe()
    kept, merged = study_of_record(review.store, a), study_of_record(review.store, c)
    assert kept != merged
    insert(review.store, record(**UNREGISTERED))  # carries the DOI and the PMID: bridges the two
    review.dedupe()
    assert resolve_study(review.store, merged) == kept
    assert records_of_study(review.store, merged) == []
    # The study row stays: it cannot be deleted while history names it.
    with pytest.raises(sqlite3.IntegrityError, match="studies are kept"), \
            review.store.transaction() as connection:
        connection.execute("DELETE FROM studies WHERE id = ?", (merged,))


def test_membership_history_refuses_to_be_rewritten(review: Review) -> None:
    insert(review.store, record(**TRIAL))
    review.dedupe()
    for table in ("report_members", "study_members"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"), \
                review.store.transaction() as connection:
            connection.execute(f"UPDATE {table} SET event_id = event_id")


def test_the_study_cache_agrees_with_the_history_after_runs_and_decisions(review: Review) -> None:
    ids = insert(review.store, record(**TRIAL), record(**dict(TRIAL, source="embase", pmid=None)),
                 record(**REGISTRY), record(title="Another question entirely", year=2001))
    review.dedupe()
    decide_pair(review.store, ids[0], ids[1], "rejected", "ana")
    review.dedupe()
    cached = {row[0]: row[1] for row in review.store.query("SELECT id, study_id FROM records")}
    studies = current_report_studies(review.store)
    from_history = {record_id: studies[report]
                    for record_id, report in current_reports(review.store).items()}
    assert cached == from_history


def _old_project(path: Path) -> None:
    """A review.db as the release before the judgement ledger wrote it (migrations 1-4), with
    data inserted the way that release did: study ids written straight into records."""
    connection = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:4]:
        connection.executescript(migration.sql)
    connection.execute("PRAGMA user_version = 4")
    connection.executescript("""
        INSERT INTO events (at, actor, stage, action, detail, tool_version)
            VALUES ('2026-01-01T00:00:00.000000+00:00', 'livingreview', 'dedupe', 'dedupe.run', '{}', '0.1.0');
        INSERT INTO imports (id, path, stored_copy, sha256, format, encoding, record_count, imported_at)
            VALUES (1, 'a.ris', 'imports/a.ris', 'abc', 'ris', 'utf-8', 4, '2026-01-01');
        INSERT INTO studies (id, created_at) VALUES (7, '2026-01-01'), (9, '2026-01-01');
        INSERT INTO records (id, import_id, source, raw, title, doi, study_id, created_at) VALUES
            (1, 1, 'ris', 'r1', 'Ketamine trial', '10.1/x', 7, '2026-01-01'),
            (2, 1, 'ris', 'r2', 'Ketamine trial', '10.1/x', 7, '2026-01-01'),
            (3, 1, 'ris', 'r3', 'Psilocybin pilot', NULL, 9, '2026-01-01'),
            (4, 1, 'ris', 'r4', 'Not yet deduplicated', NULL, NULL, '2026-01-02');
        INSERT INTO duplicate_pairs (record_a, record_b, relation, method, score, status, decided_by, decided_at)
            VALUES (1, 2, 'duplicate', 'doi', 1.0, 'auto', 'livingreview', '2026-01-01');
        INSERT INTO decisions (stage, record_id, study_id, reviewer, label, decided_at, drawn)
            VALUES ('title_abstract', 1, 7, 'ana', 'include', '2026-01-01', 'ranked');
    """)
    connection.close()


def test_an_old_project_is_carried_forward_with_a_report_per_record(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    _old_project(path)
    with Store(path) as store:
        [migrated] = store.events("store", "store.migrate")
        assert migrated["detail"] == {"records": 4, "grouped": 3}
        assert current_reports(store) == {1: 1, 2: 2, 3: 3, 4: 4}
        assert [study_of_record(store, r) for r in (1, 2, 3, 4)] == [7, 7, 9, None]
        assert records_of_study(store, 7) == [1, 2]
        # Before the migration event nothing is known: the old schema kept no history.
        assert study_of_record(store, 1, as_of_event=migrated["id"] - 1) is None


def test_a_migrated_project_deduplicates_onto_its_old_study_ids(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    _old_project(path)
    with Store(path) as store:
        from livingreview.dedupe import run_dedupe

        result = run_dedupe(store)
        [migrated] = store.events("store", "store.migrate")
        assert (result.new_records, result.studies_created, result.records_regrouped) == (1, 1, 1)
        reports = current_reports(store)
        # The two copies of one DOI now share a report; the grouping as migrated is kept.
        assert reports[1] == reports[2] and reports[3] != reports[1]
        # The report left without records leaves its study; the study keeps one report.
        assert reports_of_study(store, 7) == [reports[1]]
        assert reports_of_study(store, 7, as_of_event=migrated["id"]) == [1, 2]
        assert [study_of_record(store, r) for r in (1, 2, 3)] == [7, 7, 9]
        assert current_reports(store, migrated["id"]) == {1: 1, 2: 2, 3: 3, 4: 4}
        assert grouping_counts(store) == {"records": 4, "reports": 3, "studies": 3}
