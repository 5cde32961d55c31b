"""Small pieces shared by the headquarters pages: Persian digits in text, table cells, messages,
the passphrase dialog."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.formatting import fa_number
from ui.hq.rows_table import RAW_ROLE, Cell, RowsTable, brush, style_table

GENERIC_ERROR_FA = "این کار انجام نشد؛ خطای پیش‌بینی‌نشده‌ای رخ داد. داده‌های ذخیره‌شده سالم است؛ دوباره تلاش کنید."
_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

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


def item(text: object, raw: object = None, align_center: bool = False, colour: str | None = None, tooltip: str | None = None) -> Cell:
    """A cell of a headquarters table (``ui.hq.rows_table.Cell``; ``to_item`` for a QTableWidget)."""
    return Cell("" if text is None else str(text), raw, align_center, colour, tooltip)


def to_item(cell: Cell) -> QTableWidgetItem:
    """``cell`` as a QTableWidgetItem, for the tables that are edited or grow row by row."""
    widget_item = QTableWidgetItem(cell.text())
    widget_item.setFlags(_READ_ONLY)
    if cell.raw is not None:
        widget_item.setData(RAW_ROLE, cell.raw)
    if cell.center:
        widget_item.setTextAlignment(Qt.AlignCenter)
    if cell.colour:
        widget_item.setForeground(brush(cell.colour))
    if cell.tip:
        widget_item.setToolTip(cell.tip)
    return widget_item


def table(headers: list[str], stretch: int | None = None) -> RowsTable:
    """A read-only, sortable table with Persian headers (right to left: the first column is on the
    right) over a list of rows (``ui.hq.rows_table``)."""
    return RowsTable(headers, stretch)


def item_table(headers: list[str], stretch: int | None = None) -> QTableWidget:
    """A QTableWidget with the same look, for a table whose cells are edited or that grows row by row."""
    widget = QTableWidget(0, len(headers))
    widget.setHorizontalHeaderLabels(headers)
    style_table(widget, stretch)
    return widget


def fill(widget: RowsTable | QTableWidget, rows: list[list[Cell]]) -> None:
    """Show ``rows`` in ``widget``."""
    if isinstance(widget, RowsTable):
        widget.set_rows(rows)
        return
    widget.setSortingEnabled(False)
    widget.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            widget.setItem(r, c, cell if isinstance(cell, QTableWidgetItem) else to_item(cell))


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
