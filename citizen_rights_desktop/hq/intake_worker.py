"""A thread that owns one database connection, for the intake service's event loop (issue 18).

The event loop never touches the database itself: it hands a function to a ``DatabaseThread`` and
awaits it (``run_in_executor``), so a slow query, a lock held by an import or an fsync never stops
the other uploads. The service has two: the door (checks and bookkeeping, each a few
milliseconds) and the importer (verifying and storing bundles, one at a time), so an import never
makes a HEAD wait.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from storage.database import Database, open_database

T = TypeVar("T")


class DatabaseThread:
    def __init__(self, database_path: str | Path, name: str, synced_commits: bool = True):
        """``synced_commits=False``: this connection's commits are not fsynced one by one (SQLite's
        ``synchronous=NORMAL`` in WAL mode: durable at the next synced commit or checkpoint, never
        corrupt). For the door's bookkeeping only: an upload row lost to a power cut costs the
        office one new upload, while receipts and imports stay fully synced."""
        self.database_path = Path(database_path)
        self.synced_commits = synced_commits
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._database: Database | None = None

    def _database_here(self) -> Database:
        """The connection, opened in the thread on first use."""
        if self._database is None:
            self._database = open_database(self.database_path, take_backups=False)
            if not self.synced_commits:
                self._database.conn.execute("PRAGMA synchronous=NORMAL")
        return self._database

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(database, *args)`` in the thread; the loop goes on meanwhile."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(self._in_thread, function, args))

    def _in_thread(self, function: Callable[..., T], args: tuple) -> T:
        return function(self._database_here(), *args)

    def close(self) -> None:
        def closing() -> None:
            if self._database is not None:
                self._database.close()
                self._database = None

        try:
            self._executor.submit(closing).result()
        except RuntimeError:  # already shut down
            pass
        self._executor.shutdown(wait=True)
