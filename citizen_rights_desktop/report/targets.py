"""Targets the guideline sets for an action (seed 002: «حداقل ۵ مورد», «یک بار در سال», «ماهانه»,
«حداقل دو ساعت در هفته», «حداقل ۴ مرحله»), tracked over the year so far (issue 14).

A target (``Indicator.target``) names a number field, a minimum and a unit of time. The reports of
one office, form and year up to a quarter are added up: the field's values where the action was
carried out (its status asks the details). What is due by the end of that quarter:

- ``per: year`` — the whole target (met once the year's reports reach it);
- ``per: quarter`` — the minimum × the quarters so far;
- ``per: month`` — the minimum × 3 months a quarter;
- ``per: week`` — the minimum × 13 weeks a quarter (a Jalali quarter is 13 weeks and a few days).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from citizen_rights_desktop.form.definition import FormDefinition, Indicator
from citizen_rights_desktop.form.periods import InvalidPeriod
from citizen_rights_desktop.report.model import Report

UNITS_PER_QUARTER = {"quarter": 1, "month": 3, "week": 13}
PER_FA = {"year": "در سال", "quarter": "در هر سه‌ماهه", "month": "در ماه", "week": "در هفته"}


@dataclass(frozen=True)
class TargetProgress:
    indicator_id: str
    field_id: str
    at_least: float
    per: str
    done: float  # the field's sum over the year's reports so far
    due: float  # what the target asks by the end of the quarter
    quarters: int  # how many of the year's quarters the reports cover

    @property
    def met(self) -> bool:
        return self.done >= self.due


def due_by(indicator: Indicator, quarters: int) -> float:
    target = indicator.target
    if target is None:
        return 0.0
    if target.per == "year":
        return float(target.at_least)
    return float(target.at_least) * UNITS_PER_QUARTER[target.per] * quarters


def _value(indicator: Indicator, report: Report) -> float:
    answer = report.section(indicator.id)
    found = indicator.status(answer.status)
    if found is None or "details" not in found.asks or indicator.target is None:
        return 0.0
    value = answer.values.get(indicator.target.field)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else 0.0


def target_progress(form: FormDefinition, report: Report, year_reports: Iterable[Report]) -> list[TargetProgress]:
    """Each target of ``form`` over ``report`` and the office's other reports of the same form and
    year up to ``report``'s quarter (``year_reports`` may hold any reports: the rest are ignored;
    the latest revision of each period counts)."""
    try:
        period = form.period(report.period)
    except InvalidPeriod:
        return []
    latest: dict[str, Report] = {report.period: report}
    for other in year_reports:
        if other.form_id != form.id or other.office_id != report.office_id or other.period == report.period:
            continue
        try:
            when = form.period(other.period)
        except InvalidPeriod:
            continue
        if when.year == period.year and when <= period and (other.period not in latest or other.revision > latest[other.period].revision):
            latest[other.period] = other
    quarters = period.quarter or 4
    found = []
    for indicator in form.indicators:
        if indicator.target is None:
            continue
        done = sum(_value(indicator, r) for r in latest.values())
        target = indicator.target
        found.append(TargetProgress(indicator.id, target.field, target.at_least, target.per, done, due_by(indicator, quarters), quarters))
    return found
