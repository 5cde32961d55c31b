"""Completeness page: per province how many units reported on time, late, not yet; selecting a
province lists its units (drill-down); the reminders list of the selection exports as CSV."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from citizen_rights_desktop.hq import completeness as hq_completeness
from citizen_rights_desktop.persian.jalali import to_jalali_text
from citizen_rights_desktop.report.office import LEVELS, PROVINCES
from ui.hq.common import RAW_ROLE, STATUS_COLOURS, fa_digits, fa_int, fa_pct, fill, item, table

ALL = None  # the first row: every unit
PROVINCE_COLUMNS = ["استان", "واحدها", "به موقع", "با تأخیر", "ارسال نشده", "درصد ارسال"]
UNIT_COLUMNS = ["واحد", "واحد بالادست", "سطح", "وضعیت", "تاریخ دریافت نخست", "ویرایش", "شهرستان"]


class CompletenessPage(QWidget):
    open_submission = Signal(str)

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.counties: dict[str, str] = {}  # unit id → county, from the snapshot
        self.window_ = window
        self.result: hq_completeness.Completeness | None = None
        self.province_keys: list[str | None] = []
        layout = QVBoxLayout(self)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        splitter = QSplitter(Qt.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("به تفکیک استان (برای دیدن واحدها، استان را انتخاب کنید)"))
        self.provinces = table(PROVINCE_COLUMNS, stretch=0)
        self.provinces.itemSelectionChanged.connect(self._province_selected)
        left_layout.addWidget(self.provinces)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.units_title = QLabel("")
        top.addWidget(self.units_title, 1)
        self.reminders_button = QPushButton("خروجی فهرست یادآوری (CSV)…")
        self.reminders_button.setToolTip("واحدهای انتخاب‌شده‌ای که هنوز گزارش نفرستاده‌اند، با واحد بالادست، در یک فایل CSV")
        self.reminders_button.clicked.connect(self.export_reminders)
        top.addWidget(self.reminders_button)
        right_layout.addLayout(top)
        self.units = table(UNIT_COLUMNS, stretch=0)
        self.units.setSortingEnabled(False)
        self.units.itemDoubleClicked.connect(self._unit_activated)
        right_layout.addWidget(self.units)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([520, 800])
        layout.addWidget(splitter, 1)

    def show_result(self, result: hq_completeness.Completeness, counties: dict[str, str] | None = None) -> None:
        self.result = result
        self.counties = counties or {}
        c = result.counts
        deadline = to_jalali_text(result.deadline)
        text = fa_digits(
            f"دوره {result.period} — مهلت ارسال: پایان روز {deadline} (به وقت ایران). "
            f"از {c.units} واحد: {c.on_time} به موقع، {c.late} با تأخیر، {c.missing} ارسال نشده "
        ) + f"({fa_pct(c.percent)} ارسال شده)."
        if result.unknown_offices:
            text += fa_digits(f" {len(result.unknown_offices)} گزارش از دستگاه‌هایی رسیده که در فهرست واحدهای سازمانی نیستند.")
        self.summary.setText(text)
        rows, self.province_keys = [], []
        for key, name, counts in [(ALL, "همه واحدها", c)] + [(r.province, r.name, r.counts) for r in result.by_province()]:
            if key == hq_completeness.NATIONAL and not counts.units:
                continue
            self.province_keys.append(key)
            rows.append([
                item(name, raw=key),
                item(fa_int(counts.units), raw=counts.units, align_center=True),
                item(fa_int(counts.on_time), raw=counts.on_time, align_center=True, colour=STATUS_COLOURS["on_time"]),
                item(fa_int(counts.late), raw=counts.late, align_center=True, colour=STATUS_COLOURS["late"]),
                item(fa_int(counts.missing), raw=counts.missing, align_center=True, colour=STATUS_COLOURS["missing"]),
                item(fa_pct(counts.percent), raw=counts.percent, align_center=True),
            ])  # fmt: skip
        previous = self.selected_province()
        fill(self.provinces, rows)
        self.select_province(previous if previous in self.province_keys else ALL)

    def selected_province(self) -> str | None:
        rows = self.provinces.selectionModel().selectedRows() if self.provinces.selectionModel() else []
        return self.province_keys[rows[0].row()] if rows else ALL

    def select_province(self, key: str | None) -> None:
        self.provinces.blockSignals(True)  # its units are shown once, below, not also on the selection's signal
        try:
            self.provinces.setCurrentCell(self.province_keys.index(key), 0)
        finally:
            self.provinces.blockSignals(False)
        self._province_selected()

    def _province_selected(self) -> None:
        if self.result is None:
            return
        key = self.selected_province()
        units = self.result.units if key is ALL else self.result.in_province(key)
        counts = hq_completeness.Counts.of(units)
        name = "همه واحدها" if key is ALL else PROVINCES.get(key, hq_completeness.NATIONAL_FA)
        self.units_title.setText(fa_digits(f"{name}: {counts.units} واحد، {counts.missing} ارسال نشده"))
        counties = self.counties
        # rows made as they are shown: 22,000 units (issue 16); sort by the county column to drill down by county
        self.units.set_records(units, lambda unit: [*_unit_row(unit), item(counties.get(unit.unit_id, ""))])

    def _unit_activated(self, cell) -> None:
        submission_id = self.units.item(cell.row(), 5).data(RAW_ROLE)
        if submission_id:
            self.open_submission.emit(submission_id)

    def export_reminders(self) -> None:
        if self.result is None:
            return
        key = self.selected_province()
        suffix = "all" if key is ALL else (key or "national")
        path = self.window_.choose_save_file("ذخیره فهرست یادآوری", f"reminders-{self.result.period}-{suffix}.csv", "CSV (*.csv)")
        if not path:
            return
        self.window_.run_guarded(
            lambda: hq_completeness.write_reminders_csv(self.result, path, key),
            fa_digits(f"فهرست یادآوری ({len(self.result.reminders(key))} واحد) نوشته شد:\n") + str(path),
        )


def _unit_row(unit) -> list:
    received = hq_completeness.jalali_received(unit.first_received_at, persian_digits=True) or "—"
    return [
        item(unit.name, raw=unit.unit_id, tooltip=unit.unit_id),
        item(unit.parent_name),
        item(LEVELS.get(unit.level, unit.level)),
        item(hq_completeness.STATUS_FA[unit.status], raw=unit.status, colour=STATUS_COLOURS[unit.status]),
        item(received, raw=unit.first_received_at, align_center=True),
        item(fa_int(unit.revision), raw=unit.submission_id, align_center=True),
    ]
