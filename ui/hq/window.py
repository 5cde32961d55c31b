"""The headquarters main window: receive, completeness, review, analysis, ranking, exports.

Bundles can be dropped anywhere on the window. Heavy work (imports, the figures, exports) runs off
the GUI thread (``ui.hq.tasks``); the window's own connection serves the review's small reads and
writes. The headquarters keys are asked for (a password field) only when an action needs them —
import (the age key) and the signed feedback file (the CA key) — and kept in memory for the session.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.exchange.errors import BundleRefused, ExchangeError
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import identity as hq_identity
from citizen_rights_desktop.persian.jalali import to_jalali_text
from storage import hq_store
from storage.database import Database
from ui.hq import data
from ui.hq.analysis_page import AnalysisPage
from ui.hq.common import ask_passphrase, fa_digits, persian_error, show_error
from ui.hq.completeness import CompletenessPage
from ui.hq.filter_bar import FilterBar
from ui.hq.exports import CSV, PDF, TABLES, XLSX, ExportsPage, export_work
from ui.hq.ranking import RankingPage
from ui.hq.inspections_page import InspectionsPage
from ui.hq.period_bar import PeriodBar
from ui.hq.receive import ReceivePage, import_work, summary_text
from ui.hq.review import ReviewPage
from ui.hq.tasks import DatabaseTask, start

WINDOW_TITLE = "ستاد — گزارش‌های حقوق شهروندی در نظام اداری"
log = logging.getLogger("citizen_rights.hq_window")


class HQWindow(QMainWindow):
    refreshed = Signal()  # the pages show fresh figures
    import_done = Signal(object)  # [(path, ImportOutcome | BundleRefused)]
    export_done = Signal(object)  # the Persian message, or None after a failure

    TABS = ("receive", "completeness", "review", "analysis", "ranking", "inspections", "exports")

    def __init__(self, database: Database, catalog: FormCatalog, parent=None):
        super().__init__(parent)
        self.database = database
        self.db_path = Path(database.path)
        self.catalog = catalog
        data.prepare_catalog(database, catalog)  # the provinces' variants (issue 14), headquarters' deadlines
        self.form = catalog.latest()
        self.period = data.default_period(database, self.form)
        self.snapshot: data.Snapshot | None = None
        self._hq = None
        self._tasks: list = []
        self._generation = 0
        self.loading = self.importing = self.exporting = False
        self._refresh_after_import = False
        self.last_folder = Path.home()
        self.setWindowTitle(WINDOW_TITLE)
        self.resize(1366, 768)
        self.setAcceptDrops(True)

        central = QWidget()
        layout = QVBoxLayout(central)
        self.title = QLabel("")  # a line of its own: the quarterly report's title is long
        self.title.setTextFormat(Qt.RichText)
        self.title.setWordWrap(True)  # wraps rather than widen the window past the screen
        layout.addWidget(self.title)
        top = QHBoxLayout()
        self.period_bar = PeriodBar(data.report_kinds(catalog) or [self.form])  # the annual or the quarterly report (issue 16)
        self.kind_box, self.period_box = self.period_bar.kind_box, self.period_bar.period_box
        self.period_bar.kind_changed.connect(self.set_kind)
        self.period_bar.period_changed.connect(self._period_changed)
        top.addWidget(self.period_bar)
        self.filters = FilterBar()  # a province, a level: every page and export (issue 16)
        self.filters.changed.connect(self.refresh)
        top.addWidget(self.filters)
        top.addStretch(1)
        self.refresh_button = QPushButton("به‌روزرسانی")
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        self.tabs = QTabWidget()
        self.receive_page = ReceivePage(self)
        self.completeness_page = CompletenessPage(self)
        self.review_page = ReviewPage(self)
        self.analysis_page = AnalysisPage(self)
        self.ranking_page = RankingPage(self)
        self.inspections_page = InspectionsPage(self)
        self.exports_page = ExportsPage(self)
        self.exports_page.show_kind(self.form)
        self.completeness_page.open_submission.connect(self.open_submission)
        for page, label in (
            (self.receive_page, "دریافت بسته‌ها"),
            (self.completeness_page, "وضعیت ارسال"),
            (self.review_page, "بررسی گزارش‌ها"),
            (self.analysis_page, "تحلیل"),
            (self.ranking_page, "رتبه‌بندی"),
            (self.inspections_page, "بازرسی‌ها"),
            (self.exports_page, "خروجی‌ها"),
        ):
            self.tabs.addTab(page, label)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._fill_periods()
        self._show_title()
        self.refresh()

    # --- header and period ---------------------------------------------------------------------

    def _show_title(self) -> None:
        row = self.database.conn.execute("SELECT name FROM hq_identity WHERE id=1").fetchone()
        name = row[0] if row else "ستاد"
        try:
            due = to_jalali_text(self.form.due_date(self.period))  # the period's own deadline
        except ValueError:
            due = to_jalali_text(self.form.deadline)
        self.title.setText(f"<b>{name}</b> — {self.form.title} — " + fa_digits(f"{self.form.guideline_name}، مهلت ارسال {due}"))

    def _fill_periods(self) -> None:
        self.period_bar.fill_periods(self.form, data.periods(self.database, self.form), self.period)

    def _period_changed(self, period: str) -> None:
        if period and period != self.period:
            self.period = period
            self._show_title()
            self.refresh()

    def set_kind(self, form_id: str) -> None:
        """Analyse another kind of report (its newest form), from its default period."""
        if form_id == self.form.id:
            return
        self.form = self.catalog.latest(form_id)
        self.period = data.default_period(self.database, self.form)
        self.exports_page.show_kind(self.form)
        self._fill_periods()
        self._show_title()
        self.refresh()

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(self.TABS.index(name))

    # --- the figures ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute every page's figures off the GUI thread (after an import, on request)."""
        if self.importing:
            self._refresh_after_import = True
            return
        self._generation += 1
        generation = self._generation
        self.loading = True
        self.statusBar().showMessage("در حال محاسبه ارقام…")
        catalog, form, period, scope = self.catalog, self.form, self.period, self.filters.scope()
        task = DatabaseTask(self.db_path, lambda database, _task: data.load_snapshot(database, catalog, form, period, scope), "refresh")
        task.signals.finished.connect(lambda snapshot: self._snapshot_ready(generation, snapshot))
        task.signals.failed.connect(lambda message: self._snapshot_failed(generation, message))
        start(task, self._tasks)

    def _snapshot_ready(self, generation: int, snapshot: data.Snapshot) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        self.snapshot = snapshot
        self.completeness_page.show_result(snapshot.completeness, snapshot.unit_county)
        self.review_page.show_submissions(snapshot.submissions)
        self.analysis_page.show_snapshot(snapshot)
        self.ranking_page.show_snapshot(snapshot)
        reports = sum(snapshot.shares[None].reports.values())
        period = f"دوره {snapshot.period}" if snapshot.form.kind.period == "year" else snapshot.form.period_words(snapshot.period)
        self.statusBar().showMessage(fa_digits(f"{period}: {reports} گزارش جاری، {len(snapshot.completeness.units)} واحد گزارش‌دهنده"))
        self.loading = False
        self.inspections_page.invalidate()  # its roll-up: now if the tab is on screen, else when it is next shown
        self.refreshed.emit()

    def _snapshot_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.statusBar().clearMessage()
        self.show_error(message)
        self.refreshed.emit()

    def form_for(self, submission: hq_store.Submission):
        return self.catalog.get(submission.form_id, submission.form_version)

    # --- keys, dialogs, errors -----------------------------------------------------------------

    def ask_passphrase(self, purpose: str) -> str | None:
        return ask_passphrase(self, purpose)

    def hq_identity(self, purpose: str):
        """The headquarters identity with its private keys, asking the passphrase the first time."""
        if self._hq is not None:
            return self._hq
        try:
            hq_identity.hq_public(self.database)
        except ExchangeError as exc:
            self.show_error(exc.message_fa)
            return None
        passphrase = self.ask_passphrase(purpose)
        if not passphrase:
            return None
        QGuiApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            self._hq = hq_identity.load_hq(self.database, passphrase)
        except ExchangeError as exc:
            self.show_error(exc.message_fa)
            return None
        finally:
            del passphrase
            QGuiApplication.restoreOverrideCursor()
        return self._hq

    def forget_keys(self) -> None:
        self._hq = None

    def choose_save_file(self, title: str, default_name: str, filters: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, title, str(self.last_folder / default_name), filters)
        if path:
            self.last_folder = Path(path).parent
        return path or None

    def choose_folder(self, title: str) -> str | None:
        path = QFileDialog.getExistingDirectory(self, title, str(self.last_folder))
        if path:
            self.last_folder = Path(path)
        return path or None

    def choose_bundle_files(self) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(self, "انتخاب فایل‌های بسته گزارش", str(self.last_folder), "بسته گزارش (*.crb);;همه فایل‌ها (*)")
        if paths:
            self.last_folder = Path(paths[0]).parent
        return paths

    def show_error(self, text: str) -> None:
        show_error(self, text)

    def error(self, exc: BaseException) -> None:
        if not hasattr(exc, "message_fa"):
            log.error("hq window: %s", type(exc).__name__)  # never the message: it may hold report data
        self.show_error(persian_error(exc))

    def run_guarded(self, fn, success: str) -> bool:
        """Run a short action in the GUI thread; a failure is a Persian message, never a traceback."""
        try:
            fn()
        except Exception as exc:
            self.error(exc)
            return False
        self.statusBar().showMessage(success.replace("\n", " "), 15000)
        return True

    # --- receiving bundles ---------------------------------------------------------------------

    def choose_and_import_files(self) -> None:
        paths = self.choose_bundle_files()
        if paths:
            self.import_paths(paths)

    def choose_and_import_folder(self) -> None:
        folder = self.choose_folder("انتخاب پوشه بسته‌ها (مثلاً حافظه USB)")
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str | Path]) -> bool:
        """Import files and folders (their ``*.crb`` files) off the GUI thread; results on the receive page."""
        paths = [Path(p) for p in paths if str(p)]
        if not paths:
            return False
        if self.importing:
            self.show_error("دریافت قبلی هنوز تمام نشده است؛ کمی صبر کنید و دوباره تلاش کنید.")
            return False
        self.show_tab("receive")
        hq = self.hq_identity("برای باز کردن بسته‌ها، کلید رمزگشایی ستاد لازم است.")
        if hq is None:
            return False
        self.importing = True
        self.receive_page.started(fa_digits(f"در حال دریافت از {len(paths)} مورد انتخاب‌شده…"))
        task = DatabaseTask(self.db_path, import_work(hq, self.catalog, paths), "import")
        task.signals.progress.connect(self.receive_page.on_progress)
        task.signals.item.connect(lambda pair: self.receive_page.add_result(*pair))
        task.signals.finished.connect(self._import_finished)
        task.signals.failed.connect(self._import_failed)
        start(task, self._tasks)
        return True

    def _import_finished(self, results) -> None:
        self.importing = False
        self.receive_page.finished(summary_text(self.receive_page.results))
        changed = any(not isinstance(r, BundleRefused) and r.changed for _, r in results)
        if changed or self._refresh_after_import:
            self._refresh_after_import = False
            self._fill_periods()
            self.refresh()
        self.import_done.emit(results)

    def _import_failed(self, message: str) -> None:
        self.importing = False
        self.receive_page.finished(message)
        self.show_error(message)
        if self.receive_page.results or self._refresh_after_import:
            self._refresh_after_import = False
            self.refresh()
        self.import_done.emit([])

    @staticmethod
    def _dropped_paths(mime) -> list[str]:
        if mime is None or not mime.hasUrls():
            return []
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]

    def dragEnterEvent(self, event) -> None:
        if self._dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self._dropped_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = self._dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # --- review --------------------------------------------------------------------------------

    def open_submission(self, submission_id: str) -> None:
        self.show_tab("review")
        self.review_page.open(submission_id)

    def review_changed(self, submission_id: str, state: str) -> None:
        for row in self.snapshot.submissions if self.snapshot else []:
            if row.submission_id == submission_id:
                row.state = state
        self.review_page.show_submissions(self.snapshot.submissions if self.snapshot else [])

    # --- exports -------------------------------------------------------------------------------

    def choose_and_export(self, kind: str) -> None:
        period = self.period
        if kind == CSV:
            target = self.choose_folder("پوشه فایل‌های CSV")
        elif kind in (XLSX, TABLES):
            name = f"hq-{period}.xlsx" if kind == XLSX else f"hq-tables-{period}.xlsx"
            target = self.choose_save_file("ذخیره فایل اکسل", name, "اکسل (*.xlsx)")
        else:
            target = self.choose_save_file("ذخیره گزارش تحلیلی ملی", f"national-report-{period}.pdf", "PDF (*.pdf)")
        if target:
            self.export(kind, Path(target))

    def export(self, kind: str, target: Path) -> bool:
        if self.exporting:
            self.show_error("خروجی قبلی هنوز در حال ساخته شدن است.")
            return False
        if kind not in self.exports_page.allowed:
            self.show_error("این خروجی فعلاً فقط برای گزارش سالانه است؛ برای این نوع گزارش، «داده‌های جدول‌ها» را بسازید.")
            return False
        if kind in (XLSX, TABLES) and target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        if kind == PDF and target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        self.exporting = True
        self.show_tab("exports")
        self.exports_page.started()
        task = DatabaseTask(self.db_path, export_work(kind, target, self.catalog, self.form, self.period, self.filters.scope()), f"export-{kind}")
        task.signals.progress.connect(self.exports_page.on_progress)
        task.signals.finished.connect(self._export_finished)
        task.signals.failed.connect(self._export_failed)
        start(task, self._tasks)
        return True

    def _export_finished(self, message: str) -> None:
        self.exporting = False
        self.exports_page.finished(message)
        self.statusBar().showMessage(message.replace("\n", " "), 15000)
        self.export_done.emit(message)

    def _export_failed(self, message: str) -> None:
        self.exporting = False
        self.exports_page.finished(None)
        self.show_error(message)
        self.export_done.emit(None)
