"""Work that must not freeze the window: loading a report, attaching files.

Each task opens its own SQLite connection (the database is in WAL mode, so the window's
connection keeps working), does the work, and reports back through Qt signals, which are
delivered in the GUI thread. No task touches a widget.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from citizen_rights_desktop.editing.editor import EvidenceUnreadable, ReportEditor
from citizen_rights_desktop.form.catalog import FormCatalog, FormNotFound
from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.report.validation import validate_report
from storage import DatabaseError, ReportStore
from storage.database import Database, connect
from ui.session import persian_message


class TaskSignals(QObject):
    progress = Signal(int, int)  # done, total (0 when not known)
    step = Signal(str)  # the label of a new step of the work (e.g. «preparing the pages for the printer»)
    finished = Signal(object)
    failed = Signal(str)


def _store(db_path: Path) -> ReportStore:
    conn = connect(db_path)
    return ReportStore(Database(db_path, conn))


class LoadReportTask(QRunnable):
    """Reads a whole report and validates it; ``finished`` gets ``(report, form, validation)``."""

    def __init__(self, db_path: Path, catalog: FormCatalog, report_id: str):
        super().__init__()
        self.db_path, self.catalog, self.report_id = Path(db_path), catalog, report_id
        self.signals = TaskSignals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            store = _store(self.db_path)
            try:
                report = store.load_report(self.report_id)
            finally:
                store.database.close()
            form = self.catalog.get(report.form_id, report.form_version)
            result = validate_report(form, report)
        except (DatabaseError, FormNotFound, sqlite3.Error, KeyError) as exc:
            self.signals.failed.emit(persian_message(exc))
            return
        self.signals.finished.emit((report, form, result))


class AttachTask(QRunnable):
    """Attaches files to one section; ``finished`` gets ``(section_id, [EvidenceRef], [messages])``."""

    def __init__(self, db_path: Path, form: FormDefinition, report_id: str, section_id: str, paths: list[Path]):
        super().__init__()
        self.db_path, self.form, self.report_id = Path(db_path), form, report_id
        self.section_id, self.paths = section_id, [Path(p) for p in paths]
        self.signals = TaskSignals()
        self.setAutoDelete(False)

    def run(self) -> None:
        refs, messages = [], []
        try:
            store = _store(self.db_path)
        except sqlite3.Error as exc:
            self.signals.failed.emit(persian_message(exc))
            return
        try:
            editor = ReportEditor(store, self.form, self.report_id)
            for index, path in enumerate(self.paths):
                try:
                    refs.append(editor.attach_evidence(self.section_id, path))
                except (DatabaseError, EvidenceUnreadable, sqlite3.Error) as exc:
                    messages.append(persian_message(exc))
                self.signals.progress.emit(index + 1, len(self.paths))
        except (DatabaseError, sqlite3.Error) as exc:
            messages.append(persian_message(exc))
        finally:
            store.database.close()
        self.signals.finished.emit((self.section_id, refs, messages))


def start(task: QRunnable, keep: list) -> None:
    """Run ``task`` on the global pool, keeping a reference until it finishes."""
    keep.append(task)
    signals = task.signals

    def release(*_args) -> None:
        if task in keep:
            keep.remove(task)

    signals.finished.connect(release)
    signals.failed.connect(release)
    QThreadPool.globalInstance().start(task)
