"""Headquarters work off the GUI thread: imports, analysis, exports.

Each task opens its own connection to the headquarters database (WAL mode: the window's connection
keeps working), runs one function and reports through Qt signals, delivered in the GUI thread.
No task touches a widget. A failure becomes a Persian message, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from storage.database import Database, connect
from ui.hq.common import persian_error

log = logging.getLogger("citizen_rights.hq_window")


class TaskSignals(QObject):
    progress = Signal(int, int, str)  # done, total (0: unknown), what is being done (Persian)
    item = Signal(object)  # one partial result (e.g. one imported file)
    finished = Signal(object)
    failed = Signal(str)


class DatabaseTask(QRunnable):
    """Runs ``work(database, report)`` on its own connection; ``report`` is the task itself
    (``report.progress(done, total, text)``, ``report.item(value)``)."""

    def __init__(self, db_path: Path, work: Callable[[Database, "DatabaseTask"], Any], name: str = "task"):
        super().__init__()
        self.db_path, self.work, self.name = Path(db_path), work, name
        self.signals = TaskSignals()
        self.setAutoDelete(False)

    def progress(self, done: int, total: int, text: str = "") -> None:
        self.signals.progress.emit(done, total, text)

    def item(self, value: object) -> None:
        self.signals.item.emit(value)

    def run(self) -> None:
        database = None
        try:
            database = Database(self.db_path, connect(self.db_path))
            result = self.work(database, self)
        except Exception as exc:  # every failure ends as a Persian message in the window
            if not hasattr(exc, "message_fa"):
                # type and place only: messages may hold data from the reports
                log.error("%s failed: %s at %s", self.name, type(exc).__name__, _where(exc))
            self._emit(self.signals.failed, persian_error(exc))
            return
        finally:
            if database is not None:
                database.close()
        self._emit(self.signals.finished, result)

    @staticmethod
    def _emit(signal, value) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the window was closed while the task ran: nobody is listening
            pass


def _where(exc: BaseException) -> str:
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb is not None else "?"


def start(task: DatabaseTask, keep: list) -> None:
    """Run ``task`` on the global pool, keeping a reference until it has finished."""
    keep.append(task)

    def release(*_args) -> None:
        if task in keep:
            keep.remove(task)

    task.signals.finished.connect(release)
    task.signals.failed.connect(release)
    QThreadPool.globalInstance().start(task)
