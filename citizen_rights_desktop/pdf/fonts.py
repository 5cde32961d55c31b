"""The bundled Vazirmatn fonts, registered once with reportlab (always embedded, subset)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from citizen_rights_desktop.paths import fonts_dir
from citizen_rights_desktop.pdf.errors import PdfError

REGULAR = "Vazirmatn"
MEDIUM = "Vazirmatn-Medium"
BOLD = "Vazirmatn-Bold"

_FILES = {REGULAR: "Vazirmatn-Regular.ttf", MEDIUM: "Vazirmatn-Medium.ttf", BOLD: "Vazirmatn-Bold.ttf"}


_original_to_unicode = ttfonts.makeToUnicodeCMap


def _letters(code: int) -> str:
    """What a glyph stands for in extracted text: an Arabic presentation form (what the reshaper
    draws) becomes its letter; a ligature its letters, in display order like the rest of the line."""
    char = chr(code)
    if 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        letters = unicodedata.normalize("NFKC", char)
        if letters.strip():
            return letters[::-1]
    return char


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with presentation forms mapped back to letters (see typeset)."""
    cmap = _original_to_unicode(fontname, subset)
    if not any(0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF for code in subset):
        return cmap
    head, _, rest = cmap.partition("beginbfchar")
    tail = rest[rest.index("endbfchar"):]
    entries = [f"<{index:02X}> <{_letters(code).encode('utf-16-be').hex().upper()}>" for index, code in enumerate(subset)]
    return head + "beginbfchar\n" + "\n".join(entries) + "\n" + tail


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str, str]:
    """Register the fonts (idempotent); ``PdfError`` when a font file is missing or broken."""
    if ttfonts.makeToUnicodeCMap is _original_to_unicode:
        # reportlab calls this module-level helper when it writes a subset font; mapping presentation
        # forms to letters only changes what text extraction returns, never what is drawn.
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    for name, file_name in _FILES.items():
        path = fonts_dir() / file_name
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except Exception as exc:  # reportlab raises TTFError, OSError, ... for a missing/broken file
            raise PdfError(
                f"cannot load the font {path}: {exc}",
                f"قلم «{file_name}» پیدا نشد یا خراب است؛ نرم‌افزار را دوباره نصب کنید.",
            ) from None
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return REGULAR, MEDIUM, BOLD
