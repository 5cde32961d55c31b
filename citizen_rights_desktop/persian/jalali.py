"""Jalali (Solar Hijri) dates: entered and shown in Jalali, stored as ISO Gregorian."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
import re

import jdatetime

from citizen_rights_desktop.persian.text import to_latin_digits, to_persian_digits

_DATE = re.compile(r"^\s*(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$")


class InvalidDate(ValueError):
    pass


def parse_date(text: str) -> dt.date:
    """A date typed as ``1398/02/15`` (Jalali, any digits) or ``2019-05-05`` (ISO Gregorian)."""
    match = _DATE.match(to_latin_digits(text))
    if not match:
        raise InvalidDate(text)
    year, month, day = (int(g) for g in match.groups())
    try:
        if year >= 1700:
            return dt.date(year, month, day)
        return jdatetime.date(year, month, day).togregorian()
    except ValueError as exc:
        raise InvalidDate(text) from exc


def to_jalali_text(value: dt.date | str, persian_digits: bool = True) -> str:
    """``1398/02/15`` for a date or an ISO string (Persian digits by default)."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return _jalali_text(value, persian_digits)


@lru_cache(maxsize=4096)
def _jalali_text(value: dt.date, persian_digits: bool) -> str:
    """Cached: headquarters writes the same few hundred days for tens of thousands of units, and
    jdatetime reads the process's locale on every conversion (issue 16)."""
    day = jdatetime.date.fromgregorian(date=value)
    text = f"{day.year:04d}/{day.month:02d}/{day.day:02d}"
    return to_persian_digits(text) if persian_digits else text


def jalali_today() -> jdatetime.date:
    return jdatetime.date.today()


def end_of_jalali_year_plus(year: int) -> dt.date:
    """Last day of Ordibehesht of the year after ``year``: the 1398 guideline's deadline rule."""
    return jdatetime.date(year + 1, 2, 31).togregorian()
