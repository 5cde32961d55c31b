"""Platypus flowables that typeset Persian with ``typeset`` (paragraphs, tables, signature block)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from citizen_rights_desktop.pdf import fonts
from citizen_rights_desktop.pdf.typeset import Line, break_lines, draw_line, text_width


@dataclass(frozen=True)
class Style:
    font: str = fonts.REGULAR
    size: float = 9.5
    leading: float = 16.5
    align: str = "right"  # right, center, left, justify
    color: colors.Color = colors.black
    space_before: float = 0
    space_after: float = 0
    background: colors.Color | None = None
    padding: float = 0  # inner padding when there is a background band
    indent: float = 0  # room kept at the right (the start of a Persian line), e.g. for a bullet

    def but(self, **changes) -> Style:
        return replace(self, **changes)


class RTLParagraph(Flowable):
    """A right-to-left paragraph: logical-order line breaking, drawn line by line with ActualText.

    ``bullet`` (e.g. «•») is drawn in the style's ``indent``, at the right of the first line; the
    lines themselves keep the indent, so a wrapped item hangs under its first line's text."""

    def __init__(self, text: str, style: Style, lines: list[Line] | None = None, keep_with_next: bool = False, bullet: str = ""):
        super().__init__()
        self.text = "" if text is None else str(text)
        self.style = style
        self.bullet = bullet
        self._lines = lines
        self._lines_width: float | None = None if lines is None else -1
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after
        self.keepWithNext = keep_with_next
        self.width = 0.0
        self.height = 0.0

    def _inner(self, width: float) -> float:
        return width - 2 * self.style.padding - self.style.indent

    def lines(self, width: float) -> list[Line]:
        if self._lines is None or (self._lines_width not in (-1, width)):
            self._lines = break_lines(self.text, self._inner(width), self.style.font, self.style.size)
            self._lines_width = width
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self.lines(availWidth)) * self.style.leading + 2 * self.style.padding
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self.lines(availWidth)
        fit = int((availHeight - 2 * self.style.padding) // self.style.leading)
        if fit >= len(lines):
            return [self]
        if fit < 2 or len(lines) - fit < 2:  # no widows or orphans of a single line
            if len(lines) < 4 or fit < 2:
                return []
            fit = min(fit, len(lines) - 2)
        first = RTLParagraph(self.text, self.style.but(space_after=0), lines[:fit], bullet=self.bullet)
        rest = RTLParagraph(self.text, self.style.but(space_before=0), lines[fit:])
        first._lines_width = rest._lines_width = availWidth
        return [first, rest]

    def draw(self) -> None:
        canv = self.canv
        style = self.style
        if style.background is not None:
            canv.setFillColor(style.background)
            canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canv.setFillColor(style.color)
        inner = self._inner(self.width)
        baseline_drop = style.leading * 0.5 + style.size * 0.42
        for index, line in enumerate(self.lines(self.width)):
            y = self.height - style.padding - index * style.leading - baseline_drop
            justify = style.align == "justify" and not line.last
            align = "right" if style.align == "justify" else style.align
            draw_line(canv, line.text, style.padding, y, inner, style.font, style.size, align, justify)
            if index == 0 and self.bullet and style.indent:
                draw_line(canv, self.bullet, style.padding + inner, y, style.indent, style.font, style.size, "center")


# --- tables --------------------------------------------------------------------------------

GRID = colors.HexColor("#8a8f98")
HEADER_FILL = colors.HexColor("#e4e8ee")
ZEBRA_FILL = colors.HexColor("#f6f7f9")


Cell = str | Flowable | Sequence[Flowable]


def rtl_table(
    header: Sequence[str] | None,
    rows: Sequence[Sequence[Cell]],
    weights: Sequence[float],
    width: float,
    cell: Style,
    head: Style | None = None,
    aligns: Sequence[str] | None = None,
    label_column: bool = False,
) -> Table:
    """A table whose first logical column is at the right; cells wrap; the header row repeats.

    ``weights`` give relative column widths (logical order); ``aligns`` per-column alignment.
    ``label_column`` shades the first column (key/value tables). A cell is text, or flowables
    laid out already (e.g. a label with its help under it).
    """
    count = len(weights)
    total = float(sum(weights))
    widths = [width * w / total for w in weights]
    aligns = list(aligns or ["right"] * count)
    head = head or cell.but(font=fonts.BOLD)
    data: list[list[Flowable]] = []
    if header is not None:
        data.append([RTLParagraph(h, head.but(align="center")) for h in header][::-1])
    for row in rows:
        data.append([RTLParagraph(text, cell.but(align=aligns[i])) if isinstance(text, str) else text for i, text in enumerate(row)][::-1])
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, cell.size),  # never the Helvetica default
    ]
    first_body = 0
    if header is not None:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
        first_body = 1
    if label_column:
        commands.append(("BACKGROUND", (count - 1, first_body), (count - 1, -1), ZEBRA_FILL))
    else:
        for index in range(first_body + 1, len(data), 2):
            commands.append(("BACKGROUND", (0, index), (-1, index), ZEBRA_FILL))
    table = Table(data, colWidths=widths[::-1], repeatRows=1 if header is not None else 0, style=TableStyle(commands), hAlign="RIGHT")
    return table


def column_weights(header: Sequence[str], rows: Sequence[Sequence[str]], font: str, size: float, minimum: Sequence[float] | None = None) -> list[float]:
    """Relative widths from the content: the widest header word and the typical cell text."""
    weights = []
    for index, title in enumerate(header):
        longest_word = max((text_width(w, fonts.BOLD, size) for w in title.split()), default=10)
        cells = [text_width(str(row[index]), font, size) for row in rows[:40]] or [0]
        typical = sorted(cells)[len(cells) * 3 // 4]
        header_share = text_width(title, fonts.BOLD, size) / 3  # a header wraps to 3 lines at most
        weight = max(longest_word + 10, header_share, min(typical + 10, 260), 24)
        if minimum is not None:
            weight = max(weight, minimum[index])
        weights.append(weight)
    return weights


# --- other blocks --------------------------------------------------------------------------


class Rule(Flowable):
    def __init__(self, color=GRID, thickness: float = 0.6, space: float = 6):
        super().__init__()
        self.color, self.thickness, self.space = color, thickness, space

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.space * 2

    def draw(self) -> None:
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.space, self.width, self.space)


class SignatureBlock(Flowable):
    """The signature on the left of the page: an optional scanned signature and seal, the head's
    name above the title, and beside them room for the visible digital signature (recorded through
    ``on_place`` as page number and box in PDF points, for ``signing.pades.sign_pdf``)."""

    BLOCK_WIDTH = 190.0
    SIGNATURE_BOX = (190.0, 58.0)

    def __init__(
        self,
        name: str,
        title: str,
        style: Style,
        signature_image=None,
        seal_image=None,
        on_place: Callable[[int, tuple[float, float, float, float]], None] | None = None,
        on_behalf: str = "",
    ):
        super().__init__()
        self.name, self.title, self.style = name, title, style
        self.on_behalf = on_behalf  # «از طرف …»: printed above the name of who signs for the head
        self.signature_image, self.seal_image = signature_image, seal_image
        self.on_place = on_place
        self.image_height = 60.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self.image_height + (3 if self.on_behalf else 2) * self.style.leading + 8
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        block = self.BLOCK_WIDTH
        top = self.height
        if self.seal_image is not None:
            canv.drawImage(self.seal_image, block * 0.45, top - self.image_height, width=block * 0.55, height=self.image_height,
                           preserveAspectRatio=True, anchor="c", mask="auto")  # fmt: skip
        if self.signature_image is not None:
            canv.drawImage(self.signature_image, 0, top - self.image_height, width=block * 0.6, height=self.image_height,
                           preserveAspectRatio=True, anchor="c", mask="auto")  # fmt: skip
        y = top - self.image_height - self.style.leading * 0.7
        canv.setFillColor(self.style.color)
        if self.on_behalf:
            draw_line(canv, self.on_behalf, 0, y, block, self.style.font, self.style.size, "center")
            y -= self.style.leading
        draw_line(canv, self.name, 0, y, block, fonts.BOLD, self.style.size + 1, "center")
        draw_line(canv, self.title, 0, y - self.style.leading, block, self.style.font, self.style.size, "center")
        box_w, box_h = self.SIGNATURE_BOX
        if self.on_place is not None:  # the digital signature's box: beside the name, towards the centre
            x0, y0 = canv.absolutePosition(block + 16, 4)
            self.on_place(canv.getPageNumber(), (x0, y0, x0 + box_w, y0 + box_h))
