"""Headquarters completeness: which organizational units have reported, on time or late, and who is missing.

Rules (decided with the headquarters side of issue 5; see docs/hq-analysis.md):

- An org unit's id is the id of the office that reports for it, so a unit *has reported* when a
  current (``superseded_by IS NULL``) ``hq_submission`` row exists with ``office_id`` = the unit id
  for the form (its id, any version) and the period.
- A unit whose ``level`` is an office level (``office.LEVELS``) is expected to report; any other
  level (``province``, a region, …) is a grouping node: it reports nothing itself and rolls up the
  units under it (``parent_id``).
- *On time*: the **first** revision headquarters received (``received_at``, headquarters' clock) was
  received on or before the period's deadline (``form.due_date(period)``: the guideline's
  ``deadline`` for its own year, the end of Ordibehesht of the next year for a later year, days
  after the quarter for a quarterly kind), end of that day in Iran.
  A revision sent again after a return does not make a unit late. Iran time is a **fixed UTC+03:30**
  offset: Windows Pythons often lack the tz database, and Iran has kept +03:30 all year since 2022
  (for deadlines before 2022 that fell in summer time the cut-off is one hour later than local midnight).
- A unit's province: its own ``province`` if it names one of the 31, else its nearest ancestor's;
  none: a national unit (province ``""``).
- Submissions from offices that are not org units are listed as ``unknown_offices`` (never dropped silently).
- A unit's province is the register's; a current submission whose bundle said otherwise is listed in
  ``register_notes`` for the analyst to follow up.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.report.office import INSPECTION_TEAM, LEVELS, PROVINCES

IRAN_TIME = dt.timezone(dt.timedelta(hours=3, minutes=30), "IRST")
ON_TIME, LATE, MISSING = "on_time", "late", "missing"
STATUS_FA = {ON_TIME: "به موقع", LATE: "با تأخیر", MISSING: "ارسال نشده"}
PROVINCE_LEVEL = "province"
NATIONAL = ""  # the "province" of national units
NATIONAL_FA = "دستگاه های ملی"


def deadline_cutoff(deadline: dt.date) -> dt.datetime:
    """The first instant (UTC) that is *after* the deadline day in Iran (fixed +03:30)."""
    return dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(0), IRAN_TIME).astimezone(dt.timezone.utc)


def parse_time(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


_UTC_SHAPE = len("2020-05-20T20:30:00.000+00:00")


def _earlier(a: str, b: str) -> bool:
    """``a`` is before ``b`` (ISO times; the usual UTC millisecond shape compares as text, fast)."""
    if len(a) == len(b) == _UTC_SHAPE and a.endswith("+00:00") and b.endswith("+00:00"):
        return a < b
    return parse_time(a) < parse_time(b)


@dataclass(slots=True)
class UnitStatus:
    unit_id: str
    name: str
    parent_id: str | None
    parent_name: str
    level: str
    province: str  # resolved through the ancestors; "" for national units
    status: str  # on_time, late, missing
    submission_id: str | None = None  # the current submission
    revision: int | None = None
    received_at: str | None = None  # of the current revision (UTC ISO)
    first_received_at: str | None = None  # of the first revision: decides on time / late

    @property
    def reported(self) -> bool:
        return self.status != MISSING


@dataclass(frozen=True)
class Counts:
    units: int
    on_time: int
    late: int
    missing: int

    @property
    def reported(self) -> int:
        return self.on_time + self.late

    @property
    def percent(self) -> float | None:
        """Share of units that have reported (on time or late), in percent."""
        return None if not self.units else round(100 * self.reported / self.units, 2)

    @staticmethod
    def of(units: Iterable[UnitStatus]) -> "Counts":
        tally = Counter(u.status for u in units)
        return Counts(sum(tally.values()), tally[ON_TIME], tally[LATE], tally[MISSING])


@dataclass(frozen=True)
class ProvinceRow:
    province: str  # PROVINCES key, or "" for the national units
    name: str
    counts: Counts


@dataclass
class Completeness:
    form_id: str
    period: str
    deadline: dt.date
    cutoff: dt.datetime
    units: list[UnitStatus]  # every unit expected to report, by province then name
    unknown_offices: list[str] = field(default_factory=list)  # submitted, but not an org unit
    groups: dict[str, dict] = field(default_factory=dict)  # grouping nodes (id → unit)
    _children: dict[str | None, list[str]] = field(default_factory=dict, repr=False)
    register_notes: dict[str, str] = field(default_factory=dict)  # unit id → where its current bundle contradicted the register

    @property
    def counts(self) -> Counts:
        return Counts.of(self.units)

    def by_province(self) -> list[ProvinceRow]:
        """Counts per province (all 31, even those without units), then the national units."""
        grouped: dict[str, list[UnitStatus]] = {key: [] for key in PROVINCES}
        grouped[NATIONAL] = []
        for unit in self.units:
            grouped.setdefault(unit.province, []).append(unit)
        rows = [ProvinceRow(key, PROVINCES.get(key, key), Counts.of(grouped[key])) for key in grouped if key != NATIONAL]
        rows.append(ProvinceRow(NATIONAL, NATIONAL_FA, Counts.of(grouped[NATIONAL])))
        return rows

    def in_province(self, province: str) -> list[UnitStatus]:
        """Drill-down: the units of one province ("" for the national units)."""
        return [u for u in self.units if u.province == province]

    def under(self, unit_id: str | None) -> list[UnitStatus]:
        """Drill-down along the hierarchy: every reporting unit below ``unit_id`` (None: all)."""
        if unit_id is None:
            return list(self.units)
        wanted, stack = set(), [unit_id]
        while stack:
            for child in self._children.get(stack.pop(), []):
                if child not in wanted:
                    wanted.add(child)
                    stack.append(child)
        return [u for u in self.units if u.unit_id in wanted]

    def reminders(self, province: str | None = None) -> list[UnitStatus]:
        """Units that have not reported (optionally in one province), with their parent."""
        return [u for u in self.units if u.status == MISSING and (province is None or u.province == province)]

    def unit(self, unit_id: str) -> UnitStatus:
        for unit in self.units:
            if unit.unit_id == unit_id:
                return unit
        raise KeyError(unit_id)


def _resolve_provinces(units: dict[str, tuple]) -> dict[str, str]:
    """unit id → its province key: its own, else its nearest ancestor's, else "" (national)."""
    resolved: dict[str, str] = {}
    for unit_id, unit in units.items():
        if unit[4] in PROVINCES:
            resolved[unit_id] = unit[4]
            continue
        seen, current, found = {unit_id}, unit[2], NATIONAL
        while current is not None and current in units and current not in seen:
            seen.add(current)
            if current in resolved:
                found = resolved[current]
                break
            if units[current][4] in PROVINCES:
                found = units[current][4]
                break
            current = units[current][2]
        resolved[unit_id] = found
    return resolved


def register_provinces(conn: sqlite3.Connection) -> dict[str, str]:
    """unit id → its province in the org-unit register (its own, else its nearest ancestor's; ""
    for a national unit). The register, not what a bundle says, decides where a unit belongs."""
    units = {row[0]: row for row in conn.execute("SELECT id, name, parent_id, level, province FROM org_unit")}
    return _resolve_provinces(units)


def completeness(conn: sqlite3.Connection, form: FormDefinition, period: str | None = None) -> Completeness:
    """Every unit expected to report for ``form`` (its id: any version) and ``period``, with its status."""
    period = period or str(form.guideline_year)
    deadline = form.due_date(period) if form.accepts_period(period) else form.deadline  # the period's own deadline
    cutoff = deadline_cutoff(deadline)
    cutoff_text = cutoff.isoformat(timespec="milliseconds")
    # units ordered by name here so that the province sort below (stable, on integers) stays cheap
    units = {row[0]: row for row in conn.execute("SELECT id, name, parent_id, level, province FROM org_unit ORDER BY name, id")}
    provinces = _resolve_provinces(units)
    children: dict[str | None, list[str]] = {}
    for unit_id, unit in units.items():
        children.setdefault(unit[2], []).append(unit_id)
    current: dict[str, tuple[str, int, str]] = {}
    first: dict[str, str] = {}
    for office_id, submission_id, revision, received_at, superseded_by in conn.execute(
        "SELECT office_id, id, revision, received_at, superseded_by FROM hq_submission WHERE form_id = ? AND period = ?", (form.id, period)
    ):
        if superseded_by is None:
            current[office_id] = (submission_id, revision, received_at)
        earliest = first.get(office_id)
        if earliest is None or _earlier(received_at, earliest):
            first[office_id] = received_at
    order = {key: index for index, key in enumerate(PROVINCES)}
    last = len(order)
    out = []
    for unit_id, (_, name, parent_id, level, _) in units.items():
        if level not in LEVELS or level == INSPECTION_TEAM:  # a team sends visits, not reports
            continue
        parent = units.get(parent_id) if parent_id is not None else None
        province = provinces[unit_id]
        found = current.get(unit_id)
        if found is None:
            out.append(UnitStatus(unit_id, name, parent_id, parent[1] if parent else "", level, province, MISSING))
            continue
        earliest = first[unit_id]
        status = ON_TIME if _earlier(earliest, cutoff_text) else LATE
        out.append(UnitStatus(unit_id, name, parent_id, parent[1] if parent else "", level, province, status, found[0], found[1], found[2], earliest))
    out.sort(key=lambda u: order.get(u.province, last))
    unknown = sorted(set(current) - set(units))
    groups = {
        k: {"id": v[0], "name": v[1], "parent_id": v[2], "level": v[3], "province": v[4]} for k, v in units.items() if v[3] not in LEVELS
    }
    notes = dict(conn.execute(
        "SELECT office_id, register_note FROM hq_submission WHERE form_id = ? AND period = ? AND superseded_by IS NULL AND register_note IS NOT NULL",
        (form.id, period),
    ).fetchall())  # fmt: skip
    return Completeness(form.id, period, deadline, cutoff, out, unknown, groups, children, notes)


# --- reminders as a sheet (XLSX / CSV through hq_export) -------------------------------------


def reminder_sheet(result: Completeness, province: str | None = None):
    """The reminders list as an ``hq_export.Sheet``: units not yet reported, with their parent."""
    from citizen_rights_desktop.hq.export import Sheet

    def rows():
        for unit in result.reminders(province):
            yield [unit.name, unit.unit_id, LEVELS.get(unit.level, unit.level), PROVINCES.get(unit.province, NATIONAL_FA), unit.parent_name, unit.parent_id or ""]

    return Sheet("یادآوری", ["واحد", "شناسه واحد", "سطح", "استان", "واحد بالادست", "شناسه واحد بالادست"], rows)


def status_sheet(result: Completeness):
    """Every unit with its status, received date (Jalali, Iran time) and revision."""
    from citizen_rights_desktop.hq.export import Sheet

    def rows():
        for unit in result.units:
            yield [
                unit.name, unit.unit_id, PROVINCES.get(unit.province, NATIONAL_FA), LEVELS.get(unit.level, unit.level), unit.parent_name,
                STATUS_FA[unit.status], jalali_received(unit.first_received_at), jalali_received(unit.received_at), unit.revision,
            ]  # fmt: skip

    headers = ["واحد", "شناسه واحد", "استان", "سطح", "واحد بالادست", "وضعیت", "تاریخ دریافت نخست", "تاریخ دریافت آخرین ویرایش", "ویرایش"]
    return Sheet("وضعیت ارسال", headers, rows)


def province_sheet(result: Completeness):
    from citizen_rights_desktop.hq.export import Sheet

    def rows():
        for row in result.by_province():
            c = row.counts
            yield [row.name, c.units, c.on_time, c.late, c.missing, c.percent]

    return Sheet("ارسال به تفکیک استان", ["استان", "تعداد واحد", "به موقع", "با تأخیر", "ارسال نشده", "درصد ارسال"], rows)


def jalali_received(received_at: str | None, persian_digits: bool = False) -> str | None:
    """A received time as a Jalali date in Iran time (fixed +03:30), or None."""
    if not received_at:
        return None
    from citizen_rights_desktop.persian.jalali import to_jalali_text

    return to_jalali_text(parse_time(received_at).astimezone(IRAN_TIME).date(), persian_digits)


def write_reminders_csv(result: Completeness, path: str | Path, province: str | None = None) -> Path:
    """The reminders list as one UTF-8 (with BOM) CSV file, written like the other exports: complete or not at all."""
    from citizen_rights_desktop.hq.export import write_csv_sheet

    return write_csv_sheet(reminder_sheet(result, province), Path(path))


# --- sample data for tests and benchmarks ----------------------------------------------------


