"""A realistic headquarters database for tests, benchmarks and demonstrations (issue 16): ``hq
demo --units N --seed S`` fills it with what N units would have sent over two years, as if
imported — annual reports for 1398 and 1399, the quarterly program report for the four quarters
of 1399 (agencies' provincial offices and governorates: seed 002's rule 1), and joint inspection
visits of 1399 — across the 31 provinces, with the org-unit register they belong to.

The data drifts the way real data does, so that comparisons mean something: each unit has its own
propensity to answer «بله», which moves a little from one year to the next (most improve, some
get worse); about one unit in twelve does not report in a given year; a fifth of those who do
report after the deadline. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from citizen_rights_desktop.editing.demo import _Generator, _office
from citizen_rights_desktop.editing.digest import store_digest
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.hq.completeness import deadline_cutoff
from citizen_rights_desktop.hq.sample import PROVINCE_LEVEL, insert_submissions, register_sample_visits
from citizen_rights_desktop.report.office import PROVINCES, OfficeProfile
from storage.database import Database
from storage.report_store import ReportStore

ANNUAL_YEARS = ("1398", "1399")
QUARTER_LEVELS = ("national_agency", "provincial_office", "governorate")  # seed 002, rule 1


@dataclass
class DemoSummary:
    units: int
    reports: dict[str, int] = field(default_factory=dict)  # form id → reports received
    visits: int = 0


def _received(rng: random.Random, due: dt.date, late_share: float = 0.2) -> str:
    cutoff = deadline_cutoff(due)
    if rng.random() < late_share:
        moment = cutoff + dt.timedelta(minutes=rng.randint(1, 60 * 24 * 40))
    else:
        moment = cutoff - dt.timedelta(minutes=rng.randint(1, 60 * 24 * 60))
    return moment.isoformat(timespec="milliseconds")


def _weights(propensity: float) -> tuple[float, float, float]:
    """(details, reason, justification) weights for a unit with this share of «بله»."""
    return (propensity, max(0.02, 1 - propensity - 0.06), 0.06)


def fill_demo(database: Database, catalog: FormCatalog, units: int, seed: int = 0, visits: int | None = None) -> DemoSummary:
    """Fill ``database`` (a headquarters database) with ``units`` units' submissions (module docstring)."""
    rng = random.Random(seed)
    store = ReportStore(database, actor="demo")
    annual, programs = catalog.latest("citizen_rights_annual"), catalog.latest("citizen_rights_programs")
    offices = [_office(rng, index) for index in range(units)]
    for office in offices:
        store.save_office(office)
    _register(database, offices)
    summary = DemoSummary(units)
    propensity = {o.id: rng.uniform(0.35, 0.9) for o in offices}
    generator = _Generator(annual, rng, fill_optional=False)
    for year in ANNUAL_YEARS:
        reported = [o for o in offices if rng.random() > 1 / 12]
        summary.reports[f"{annual.id} {year}"] = _send(database, store, generator, annual, reported, year, propensity, rng)
        for office in offices:  # next year: most improve a little, some get worse
            propensity[office.id] = min(0.97, max(0.1, propensity[office.id] + rng.gauss(0.04, 0.06)))
    quarterly = [o for o in offices if o.level in QUARTER_LEVELS and rng.random() < 0.6]
    generator = _Generator(programs, rng, fill_optional=False)
    for quarter in range(1, 5):
        reported = [o for o in quarterly if rng.random() < 0.85]
        summary.reports[f"{programs.id} 1399-Q{quarter}"] = _send(database, store, generator, programs, reported, f"1399-Q{quarter}", propensity, rng)
    try:
        inspection = catalog.latest("joint_inspection")
    except Exception:  # a catalog without the checklist: no visits
        inspection = None
    if inspection is not None:
        summary.visits = len(register_sample_visits(database, inspection, units // 4 if visits is None else visits, seed))
    return summary


def _send(database, store, generator, form: FormDefinition, offices: list[OfficeProfile], period: str, propensity, rng) -> int:
    due = form.due_date(period)
    rows = []
    with database.transaction():
        for office in offices:
            report = generator.report(office, period, _weights(propensity[office.id]), (1, 4), complete=rng.random() < 0.85)
            for answer in report.sections.values():
                answer.evidence = []  # the demo database carries no files: its reports are data
            store.write_report(report)
            store_digest(database.conn, form, report, office)
            rows.append((report, office.id, _received(rng, due)))
    insert_submissions(database, form, rows)
    return len(rows)


def _register(database: Database, offices: list[OfficeProfile]) -> None:
    units = [(f"province-{key}", f"استان {name}", None, PROVINCE_LEVEL, key) for key, name in PROVINCES.items()]
    units += [(o.id, o.agency, f"province-{o.province}" if o.province else None, o.level, o.province) for o in offices]
    with database.transaction() as conn:
        conn.executemany("INSERT OR REPLACE INTO org_unit (id, name, parent_id, level, province) VALUES (?,?,?,?,?)", units)
