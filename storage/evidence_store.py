"""Evidence files: stored once by content (SHA-256) in ``blob``, referenced by each report section
that attaches them. Mixed into ``ReportStore`` (it uses the store's ``conn``, ``database``,
``_touch`` and ``_audit``)."""

from __future__ import annotations

import hashlib
import sqlite3

from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.model import EvidenceRef
from storage.database import DatabaseError, new_id, utc_now

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024


class EvidenceTooLarge(DatabaseError):
    def __init__(self, name: str, size: int):
        mb = size / (1024 * 1024)
        super().__init__(
            f"evidence file {name!r} is {mb:.1f} MB; the limit is {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB per file",
            f"حجم فایل «{name}» {to_persian_digits(round(mb, 1))} مگابایت است؛ حداکثر مجاز ۵۰ مگابایت برای هر فایل است.",
        )


class Evidence:
    # --- evidence ---------------------------------------------------------------------------

    def add_evidence(self, report_id: str, section_id: str, name: str, data: bytes, mime: str, evidence_id: str | None = None) -> EvidenceRef:
        if len(data) > MAX_EVIDENCE_BYTES:
            raise EvidenceTooLarge(name, len(data))
        sha = hashlib.sha256(data).hexdigest()
        ref = EvidenceRef(evidence_id or new_id(), sha, name, len(data), mime, utc_now())
        with self.database.transaction():
            self._touch(report_id)
            self.conn.execute("INSERT OR IGNORE INTO blob (sha256, size, data) VALUES (?,?,?)", (sha, len(data), sqlite3.Binary(data)))
            self.conn.execute(
                "INSERT INTO evidence (id, report_id, section_id, sha256, name, mime, size, added_at) VALUES (?,?,?,?,?,?,?,?)",
                (ref.id, report_id, section_id, sha, name, mime, ref.size, ref.added_at),
            )
            self._audit(report_id, "attach", f"{section_id}.evidence.{ref.id}", None, {"name": name, "sha256": sha, "size": ref.size})
        return ref

    def remove_evidence(self, report_id: str, evidence_id: str) -> None:
        with self.database.transaction():
            self._touch(report_id)
            row = self.conn.execute(
                "SELECT section_id, name, sha256 FROM evidence WHERE id=? AND report_id=?", (evidence_id, report_id)
            ).fetchone()
            if row is None:
                raise KeyError(f"no evidence {evidence_id} in report {report_id}")
            self.conn.execute("DELETE FROM evidence WHERE id=?", (evidence_id,))
            self.conn.execute(
                "DELETE FROM blob WHERE sha256=? AND NOT EXISTS (SELECT 1 FROM evidence WHERE sha256=?)"
                " AND NOT EXISTS (SELECT 1 FROM office WHERE emblem_sha256=?)",
                (row[2], row[2], row[2]),
            )
            self._audit(report_id, "detach", f"{row[0]}.evidence.{evidence_id}", {"name": row[1], "sha256": row[2]}, None)

    def has_blob(self, sha256: str) -> bool:
        return self.conn.execute("SELECT 1 FROM blob WHERE sha256=?", (sha256,)).fetchone() is not None

    def evidence_bytes(self, sha256: str) -> bytes:
        row = self.conn.execute("SELECT data FROM blob WHERE sha256=?", (sha256,)).fetchone()
        if row is None:
            raise KeyError(f"no evidence content with SHA-256 {sha256}")
        return bytes(row[0])
