"""The provinces as a tile map in the headquarters window (issue 16): the same layout and colours
as the progress report's (``pdf.province_map``), for the share of units that reported or the mean
score, chosen above it."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget

from citizen_rights_desktop.pdf.province_map import COLUMNS, ROWS, TILES, colour_of
from citizen_rights_desktop.report.office import PROVINCES
from ui.hq.common import fa_pct

MEASURES = (("reported", "درصد واحدهایی که گزارش فرستاده‌اند"), ("score", "میانگین امتیاز گزارش‌ها"))


class _Tiles(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.values: dict[str, float | None] = {}
        self.setMinimumHeight(260)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        width, height = self.width() / COLUMNS, min(self.height() / ROWS, self.width() / COLUMNS * 0.72)
        for key, (column, row) in TILES.items():
            value = self.values.get(key)
            colour = colour_of(value)
            box = QRectF(column * width, row * height, width, height)  # a map: west stays at the left, whatever the text's direction
            box = box.adjusted(2, 2, -2, -2)
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor.fromRgbF(colour.red, colour.green, colour.blue))
            painter.drawRoundedRect(box, 5, 5)
            painter.setPen(QColor("#1b2330"))
            painter.drawText(box, Qt.AlignCenter | Qt.TextWordWrap, f"{PROVINCES[key]}\n{fa_pct(value)}")
        painter.end()


class ProvinceMapView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.measure = QComboBox()
        for key, label in MEASURES:
            self.measure.addItem(label, key)
        self.measure.currentIndexChanged.connect(lambda _i: self._show())
        layout.addWidget(self.measure)
        self.tiles = _Tiles()
        layout.addWidget(self.tiles, 1)
        self.snapshot = None

    def show_snapshot(self, snapshot) -> None:
        self.snapshot = snapshot
        self._show()

    def _show(self) -> None:
        if self.snapshot is None:
            return
        if self.measure.currentData() == "score":
            values = {r.key: r.score for r in self.snapshot.province_ranks}
        else:
            values = {r.province: r.counts.percent for r in self.snapshot.completeness.by_province()}
        self.tiles.values = {k: v for k, v in values.items() if k in TILES}
        self.tiles.update()
