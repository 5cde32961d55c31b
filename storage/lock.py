"""One running application per database: a second instance is refused instead of racing the first.

SQLite itself stays consistent with two writers, but two windows editing the same report would
overwrite each other's typing; an OS-level lock on ``<database>.lock`` prevents it and is released
by the OS even when the process is killed or the power goes.
"""

from __future__ import annotations

import os
from pathlib import Path

from storage.database import DatabaseError


class DatabaseInUse(DatabaseError):
    def __init__(self, path: Path):
        super().__init__(
            f"the database {path} is already open in another Citizen Rights Desktop window",
            "این پایگاه داده هم‌اکنون در پنجره دیگری از نرم‌افزار باز است؛ همان پنجره را به کار ببرید.",
        )


class InstanceLock:
    def __init__(self, db_path: str | Path):
        self.path = Path(str(db_path) + ".lock")
        self._handle = None

    def acquire(self) -> "InstanceLock":
        """Take the lock or raise ``DatabaseInUse``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - held for the life of the application
        try:
            if os.name == "nt":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise DatabaseInUse(Path(str(self.path)[: -len(".lock")])) from None
        self._handle = handle
        return self

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> "InstanceLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
