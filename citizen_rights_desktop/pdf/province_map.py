"""A tile map of the 31 provinces (issue 16): one square per province, laid out roughly as they lie
(north at the top, west at the left), coloured by a percent (a score, the share reported) from red
through amber to green, with the province's name and value. Drawn with reportlab graphics; the
Persian text through ``pdf.typeset.draw_line`` like the charts."""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.platypus import Flowable

from citizen_rights_desktop.pdf import fonts
from citizen_rights_desktop.pdf.charts import INK, MUTED, fit_text, number_text
from citizen_rights_desktop.pdf.typeset import draw_line
from citizen_rights_desktop.report.office import PROVINCES

# (column from west, row from north) of each province on a 7 × 5 grid
TILES: dict[str, tuple[int, int]] = {
    "azarbaijan_gharbi": (0, 0), "azarbaijan_sharqi": (1, 0), "ardabil": (2, 0), "gilan": (3, 0), "mazandaran": (4, 0), "golestan": (5, 0),
    "khorasan_shomali": (6, 0),
    "kordestan": (0, 1), "zanjan": (1, 1), "qazvin": (2, 1), "alborz": (3, 1), "tehran": (4, 1), "semnan": (5, 1), "khorasan_razavi": (6, 1),
    "kermanshah": (0, 2), "hamedan": (1, 2), "markazi": (2, 2), "qom": (3, 2), "isfahan": (4, 2), "yazd": (5, 2), "khorasan_jonubi": (6, 2),
    "ilam": (0, 3), "lorestan": (1, 3), "chaharmahal_bakhtiari": (2, 3), "kohgiluyeh_boyerahmad": (3, 3), "fars": (4, 3), "kerman": (5, 3),
    "sistan_baluchestan": (6, 3),
    "khuzestan": (1, 4), "bushehr": (3, 4), "hormozgan": (5, 4),
}  # fmt: skip
COLUMNS, ROWS = 7, 5
NO_VALUE = colors.HexColor("#e3e6ea")


def colour_of(value: float | None) -> colors.Color:
    """Red (0) → amber (50) → green (100); grey when there is no value."""
    if value is None:
        return NO_VALUE
    x = max(0.0, min(100.0, value)) / 100
    red, amber, green = (0.80, 0.33, 0.29), (0.93, 0.69, 0.25), (0.24, 0.62, 0.39)
    low, high, t = (red, amber, x * 2) if x < 0.5 else (amber, green, (x - 0.5) * 2)
    return colors.Color(*(a + (b - a) * t for a, b in zip(low, high)))


class ProvinceMap(Flowable):
    def __init__(self, values: dict[str, float | None], width: float, unit: str = "٪", size: float = 7.0):
        super().__init__()
        self.values, self.width, self.unit, self.size = values, width, unit, size
        self.tile = width / COLUMNS
        self.height = self.tile * 0.72 * ROWS
        self.hAlign = "CENTER"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def _box(self, key: str) -> tuple[float, float, float, float]:
        column, row = TILES[key]
        w, h = self.tile, self.tile * 0.72
        return column * w + 1.5, self.height - (row + 1) * h + 1.5, w - 3, h - 3

    def draw(self) -> None:
        drawing = Drawing(self.width, self.height)
        drawing.initialFontName = fonts.REGULAR
        for key in TILES:
            x, y, w, h = self._box(key)
            drawing.add(Rect(x, y, w, h, rx=3, ry=3, fillColor=colour_of(self.values.get(key)), strokeColor=colors.white, strokeWidth=0.8))
        renderPDF.draw(drawing, self.canv, 0, 0)
        for key in TILES:
            x, y, w, h = self._box(key)
            value = self.values.get(key)
            self.canv.setFillColor(INK)
            draw_line(self.canv, fit_text(PROVINCES[key], w - 4, fonts.BOLD, self.size), x + 2, y + h / 2 + 1, w - 4, fonts.BOLD, self.size, "center")
            self.canv.setFillColor(INK if value is not None else MUTED)
            text = "—" if value is None else number_text(value) + self.unit
            draw_line(self.canv, text, x + 2, y + h / 2 - self.size - 1, w - 4, fonts.REGULAR, self.size, "center")
