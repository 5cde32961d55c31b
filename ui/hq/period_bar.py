"""The kind of report and the period the headquarters window analyses (issue 16): the annual report
by year, the quarterly program report by quarter (seed 002). Choosing a kind lists its periods;
either choice asks the window for new figures (``changed``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from citizen_rights_desktop.form.definition import FormDefinition
from ui.hq.common import fa_digits

KIND_FA = {"year": "گزارش سالانه", "quarter": "گزارش سه‌ماهه برنامه‌ها"}


def kind_label(form: FormDefinition, forms: list[FormDefinition]) -> str:
    """A short name for the kind («گزارش سالانه»); the form's title when two kinds share a period."""
    same = [f for f in forms if f.kind.period == form.kind.period]
    return KIND_FA.get(form.kind.period, form.title) if len(same) == 1 else form.title


class PeriodBar(QWidget):
    kind_changed = Signal(str)  # a form id
    period_changed = Signal(str)

    def __init__(self, forms: list[FormDefinition], parent=None):
        super().__init__(parent)
        self.forms = {form.id: form for form in forms}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("نوع گزارش:"))
        self.kind_box = QComboBox()
        for form in forms:
            self.kind_box.addItem(kind_label(form, forms), form.id)
            self.kind_box.setItemData(self.kind_box.count() - 1, form.title, Qt.ToolTipRole)
        self.kind_box.setEnabled(len(forms) > 1)
        layout.addWidget(self.kind_box)
        layout.addWidget(QLabel("دوره:"))
        self.period_box = QComboBox()
        self.period_box.setSizeAdjustPolicy(QComboBox.AdjustToContents)  # «سه‌ماهه سوم ۱۳۹۹ (مهر تا آذر)» whole
        layout.addWidget(self.period_box)
        self.kind_box.currentIndexChanged.connect(lambda _i: self.kind_changed.emit(self.kind_box.currentData()))
        self.period_box.currentIndexChanged.connect(lambda _i: self.period_box.currentData() and self.period_changed.emit(self.period_box.currentData()))

    def set_kind(self, form_id: str) -> None:
        """Choose a kind as a click would (the window is told)."""
        self.kind_box.setCurrentIndex(self.kind_box.findData(form_id))

    def fill_periods(self, form: FormDefinition, periods: list[str], current: str) -> None:
        """List ``periods`` (a quarter as «سه‌ماهه دوم ۱۳۹۹ …»), ``current`` chosen; nobody is told."""
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for period in periods:
            self.period_box.addItem(fa_digits(period) if form.kind.period == "year" else form.period_words(period), period)
        self.period_box.setCurrentIndex(max(0, self.period_box.findData(current)))
        self.period_box.blockSignals(False)
        index = self.kind_box.findData(form.id)
        if index >= 0 and index != self.kind_box.currentIndex():
            self.kind_box.blockSignals(True)
            self.kind_box.setCurrentIndex(index)
            self.kind_box.blockSignals(False)
