"""Parsing what a clerk types into the stored, normalised value of a field of a given type.

A value that cannot be parsed is not thrown away: the editor keeps the typed text and validation
reports it, so nothing typed is ever lost (see ``editing.py``). A number outside its field's range,
or text far too long to be a number, is different: it is refused (``RefusedValue``) and not stored
at all, because a 400-digit "count" kept anywhere would reach headquarters, whose sums and exports
cannot hold it (issue 12).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlparse

from citizen_rights_desktop.persian.jalali import InvalidDate, parse_date
from citizen_rights_desktop.persian.text import normalize_text, to_latin_digits, to_persian_digits

FIELD_TYPES = ("text", "long_text", "integer", "percent", "number", "date", "choice", "url", "time")
_TIME = re.compile(r"^\s*(\d{1,2})\s*[:٫.]\s*(\d{2})\s*$")

# Every number field has a range: the form's ``min`` / ``max`` (docs/form-schema.md), else these.
# - integer 0 … 1,000,000,000: the guideline's integers are counts (complaints, clients a month,
#   training hours, meetings); a count is never negative, and a billion is above any office's yearly
#   count while far below what a float holds exactly, so sums over every report stay exact.
# - percent 0 … 100: a share of a whole (a form may widen it, e.g. for a growth rate).
# - number −10¹² … 10¹²: a quantity that may be negative or fractional (a ratio, a change); 10¹²
#   keeps three decimals exact in a float and is above any figure a report needs.
DEFAULT_RANGES: dict[str, tuple[int, int]] = {"integer": (0, 1_000_000_000), "percent": (0, 100), "number": (-(10**12), 10**12)}
# No bound, declared or default, lies beyond ±10¹⁵: floats (analysis, JSON, charts) hold whole
# numbers exactly up to 2⁵³ ≈ 9·10¹⁵ and Excel keeps 15 significant digits, so every accepted number
# survives headquarters' sums and exports unchanged.
NUMBER_LIMIT = 10**15
# Typed numbers are checked as text before int() / Decimal() see them: int() refuses strings past
# 4,300 digits with Python's own message, and no useful number needs more than these characters
# (separators removed): 16 digits of ±10¹⁵ plus a generous fraction.
MAX_NUMBER_CHARS = 40
# Text up to this long that is not a number is kept as typed (a clerk's note such as «حدود صد»);
# anything longer typed into a number field is refused as absurd.
MAX_TYPED_CHARS = 200
_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]*)(\.[0-9]*)?")


@dataclass(frozen=True)
class InvalidValue(ValueError):
    code: str
    message_en: str
    message_fa: str

    def __str__(self) -> str:
        return self.message_en


class RefusedValue(InvalidValue):
    """A value refused outright instead of kept as typed: a number outside its field's range, or
    text too long to be a number. The editor stores nothing and the clerk sees the range."""


def default_range(field_type: str) -> tuple[int, int]:
    """The range of a number field whose form gives no ``min`` / ``max``."""
    return DEFAULT_RANGES[field_type]


def _bound_en(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,}"


def _bound_fa(value: float) -> str:
    # "منفی" rather than a minus sign, which right-to-left text would move to the number's far end
    text = to_persian_digits(_bound_en(abs(value))).replace(",", "\u066c")
    return f"منفی {text}" if value < 0 else text


def out_of_range(field_type: str, bounds: tuple[float, float]) -> RefusedValue:
    """The refusal of a number outside ``bounds``, naming the range in English and Persian."""
    low, high = bounds
    if field_type == "percent":
        en, fa = "a percentage must be", "درصد باید"
    else:
        en, fa = "the number must be", "عدد باید"
    return RefusedValue(
        "out_of_range", f"{en} between {_bound_en(low)} and {_bound_en(high)}", f"{fa} بین {_bound_fa(low)} و {_bound_fa(high)} باشد."
    )


def _too_long(field_type: str, bounds: tuple[float, float]) -> RefusedValue:
    limits = out_of_range(field_type, bounds)
    return RefusedValue(
        "too_long", f"this is too long to be a number: {limits.message_en}", f"متن واردشده برای یک عدد بیش از حد طولانی است؛ {limits.message_fa}"
    )


_GROUPING = re.compile(r"[,\u066c\u060c\s]")  # , ٬ ، and spaces used as thousands separators


def _number_text(text: str, field_type: str, bounds: tuple[float, float]) -> str:
    """``text`` without digit scripts or separators, refused when no number could be that long.

    Runs before any int() / Decimal(): a run of digits whose whole part has more than 16
    significant digits is beyond every range (±10¹⁵), however long it is."""
    cleaned = _GROUPING.sub("", to_latin_digits(text)).replace("\u066b", ".").replace("/", ".")
    if len(cleaned) <= MAX_NUMBER_CHARS and len(text) <= MAX_TYPED_CHARS:
        return cleaned
    plain = _PLAIN_NUMBER.fullmatch(cleaned.rstrip("%\u066a"))
    if plain is None:  # not a number: kept as typed when it is no longer than a short note
        if len(text) > MAX_TYPED_CHARS:
            raise _too_long(field_type, bounds)
        return cleaned
    if len(plain.group(1).lstrip("0")) > 16:
        raise out_of_range(field_type, bounds)
    if len(cleaned) > MAX_NUMBER_CHARS:
        raise _too_long(field_type, bounds)
    return cleaned  # a short number padded with spaces


def _in_range(number: float | Decimal, field_type: str, bounds: tuple[float, float]) -> None:
    if not bounds[0] <= number <= bounds[1]:
        raise out_of_range(field_type, bounds)


def parse_integer(text: str, bounds: tuple[float, float] | None = None) -> int:
    bounds = bounds or DEFAULT_RANGES["integer"]
    cleaned = _number_text(text, "integer", bounds)
    if len(cleaned) > MAX_NUMBER_CHARS or not re.fullmatch(r"[+-]?[0-9]+", cleaned):
        raise InvalidValue("not_integer", f"'{text}' is not a whole number", f"«{text}» عدد صحیح نیست.")
    number = int(cleaned)  # at most MAX_NUMBER_CHARS digits
    _in_range(number, "integer", bounds)
    return number


def parse_number(text: str, bounds: tuple[float, float] | None = None, field_type: str = "number") -> int | float:
    bounds = bounds or DEFAULT_RANGES[field_type]
    cleaned = _number_text(text, field_type, bounds).rstrip("%\u066a")
    try:
        if len(cleaned) > MAX_NUMBER_CHARS or not cleaned.isascii():
            raise InvalidOperation
        number = Decimal(cleaned)  # exact, whatever its exponent: compared before any float()
    except InvalidOperation:
        raise InvalidValue("not_number", f"'{text}' is not a number", f"«{text}» عدد نیست.") from None
    if not number.is_finite():
        raise InvalidValue("not_number", f"'{text}' is not a number", f"«{text}» عدد نیست.")
    _in_range(number, field_type, bounds)
    return int(number) if number == number.to_integral_value() else float(number)


def parse_percent(text: str, bounds: tuple[float, float] | None = None) -> int | float:
    return parse_number(text, bounds, "percent")


def parse_url(text: str) -> str:
    candidate = normalize_text(text).replace(" ", "")
    parsed = urlparse(candidate if "://" in candidate else "http://" + candidate)
    host = parsed.hostname or ""
    if parsed.scheme not in ("http", "https") or "." not in host or host.startswith(".") or host.endswith("."):
        raise InvalidValue("not_url", f"'{text}' is not a web address", f"«{text}» نشانی وبگاه معتبر نیست.")
    return candidate


def parse_time(text: str) -> str:
    """A time of day typed as ``9:30`` / ``۰۹:۳۰`` → ``09:30`` (24-hour)."""
    match = _TIME.match(to_latin_digits(text))
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return f"{int(match.group(1)):02d}:{match.group(2)}"
    raise InvalidValue("not_time", f"'{text}' is not a time of day (use 09:30)", f"«{text}» ساعت معتبر نیست (مانند ۰۹:۳۰).")


def parse_value(field_type: str, text: str, options: dict[str, str] | None = None, bounds: tuple[float, float] | None = None) -> object:
    """The stored value for ``text`` typed into a field of ``field_type``; ``None`` when empty.

    ``options`` maps choice option ids to labels; a choice may be given by id or label. ``bounds``
    is a number field's range (``Field.bounds``), the type's default when ``None``. Raises
    ``InvalidValue`` (kept as typed by the editor) or ``RefusedValue`` (not stored at all).
    """
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    if not text.strip():
        return None
    if field_type == "text":
        return normalize_text(text.replace("\n", " "))
    if field_type == "long_text":
        return normalize_text(text)
    if field_type == "integer":
        return parse_integer(text, bounds)
    if field_type in ("number", "percent"):
        return parse_number(text, bounds, field_type)
    if field_type == "date":
        try:
            return parse_date(text).isoformat()
        except InvalidDate:
            raise InvalidValue(
                "not_date", f"'{text}' is not a date (use 1398/02/15)", f"«{text}» تاریخ معتبر نیست (مانند ۱۳۹۸/۰۲/۱۵)."
            ) from None
    if field_type == "url":
        return parse_url(text)
    if field_type == "time":
        return parse_time(text)
    if field_type == "choice":
        options = options or {}
        wanted = normalize_text(text)
        if wanted in options:
            return wanted
        for option_id, label in options.items():
            if normalize_text(label) == wanted:
                return option_id
        raise InvalidValue("not_option", f"'{text}' is not one of the choices", f"«{text}» از گزینه‌های مجاز نیست.")
    raise ValueError(f"unknown field type {field_type!r}")


def typed_text(value: object) -> str | None:
    """The text of a value kept as typed because it could not be parsed, else ``None``."""
    if isinstance(value, dict) and set(value) == {"typed"} and isinstance(value["typed"], str):
        return value["typed"]
    return None


def keep_typed(text: str) -> dict[str, str]:
    return {"typed": text}


def within_limits(value: float) -> bool:
    """Whether a number is finite and within ±10¹⁵, so a float, JSON and Excel hold it; compared
    exactly, since float() of a 400-digit int raises OverflowError."""
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return -NUMBER_LIMIT <= value <= NUMBER_LIMIT


def _shown(value: object) -> str:
    """A stored value inside a message; str() of an int past 4,300 digits would raise."""
    if isinstance(value, int) and not -(10**40) < value < 10**40:
        return "a number of more than 40 digits"
    return repr(value)


def _check_stored_number(field_type: str, value: float, bounds: tuple[float, float] | None) -> InvalidValue | None:
    """A stored number checked as a number, never through str(): it may be huge (issue 12)."""
    if isinstance(value, float) and not math.isfinite(value):
        return InvalidValue("not_number", f"{value!r} is not a finite number", "عدد نامعتبر است.")
    if field_type == "integer" and not isinstance(value, int):
        return InvalidValue("not_integer", f"'{value}' is not a whole number", f"«{to_persian_digits(value)}» عدد صحیح نیست.")
    bounds = bounds or DEFAULT_RANGES[field_type]
    if not bounds[0] <= value <= bounds[1]:  # int and float compare exactly, without overflow
        return out_of_range(field_type, bounds)
    return None


def check_stored_value(
    field_type: str, value: object, options: dict[str, str] | None = None, bounds: tuple[float, float] | None = None
) -> InvalidValue | None:
    """The problem with a stored value, or ``None`` when it is a valid, normalised value of the type.

    ``bounds`` is a number field's range (``Field.bounds``), the type's default when ``None``."""
    if value is None:
        return None
    raw = typed_text(value)
    if isinstance(value, bool) or (raw is None and not isinstance(value, (str, int, float))):
        return InvalidValue("bad_type", f"{_shown(value)} is not a valid value", "مقدار نامعتبر است.")
    if raw is None and isinstance(value, (int, float)):
        if field_type in DEFAULT_RANGES:
            return _check_stored_number(field_type, value, bounds)
        return InvalidValue("bad_type", f"{_shown(value)} is not a valid value", "مقدار نامعتبر است.")  # text, dates, choices are strings
    try:
        parsed = parse_value(field_type, raw if raw is not None else value, options, bounds)
    except InvalidValue as problem:
        return problem
    if raw is not None or parsed != value:
        return InvalidValue("not_normalised", f"'{value}' is not in its stored form", f"«{value}» معتبر نیست.")
    return None
