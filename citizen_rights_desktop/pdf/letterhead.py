"""The official letterhead (سربرگ) drawn on every page, and the page numbers.

Layout (see shared/LETTERHEAD.md): the emblem with «جمهوری اسلامی ایران» and the organization's
name under it at the top right; «بسمه تعالی» centred; شماره / تاریخ / پیوست at the top left, in
that order; a rule under the header; «صفحه n از N» centred in the footer (Persian digits).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from citizen_rights_desktop.pdf import fonts
from citizen_rights_desktop.pdf.typeset import break_lines, draw_line
from citizen_rights_desktop.persian.text import to_persian_digits

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 42.0
HEADER_HEIGHT = 118.0
FOOTER_HEIGHT = 36.0
EMBLEM_SIZE = 46.0
INK = colors.HexColor("#1b2330")
RULE = colors.HexColor("#5b6470")


@dataclass
class Letterhead:
    organization: str
    letter_number: str
    letter_date: str  # Jalali, Persian digits
    attachments: str  # «دارد» / «ندارد»
    emblem: ImageReader | None = None
    country: str = "جمهوری اسلامی ایران"
    invocation: str = "بسمه تعالی"
    footer_note: str = ""

    def draw(self, canv: Canvas, page: int, pages: int) -> None:
        canv.saveState()
        canv.setFillColor(INK)
        top = PAGE_HEIGHT - 30
        right = PAGE_WIDTH - MARGIN
        block = 170.0  # width of the organization block under the emblem
        centre_x = right - block / 2
        if self.emblem is not None:
            canv.drawImage(self.emblem, centre_x - EMBLEM_SIZE / 2, top - EMBLEM_SIZE, EMBLEM_SIZE, EMBLEM_SIZE,
                           preserveAspectRatio=True, anchor="c", mask="auto")  # fmt: skip
        y = top - EMBLEM_SIZE - 11
        draw_line(canv, self.country, right - block, y, block, fonts.MEDIUM, 7.5, "center")
        for line in break_lines(self.organization, block, fonts.BOLD, 8.5)[:3]:
            y -= 12
            draw_line(canv, line.text, right - block, y, block, fonts.BOLD, 8.5, "center")
        draw_line(canv, self.invocation, MARGIN, top - 12, PAGE_WIDTH - 2 * MARGIN, fonts.BOLD, 11, "center")
        # number / date / attachments: labels right-aligned in a column, values after them
        label_right = MARGIN + 165
        label_width = 40
        y = top - 16
        for label, value in (("شماره:", self.letter_number), ("تاریخ:", self.letter_date), ("پیوست:", self.attachments)):
            draw_line(canv, label, label_right - label_width, y, label_width, fonts.BOLD, 9, "right")
            draw_line(canv, value, MARGIN, y, label_right - label_width - MARGIN - 4, fonts.REGULAR, 9, "right")
            y -= 17
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.8)
        rule_y = PAGE_HEIGHT - HEADER_HEIGHT
        canv.line(MARGIN, rule_y, PAGE_WIDTH - MARGIN, rule_y)
        canv.setLineWidth(0.4)
        canv.line(MARGIN, rule_y - 2, PAGE_WIDTH - MARGIN, rule_y - 2)
        # footer
        foot_y = FOOTER_HEIGHT - 8
        canv.line(MARGIN, foot_y + 12, PAGE_WIDTH - MARGIN, foot_y + 12)
        text = f"صفحه {to_persian_digits(page)} از {to_persian_digits(pages)}"
        draw_line(canv, text, MARGIN, foot_y, PAGE_WIDTH - 2 * MARGIN, fonts.REGULAR, 8.5, "center")
        if self.footer_note:
            draw_line(canv, self.footer_note, PAGE_WIDTH / 2 + 60, foot_y, PAGE_WIDTH / 2 - 60 - MARGIN, fonts.REGULAR, 7.5, "right")
        canv.restoreState()


class LetterheadCanvas(Canvas):
    """A canvas that keeps each page until the end, then draws the letterhead with «صفحه n از N».

    ``letterhead`` and ``on_page`` are set by the renderer on the class made for one document.
    """

    letterhead: Letterhead
    on_page = None

    def __init__(self, *args, **kwargs):
        kwargs["initialFontName"] = fonts.REGULAR  # the default Helvetica would not be embedded
        kwargs.setdefault("initialFontSize", 10)
        kwargs.setdefault("initialLeading", 16)
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        if self.on_page is not None:
            self.on_page(len(self._pages))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.letterhead.draw(self, number, total)
            super().showPage()
        super().save()
