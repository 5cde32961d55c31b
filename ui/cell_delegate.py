"""Cell editors of the reporting tables: combo boxes for choices, a Jalali date editor for dates, a
line edit for the rest (left-to-right for web addresses).

Every keystroke is saved as it is handled (issue 17): each editor's change is committed at once
with ``LIVE_EDIT_ROLE`` (the model saves it through the core and leaves the editor open), so a
power cut loses at most the key being pressed. What the clerk is typing is never written back into
the open editor: Qt reloads an editor's data whenever its cell, or a range around it, changes (the
missing-cell colours after each validation did that 400 ms after a choice was made), and that reload
threw away what had been typed since the last commit. Nor does the editor close when the window
loses the keyboard for a moment: the next key then reopened the cell with its text selected and
replaced it. Tab and Shift+Tab (also in a date cell, whose line edit has the keys) move to the
next or previous cell; Escape puts back what the cell held when its editor opened.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemDelegate, QComboBox, QLineEdit, QStyledItemDelegate, QWidget

from citizen_rights_desktop.form.definition import Table
from ui.fields import NO_CHOICE, JalaliDateEdit

LIVE_EDIT_ROLE = Qt.UserRole + 17  # one keystroke's commit: saved at once, the editor stays open
LOADED = "cell_loaded"  # editor property: its data was set once; later reloads would lose typing
ROW_ID, COLUMN_ID = "cell_row_id", "cell_column_id"  # editor properties: the cell it edits
# the window lost the keyboard for a moment (a popup closing, a message, another program): the editor
# stays open, since what it holds is already saved, and the typing goes on in it when focus is back
KEEP_OPEN = (Qt.ActiveWindowFocusReason, Qt.PopupFocusReason)


class CellDelegate(QStyledItemDelegate):
    """Combo boxes for choices, a Jalali date editor for dates, a line edit for the rest."""

    def __init__(self, table: Table, parent=None):
        super().__init__(parent)
        self.table = table
        self._live: QWidget | None = None  # the editor whose keystroke is being committed
        self._model = None

    def createEditor(self, parent, option, index):
        spec = self.table.columns[index.column()]
        if spec.type == "choice":
            editor = QComboBox(parent)
            editor.addItem(NO_CHOICE, None)
            for item in spec.options:
                editor.addItem(item.label, item.id)
            editor.currentIndexChanged.connect(self._keystroke)
        elif spec.type == "date":
            editor = JalaliDateEdit(parent)
            editor.setAutoFillBackground(True)
            editor.line.installEventFilter(self)  # its line edit gets the keys and the focus
            editor.textChanged.connect(self._keystroke)
        else:
            editor = QLineEdit(parent)
            if spec.type == "url":
                editor.setLayoutDirection(Qt.LeftToRight)
            editor.textChanged.connect(self._keystroke)
        self._model = index.model()
        starting = getattr(self._model, "editing_started", None)
        if starting is not None:
            editor.setProperty(ROW_ID, starting(index))
            editor.setProperty(COLUMN_ID, spec.id)
        return editor

    def setEditorData(self, editor, index):
        if editor.property(LOADED):
            return  # the editor already holds the cell, and what is typed in it is saved as typed
        value = index.data(Qt.EditRole)
        if isinstance(editor, QComboBox):
            found = editor.findData(value) if value is not None else 0
            if found < 0 and isinstance(value, dict):
                editor.addItem(str(value.get("typed")), value.get("typed"))
                found = editor.count() - 1
            editor.setCurrentIndex(max(0, found))
        else:
            editor.setText("" if value is None else str(value))
        editor.setProperty(LOADED, True)

    def setModelData(self, editor, model, index):
        role = LIVE_EDIT_ROLE if editor is self._live else Qt.EditRole
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), role)
        else:
            model.setData(index, editor.text().strip() or None, role)

    def _keystroke(self, *_args) -> None:
        editor = self.sender()
        if editor is None or not editor.property(LOADED):
            return
        self._live = editor
        try:
            self.commitData.emit(editor)  # the view calls setModelData at once: saved before the next key
        finally:
            self._live = None

    def eventFilter(self, obj, event):
        if not isinstance(obj, QWidget):
            return False
        editor = obj.parentWidget() if isinstance(obj.parentWidget(), JalaliDateEdit) else obj
        kind = event.type()
        if kind == QEvent.FocusOut and event.reason() in KEEP_OPEN:
            return False
        if kind == QEvent.ShortcutOverride and event.key() == Qt.Key_Insert and event.modifiers() == Qt.ControlModifier:
            return True  # Ctrl+Ins adds a row (the workspace's shortcut), even while a cell is typed in; not "copy"
        if kind == QEvent.KeyPress and event.key() in (Qt.Key_Tab, Qt.Key_Backtab):
            if event.modifiers() & (Qt.ControlModifier | Qt.AltModifier):
                return False
            forward = event.key() == Qt.Key_Tab and not event.modifiers() & Qt.ShiftModifier
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EditNextItem if forward else QAbstractItemDelegate.EditPreviousItem)
            return True
        if kind == QEvent.KeyPress and event.matches(QKeySequence.StandardKey.Cancel):
            revert = getattr(self._model, "revert_cell", None)  # Escape: the cell goes back to what it held
            if revert is not None:
                revert(editor.property(ROW_ID), editor.property(COLUMN_ID))
        return super().eventFilter(editor, event)
