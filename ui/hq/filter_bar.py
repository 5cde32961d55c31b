"""The headquarters window's filters (issue 16): a province and an organizational level, applied
to every page's figures and to the exports (``hq.scope``, as the CLI's ``--province`` /
``--level``)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from citizen_rights_desktop.hq.completeness import NATIONAL_FA
from citizen_rights_desktop.hq.scope import Scope
from citizen_rights_desktop.report.office import LEVELS, PROVINCES


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("استان:"))
        self.province = QComboBox()
        self.province.addItem("همه استان‌ها", None)
        for key, name in PROVINCES.items():
            self.province.addItem(name, key)
        self.province.addItem(NATIONAL_FA, "national")
        layout.addWidget(self.province)
        layout.addWidget(QLabel("سطح:"))
        self.level = QComboBox()
        self.level.addItem("همه سطوح", None)
        for key, name in LEVELS.items():
            self.level.addItem(name, key)
        layout.addWidget(self.level)
        for box in (self.province, self.level):
            box.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def scope(self) -> Scope:
        return Scope(province=self.province.currentData(), level=self.level.currentData())

    def set(self, province: str | None = None, level: str | None = None) -> None:
        """Choose the filters (as a click would), then say so once."""
        for box, value in ((self.province, province), (self.level, level)):
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(value)))
            box.blockSignals(False)
        self.changed.emit()
