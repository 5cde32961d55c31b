"""Reporting tables as editable grids over the core's rows.

``RowsModel`` shows the in-memory rows of one table (the session's copy, which each edit updates)
and writes every edited cell through the core at once; only the edited cell is repainted, so a
table of thousands of rows stays fluid. Integers accept Persian digits (the core parses them),
dates are Jalali, choice cells are combo boxes.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.form.definition import Table
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.model import Row
from ui.cell_delegate import CellDelegate
from ui.fields import note_label, wrapped_label
from ui.formatting import display_text, edit_text, value_problem
from ui.offered_rows import OfferedRowsButton
from ui.session import ReportSession

PROBLEM_BRUSH = QBrush(QColor("#fde2e2"))  # kept as typed: not a valid value
MISSING_BRUSH = QBrush(QColor("#fff3cd"))  # required and still empty (from the core's validation)
NUMERIC = ("integer", "number", "percent")


class RowsModel(QAbstractTableModel):
    edited = Signal()  # any cell or row change (computed values, counts)
    cell_problem = Signal(str)  # Persian message for the last edited cell ("" when fine)

    def __init__(self, session: ReportSession, section_id: str, table: Table, parent=None):
        super().__init__(parent)
        self.session = session
        self.section_id = section_id
        self.table = table
        self.columns = table.columns
        self.rows: list[Row] = session.rows(section_id, table.id)
        self.fixed_labels = {r.id: r.label for r in table.fixed_rows}
        self.read_only = session.read_only
        self.missing: dict[tuple[str, str], str] = {}  # (row id, column id) -> Persian message

    def set_problems(self, problems) -> None:
        """Mark the cells the core's validation reports (``Problem`` with row and column)."""
        missing = {}
        for problem in problems:
            if problem.column and problem.row is not None and 0 < problem.row <= len(self.rows):
                missing[(self.rows[problem.row - 1].id, problem.column)] = problem.message_fa
        if missing != self.missing:
            self.missing = missing
            if self.rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1), [Qt.BackgroundRole, Qt.ToolTipRole])

    # --- reading ------------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        spec = self.columns[index.column()]
        value = self.rows[index.row()].cells.get(spec.id)
        if role == Qt.DisplayRole:
            return display_text(spec, value)
        if role == Qt.EditRole:
            return edit_text(spec, value) if spec.type != "choice" else value
        if role == Qt.ToolTipRole:
            problem = value_problem(spec, value) if isinstance(value, dict) or spec.type != "text" else None
            if problem is None and value is None:
                problem = self.missing.get((self.rows[index.row()].id, spec.id))
            return problem or (display_text(spec, value) or None)
        if role == Qt.BackgroundRole:
            if isinstance(value, dict):
                return PROBLEM_BRUSH
            if value is None and self.missing and (self.rows[index.row()].id, spec.id) in self.missing:
                return MISSING_BRUSH
            return None
        if role == Qt.TextAlignmentRole and spec.type in NUMERIC:
            return int(Qt.AlignCenter)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            spec = self.columns[section]
            return spec.label
        row = self.rows[section]
        return self.fixed_labels.get(row.id) or to_persian_digits(section + 1)

    def flags(self, index):
        base = super().flags(index)
        return base if self.read_only else base | Qt.ItemIsEditable

    # --- writing ------------------------------------------------------------------------------

    def setData(self, index, value, role=Qt.EditRole) -> bool:
        if role != Qt.EditRole or not index.isValid():
            return False
        spec = self.columns[index.column()]
        row = self.rows[index.row()]
        text = None if value is None else str(value)
        stored = row.cells.get(spec.id)
        unchanged = (text == stored) if spec.type == "choice" else ((text or "") == edit_text(spec, stored))
        if unchanged:
            return True
        result = self.session.set_cell(self.section_id, self.table.id, row, spec.id, text)
        if result is None:
            return False
        self.dataChanged.emit(index, index)
        where = f"ردیف {to_persian_digits(index.row() + 1)}، «{spec.label}»: "
        self.cell_problem.emit(where + result.problem.message_fa if result.problem else "")
        self.edited.emit()
        return True

    def add_rows(self, count: int = 1) -> int | None:
        first = len(self.rows)
        self.beginResetModel() if count > 200 else self.beginInsertRows(QModelIndex(), first, first + count - 1)
        added = self.session.add_rows(self.section_id, self.table.id, [{} for _ in range(count)])
        self.endResetModel() if count > 200 else self.endInsertRows()
        if added is None:
            return None
        self.edited.emit()
        return first

    def copy_offered(self) -> int:
        """Add the rows the table's ``rows_from`` offers (the core's ``copy_offered_rows``)."""
        self.beginResetModel()
        rows = self.session.copy_offered_rows(self.section_id, self.table.id)
        self.endResetModel()
        if rows:
            self.edited.emit()
        return len(rows or [])

    def paste(self, tsv: str, at_row: int = 0) -> int:
        """Rows copied from Excel: appended (or, in a fixed-rows table, filled from ``at_row``)."""
        if self.table.fixed_rows:
            filled = 0
            lines = [line for line in tsv.replace("\r\n", "\n").split("\n") if line.strip()]
            for offset, line in enumerate(lines):
                if at_row + offset >= len(self.rows):
                    break
                for column, text in enumerate(line.split("\t")[: len(self.columns)]):
                    self.setData(self.index(at_row + offset, column), text.strip() or None)
                filled += 1
            return filled
        first = len(self.rows)
        # the rows are appended to the in-memory list by the session, then shown
        self.beginResetModel()
        result = self.session.paste_rows(self.section_id, self.table.id, tsv)
        self.endResetModel()
        if result is None:
            return 0
        rows, results = result
        problems = [
            f"ردیف {to_persian_digits(first + i + 1)}، «{self.table.column(col).label}»: {res.problem.message_fa}"
            for i, parsed in enumerate(results)
            for col, res in parsed.items()
            if res.problem
        ]
        self.cell_problem.emit(problems[0] + (f" (و {to_persian_digits(len(problems) - 1)} مورد دیگر)" if len(problems) > 1 else "") if problems else "")
        self.edited.emit()
        return len(rows)

    def delete_rows(self, rows: list[int]) -> None:
        for index in sorted(set(rows), reverse=True):
            row = self.rows[index]
            self.beginRemoveRows(QModelIndex(), index, index)
            ok = self.session.delete_row(self.section_id, self.table.id, row)
            self.endRemoveRows()
            if not ok:
                break
        self.headerDataChanged.emit(Qt.Vertical, 0, max(0, len(self.rows) - 1))
        self.edited.emit()

    def move_row(self, index: int, new_index: int) -> bool:
        if not (0 <= index < len(self.rows)) or not (0 <= new_index < len(self.rows)) or index == new_index:
            return False
        destination = new_index + 1 if new_index > index else new_index
        self.beginMoveRows(QModelIndex(), index, index, QModelIndex(), destination)
        ok = self.session.move_row(self.section_id, self.table.id, self.rows[index], new_index)
        self.endMoveRows()
        self.headerDataChanged.emit(Qt.Vertical, min(index, new_index), max(index, new_index))
        return ok


class TableEditor(QWidget):
    """One reporting table: its title, the grid and the row buttons."""

    edited = Signal()

    def __init__(self, session: ReportSession, section_id: str, table: Table, parent=None):
        super().__init__(parent)
        self.table = table
        self.model = RowsModel(session, section_id, table, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        title = table.title + ("" if table.required else "  (در صورت وجود)")
        layout.addWidget(wrapped_label(title, bold=True))
        if table.note:
            layout.addWidget(note_label(table.note))

        buttons = QHBoxLayout()
        self.add_button = QPushButton("افزودن ردیف")
        self.delete_button = QPushButton("حذف ردیف")
        self.up_button = QPushButton("بالا")
        self.down_button = QPushButton("پایین")
        self.paste_button = QPushButton("چسباندن از اکسل")
        self.paste_button.setToolTip("ردیف‌هایی را که در اکسل کپی کرده‌اید (ستون‌ها به ترتیب جدول) اضافه می‌کند. میان‌بر: Ctrl+V")
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button, self.paste_button):
            buttons.addWidget(button)
        self.offered_button = OfferedRowsButton(session, section_id, table, self.model) if table.rows_from else None
        if self.offered_button is not None:
            buttons.addWidget(self.offered_button)
        buttons.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")
        buttons.addWidget(self.count_label)
        layout.addLayout(buttons)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(CellDelegate(table, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectItems)
        self.view.setEditTriggers(
            QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed | QAbstractItemView.AnyKeyPressed | QAbstractItemView.SelectedClicked
        )
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignCenter | Qt.TextWordWrap)
        header.setMinimumHeight(48)
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsClickable(False)  # a click on a column's title selected every row: one key then deleted them all
        self.view.verticalHeader().setDefaultSectionSize(28)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self._size_columns()
        rows_tall = max(4, min(len(self.model.rows), 10))
        self.view.setMinimumHeight(60 + 28 * rows_tall)
        self.view.setMaximumHeight(60 + 28 * 14)
        layout.addWidget(self.view)

        self.problem = wrapped_label("", css="color: #b00020;")
        self.problem.hide()
        layout.addWidget(self.problem)

        self.add_button.clicked.connect(self.add_row)
        self.delete_button.clicked.connect(self.delete_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.paste_button.clicked.connect(self.paste_clipboard)
        QShortcut(QKeySequence.Paste, self.view, self.paste_clipboard, context=Qt.WidgetShortcut)
        self.model.cell_problem.connect(self._show_problem)
        self.model.edited.connect(self._update_count)
        self.model.edited.connect(self.edited)
        fixed = bool(table.fixed_rows)
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button):
            button.setVisible(not fixed)
        if session.read_only:
            for button in (self.add_button, self.delete_button, self.up_button, self.down_button, self.paste_button):
                button.setEnabled(False)
        self._update_count()

    def _size_columns(self) -> None:
        widths = {"long_text": 260, "text": 200, "url": 200, "choice": 170, "date": 130}
        for column, spec in enumerate(self.table.columns):
            self.view.setColumnWidth(column, widths.get(spec.type, 110))
        if self.table.fixed_rows:
            self.view.verticalHeader().setMinimumWidth(220)
            self.view.verticalHeader().setMaximumWidth(320)

    def _update_count(self) -> None:
        count = len(self.model.rows)
        text = f"{to_persian_digits(count)} ردیف"
        if self.table.max_rows:
            text += f" (حداکثر {to_persian_digits(self.table.max_rows)})"
        self.count_label.setText(text)

    def _show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.setVisible(bool(message))

    # --- actions ------------------------------------------------------------------------------

    def add_row(self) -> None:
        first = self.model.add_rows(1)
        if first is not None:
            index = self.model.index(first, 0)
            self.view.scrollTo(index)
            self.view.setCurrentIndex(index)
            self.view.edit(index)

    def selected_rows(self) -> list[int]:
        rows = {index.row() for index in self.view.selectionModel().selectedIndexes()}
        current = self.view.currentIndex()
        if not rows and current.isValid():
            rows = {current.row()}
        return sorted(rows)

    def delete_selected(self) -> None:
        """Delete the selected rows after the clerk confirms: a deletion is saved at once and cannot
        be undone, and a stray key must not take a table's work with it (issue 17)."""
        rows = self.selected_rows()
        if not rows:
            return
        count = to_persian_digits(len(rows))
        text = f"ردیف {to_persian_digits(rows[0] + 1)} حذف شود؟" if len(rows) == 1 else f"{count} ردیف انتخاب‌شده حذف شوند؟"
        answer = QMessageBox.question(self, "حذف ردیف", f"{text}\nاین کار برگشت‌پذیر نیست.", QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer == QMessageBox.Yes:
            self.model.delete_rows(rows)

    def move_selected(self, step: int) -> None:
        rows = self.selected_rows()
        if len(rows) != 1:
            return
        row = rows[0]
        column = max(0, self.view.currentIndex().column())
        if self.model.move_row(row, row + step):
            self.view.setCurrentIndex(self.model.index(row + step, column))

    def paste_clipboard(self) -> None:
        text = QGuiApplication.clipboard().text()
        if text.strip():
            at = max(0, self.view.currentIndex().row())
            self.model.paste(text, at)
            if not self.table.fixed_rows:
                self.view.scrollToBottom()

