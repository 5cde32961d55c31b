"""Normalisation of Persian input and Persian digits for display.

Clerks type on Persian and Arabic keyboard layouts alike; the same word must compare equal
whichever was used, so Arabic YEH/KAF become Persian ones. ZWNJ (U+200C, نیم‌فاصله) is part of
correct Persian spelling and is kept.
"""

from __future__ import annotations

import re
import unicodedata

ZWNJ = "\u200c"

_CHAR_MAP = str.maketrans(
    {
        "\u064a": "\u06cc",  # ARABIC YEH -> FARSI YEH
        "\u0649": "\u06cc",  # ALEF MAKSURA -> FARSI YEH
        "\u0643": "\u06a9",  # ARABIC KAF -> KEHEH
        "\u0000": None,
    }
)

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_LATIN_DIGITS = str.maketrans(
    {**{p: str(i) for i, p in enumerate(PERSIAN_DIGITS)}, **{a: str(i) for i, a in enumerate(ARABIC_INDIC_DIGITS)}}
)
_TO_PERSIAN_DIGITS = str.maketrans({str(i): p for i, p in enumerate(PERSIAN_DIGITS)})

_SPACES = re.compile(r"[ \t\u00a0]+")


def normalize_text(value: str) -> str:
    """Persian letters for Arabic look-alikes, trimmed, inner runs of spaces collapsed; ZWNJ and newlines kept."""
    value = unicodedata.normalize("NFC", value).translate(_CHAR_MAP)
    lines = [_SPACES.sub(" ", line).strip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def to_latin_digits(value: str) -> str:
    return value.translate(_TO_LATIN_DIGITS)


def to_persian_digits(value: object) -> str:
    """Display form of a number or any text containing Latin digits (۱۲۳ for 123, ٫ as decimal point)."""
    text = str(value)
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.translate(_TO_PERSIAN_DIGITS).replace(".", "٫")


def file_size_text(size: int) -> str:
    """A file size for people: «۸۱۲ بایت», «۴٫۹ کیلوبایت», «۱۲٫۳ مگابایت»."""
    if size < 1024:
        return f"{to_persian_digits(size)} بایت"
    if size < 1024 * 1024:
        return f"{to_persian_digits(round(size / 1024, 1))} کیلوبایت"
    return f"{to_persian_digits(round(size / (1024 * 1024), 1))} مگابایت"


# Characters that change what a terminal or a right-to-left line shows without being text: line
# breaks and other controls, and the bidi embeddings, overrides and isolates. A name holding them
# can print a fake line ("imported …") or reverse what follows it (issue 12).
_UNSAFE = re.compile("[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def unsafe_characters(text: str) -> list[str]:
    """The controls and bidi overrides in ``text`` (as ``U+XXXX``), in order; empty when it is plain text."""
    return [f"U+{ord(c):04X}" for c in _UNSAFE.findall(text)]


def printable(text: object) -> str:
    """``text`` safe to print on one line: each control or bidi override shown as ``\\uXXXX``."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))
