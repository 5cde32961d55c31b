"""Reading and writing offices, reports, answers, table rows, evidence and the audit trail.

Each public write is one committed transaction, so what a call acknowledged survives a crash.
The store checks nothing about the form: that is ``citizen_rights_desktop.editing.editor``'s job.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import sqlite3
from collections.abc import Iterable

from citizen_rights_desktop.report.model import (
    HEADER,
    JUSTIFICATION_ITEM,
    REASON_ITEM,
    STATUS_ITEM,
    EvidenceRef,
    Report,
    ReportSummary,
    Row,
    SectionAnswer,
)
from citizen_rights_desktop.report.office import OfficeProfile
from storage.database import Database, DatabaseError, dump_json, new_id, utc_now
from storage.evidence_store import MAX_EVIDENCE_BYTES, Evidence, EvidenceTooLarge
from storage.table_rows import TableRows

__all__ = ["MAX_EVIDENCE_BYTES", "EvidenceTooLarge", "ReportLocked", "ReportNotFound", "ReportStore", "insert_report", "new_id"]


class ReportNotFound(DatabaseError):
    def __init__(self, report_id: str):
        super().__init__(f"no report with id {report_id!r} in this database", f"گزارشی با شناسه «{report_id}» وجود ندارد.")
        self.report_id = report_id


class ReportLocked(DatabaseError):
    def __init__(self, report_id: str, state: str):
        super().__init__(
            f"report {report_id} is {state} and can no longer be edited; create a new revision to change it",
            "این گزارش امضا یا ارسال شده و قابل ویرایش نیست؛ برای تغییر، ویرایش جدیدی از آن بسازید.",
        )


def insert_report(conn: sqlite3.Connection, report: Report, report_id: str, now: str, evidence_prefix: str = "") -> None:
    """Insert a report row and all its answers, table rows and evidence references as ``report_id``
    (the caller holds the transaction and has stored the evidence content). Headquarters stores a
    received report under its own id and prefixes evidence ids with it, so revisions never collide."""
    conn.execute(
        "INSERT INTO report (id, office_id, form_id, form_version, period, revision, state, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        (report_id, report.office_id, report.form_id, report.form_version, report.period, report.revision,
         report.state, report.created_at or now, report.updated_at or now),
    )  # fmt: skip
    items = [(HEADER, k, v) for k, v in report.header.items()]
    rows, evidence = [], []
    for section_id, section in report.sections.items():
        for item_id, value in ((STATUS_ITEM, section.status), (REASON_ITEM, section.reason), (JUSTIFICATION_ITEM, section.justification)):
            if value is not None:
                items.append((section_id, item_id, value))
        items.extend((section_id, k, v) for k, v in section.values.items())
        for table_id, table_rows in section.tables.items():
            rows.extend((report_id, section_id, table_id, row.id, i + 1, dump_json(row.cells), now) for i, row in enumerate(table_rows))
        evidence.extend(
            (f"{evidence_prefix}{ev.id}", report_id, section_id, ev.sha256, ev.name, ev.mime, ev.size, ev.added_at) for ev in section.evidence
        )
    conn.executemany(
        "INSERT INTO answer (report_id, section_id, item_id, value, updated_at) VALUES (?,?,?,?,?)",
        [(report_id, s, i, dump_json(v), now) for s, i, v in items],
    )
    conn.executemany("INSERT INTO table_row (report_id, section_id, table_id, row_id, position, cells, updated_at) VALUES (?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT INTO evidence (id, report_id, section_id, sha256, name, mime, size, added_at) VALUES (?,?,?,?,?,?,?,?)", evidence)


def place_answer(report: Report, section_id: str, item_id: str, value: object) -> None:
    """Put one stored answer item (``answer`` table) where it belongs in ``report``."""
    if section_id == HEADER:
        report.header[item_id] = value
        return
    section = report.sections.setdefault(section_id, SectionAnswer())
    if item_id == STATUS_ITEM:
        section.status = value
    elif item_id == REASON_ITEM:
        section.reason = value
    elif item_id == JUSTIFICATION_ITEM:
        section.justification = value
    else:
        section.values[item_id] = value


class ReportStore(TableRows, Evidence):
    """Offices, reports and their answers; table rows and evidence come from the two mixins."""

    def __init__(self, database: Database, actor: str | None = None):
        self.database = database
        self.conn = database.conn
        if actor is None:
            try:
                actor = getpass.getuser()
            except Exception:  # no user name in the environment (e.g. some service accounts)
                actor = "unknown"
        self.actor = actor

    # --- audit ------------------------------------------------------------------------------

    def _audit(self, report_id: str | None, action: str, target: str, old: object = None, new: object = None) -> None:
        self.conn.execute(
            "INSERT INTO audit (at, actor, report_id, action, target, old_value, new_value) VALUES (?,?,?,?,?,?,?)",
            (utc_now(), self.actor, report_id, action, target, None if old is None else dump_json(old), None if new is None else dump_json(new)),
        )

    def audit_trail(self, report_id: str) -> list[dict]:
        rows = self.conn.execute(
            "SELECT at, actor, action, target, old_value, new_value FROM audit WHERE report_id=? ORDER BY id", (report_id,)
        ).fetchall()
        keys = ("at", "actor", "action", "target", "old", "new")
        return [dict(zip(keys, row)) for row in rows]

    # --- office -----------------------------------------------------------------------------

    def save_office(self, office: OfficeProfile) -> str:
        office.id = office.id or new_id()
        now = utc_now()
        with self.database.transaction():
            old = self.conn.execute("SELECT 1 FROM office WHERE id=?", (office.id,)).fetchone()
            values = {k: getattr(office, k) for k in OfficeProfile.__dataclass_fields__}
            if old:
                sets = ", ".join(f"{k}=:{k}" for k in values if k != "id")
                self.conn.execute(f"UPDATE office SET {sets}, updated_at=:now WHERE id=:id", {**values, "now": now})
            else:
                self.conn.execute(
                    f"INSERT INTO office ({', '.join(values)}, created_at, updated_at) VALUES ({', '.join(':' + k for k in values)}, :now, :now)",
                    {**values, "now": now},
                )
            self._audit(None, "office", office.id, None, values)
        return office.id

    def get_office(self, office_id: str) -> OfficeProfile | None:
        fields = list(OfficeProfile.__dataclass_fields__)
        row = self.conn.execute(f"SELECT {', '.join(fields)} FROM office WHERE id=?", (office_id,)).fetchone()
        return OfficeProfile(**dict(zip(fields, row))) if row else None

    def offices(self) -> list[OfficeProfile]:
        fields = list(OfficeProfile.__dataclass_fields__)
        rows = self.conn.execute(f"SELECT {', '.join(fields)} FROM office ORDER BY created_at").fetchall()
        return [OfficeProfile(**dict(zip(fields, row))) for row in rows]

    # --- reports ----------------------------------------------------------------------------

    def create_report(self, office_id: str, form_id: str, form_version: str, period: str, report_id: str | None = None, revision: int = 1) -> str:
        report_id = report_id or new_id()
        now = utc_now()
        with self.database.transaction():
            self.conn.execute(
                "INSERT INTO report (id, office_id, form_id, form_version, period, revision, state, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?, 'draft', ?, ?)",
                (report_id, office_id, form_id, form_version, period, revision, now, now),
            )
            self._audit(report_id, "create", "report", None, {"form": form_id, "version": form_version, "period": period})
        return report_id

    def _report_row(self, report_id: str) -> tuple:
        row = self.conn.execute(
            "SELECT id, office_id, form_id, form_version, period, revision, state, created_at, updated_at FROM report WHERE id=?",
            (report_id,),
        ).fetchone()
        if row is None:
            raise ReportNotFound(report_id)
        return row

    def report_exists(self, report_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM report WHERE id=?", (report_id,)).fetchone() is not None

    def list_reports(self) -> list[ReportSummary]:
        rows = self.conn.execute(
            "SELECT r.id, r.office_id, COALESCE(o.agency, ''), r.form_id, r.form_version, r.period, r.revision, r.state,"
            " r.created_at, r.updated_at FROM report r LEFT JOIN office o ON o.id = r.office_id ORDER BY r.updated_at DESC"
        ).fetchall()
        return [ReportSummary(*row) for row in rows]

    def set_state(self, report_id: str, state: str) -> None:
        with self.database.transaction():
            old = self._report_row(report_id)[6]
            self.conn.execute("UPDATE report SET state=?, updated_at=? WHERE id=?", (state, utc_now(), report_id))
            self._audit(report_id, "state", "report", old, state)

    def mark_signed(self, report_id: str, pdf: bytes) -> None:
        """Keep the signed PDF of a report and lock the report, in one transaction."""
        sha = hashlib.sha256(pdf).hexdigest()
        now = utc_now()
        with self.database.transaction():
            old = self._report_row(report_id)[6]
            self.conn.execute("INSERT OR IGNORE INTO blob (sha256, size, data) VALUES (?,?,?)", (sha, len(pdf), sqlite3.Binary(pdf)))
            self.conn.execute(
                "INSERT OR REPLACE INTO signed_pdf (report_id, sha256, size, signed_at) VALUES (?,?,?,?)", (report_id, sha, len(pdf), now)
            )
            if old == "draft":
                self.conn.execute("UPDATE report SET state='signed', updated_at=? WHERE id=?", (now, report_id))
            self._audit(report_id, "sign", "report", old, {"pdf_sha256": sha, "size": len(pdf)})

    def signed_pdf(self, report_id: str) -> bytes | None:
        """The report's signed PDF as kept when it was signed, or ``None``."""
        row = self.conn.execute(
            "SELECT b.data FROM signed_pdf s JOIN blob b ON b.sha256 = s.sha256 WHERE s.report_id=?", (report_id,)
        ).fetchone()
        return bytes(row[0]) if row else None

    def load_report(self, report_id: str) -> Report:
        """The whole report in memory, in one read transaction (a consistent snapshot)."""
        own_transaction = not self.conn.in_transaction
        if own_transaction:
            self.conn.execute("BEGIN")
        try:
            row = self._report_row(report_id)
            report = Report(*row)
            for section_id, item_id, value in self.conn.execute(
                "SELECT section_id, item_id, value FROM answer WHERE report_id=?", (report_id,)
            ):
                place_answer(report, section_id, item_id, json.loads(value))
            for section_id, table_id, row_id, cells in self.conn.execute(
                "SELECT section_id, table_id, row_id, cells FROM table_row WHERE report_id=? ORDER BY section_id, table_id, position",
                (report_id,),
            ):
                section = report.sections.setdefault(section_id, SectionAnswer())
                section.tables.setdefault(table_id, []).append(Row(row_id, json.loads(cells)))
            for ev_id, section_id, sha, name, mime, size, added in self.conn.execute(
                "SELECT id, section_id, sha256, name, mime, size, added_at FROM evidence WHERE report_id=? ORDER BY added_at, id",
                (report_id,),
            ):
                section = report.sections.setdefault(section_id, SectionAnswer())
                section.evidence.append(EvidenceRef(ev_id, sha, name, size, mime, added))
        finally:
            if own_transaction:
                self.conn.execute("COMMIT")
        return report

    def _touch(self, report_id: str) -> None:
        """Refuse writes to a locked report, and mark the report changed."""
        row = self.conn.execute("SELECT state FROM report WHERE id=?", (report_id,)).fetchone()
        if row is None:
            raise ReportNotFound(report_id)
        if row[0] != "draft":
            raise ReportLocked(report_id, row[0])
        self.conn.execute("UPDATE report SET updated_at=? WHERE id=?", (utc_now(), report_id))

    # --- answers ----------------------------------------------------------------------------

    def set_item(self, report_id: str, section_id: str, item_id: str, value: object) -> None:
        """Store one answer item (``None`` clears it)."""
        target = f"{section_id}.{item_id}"
        with self.database.transaction():
            self._touch(report_id)
            old = self.conn.execute(
                "SELECT value FROM answer WHERE report_id=? AND section_id=? AND item_id=?", (report_id, section_id, item_id)
            ).fetchone()
            old_value = json.loads(old[0]) if old else None
            if value is None:
                self.conn.execute(
                    "DELETE FROM answer WHERE report_id=? AND section_id=? AND item_id=?", (report_id, section_id, item_id)
                )
            else:
                self.conn.execute(
                    "INSERT INTO answer (report_id, section_id, item_id, value, updated_at) VALUES (?,?,?,?,?)"
                    " ON CONFLICT (report_id, section_id, item_id) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at",
                    (report_id, section_id, item_id, dump_json(value), utc_now()),
                )
            if old_value != value:
                self._audit(report_id, "set", target, old_value, value)

    # --- whole reports ----------------------------------------------------------------------

    def write_report(self, report: Report, blobs: Iterable[bytes] = ()) -> None:
        """Create ``report`` with all its answers in one transaction (used by JSON import).

        Evidence content must already be in the database or be among ``blobs``.
        """
        now = utc_now()
        with self.database.transaction():
            for data in blobs:
                if len(data) > MAX_EVIDENCE_BYTES:
                    raise EvidenceTooLarge("(imported)", len(data))
                sha = hashlib.sha256(data).hexdigest()
                self.conn.execute("INSERT OR IGNORE INTO blob (sha256, size, data) VALUES (?,?,?)", (sha, len(data), sqlite3.Binary(data)))
            for section in report.sections.values():
                for ev in section.evidence:
                    if not self.has_blob(ev.sha256):
                        raise KeyError(f"evidence {ev.name!r} ({ev.sha256}) has no content")
            insert_report(self.conn, report, report.id, now)
            self._audit(report.id, "import", "report", None, {"form": report.form_id, "version": report.form_version})

    def delete_draft(self, report_id: str) -> None:
        """Delete a draft with its answers, rows and evidence, in one transaction. A signed or sent
        report is the office's record and is never deleted. Evidence content still used elsewhere
        (another report, the emblem) stays. The caller takes a backup first (``editing.report_list``)."""
        with self.database.transaction():
            state = self._report_row(report_id)[6]
            if state != "draft":
                raise DatabaseError(
                    f"report {report_id} is {state}: a signed or sent report is a record and is not deleted",
                    "گزارش امضاشده یا ارسال‌شده سند دستگاه است و حذف نمی‌شود.",
                )
            shas = [row[0] for row in self.conn.execute("SELECT DISTINCT sha256 FROM evidence WHERE report_id=?", (report_id,))]
            self.conn.execute("DELETE FROM report WHERE id=?", (report_id,))  # answers, rows, evidence, digest: ON DELETE CASCADE
            for sha in shas:
                self.conn.execute(
                    "DELETE FROM blob WHERE sha256=? AND NOT EXISTS (SELECT 1 FROM evidence WHERE sha256=?)"
                    " AND NOT EXISTS (SELECT 1 FROM office WHERE emblem_sha256=?)",
                    (sha, sha, sha),
                )
            self._audit(report_id, "delete", "report", {"state": state}, None)

    # --- revisions --------------------------------------------------------------------------

    def new_revision(self, report_id: str) -> str:
        """A new draft copying a signed (or exported) report's answers, rows and evidence, with
        revision + 1, in one transaction; the signed report stays as it was. Returns the new id."""
        new = new_id()
        now = utc_now()
        with self.database.transaction():
            row = self._report_row(report_id)
            office_id, form_id, form_version, period, revision, state = row[1], row[2], row[3], row[4], row[5], row[6]
            if state == "draft":
                raise DatabaseError(
                    f"report {report_id} is still a draft: edit it directly",
                    "این گزارش هنوز پیش‌نویس است و مستقیم قابل ویرایش است.",
                )
            latest = self.conn.execute(
                "SELECT COALESCE(MAX(revision), 0) FROM report WHERE office_id=? AND form_id=? AND period=?", (office_id, form_id, period)
            ).fetchone()[0]
            number = max(revision, latest) + 1
            self.conn.execute(
                "INSERT INTO report (id, office_id, form_id, form_version, period, revision, state, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?, 'draft', ?, ?)",
                (new, office_id, form_id, form_version, period, number, now, now),
            )
            self.conn.execute(
                "INSERT INTO answer (report_id, section_id, item_id, value, updated_at)"
                " SELECT ?, section_id, item_id, value, ? FROM answer WHERE report_id=?",
                (new, now, report_id),
            )
            self.conn.execute(
                "INSERT INTO table_row (report_id, section_id, table_id, row_id, position, cells, updated_at)"
                " SELECT ?, section_id, table_id, row_id, position, cells, ? FROM table_row WHERE report_id=?",
                (new, now, report_id),
            )
            for ev_id, section_id, sha, name, mime, size, added in self.conn.execute(
                "SELECT id, section_id, sha256, name, mime, size, added_at FROM evidence WHERE report_id=? ORDER BY added_at, id", (report_id,)
            ).fetchall():
                self.conn.execute(
                    "INSERT INTO evidence (id, report_id, section_id, sha256, name, mime, size, added_at) VALUES (?,?,?,?,?,?,?,?)",
                    # a derived id keeps the evidence's order (load_report sorts by added_at, id)
                    (f"{ev_id}-r{number}", new, section_id, sha, name, mime, size, added),
                )
            self._audit(new, "revise", "report", {"from": report_id, "revision": revision}, {"revision": number})
        return new
