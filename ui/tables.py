"""Reporting tables as editable grids over the core's rows: the title, the row buttons, the grid
(``ui.table_view``) over the rows (``ui.rows_model``), and the undo of deletions and pastes
(``ui.table_undo``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from citizen_rights_desktop.form.definition import Table
from citizen_rights_desktop.persian.text import to_persian_digits
from ui.adaptive import FlowLayout
from ui.fields import note_label, wrapped_label
from ui.offered_rows import OfferedRowsButton
from ui.rows_model import RowsModel
from ui.session import ReportSession
from ui.table_undo import DeleteRows, PasteRows, UndoControls
from ui.table_view import ROW_HEIGHT, CellView

__all__ = ["RowsModel", "TableEditor"]
DELETE_KEY, UP_KEY, DOWN_KEY = "Ctrl+Del", "Ctrl+Shift+Up", "Ctrl+Shift+Down"


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

        buttons = FlowLayout()  # wraps on a small screen or a large font instead of widening the page (issue 17)
        self.add_button = QPushButton("افزودن ردیف")
        self.add_button.setToolTip("یک ردیف خالی به پایان جدول می‌افزاید (Ctrl+Ins)")
        self.delete_button = QPushButton("حذف ردیف")
        self.delete_button.setToolTip(f"ردیف‌های انتخاب‌شده را پس از پرسش حذف می‌کند ({DELETE_KEY}؛ برگرداندن با Ctrl+Z)")
        self.up_button = QPushButton("بالا")
        self.up_button.setToolTip(f"ردیف را یکی بالا می‌برد ({UP_KEY})")
        self.down_button = QPushButton("پایین")
        self.down_button.setToolTip(f"ردیف را یکی پایین می‌برد ({DOWN_KEY})")
        self.paste_button = QPushButton("چسباندن از اکسل")
        self.paste_button.setToolTip("ردیف‌هایی را که در اکسل کپی کرده‌اید (ستون‌ها به ترتیب جدول) اضافه می‌کند. میان‌بر: Ctrl+V")
        self.undo = UndoControls(self)
        row_buttons = (self.add_button, self.delete_button, self.up_button, self.down_button, self.paste_button)
        for button in (*row_buttons, self.undo.undo_button, self.undo.redo_button):
            button.setFocusPolicy(Qt.ClickFocus)  # Tab goes from the questions to the grid, then on (keys in the tooltips)
            buttons.addWidget(button)
        self.offered_button = OfferedRowsButton(session, section_id, table, self.model) if table.rows_from else None
        if self.offered_button is not None:
            buttons.addWidget(self.offered_button)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")
        buttons.addWidget(self.count_label)
        holder = QWidget()
        holder.setLayout(buttons)
        layout.addWidget(holder)

        self.view = CellView(table)
        self.view.setModel(self.model)
        self.view.size_columns()
        rows_tall = max(4, min(len(self.model.rows), 10))
        self.view.setMinimumHeight(60 + ROW_HEIGHT * rows_tall)
        self.view.setMaximumHeight(60 + ROW_HEIGHT * 14)
        layout.addWidget(self.view)

        self.problem = wrapped_label("", css="color: #b00020;")
        self.problem.hide()
        layout.addWidget(self.problem)

        self.add_button.clicked.connect(self.add_row)
        self.delete_button.clicked.connect(self.delete_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.paste_button.clicked.connect(self.paste_clipboard)
        for keys, slot in (
            (QKeySequence.Paste, self.paste_clipboard),
            (QKeySequence(DELETE_KEY), self.delete_selected),
            (QKeySequence(UP_KEY), lambda: self.move_selected(-1)),
            (QKeySequence(DOWN_KEY), lambda: self.move_selected(1)),
        ):
            QShortcut(keys, self.view, slot, context=Qt.WidgetShortcut)  # the grid, not a cell being typed in
        self.model.cell_problem.connect(self._show_problem)
        self.model.edited.connect(self._update_count)
        self.model.edited.connect(self.edited)
        fixed = bool(table.fixed_rows)
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button):
            button.setVisible(not fixed)
        if session.read_only:
            for button in row_buttons:
                button.setEnabled(False)
            self.undo.undo_button.hide()
            self.undo.redo_button.hide()
        self._update_count()

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
        """Delete the selected rows after the clerk confirms (a stray key must not take a table's
        work with it), as one step Ctrl+Z undoes (issue 17)."""
        rows = self.selected_rows()
        if not rows or self.model.read_only or self.table.fixed_rows:
            return
        count = to_persian_digits(len(rows))
        text = f"ردیف {to_persian_digits(rows[0] + 1)} حذف شود؟" if len(rows) == 1 else f"{count} ردیف انتخاب‌شده حذف شوند؟"
        undo = "با «برگرداندن» (Ctrl+Z) می‌توانید آن را برگردانید."
        answer = QMessageBox.question(self, "حذف ردیف", f"{text}\n{undo}", QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer == QMessageBox.Yes:
            column = max(0, self.view.currentIndex().column())
            self.undo.push(DeleteRows(self.model, rows))
            if self.model.rows:
                self.view.setCurrentIndex(self.model.index(min(rows[0], len(self.model.rows) - 1), column))

    def move_selected(self, step: int) -> None:
        rows = self.selected_rows()
        if len(rows) != 1 or self.model.read_only:
            return
        row = rows[0]
        column = max(0, self.view.currentIndex().column())
        if self.model.move_row(row, row + step):
            self.view.setCurrentIndex(self.model.index(row + step, column))

    def paste_clipboard(self) -> None:
        text = QGuiApplication.clipboard().text()
        if text.strip() and not self.model.read_only:
            at = max(0, self.view.currentIndex().row())
            self.undo.push(PasteRows(self.model, text, at))
            if not self.table.fixed_rows:
                self.view.scrollToBottom()
