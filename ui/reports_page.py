"""The reports list: every report with its guideline, period, status, completeness, last change
and days left to the deadline; new report, open, and start from an earlier report.

It fits a 1024×600 screen at any font size (issue 17): the buttons wrap onto more lines, the page
scrolls when it is taller than the window, and the table's columns share the table's width (words
wrap in a cell rather than pushing the send column off the screen).

The send column (issue 18) shows where each report's bundle stands (``ui.outbox_view``): its
colour says the state, its tooltip and the line under the table the receipt or the reason and what
to do; a strip above the table says when sending waits for the key's passphrase, with the button."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.editing.report_list import ReportListEntry
from citizen_rights_desktop.persian.text import to_persian_digits
from ui.adaptive import FlowLayout, line_height
from ui.fields import wrapped_label
from ui.formatting import days_left_text, fa_percent, jalali_datetime
from ui.outbox_view import SendCell

COLUMNS = ("دستگاه", "شیوه‌نامه", "دوره", "وضعیت", "درصد تکمیل", "آخرین تغییر", "مهلت باقی‌مانده", "ارسال و بازخورد ستاد")
STATUS_COLOURS = {"draft": "#e08a00", "complete": "#2e8b57", "signed": "#3f6fb5", "exported": "#6a4fb5"}
FLEXIBLE = (0, 1, 7)  # agency, guideline, exchange: they take the room to spare, and give it up first
FLEXIBLE_CHARS = {0: 6, 1: 3, 7: 6}  # letters a flexible column keeps (its cells wrap, or end with «…»)
# who gives up room first: the guideline's long title (the same for most reports), then the agency
# and the exchange, then period, status and percent; the last change and the days left last
ORDER = ((1,), (0, 7), (2, 3, 4), (5, 6))
MAX_LINES = 3  # a row is at most three lines tall
SEND_COLOURS = {"queued": "#3f6fb5", "uploading": "#3f6fb5", "received": "#2e7d32", "refused": "#b00020", "file": "#8a5a00"}


def _shrink(widths: list[int], target: list[int], group, available: int) -> None:
    """Narrow the columns of ``group`` toward ``target``, each by its share of the excess."""
    excess = sum(widths) - available
    room = sum(max(0, widths[c] - target[c]) for c in group)
    if excess <= 0 or room <= 0:
        return
    share = min(1.0, excess / room)
    for c in group:
        spare = max(0, widths[c] - target[c])
        widths[c] -= min(spare, math.ceil(spare * share))


def share_widths(available: int, natural: list[int], least: list[int], floor: list[int] | None = None) -> list[int]:
    """Column widths that add up to ``available``: each column's natural width when they fit (the
    flexible ones share what is left); else, group by group in ``ORDER``, each narrows toward its
    ``least`` (its widest word: text wraps), then again toward its ``floor`` (the widest word of
    its title: a cell's long word ends with «…», the title stays whole); below that all alike."""
    widths = list(natural)
    if sum(natural) <= available:
        extra = available - sum(natural)
        for i, column in enumerate(FLEXIBLE):
            widths[column] += extra // len(FLEXIBLE) + (extra % len(FLEXIBLE) if i == len(FLEXIBLE) - 1 else 0)
        return widths
    for target in (least, floor or least):
        for group in ORDER:
            _shrink(widths, target, group, available)
    if sum(widths) > available:
        factor = available / sum(widths)
        widths = [max(1, int(w * factor)) for w in widths]
    widths[FLEXIBLE[-1]] += available - sum(widths)  # rounding: the columns fill the table exactly
    return widths


class ReportsTable(QTableWidget):
    """The reports: columns fitted to the table's width whenever it or the font changes."""

    _fitted_width = -1

    def viewportEvent(self, event) -> bool:  # Qt's name
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Resize and self.viewport().width() != self._fitted_width:
            self.fit_columns()  # the table's width, or its scroll bar came or went
        return handled

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self.fit_columns()

    def _padding(self) -> int:
        return 8 + self.fontMetrics().averageCharWidth() // 2  # the cell's margins and a little air

    def _measure(self, column: int) -> tuple[int, int, int]:
        """(natural, least, floor): the widest line, and the widest word, of the column's title and
        cells (a flexible column may go below its widest word: its cells end with «…»), and the
        widest word of its title (which is never cut)."""
        cell, head = self.fontMetrics(), self.horizontalHeader().fontMetrics()
        texts = [(head, COLUMNS[column])]
        texts += [(cell, self.item(row, column).text()) for row in range(self.rowCount()) if self.item(row, column)]
        natural = max(metrics.horizontalAdvance(text) for metrics, text in texts)
        least = max(metrics.horizontalAdvance(word) for metrics, text in texts for word in text.split() or [""])
        floor = max(head.horizontalAdvance(word) for word in COLUMNS[column].split())
        if column in FLEXIBLE:
            least = max(floor, min(least, cell.averageCharWidth() * FLEXIBLE_CHARS[column]))
        return natural + self._padding(), least + self._padding(), floor + self._padding()

    def fit_columns(self) -> None:
        available = self.viewport().width()
        if available <= 0:
            return
        self._fitted_width = available
        measured = [self._measure(c) for c in range(self.columnCount())]
        widths = share_widths(available, *([m[i] for m in measured] for i in range(3)))
        for column, width in enumerate(widths):
            self.setColumnWidth(column, width)
        header = self.horizontalHeader()
        titles = max(header.fontMetrics().boundingRect(QRect(0, 0, max(1, w - 8), 10000), Qt.TextWordWrap, COLUMNS[c]).height()
                     for c, w in enumerate(widths))  # fmt: skip
        header.setFixedHeight(titles + 14)  # every title whole, on as many lines as its width needs
        row = line_height(self, 14)
        self.verticalHeader().setMinimumSectionSize(row)
        self.verticalHeader().setDefaultSectionSize(row)
        self.resizeRowsToContents()  # a wrapped cell shows its lines (a few reports: cheap) …
        tallest = MAX_LINES * self.fontMetrics().lineSpacing() + 14
        for r in range(self.rowCount()):  # … up to three: the rest ends with «…» (whole in the tooltip)
            if self.rowHeight(r) > tallest:
                self.setRowHeight(r, tallest)
        shown = sum(self.rowHeight(r) for r in range(min(2, self.rowCount())))  # room for two reports at least
        self.setMinimumHeight(header.height() + max(3 * row, shown) + 2 * self.frameWidth())
        if self.currentRow() >= 0:
            self.scrollToItem(self.item(self.currentRow(), 0))


class ReportsPage(QWidget):
    open_requested = Signal(str)
    new_requested = Signal()
    duplicate_requested = Signal(str)
    delete_requested = Signal(str)
    office_requested = Signal()
    action_requested = Signal(str, str)  # action name, report id
    send_note_clicked = Signal()  # the button of the strip above the table (e.g. the key's passphrase)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[ReportListEntry] = []
        self._send_details: dict[str, SendCell] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()  # taller than the window (a large font on 600 pixels): it scrolls
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        content = QWidget()
        self.scroll.setWidget(content)
        outer.addWidget(self.scroll)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 10, 10, 10)
        self.title_label = wrapped_label("گزارش‌ها", css="font-size: 17pt; font-weight: 600;")
        layout.addWidget(self.title_label)
        self.office_label = wrapped_label("", css="color: #555;")
        layout.addWidget(self.office_label)

        buttons = FlowLayout()  # wraps onto a second line rather than widening the window
        self.new_button = QPushButton("گزارش جدید")
        self.new_button.setStyleSheet("font-weight: 600;")
        self.open_button = QPushButton("باز کردن")
        self.duplicate_button = QPushButton("شروع از روی این گزارش (برای سال بعد)")
        self.delete_button = QPushButton("حذف پیش‌نویس…")
        self.office_button = QPushButton("مشخصات دستگاه…")
        for button in (self.new_button, self.open_button, self.duplicate_button, self.delete_button, self.office_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        # which guideline a new report follows (set by the window from the installed forms)
        self.guideline_label = wrapped_label("", css="color: #555;")
        self.guideline_label.setObjectName("new_report_guideline")
        self.guideline_label.hide()
        layout.addWidget(self.guideline_label)

        actions = FlowLayout()
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
        self.feedback_button = QPushButton("دریافت بازخورد ستاد…")
        self.feedback_button.clicked.connect(lambda: self.action_requested.emit("feedback", ""))
        actions.addWidget(self.feedback_button)
        layout.addLayout(actions)
        self.send_note = QFrame()  # sending waits (the key's passphrase) or failed: never a dialog
        self.send_note.setObjectName("send_note")
        note_row = QHBoxLayout(self.send_note)
        note_row.setContentsMargins(8, 4, 8, 4)
        self.send_note_label = wrapped_label("")
        self.send_note_button = QPushButton("")
        self.send_note_button.clicked.connect(self.send_note_clicked)
        note_row.addWidget(self.send_note_label, 1)
        note_row.addWidget(self.send_note_button)
        self.send_note.hide()
        layout.addWidget(self.send_note)

        self.table = ReportsTable(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)  # a narrow column wraps its words; the whole text is in the tooltip
        self.table.setTextElideMode(Qt.ElideRight)  # in right-to-left text: keeps the start
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # the columns share the width
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Fixed)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignCenter | Qt.TextWordWrap)
        header.setHighlightSections(False)  # a selected row would make every title bold (and wider)
        self.table.itemDoubleClicked.connect(lambda item: self.open_requested.emit(self.entries[item.row()].id))
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        self.send_detail = wrapped_label("", css="color: #444;")  # the selected report's receipt, or refusal and what to do
        self.send_detail.setObjectName("send_detail")
        self.send_detail.hide()
        layout.addWidget(self.send_detail)
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

    def set_send_note(self, text: str, button: str = "", error: bool = False) -> None:
        """The strip above the table (hidden when ``text`` is empty); ``button`` labels its button."""
        colours = ("#fdecea", "#f5c2c0") if error else ("#fff4d6", "#f0d58a")
        self.send_note.setStyleSheet(f"QFrame#send_note {{ background: {colours[0]}; border: 1px solid {colours[1]}; border-radius: 4px; }}")
        self.send_note_label.setText(text)
        self.send_note_button.setText(button)
        self.send_note_button.setVisible(bool(button))
        self.send_note.setVisible(bool(text))

    def _send_item(self, row: int, report_id: str, cell: SendCell | str) -> None:
        cell = cell if isinstance(cell, SendCell) else SendCell(cell)
        item = QTableWidgetItem(cell.text or "—")
        item.setToolTip("\n".join(t for t in (cell.text, cell.detail) if t) or "—")
        if cell.state in SEND_COLOURS:
            item.setForeground(QColor(SEND_COLOURS[cell.state]))
        self._send_details[report_id] = cell
        self.table.setItem(row, len(COLUMNS) - 1, item)

    def update_send_cell(self, report_id: str, cell: SendCell) -> None:
        """One report's send column, as its upload moves on (the table is not rebuilt)."""
        row = next((i for i, e in enumerate(self.entries) if e.id == report_id), None)
        if row is None:
            return
        self._send_item(row, report_id, cell)
        self.table.fit_columns()
        self._show_send_detail()

    def _show_send_detail(self) -> None:
        cell = self._send_details.get(self.selected_id() or "")
        detail = f"{cell.text.split('؛')[0]} — {cell.detail}" if cell is not None and cell.detail else ""
        colour = SEND_COLOURS["refused"] if cell is not None and cell.state == "refused" else "#444"
        self.send_detail.setStyleSheet(f"color: {colour};")
        self.send_detail.setText(detail)
        self.send_detail.setVisible(bool(detail))

    def set_entries(self, entries: list[ReportListEntry], select: str | None = None, exchange: dict[str, SendCell | str] | None = None) -> None:
        self.entries = entries
        exchange = exchange or {}
        self._send_details = {}
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            guideline = entry.guideline_title or f"{entry.form_id} {entry.form_version} (نصب نشده)"
            values = (
                entry.agency,
                guideline,
                (entry.period_fa or to_persian_digits(entry.period)).removeprefix("سال ")  # the column says it is a period
                + (f" (ویرایش {to_persian_digits(entry.revision)})" if entry.revision > 1 else ""),
                entry.status_fa,
                fa_percent(entry.completeness),
                jalali_datetime(entry.updated_at),
                days_left_text(entry.days_left) if entry.state == "draft" else "—",
            )
            self._send_item(row, entry.id, exchange.get(entry.id, ""))
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
        self.table.fit_columns()
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
        self._show_send_detail()

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
