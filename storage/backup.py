"""Automatic and manual backups with SQLite's online backup API (consistent even while in use)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

KEEP_AUTOMATIC = 7
AUTOMATIC_PREFIX = "auto-"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    reason: str
    size: int


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def take_backup(conn: sqlite3.Connection, db_path: Path, reason: str = "daily", folder: Path | None = None) -> Path:
    """Copy the live database to ``folder`` (default: ``backups/`` beside it); returns the new file.

    Backups in the default folder are automatic and pruned to the last ``KEEP_AUTOMATIC``.
    """
    automatic = folder is None
    folder = folder or backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    prefix = AUTOMATIC_PREFIX if automatic else ""
    target = folder / f"{prefix}{db_path.stem}-{stamp}-{reason}.sqlite3"
    partial = target.with_suffix(".partial")
    destination = sqlite3.connect(str(partial))
    try:
        conn.backup(destination)
    finally:
        destination.close()
    partial.replace(target)
    if automatic:
        _prune(folder, db_path)
    return target


def list_backups(db_path: Path) -> list[BackupFile]:
    """Automatic backups of this database, newest first."""
    found = []
    for file in backup_dir(db_path).glob(f"{AUTOMATIC_PREFIX}{db_path.stem}-*.sqlite3"):
        parts = file.stem[len(AUTOMATIC_PREFIX) + len(db_path.stem) + 1 :].split("-", 3)
        try:
            taken = datetime.strptime("-".join(parts[:3]), "%Y%m%d-%H%M%S-%f")
        except ValueError:
            continue
        found.append(BackupFile(file, taken, parts[3] if len(parts) > 3 else "", file.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def daily_backup(conn: sqlite3.Connection, db_path: Path) -> Path | None:
    """Take today's automatic backup unless one exists already."""
    newest = list_backups(db_path)
    if newest and newest[0].taken_at.date() == datetime.now().date():
        return None
    return take_backup(conn, db_path, reason="daily")


def _prune(folder: Path, db_path: Path) -> None:
    for old in list_backups(db_path)[KEEP_AUTOMATIC:]:
        old.path.unlink(missing_ok=True)


def restore_backup(conn: sqlite3.Connection, db_path: Path, backup_file: Path) -> Path:
    """Replace the live database's content with a backup's; a backup of the current state is taken first."""
    safety = take_backup(conn, db_path, reason="before-restore")
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError(f"backup {backup_file} is damaged")
        source.backup(conn)
    finally:
        source.close()
    return safety
