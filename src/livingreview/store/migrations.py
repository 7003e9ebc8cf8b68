"""Named, ordered schema migrations; the applied count is `PRAGMA user_version`.

Each migration runs in its own transaction together with the `user_version` bump, so a
crash leaves the schema at a whole version. Append new migrations; never edit an applied one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from livingreview.errors import NotAProject


class SchemaTooNew(NotAProject, RuntimeError):
    """review.db was written by a newer livingreview than the one opening it."""


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001_core_tables",
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            stage TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT,
            detail TEXT NOT NULL DEFAULT '{}',
            why TEXT,
            tool_version TEXT NOT NULL,
            model_version TEXT
        );
        -- The log is the audit trail: it may grow, never change.
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;

        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            stored_copy TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            format TEXT NOT NULL,
            encoding TEXT NOT NULL,
            record_count INTEGER NOT NULL,
            imported_at TEXT NOT NULL
        );

        CREATE TABLE searches (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            query TEXT NOT NULL,
            filters TEXT NOT NULL DEFAULT '{}',
            started_at TEXT NOT NULL,
            finished_at TEXT,
            count_reported INTEGER,
            count_retrieved INTEGER NOT NULL DEFAULT 0,
            snapshot_path TEXT,
            status TEXT NOT NULL DEFAULT 'running'
        );

        CREATE TABLE studies (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            label TEXT
        );

        CREATE TABLE records (
            id INTEGER PRIMARY KEY,
            import_id INTEGER REFERENCES imports(id),
            search_id INTEGER REFERENCES searches(id),
            source TEXT NOT NULL,
            source_id TEXT,
            raw TEXT NOT NULL,
            title TEXT,
            abstract TEXT,
            authors TEXT NOT NULL DEFAULT '[]',
            journal TEXT,
            year INTEGER,
            volume TEXT,
            issue TEXT,
            pages TEXT,
            doi TEXT,
            pmid TEXT,
            pmcid TEXT,
            nct_ids TEXT NOT NULL DEFAULT '[]',
            keywords TEXT NOT NULL DEFAULT '[]',
            mesh TEXT NOT NULL DEFAULT '[]',
            publication_types TEXT NOT NULL DEFAULT '[]',
            language TEXT,
            label INTEGER,
            extra TEXT NOT NULL DEFAULT '{}',
            study_id INTEGER REFERENCES studies(id),
            created_at TEXT NOT NULL,
            CHECK (import_id IS NOT NULL OR search_id IS NOT NULL)
        );
        CREATE INDEX records_doi ON records(doi);
        CREATE INDEX records_pmid ON records(pmid);
        CREATE INDEX records_pmcid ON records(pmcid);
        CREATE INDEX records_study ON records(study_id);
        CREATE INDEX records_import ON records(import_id);
        CREATE INDEX records_search ON records(search_id);

        -- Every pair the deduplicator considered and decided on, so grouping is auditable and a
        -- human can confirm or reject the uncertain ones.
        CREATE TABLE duplicate_pairs (
            id INTEGER PRIMARY KEY,
            record_a INTEGER NOT NULL REFERENCES records(id),
            record_b INTEGER NOT NULL REFERENCES records(id),
            relation TEXT NOT NULL,
            method TEXT NOT NULL,
            score REAL NOT NULL,
            status TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            UNIQUE (record_a, record_b)
        );

        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            stage TEXT NOT NULL,
            record_id INTEGER REFERENCES records(id),
            study_id INTEGER REFERENCES studies(id),
            reviewer TEXT NOT NULL,
            reviewer_kind TEXT NOT NULL DEFAULT 'person',
            label TEXT NOT NULL CHECK (label IN ('include', 'exclude', 'maybe')),
            reason TEXT,
            note TEXT,
            is_resolution INTEGER NOT NULL DEFAULT 0,
            supersedes INTEGER REFERENCES decisions(id),
            decided_at TEXT NOT NULL
        );
        CREATE INDEX decisions_record ON decisions(record_id, stage);

        CREATE TABLE extractions (
            id INTEGER PRIMARY KEY,
            study_id INTEGER NOT NULL REFERENCES studies(id),
            field TEXT NOT NULL,
            value TEXT,
            unit TEXT,
            source_record_id INTEGER REFERENCES records(id),
            span_start INTEGER,
            span_end INTEGER,
            registry_field TEXT,
            extractor TEXT NOT NULL,
            verified_by TEXT,
            extracted_at TEXT NOT NULL
        );

        CREATE TABLE outcomes (
            id INTEGER PRIMARY KEY,
            study_id INTEGER NOT NULL REFERENCES studies(id),
            comparison TEXT,
            construct TEXT,
            outcome_class TEXT,
            instrument TEXT,
            timepoint TEXT,
            is_primary INTEGER,
            direction TEXT,
            effect_type TEXT,
            effect_value REAL,
            effect_variance REAL,
            computed_how TEXT
        );

        CREATE TABLE appraisals (
            id INTEGER PRIMARY KEY,
            study_id INTEGER NOT NULL REFERENCES studies(id),
            tool TEXT NOT NULL,
            domain TEXT NOT NULL,
            answers TEXT NOT NULL DEFAULT '{}',
            judgement TEXT,
            support TEXT,
            appraiser TEXT NOT NULL,
            appraised_at TEXT NOT NULL
        );
        """,
    ),
    Migration(
        "0002_search_pages_and_fulltexts",
        """
        -- One row per stored page of a search, written in the same transaction as the page's
        -- records: a killed search resumes from the last row's next_state, so pages are neither
        -- lost nor stored twice.
        CREATE TABLE search_pages (
            id INTEGER PRIMARY KEY,
            search_id INTEGER NOT NULL REFERENCES searches(id),
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            snapshot_file TEXT NOT NULL,
            records INTEGER NOT NULL,
            next_state TEXT NOT NULL,
            stored_at TEXT NOT NULL,
            UNIQUE (search_id, seq)
        );

        -- Every full text sought: retrieved ones with where they are kept, the others with the
        -- reason (PRISMA "reports not retrieved").
        CREATE TABLE fulltexts (
            id INTEGER PRIMARY KEY,
            record_id INTEGER NOT NULL REFERENCES records(id),
            study_id INTEGER REFERENCES studies(id),
            source TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('retrieved', 'not_retrieved', 'attached')),
            path TEXT,
            media_type TEXT,
            sha256 TEXT,
            reason TEXT,
            retrieved_at TEXT NOT NULL
        );
        CREATE INDEX fulltexts_record ON fulltexts(record_id);
        """,
    ),
    Migration(
        "0003_screening_undo_and_append_only_decisions",
        """
        -- Undo appends a decision that supersedes the withdrawn one and carries undone = 1:
        -- screening history is never rewritten, so decisions become append-only like events.
        ALTER TABLE decisions ADD COLUMN undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1));
        CREATE INDEX decisions_stage_reviewer ON decisions(stage, reviewer);
        CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only: supersede, never change'); END;
        CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only: supersede, never delete'); END;
        """,
    ),
    Migration(
        "0004_decisions_record_how_the_unit_was_drawn",
        """
        -- The random-sample stopping rule is valid only on records drawn uniformly at random, so
        -- each decision says how its unit came to the reviewer: from the ranked queue, from a
        -- seeded random sample of the reviewer's unscreened units, or picked by the reviewer.
        -- Rows from before this column are NULL: unknown, never counted as random.
        ALTER TABLE decisions ADD COLUMN drawn TEXT CHECK (drawn IN ('ranked', 'random', 'chosen'));
        """,
    ),
    Migration(
        "0005_judgement_ledger_and_reviewers",
        """
        -- Who judges: people (a lead settles conflicts) and models, named once.
        CREATE TABLE reviewers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
            role TEXT NOT NULL CHECK (role IN ('lead', 'reviewer', 'model')),
            created_at TEXT NOT NULL
        );

        -- What may be judged. A table, not a CHECK, so that a later migration adds a kind with
        -- one INSERT instead of rebuilding the append-only ledger.
        CREATE TABLE judgement_item_kinds (
            kind TEXT PRIMARY KEY,
            item_id_form TEXT NOT NULL
        );
        INSERT INTO judgement_item_kinds (kind, item_id_form) VALUES
            ('screening_unit', 'record:<id of the unit''s representative record>'),
            ('extraction_field', 'study:<id>/field:<name>'),
            ('rob_question', 'study:<id>/tool:<tool>/question:<id>'),
            ('rob_domain', 'study:<id>/tool:<tool>/domain:<id>'),
            ('grade_domain', 'outcome:<id>/domain:<name>');

        -- Every judgement of every reviewer, append-only. An undo is a row with undone = 1 whose
        -- supersedes names the withdrawn judgement; any other row's supersedes names the previous
        -- row of its chain. event_id is the event written in the same transaction.
        CREATE TABLE judgements (
            id INTEGER PRIMARY KEY,
            item_kind TEXT NOT NULL REFERENCES judgement_item_kinds(kind),
            item_id TEXT NOT NULL,
            stage TEXT NOT NULL,
            reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),
            value TEXT NOT NULL,
            reason TEXT,
            note TEXT,
            drawn TEXT CHECK (drawn IN ('ranked', 'random', 'chosen')),
            supersedes INTEGER REFERENCES judgements(id),
            undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
            is_resolution INTEGER NOT NULL DEFAULT 0 CHECK (is_resolution IN (0, 1)),
            at TEXT NOT NULL,
            event_id INTEGER REFERENCES events(id),
            CHECK (item_kind <> 'screening_unit' OR value IN ('include', 'exclude', 'maybe'))
        );
        CREATE TRIGGER judgements_no_update BEFORE UPDATE ON judgements
            BEGIN SELECT RAISE(ABORT, 'judgements are append-only: supersede, never change'); END;
        CREATE TRIGGER judgements_no_delete BEFORE DELETE ON judgements
            BEGIN SELECT RAISE(ABORT, 'judgements are append-only: supersede, never delete'); END;
        -- The latest judgement per (item, reviewer) and the head of a chain are read through this
        -- index (in its order, so grouping needs no sort); withdrawn judgements through the
        -- partial one.
        CREATE INDEX judgements_chain
            ON judgements(item_kind, is_resolution, stage, item_id, reviewer_id, id);
        CREATE INDEX judgements_withdrawn ON judgements(supersedes) WHERE undone = 1;
        CREATE INDEX judgements_event ON judgements(event_id);

        -- Screening decisions move into the ledger with their ids, so supersedes and the
        -- "decision" of each screen event still point at the same rows.
        INSERT INTO reviewers (name, role, created_at)
            SELECT reviewer,
                   CASE WHEN MAX(reviewer_kind <> 'person') THEN 'model'
                        WHEN MAX(is_resolution) THEN 'lead' ELSE 'reviewer' END,
                   MIN(decided_at)
            FROM decisions GROUP BY reviewer ORDER BY MIN(id);
        INSERT INTO judgements (id, item_kind, item_id, stage, reviewer_id, value, reason, note,
                                drawn, supersedes, undone, is_resolution, at, event_id)
            SELECT d.id, 'screening_unit', COALESCE('record:' || d.record_id, 'study:' || d.study_id),
                   d.stage, r.id, d.label, d.reason, d.note, d.drawn, d.supersedes, d.undone,
                   d.is_resolution, d.decided_at, logged.event_id
            FROM decisions d
            JOIN reviewers r ON r.name = d.reviewer
            LEFT JOIN (SELECT json_extract(detail, '$.decision') AS decision_id, MIN(id) AS event_id
                       FROM events
                       WHERE stage = 'screen'
                         AND action IN ('screen.decide', 'screen.resolve', 'screen.undo')
                       GROUP BY decision_id) logged ON logged.decision_id = d.id
            ORDER BY d.id;

        -- The old table stays, unchanged and still append-only, as the audit copy of what the
        -- previous release wrote; `decisions` becomes a read-only view of the screening part of
        -- the ledger, so SQL written against it keeps reading the whole history.
        ALTER TABLE decisions RENAME TO decisions_before_ledger;
        CREATE VIEW decisions AS
            SELECT j.id, j.stage,
                   CASE WHEN j.item_id LIKE 'record:%' THEN CAST(substr(j.item_id, 8) AS INTEGER) END
                       AS record_id,
                   COALESCE(json_extract(e.detail, '$.study_id'), old.study_id) AS study_id,
                   r.name AS reviewer,
                   CASE r.role WHEN 'model' THEN 'model' ELSE 'person' END AS reviewer_kind,
                   j.value AS label, j.reason, j.note, j.is_resolution, j.supersedes,
                   j.at AS decided_at, j.undone, j.drawn
            FROM judgements j
            JOIN reviewers r ON r.id = j.reviewer_id
            LEFT JOIN events e ON e.id = j.event_id
            LEFT JOIN decisions_before_ledger old ON old.id = j.id
            WHERE j.item_kind = 'screening_unit';
        CREATE TRIGGER decisions_view_no_insert INSTEAD OF INSERT ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only through the judgement ledger'); END;
        CREATE TRIGGER decisions_view_no_update INSTEAD OF UPDATE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only: supersede, never change'); END;
        CREATE TRIGGER decisions_view_no_delete INSTEAD OF DELETE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only: supersede, never delete'); END;
        """,
    ),
    Migration(
        "0006_reports_studies_history_and_rounds",
        """
        -- Three levels: a record is one database's copy of a report; a report is one publication
        -- or registry entry (its records are duplicates across databases); a study groups its
        -- reports (registry entry, publication, abstract, secondary analysis). Membership is
        -- appended, never rewritten: each row says a record joined or left a report (a report a
        -- study) at an event, so the grouping as of any event can be rebuilt, and a merged study
        -- redirects to the study it went into, so what is attached to it follows.
        -- records.study_id stays as the cached current study, written with the history rows.
        CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL
        );
        CREATE TABLE report_members (
            id INTEGER PRIMARY KEY,
            record_id INTEGER NOT NULL REFERENCES records(id),
            report_id INTEGER NOT NULL REFERENCES reports(id),
            change TEXT NOT NULL CHECK (change IN ('join', 'leave')),
            event_id INTEGER NOT NULL REFERENCES events(id)
        );
        CREATE INDEX report_members_record ON report_members(record_id, id);
        CREATE INDEX report_members_report ON report_members(report_id);
        CREATE INDEX report_members_event ON report_members(event_id);
        CREATE TABLE study_members (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            study_id INTEGER NOT NULL REFERENCES studies(id),
            change TEXT NOT NULL CHECK (change IN ('join', 'leave')),
            event_id INTEGER NOT NULL REFERENCES events(id)
        );
        CREATE INDEX study_members_report ON study_members(report_id, id);
        CREATE INDEX study_members_study ON study_members(study_id);
        CREATE INDEX study_members_event ON study_members(event_id);
        CREATE TABLE study_redirects (
            id INTEGER PRIMARY KEY,
            from_study INTEGER NOT NULL REFERENCES studies(id),
            to_study INTEGER NOT NULL REFERENCES studies(id),
            event_id INTEGER NOT NULL REFERENCES events(id),
            CHECK (from_study <> to_study)
        );
        CREATE INDEX study_redirects_from ON study_redirects(from_study, id);
        CREATE TRIGGER report_members_no_update BEFORE UPDATE ON report_members
            BEGIN SELECT RAISE(ABORT, 'report membership is append-only'); END;
        CREATE TRIGGER report_members_no_delete BEFORE DELETE ON report_members
            BEGIN SELECT RAISE(ABORT, 'report membership is append-only'); END;
        CREATE TRIGGER study_members_no_update BEFORE UPDATE ON study_members
            BEGIN SELECT RAISE(ABORT, 'study membership is append-only'); END;
        CREATE TRIGGER study_members_no_delete BEFORE DELETE ON study_members
            BEGIN SELECT RAISE(ABORT, 'study membership is append-only'); END;
        CREATE TRIGGER study_redirects_no_update BEFORE UPDATE ON study_redirects
            BEGIN SELECT RAISE(ABORT, 'study redirects are append-only'); END;
        CREATE TRIGGER study_redirects_no_delete BEFORE DELETE ON study_redirects
            BEGIN SELECT RAISE(ABORT, 'study redirects are append-only'); END;
        -- Studies are no longer deleted when emptied: a redirect or an attached row may name them.
        CREATE TRIGGER studies_no_delete BEFORE DELETE ON studies
            BEGIN SELECT RAISE(ABORT, 'studies are kept: an emptied study redirects'); END;

        -- Carry a project forward: the grouping before this migration is known only as it is now
        -- (the old schema overwrote study_id), so every record becomes its own report, that
        -- report joins the record's current study, and history starts at this event. The next
        -- dedupe run joins the reports of duplicate records.
        INSERT INTO events (at, actor, stage, action, subject, detail, why, tool_version)
            SELECT strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now'), 'livingreview', 'store',
                   'store.migrate', '0006_reports_studies_history_and_rounds',
                   json_object('records', COUNT(*), 'grouped', COUNT(study_id)),
                   'the grouping before this version was not kept; history starts here',
                   'migration 0006'
            FROM records HAVING COUNT(*) > 0;
        INSERT INTO reports (id, created_at) SELECT id, created_at FROM records ORDER BY id;
        INSERT INTO report_members (record_id, report_id, change, event_id)
            SELECT id, id, 'join', (SELECT MAX(id) FROM events) FROM records ORDER BY id;
        INSERT INTO study_members (report_id, study_id, change, event_id)
            SELECT id, study_id, 'join', (SELECT MAX(id) FROM events)
            FROM records WHERE study_id IS NOT NULL ORDER BY id;

        -- Rounds: each run of the pipeline. An event written while a round is open carries its
        -- number; a finished round keeps the id of its last event, the cutoff for "as of round N".
        CREATE TABLE rounds (
            number INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            first_event_id INTEGER REFERENCES events(id),
            last_event_id INTEGER REFERENCES events(id),
            ran TEXT NOT NULL DEFAULT '{}',
            CHECK ((finished_at IS NULL) = (last_event_id IS NULL))
        );
        -- At most one round is open at a time.
        CREATE UNIQUE INDEX rounds_one_open ON rounds((finished_at IS NULL)) WHERE finished_at IS NULL;
        CREATE TRIGGER rounds_finished_stay BEFORE UPDATE ON rounds WHEN OLD.finished_at IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'a finished round is history: it cannot change'); END;
        CREATE TRIGGER rounds_no_delete BEFORE DELETE ON rounds
            BEGIN SELECT RAISE(ABORT, 'rounds are history: never deleted'); END;
        ALTER TABLE events ADD COLUMN round INTEGER REFERENCES rounds(number);
        CREATE INDEX events_round ON events(round);
        """,
    ),
    Migration(
        "0007_imports_name_their_database",
        """
        -- PRISMA counts records per database searched, not per file format: an import names the
        -- database its file came from (given with --source, or guessed from the file). NULL on
        -- imports from before this column: the database is not known.
        ALTER TABLE imports ADD COLUMN source_name TEXT;
        """,
    ),
    Migration(
        "0008_credentials",
        """
        -- `livingreview serve` logs people in: one Argon2 password hash per reviewer who has an
        -- account (a model never has one). The hash is the only secret kept; never a password.
        CREATE TABLE credentials (
            reviewer_id INTEGER PRIMARY KEY REFERENCES reviewers(id),
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
    Migration(
        "0009_duplicate_pair_reasons",
        """
        -- Why the judge left a pair to a human ("numbers in the titles differ", "shared DOI but
        -- the titles differ"), shown by `dedupe --uncertain`. NULL for pairs judged before.
        ALTER TABLE duplicate_pairs ADD COLUMN reason TEXT;
        """,
    ),
    Migration(
        "0010_stored_copies_relative_to_the_project",
        """
        -- stored_copy held the path as the command was given it (relative to the working
        -- directory of that run, or absolute): keep imports/<file name>, relative to the
        -- project folder, which stays right wherever the project is moved or run from.
        UPDATE imports SET stored_copy = 'imports/' || substr(
            replace(stored_copy, '\\', '/'),
            length(rtrim(replace(stored_copy, '\\', '/'),
                         replace(replace(stored_copy, '\\', '/'), '/', ''))) + 1);
        """,
    ),
    Migration(
        "0011_grouping_version",
        """
        -- Screening rebuilds its units (records grouped into studies) only when the grouping
        -- changed. Asking by aggregating every record cost tens of milliseconds per decision on
        -- a 50,000-record review; these triggers count every insert, delete and change of
        -- study_id instead, so the question is one row read, whichever writer made the change.
        CREATE TABLE grouping_version (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        );
        INSERT INTO grouping_version (id, version) VALUES (1, 0);
        CREATE TRIGGER records_grouping_insert AFTER INSERT ON records
            BEGIN UPDATE grouping_version SET version = version + 1; END;
        CREATE TRIGGER records_grouping_delete AFTER DELETE ON records
            BEGIN UPDATE grouping_version SET version = version + 1; END;
        CREATE TRIGGER records_grouping_regroup AFTER UPDATE OF study_id ON records
            BEGIN UPDATE grouping_version SET version = version + 1; END;
        """,
    ),
)


def schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: sqlite3.Connection) -> list[str]:
    """Apply pending migrations in order; returns the names applied."""
    applied = []
    current = schema_version(connection)
    if current > len(MIGRATIONS):
        raise SchemaTooNew(
            f"review.db has schema version {current}, newer than this livingreview "
            f"({len(MIGRATIONS)}); upgrade livingreview"
        )
    for version, migration in enumerate(MIGRATIONS[current:], start=current + 1):
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(migration.sql):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {version}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        applied.append(migration.name)
    return applied


def _statements(script: str) -> list[str]:
    # executescript() would commit implicitly; split so the migration stays one transaction.
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
