"""What the headquarters window shows, computed in one go (off the GUI thread) by the core functions
the ``hq status|analyse|rank|inspections`` commands call, so the window and the command line always
agree. The inspections tab's roll-up is computed apart (``load_inspections``), only when the tab is
shown: reading thousands of visits would delay the window's start (issue 16)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from citizen_rights_desktop.editing.digest import refresh_digests
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.hq import analysis, kind_figures
from citizen_rights_desktop.hq import completeness as hq_completeness
from citizen_rights_desktop.hq import inspections as hq_inspections
from citizen_rights_desktop.hq import review as hq_review
from citizen_rights_desktop.hq.scope import Scope, apply_scope
from citizen_rights_desktop.report.office import PROVINCES
from storage import ReportStore
from storage.database import Database

GROUPINGS = (None, "province", "level")


@dataclass
class SubmissionRow:
    submission_id: str
    office_id: str
    agency: str
    province: str
    level: str
    revision: int
    received_at: str
    pdf_check: str
    state: str


@dataclass
class Snapshot:
    form: FormDefinition
    period: str
    hq_name: str | None
    has_identity: bool
    completeness: hq_completeness.Completeness
    shares: dict[str | None, analysis.StatusShares]  # by None (national), "province", "level"
    pivot: dict[str, dict[str, float | None]]  # indicator → province → yes %
    numbers: list[analysis.NumericSummary]
    unit_ranks: list[analysis.Rank]
    province_ranks: list[analysis.Rank]
    submissions: list[SubmissionRow] = field(default_factory=list)
    unit_province: dict[str, str] = field(default_factory=dict)  # office id → province key
    unit_county: dict[str, str] = field(default_factory=dict)  # office id → county (its profile's): the drill-down's county level
    kind: kind_figures.KindFigures | None = None  # a kind with its own answers (the quarterly report): its figures


@dataclass
class InspectionFigures:
    """The inspections tab's roll-up of a period (``hq.inspections``, as ``hq inspections``)."""

    period: str
    visits: list  # the period's visits (hq.inspections.Visit)
    groups: dict[str | None, list]  # by None (national), "province", "agency" → hq.inspections.Group
    dimensions: dict  # dimension id → (mean score, visits)


def prepare_catalog(database: Database, catalog: FormCatalog) -> None:
    """The forms as ``hq`` commands see them: the provinces' variants headquarters delivered (issue
    14) and headquarters' own deadline for each kind (``hq set-deadline``)."""
    from citizen_rights_desktop.exchange.office_enrolment import apply_deadlines
    from citizen_rights_desktop.hq.profile import deadline_days, install_province_forms

    install_province_forms(database, catalog)
    apply_deadlines(catalog, deadline_days(database))


def report_kinds(catalog: FormCatalog) -> list[FormDefinition]:
    """The kinds of report the window analyses (the newest form of each, the annual report first);
    inspection checklists have their own tab."""
    kinds = [catalog.latest(form_id) for form_id in catalog.form_ids()]
    return [form for form in kinds if form.kind.period in ("year", "quarter")]


def periods(database: Database, form: FormDefinition) -> list[str]:
    """The periods with received reports of ``form``, newest first, always including its own year
    (a quarterly kind: its first quarter)."""
    found = {r[0] for r in database.conn.execute("SELECT DISTINCT period FROM hq_submission WHERE form_id=?", (form.id,))}
    if form.kind.period == "year":
        found.add(str(form.guideline_year))
        # the years of inspection visits too (their periods are dated visits: the inspections tab, issue 15)
        found |= {r[0] for r in database.conn.execute("SELECT DISTINCT substr(period, 1, 4) FROM hq_submission WHERE form_id=?", (hq_inspections.INSPECTION_FORM_ID,))}
    else:
        found.add(f"{form.guideline_year}-Q1")
    return sorted(found, reverse=True)


def default_period(database: Database, form: FormDefinition) -> str:
    """The annual report's guideline year; a quarterly kind's newest quarter with reports."""
    return str(form.guideline_year) if form.kind.period == "year" else periods(database, form)[0]


def current_submissions(database: Database, form: FormDefinition, period: str) -> list[SubmissionRow]:
    rows = database.conn.execute(
        "SELECT s.id, s.office_id, COALESCE(o.agency, s.office_id), COALESCE(o.province, ''), COALESCE(o.level, ''),"
        " s.revision, s.received_at, s.pdf_check FROM hq_submission s"
        " JOIN report r ON r.id = s.report_id LEFT JOIN office o ON o.id = r.office_id"
        " WHERE s.superseded_by IS NULL AND s.form_id = ? AND s.period = ?",
        (form.id, period),
    ).fetchall()
    states = hq_review.review_states(database, [r[0] for r in rows])
    order = {key: i for i, key in enumerate(PROVINCES)}
    out = [SubmissionRow(*row, states[row[0]]) for row in rows]
    out.sort(key=lambda s: (order.get(s.province, len(order)), s.agency, s.office_id))
    return out


def load_snapshot(database: Database, catalog: FormCatalog, form: FormDefinition, period: str, scope: Scope | None = None) -> Snapshot:
    """Refresh the digests (derived data), then every figure of every page, within ``scope``
    (``hq.scope``: the window's filters; the task's own connection is the one filtered)."""
    refresh_digests(ReportStore(database, actor="headquarters"), catalog)
    apply_scope(database.conn, scope)
    conn = database.conn
    status = hq_completeness.completeness(conn, form, period)
    shares = {by: analysis.status_shares(conn, form, period, by) for by in GROUPINGS}
    yearly = form.kind.period == "year"  # the score, its ranks and the «بله» pivot are the annual report's
    scores = analysis.scores(conn, form, period) if yearly else []
    expected = {u.unit_id: u.name for u in status.units}
    row = conn.execute("SELECT name FROM hq_identity WHERE id=1").fetchone()
    return Snapshot(
        form=form,
        period=period,
        hq_name=row[0] if row else None,
        has_identity=row is not None,
        completeness=status,
        shares=shares,
        pivot=analysis.pivot_yes_share(conn, form, period, by="province") if yearly else {},
        numbers=analysis.numeric_summaries(conn, form, period),
        unit_ranks=analysis.rank_units(scores, expected) if yearly else [],
        province_ranks=analysis.rank_provinces(scores, PROVINCES) if yearly else [],
        submissions=current_submissions(database, form, period),
        unit_province={**{u.unit_id: u.province for u in status.units}, **{s.office_id: s.province for s in scores}},
        unit_county={office_id: county for office_id, county in conn.execute("SELECT id, county FROM office WHERE county != ''")},
        kind=None if yearly else kind_figures.kind_figures(ReportStore(database, actor="headquarters"), form, period, shares[None]),
    )


def load_inspections(database: Database, catalog: FormCatalog, period: str, scope: Scope | None = None, today: dt.date | None = None) -> InspectionFigures:
    """The inspections tab's roll-up of ``period`` within ``scope``: the period's visits per
    province, per agency and nationally, per dimension (the digests are the snapshot's, refreshed
    by ``load_snapshot`` before)."""
    apply_scope(database.conn, scope)
    year = period.split("-")[0]  # no visit dated in the period's year: nothing to read
    if not database.conn.execute("SELECT 1 FROM hq_submission WHERE form_id=? AND superseded_by IS NULL AND substr(period, 1, 4)=? LIMIT 1",
                                 (hq_inspections.INSPECTION_FORM_ID, year)).fetchone():  # fmt: skip
        return InspectionFigures(period, [], {None: [], "province": [], "agency": []}, {})
    every = hq_inspections.visits(ReportStore(database, actor="headquarters"), catalog)
    chosen = [v for v in every if hq_inspections.in_period(v.period, period)]
    today = today or dt.date.today()
    opened = hq_inspections.open_findings(every) if chosen else []
    groups = {by: hq_inspections.rollup(chosen, every, by, today, opened) if chosen else [] for by in (None, "province", "agency")}
    return InspectionFigures(period, chosen, groups, hq_inspections.mean_by(chosen, "by_dimension"))
