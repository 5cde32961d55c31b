"""Headquarters' roll-up of inspection visits (issue 15): per province, per agency, per dimension
and per right; open and overdue findings; contradictions with the inspected offices' own annual
reports; the trend over quarters; a per-agency inspection score the ranking can use.

Every visit is read with its own checklist version (``catalog.get(form_id, form_version)``), so a
visit made with an older checklist is analysed by the items it was made with. Scores of different
versions are comparable as percents (``report.inspection``); per-item figures are by item id,
which a new version never reuses for something else.

Decisions (written down here because the issue is silent):

- **Which visits.** The current revision of each visit (``hq_submission.superseded_by IS NULL``)
  whose date falls in the period: a year (``1399``) or a quarter (``1399-Q3``).
- **Where a visit belongs.** The inspected office's province in the org-unit register, else the
  team's. Its agency: the inspected office's name without its level («اداره کل», «اداره») and
  place («استان …», «شهرستان …»), so the offices of one agency across provinces group together.
- **Open finding.** A finding of the latest visit to an office (all visits, not only the period's)
  for its item: a later visit that answers the item compliant or not applicable closes it.
  Overdue: open and past its deadline on ``today``.
- **Contradiction.** Against the inspected office's current annual report of the latest year not
  after the visit's year (``all_annual_claims``).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

from citizen_rights_desktop.form.catalog import FormCatalog, FormNotFound
from citizen_rights_desktop.form.periods import InvalidPeriod, Period, parse_period
from citizen_rights_desktop.hq.completeness import register_provinces
from citizen_rights_desktop.report.inspection import Contradiction, Finding, contradictions, findings, visit_scores
from citizen_rights_desktop.hq.digest_view import digest_reports
from citizen_rights_desktop.report.model import SectionAnswer
from storage.report_parts import load_parts
from storage.report_store import ReportStore

INSPECTION_FORM_ID = "joint_inspection"
ANNUAL_FORM_ID = "citizen_rights_annual"
_LEVEL_WORDS = re.compile(r"^(?:اداره\s+کل|اداره|سازمان|مدیریت)\s+")
_GOVERNORATES = ("استانداری", "فرمانداری")
_PLACE = re.compile(r"\s+(?:استان|شهرستان)\s+.*$")


@dataclass
class Visit:
    report_id: str
    team_id: str
    office_id: str  # the inspected office
    office_name: str
    province: str
    agency: str
    period: Period
    form_version: str
    score: float | None
    by_dimension: dict[str, float | None]
    by_right: dict[int, float | None]
    findings: list[Finding]
    contradictions: list[Contradiction] = field(default_factory=list)
    checked: frozenset[str] = frozenset()  # the items the visit answered


@dataclass
class Group:
    key: str
    visits: int = 0
    scores: list[float] = field(default_factory=list)
    open_findings: int = 0
    overdue_findings: int = 0
    contradictions: int = 0

    @property
    def mean_score(self) -> float | None:
        return round(sum(self.scores) / len(self.scores), 1) if self.scores else None


def agency_of(name: str) -> str:
    """«اداره کل ثبت اسناد و املاک استان فارس» → «ثبت اسناد و املاک» (see the module docstring); a
    governorate («استانداری فارس», «فرمانداری شهرستان …») is of type «استانداری» / «فرمانداری»."""
    name = name.strip()
    for word in _GOVERNORATES:
        if name.startswith(word):
            return word
    return _PLACE.sub("", _LEVEL_WORDS.sub("", name)).strip() or name


def in_period(period: Period, wanted: str) -> bool:
    """Whether a visit's date falls in ``wanted``: a year or a quarter."""
    try:
        target = parse_period(wanted, "quarter" if "Q" in wanted.upper() else "year")
    except InvalidPeriod:
        return False
    return period.year == target.year and (target.quarter is None or period.quarter_of_year == target.quarter)


def _form_of(catalog: FormCatalog):
    def form_of(form_id: str, version: str):
        try:
            return catalog.get(form_id, version)
        except FormNotFound:
            return None

    return form_of


def _claimed(catalog: FormCatalog) -> set[str] | None:
    """The annual indicators any installed checklist compares with (``self_report``)."""
    return {c for form in catalog.forms.values() for ind in form.indicators for c in ind.self_report} or None


def all_annual_claims(conn: sqlite3.Connection, wanted: dict[str, int], catalog: FormCatalog | None = None) -> dict[str, tuple[dict[str, str], str]]:
    """Each office's answers (indicator id → status) in its current annual report of the latest
    year not after the one wanted (office id → that year), with the report's year; offices
    headquarters has no such report of are left out."""
    latest: dict[str, tuple[int, str]] = {}
    for report_id, office_id, period in conn.execute(
        "SELECT report_id, office_id, period FROM hq_submission WHERE form_id=? AND superseded_by IS NULL", (ANNUAL_FORM_ID,)
    ):
        if office_id in wanted and str(period).isdigit() and int(period) <= wanted[office_id]:
            if office_id not in latest or int(period) > latest[office_id][0]:
                latest[office_id] = (int(period), report_id)
    catalog = catalog or FormCatalog()
    parts = digest_reports(conn, [r for _, r in latest.values()], _form_of(catalog), only=_claimed(catalog))
    return {
        office_id: ({sid: a.status for sid, a in parts[report_id].sections.items() if a.status}, str(year))
        for office_id, (year, report_id) in latest.items()
        if report_id in parts
    }


def _register(conn: sqlite3.Connection) -> dict[str, str]:
    return {row[0]: row[1] for row in conn.execute("SELECT id, name FROM org_unit")}


VISIT_ITEMS = ("corrective_deadline", "inspected_office")  # what the roll-up reads besides the answers


def visits(store: ReportStore, catalog: FormCatalog, period: str | None = None, form_id: str = INSPECTION_FORM_ID) -> list[Visit]:
    """The current visits (of ``period``: a year or quarter; all when ``None``), oldest first.
    Read in bulk (``storage.report_parts``): a few queries for thousands of visits."""
    conn = store.conn
    rows = conn.execute(
        "SELECT report_id, office_id, form_version, period FROM hq_submission WHERE form_id=? AND superseded_by IS NULL", (form_id,)
    ).fetchall()
    chosen = []
    for report_id, team_id, version, text in rows:
        try:
            form = catalog.get(form_id, version)
            when = form.period(text)
        except (FormNotFound, InvalidPeriod):
            continue
        if period is None or in_period(when, period):
            chosen.append((report_id, team_id, form, when))
    if not chosen:
        return []
    names, provinces = _register(conn), register_provinces(conn)
    teams = {row[0]: row[1] for row in conn.execute("SELECT id, province FROM office")}
    ids = [c[0] for c in chosen]
    # the findings' deadlines and the header; the answers from the digests; a visit's findings
    # carry their deadline only (the visit's PDF has the rest)
    parts = load_parts(conn, ids, items=VISIT_ITEMS)
    for report_id, skeleton in digest_reports(conn, ids, _form_of(catalog)).items():
        for section_id, answer in skeleton.sections.items():
            parts.setdefault(report_id, skeleton).sections.setdefault(section_id, SectionAnswer()).status = answer.status
    claims = all_annual_claims(conn, {when.subject: when.year for _, _, _, when in chosen}, catalog)
    out = []
    for report_id, team_id, form, when in chosen:
        report = parts.get(report_id)
        if report is None:
            continue
        scores = visit_scores(form, report)
        name = names.get(when.subject) or str(report.header.get("inspected_office") or when.subject)
        claim = claims.get(when.subject)
        out.append(Visit(
            report_id, team_id, when.subject, name, provinces.get(when.subject) or teams.get(team_id, ""), agency_of(name), when,
            form.version, scores.overall.percent, {k: s.percent for k, s in scores.by_dimension.items()},
            {k: s.percent for k, s in scores.by_right.items()}, findings(form, report),
            contradictions(form, report, claim[0]) if claim else [], frozenset(i.id for i in form.indicators if report.section(i.id).status),
        ))  # fmt: skip
    return sorted(out, key=lambda v: (v.period.first_day, v.office_id))


def open_findings(all_visits: list[Visit]) -> list[tuple[Visit, Finding]]:
    """The findings not closed by a later visit to the same office (module docstring)."""
    latest: dict[tuple[str, str], tuple[Visit, Finding | None]] = {}
    for visit in sorted(all_visits, key=lambda v: v.period.first_day):
        found = {f.indicator_id: f for f in visit.findings}
        for item in visit.checked:
            latest[(visit.office_id, item)] = (visit, found.get(item))
    return [(v, f) for v, f in latest.values() if f is not None]


def rollup(chosen: list[Visit], all_visits: list[Visit], by: str | None, today: dt.date, opened: list[tuple[Visit, Finding]] | None = None) -> list[Group]:
    """One group per province or agency (``by``), or one national group: visits, mean score, open
    and overdue findings (of the chosen visits' offices), contradictions. ``opened``:
    ``open_findings(all_visits)`` when the caller has it already."""
    key = {"province": lambda v: v.province, "agency": lambda v: v.agency}.get(by or "", lambda v: "")
    groups: dict[str, Group] = defaultdict(lambda: Group(""))
    for visit in chosen:
        group = groups[key(visit)]
        group.key = key(visit)
        group.visits += 1
        group.contradictions += len(visit.contradictions)
        if visit.score is not None:
            group.scores.append(visit.score)
    offices = {v.office_id: key(v) for v in chosen}
    for visit, finding in open_findings(all_visits) if opened is None else opened:
        if visit.office_id in offices:
            group = groups[offices[visit.office_id]]
            group.open_findings += 1
            group.overdue_findings += finding.overdue(today)
    return sorted(groups.values(), key=lambda g: (g.mean_score is None, g.mean_score if g.mean_score is not None else 0, g.key))


def mean_by(chosen: list[Visit], attribute: str) -> dict[object, tuple[float | None, int]]:
    """The mean of the visits' ``by_dimension`` or ``by_right`` scores, and how many visits scored it."""
    values: dict[object, list[float]] = defaultdict(list)
    for visit in chosen:
        for k, v in getattr(visit, attribute).items():
            values.setdefault(k, [])
            if v is not None:
                values[k].append(v)
    return {k: (round(sum(v) / len(v), 1) if v else None, len(v)) for k, v in sorted(values.items())}


def trend(all_visits: list[Visit]) -> list[tuple[str, int, float | None]]:
    """(quarter, visits, mean score) for every quarter with visits, oldest first."""
    by_quarter: dict[Period, list[float | None]] = defaultdict(list)
    for visit in all_visits:
        by_quarter[Period(visit.period.year, visit.period.quarter_of_year)].append(visit.score)
    out = []
    for quarter in sorted(by_quarter):
        scores = [s for s in by_quarter[quarter] if s is not None]
        out.append((quarter.text, len(by_quarter[quarter]), round(sum(scores) / len(scores), 1) if scores else None))
    return out


def agency_scores(chosen: list[Visit]) -> dict[str, float | None]:
    """Each agency's inspection score: the mean score of its offices' visits (for the ranking)."""
    return {g.key: g.mean_score for g in rollup(chosen, [], "agency", dt.date.today())}
