"""How stored values are shown and edited in the interface: Persian digits, Jalali dates.

Presentation only: parsing and checking what was typed is the core's job (``ReportEditor``).
"""

from __future__ import annotations

import datetime as dt
import re

import jdatetime

from citizen_rights_desktop.form.definition import Field, FormDefinition
from citizen_rights_desktop.form.values import check_stored_value, typed_text
from citizen_rights_desktop.persian.jalali import to_jalali_text
from citizen_rights_desktop.persian.text import PERSIAN_DIGITS, file_size_text, to_persian_digits

STATE_LABELS = {
    "unanswered": "پاسخ داده نشده",
    "incomplete": "ناقص",
    "complete": "کامل",
    "not_applicable": "عدم مصداق",
}
STATE_COLOURS = {
    "unanswered": "#9e9e9e",
    "incomplete": "#e08a00",
    "complete": "#2e8b57",
    "not_applicable": "#3f6fb5",
}
STATUS_LABELS = {"yes": "بله", "no": "خیر", "not_applicable": "عدم مصداق"}


def fa_number(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        value = round(value, decimals)
        if value == int(value):
            value = int(value)
    return to_persian_digits(value)


def fa_percent(value: float | None) -> str:
    return "—" if value is None else f"{fa_number(value)}٪"


def edit_text(spec: Field, value: object) -> str:
    """The text to put in an editor for a stored value (typed text kept as typed)."""
    if value is None:
        return ""
    raw = typed_text(value)
    if raw is not None:
        return raw
    if spec.type == "date" and isinstance(value, str):
        try:
            return to_jalali_text(value)
        except ValueError:
            return value
    if spec.type == "choice":
        return spec.option_labels.get(str(value), str(value))
    if spec.type in ("integer", "number", "percent") and isinstance(value, (int, float)):
        return fa_number(value, decimals=6)
    return str(value)


def display_text(spec: Field, value: object) -> str:
    """The text shown for a stored value (e.g. in a table cell)."""
    text = edit_text(spec, value)
    if spec.type == "percent" and text and typed_text(value) is None:
        return f"{text}٪"
    return text


def value_problem(spec: Field, value: object) -> str | None:
    """The Persian message for a stored value that is not valid (e.g. kept as typed), else None."""
    if value is None:
        return None
    problem = check_stored_value(spec.type, value, spec.option_labels, spec.bounds)  # the form's own range
    return problem.message_fa if problem else None


file_size = file_size_text  # the same wording as the report PDF


def file_kind(mime: str, name: str) -> str:
    if mime.startswith("image/"):
        return "تصویر"
    if mime == "application/pdf":
        return "PDF"
    if mime.startswith("text/"):
        return "متن"
    if "word" in mime or name.lower().endswith((".doc", ".docx")):
        return "Word"
    if "sheet" in mime or "excel" in mime or name.lower().endswith((".xls", ".xlsx")):
        return "Excel"
    suffix = name.rsplit(".", 1)[-1].upper() if "." in name else ""
    return suffix or "فایل"


def jalali_datetime(iso_utc: str) -> str:
    """``۱۴۰۳/۰۵/۱۲ ۱۴:۳۰`` in local time for a stored UTC timestamp."""
    if not iso_utc:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso_utc)
    except ValueError:
        return iso_utc
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    # the day through the core's cached conversion: 20,000 rows at headquarters (issue 16)
    return to_jalali_text(moment.date()) + " " + to_persian_digits(f"{moment.hour:02d}:{moment.minute:02d}")


def days_left_text(days: int | None) -> str:
    if days is None:
        return "—"
    if days > 0:
        return f"{to_persian_digits(days)} روز"
    if days == 0:
        return "امروز آخرین مهلت است"
    return f"مهلت گذشته ({to_persian_digits(-days)} روز)"


def ltr(text: object) -> str:
    """A file path or other left-to-right text isolated inside a Persian sentence (U+2066…U+2069),
    so its slashes stay where they belong."""
    return f"\u2066{text}\u2069"


def isolate(text: object) -> str:
    """A file name (Persian or Latin) isolated inside a sentence by its own first letter (FSI…PDI)."""
    return f"\u2068{text}\u2069"


_ISOLATE_OPEN = "\u2066\u2067\u2068"
_ISOLATE_CLOSE = "\u2069"
_TO_PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)
_DECIMAL_POINT = re.compile(r"(?<=[0-9])\.(?=[0-9])")
_WORD = re.compile(r"\S+")
_LATIN = re.compile(r"[A-Za-z\\/]")


def _persian_word(match: re.Match) -> str:
    word = match.group(0)
    if _LATIN.search(word):  # a file name, a path, an identifier (PKCS#12): kept as it is written
        return word
    return _DECIMAL_POINT.sub("٫", word).translate(_TO_PERSIAN)


def fa_message(text: object) -> str:
    """A message with its numbers in Persian digits (issue 17). Kept as written: the inside of an
    isolated run (``ltr``, ``isolate``: a path, a file name) and any word with Latin letters (a file
    name, an identifier). A full stop stays a full stop; only a decimal point becomes «٫»."""
    out, depth, run = [], 0, []

    def plain() -> None:
        out.append(_WORD.sub(_persian_word, "".join(run)))
        run.clear()

    for char in str(text):
        if char in _ISOLATE_OPEN:
            if depth == 0:
                plain()
            depth += 1
            out.append(char)
        elif char == _ISOLATE_CLOSE and depth:
            depth -= 1
            out.append(char)
        elif depth:
            out.append(char)
        else:
            run.append(char)
    plain()
    return "".join(out)


def jalali_moment(moment: dt.datetime) -> str:
    """``۱۴۰۳/۰۵/۱۲ ۱۴:۳۰`` for a local date and time (e.g. when a file was last changed)."""
    text = jdatetime.datetime.fromgregorian(datetime=moment.replace(tzinfo=None)).strftime("%Y/%m/%d %H:%M")
    return to_persian_digits(text)


def guideline_text(form: FormDefinition) -> str:
    """Which guideline a form follows, for people: «شیوه نامه سال ۱۳۹۸ (نسخه ۱۳۹۸٫۲)»."""
    return f"{form.guideline_name} (نسخه {to_persian_digits(form.version)})"  # a kind's own: «دستورالعمل …», «چک لیست …»


def new_report_text(form: FormDefinition) -> str:
    """What the reports page says about a new report: «گزارش جدید بر پایه شیوه نامه سال ۱۳۹۸ (نسخه ۱۳۹۸٫۲) تنظیم می‌شود.»"""
    return f"گزارش جدید بر پایه {guideline_text(form)} تنظیم می‌شود."
