"""Analysis page: answer shares per indicator (national, per province or level), the indicator ×
province pivot of "yes" shares, bar charts (exportable as PNG) and numeric summaries. A kind of
report with its own answers (the quarterly program report) shows its own figures instead, per
program and action (``ui.hq.kind_page``), and the numeric summaries."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.hq import completeness as hq_completeness
from citizen_rights_desktop.hq.export import STATUS_FA
from citizen_rights_desktop.report.office import LEVELS, PROVINCES
from ui.formatting import fa_number
from ui.hq.charts import Bar, BarChart
from ui.hq.kind_page import KindView
from ui.hq.province_map import ProvinceMapView
from ui.hq.common import RAW_ROLE, fa_digits, fa_int, fa_pct, fill, item, table

SHARE_COLUMNS = ["شاخص", "عنوان", *(STATUS_FA[s] for s in analysis.STATUSES), analysis.YES_SHARE_FA]
NUMBER_COLUMNS = ["شاخص", "عنوان", "نوع", "تعداد گزارش", "جمع", "میانگین"]
KIND_FA = {"field": "پرسش", "column": "ستون جدول (جمع هر گزارش)", "rows": "تعداد ردیف جدول", "computed": "مقدار محاسبه‌شده"}
HEADER_CHARS = 34  # indicator titles in the pivot's row headers (the whole title is the tooltip)
NUMBERS_NOTE = "جمع و میانگین ارقام، روی گزارش‌هایی که به شاخص «بله» پاسخ داده‌اند."
GROUPING_FA = [("کل کشور", None), ("به تفکیک استان", "province"), ("به تفکیک سطح سازمانی", "level")]


def group_name(by: str | None, key: str) -> str:
    if by == "province":
        return PROVINCES.get(key, hq_completeness.NATIONAL_FA)
    if by == "level":
        return LEVELS.get(key, key or "نامشخص")
    return "کل کشور"


class PivotModel(QAbstractTableModel):
    """Indicators (rows) × provinces (columns): the percent of the province's reports answering
    "yes", from ``analysis.pivot_yes_share``; shown with Persian digits, shaded by value."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.form: FormDefinition | None = None
        self.pivot: dict[str, dict[str, float | None]] = {}
        self.columns: list[str] = []

    def set_pivot(self, form: FormDefinition, pivot: dict[str, dict[str, float | None]]) -> None:
        self.beginResetModel()
        self.form, self.pivot = form, pivot
        groups = {g for shares in pivot.values() for g in shares}
        self.columns = list(PROVINCES) + ([hq_completeness.NATIONAL] if hq_completeness.NATIONAL in groups else [])
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.form is None else len(self.form.indicators)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def value(self, row: int, column: int) -> float | None:
        return self.pivot.get(self.form.indicators[row].id, {}).get(self.columns[column])

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid() or self.form is None:
            return None
        value = self.value(index.row(), index.column())
        if role == Qt.DisplayRole:
            return "—" if value is None else f"{fa_number(round(value), 0)}٪"
        if role == RAW_ROLE:
            return value
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignCenter)
        if role == Qt.BackgroundRole and value is not None:
            # white (0 %) to green (100 %)
            shade = int(255 - 120 * value / 100)
            return QBrush(QColor(shade, 255 - int(60 * value / 100), shade))
        if role == Qt.ToolTipRole:
            indicator = self.form.indicators[index.row()]
            where = PROVINCES.get(self.columns[index.column()], hq_completeness.NATIONAL_FA)
            return f"{indicator.full_title}\n{where}: " + ("بدون گزارش" if value is None else fa_pct(value))
        return None

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):
        if self.form is None:
            return None
        if orientation == Qt.Horizontal:
            key = self.columns[section]
            if role == Qt.DisplayRole:
                return PROVINCES.get(key, hq_completeness.NATIONAL_FA)
            if role == RAW_ROLE:
                return key
        else:
            indicator = self.form.indicators[section]
            if role == Qt.DisplayRole:
                title = indicator.title if len(indicator.title) <= HEADER_CHARS else indicator.title[: HEADER_CHARS - 1].rstrip() + "…"
                return fa_digits(f"{indicator.number}. ") + title
            if role == Qt.ToolTipRole:
                return indicator.full_title
            if role == RAW_ROLE:
                return indicator.id
        return None


class AnalysisPage(QWidget):
    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window_ = window
        self.snapshot = None
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)

        # answer shares
        shares = QWidget()
        shares_layout = QVBoxLayout(shares)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("سهم پاسخ‌ها:"))
        self.grouping = QComboBox()
        for label, by in GROUPING_FA:
            self.grouping.addItem(label, by)
        self.grouping.currentIndexChanged.connect(self._grouping_changed)
        bar.addWidget(self.grouping)
        self.group = QComboBox()
        self.group.setMinimumWidth(220)
        self.group.currentIndexChanged.connect(lambda _i: self._fill_shares())
        bar.addWidget(self.group)
        self.shares_count = QLabel("")
        bar.addWidget(self.shares_count, 1)
        shares_layout.addLayout(bar)
        self.shares_table = table(SHARE_COLUMNS, stretch=1)
        shares_layout.addWidget(self.shares_table)
        self.tabs.addTab(shares, "سهم پاسخ‌ها")

        # pivot
        pivot = QWidget()
        pivot_layout = QVBoxLayout(pivot)
        self.pivot_note = QLabel("درصد گزارش‌هایی که به هر شاخص «بله» پاسخ داده‌اند، در هر استان (— : بدون گزارش).")
        pivot_layout.addWidget(self.pivot_note)
        self.pivot_model = PivotModel(self)
        self.pivot_view = QTableView()
        self.pivot_view.setModel(self.pivot_model)
        self.pivot_view.setWordWrap(False)
        self.pivot_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.pivot_view.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.pivot_view.verticalHeader().setDefaultSectionSize(24)
        pivot_layout.addWidget(self.pivot_view)
        self.tabs.addTab(pivot, "جدول محوری شاخص × استان")

        # charts
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        buttons = QHBoxLayout()
        self.save_indicator_chart = QPushButton("ذخیره نمودار شاخص‌ها (PNG)…")
        self.save_province_chart = QPushButton("ذخیره نمودار استان‌ها (PNG)…")
        buttons.addWidget(self.save_indicator_chart)
        buttons.addWidget(self.save_province_chart)
        buttons.addStretch(1)
        charts_layout.addLayout(buttons)
        self.indicator_chart = BarChart("سهم پاسخ «بله» به تفکیک شاخص (کل کشور)")
        self.province_chart = BarChart("میانگین امتیاز گزارش‌ها به تفکیک استان", suffix="")
        self.save_indicator_chart.clicked.connect(lambda: self.save_chart(self.indicator_chart, "chart-indicators.png"))
        self.save_province_chart.clicked.connect(lambda: self.save_chart(self.province_chart, "chart-provinces.png"))
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.indicator_chart)
        inner_layout.addSpacing(16)
        inner_layout.addWidget(self.province_chart)
        inner_layout.addStretch(1)
        self.chart_scroll = QScrollArea()
        self.chart_scroll.setWidgetResizable(True)
        self.chart_scroll.setWidget(inner)
        charts_layout.addWidget(self.chart_scroll)
        self.tabs.addTab(charts, "نمودارها")

        # numeric summaries
        numbers = QWidget()
        numbers_layout = QVBoxLayout(numbers)
        self.numbers_note = QLabel(NUMBERS_NOTE)
        numbers_layout.addWidget(self.numbers_note)
        self.numbers_table = table(NUMBER_COLUMNS, stretch=1)
        numbers_layout.addWidget(self.numbers_table)
        self.tabs.addTab(numbers, "ارقام")
        self.province_map = ProvinceMapView()  # the provinces as a tile map (issue 16)
        self.tabs.addTab(self.province_map, "نقشه استان‌ها")
        self.kind_view = KindView()  # a kind with its own answers: per program and action, first
        self.tabs.insertTab(0, self.kind_view, "برنامه‌ها و اقدام‌ها")
        self.tabs.setTabVisible(0, False)
        self.tabs.setCurrentWidget(shares)
        self.annual_tabs = [shares, pivot, charts, self.province_map]  # the annual report's «بله» and score
        self.yearly = True

    def _show_kind(self, snapshot) -> bool:
        """Show the sub-tabs that fit the snapshot's kind; ``True`` for the annual report."""
        yearly = snapshot.kind is None
        if yearly != self.yearly:  # another kind: its own sub-tabs, the first of them chosen
            self.yearly = yearly
            for page in self.annual_tabs:
                self.tabs.setTabVisible(self.tabs.indexOf(page), yearly)
            self.tabs.setTabVisible(self.tabs.indexOf(self.kind_view), not yearly)
            self.tabs.setCurrentWidget(self.annual_tabs[0] if yearly else self.kind_view)
        headers = list(NUMBER_COLUMNS)
        headers[0] = snapshot.form.kind.indicator_word  # «شاخص», «اقدام»
        self.numbers_table.set_headers(headers)
        self.kind_view.show_figures(snapshot.kind)
        self.numbers_note.setText(NUMBERS_NOTE if yearly else f"جمع و میانگین ارقام هر {snapshot.form.kind.indicator_word}، روی گزارش‌هایی که در پاسخ به آن، این ارقام را داده‌اند.")
        return yearly

    def show_snapshot(self, snapshot) -> None:
        self.snapshot = snapshot
        form = snapshot.form
        yearly = self._show_kind(snapshot)
        self._fill_numbers(snapshot)
        if not yearly:
            return
        self.province_map.show_snapshot(snapshot)
        self.pivot_model.set_pivot(snapshot.form, snapshot.pivot)
        self._grouping_changed()
        national = snapshot.shares[None]
        total = sum(national.reports.values())
        self.indicator_chart.set_bars(
            [Bar(fa_digits(f"{ind.number}. ") + ind.title, national.share("", ind.id), ind.full_title) for ind in form.indicators],
            fa_digits(f"دوره {snapshot.period}، {total} گزارش"),
        )
        self.province_chart.set_bars(
            [Bar(r.label, r.score) for r in snapshot.province_ranks],
            "از بیشترین به کمترین؛ استان‌های بدون گزارش در پایان (امتیاز: ۱۰۰ × وزن شاخص‌های «بله» ÷ وزن همه شاخص‌ها جز عدم مصداق)",
        )
        self.indicator_chart.value_text = lambda v: fa_pct(v, 0)  # type: ignore[method-assign]

    def _fill_numbers(self, snapshot) -> None:
        form = snapshot.form
        if form.kind.period == "year":
            indicator_numbers = {ind.id: fa_int(ind.number) for ind in form.indicators}
        else:  # actions are numbered within their program: «۲.۵»
            indicator_numbers = {i.id: fa_digits(f"{d.number}.{i.number}") for d in form.dimensions for i in d.indicators}
        fill(self.numbers_table, [
            [
                item(indicator_numbers[n.indicator_id], raw=n.indicator_id, align_center=True),
                item(n.label, raw=n.item),
                item(KIND_FA.get(n.kind, n.kind)),
                item(fa_int(n.reports), raw=n.reports, align_center=True),
                item(fa_number(n.total, 2), raw=n.total, align_center=True),
                item(fa_number(n.mean, 2), raw=n.mean, align_center=True),
            ]
            for n in snapshot.numbers
        ])  # fmt: skip

    def _grouping_changed(self) -> None:
        if self.snapshot is None or self.snapshot.kind is not None:
            return
        by = self.grouping.currentData()
        shares = self.snapshot.shares[by]
        order = {k: i for i, k in enumerate(PROVINCES if by == "province" else LEVELS)}
        keys = sorted(shares.reports, key=lambda k: (order.get(k, len(order)), k))
        self.group.blockSignals(True)
        self.group.clear()
        for key in keys:
            self.group.addItem(group_name(by, key), key)
        self.group.setEnabled(by is not None)
        self.group.blockSignals(False)
        self._fill_shares()

    def _fill_shares(self) -> None:
        if self.snapshot is None or self.snapshot.kind is not None:
            return
        by = self.grouping.currentData()
        shares = self.snapshot.shares[by]
        key = self.group.currentData() if by is not None else ""
        key = "" if key is None else key
        reports = shares.reports.get(key, 0)
        self.shares_count.setText(fa_digits(f"{group_name(by, key)}: {reports} گزارش"))
        rows = []
        for indicator in self.snapshot.form.indicators:
            counts = shares.counts.get((key, indicator.id), dict.fromkeys(analysis.STATUSES, 0))
            share = shares.share(key, indicator.id)
            rows.append([
                item(fa_int(indicator.number), raw=indicator.id, align_center=True),
                item(indicator.title, tooltip=indicator.full_title),
                *(item(fa_int(counts[s]), raw=counts[s], align_center=True) for s in analysis.STATUSES),
                item(fa_pct(share), raw=share, align_center=True),
            ])  # fmt: skip
        fill(self.shares_table, rows)

    def save_chart(self, chart: BarChart, default_name: str) -> None:
        path = self.window_.choose_save_file("ذخیره نمودار", default_name, "تصویر PNG (*.png)")
        if not path:
            return
        self.window_.run_guarded(lambda: chart.save_png(path, max(chart.width(), 1000)), f"نمودار ذخیره شد:\n{path}")
