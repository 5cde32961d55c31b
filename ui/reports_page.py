"""The reports list: every report with its guideline, period, status, completeness, last change
and days left to the deadline; new report, open, and start from an earlier report."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.editing.report_list import ReportListEntry
from citizen_rights_desktop.persian.text import to_persian_digits
from ui.fields import wrapped_label
from ui.formatting import days_left_text, fa_percent, jalali_datetime

COLUMNS = ("دستگاه", "شیوه‌نامه", "دوره", "وضعیت", "درصد تکمیل", "آخرین تغییر", "مهلت باقی‌مانده", "ارسال و بازخورد ستاد")
STATUS_COLOURS = {"draft": "#e08a00", "complete": "#2e8b57", "signed": "#3f6fb5", "exported": "#6a4fb5"}


class ReportsPage(QWidget):
    open_requested = Signal(str)
    new_requested = Signal()
    duplicate_requested = Signal(str)
    delete_requested = Signal(str)
    office_requested = Signal()
    action_requested = Signal(str, str)  # action name, report id

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[ReportListEntry] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(wrapped_label("گزارش‌ها", css="font-size: 17pt; font-weight: 600;"))
        self.office_label = wrapped_label("", css="color: #555;")
        layout.addWidget(self.office_label)

        buttons = QHBoxLayout()
        self.new_button = QPushButton("گزارش جدید")
        self.new_button.setStyleSheet("font-weight: 600;")
        self.open_button = QPushButton("باز کردن")
        self.duplicate_button = QPushButton("شروع از روی این گزارش (برای سال بعد)")
        self.delete_button = QPushButton("حذف پیش‌نویس…")
        self.office_button = QPushButton("مشخصات دستگاه…")
        for button in (self.new_button, self.open_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.office_button)
        layout.addLayout(buttons)
        # which guideline a new report follows (set by the window from the installed forms)
        self.guideline_label = wrapped_label("", css="color: #555;")
        self.guideline_label.setObjectName("new_report_guideline")
        self.guideline_label.hide()
        layout.addWidget(self.guideline_label)

        actions = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        for name, text in (
            ("preview", "پیش‌نمایش"),
            ("print", "چاپ…"),
            ("sign", "ذخیره PDF امضاشده…"),
            ("bundle", "ارسال بسته…"),
            ("revision", "ویرایش جدید"),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, n=name: self._action(n))
            self.action_buttons[name] = button
            actions.addWidget(button)
        actions.addStretch(1)
        self.feedback_button = QPushButton("دریافت بازخورد ستاد…")
        self.feedback_button.clicked.connect(lambda: self.action_requested.emit("feedback", ""))
        actions.addWidget(self.feedback_button)
        layout.addLayout(actions)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideRight)  # in right-to-left text: keeps the start
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        for column, width in ((0, 240), (2, 90), (3, 90), (4, 90), (5, 130), (6, 120), (7, 360)):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.table.itemDoubleClicked.connect(lambda item: self.open_requested.emit(self.entries[item.row()].id))
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        self.empty_label = wrapped_label("هنوز گزارشی ساخته نشده است. با «گزارش جدید» شروع کنید.", css="color: #555;")
        layout.addWidget(self.empty_label)

        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self._open_clicked)
        self.duplicate_button.clicked.connect(self._duplicate_clicked)
        self.delete_button.clicked.connect(lambda: self.selected_id() and self.delete_requested.emit(self.selected_id()))
        self.office_button.clicked.connect(self.office_requested)
        self._selection_changed()

    def set_office_text(self, text: str) -> None:
        self.office_label.setText(text)

    def set_guideline_text(self, text: str) -> None:
        """«گزارش جدید بر پایه شیوه نامه سال … (نسخه …) تنظیم می‌شود.» under the buttons and on «گزارش جدید»."""
        self.guideline_label.setText(text)
        self.guideline_label.setVisible(bool(text))
        self.new_button.setToolTip(text)

    def set_entries(self, entries: list[ReportListEntry], select: str | None = None, exchange: dict[str, str] | None = None) -> None:
        self.entries = entries
        exchange = exchange or {}
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            guideline = entry.guideline_title or f"{entry.form_id} {entry.form_version} (نصب نشده)"
            values = (
                entry.agency,
                guideline,
                to_persian_digits(entry.period) + (f" (ویرایش {to_persian_digits(entry.revision)})" if entry.revision > 1 else ""),
                entry.status_fa,
                fa_percent(entry.completeness),
                jalali_datetime(entry.updated_at),
                days_left_text(entry.days_left) if entry.state == "draft" else "—",
                exchange.get(entry.id, "") or "—",
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column in (2, 3, 4, 5, 6):
                    item.setTextAlignment(Qt.AlignCenter)
                if column == 3:
                    item.setForeground(QColor(STATUS_COLOURS.get(entry.status, "#000")))
                if column == 6 and entry.state == "draft" and entry.days_left is not None and entry.days_left < 0:
                    item.setForeground(QColor("#b00020"))
                self.table.setItem(row, column, item)
        self.empty_label.setVisible(not entries)
        target = next((i for i, e in enumerate(entries) if e.id == select), 0 if entries else None)
        if target is not None:
            self.table.setCurrentCell(target, 0)  # selects the row (SelectRows)
        self._selection_changed()

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.entries[rows[0].row()].id

    def _selection_changed(self) -> None:
        has = self.selected_id() is not None
        self.open_button.setEnabled(has)
        self.duplicate_button.setEnabled(has)
        entry = self.selected_entry()
        locked = entry is not None and entry.state != "draft"
        self.delete_button.setEnabled(has and not locked)  # a signed or sent report is a record: never deleted
        for name, button in self.action_buttons.items():
            button.setEnabled(has and (locked or name not in ("bundle", "revision")))

    def selected_entry(self) -> ReportListEntry | None:
        selected = self.selected_id()
        return next((e for e in self.entries if e.id == selected), None)

    def _action(self, name: str) -> None:
        report_id = self.selected_id()
        if report_id:
            self.action_requested.emit(name, report_id)

    def _open_clicked(self) -> None:
        report_id = self.selected_id()
        if report_id:
            self.open_requested.emit(report_id)

    def _duplicate_clicked(self) -> None:
        report_id = self.selected_id()
        if report_id:
            self.duplicate_requested.emit(report_id)
