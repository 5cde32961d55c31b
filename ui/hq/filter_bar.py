"""The headquarters window's filters (issue 16): a province, an organizational level, a county and
an agency type, applied to every page's figures and to the exports (``hq.scope``, as the CLI's
``--province`` / ``--level`` / ``--county`` / ``--agency-type``). Typed filters apply when the
clerk presses Enter or leaves the box."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

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
        self.county = QLineEdit()
        self.county.setPlaceholderText("شهرستان")
        self.agency = QLineEdit()
        self.agency.setPlaceholderText("نوع دستگاه، مانند «ثبت اسناد»")
        for edit in (self.county, self.agency):
            edit.setClearButtonEnabled(True)
            edit.setMaximumWidth(170)
            edit.editingFinished.connect(self._typed)
            layout.addWidget(edit)
        self._applied = ("", "")
        for box in (self.province, self.level):
            box.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def _typed(self) -> None:
        now = (self.county.text().strip(), self.agency.text().strip())
        if now != self._applied:  # Enter and leaving the box both finish editing: one refresh
            self._applied = now
            self.changed.emit()

    def scope(self) -> Scope:
        county, agency = self.county.text().strip() or None, self.agency.text().strip() or None
        return Scope(province=self.province.currentData(), county=county, level=self.level.currentData(), agency_type=agency)

    def set(self, province: str | None = None, level: str | None = None, county: str = "", agency_type: str = "") -> None:
        """Choose the filters (as a click would), then say so once."""
        for box, value in ((self.province, province), (self.level, level)):
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(value)))
            box.blockSignals(False)
        self.county.setText(county)
        self.agency.setText(agency_type)
        self._applied = (county.strip(), agency_type.strip())
        self.changed.emit()
