"""Parsing what a clerk types into the stored, normalised value of a field of a given type.

A value that cannot be parsed is not thrown away: the editor keeps the typed text and validation
reports it, so nothing typed is ever lost (see ``editing.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlparse

from citizen_rights_desktop.persian.jalali import InvalidDate, parse_date
from citizen_rights_desktop.persian.text import normalize_text, to_latin_digits

FIELD_TYPES = ("text", "long_text", "integer", "percent", "number", "date", "choice", "url")


@dataclass(frozen=True)
class InvalidValue(ValueError):
    code: str
    message_en: str
    message_fa: str

    def __str__(self) -> str:
        return self.message_en


_GROUPING = re.compile(r"[,\u066c\u060c\s]")  # , ٬ ، and spaces used as thousands separators


def _number_text(text: str) -> str:
    return _GROUPING.sub("", to_latin_digits(text)).replace("\u066b", ".").replace("/", ".")


def parse_integer(text: str) -> int:
    cleaned = _number_text(text)
    if not re.fullmatch(r"-?\d+", cleaned):
        raise InvalidValue("not_integer", f"'{text}' is not a whole number", f"«{text}» عدد صحیح نیست.")
    number = int(cleaned)
    if number < 0:
        raise InvalidValue("negative", "the number cannot be negative", "عدد نمی‌تواند منفی باشد.")
    return number


def parse_number(text: str) -> float:
    cleaned = _number_text(text).rstrip("%\u066a")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidValue("not_number", f"'{text}' is not a number", f"«{text}» عدد نیست.") from None
    if not number.is_finite():
        raise InvalidValue("not_number", f"'{text}' is not a number", f"«{text}» عدد نیست.")
    if number < 0:
        raise InvalidValue("negative", "the number cannot be negative", "عدد نمی‌تواند منفی باشد.")
    return int(number) if number == number.to_integral_value() else float(number)


def parse_percent(text: str) -> float:
    number = parse_number(text)
    if number > 100:
        raise InvalidValue("percent_range", "a percentage must be between 0 and 100", "درصد باید بین ۰ تا ۱۰۰ باشد.")
    return number


def parse_url(text: str) -> str:
    candidate = normalize_text(text).replace(" ", "")
    parsed = urlparse(candidate if "://" in candidate else "http://" + candidate)
    host = parsed.hostname or ""
    if parsed.scheme not in ("http", "https") or "." not in host or host.startswith(".") or host.endswith("."):
        raise InvalidValue("not_url", f"'{text}' is not a web address", f"«{text}» نشانی وبگاه معتبر نیست.")
    return candidate


def parse_value(field_type: str, text: str, options: dict[str, str] | None = None) -> object:
    """The stored value for ``text`` typed into a field of ``field_type``; ``None`` when empty.

    ``options`` maps choice option ids to labels; a choice may be given by id or label.
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
        return parse_integer(text)
    if field_type == "number":
        return parse_number(text)
    if field_type == "percent":
        return parse_percent(text)
    if field_type == "date":
        try:
            return parse_date(text).isoformat()
        except InvalidDate:
            raise InvalidValue(
                "not_date", f"'{text}' is not a date (use 1398/02/15)", f"«{text}» تاریخ معتبر نیست (مانند ۱۳۹۸/۰۲/۱۵)."
            ) from None
    if field_type == "url":
        return parse_url(text)
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


def check_stored_value(field_type: str, value: object, options: dict[str, str] | None = None) -> InvalidValue | None:
    """The problem with a stored value, or ``None`` when it is a valid, normalised value of the type."""
    if value is None:
        return None
    raw = typed_text(value)
    if isinstance(value, bool) or (raw is None and not isinstance(value, (str, int, float))):
        return InvalidValue("bad_type", f"{value!r} is not a valid value", "مقدار نامعتبر است.")
    try:
        parsed = parse_value(field_type, raw if raw is not None else str(value), options)
    except InvalidValue as problem:
        return problem
    if raw is not None or parsed != value:
        return InvalidValue("not_normalised", f"'{value}' is not in its stored form", f"«{value}» معتبر نیست.")
    return None
