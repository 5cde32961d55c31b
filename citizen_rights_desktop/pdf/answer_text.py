"""How answers read on paper: Persian digits with Persian thousands separators, Jalali dates, option
labels, computed values, and the words for yes / no / not applicable."""

from __future__ import annotations

import re

from citizen_rights_desktop.form.definition import Field
from citizen_rights_desktop.form.values import typed_text
from citizen_rights_desktop.persian.jalali import to_jalali_text
from citizen_rights_desktop.persian.text import to_persian_digits

NOT_ANSWERED = "پاسخ داده نشده"
EMPTY = "—"


# --- values ----------------------------------------------------------------------------------


def _number(value: float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return to_persian_digits(round(value, 2))
    return to_persian_digits(f"{int(value):,}").replace(",", "\u066c")


def format_value(spec: Field, value: object) -> str:
    """A stored value as printed (Persian digits, Jalali dates, option labels)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return EMPTY
    typed = typed_text(value)
    if typed is not None:
        return typed
    try:
        if spec.type == "choice":
            return spec.option_labels.get(str(value), str(value))
        if spec.type == "date":
            return to_jalali_text(str(value))
        if spec.type == "time":
            return to_persian_digits(str(value))
        if spec.type == "percent" and isinstance(value, (int, float)):
            return f"{_number(value)}٪"
        if spec.type in ("integer", "number") and isinstance(value, (int, float)):
            return _number(value)
    except ValueError:
        pass
    return str(value)


def format_computed(kind: str, value: float | None) -> str:
    if value is None:
        return "قابل محاسبه نیست"
    rounded = round(float(value), 1)
    text = _number(int(rounded)) if rounded.is_integer() else to_persian_digits(rounded)  # ۵٬۲۲۲ as in the tables
    return f"{text}٪" if kind == "percent" else text


_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_OR_DIGIT = re.compile(r"[0-9A-Za-z]")


def file_name_text(name: str) -> str:
    """A Persian file name as it should read on a right-to-left line: a left-to-right mark before
    the Latin or digit run that ends it («تصویر-مستند-1.png», not «تصویر-مستند-png.1»: after Persian
    letters the digit would otherwise take their direction and the extension would jump before it)."""
    last = max((m.end() for m in _ARABIC_SCRIPT.finditer(name)), default=0)
    if not last:
        return name
    tail = _LATIN_OR_DIGIT.search(name, last)
    return name if tail is None else f"{name[:tail.start()]}\u200e{name[tail.start():]}"
