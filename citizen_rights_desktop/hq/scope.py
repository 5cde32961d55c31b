"""Filtering headquarters' figures to a part of the country (issue 16): a province, a county, an
organizational level, an agency type — on every figure at once.

A scope is applied to a database connection as *temporary views* named like the tables the
analysis reads (``report_digest``, ``hq_submission``, ``org_unit``): SQLite looks a name up in the
connection's temporary schema first, so every query of ``hq.completeness``, ``hq.analysis``,
``hq.inspections``, the exports and the progress report sees only the units in scope, and none of
them needs a filter of its own that could disagree with another's. The views are read-only:
refresh the digests before applying a scope (``editing.digest.refresh_digests`` writes).

Which units are in scope: those of the org-unit register and those headquarters knows from their
reports (table ``office``) whose province (the register's, resolved through its parents, else the
office's), level, county (the office profile's) and agency type match every criterion given. The
agency type is the unit's name without its level («اداره کل», «اداره», …) and place («استان …»,
«شهرستان …»), ``hq.inspections.agency_of``: «اداره کل ثبت اسناد و املاک استان فارس» is of type
«ثبت اسناد و املاک». An inspection visit is in scope when its team or the office it inspected is.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from citizen_rights_desktop.hq.completeness import register_provinces
from citizen_rights_desktop.hq.inspections import agency_of
from citizen_rights_desktop.persian.text import normalize_text
from citizen_rights_desktop.report.office import LEVELS, PROVINCES

SHADOWED = ("report_digest", "hq_submission", "org_unit")


class BadScope(ValueError):
    def __init__(self, message_en: str, message_fa: str):
        self.message_en, self.message_fa = message_en, message_fa
        super().__init__(message_en)


@dataclass(frozen=True)
class Scope:
    province: str | None = None  # a province key (fars) or "national" (units with no province)
    county: str | None = None
    level: str | None = None
    agency_type: str | None = None

    @property
    def everything(self) -> bool:
        return not (self.province or self.county or self.level or self.agency_type)

    def describe(self) -> str:
        parts = [f"{k.replace('_', '-')} {v}" for k, v in (("province", self.province), ("county", self.county), ("level", self.level), ("agency_type", self.agency_type)) if v]
        return ", ".join(parts) or "everything"

    def check(self) -> Scope:
        """The scope with its province and level checked (``BadScope`` with both messages)."""
        if self.province not in (None, "national") and self.province not in PROVINCES:
            by_name = {name: key for key, name in PROVINCES.items()}
            if self.province not in by_name:
                raise BadScope(f"unknown province {self.province!r} (one of {', '.join(PROVINCES)}, or national)", "استان نامعتبر است.")
            return Scope(by_name[self.province], self.county, self.level, self.agency_type).check()
        if self.level is not None and self.level not in LEVELS:
            raise BadScope(f"unknown level {self.level!r} (one of {', '.join(LEVELS)})", "سطح سازمانی نامعتبر است.")
        return self


def _matches(scope: Scope, province: str, level: str, county: str, name: str) -> bool:
    if scope.province is not None and province != ("" if scope.province == "national" else scope.province):
        return False
    if scope.level is not None and level != scope.level:
        return False
    if scope.county is not None and normalize_text(county or "") != normalize_text(scope.county):
        return False
    return scope.agency_type is None or normalize_text(scope.agency_type) in normalize_text(agency_of(name or ""))


def units_in_scope(conn: sqlite3.Connection, scope: Scope) -> set[str]:
    """The ids of the units in ``scope`` (module docstring)."""
    provinces = register_provinces(conn)
    offices = {row[0]: row[1:] for row in conn.execute("SELECT id, agency, level, province, county FROM main.office")}
    found = set()
    for unit_id, name, level in conn.execute("SELECT id, name, level FROM main.org_unit"):
        county = offices.get(unit_id, ("", "", "", ""))[3]
        if level in LEVELS and _matches(scope, provinces.get(unit_id, ""), level, county, name):
            found.add(unit_id)
    for office_id, (agency, level, province, county) in offices.items():
        if office_id not in provinces and _matches(scope, province or "", level or "", county or "", agency or ""):
            found.add(office_id)
    return found


def apply_scope(conn: sqlite3.Connection, scope: Scope | None) -> int:
    """Show the connection only ``scope``'s data (module docstring); returns how many units are in
    it. ``None`` or an empty scope removes any scope applied before."""
    clear_scope(conn)
    if scope is None or scope.everything:
        return -1
    units = units_in_scope(conn, scope)
    conn.execute("CREATE TEMP TABLE scope_unit (id TEXT PRIMARY KEY)")
    conn.executemany("INSERT INTO temp.scope_unit VALUES (?)", [(u,) for u in units])
    conn.execute("CREATE TEMP VIEW report_digest AS SELECT * FROM main.report_digest WHERE office_id IN (SELECT id FROM temp.scope_unit)")
    conn.execute(
        "CREATE TEMP VIEW hq_submission AS SELECT * FROM main.hq_submission WHERE office_id IN (SELECT id FROM temp.scope_unit)"
        " OR (instr(period, '@') > 0 AND substr(period, instr(period, '@') + 1) IN (SELECT id FROM temp.scope_unit))"
    )
    levels = ",".join(f"'{level}'" for level in LEVELS)
    conn.execute(f"CREATE TEMP VIEW org_unit AS SELECT * FROM main.org_unit WHERE level NOT IN ({levels}) OR id IN (SELECT id FROM temp.scope_unit)")
    return len(units)


def clear_scope(conn: sqlite3.Connection) -> None:
    for name in SHADOWED:
        conn.execute(f"DROP VIEW IF EXISTS temp.{name}")
    conn.execute("DROP TABLE IF EXISTS temp.scope_unit")
