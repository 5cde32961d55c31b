"""Bar charts drawn with QPainter, right to left: labels on the right, bars growing to the left.

The same painting serves the screen (``paintEvent``) and the PNG export (``save_png`` paints into
a QImage), so the file is exactly what the window shows, at any size.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.hq.common import fa_digits
from ui.formatting import fa_number

ROW = 24
TOP = 58
BOTTOM = 46
SIDE = 16
BAR_COLOUR = QColor("#3f6fb5")
GRID = QColor("#d0d4da")
MUTED = QColor("#7a7f87")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no data (drawn as a note, not as a zero bar)
    tooltip: str = ""


class BarChart(QWidget):
    """Horizontal bars on a 0–``maximum`` scale; ``suffix`` follows each value (e.g. ``٪``)."""

    def __init__(self, title: str, suffix: str = "٪", maximum: float = 100.0, no_data: str = "بدون گزارش", parent=None):
        super().__init__(parent)
        self.title = title
        self.subtitle = ""
        self.suffix = suffix
        self.maximum = maximum
        self.no_data = no_data
        self.bars: list[Bar] = []
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setAutoFillBackground(True)
        self.setLayoutDirection(Qt.RightToLeft)

    def set_bars(self, bars: list[Bar], subtitle: str = "") -> None:
        self.bars = list(bars)
        self.subtitle = subtitle
        self.setFixedHeight(self.chart_height())
        self.update()

    def chart_height(self) -> int:
        return TOP + BOTTOM + ROW * max(1, len(self.bars))

    def sizeHint(self) -> QSize:
        return QSize(900, self.chart_height())

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        try:
            self.paint(painter, self.width(), self.height())
        finally:
            painter.end()

    def value_text(self, value: float) -> str:
        return f"{fa_number(round(value, 1))}{self.suffix}"

    def paint(self, painter: QPainter, width: int, height: int) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setLayoutDirection(Qt.RightToLeft)
        painter.fillRect(0, 0, width, height, Qt.white)
        font = QFont(self.font())
        bold = QFont(font)
        bold.setBold(True)
        bold.setPointSizeF(font.pointSizeF() * 1.15)
        metrics = QFontMetrics(font)
        align_right = Qt.AlignAbsolute | Qt.AlignRight | Qt.AlignVCenter  # RTL painters swap plain AlignRight
        painter.setFont(bold)
        painter.setPen(Qt.black)
        painter.drawText(QRectF(SIDE, 6, width - 2 * SIDE, 26), align_right, self.title)
        if self.subtitle:
            painter.setFont(font)
            painter.setPen(MUTED)
            painter.drawText(QRectF(SIDE, 30, width - 2 * SIDE, 20), align_right, self.subtitle)
        painter.setFont(font)
        label_width = min(max([metrics.horizontalAdvance(b.label) for b in self.bars] + [60]) + 12, int(width * 0.4))
        value_width = metrics.horizontalAdvance(self.value_text(self.maximum)) + 12
        right = width - SIDE - label_width  # bars start here and grow to the left
        left = SIDE + max(value_width, metrics.horizontalAdvance(self.no_data) + 8)
        span = max(right - left, 10)
        bottom = TOP + ROW * max(1, len(self.bars))
        # grid and scale
        for step in range(5):
            fraction = step / 4
            x = right - span * fraction
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(int(x), TOP - 4, int(x), bottom)
            painter.setPen(MUTED)
            tick = fa_digits(int(round(self.maximum * fraction)))
            painter.drawText(QRectF(x - 30, bottom + 4, 60, 18), Qt.AlignCenter, tick)
        if not self.bars:
            painter.setPen(MUTED)
            painter.drawText(QRectF(left, TOP, span, ROW), Qt.AlignCenter, "داده‌ای برای نمایش نیست")
            return
        for index, bar in enumerate(self.bars):
            y = TOP + index * ROW
            painter.setPen(Qt.black)
            label = metrics.elidedText(bar.label, Qt.ElideRight, label_width - 8)
            painter.drawText(QRectF(right + 6, y, label_width - 6, ROW), align_right, label)
            if bar.value is None:
                painter.setPen(MUTED)
                painter.drawText(QRectF(left - 4 - value_width, y, span + value_width, ROW), align_right, self.no_data)
                continue
            length = span * max(0.0, min(bar.value, self.maximum)) / self.maximum
            painter.fillRect(QRectF(right - length, y + 4, length, ROW - 8), BAR_COLOUR)
            painter.setPen(Qt.black)
            painter.drawText(QRectF(right - length - value_width - 4, y, value_width, ROW), align_right, self.value_text(bar.value))

    def to_image(self, width: int | None = None) -> QImage:
        width = width or max(self.width(), 900)
        height = self.chart_height()
        image = QImage(width, height, QImage.Format_ARGB32)
        image.fill(Qt.white)
        painter = QPainter(image)
        try:
            self.paint(painter, width, height)
        finally:
            painter.end()
        return image

    def save_png(self, path: str | Path, width: int | None = None) -> Path:
        path = Path(path)
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        if not self.to_image(width).save(str(path), "PNG"):
            raise OSError(f"cannot write {path}")
        return path
