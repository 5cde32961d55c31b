"""Headquarters' intake service bookkeeping (issue 18, migration 10): the tus uploads in progress
(``intake_upload``; their bytes are files in the intake folder, the offset is the file's length)
and the signed receipt of every bundle that arrived whole (``intake_receipt``).

Plain, portable SQL (no SQLite-only syntax: no ``INSERT OR …``, no ``RETURNING``): a server
database can take these tables over later. Times are UTC ISO 8601 texts of one fixed width
(``utc_text``), so comparing them as text compares the moments.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from storage.database import Database

OPEN, COMPLETE, TERMINATED, EXPIRED = "open", "complete", "terminated", "expired"


def utc_text(moment: dt.datetime) -> str:
    """``2025-01-31T08:15:00.000000Z``: always the same width, so text order is time order."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Upload:
    upload_id: str
    office_id: str
    length: int
    sha256: str | None
    metadata: dict[str, str]
    created_at: str
    expires_at: str
    state: str


_UPLOAD_COLUMNS = "upload_id, office_id, length, sha256, metadata, created_at, expires_at, state"


def _upload(row) -> Upload:
    try:
        metadata = json.loads(row[4])
    except ValueError:
        metadata = {}
    return Upload(row[0], row[1], int(row[2]), row[3], metadata if isinstance(metadata, dict) else {}, row[5], row[6], row[7])


def create_upload(database: Database, upload: Upload) -> None:
    with database.transaction() as conn:
        conn.execute(
            f"INSERT INTO intake_upload ({_UPLOAD_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
            (upload.upload_id, upload.office_id, upload.length, upload.sha256,
             json.dumps(upload.metadata, ensure_ascii=False, sort_keys=True), upload.created_at, upload.expires_at, upload.state),
        )  # fmt: skip


def get_upload(database: Database, upload_id: str) -> Upload | None:
    row = database.conn.execute(f"SELECT {_UPLOAD_COLUMNS} FROM intake_upload WHERE upload_id=?", (upload_id,)).fetchone()
    return _upload(row) if row else None


def set_state(database: Database, upload_id: str, state: str, only_if: str | None = OPEN) -> bool:
    """Move an upload to ``state`` (complete, terminated, expired); by default only an open one.
    Whether a row changed."""
    with database.transaction() as conn:
        if only_if is None:
            cursor = conn.execute("UPDATE intake_upload SET state=? WHERE upload_id=?", (state, upload_id))
        else:
            cursor = conn.execute("UPDATE intake_upload SET state=? WHERE upload_id=? AND state=?", (state, upload_id, only_if))
    return cursor.rowcount > 0


def mark_terminated(database: Database, upload_id: str) -> bool:
    return set_state(database, upload_id, TERMINATED)


def mark_expired(database: Database, upload_id: str) -> bool:
    return set_state(database, upload_id, EXPIRED)


def touch(database: Database, upload_id: str, expires_at: str) -> None:
    """A new expiry time for an open upload (bytes arrived)."""
    with database.transaction() as conn:
        conn.execute("UPDATE intake_upload SET expires_at=? WHERE upload_id=? AND state=?", (expires_at, upload_id, OPEN))


def open_uploads(database: Database, office_id: str | None = None) -> list[Upload]:
    if office_id is None:
        rows = database.conn.execute(f"SELECT {_UPLOAD_COLUMNS} FROM intake_upload WHERE state=? ORDER BY created_at", (OPEN,))
    else:
        rows = database.conn.execute(
            f"SELECT {_UPLOAD_COLUMNS} FROM intake_upload WHERE office_id=? AND state=? ORDER BY created_at", (office_id, OPEN)
        )
    return [_upload(row) for row in rows]


def count_open(database: Database, office_id: str | None = None) -> int:
    if office_id is None:
        return database.conn.execute("SELECT COUNT(*) FROM intake_upload WHERE state=?", (OPEN,)).fetchone()[0]
    return database.conn.execute("SELECT COUNT(*) FROM intake_upload WHERE office_id=? AND state=?", (office_id, OPEN)).fetchone()[0]


def reserved_bytes(database: Database) -> int:
    """The declared lengths of every open upload: what the intake folder may still have to hold."""
    return int(database.conn.execute("SELECT COALESCE(SUM(length), 0) FROM intake_upload WHERE state=?", (OPEN,)).fetchone()[0])


def list_expired(database: Database, now: str) -> list[Upload]:
    """Open uploads whose expiry time (``utc_text``) is before ``now``."""
    rows = database.conn.execute(
        f"SELECT {_UPLOAD_COLUMNS} FROM intake_upload WHERE state=? AND expires_at < ? ORDER BY expires_at", (OPEN, now)
    )
    return [_upload(row) for row in rows]


# --- receipts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredReceipt:
    bundle_sha256: str
    receipt_id: str
    office_id: str
    accepted: bool
    receipt: bytes
    created_at: str


def receipt_for(database: Database, bundle_sha256: str) -> StoredReceipt | None:
    row = database.conn.execute(
        "SELECT bundle_sha256, receipt_id, office_id, accepted, receipt, created_at FROM intake_receipt WHERE bundle_sha256=?",
        (bundle_sha256,),
    ).fetchone()
    return StoredReceipt(row[0], row[1], row[2], bool(row[3]), bytes(row[4]), row[5]) if row else None


def store_receipt(database: Database, receipt: StoredReceipt) -> StoredReceipt:
    """Keep a bundle's receipt; the receipt kept is returned. The first receipt of a bundle stays
    (the same bundle sent again gets the same receipt), except a refusal given to *another*
    office: the bundle's own office, sending it after someone replayed it, gets its own receipt."""
    with database.transaction() as conn:
        existing = receipt_for(database, receipt.bundle_sha256)
        if existing is not None and (existing.office_id == receipt.office_id or existing.accepted):
            return existing
        if existing is not None:
            conn.execute("DELETE FROM intake_receipt WHERE bundle_sha256=?", (receipt.bundle_sha256,))
        conn.execute(
            "INSERT INTO intake_receipt (bundle_sha256, receipt_id, office_id, accepted, receipt, created_at) VALUES (?,?,?,?,?,?)",
            (receipt.bundle_sha256, receipt.receipt_id, receipt.office_id, 1 if receipt.accepted else 0, receipt.receipt, receipt.created_at),
        )
    return receipt
