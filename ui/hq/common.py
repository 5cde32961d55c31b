"""Small pieces shared by the headquarters pages: Persian digits in text, table cells, messages,
the passphrase dialog."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.formatting import fa_number

GENERIC_ERROR_FA = "این کار انجام نشد؛ خطای پیش‌بینی‌نشده‌ای رخ داد. داده‌های ذخیره‌شده سالم است؛ دوباره تلاش کنید."
_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
RAW_ROLE = Qt.UserRole + 1  # the unformatted value of a cell (numbers, ids), for sorting and tests

STATUS_COLOURS = {"on_time": "#2e8b57", "late": "#e08a00", "missing": "#c0392b"}


def fa_digits(text: object) -> str:
    """Latin digits of a text as Persian digits; nothing else changes (unlike ``to_persian_digits``,
    which also turns a full stop into the decimal separator)."""
    return str(text).translate(_DIGITS)


def fa_int(value: int | None) -> str:
    return "—" if value is None else fa_digits(value)


def fa_pct(value: float | None, decimals: int = 1) -> str:
    return "—" if value is None else f"{fa_number(round(value, decimals), decimals)}٪"


def persian_error(exc: BaseException) -> str:
    """The Persian message of a core error (they all carry ``message_fa``), else a generic one."""
    message = getattr(exc, "message_fa", None)
    if message:
        return message
    if isinstance(exc, sqlite3.Error):
        return "پایگاه داده در دسترس نیست یا قفل است. آنچه پیش‌تر ذخیره شده بود سالم است؛ دوباره تلاش کنید."
    if isinstance(exc, OSError):
        return "نوشتن یا خواندن فایل ممکن نشد: پوشه در دسترس نیست، پر است یا اجازه نوشتن ندارد."
    return GENERIC_ERROR_FA


def show_error(parent: QWidget | None, text: str, title: str = "خطا") -> None:
    QMessageBox.critical(parent, title, text)


def show_info(parent: QWidget | None, text: str, title: str = "انجام شد") -> None:
    QMessageBox.information(parent, title, text)


_READ_ONLY = Qt.ItemIsSelectable | Qt.ItemIsEnabled
_BRUSHES: dict[str, QBrush] = {}


def item(text: object, raw: object = None, align_center: bool = False, colour: str | None = None, tooltip: str | None = None) -> QTableWidgetItem:
    cell = QTableWidgetItem("" if text is None else str(text))
    cell.setFlags(_READ_ONLY)
    if raw is not None:
        cell.setData(RAW_ROLE, raw)
    if align_center:
        cell.setTextAlignment(Qt.AlignCenter)
    if colour:
        brush = _BRUSHES.get(colour)
        if brush is None:
            brush = _BRUSHES[colour] = QBrush(QColor(colour))
        cell.setForeground(brush)
    if tooltip:
        cell.setToolTip(tooltip)
    return cell


def table(headers: list[str], stretch: int | None = None) -> QTableWidget:
    """A read-only table with Persian headers (right to left: the first column is on the right)."""
    widget = QTableWidget(0, len(headers))
    widget.setHorizontalHeaderLabels(headers)
    widget.verticalHeader().setVisible(False)
    widget.setSelectionBehavior(QTableWidget.SelectRows)
    widget.setSelectionMode(QTableWidget.SingleSelection)
    widget.setEditTriggers(QTableWidget.NoEditTriggers)
    widget.setAlternatingRowColors(True)
    widget.setWordWrap(False)
    header = widget.horizontalHeader()
    # column widths from the first rows, not all of them: measuring 20,000 rows after every cell
    # set made the headquarters window take 12 s to fill (issue 16)
    header.setResizeContentsPrecision(RESIZE_PRECISION)
    header.setSectionResizeMode(QHeaderView.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.Stretch)
    return widget


RESIZE_PRECISION = 300  # rows measured for a column's width


def fill(widget: QTableWidget, rows: list[list[QTableWidgetItem]]) -> None:
    """Put ``rows`` in ``widget``, its columns measured once at the end, not after every cell."""
    widget.setSortingEnabled(False)
    header = widget.horizontalHeader()
    modes = [header.sectionResizeMode(c) for c in range(widget.columnCount())]
    for column, mode in enumerate(modes):
        if mode == QHeaderView.ResizeToContents:
            header.setSectionResizeMode(column, QHeaderView.Interactive)
    widget.setUpdatesEnabled(False)
    try:
        widget.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, cell in enumerate(cells):
                widget.setItem(r, c, cell)
    finally:
        for column, mode in enumerate(modes):
            header.setSectionResizeMode(column, mode)
        widget.setUpdatesEnabled(True)


def column_texts(widget: QTableWidget, column: int) -> list[str]:
    return [widget.item(r, column).text() if widget.item(r, column) else "" for r in range(widget.rowCount())]


class PassphraseDialog(QDialog):
    """Asks the headquarters passphrase in a password field; the text is never logged or kept."""

    def __init__(self, purpose: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("گذرواژه کلیدهای ستاد")
        layout = QVBoxLayout(self)
        label = QLabel(purpose + "\nگذرواژه کلیدهای ستاد را وارد کنید:")
        label.setWordWrap(True)
        layout.addWidget(label)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.Password)
        self.field.setMinimumWidth(320)
        layout.addWidget(self.field)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("تأیید")
        buttons.button(QDialogButtonBox.Cancel).setText("انصراف")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def ask_passphrase(parent: QWidget | None, purpose: str) -> str | None:
    dialog = PassphraseDialog(purpose, parent)
    try:
        if dialog.exec() != QDialog.Accepted:
            return None
        return dialog.field.text() or None
    finally:
        dialog.field.clear()
        dialog.deleteLater()
