"""Persian typesetting on a reportlab canvas, without reportlab's RTL support (it needs ``rlbidi``).

Lines are broken in *logical* order, measuring the width of each *reshaped* word (cached: the same
words recur throughout a report); then each line is reshaped (joined letter forms) and reordered
for display with ``bidi.algorithm.get_display`` (which mirrors brackets, unlike ``bidi.get_display``),
and drawn right-aligned, centred or justified.

Searchable text: the glyphs drawn are presentation forms in visual order. ``fonts`` makes the
font's ToUnicode map each presentation form back to its letter (a ligature to its letters in
visual order), so text extraction sees what it sees in PDFs made by word processors: the real
letters in display order, which viewers and ``pdftotext`` turn back into reading order. A bracket
the bidi algorithm mirrored carries the character written as ``/ActualText``.

Why not one ``/ActualText`` span per line holding the logical text: measured with poppler 22.12,
pdftotext spreads an ActualText string left to right over the span and then reverses right-to-left
text, so a logical Persian line comes out reversed («یلاعت همسب» for «بسمه تعالی»).
"""

from __future__ import annotations

from dataclasses import dataclass

import arabic_reshaper
from bidi import algorithm as _bidi
from reportlab.pdfbase.pdfmetrics import stringWidth

ZWNJ = "\u200c"

# default configuration: harakat (e.g. the damma of «بُعد») are dropped from the drawn glyphs, since
# reportlab cannot position combining marks; the logical text (ActualText) keeps them.
_reshaper = arabic_reshaper.ArabicReshaper()

_WIDTHS: dict[tuple[str, str], float] = {}  # (font, word) -> width at 1 pt


def reshape(text: str) -> str:
    return _reshaper.reshape(text)


def word_width(word: str, font: str, size: float) -> float:
    key = (font, word)
    width = _WIDTHS.get(key)
    if width is None:
        width = stringWidth(reshape(word), font, 1000) / 1000
        if len(_WIDTHS) > 50000:
            _WIDTHS.clear()
        _WIDTHS[key] = width
    return width * size


def text_width(text: str, font: str, size: float) -> float:
    """Width of a one-line logical text as it will be drawn."""
    words = text.split(" ")
    return sum(word_width(w, font, size) for w in words) + (len(words) - 1) * word_width(" ", font, size)


@dataclass(frozen=True)
class Line:
    text: str  # logical order
    last: bool  # last line of its paragraph (never stretched when justifying)


def _split_long_word(word: str, width: float, font: str, size: float) -> list[str]:
    """A word wider than the line (a long URL or file name), cut into pieces that fit."""
    pieces, current = [], ""
    for char in word:
        if current and word_width(current + char, font, size) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def break_lines(text: str, width: float, font: str, size: float) -> list[Line]:
    """Greedy line breaking in logical order; explicit newlines start new paragraphs."""
    lines: list[Line] = []
    space = word_width(" ", font, size)
    for paragraph in str(text).split("\n"):
        words = [w for w in paragraph.split(" ") if w]
        if not words:
            lines.append(Line("", True))
            continue
        current: list[str] = []
        used = 0.0
        for word in words:
            w = word_width(word, font, size)
            if w > width:
                pieces = _split_long_word(word, width, font, size)
                if current:
                    lines.append(Line(" ".join(current), False))
                for piece in pieces[:-1]:
                    lines.append(Line(piece, False))
                current, used = [pieces[-1]], word_width(pieces[-1], font, size)
                continue
            if current and used + space + w > width:
                lines.append(Line(" ".join(current), False))
                current, used = [word], w
            else:
                used = used + space + w if current else w
                current.append(word)
        lines.append(Line(" ".join(current), True))
    return lines


def _actual_text(text: str) -> str:
    """A PDF text string (UTF-16BE with BOM, hex) for /ActualText."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


# --- display order ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A line ready to draw: pieces of glyphs left to right; a piece with ``original`` set is a
    bracket shown mirrored, drawn with ``/ActualText`` holding the character actually written."""

    pieces: tuple[tuple[str, str | None], ...]

    @property
    def text(self) -> str:
        return "".join(piece for piece, _ in self.pieces)


_SHOWN: dict[str, Shown] = {}


def _display(line: str) -> Shown:
    """python-bidi's reference algorithm (``bidi.algorithm``, which mirrors brackets), paragraph
    direction right to left, applied to the reshaped line; remembers which characters it mirrored."""
    storage = _bidi.get_empty_storage()
    storage["base_level"] = 1
    storage["base_dir"] = "R"
    _bidi.get_embedding_levels(reshape(line), storage)
    _bidi.explicit_embed_and_overrides(storage)  # drops ZWNJ (it has done its work in reshaping)
    _bidi.resolve_weak_types(storage)
    _bidi.resolve_neutral_types(storage, False)
    _bidi.resolve_implicit_levels(storage, False)
    _bidi.reorder_resolved_levels(storage, False)
    originals = [char["ch"] for char in storage["chars"]]
    _bidi.apply_mirroring(storage, False)
    pieces: list[tuple[str, str | None]] = []
    plain = ""
    for original, char in zip(originals, storage["chars"]):
        shown = char["ch"]
        if shown == ZWNJ:
            continue
        if shown != original:
            if plain:
                pieces.append((plain, None))
                plain = ""
            pieces.append((shown, original))
        else:
            plain += shown
    if plain:
        pieces.append((plain, None))
    return Shown(tuple(pieces))


def shown(line: str) -> Shown:
    found = _SHOWN.get(line)
    if found is None:
        found = _display(line) if line else Shown(())
        if len(_SHOWN) > 20000:
            _SHOWN.clear()
        _SHOWN[line] = found
    return found


def visual(line: str) -> str:
    """The line as drawn: reshaped letter forms in left-to-right display order."""
    return shown(line).text


def _shown_width(text: str, font: str, size: float) -> float:
    key = (font, text)
    width = _WIDTHS.get(key)
    if width is None:
        width = stringWidth(text, font, 1000) / 1000
        _WIDTHS[key] = width
    return width * size


def draw_line(canv, line: str, x: float, y: float, width: float, font: str, size: float, align: str = "right", justify: bool = False) -> None:
    """Draw one logical line inside ``[x, x + width]`` at baseline ``y``.

    ``align`` is ``right`` (Persian default), ``center`` or ``left``; ``justify`` stretches the
    spaces so the line fills the width (reportlab keeps ' ' at code 32 in TrueType subsets, so the
    PDF word spacing operator applies to it).
    """
    if not line:
        return
    display = shown(line)
    drawn = _shown_width(display.text, font, size)
    spaces = display.text.count(" ")
    word_space = (width - drawn) / spaces if justify and spaces and drawn < width else 0.0
    if word_space or align == "right":
        start = x + width - drawn - word_space * spaces
    elif align == "center":
        start = x + (width - drawn) / 2
    else:
        start = x
    text = canv.beginText()
    text.setFont(font, size)
    text.setTextOrigin(start, y)
    if word_space:
        text.setWordSpace(word_space)
    code = text._code
    for piece, original in display.pieces:
        if original is None:
            text.textOut(piece)
        else:
            code.append(f"/Span <</ActualText {_actual_text(original)}>> BDC")
            text.textOut(piece)
            code.append("EMC")
    if word_space:
        text.setWordSpace(0)
    canv.drawText(text)
