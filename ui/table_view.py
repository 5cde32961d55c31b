"""The grid of a reporting table and its keyboard path (issue 17, item 10).

Tab moves to the next cell, at a row's end to the next row's first cell, and opens it for typing;
Shift+Tab goes back. Past the last cell (before the first one with Shift+Tab) Tab leaves the table
for the next item of the page, instead of Qt's wrap to the first cell, where the clerk's next words
were added to the text of the table's first row.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QHeaderView, QTableView, QWidget

from citizen_rights_desktop.form.definition import Table
from ui.adaptive import line_height
from ui.cell_delegate import CellDelegate

ROW_HEIGHT = 28
COLUMN_WIDTHS = {"long_text": 260, "text": 200, "url": 200, "choice": 170, "date": 130}


class CellView(QTableView):
    def __init__(self, table: Table, parent=None):
        super().__init__(parent)
        self.table = table
        self.setItemDelegate(CellDelegate(table, self))
        self.setTabKeyNavigation(True)
        self.setSelectionBehavior(QAbstractItemView.SelectItems)
        self.setEditTriggers(
            QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed | QAbstractItemView.AnyKeyPressed | QAbstractItemView.SelectedClicked
        )
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignCenter | Qt.TextWordWrap)
        header.setMinimumHeight(max(48, 2 * line_height(self, 4)))  # two lines of the current font
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsClickable(False)  # a click on a column's title selected every row: one key then deleted them all
        self.verticalHeader().setDefaultSectionSize(max(ROW_HEIGHT, line_height(self)))  # never cuts a font-24 row
        self.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)

    def size_columns(self) -> None:
        for column, spec in enumerate(self.table.columns):
            self.setColumnWidth(column, COLUMN_WIDTHS.get(spec.type, 110))
        if self.table.fixed_rows:
            self.verticalHeader().setMinimumWidth(220)
            self.verticalHeader().setMaximumWidth(320)

    def at_edge(self, forward: bool) -> bool:
        """Whether Tab (``forward``) or Shift+Tab from the current cell leaves the table."""
        model = self.model()
        rows, columns = model.rowCount(), model.columnCount()
        if rows == 0 or columns == 0:
            return True
        current = self.currentIndex()
        if not current.isValid():
            return False  # Qt then starts at the first cell
        if forward:
            return current.row() == rows - 1 and current.column() == columns - 1
        return current.row() == 0 and current.column() == 0

    def moveCursor(self, action, modifiers):
        if action in (QAbstractItemView.MoveNext, QAbstractItemView.MovePrevious) and self.at_edge(action == QAbstractItemView.MoveNext):
            return QModelIndex()  # no wrap: the Tab then leaves the table
        return super().moveCursor(action, modifiers)

    def closeEditor(self, editor, hint):
        """Tab in the last cell (Shift+Tab in the first) closes it and leaves the table."""
        leaving = None
        if hint in (QAbstractItemDelegate.EditNextItem, QAbstractItemDelegate.EditPreviousItem):
            forward = hint == QAbstractItemDelegate.EditNextItem
            if self.at_edge(forward):
                leaving = forward
        super().closeEditor(editor, hint)
        if leaving is not None and self.hasFocus():
            QWidget.focusNextPrevChild(self, leaving)
