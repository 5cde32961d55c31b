"""Receive page: bundles dropped on the window or chosen here, imported off the GUI thread, one
result line per file (imported / superseded / identical / older / refused, with the exact reason)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from citizen_rights_desktop.exchange.errors import BundleRefused, ExchangeError
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import importer as hq_import
from citizen_rights_desktop.hq.pdf_fast import validate_pending
from citizen_rights_desktop.hq.signer_trust import default_pdf_check
from storage.database import Database
from ui.hq.common import RAW_ROLE, fa_digits, item, item_table, to_item
from ui.hq.tasks import DatabaseTask

REFUSED = "refused"
RESULT_FA = {
    "imported": "ثبت شد",
    "superseded": "ثبت شد؛ جایگزین ویرایش قبلی",
    "identical": "تکراری؛ تغییری نکرد",
    "older": "ویرایش قدیمی‌تر؛ تغییری نکرد",
    REFUSED: "رد شد",
}
RESULT_COLOURS = {"imported": "#2e8b57", "superseded": "#2e8b57", "identical": "#5f6b7a", "older": "#e08a00", REFUSED: "#c0392b"}
COLUMNS = ["فایل", "نتیجه", "توضیح", "دستگاه", "ویرایش"]


class ReceivePage(QWidget):
    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window_ = window
        self.results: list[tuple[Path, str, str]] = []  # (file, status, message_fa) in arrival order
        layout = QVBoxLayout(self)
        drop = QLabel(
            "فایل‌های بسته گزارش (‎.crb‎) یا پوشه‌ای که آن‌ها را دارد (مثلاً حافظه USB) را روی این پنجره رها کنید،"
            " یا با دکمه‌های زیر انتخاب کنید. هر فایل جداگانه بررسی می‌شود و رد شدن یک فایل جلوی بقیه را نمی‌گیرد."
        )
        drop.setWordWrap(True)
        drop.setAlignment(Qt.AlignCenter)
        drop.setMinimumHeight(90)
        drop.setStyleSheet("QLabel { border: 2px dashed #8aa1c1; border-radius: 8px; padding: 12px; background: #f5f8fc; }")
        layout.addWidget(drop)
        buttons = QHBoxLayout()
        self.choose_files_button = QPushButton("انتخاب فایل‌های بسته…")
        self.choose_folder_button = QPushButton("انتخاب پوشه…")
        self.choose_files_button.clicked.connect(window.choose_and_import_files)
        self.choose_folder_button.clicked.connect(window.choose_and_import_folder)
        buttons.addWidget(self.choose_files_button)
        buttons.addWidget(self.choose_folder_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setFormat("%v از %m")
        layout.addWidget(self.progress)
        self.status = QLabel("")
        layout.addWidget(self.status)
        self.table = item_table(COLUMNS, stretch=2)  # grows a row per file as the import runs
        layout.addWidget(self.table, 1)

    # --- during an import ----------------------------------------------------------------------

    def started(self, count_text: str) -> None:
        self.results.clear()
        self.table.setRowCount(0)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText(count_text)
        self.choose_files_button.setEnabled(False)
        self.choose_folder_button.setEnabled(False)

    def on_progress(self, done: int, total: int, name: str) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat(fa_digits(f"{done} از {total}"))
        if name:
            self.status.setText(f"در حال بررسی «{name}»…")

    def add_result(self, path: Path, result) -> None:
        if isinstance(result, BundleRefused):
            status, message, agency, revision = REFUSED, result.message_fa, "", None
        else:
            status, message, agency, revision = result.status, result.message_fa, result.agency, result.revision
        self.results.append((Path(path), status, message))
        row = self.table.rowCount()
        self.table.insertRow(row)
        colour = RESULT_COLOURS.get(status)
        cells = [
            item(Path(path).name, raw=str(path), tooltip=str(path)),
            item(RESULT_FA.get(status, status), raw=status, colour=colour),
            item(fa_digits(message), raw=message, tooltip=fa_digits(message)),
            item(agency),
            item(fa_digits(revision) if revision is not None else "—", raw=revision, align_center=True),
        ]
        for column, cell in enumerate(cells):
            self.table.setItem(row, column, to_item(cell))
        self.table.scrollToBottom()

    def finished(self, summary: str) -> None:
        self.progress.setVisible(False)
        self.status.setText(summary)
        self.choose_files_button.setEnabled(True)
        self.choose_folder_button.setEnabled(True)

    def statuses(self) -> list[str]:
        return [self.table.item(r, 1).data(RAW_ROLE) for r in range(self.table.rowCount())]


def summary_text(results: list[tuple[Path, str, str]]) -> str:
    changed = sum(1 for _, s, _ in results if s in ("imported", "superseded"))
    unchanged = sum(1 for _, s, _ in results if s in ("identical", "older"))
    refused = sum(1 for _, s, _ in results if s == REFUSED)
    return fa_digits(f"{len(results)} فایل بررسی شد: {changed} ثبت شد، {unchanged} بدون تغییر، {refused} رد شد.")


def import_work(hq, catalog: FormCatalog, paths: list[Path]):
    """What ``citizen-rights hq import`` does, one result per file as it is committed."""

    def work(database: Database, task: DatabaseTask):
        files = hq_import.bundle_files(paths)
        if not files:
            raise ExchangeError("no_bundles", "no bundle files (*.crb) found", "در آنچه انتخاب شد فایل بسته‌ای (‎.crb‎) پیدا نشد.")
        task.progress(0, len(files), "")
        results = []
        with hq_import.Importer(database, hq, catalog, pdf_check="fast") as importer:  # PDFs fully validated just after
            # one process: the window's threads would make its workers spawned, a second each to start (hq.import_pool)
            for path, result in hq_import.import_paths(importer, files, lambda i, n, p: task.progress(i, n, p.name)):
                results.append((path, result))
                task.item((path, result))
            validate_pending(database, default_pdf_check(importer.trust.roots))
        task.progress(len(files), len(files), "")
        return results

    return work
