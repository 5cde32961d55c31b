"""Bar charts for the national analytical report, drawn with reportlab graphics (no matplotlib).

Right to left: the labels stand at the right, bars grow from the right towards the left, the
axis reads ۰ at the right to the maximum at the left. Bars, grid and axis are reportlab graphics
shapes (``reportlab.graphics.shapes``) rendered onto the page; every Persian text (labels, values,
axis) is drawn with ``pdf.typeset.draw_line`` so it is shaped, ordered and searchable like the rest
of the report, in the embedded Vazirmatn font.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.lib import colors
from reportlab.platypus import Flowable

from citizen_rights_desktop.pdf import fonts
from citizen_rights_desktop.pdf.typeset import draw_line, text_width
from citizen_rights_desktop.persian.text import to_persian_digits

BAR = colors.HexColor("#2f5d8a")
BAR_LOW = colors.HexColor("#b5523b")
GRID = colors.HexColor("#c9ced6")
AXIS = colors.HexColor("#5b6470")
INK = colors.HexColor("#1b2330")
MUTED = colors.HexColor("#6b7380")
ELLIPSIS = "…"


def fit_text(text: str, width: float, font: str, size: float) -> str:
    """``text`` cut at a word boundary (with an ellipsis) so that it fits ``width``."""
    if text_width(text, font, size) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words) + ELLIPSIS
        if text_width(candidate, font, size) <= width:
            return candidate
    return words[0]


def number_text(value: float, decimals: int = 1) -> str:
    rounded = round(float(value), decimals)
    return to_persian_digits(int(rounded) if rounded.is_integer() else rounded)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: nothing to show (e.g. no report), written as ``missing_text``


class BarChart(Flowable):
    """A horizontal bar chart, one bar per item, right to left; ``highlight_below`` colours low bars."""

    def __init__(
        self,
        bars: list[Bar],
        maximum: float = 100.0,
        ticks: tuple[float, ...] = (0, 25, 50, 75, 100),
        unit: str = "٪",
        label_width: float = 170.0,
        bar_height: float = 9.0,
        gap: float = 4.0,
        size: float = 7.5,
        missing_text: str = "بدون گزارش",
        highlight_below: float | None = None,
    ):
        super().__init__()
        self.bars, self.maximum, self.ticks, self.unit = bars, maximum, ticks, unit
        self.label_width, self.bar_height, self.gap, self.size = label_width, bar_height, gap, size
        self.missing_text, self.highlight_below = missing_text, highlight_below
        self.axis_height = 16.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self.bars) * (self.bar_height + self.gap) + self.axis_height + 4
        return self.width, self.height

    def _geometry(self) -> tuple[float, float]:
        """(left, right) x of the plot area: room at the left for the longest value text."""
        value_room = text_width(number_text(self.maximum) + self.unit, fonts.REGULAR, self.size) + 8
        return value_room, self.width - self.label_width - 6

    def drawing(self) -> Drawing:
        """Bars, grid lines and axis as reportlab graphics shapes (labels are drawn separately)."""
        left, right = self._geometry()
        span = right - left
        drawing = Drawing(self.width, self.height)
        drawing.initialFontName = fonts.REGULAR  # renderPDF would otherwise select Helvetica (not embedded)
        top = self.height
        bottom = self.axis_height
        for tick in self.ticks:
            x = right - span * tick / self.maximum
            drawing.add(Line(x, bottom, x, top, strokeColor=GRID, strokeWidth=0.4))
        drawing.add(Line(right, bottom, right, top, strokeColor=AXIS, strokeWidth=0.8))
        drawing.add(Line(left, bottom, right, bottom, strokeColor=AXIS, strokeWidth=0.6))
        for index, bar in enumerate(self.bars):
            if bar.value is None:
                continue
            y = top - (index + 1) * (self.bar_height + self.gap) + self.gap / 2
            length = span * max(0.0, min(bar.value, self.maximum)) / self.maximum
            low = self.highlight_below is not None and bar.value < self.highlight_below
            drawing.add(Rect(right - length, y, length, self.bar_height, fillColor=BAR_LOW if low else BAR, strokeColor=None, strokeWidth=0))
        return drawing

    def draw(self) -> None:
        canv = self.canv
        renderPDF.draw(self.drawing(), canv, 0, 0)
        left, right = self._geometry()
        span = right - left
        top = self.height
        canv.setFillColor(INK)
        for index, bar in enumerate(self.bars):
            y = top - (index + 1) * (self.bar_height + self.gap) + self.gap / 2
            baseline = y + self.bar_height / 2 - self.size * 0.35
            label = fit_text(bar.label, self.label_width, fonts.REGULAR, self.size)
            draw_line(canv, label, right + 6, baseline, self.label_width, fonts.REGULAR, self.size, "right")
            if bar.value is None:
                canv.setFillColor(MUTED)
                draw_line(canv, self.missing_text, left, baseline, span - 4, fonts.REGULAR, self.size, "right")
                canv.setFillColor(INK)
                continue
            length = span * max(0.0, min(bar.value, self.maximum)) / self.maximum
            text = number_text(bar.value) + self.unit
            draw_line(canv, text, 0, baseline, right - length - 3, fonts.REGULAR, self.size, "right")
        canv.setFillColor(MUTED)
        for tick in self.ticks:
            x = right - span * tick / self.maximum
            label = number_text(tick) + self.unit
            w = text_width(label, fonts.REGULAR, self.size - 0.5) + 2
            draw_line(canv, label, x - w / 2, 4, w, fonts.REGULAR, self.size - 0.5, "center")
