"""Report periods by kind (issue 14): a Jalali year (``1399``, the annual report) or a Jalali quarter
(``1399-Q2``, «سه‌ماهه دوم ۱۳۹۹ (تیر تا شهریور)», the quarterly program report) or one inspection
visit (``1399-07-15@fars-edu-shiraz``: its Jalali date and the inspected office's id, issue 15);
their first and last days, their Persian names, and when a report for them is due.

A visit's period names the visit, not a span: a team's report on one office on one day is one
report (a change is a new revision of it, as for any other kind), and two offices visited on the
same day are two reports. Headquarters rolls visits up by their year (``1399``) or quarter.

Deadlines. The annual report is due at the end of Ordibehesht of the year after the one reported
on (seed 004's circular: «حداکثر تا پایان اردیبهشت ماه سال جاری»); the form's own ``deadline`` is that
date for its guideline year. A quarterly report is due ``deadline_days`` after its quarter ends
(seed 002 sets no day: the form's default is 15, and headquarters may set another in its profile).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import jdatetime

from citizen_rights_desktop.persian.text import to_latin_digits, to_persian_digits

PERIOD_TYPES = ("year", "quarter", "visit")
MONTHS_FA = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")
QUARTER_ORDINALS = {1: "اول", 2: "دوم", 3: "سوم", 4: "چهارم"}
QUARTER_MONTHS = {1: "فروردین تا خرداد", 2: "تیر تا شهریور", 3: "مهر تا آذر", 4: "دی تا اسفند"}
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})\s*-\s*[Qq]\s*(\d)\s*$")
_VISIT = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{1,2})\s*[-/]\s*(\d{1,2})\s*@\s*([0-9A-Za-z_-]{1,64})\s*$")


class InvalidPeriod(ValueError):
    """A period that is not one of the form's kind; ``message_en`` / ``message_fa`` for people."""

    def __init__(self, text: str, period_type: str):
        example, what, what_fa = {
            "quarter": ("1399-Q2", "a Jalali quarter such as 1399-Q2 (Q1 to Q4)", "سه‌ماهه‌ای از سال شمسی"),
            "visit": ("1399-07-15@fars-edu", "a visit: its Jalali date and the inspected office's id, such as 1399-07-15@fars-edu",
                      "یک بازدید: تاریخ شمسی آن و شناسه دستگاه بازرسی‌شده"),
        }.get(period_type, ("1399", "a Jalali year such as 1399", "یک سال شمسی"))  # fmt: skip
        self.message_en = f"the period must be {what}, not {text!r}"
        self.message_fa = f"دوره گزارش باید {what_fa} باشد، مانند \u2066{example}\u2069."
        super().__init__(self.message_en)


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int | None = None  # 1..4 for a quarter; None for a whole year
    month: int | None = None  # a visit's Jalali month and day; None for a year or a quarter
    day: int | None = None
    subject: str = ""  # a visit's inspected office (its id in the org-unit register)

    @property
    def text(self) -> str:
        """How the period is stored and typed: ``1399``, ``1399-Q2`` or ``1399-07-15@fars-edu``."""
        if self.day is not None:
            return f"{self.year}-{self.month:02d}-{self.day:02d}@{self.subject}"
        return f"{self.year}" if self.quarter is None else f"{self.year}-Q{self.quarter}"

    @property
    def label_fa(self) -> str:
        """«سال ۱۳۹۹», «سه‌ماهه دوم ۱۳۹۹ (تیر تا شهریور)» or «بازدید ۱۵ مهر ۱۳۹۹»."""
        if self.day is not None:
            return f"بازدید {to_persian_digits(self.day)} {MONTHS_FA[self.month - 1]} {to_persian_digits(self.year)}"
        if self.quarter is None:
            return f"سال {to_persian_digits(self.year)}"
        return f"سه‌ماهه {QUARTER_ORDINALS[self.quarter]} {to_persian_digits(self.year)} ({QUARTER_MONTHS[self.quarter]})"

    @property
    def first_day(self) -> dt.date:
        if self.day is not None:
            return jdatetime.date(self.year, self.month, self.day).togregorian()
        month = 1 if self.quarter is None else 3 * (self.quarter - 1) + 1
        return jdatetime.date(self.year, month, 1).togregorian()

    @property
    def last_day(self) -> dt.date:
        if self.day is not None:
            return self.first_day
        if self.quarter is None or self.quarter == 4:
            return jdatetime.date(self.year + 1, 1, 1).togregorian() - dt.timedelta(days=1)
        return jdatetime.date(self.year, 3 * self.quarter + 1, 1).togregorian() - dt.timedelta(days=1)

    @property
    def quarter_of_year(self) -> int:
        """The quarter the period falls in (a visit's; a quarter's own; 4 for a year)."""
        if self.day is not None:
            return (self.month - 1) // 3 + 1
        return self.quarter or 4

    def previous(self) -> Period:
        if self.day is not None:  # a visit: the quarter before the one it falls in
            return Period(self.year, self.quarter_of_year).previous()
        if self.quarter is None:
            return Period(self.year - 1)
        return Period(self.year, self.quarter - 1) if self.quarter > 1 else Period(self.year - 1, 4)

    def quarters_of_year_so_far(self) -> list[Period]:
        """The year's quarters up to and including this one (a year: all four)."""
        last = self.quarter or 4
        return [Period(self.year, q) for q in range(1, last + 1)]


def parse_period(text: object, period_type: str = "year") -> Period:
    """A period of ``period_type`` typed as ``1399`` / ``1399-Q2`` (any digits); ``InvalidPeriod``
    for anything else, a quarter where a year is meant or the other way round."""
    raw = to_latin_digits(str(text)) if text is not None else ""
    if period_type == "visit":
        match = _VISIT.match(raw)
        if match and 1300 <= int(match.group(1)) <= 1500:
            year, month, day = (int(match.group(i)) for i in (1, 2, 3))
            try:
                jdatetime.date(year, month, day)
            except ValueError:
                raise InvalidPeriod(str(text), period_type) from None
            return Period(year, None, month, day, match.group(4))
    elif period_type == "quarter":
        match = _QUARTER.match(raw)
        if match and 1 <= int(match.group(2)) <= 4 and 1300 <= int(match.group(1)) <= 1500:
            return Period(int(match.group(1)), int(match.group(2)))
    else:
        match = _YEAR.match(raw)
        if match and 1300 <= int(match.group(1)) <= 1500:
            return Period(int(match.group(1)))
    raise InvalidPeriod(str(text), period_type)


def period_label(text: str, period_type: str = "year") -> str:
    """The Persian name of a stored period; the text itself when it does not parse."""
    try:
        return parse_period(text, period_type).label_fa
    except InvalidPeriod:
        return to_persian_digits(text)


def due_date(period: Period, deadline_days: int | None = None, guideline_deadline: dt.date | None = None, guideline_year: int | None = None) -> dt.date:
    """When a report for ``period`` is due: a quarter ``deadline_days`` (default 15) after it ends;
    a year at the end of Ordibehesht of the next year (the form's own ``deadline`` for its
    guideline year, where the form gives one)."""
    if period.day is not None:  # a visit: its results are due deadline_days after it (default 10)
        return period.last_day + dt.timedelta(days=10 if deadline_days is None else deadline_days)
    if period.quarter is not None:
        return period.last_day + dt.timedelta(days=15 if deadline_days is None else deadline_days)
    if guideline_deadline is not None and guideline_year == period.year:
        return guideline_deadline
    return jdatetime.date(period.year + 1, 2, 31).togregorian()
