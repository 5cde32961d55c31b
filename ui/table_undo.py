"""Undo and redo of a table's destructive edits (issue 17): deleting rows, pasting rows from Excel.

Each table has its own ``QUndoStack``; Ctrl+Z undoes and Ctrl+Shift+Z (or Ctrl+Y) redoes while the
table has the focus (inside a cell being typed in, the keys undo the typing, as in any text box).
A deleted row comes back through the core (``ReportEditor.restore_rows``) with its id and cells at
its place; undoing a paste deletes the pasted rows, or, in a table of fixed rows, puts back the
cells it overwrote. Every step is saved at once, like any other edit.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QPushButton, QWidget

from citizen_rights_desktop.persian.text import to_persian_digits

UNDO_KEYS = [QKeySequence("Ctrl+Z")]
REDO_KEYS = [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]


def _rows_text(count: int) -> str:
    return "یک ردیف" if count == 1 else f"{to_persian_digits(count)} ردیف"


class DeleteRows(QUndoCommand):
    """Delete rows (by id, so it still finds them after other rows moved); undo puts them back."""

    def __init__(self, model, rows: list[int]):
        super().__init__(f"حذف {_rows_text(len(rows))}")
        self.model = model
        self.ids = [model.rows[index].id for index in rows]
        self.removed: list | None = None

    def redo(self) -> None:
        self.removed = self.model.remove_rows(self.ids)
        if self.removed is None:  # the core refused (the error was shown): nothing to undo
            self.setObsolete(True)

    def undo(self) -> None:
        if not self.removed or not self.model.restore_rows(self.removed):
            self.setObsolete(True)


class PasteRows(QUndoCommand):
    """Rows pasted from Excel: appended (undo deletes them) or, in a table of fixed rows, cells
    overwritten (undo puts the cells back)."""

    def __init__(self, model, tsv: str, at_row: int):
        super().__init__("چسباندن ردیف‌ها")
        self.model, self.tsv, self.at_row = model, tsv, at_row
        self.added: list[str] | None = None  # ids of the appended rows
        self.removed: list | None = None
        self.before: dict[str, dict] | None = None  # fixed rows: the cells before and after
        self.after: dict[str, dict] | None = None
        self.count = 0

    def redo(self) -> None:
        model = self.model
        if self.after is not None:
            model.put_cells(self.after)
        elif self.removed is not None:
            if not model.restore_rows(self.removed):
                self.setObsolete(True)
        elif model.table.fixed_rows:
            self.before = {row.id: dict(row.cells) for row in model.rows}
            self.count = model.paste(self.tsv, self.at_row)
            self.after = {row.id: dict(row.cells) for row in model.rows}
        else:
            first = len(model.rows)
            self.count = model.paste(self.tsv, self.at_row)
            self.added = [row.id for row in model.rows[first:]]
        if self.count == 0:
            self.setObsolete(True)
        self.setText(f"چسباندن {_rows_text(self.count)}")

    def undo(self) -> None:
        if self.before is not None:
            self.model.put_cells(self.before)
            return
        self.removed = self.model.remove_rows(self.added or [])
        if self.removed is None:
            self.setObsolete(True)


class UndoControls(QObject):
    """The table's undo stack, its keyboard shortcuts and its two buttons."""

    def __init__(self, owner: QWidget):
        super().__init__(owner)
        self.stack = QUndoStack(self)  # a child: its last signals, while it is destroyed, reach nothing
        self.undo_button = QPushButton("برگرداندن")
        self.redo_button = QPushButton("انجام دوباره")
        self.undo_action = self._action(owner, "برگرداندن", UNDO_KEYS, self.stack.undo, self.undo_button)
        self.redo_action = self._action(owner, "انجام دوباره", REDO_KEYS, self.stack.redo, self.redo_button)
        self.stack.canUndoChanged.connect(self._update)
        self.stack.canRedoChanged.connect(self._update)
        self.stack.indexChanged.connect(self._update)
        self._update()

    @staticmethod
    def _action(owner: QWidget, text: str, keys: list[QKeySequence], slot, button: QPushButton) -> QAction:
        action = QAction(text, owner)
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        owner.addAction(action)
        button.clicked.connect(slot)
        return action

    def push(self, command: QUndoCommand) -> None:
        self.stack.push(command)

    def _update(self, *_args) -> None:
        for action, button, can, text, keys in (
            (self.undo_action, self.undo_button, self.stack.canUndo(), self.stack.undoText(), UNDO_KEYS),
            (self.redo_action, self.redo_button, self.stack.canRedo(), self.stack.redoText(), REDO_KEYS),
        ):
            action.setEnabled(can)
            button.setEnabled(can)
            shortcut = keys[0].toString(QKeySequence.NativeText)
            button.setToolTip(f"{action.text()}: {text} ({shortcut})" if can else f"{action.text()} ({shortcut})")
