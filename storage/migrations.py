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
    (
        2,
        "headquarters exchange: HQ keys, office certificates, revocations, org units, submissions; office side profile, certificate, bundle exports",
        """
        -- headquarters: its CA and age key, private parts passphrase-encrypted (one row)
        CREATE TABLE hq_identity (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            hq_id TEXT NOT NULL,
            name TEXT NOT NULL,
            ca_cert_pem TEXT NOT NULL,
            age_recipient TEXT NOT NULL,
            -- age passphrase (scrypt) encryption of JSON {ca_private_key: PKCS#8 PEM, age_identity: AGE-SECRET-KEY-1…}
            secret_keys_encrypted BLOB NOT NULL,
            profile_sequence INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        -- roots whose certificates headquarters accepts besides its own CA (e.g. a national CA)
        CREATE TABLE hq_trusted_root (
            sha256 TEXT PRIMARY KEY,
            cert_pem TEXT NOT NULL,
            label TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE TABLE hq_office_certificate (
            serial TEXT NOT NULL,
            issuer_sha256 TEXT NOT NULL,
            office_id TEXT NOT NULL,
            cert_sha256 TEXT NOT NULL UNIQUE,
            cert_pem TEXT NOT NULL,
            not_before TEXT NOT NULL,
            not_after TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            PRIMARY KEY (issuer_sha256, serial)
        );
        CREATE INDEX hq_office_certificate_office ON hq_office_certificate(office_id);
        CREATE TABLE hq_revocation (
            issuer_sha256 TEXT NOT NULL,
            serial TEXT NOT NULL,
            office_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            revoked_at TEXT NOT NULL,
            PRIMARY KEY (issuer_sha256, serial)
        );
        CREATE TABLE org_unit (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            parent_id TEXT,
            level TEXT NOT NULL DEFAULT '',
            province TEXT NOT NULL DEFAULT ''
        );
        -- one row per accepted bundle; the answers are in report/answer/table_row/evidence under report_id
        CREATE TABLE hq_submission (
            id TEXT PRIMARY KEY,
            report_id TEXT NOT NULL UNIQUE REFERENCES report(id),
            office_id TEXT NOT NULL,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            period TEXT NOT NULL,
            revision INTEGER NOT NULL,
            office_report_id TEXT NOT NULL,
            bundle_id TEXT NOT NULL UNIQUE,
            content_sha256 TEXT NOT NULL,
            manifest TEXT NOT NULL,
            manifest_signature BLOB NOT NULL,
            signer_cert_pem TEXT NOT NULL,
            pdf_sha256 TEXT,
            pdf_check TEXT NOT NULL,
            created_at TEXT NOT NULL,
            received_at TEXT NOT NULL,
            superseded_by TEXT REFERENCES hq_submission(id),
            UNIQUE (office_id, form_id, period, revision)
        );
        CREATE INDEX hq_submission_current ON hq_submission(office_id, form_id, period, superseded_by);
        -- office side: the headquarters profile and the certificate headquarters issued
        CREATE TABLE office_hq_profile (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            hq_id TEXT NOT NULL,
            ca_cert_pem TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            profile BLOB NOT NULL,
            imported_at TEXT NOT NULL
        );
        CREATE TABLE office_certificate (
            office_id TEXT PRIMARY KEY REFERENCES office(id),
            cert_pem TEXT NOT NULL,
            chain_pem TEXT NOT NULL,
            imported_at TEXT NOT NULL
        );
        CREATE TABLE bundle_export (
            bundle_id TEXT PRIMARY KEY,
            report_id TEXT NOT NULL REFERENCES report(id),
            revision INTEGER NOT NULL,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            exported_at TEXT NOT NULL
        );
        CREATE INDEX bundle_export_report ON bundle_export(report_id, exported_at);
        """,
    ),
    (
        3,
        "report digests for headquarters analysis",
        """
        -- one row per report, derived from its answers (citizen_rights_desktop/editing/digest.py) so that
        -- dashboards over tens of thousands of reports read one small row each; rebuilt whenever
        -- the report changes (report_updated_at), never edited by hand
        CREATE TABLE report_digest (
            report_id TEXT PRIMARY KEY REFERENCES report(id) ON DELETE CASCADE,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            period TEXT NOT NULL,
            office_id TEXT NOT NULL,
            province TEXT NOT NULL,
            level TEXT NOT NULL,
            statuses TEXT NOT NULL,
            numbers TEXT NOT NULL,
            completeness REAL NOT NULL,
            score REAL NOT NULL,
            report_updated_at TEXT NOT NULL
        );
        CREATE INDEX report_digest_scope ON report_digest(form_id, period);
        """,
    ),
    (
        4,
        "headquarters review of submissions (state, comments per indicator); office side: imported feedback",
        """
        -- headquarters: the review state of a submission; no row means 'received'
        CREATE TABLE hq_review (
            submission_id TEXT PRIMARY KEY REFERENCES hq_submission(id),
            state TEXT NOT NULL CHECK (state IN ('received', 'accepted', 'returned')),
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            feedback_id TEXT NOT NULL
        );
        CREATE TABLE hq_review_comment (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            submission_id TEXT NOT NULL REFERENCES hq_submission(id),
            indicator_id TEXT NOT NULL,
            text TEXT NOT NULL,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX hq_review_comment_submission ON hq_review_comment(submission_id, id);
        -- office side: signed feedback files from headquarters (the file is kept as received)
        CREATE TABLE office_feedback (
            feedback_id TEXT PRIMARY KEY,
            office_id TEXT NOT NULL,
            report_id TEXT NOT NULL,
            form_id TEXT NOT NULL,
            period TEXT NOT NULL,
            revision INTEGER NOT NULL,
            decision TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            file BLOB NOT NULL,
            imported_at TEXT NOT NULL
        );
        CREATE INDEX office_feedback_report ON office_feedback(office_id, form_id, period, revision);
        CREATE TABLE office_feedback_comment (
            feedback_id TEXT NOT NULL REFERENCES office_feedback(feedback_id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            indicator_id TEXT NOT NULL,
            text TEXT NOT NULL,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (feedback_id, position)
        );
        """,
    ),
    (
        5,
        "the signed PDF of each signed report, kept in the database",
        """
        -- the signed letterhead PDF is the legal record of a revision: kept with its answers (the
        -- bytes in blob, like evidence) so that a bundle can always be made from it
        CREATE TABLE signed_pdf (
            report_id TEXT PRIMARY KEY REFERENCES report(id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL REFERENCES blob(sha256),
            size INTEGER NOT NULL,
            signed_at TEXT NOT NULL
        );
        """,
    ),
    (
        6,
        "the file name each submission arrived in, and where its bundle contradicts the org-unit register",
        """
        -- a bundle id reused with other content is refused naming both files (issue 12): the
        -- earlier file's name must outlive its import run
        ALTER TABLE hq_submission ADD COLUMN source_name TEXT;
        -- what a bundle said that the org-unit register contradicts (its province), for the analyst
        ALTER TABLE hq_submission ADD COLUMN register_note TEXT;
        """,
    ),
    (
        7,
        "answers set aside when a draft moves to a newer version of its form",
        """
        -- a draft moved to a newer form version keeps every answer: those the new version no longer
        -- asks (1398.1's i29.submission_date, i02.processes[*].service) are moved here, shown to the
        -- clerk, never printed, validated or sent (issue 13). item_id is a field id, or TABLE.COLUMN
        -- for one cell of row row_id ('' for a field).
        CREATE TABLE set_aside (
            report_id TEXT NOT NULL REFERENCES report(id) ON DELETE CASCADE,
            section_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            row_id TEXT NOT NULL DEFAULT '',
            value TEXT NOT NULL,
            from_version TEXT NOT NULL,
            set_aside_at TEXT NOT NULL,
            PRIMARY KEY (report_id, section_id, item_id, row_id)
        ) WITHOUT ROWID;
        """,
    ),
    (
        8,
        "an inspection team's copy of the offices' self-report answers, from headquarters' profile",
        """
        -- a team's laptop (issue 15): each office's answers in its latest annual report, as the
        -- headquarters profile for teams carries them, so that a visit's PDF lists where the office
        -- claimed «بله» and the team found the item not compliant. Replaced by every profile import.
        CREATE TABLE self_report_claim (
            office_id TEXT NOT NULL,
            period TEXT NOT NULL,
            indicator_id TEXT NOT NULL,
            status TEXT NOT NULL,
            PRIMARY KEY (office_id, indicator_id)
        ) WITHOUT ROWID;
        """,
    ),
    (
        9,
        "a received bundle's answers document kept as sent, and who forwarded it",
        """
        -- issue 16: a provincial headquarters forwards what it accepted to the national one, which
        -- checks each office's own signature: the members the office signed must travel as they
        -- were, so the answers document is kept byte for byte (a blob, like the PDF and evidence).
        ALTER TABLE hq_submission ADD COLUMN answers_sha256 TEXT;
        -- at the national headquarters: the province that forwarded the submission (JSON: its id,
        -- name, when it received and accepted it, who accepted it); NULL when the office sent it
        ALTER TABLE hq_submission ADD COLUMN forwarded_by TEXT;
        """,
    ),
    (
        10,
        "sending over a line: the office's outbox; headquarters' intake uploads and signed receipts",
        """
        -- issue 18, at the office: every bundle queued for headquarters' intake service, how far its
        -- upload got, and headquarters' answer. A report is «ارسال شد» only once a signed receipt
        -- that accepts it is here. The bundle itself is a file in the outbox folder beside the database.
        CREATE TABLE outbox (
            bundle_id TEXT PRIMARY KEY,
            report_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            queued_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'queued',     -- queued, uploading, received, refused
            upload_url TEXT,                          -- the tus upload headquarters created for it
            sent_bytes INTEGER NOT NULL DEFAULT 0,    -- the offset headquarters last said it holds
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT,                          -- why the last attempt stopped (English; cleared on success)
            last_error_fa TEXT,
            receipt BLOB,                             -- headquarters' signed receipt, as received
            receipt_id TEXT,
            reason_code TEXT,                         -- a refusal's reason (the receipt's, or the door's)
            reason_en TEXT,
            reason_fa TEXT,
            answered_at TEXT
        );
        CREATE INDEX outbox_report ON outbox(report_id, revision);
        -- issue 18, at headquarters: tus uploads in progress (their bytes are files in the intake
        -- folder beside the database; the offset is the file's length)
        CREATE TABLE intake_upload (
            upload_id TEXT PRIMARY KEY,
            office_id TEXT NOT NULL,
            length INTEGER NOT NULL,
            sha256 TEXT,                              -- what the office says the bundle's SHA-256 is
            metadata TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'open'        -- open, complete, terminated, expired
        );
        CREATE INDEX intake_upload_office ON intake_upload(office_id, state);
        -- the signed receipt of every bundle that arrived whole, accepted or refused: the same
        -- bundle sent again gets the same receipt and is not imported twice
        CREATE TABLE intake_receipt (
            bundle_sha256 TEXT PRIMARY KEY,
            receipt_id TEXT NOT NULL UNIQUE,
            office_id TEXT NOT NULL,
            accepted INTEGER NOT NULL,
            receipt BLOB NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]
