"""Exports page: the workbook (XLSX), the CSV folder and the national analytical report (PDF),
written off the GUI thread by the same functions as ``citizen-rights hq export``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.editing.digest import refresh_digests
from citizen_rights_desktop.hq.scope import apply_scope
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import completeness as hq_completeness
from citizen_rights_desktop.hq import export as hq_export
from storage import ReportStore
from ui.hq.common import fa_digits

XLSX, TABLES, CSV, PDF = "xlsx", "tables", "csv", "pdf"


def _prepare(database, catalog, form, period, task, scope=None):
    task.progress(0, 0, "به‌روزرسانی خلاصه گزارش‌ها…")
    refresh_digests(ReportStore(database, actor="headquarters"), catalog)
    apply_scope(database.conn, scope)  # the window's filters (issue 16)
    status = hq_completeness.completeness(database.conn, form, period)
    expected = {u.unit_id: u.name for u in status.units}
    extra = [hq_completeness.status_sheet(status), hq_completeness.province_sheet(status), hq_completeness.reminder_sheet(status)]
    return expected, extra


def export_work(kind: str, target: Path, catalog: FormCatalog, form, period: str, scope=None):
    """The function a ``DatabaseTask`` runs: what ``cmd_hq_export`` does, with progress."""

    def work(database, task):
        if kind == PDF:
            from citizen_rights_desktop.hq.national_report import render_national_report

            task.progress(0, 0, "ساختن گزارش تحلیلی ملی (PDF)…")
            refresh_digests(ReportStore(database, actor="headquarters"), catalog)
            apply_scope(database.conn, scope)
            row = database.conn.execute("SELECT name FROM hq_identity WHERE id=1").fetchone()
            result = render_national_report(database.conn, form, period, target, hq_name=row[0] if row else None)
            return fa_digits(f"گزارش تحلیلی ملی ({result.pages} صفحه) نوشته شد:\n") + str(result.path)
        expected, extra = _prepare(database, catalog, form, period, task, scope)
        if kind == XLSX:
            task.progress(0, 0, "نوشتن فایل اکسل…")
            path = hq_export.export_xlsx(database.conn, form, period, target, expected, extra)
            return f"فایل اکسل نوشته شد:\n{path}"
        if kind == TABLES:
            task.progress(0, 0, "نوشتن داده‌های جدول‌های گزارش‌دهی…")
            return f"فایل اکسل داده‌ها نوشته شد:\n{hq_export.export_tables_xlsx(database.conn, form, period, target)}"
        if kind == CSV:
            sheets = [*hq_export.sheets(database.conn, form, period, expected), *extra]
            for index, sheet in enumerate(sheets):
                task.progress(index, len(sheets), f"نوشتن «{sheet.name}.csv»…")
                hq_export.write_csv_sheet(sheet, Path(target) / f"{sheet.name}.csv")
            task.progress(len(sheets), len(sheets), "")
            return fa_digits(f"{len(sheets)} فایل CSV نوشته شد در:\n") + str(target)
        raise ExchangeError("bad_export", f"unknown export {kind}", "نوع خروجی نامعتبر است.")

    return work


class ExportsPage(QWidget):
    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window_ = window
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.buttons = {
            XLSX: QPushButton("خروجی اکسل (XLSX)…"),
            TABLES: QPushButton("داده‌های جدول‌ها (XLSX)…"),
            CSV: QPushButton("خروجی CSV (یک پوشه)…"),
            PDF: QPushButton("گزارش تحلیلی ملی (PDF)…"),
        }
        texts = {
            XLSX: "یک کتاب کار راست‌به‌چپ: سهم پاسخ‌ها، جدول محوری شاخص × استان، ارقام، رتبه‌بندی و وضعیت ارسال.",
            TABLES: "کتاب کار داده‌ها: یک برگه برای هر جدول گزارش‌دهی با همه ردیف‌های همه گزارش‌ها (بزرگ؛ ساختن آن زمان می‌برد).",
            CSV: "همان برگه‌ها، هر کدام یک فایل CSV با کدگذاری UTF-8 (با BOM) تا اکسل فارسی را درست نشان دهد.",
            PDF: "گزارش تحلیلی ملی روی سربرگ ستاد: ارسال گزارش‌ها، سهم پاسخ‌ها، نمودارها، جدول محوری، ارقام و رتبه‌بندی.",
        }
        for row, kind in enumerate((XLSX, TABLES, CSV, PDF)):
            button = self.buttons[kind]
            button.setMinimumWidth(230)
            button.clicked.connect(lambda _checked=False, k=kind: window.choose_and_export(k))
            grid.addWidget(button, row, 0)
            label = QLabel(texts[kind])
            label.setWordWrap(True)
            grid.addWidget(label, row, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addWidget(QLabel("خروجی‌های این نشست:"))
        self.log = QTextBrowser()
        layout.addWidget(self.log, 1)
        self.allowed = set(self.buttons)

    def show_kind(self, form) -> None:
        """Only the exports that handle the kind of report chosen: the workbook, CSV files and PDF
        lay out the annual report's answers (``hq.export``); a quarterly report's tables export."""
        self.allowed = set(self.buttons) if form.kind.period == "year" else {TABLES}
        for kind, button in self.buttons.items():
            button.setEnabled(kind in self.allowed)
            button.setToolTip("" if kind in self.allowed else "این خروجی فعلاً فقط برای گزارش سالانه است.")

    def started(self) -> None:
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        for button in self.buttons.values():
            button.setEnabled(False)

    def on_progress(self, done: int, total: int, text: str) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        else:
            self.progress.setRange(0, 0)
        if text:
            self.status.setText(text)

    def finished(self, message: str | None) -> None:
        self.progress.setVisible(False)
        for kind, button in self.buttons.items():
            button.setEnabled(kind in self.allowed)
        self.status.setText(message or "")
        if message:
            self.log.append(message.replace("\n", " "))
