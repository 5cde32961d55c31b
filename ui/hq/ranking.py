"""Ranking page: units and provinces by score (``analysis.rank_units`` / ``rank_provinces``).
Equal scores share a rank (marked «مشترک») and the next rank skips; units and provinces without a
report are listed last as «بدون گزارش», unranked."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from citizen_rights_desktop.hq import completeness as hq_completeness
from citizen_rights_desktop.report.office import PROVINCES
from ui.formatting import fa_number
from ui.hq.common import fa_digits, fa_int, fill, item, table

NO_REPORT = "بدون گزارش"
UNIT_COLUMNS = ["رتبه", "دستگاه / واحد", "استان", "امتیاز"]
PROVINCE_COLUMNS = ["رتبه", "استان", "میانگین امتیاز", "تعداد گزارش"]


def rank_text(rank, shared: Counter) -> str:
    if rank.rank is None:
        return NO_REPORT
    text = fa_digits(rank.rank)
    return f"{text} (مشترک)" if shared[rank.rank] > 1 else text


class RankingPage(QWidget):
    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window_ = window
        layout = QVBoxLayout(self)
        note = QLabel(
            "امتیاز هر گزارش: ۱۰۰ × جمع وزن شاخص‌هایی که «بله» پاسخ داده شده ÷ جمع وزن همه شاخص‌ها به جز «عدم مصداق»"
            " (وزن‌ها در تعریف فرم). امتیاز برابر، رتبه مشترک دارد و رتبه بعدی به اندازه آن‌ها جلو می‌رود؛"
            " واحدها و استان‌های بدون گزارش، بدون رتبه در پایان فهرست می‌آیند."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        splitter = QSplitter(Qt.Horizontal)
        units = QWidget()
        units_layout = QVBoxLayout(units)
        units_layout.setContentsMargins(0, 0, 0, 0)
        self.units_title = QLabel("رتبه واحدها")
        units_layout.addWidget(self.units_title)
        self.units = table(UNIT_COLUMNS, stretch=1)
        units_layout.addWidget(self.units)
        provinces = QWidget()
        provinces_layout = QVBoxLayout(provinces)
        provinces_layout.setContentsMargins(0, 0, 0, 0)
        self.provinces_title = QLabel("رتبه استان‌ها (میانگین امتیاز گزارش‌های واحدهای استان)")
        provinces_layout.addWidget(self.provinces_title)
        self.provinces = table(PROVINCE_COLUMNS, stretch=1)
        provinces_layout.addWidget(self.provinces)
        splitter.addWidget(units)
        splitter.addWidget(provinces)
        splitter.setSizes([760, 560])
        layout.addWidget(splitter, 1)

    def show_snapshot(self, snapshot) -> None:
        if snapshot.kind is not None:  # a kind with its own answers has no score to rank by
            self.units_title.setText(f"رتبه‌بندی با امتیاز گزارش سالانه است؛ برای «{snapshot.form.title}» صفحه تحلیل را ببینید.")
            fill(self.units, [])
            fill(self.provinces, [])
            return
        units, provinces = snapshot.unit_ranks, snapshot.province_ranks
        shared_units = Counter(r.rank for r in units if r.rank is not None)
        shared_provinces = Counter(r.rank for r in provinces if r.rank is not None)
        missing = sum(1 for r in units if r.rank is None)
        self.units_title.setText(fa_digits(f"رتبه واحدها: {len(units) - missing} واحد با گزارش، {missing} بدون گزارش"))
        self.units.set_records(units, lambda r: [  # rows made as they are shown (issue 16)
            item(rank_text(r, shared_units), raw=r.rank, align_center=True, colour="#7a7f87" if r.rank is None else None),
            item(r.label, raw=r.key, tooltip=r.key),
            item(PROVINCES.get(snapshot.unit_province.get(r.key, ""), hq_completeness.NATIONAL_FA)),
            item(NO_REPORT if r.score is None else fa_number(r.score, 2), raw=r.score, align_center=True),
        ])  # fmt: skip
        fill(self.provinces, [
            [
                item(rank_text(r, shared_provinces), raw=r.rank, align_center=True, colour="#7a7f87" if r.rank is None else None),
                item(r.label, raw=r.key),
                item(NO_REPORT if r.score is None else fa_number(r.score, 2), raw=r.score, align_center=True),
                item(fa_int(r.reports), raw=r.reports, align_center=True),
            ]
            for r in provinces
        ])  # fmt: skip
