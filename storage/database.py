"""Opening the local SQLite database safely: WAL, full sync, migrations with a backup first.

Every write the application acknowledges is committed before the call returns, with
``synchronous=FULL`` so that neither a killed process nor a power cut loses it.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from storage import backup
from storage.migrations import LATEST_VERSION, MIGRATIONS


class DatabaseError(Exception):
    """A database problem the user must be told about; carries an English and a Persian message."""

    def __init__(self, message_en: str, message_fa: str):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_fa = message_fa


class DatabaseUnreadable(DatabaseError):
    pass


class DatabaseTooNew(DatabaseError):
    pass


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass
class Database:
    path: Path
    conn: sqlite3.Connection
    _savepoints: int = 0

    @property
    def db(self) -> "sqlite_utils.Database":  # noqa: F821 - imported lazily below
        """The same connection through sqlite-utils, for scripting and inspection at headquarters.

        The application's own writes are plain SQL because each must control its transaction;
        the import is lazy because it costs about 0.1 s of start-up.
        """
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed on leaving the block (rolled back on error).

        Inside another transaction it is a savepoint: an error undoes only this block, and
        nothing is durable until the outermost block commits (how a batch import shares one
        synced commit among many bundles without letting a refused one leave anything behind).
        """
        if self.conn.in_transaction:
            self._savepoints += 1
            name = f"nested_{self._savepoints}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            self.conn.execute(f"RELEASE {name}")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def schema_version(self) -> int:
        return _schema_version(self.conn)

    def close(self) -> None:
        self.conn.close()


def _schema_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'").fetchone()
    if not exists:
        return 0
    return conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]


def _unreadable(path: Path, exc: Exception) -> DatabaseUnreadable:
    return DatabaseUnreadable(
        f"cannot open the database {path}: {exc}. The file was left untouched; restore a backup or choose another file.",
        f"پایگاه داده «{path}» قابل خواندن نیست. فایل دست‌نخورده باقی ماند؛ یک نسخه پشتیبان را بازگردانید یا فایل دیگری انتخاب کنید.",
    )


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=10, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def open_database(path: str | Path, take_backups: bool = True) -> Database:
    """Open (creating if needed) and migrate the database at ``path``.

    Raises ``DatabaseUnreadable`` for a file that is not a usable SQLite database and
    ``DatabaseTooNew`` for one written by a newer version of the application; the file is never
    modified in either case.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    try:
        conn = connect(path)
        version = _schema_version(conn)
    except sqlite3.Error as exc:
        raise _unreadable(path, exc) from None
    if version > LATEST_VERSION:
        conn.close()
        raise DatabaseTooNew(
            f"the database {path} was written by a newer version of Citizen Rights Desktop "
            f"(schema {version}, this version knows up to {LATEST_VERSION}); install the newer version to open it",
            "این پایگاه داده با نسخه جدیدتری از نرم‌افزار ساخته شده است؛ برای باز کردن آن نسخه جدید را نصب کنید.",
        )
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        pending = [m for m in MIGRATIONS if m[0] > version]
        if pending and version > 0 and take_backups:
            backup.take_backup(conn, path, reason=f"before-migration-{pending[0][0]}")
        for number, name, sql in pending:
            _apply(conn, number, name, sql)
        database = Database(path, conn)
        if take_backups and version > 0:
            backup.daily_backup(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise _unreadable(path, exc) from None
    return database


def _apply(conn: sqlite3.Connection, number: int, name: str, sql: str) -> None:
    script = (
        "BEGIN IMMEDIATE;\n"
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);\n"
        f"{sql}\n"
    )
    try:
        conn.executescript(script)
        conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", (number, name, utc_now()))
        conn.execute("COMMIT")
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def new_id() -> str:
    return uuid.uuid4().hex


def dump_json(value: object) -> str:
    """Compact JSON as stored in answer, row and audit columns."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
