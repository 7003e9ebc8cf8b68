"""A project made by the previous release (schema of migrations 0001-0004, decisions written the
way its screening wrote them) opens with the judgement ledger and screens exactly as before."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from sklearn.metrics import cohen_kappa_score

from livingreview import Review
from livingreview.screening.agreement import gwet_ac1
from livingreview.screening.stopping import stopping_status
from livingreview.store import ledger, migrations

TA, FT = "title_abstract", "full_text"
DECISION_COLUMNS = ("id", "stage", "record_id", "study_id", "reviewer", "reviewer_kind", "label", "reason",
                    "note", "is_resolution", "supersedes", "decided_at", "undone", "drawn")


@dataclass(frozen=True)
class Old:
    """One row as the previous release's `Screening._append` wrote it (with its event)."""

    stage: str
    record: int
    reviewer: str
    label: str
    supersedes: int | None = None
    reason: str | None = None
    resolution: bool = False
    undone: bool = False
    drawn: str | None = "ranked"
    logged: bool = True  # False: a row inserted by hand, with no event


# Records 2 and 3 are one study (unit 2). Ids are 1-based positions in this list.
HISTORY = (
    Old(TA, 1, "ann", "include"),                                   # 1
    Old(TA, 1, "bob", "include"),                                   # 2
    Old(TA, 2, "ann", "exclude", reason="C1"),                      # 3
    Old(TA, 2, "bob", "include"),                                   # 4  stored on the unit's first record
    Old(TA, 4, "ann", "include"),                                   # 5
    Old(TA, 4, "ann", "include", supersedes=5, undone=True),        # 6  ann undoes it
    Old(TA, 4, "ann", "exclude", supersedes=6, reason="C2"),        # 7  and excludes
    Old(TA, 4, "bob", "exclude", logged=False),                     # 8
    Old(TA, 5, "ann", "maybe", drawn="random"),                     # 9
    Old(TA, 5, "bob", "exclude", drawn="random"),                   # 10
    Old(TA, 5, "cat", "include", resolution=True, drawn="chosen"),  # 11 cat settles the conflict
    Old(TA, 6, "ann", "include", drawn="random"),                   # 12
    Old(TA, 6, "bob", "exclude", drawn=None),                       # 13 from before the draw was kept
    Old(TA, 6, "cat", "exclude", resolution=True, drawn="chosen"),  # 14
    Old(TA, 6, "cat", "exclude", supersedes=14, resolution=True, undone=True, drawn="chosen"),  # 15
    Old(TA, 7, "bob", "include"),                                   # 16
    Old(TA, 7, "bob", "include", supersedes=16, undone=True),       # 17 bob's only decision, undone
    Old(FT, 1, "ann", "include", drawn="chosen"),                   # 18
    Old(FT, 1, "bob", "exclude", reason="C2", drawn="chosen"),      # 19
)


def old_project(directory: Path, protocol: Path, history: tuple[Old, ...], monkeypatch) -> Path:
    """A review folder whose review.db the previous release made: its 4 migrations, its rows."""
    directory.mkdir()
    shutil.copyfile(protocol, directory / "protocol.toml")
    connection = sqlite3.connect(directory / "review.db", isolation_level=None)
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:4])
        assert migrations.migrate(connection)[-1] == "0004_decisions_record_how_the_unit_was_drawn"
    at = "2026-01-01T00:00:00+00:00"
    connection.execute("INSERT INTO imports (id, path, stored_copy, sha256, format, encoding, record_count,"
                       " imported_at) VALUES (1, 'a.ris', 'imports/a.ris', 'x', 'ris', 'utf-8', 8, ?)", (at,))
    for n in range(1, 9):
        connection.execute("INSERT INTO records (id, import_id, source, raw, title, created_at)"
                           " VALUES (?, 1, 'ris', 'TY  - JOUR', ?, ?)", (n, f"Study {n} of ketamine", at))
    connection.execute("INSERT INTO studies (id, created_at) VALUES (1, ?)", (at,))
    connection.execute("UPDATE records SET study_id = 1 WHERE id IN (2, 3)")
    for row in history:
        study = 1 if row.record in (2, 3) else None
        decision = connection.execute(
            "INSERT INTO decisions (stage, record_id, study_id, reviewer, reviewer_kind, label, reason,"
            " note, is_resolution, supersedes, undone, decided_at, drawn)"
            " VALUES (?, ?, ?, ?, 'person', ?, ?, NULL, ?, ?, ?, ?, ?)",
            (row.stage, row.record, study, row.reviewer, row.label, row.reason, int(row.resolution),
             row.supersedes, int(row.undone), at, row.drawn)).lastrowid
        if row.logged:
            action = "screen.undo" if row.undone else "screen.resolve" if row.resolution else "screen.decide"
            detail = {"decision": decision, "stage": row.stage, "label": row.label, "reason": row.reason,
                      "study_id": study, "supersedes": row.supersedes, "undone": row.undone, "drawn": row.drawn}
            connection.execute(
                "INSERT INTO events (at, actor, stage, action, subject, detail, tool_version)"
                " VALUES (?, ?, 'screen', ?, ?, ?, '0.1.0')",
                (at, row.reviewer, action, f"record:{row.record}", json.dumps(detail, sort_keys=True)))
    rows = connection.execute(f"SELECT {', '.join(DECISION_COLUMNS)} FROM decisions ORDER BY id").fetchall()
    connection.close()
    return rows


@pytest.fixture
def project(tmp_path: Path, minimal_protocol: Path, monkeypatch) -> tuple[Path, list]:
    directory = tmp_path / "old"
    return directory, old_project(directory, minimal_protocol, HISTORY, monkeypatch)


def test_the_old_decisions_become_judgements_with_their_ids_reviewers_and_events(project):
    directory, old_rows = project
    with Review(directory) as review:
        store = review.store
        assert store.scalar("PRAGMA user_version") == len(migrations.MIGRATIONS)
        assert [(r["name"], r["role"]) for r in store.query("SELECT name, role FROM reviewers ORDER BY id")] == [
            ("ann", "reviewer"), ("bob", "reviewer"), ("cat", "lead")]
        moved = ledger.judgements(store, "screening_unit")
        assert [j.id for j in moved] == list(range(1, len(HISTORY) + 1))
        assert [(j.item_id, j.stage, j.reviewer, j.value, j.reason, j.supersedes, j.undone, j.is_resolution,
                 j.drawn) for j in moved] == [
            (f"record:{o.record}", o.stage, o.reviewer, o.label, o.reason, o.supersedes, o.undone, o.resolution,
             o.drawn) for o in HISTORY]
        # Each judgement points at the event the old release wrote with it; the hand-made row has none.
        for judgement in moved:
            if judgement.id == 8:
                assert judgement.event_id is None
                continue
            event = store.query("SELECT action, detail FROM events WHERE id = ?", (judgement.event_id,))[0]
            assert json.loads(event["detail"])["decision"] == judgement.id
        # The old rows are kept as they were, and `decisions` still reads them (and only them).
        kept = store.query(f"SELECT {', '.join(DECISION_COLUMNS)} FROM decisions_before_ledger ORDER BY id")
        viewed = store.query(f"SELECT {', '.join(DECISION_COLUMNS)} FROM decisions ORDER BY id")
        assert [tuple(r) for r in kept] == [tuple(r) for r in viewed] == [tuple(r) for r in old_rows]
        for statement in ("UPDATE decisions_before_ledger SET label = 'maybe'", "DELETE FROM decisions_before_ledger"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                store.query(statement)


def test_the_screening_state_conflicts_agreement_and_stopping_are_as_the_old_release_had_them(project):
    directory, _ = project
    with Review(directory) as review:
        screening = review.screening
        state = screening.state(TA)
        assert {u: state.outcome(u) for u in screening.units()} == {
            1: "include", 2: "conflict", 4: "exclude", 5: "include", 6: "conflict", 7: None, 8: None}
        assert {u: {r: d.label for r, d in by.items()} for u, by in state.labels.items()} == {
            1: {"ann": "include", "bob": "include"}, 2: {"ann": "exclude", "bob": "include"},
            4: {"ann": "exclude", "bob": "exclude"}, 5: {"ann": "maybe", "bob": "exclude"},
            6: {"ann": "include", "bob": "exclude"}}
        assert {u: d.id for u, d in state.resolutions.items()} == {5: 11}
        assert [(c.record_id, c.study_id, c.labels) for c in screening.conflicts(TA)] == [
            (2, 1, {"ann": "exclude", "bob": "include"}), (6, None, {"ann": "include", "bob": "exclude"})]
        assert screening.eligible(FT) == [1, 5]
        assert [(c.record_id, c.labels) for c in screening.conflicts(FT)] == [(1, {"ann": "include", "bob": "exclude"})]
        assert screening.pending(TA, "bob") == [7, 8]
        assert screening.pending(TA, "ann") == [7, 8]

        ann = ["include", "exclude", "exclude", "maybe", "include"]  # units 1, 2, 4, 5, 6
        bob = ["include", "include", "exclude", "exclude", "exclude"]
        pairs = {(p.stage, p.reviewers): p for p in review.agreement()}
        title = pairs[(TA, ("ann", "bob"))]
        assert (title.units, title.percent_agreement) == (5, 2 / 5)
        assert title.kappa == pytest.approx(cohen_kappa_score(ann, bob), abs=1e-12)
        assert title.ac1 == gwet_ac1(ann, bob)
        # What the previous release's code (fda5d56) computed from this database before migrating.
        assert (title.kappa, title.ac1) == (pytest.approx(0.0, abs=1e-12), pytest.approx(0.1549295774647888, abs=1e-12))
        assert (pairs[(FT, ("ann", "bob"))].units, pairs[(FT, ("ann", "bob"))].percent_agreement) == (1, 0.0)

        # Units in the order first decided: 1, 2, 4, 5, 6; the last two were drawn at random.
        status = stopping_status(review.store)
        assert (status["screened"], status["random_draws"]) == (5, 2)

        # Screening goes on where the old release stopped: ids continue, chains link to old rows.
        undo = screening.undo(TA, "ann", 4)
        assert undo.id == len(HISTORY) + 1 and undo.supersedes == 7
        assert screening.state(TA).labels[4] == {"bob": state.labels[4]["bob"]}
        assert screening.decide(TA, 7, "bob", "exclude", reason="C1").supersedes == 17
        assert screening.resolve(TA, 6, "include", "cat").supersedes == 15


def test_an_old_undo_of_a_changed_decision_now_restores_the_decision_it_replaced(tmp_path, minimal_protocol,
                                                                                 monkeypatch):
    # The one history read differently since issue 9: the previous release left record 8 unscreened
    # by bob after include, exclude, undo; the ledger's undo restores bob's include.
    changed = (Old(TA, 8, "bob", "include"), Old(TA, 8, "bob", "exclude", supersedes=1, reason="C1"),
               Old(TA, 8, "bob", "exclude", supersedes=2, reason="C1", undone=True))
    directory = tmp_path / "old"
    old_project(directory, minimal_protocol, changed, monkeypatch)
    with Review(directory) as review:
        assert review.screening.own_labels(TA, "bob") == {8: "include"}
        assert review.store.query("SELECT label FROM decisions_before_ledger WHERE id = 1")[0][0] == "include"
