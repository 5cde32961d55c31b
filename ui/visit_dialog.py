"""Starting an inspection visit (issue 15): its date (Jalali) and the inspected office, chosen from
headquarters' org-unit register when the team's profile carries one, or typed (an id and a name).
The core checks the period (``form.periods``); this only asks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.form.periods import InvalidPeriod
from citizen_rights_desktop.persian.jalali import InvalidDate, jalali_today, parse_date
from citizen_rights_desktop.persian.text import to_latin_digits, to_persian_digits
from ui.formatting import new_report_text


class VisitDialog(QDialog):
    def __init__(self, form: FormDefinition, units: list[tuple[str, str]], parent: QWidget | None = None, title: str = "بازدید جدید"):
        super().__init__(parent)
        self.form = form
        self.setWindowTitle(title)
        self.setLayoutDirection(Qt.RightToLeft)
        self.units = units
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(new_report_text(form)))
        fields = QFormLayout()
        today = jalali_today()
        self.date = QLineEdit(to_persian_digits(f"{today.year}/{today.month:02d}/{today.day:02d}"))
        self.date.setToolTip("تاریخ بازدید به شمسی، مانند ۱۳۹۹/۰۷/۱۵")
        fields.addRow("تاریخ بازدید:", self.date)
        self.office = QComboBox()
        self.office.setEditable(True)
        self.office.addItem("", "")
        for unit_id, name in units:
            self.office.addItem(f"{name} ({unit_id})", unit_id)
        self.office.setToolTip("دستگاه مورد بازرسی از فهرست واحدهای ستاد، یا شناسه آن را بنویسید")
        self.office.currentIndexChanged.connect(self._unit_chosen)
        fields.addRow("دستگاه مورد بازرسی:", self.office)
        self.name = QLineEdit()
        fields.addRow("نام دستگاه:", self.name)
        layout.addLayout(fields)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("شروع بازدید")
        buttons.button(QDialogButtonBox.Cancel).setText("انصراف")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.period = ""

    def _unit_chosen(self, index: int) -> None:
        unit_id = self.office.itemData(index)
        name = dict(self.units).get(unit_id, "")
        if name:
            self.name.setText(name)

    def office_id(self) -> str:
        data = self.office.currentData()
        text = self.office.currentText().strip()
        if data and text == self.office.itemText(self.office.currentIndex()):
            return str(data)
        return to_latin_digits(text)

    def _accept(self) -> None:
        try:
            day = parse_date(self.date.text())
        except InvalidDate:
            self.error.setText("تاریخ بازدید معتبر نیست؛ آن را به شمسی بنویسید، مانند ۱۳۹۹/۰۷/۱۵.")
            return
        import jdatetime

        jalali = jdatetime.date.fromgregorian(date=day)
        text = f"{jalali.year}-{jalali.month:02d}-{jalali.day:02d}@{self.office_id()}"
        try:
            self.form.period(text)
        except InvalidPeriod:
            self.error.setText("دستگاه مورد بازرسی را از فهرست انتخاب کنید یا شناسه آن را (حروف و ارقام لاتین) بنویسید.")
            return
        if not self.form.accepts_period(text):
            self.error.setText(f"این چک لیست برای بازدیدهای سال {to_persian_digits(jalali.year)} نیست.")
            return
        if not self.name.text().strip():
            self.error.setText("نام دستگاه مورد بازرسی را بنویسید.")
            return
        self.period = text
        self.accept()


def choose_visit(parent: QWidget, form: FormDefinition, units: list[tuple[str, str]]) -> tuple[str, str] | None:
    """(period, inspected office's name) of a new visit, or ``None`` when cancelled."""
    dialog = VisitDialog(form, units, parent)
    if dialog.exec() != QDialog.Accepted:
        return None
    return dialog.period, dialog.name.text().strip()
