"""The office's outbox table (migration 10): bundles queued for headquarters' intake service, how
far each upload got, and headquarters' answer. Plain SQL; the workflow is ``exchange.outbox``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage.database import Database, utc_now

QUEUED, UPLOADING, RECEIVED, REFUSED = "queued", "uploading", "received", "refused"
ANSWERED = (RECEIVED, REFUSED)

_COLUMNS = (
    "bundle_id", "report_id", "revision", "file_name", "sha256", "size", "queued_at", "state", "upload_url", "sent_bytes",
    "attempts", "next_attempt_at", "last_error", "last_error_fa", "receipt", "receipt_id", "reason_code", "reason_en", "reason_fa", "answered_at",
)  # fmt: skip


@dataclass(frozen=True)
class OutboxEntry:
    bundle_id: str
    report_id: str
    revision: int
    file_name: str
    sha256: str
    size: int
    queued_at: str
    state: str
    upload_url: str | None
    sent_bytes: int
    attempts: int
    next_attempt_at: str | None
    last_error: str | None
    last_error_fa: str | None
    receipt: bytes | None
    receipt_id: str | None
    reason_code: str | None
    reason_en: str | None
    reason_fa: str | None
    answered_at: str | None

    @property
    def answered(self) -> bool:
        return self.state in ANSWERED

    @property
    def percent(self) -> int:
        """How much of the bundle headquarters holds (0-100)."""
        if self.state == RECEIVED or self.size <= 0:
            return 100 if self.state == RECEIVED else 0
        return min(100, self.sent_bytes * 100 // self.size)


def _entry(row: tuple[Any, ...]) -> OutboxEntry:
    values = list(row)
    values[14] = bytes(values[14]) if values[14] is not None else None
    return OutboxEntry(*values)


def add(database: Database, bundle_id: str, report_id: str, revision: int, file_name: str, sha256: str, size: int) -> None:
    with database.transaction() as conn:
        conn.execute(
            "INSERT INTO outbox (bundle_id, report_id, revision, file_name, sha256, size, queued_at) VALUES (?,?,?,?,?,?,?)",
            (bundle_id, report_id, revision, file_name, sha256, size, utc_now()),
        )


def entries(database: Database, report_id: str | None = None, pending_only: bool = False) -> list[OutboxEntry]:
    """Newest first."""
    where, params = [], []
    if report_id is not None:
        where.append("report_id = ?")
        params.append(report_id)
    if pending_only:
        where.append("state NOT IN (?, ?)")
        params.extend(ANSWERED)
    sql = f"SELECT {', '.join(_COLUMNS)} FROM outbox" + (f" WHERE {' AND '.join(where)}" if where else "")
    rows = database.conn.execute(sql + " ORDER BY queued_at DESC, rowid DESC", params).fetchall()
    return [_entry(r) for r in rows]


def get(database: Database, bundle_id: str) -> OutboxEntry | None:
    row = database.conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM outbox WHERE bundle_id = ?", (bundle_id,)).fetchone()
    return _entry(row) if row else None


def update(database: Database, bundle_id: str, **values: Any) -> None:
    """Set columns of one entry (names checked against the table's)."""
    unknown = set(values) - set(_COLUMNS)
    if unknown:
        raise ValueError(f"not outbox columns: {sorted(unknown)}")
    assignments = ", ".join(f"{k} = ?" for k in values)
    with database.transaction() as conn:
        conn.execute(f"UPDATE outbox SET {assignments} WHERE bundle_id = ?", (*values.values(), bundle_id))


def newest_file_export(database: Database, report_id: str) -> tuple[int, str, str] | None:
    """The report's newest bundle written to a folder, not one the outbox holds: (revision, when, file name)."""
    return database.conn.execute(
        "SELECT revision, exported_at, file_name FROM bundle_export WHERE report_id=? AND bundle_id NOT IN"
        " (SELECT bundle_id FROM outbox) ORDER BY exported_at DESC LIMIT 1",
        (report_id,),
    ).fetchone()


def setting(database: Database, key: str) -> str | None:
    row = database.conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_setting(database: Database, key: str, value: str | None) -> None:
    with database.transaction() as conn:
        if value is None:
            conn.execute("DELETE FROM setting WHERE key = ?", (key,))
        else:
            conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (key, value))
