"""Inspections page (issue 15): the joint teams' visits of the window's period rolled up by the same
core functions as ``hq inspections`` (``hq.inspections``): per province or agency (visits, mean
score, open and overdue findings, contradictions), per dimension, and the contradictions with the
offices' own annual reports one by one.

The roll-up is lazy (issue 16: reading 2,500 visits took a second of the window's start): it is
computed off the GUI thread (``ui.hq.data.load_inspections``) the first time the tab is shown;
after new figures (another period, filters, an import) it is computed again at once if the tab is
on screen, else marked stale and computed when the tab is next shown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from citizen_rights_desktop.form.catalog import FormNotFound
from citizen_rights_desktop.hq import inspections as hq_inspections
from citizen_rights_desktop.report.office import PROVINCES
from ui.hq import data
from ui.hq.common import fa_digits, fa_int, fa_pct, fill, item, table
from ui.hq.tasks import DatabaseTask, start

GROUPS = (("national", "کل کشور"), ("province", "به تفکیک استان"), ("agency", "به تفکیک دستگاه"))
GROUP_COLUMNS = ["گروه", "بازدید", "میانگین امتیاز", "یافته باز", "یافته با مهلت گذشته", "مغایرت با خوداظهاری"]
DIMENSION_COLUMNS = ["بُعد", "عنوان", "میانگین امتیاز", "بازدیدها"]
CONTRADICTION_COLUMNS = ["تاریخ بازدید", "دستگاه بازرسی‌شده", "مورد", "شاخص گزارش سالانه («بله»)"]


class InspectionsPage(QWidget):
    loaded = Signal()  # the roll-up is shown (or failed)

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window_ = window
        self.figures: data.InspectionFigures | None = None
        self.stale = True  # the figures shown (if any) are not those of the window's period and filters
        self.loading = False
        self._generation = 0
        self._tasks: list = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel("نمایش:"))
        self.grouping = QComboBox()
        for key, label in GROUPS:
            self.grouping.addItem(label, key)
        self.grouping.currentIndexChanged.connect(lambda _i: self._show())
        top.addWidget(self.grouping)
        layout.addLayout(top)
        note = QLabel(
            "امتیاز: رعایت شده ۱، تا حدودی ۰٫۵، رعایت نشده صفر؛ «مصداق ندارد» در مخرج نیست. یافته باز: یافته‌ای که بازدید بعدی"
            " همان دستگاه آن را برطرف‌شده نیافته است. مغایرت: موردی که تیم «رعایت نشده» یافت و دستگاه در گزارش سالانه «بله» پاسخ داده بود."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.groups = table(GROUP_COLUMNS, stretch=0)
        layout.addWidget(self.groups, 2)
        splitter = QSplitter(Qt.Horizontal)
        self.dimensions = table(DIMENSION_COLUMNS, stretch=1)
        self.contradictions = table(CONTRADICTION_COLUMNS, stretch=1)
        splitter.addWidget(self.dimensions)
        splitter.addWidget(self.contradictions)
        layout.addWidget(splitter, 3)

    # --- when to compute -------------------------------------------------------------------------

    def invalidate(self) -> None:
        """The window shows new figures: compute the roll-up again now if the tab is on screen."""
        self.stale = True
        if self.isVisible():
            self.load()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.stale:
            self.load()

    def load(self) -> None:
        """Compute the roll-up of the window's period and filters off the GUI thread."""
        window = self.window_
        if window.snapshot is None or window.loading:
            return  # the window's figures are on their way: they invalidate this page when shown
        self.stale, self.loading = False, True
        self._generation += 1
        generation = self._generation
        self.summary.setText("در حال محاسبه بازدیدهای بازرسی…")
        catalog, period, scope = window.catalog, window.snapshot.period, window.filters.scope()
        task = DatabaseTask(window.db_path, lambda database, _task: data.load_inspections(database, catalog, period, scope), "inspections")
        task.signals.finished.connect(lambda figures: self._loaded(generation, figures))
        task.signals.failed.connect(lambda message: self._failed(generation, message))
        start(task, self._tasks)

    def _loaded(self, generation: int, figures) -> None:
        if generation != self._generation:
            return  # a newer roll-up is on its way
        self.loading = False
        self.figures = figures
        self._show()
        self.loaded.emit()

    def _failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.loading, self.stale = False, True
        self.summary.setText(message)
        self.loaded.emit()

    # --- what is shown -------------------------------------------------------------------------

    def _period_words(self, period: str) -> str:
        """«سال ۱۳۹۹» or «سه‌ماهه دوم ۱۳۹۹ (تیر تا شهریور)»: the window's kind says which."""
        return self.window_.form.period_words(period)

    def _show(self) -> None:
        figures = self.figures
        if figures is None:
            return
        chosen = figures.visits
        if not chosen:
            self.summary.setText(fa_digits(f"در {self._period_words(figures.period)} بازدید بازرسی دریافت نشده است."))
            for widget in (self.groups, self.dimensions, self.contradictions):
                fill(widget, [])
            return
        versions = "، ".join(sorted({v.form_version for v in chosen}))
        self.summary.setText(fa_digits(f"بازدیدهای بازرسی {self._period_words(figures.period)}: {len(chosen)} بازدید (نسخه چک لیست: {versions})"))
        by = self.grouping.currentData()
        groups = figures.groups[None if by == "national" else by]
        fill(self.groups, [
            [
                item(PROVINCES.get(g.key, g.key) if by == "province" else (g.key or "کل کشور"), raw=g.key),
                item(fa_int(g.visits), raw=g.visits, align_center=True),
                item(fa_pct(g.mean_score), raw=g.mean_score, align_center=True),
                item(fa_int(g.open_findings), raw=g.open_findings, align_center=True),
                item(fa_int(g.overdue_findings), raw=g.overdue_findings, align_center=True, colour="#c0392b" if g.overdue_findings else None),
                item(fa_int(g.contradictions), raw=g.contradictions, align_center=True),
            ]
            for g in groups
        ])  # fmt: skip
        try:
            form = self.window_.catalog.latest(hq_inspections.INSPECTION_FORM_ID)
            titles = {d.id: (d.number, d.title) for d in form.dimensions}
        except FormNotFound:
            titles = {}
        fill(self.dimensions, [
            [item(fa_digits(titles.get(key, ("", ""))[0]), raw=key, align_center=True), item(titles.get(key, ("", key))[1]),
             item(fa_pct(mean), raw=mean, align_center=True), item(fa_int(count), raw=count, align_center=True)]
            for key, (mean, count) in figures.dimensions.items()
        ])  # fmt: skip
        fill(self.contradictions, [
            [item(v.period.label_fa, raw=v.period.text), item(v.office_name, tooltip=v.office_id), item(fa_digits(c.number), raw=c.indicator_id, align_center=True, tooltip=c.title),
             item(fa_digits("، ".join(str(int(i[1:])) if i[1:].isdigit() else i for i in c.claimed)), align_center=True)]
            for v in chosen for c in v.contradictions
        ])  # fmt: skip
