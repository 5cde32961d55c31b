"""Numbered schema migrations. Append only: a released migration is never edited.

Each migration runs in its own transaction and is recorded in ``schema_migrations``; a backup of
the database is taken before the first pending one runs (see ``database.open_database``).
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "initial schema",
        """
        CREATE TABLE office (
            id TEXT PRIMARY KEY,
            agency TEXT NOT NULL,
            level TEXT NOT NULL,
            province TEXT NOT NULL DEFAULT '',
            county TEXT NOT NULL DEFAULT '',
            head_name TEXT NOT NULL DEFAULT '',
            head_title TEXT NOT NULL DEFAULT '',
            letter_prefix TEXT NOT NULL DEFAULT '',
            emblem_sha256 TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE report (
            id TEXT PRIMARY KEY,
            office_id TEXT NOT NULL REFERENCES office(id),
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            period TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 1,
            state TEXT NOT NULL DEFAULT 'draft',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX report_office ON report(office_id, period);
        -- one row per answered item: section is 'header', an indicator id or 'diagnostic';
        -- item is 'status', 'reason', 'justification' or a field id. value is JSON.
        CREATE TABLE answer (
            report_id TEXT NOT NULL REFERENCES report(id) ON DELETE CASCADE,
            section_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (report_id, section_id, item_id)
        ) WITHOUT ROWID;
        CREATE TABLE table_row (
            report_id TEXT NOT NULL REFERENCES report(id) ON DELETE CASCADE,
            section_id TEXT NOT NULL,
            table_id TEXT NOT NULL,
            row_id TEXT NOT NULL,
            position REAL NOT NULL,
            cells TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (report_id, section_id, table_id, row_id)
        ) WITHOUT ROWID;
        CREATE INDEX table_row_order ON table_row(report_id, section_id, table_id, position);
        -- evidence content, addressed by its SHA-256: the same file attached twice is stored once
        CREATE TABLE blob (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            data BLOB NOT NULL
        );
        CREATE TABLE evidence (
            id TEXT PRIMARY KEY,
            report_id TEXT NOT NULL REFERENCES report(id) ON DELETE CASCADE,
            section_id TEXT NOT NULL,
            sha256 TEXT NOT NULL REFERENCES blob(sha256),
            name TEXT NOT NULL,
            mime TEXT NOT NULL,
            size INTEGER NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE INDEX evidence_report ON evidence(report_id, section_id);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            report_id TEXT,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT
        );
        CREATE INDEX audit_report ON audit(report_id, id);
        CREATE TABLE setting (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]
