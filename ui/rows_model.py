"""The rows of one reporting table as a Qt model over the session's in-memory copy.

``RowsModel`` shows the rows the session holds (which each edit updates) and writes every
keystroke of an edited cell through the core at once (``ui.cell_delegate``); only the edited cell
is repainted, so a table of thousands of rows stays fluid. Integers accept Persian digits (the core
parses them), dates are Jalali, choice cells are combo boxes. Deleting rows and putting them back
(the undo of ``ui.table_undo``) go through the core in one transaction each.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from citizen_rights_desktop.form.definition import Table
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.model import Row
from ui.cell_delegate import LIVE_EDIT_ROLE
from ui.formatting import display_text, edit_text, value_problem
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
        self._before: dict[tuple[str, str], object] = {}  # (row id, column id) -> value when its editor opened

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

    def editing_started(self, index) -> str:
        """A cell editor opened: remember what the cell held (Escape and a refused value go back to
        it, as the editor saves each keystroke); returns the row's id."""
        row = self.rows[index.row()]
        key = (row.id, self.columns[index.column()].id)
        self._before[key] = row.cells.get(key[1])
        return row.id

    def setData(self, index, value, role=Qt.EditRole) -> bool:
        """Save a cell: ``LIVE_EDIT_ROLE`` for a keystroke (the editor stays open, nothing is said
        yet), ``EditRole`` when the editor closes (the problem with the value is shown then)."""
        if role not in (Qt.EditRole, LIVE_EDIT_ROLE) or not index.isValid():
            return False
        live = role == LIVE_EDIT_ROLE
        spec = self.columns[index.column()]
        row = self.rows[index.row()]
        key = (row.id, spec.id)
        text = None if value is None else str(value)
        stored = row.cells.get(spec.id)
        unchanged = (text == stored) if spec.type == "choice" else ((text or "") == edit_text(spec, stored))
        if unchanged:
            if not live:
                self._before.pop(key, None)
                self._tell(index, spec, value_problem(spec, stored) or "")
            return True
        result = self.session.set_cell(self.section_id, self.table.id, row, spec.id, text)
        if result is None:
            return False
        if result.refused and key in self._before and row.cells.get(spec.id) != self._before[key]:
            self._put(row, spec, self._before[key])  # nothing stored: the cell keeps what it held before the edit
        self.dataChanged.emit(index, index)
        if not live:
            self._before.pop(key, None)
            self._tell(index, spec, result.problem.message_fa if result.problem else "")
        self.edited.emit()
        return True

    def _tell(self, index, spec, message: str) -> None:
        where = f"ردیف {to_persian_digits(index.row() + 1)}، «{spec.label}»: "
        self.cell_problem.emit(where + message if message else "")

    def _put(self, row: Row, spec, value: object) -> bool:
        """Store ``value`` (a stored value, e.g. from before an edit) in a cell through the core."""
        return self.session.set_cell(self.section_id, self.table.id, row, spec.id, None if value is None else edit_text(spec, value)) is not None

    def revert_cell(self, row_id: str, column_id: str) -> None:
        """Escape in a cell: it goes back to what it held when the editor opened."""
        if (row_id, column_id) not in self._before:
            return
        before = self._before.pop((row_id, column_id))
        found = next((i for i, r in enumerate(self.rows) if r.id == row_id), None)
        if found is not None and self.rows[found].cells.get(column_id) != before:
            column = next(i for i, c in enumerate(self.columns) if c.id == column_id)
            self._put(self.rows[found], self.columns[column], before)
            self.dataChanged.emit(self.index(found, column), self.index(found, column))
            self.edited.emit()

    def put_cells(self, cells_by_row: dict[str, dict]) -> None:
        """Give rows (by id) these stored cells, saving only the cells that differ (undo of a paste)."""
        for number, row in enumerate(self.rows):
            wanted = cells_by_row.get(row.id)
            if wanted is None:
                continue
            for spec in self.columns:
                if row.cells.get(spec.id) != wanted.get(spec.id):
                    self._put(row, spec, wanted.get(spec.id))
            self.dataChanged.emit(self.index(number, 0), self.index(number, len(self.columns) - 1))
        self.edited.emit()

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

    def remove_rows(self, row_ids: list[str]) -> list[tuple[int, Row]] | None:
        """Delete rows (by id) in one transaction; returns them as ``(index, Row)`` for ``restore_rows``."""
        wanted = set(row_ids)
        rows = [row for row in self.rows if row.id in wanted]
        if not rows:
            return []
        self.beginResetModel()
        removed = self.session.delete_rows(self.section_id, self.table.id, rows)
        self.endResetModel()
        if removed is not None:
            self.edited.emit()
        return removed

    def restore_rows(self, removed: list[tuple[int, Row]]) -> bool:
        """Undo ``remove_rows``: the rows come back with their ids and cells at their places."""
        self.beginResetModel()
        ok = self.session.restore_rows(self.section_id, self.table.id, removed)
        self.endResetModel()
        if ok:
            self.edited.emit()
        return ok

    def move_row(self, index: int, new_index: int) -> bool:
        if not (0 <= index < len(self.rows)) or not (0 <= new_index < len(self.rows)) or index == new_index:
            return False
        destination = new_index + 1 if new_index > index else new_index
        self.beginMoveRows(QModelIndex(), index, index, QModelIndex(), destination)
        ok = self.session.move_row(self.section_id, self.table.id, self.rows[index], new_index)
        self.endMoveRows()
        self.headerDataChanged.emit(Qt.Vertical, min(index, new_index), max(index, new_index))
        return ok
