"""What the headquarters window shows, computed in one go (off the GUI thread) by the core functions
the ``hq status|analyse|rank`` commands call, so the window and the command line always agree."""

from __future__ import annotations

from dataclasses import dataclass, field

from citizen_rights_desktop.editing.digest import refresh_digests
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.hq import analysis
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
    visits: list = field(default_factory=list)  # the period's inspection visits (hq.inspections.Visit)
    all_visits: list = field(default_factory=list)  # every visit: open findings and the trend


def periods(database: Database, form: FormDefinition) -> list[str]:
    """The periods with received reports of ``form``, newest first, always including its own year."""
    found = {r[0] for r in database.conn.execute("SELECT DISTINCT period FROM hq_submission WHERE form_id=?", (form.id,))}
    found.add(str(form.guideline_year))
    # the years of inspection visits too (their periods are dated visits: the inspections tab, issue 15)
    found |= {r[0] for r in database.conn.execute("SELECT DISTINCT substr(period, 1, 4) FROM hq_submission WHERE form_id=?", (hq_inspections.INSPECTION_FORM_ID,))}
    return sorted(found, reverse=True)


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
    scores = analysis.scores(conn, form, period)
    expected = {u.unit_id: u.name for u in status.units}
    row = conn.execute("SELECT name FROM hq_identity WHERE id=1").fetchone()
    every = hq_inspections.visits(ReportStore(database, actor="headquarters"), catalog)
    return Snapshot(
        form=form,
        period=period,
        hq_name=row[0] if row else None,
        has_identity=row is not None,
        completeness=status,
        shares=shares,
        pivot=analysis.pivot_yes_share(conn, form, period, by="province"),
        numbers=analysis.numeric_summaries(conn, form, period),
        unit_ranks=analysis.rank_units(scores, expected),
        province_ranks=analysis.rank_provinces(scores, PROVINCES),
        submissions=current_submissions(database, form, period),
        unit_province={**{u.unit_id: u.province for u in status.units}, **{s.office_id: s.province for s in scores}},
        unit_county={office_id: county for office_id, county in conn.execute("SELECT id, county FROM office WHERE county != ''")},
        visits=[v for v in every if hq_inspections.in_period(v.period, period)],
        all_visits=every,
    )
