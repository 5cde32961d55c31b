"""Cell editors of the reporting tables: combo boxes for choices, a Jalali date editor for dates, a
line edit for the rest (left-to-right for web addresses)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyledItemDelegate

from citizen_rights_desktop.form.definition import Table
from ui.fields import NO_CHOICE, JalaliDateEdit


class CellDelegate(QStyledItemDelegate):
    """Combo boxes for choices, a Jalali date editor for dates, a line edit for the rest."""

    def __init__(self, table: Table, parent=None):
        super().__init__(parent)
        self.table = table

    def createEditor(self, parent, option, index):
        spec = self.table.columns[index.column()]
        if spec.type == "choice":
            combo = QComboBox(parent)
            combo.addItem(NO_CHOICE, None)
            for item in spec.options:
                combo.addItem(item.label, item.id)
            return combo
        if spec.type == "date":
            editor = JalaliDateEdit(parent)
            editor.setAutoFillBackground(True)
            return editor
        editor = QLineEdit(parent)
        if spec.type == "url":
            editor.setLayoutDirection(Qt.LeftToRight)
        return editor

    def setEditorData(self, editor, index):
        value = index.data(Qt.EditRole)
        if isinstance(editor, QComboBox):
            found = editor.findData(value) if value is not None else 0
            if found < 0 and isinstance(value, dict):
                editor.addItem(str(value.get("typed")), value.get("typed"))
                found = editor.count() - 1
            editor.setCurrentIndex(max(0, found))
        else:
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        else:
            model.setData(index, editor.text().strip() or None)
