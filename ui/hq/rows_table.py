"""A read-only, sortable table over a list of rows (issue 16): Qt asks the model only for the cells
it draws, so 22,000 units appear at once, where a QTableWidget made 130,000 items first (seconds).

Cells are ``Cell`` values (``ui.hq.common.item`` makes them). A header click sorts by the column:
by each cell's raw value when it has one (numbers, dates, ids), else by its text; a second click
reverses. The methods the pages and tests use of a QTableWidget are here too: ``rowCount``,
``item(row, column)`` (in the order shown), ``setCurrentCell``, ``itemSelectionChanged`` and
``itemDoubleClicked``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

RAW_ROLE = Qt.UserRole + 1  # the same role as ui.hq.common.RAW_ROLE
SORT_ROLE = Qt.UserRole + 2
_BRUSHES: dict[str, QBrush] = {}


class Cell:
    """One cell: its text, raw value, alignment, colour and tooltip; read like a QTableWidgetItem."""

    __slots__ = ("_text", "raw", "center", "colour", "tip", "_row")

    def __init__(self, text: str, raw: object = None, center: bool = False, colour: str | None = None, tip: str | None = None):
        self._text, self.raw, self.center, self.colour, self.tip, self._row = text, raw, center, colour, tip, -1

    def text(self) -> str:
        return self._text

    def data(self, role: int) -> object:
        if role == RAW_ROLE:
            return self.raw
        if role == Qt.DisplayRole:
            return self._text
        return None

    def toolTip(self) -> str:
        return self.tip or ""

    def foreground(self) -> QBrush:
        return brush(self.colour) if self.colour else QBrush()

    def textAlignment(self) -> int:
        return int(Qt.AlignCenter) if self.center else int(Qt.AlignRight | Qt.AlignVCenter)

    def row(self) -> int:
        return self._row


def brush(colour: str) -> QBrush:
    found = _BRUSHES.get(colour)
    if found is None:
        found = _BRUSHES[colour] = QBrush(QColor(colour))
    return found


def _sort_key(cell: Cell) -> object:
    raw = cell.raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return (0, float(raw), "")
    if raw is None:
        return (1, 0.0, cell.text())
    return (1, 0.0, str(raw))


class _LazyRows:
    """Rows made when first read: ``make(record)`` → the row's cells (a table of 22,000 units makes
    the few dozen rows on screen, and the rest only when sorted or read)."""

    def __init__(self, records: list, make: Callable[[object], list[Cell]]):
        self.records, self.make = records, make
        self.made: list[list[Cell] | None] = [None] * len(records)

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index: int) -> list[Cell]:
        row = self.made[index]
        if row is None:
            row = self.made[index] = self.make(self.records[index])
        return row


class RowsModel(QAbstractTableModel):
    def __init__(self, headers: list[str], parent=None):
        super().__init__(parent)
        self.headers = headers
        self.rows: list[list[Cell]] | _LazyRows = []

    def set_rows(self, rows: list[list[Cell]] | _LazyRows) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        row = self.rows[index.row()]
        if index.column() >= len(row):
            return None
        cell = row[index.column()]
        if role == Qt.DisplayRole:
            return cell.text()
        if role == RAW_ROLE:
            return cell.raw
        if role == SORT_ROLE:
            return _sort_key(cell)
        if role == Qt.TextAlignmentRole:
            return cell.textAlignment()
        if role == Qt.ForegroundRole and cell.colour:
            return brush(cell.colour)
        if role == Qt.ToolTipRole and cell.tip:
            return cell.tip
        return None

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        return None


def style_table(view: QTableView, stretch: int | None = None) -> None:
    """The headquarters tables' look: whole rows selected one at a time, read-only, striped, columns
    sized to their content (measured on the first rows, not all of them), ``stretch`` filling the rest."""
    view.verticalHeader().setVisible(False)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setResizeContentsPrecision(300)
    header.setSectionResizeMode(QHeaderView.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.Stretch)


class _Sorter(QSortFilterProxyModel):
    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:
        return self.sourceModel().data(left, SORT_ROLE) < self.sourceModel().data(right, SORT_ROLE)


class RowsTable(QTableView):
    itemSelectionChanged = Signal()
    itemDoubleClicked = Signal(object)

    def __init__(self, headers: list[str], stretch: int | None = None, parent=None):
        super().__init__(parent)
        self.source = RowsModel(headers, self)
        self.sorter = _Sorter(self)
        self.sorter.setSourceModel(self.source)
        self.setModel(self.sorter)
        style_table(self, stretch)
        self.stretch = stretch
        self.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)  # the given order until a header is clicked
        self.setSortingEnabled(True)
        self.selectionModel().selectionChanged.connect(lambda *_: self.itemSelectionChanged.emit())
        self.doubleClicked.connect(self._double_clicked)

    def set_rows(self, rows: list[list[Cell]]) -> None:
        self.source.set_rows(rows)

    def set_headers(self, headers: list[str]) -> None:
        """New columns (a kind of report with its own answers has its own); the rows are cleared."""
        if list(headers) != self.source.headers:
            self.source.headers = list(headers)
            self.source.set_rows([])
            if self.stretch is not None and self.stretch < len(headers):  # a column that did not exist before
                self.horizontalHeader().setSectionResizeMode(self.stretch, QHeaderView.Stretch)

    def set_records(self, records: list, make: Callable[[object], list[Cell]]) -> None:
        """Show one row per record, its cells made by ``make`` only when the row is first read."""
        self.source.set_rows(_LazyRows(list(records), make))

    def rowCount(self) -> int:
        return self.sorter.rowCount()

    def columnCount(self) -> int:
        return self.source.columnCount()

    def item(self, row: int, column: int) -> Cell | None:
        """The cell shown at ``row`` (after sorting), ``column``."""
        if not (0 <= row < self.sorter.rowCount()):
            return None
        source_row = self.sorter.mapToSource(self.sorter.index(row, column)).row()
        cells = self.source.rows[source_row]
        if column >= len(cells):
            return None
        cell = cells[column]
        cell._row = row
        return cell

    def setCurrentCell(self, row: int, column: int) -> None:
        """Make ``row`` current and selected (the whole row: SelectRows)."""
        self.setCurrentIndex(self.sorter.index(row, column))

    def _double_clicked(self, index: QModelIndex) -> None:
        cell = self.item(index.row(), index.column())
        if cell is not None:
            self.itemDoubleClicked.emit(cell)
