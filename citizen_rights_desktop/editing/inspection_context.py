"""What a visit's PDF prints beside the visit (issue 15), gathered from the team's own database:
the inspected office's self-report answers (the headquarters profile for teams carries them) and
the team's earlier visit to the same office, whose findings this visit follows up."""

from __future__ import annotations

from citizen_rights_desktop.form.catalog import FormCatalog, FormNotFound
from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.form.periods import InvalidPeriod, parse_period
from citizen_rights_desktop.report.inspection import InspectionContext, follow_up
from citizen_rights_desktop.report.model import Report
from citizen_rights_desktop.persian.text import to_persian_digits
from storage.report_store import ReportStore
from storage.self_report_claims import claims_of


def earlier_visit(store: ReportStore, form: FormDefinition, report: Report) -> Report | None:
    """The latest revision of the team's latest visit to the same office before this one."""
    try:
        this = form.period(report.period)
    except InvalidPeriod:
        return None
    best = None
    for summary in store.list_reports():
        if summary.form_id != form.id or summary.id == report.id:
            continue
        try:
            other = parse_period(summary.period, "visit")
        except InvalidPeriod:
            continue
        if other.subject != this.subject or other.first_day >= this.first_day:
            continue
        key = (other.first_day, summary.revision)
        if best is None or key > best[0]:
            best = (key, summary.id)
    return store.load_report(best[1]) if best else None


def inspection_context(store: ReportStore, form: FormDefinition, report: Report, catalog: FormCatalog | None = None) -> InspectionContext | None:
    """The context of a visit's PDF; ``None`` for a report that is not an inspection visit."""
    if form.kind.period != "visit" or not form.scored:
        return None
    office_id = form.period(report.period).subject
    found = claims_of(store.database, office_id)
    context = InspectionContext()
    if found is not None:
        period, claims = found
        context.claims, context.claims_period = claims, f"سال {to_persian_digits(period)}"  # a Jalali year: the profile's reader checks it
    earlier = earlier_visit(store, form, report)
    if earlier is not None:
        try:
            earlier_form = (catalog or FormCatalog()).get(earlier.form_id, earlier.form_version)
        except FormNotFound:
            return context
        context.follow_ups = follow_up(form, report, earlier, earlier_form)
    return context
