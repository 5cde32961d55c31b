"""Backups of the reports database: the automatic ones (Jalali date, reason, size), restoring one
after a confirmation (a safety backup of the current state is taken first, by the core), and
«پشتیبان‌گیری اکنون» into a folder the clerk chooses (a USB drive, say)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from storage import backup
from ui import file_dialogs
from ui.adaptive import fit_to_screen, line_height
from ui.busy import busy_cursor
from ui.fields import wrapped_label
from ui.formatting import fa_message, file_size, jalali_datetime, ltr

REASONS = {
    "daily": "خودکار روزانه",
    "before-restore": "پیش از بازگردانی",
    "manual": "دستی",
}


def reason_text(reason: str) -> str:
    if reason.startswith("before-migration"):
        return "پیش از به‌روزرسانی برنامه"
    return REASONS.get(reason, reason)


class BackupsDialog(QDialog):
    restored = Signal(Path)  # the backup restored (the window reloads everything)

    def __init__(self, conn: sqlite3.Connection, db_path: Path, parent=None, before_restore=None):
        super().__init__(parent)
        self.conn, self.db_path = conn, Path(db_path)
        self.before_restore = before_restore  # e.g. close the open report (writes what is being typed)
        self.setWindowTitle("نسخه‌های پشتیبان")
        self.setLayoutDirection(Qt.RightToLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped_label(
                "برنامه هر روز و پیش از هر به‌روزرسانی از پایگاه داده نسخه پشتیبان می‌گیرد (هفت نسخه آخر نگه داشته می‌شود). "
                "با بازگردانی، همه گزارش‌ها به وضعیت آن نسخه برمی‌گردند؛ پیش از آن از وضعیت فعلی نیز نسخه پشتیبان گرفته می‌شود."
            )
        )
        self.folder_label = wrapped_label(f"پوشه نسخه‌های خودکار: {ltr(backup.backup_dir(self.db_path))}", css="color:#555;")
        layout.addWidget(self.folder_label)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["تاریخ و ساعت", "نوع", "اندازه"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(max(32, line_height(self.table, 12)))
        layout.addWidget(self.table, 1)
        self.empty = wrapped_label("هنوز نسخه پشتیبان خودکاری گرفته نشده است.", css="color:#555;")
        layout.addWidget(self.empty)
        buttons = QHBoxLayout()
        self.restore_button = QPushButton("بازگردانی این نسخه…")
        self.backup_button = QPushButton("پشتیبان‌گیری اکنون…")
        self.close_button = QPushButton("بستن")
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.backup_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        self.backup_button.clicked.connect(lambda: self.backup_now())
        self.close_button.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._selection)
        self.refresh()
        fit_to_screen(self, QSize(760, 460))  # a 1024×600 screen: never taller or wider than it

    def changeEvent(self, event) -> None:  # Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self.table.verticalHeader().setDefaultSectionSize(max(32, line_height(self.table, 12)))

    def refresh(self) -> None:
        self.backups = backup.list_backups(self.db_path)
        self.table.setRowCount(len(self.backups))
        for row, item in enumerate(self.backups):
            for column, text in enumerate((jalali_datetime(item.taken_at.isoformat()), reason_text(item.reason), file_size(item.size))):
                cell = QTableWidgetItem(text)
                cell.setTextAlignment(Qt.AlignCenter)
                cell.setToolTip(ltr(item.path))
                self.table.setItem(row, column, cell)
        self.empty.setVisible(not self.backups)
        if self.backups:
            self.select(0)
        self._selection()

    def select(self, row: int) -> None:
        self.table.setCurrentCell(row, 0)  # selects the whole row (SelectRows)

    def _selection(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def selected(self) -> backup.BackupFile | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def restore_selected(self) -> bool:
        chosen = self.selected()
        if chosen is None:
            return False
        answer = QMessageBox.question(
            self,
            "بازگردانی نسخه پشتیبان",
            f"همه گزارش‌ها به وضعیت {jalali_datetime(chosen.taken_at.isoformat())} برمی‌گردند و تغییرات بعد از آن کنار گذاشته می‌شود "
            "(از وضعیت فعلی پیش از بازگردانی نسخه پشتیبان گرفته می‌شود). ادامه می‌دهید؟",
            QMessageBox.Yes | QMessageBox.No,
            QMessageBox.No,
        )
        if answer != QMessageBox.Yes:
            return False
        if self.before_restore is not None:
            self.before_restore()
        try:
            with busy_cursor():  # the whole database is copied twice
                safety = backup.restore_backup(self.conn, self.db_path, chosen.path)
        except (sqlite3.Error, OSError):
            QMessageBox.critical(self, "خطا", "این نسخه پشتیبان آسیب دیده یا خواندنی نیست؛ پایگاه داده فعلی تغییری نکرد.")
            return False
        self.refresh()
        self.restored.emit(chosen.path)
        QMessageBox.information(self, "بازگردانی شد", fa_message(f"نسخه پشتیبان بازگردانی شد. وضعیت پیش از بازگردانی در این فایل نگه داشته شد:\n{ltr(safety)}"))
        return True

    def backup_now(self, folder: Path | None = None) -> Path | None:
        if folder is None:
            name = file_dialogs.choose_folder(self, "پوشه نسخه پشتیبان (مثلاً حافظه USB)", "backup")
            if not name:
                return None
            folder = Path(name)
        try:
            with busy_cursor():  # a copy of the whole database
                path = backup.take_backup(self.conn, self.db_path, reason="manual", folder=Path(folder))
        except (sqlite3.Error, OSError):
            QMessageBox.critical(self, "خطا", fa_message(f"نوشتن نسخه پشتیبان در «{ltr(folder)}» ممکن نشد."))
            return None
        QMessageBox.information(self, "پشتیبان‌گیری", fa_message(f"نسخه پشتیبان ذخیره شد:\n{ltr(path)}"))
        return path
