"""What the reports list shows, and starting a report: new, or from an earlier report.

Headless helpers for the desktop application's reports list (and anything else that lists
reports): each report with its guideline, status, completeness and the days left to its
guideline's deadline. Nothing here names an indicator; copying goes by the form's stable ids.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from citizen_rights_desktop.form.catalog import FormCatalog, FormNotFound
from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.persian.text import normalize_text, to_persian_digits
from citizen_rights_desktop.report.model import EvidenceRef, Report, Row, SectionAnswer
from citizen_rights_desktop.report.office import INSPECTION_TEAM, OfficeProfile
from citizen_rights_desktop.report.validation import validate_report
from storage.backup import take_backup
from storage.report_store import ReportStore, new_id

# What the list calls a report: the stored state, or "complete" for a draft with nothing missing.
LIST_STATUSES = ("draft", "complete", "signed", "exported")
STATUS_LABELS_FA = {
    "draft": "پیش‌نویس",
    "complete": "تکمیل شده",
    "signed": "امضا شده",
    "exported": "بسته ساخته شد",  # sent only once headquarters' receipt says so (issue 18: the send column)
}


@dataclass(frozen=True)
class ReportListEntry:
    id: str
    office_id: str
    agency: str
    form_id: str
    form_version: str
    guideline_title: str  # "" when the report's form definition is not installed
    period: str
    revision: int
    state: str  # stored: draft / signed / exported
    status: str  # one of LIST_STATUSES
    completeness: float | None  # None when the form definition is not installed
    updated_at: str  # ISO, UTC
    deadline: dt.date | None
    days_left: int | None  # negative once the deadline has passed
    period_fa: str = ""  # «سال ۱۳۹۸», «سه‌ماهه دوم ۱۳۹۹ (تیر تا شهریور)»

    @property
    def status_fa(self) -> str:
        return STATUS_LABELS_FA.get(self.status, self.status)


def days_left(deadline: dt.date, today: dt.date | None = None) -> int:
    """Whole days from ``today`` to the deadline (0 on the day itself, negative after it)."""
    return (deadline - (today or dt.date.today())).days


def report_entries(store: ReportStore, catalog: FormCatalog, today: dt.date | None = None) -> list[ReportListEntry]:
    """Every report of the database, most recently changed first."""
    entries = []
    for summary in store.list_reports():
        try:
            form = catalog.get(summary.form_id, summary.form_version)
        except FormNotFound:
            form = None
        completeness = None
        status = summary.state
        if form is not None:
            result = validate_report(form, store.load_report(summary.id))
            completeness = result.completeness
            if summary.state == "draft" and result.is_complete:
                status = "complete"
        entries.append(
            ReportListEntry(
                id=summary.id,
                office_id=summary.office_id,
                agency=summary.agency,
                form_id=summary.form_id,
                form_version=summary.form_version,
                guideline_title=form.title if form else "",
                period=summary.period,
                revision=summary.revision,
                state=summary.state,
                status=status,
                completeness=completeness,
                updated_at=summary.updated_at,
                deadline=_due(form, summary.period),
                days_left=days_left(_due(form, summary.period), today) if form else None,
                period_fa=form.period_words(summary.period) if form else "",
            )
        )
    return entries


def _due(form: FormDefinition | None, period: str) -> dt.date | None:
    """The period's own deadline (a quarter's, a later year's), else the guideline's."""
    if form is None:
        return None
    return form.due_date(period) if form.accepts_period(period) else form.deadline


def header_from_office(form: FormDefinition, office: OfficeProfile) -> dict[str, object]:
    """The report header prefilled from the office profile (agency, and head as «name، title»)."""
    header: dict[str, object] = {}
    head = "، ".join(part for part in (office.head_name.strip(), office.head_title.strip()) if part)
    for spec in form.header_fields:
        if spec.type not in ("text", "long_text"):
            continue
        if "agency" in spec.id and office.agency.strip():
            header[spec.id] = office.agency.strip()
        elif "head" in spec.id and head:
            header[spec.id] = head
    return header


def kinds_for(catalog: FormCatalog, level: str | None) -> list[FormDefinition]:
    """The newest form of each kind an office of ``level`` fills (``kind.filled_by``): an
    inspection team only the forms teams fill, any other office every form teams do not fill
    alone (the annual report declares no ``filled_by``: everyone). Annual report first."""
    forms = [catalog.latest(form_id) for form_id in catalog.form_ids()]
    team = level == INSPECTION_TEAM
    chosen = [f for f in forms if (INSPECTION_TEAM in f.kind.filled_by) == team or (not team and not f.kind.filled_by)]
    return chosen or forms


class PeriodNotCovered(ValueError):
    """The form's guideline does not cover the period (``periods:`` in its YAML)."""

    def __init__(self, form: FormDefinition, period: str):
        self.message_en = f"form {form.id} {form.version} (guideline {form.guideline_year}) is for periods {form.periods_text}, not {period!r}"
        self.message_fa = f"شیوه نامه سال {form.guideline_year} برای گزارش سال «{period}» نیست."
        super().__init__(self.message_en)


class PeriodAlreadyReported(PeriodNotCovered):
    """The office already has a report on this form for this period: one report per form and
    period, and a change to it is a new revision of that report, not a second report (issue 17).

    A ``PeriodNotCovered`` too (the period is not open to a new report), so whoever refuses an
    uncovered period with its message refuses this one the same way. ``existing`` is the id of
    the latest revision already there."""

    def __init__(self, form: FormDefinition, period: str, existing: str, revision: int, state: str):
        self.existing, self.revision, self.state = existing, revision, state
        self.message_en = (
            f"there is already a report for {period} on form {form.id} (report {existing}, revision {revision}, {state}); "
            "open it instead, or start a new revision of it"
        )
        where = f"ویرایش {to_persian_digits(revision)}، {STATUS_LABELS_FA.get(state, state)}"
        self.message_fa = (
            f"گزارش {form.period_words(period)} ({where}) پیش‌تر ساخته شده است و برای هر دوره یک گزارش ساخته می‌شود؛ "
            "همان گزارش را از فهرست باز کنید. برای تغییر گزارشی که امضا یا ارسال شده است، «ویرایش جدید» آن را بسازید."
        )
        ValueError.__init__(self, self.message_en)


def refuse_second_report(store: ReportStore, form: FormDefinition, office_id: str, period: str) -> None:
    """Raise ``PeriodAlreadyReported`` if the office has a report on ``form`` (any version) for
    ``period``; revisions of it are made with ``ReportStore.new_revision``, never here."""
    same = [s for s in store.list_reports() if s.office_id == office_id and s.form_id == form.id and s.period == str(period)]
    if same:
        latest = max(same, key=lambda s: s.revision)
        raise PeriodAlreadyReported(form, str(period), latest.id, latest.revision, latest.state)


def reports_of_year(store: ReportStore, form: FormDefinition, report: Report) -> list[Report]:
    """The office's other reports of ``form``'s kind (any version) in ``report``'s year: what its
    targets are tracked over (``report.targets``)."""
    try:
        year = form.period(report.period).year
    except ValueError:
        return []
    found = []
    for summary in store.list_reports():
        if summary.id == report.id or summary.form_id != form.id or summary.office_id != report.office_id:
            continue
        if str(summary.period).split("-")[0] == str(year):
            found.append(store.load_report(summary.id))
    return found


def carried_over(store: ReportStore, form: FormDefinition, report: Report) -> dict[str, SectionAnswer]:
    """What a new quarter starts from (issue 14): the previous quarter's unfinished actions (an
    answer that asks a reason: «بخشی انجام شد», «انجام نشد») keep their reason and what was written
    about them, unanswered, for the clerk to bring up to date; nothing else (no dates, counts or
    documents: they belong to the quarter they happened in). Annual reports start empty."""
    if form.kind.period != "quarter":
        return {}
    try:
        previous = form.period(report.period).previous().text
    except ValueError:
        return {}
    source = next(
        (s for s in sorted(store.list_reports(), key=lambda s: -s.revision)
         if s.form_id == form.id and s.office_id == report.office_id and s.period == previous),
        None,
    )  # fmt: skip
    if source is None:
        return {}
    earlier = store.load_report(source.id)
    carried: dict[str, SectionAnswer] = {}
    for indicator in form.indicators:
        answer = earlier.section(indicator.id)
        found = indicator.status(answer.status)
        if found is None or "reason" not in found.asks:
            continue
        texts = {f.id: answer.values[f.id] for f in indicator.fields if f.type in ("text", "long_text") and isinstance(answer.values.get(f.id), str)}
        carried[indicator.id] = SectionAnswer(reason=answer.reason, values=texts)
    return {k: v for k, v in carried.items() if not v.is_empty()}


def new_report(store: ReportStore, form: FormDefinition, office_id: str, period: str | None = None, header: dict[str, str] | None = None) -> str:
    """A new draft report for the office on ``form``, its header filled from the office profile
    and ``header`` (text items by id: an inspection visit's inspected office, chosen with its
    date). Raises ``PeriodNotCovered`` for a period the form may not report on, and its kind
    ``PeriodAlreadyReported`` when the office already has a report on the form for the period."""
    if period is not None and not form.accepts_period(period):
        raise PeriodNotCovered(form, period)
    office = store.get_office(office_id)
    if office is None:
        raise KeyError(f"no office {office_id}")
    report = Report(new_id(), office_id, form.id, form.version, period or str(form.guideline_year), 1, "draft")
    report.header = header_from_office(form, office)
    texts = {f.id for f in form.header_fields if f.type in ("text", "long_text")}
    report.header.update({k: normalize_text(v) for k, v in (header or {}).items() if k in texts and isinstance(v, str) and v.strip()})
    report.sections = carried_over(store, form, report)
    with store.database.transaction():  # checked and written together
        refuse_second_report(store, form, office_id, report.period)
        store.write_report(report)
    return report.id


def _copy_section(source: SectionAnswer, section, keep_status: bool) -> SectionAnswer:
    answer = SectionAnswer()
    if keep_status:
        answer.status = source.status
        answer.reason = source.reason
        answer.justification = source.justification
    field_ids = {f.id for f in section.fields}
    answer.values = {k: copy.deepcopy(v) for k, v in source.values.items() if k in field_ids}
    for table in section.tables:
        columns = {c.id for c in table.columns}
        rows = source.rows(table.id)
        if table.fixed_rows:
            by_id = {row.id: row for row in rows}
            if not by_id:
                continue
            rows = [Row(r.id, {k: v for k, v in (by_id[r.id].cells if r.id in by_id else {}).items() if k in columns}) for r in table.fixed_rows]
        else:
            rows = [Row(new_id(), {k: copy.deepcopy(v) for k, v in row.cells.items() if k in columns}) for row in rows]
        if rows:
            answer.tables[table.id] = rows
    answer.evidence = [EvidenceRef(new_id(), ev.sha256, ev.name, ev.size, ev.mime, ev.added_at) for ev in source.evidence]
    return answer


def duplicate_report(store: ReportStore, source_id: str, form: FormDefinition, period: str) -> str:
    """A new draft for ``period`` on ``form``, starting from the answers of report ``source_id``.

    Everything whose id still exists in ``form`` is copied (answers, reasons, table rows, evidence
    references; the evidence content is shared, not duplicated); anything else is left out. The
    header is refreshed from the office profile. The source report is not changed. Refused
    (``PeriodAlreadyReported``) when the office already has a report on the form for ``period``.
    """
    source = store.load_report(source_id)
    if not form.accepts_period(str(period)):
        raise PeriodNotCovered(form, str(period))
    report = Report(new_id(), source.office_id, form.id, form.version, str(period), 1, "draft")
    office = store.get_office(source.office_id)
    header_ids = {f.id for f in form.header_fields}
    report.header = {k: copy.deepcopy(v) for k, v in source.header.items() if k in header_ids}
    if office is not None:
        report.header.update(header_from_office(form, office))
    for section_id, answer in source.sections.items():
        if section_id in {f.id for f in form.free_sections}:
            copied = _copy_section(answer, form.section(section_id), keep_status=False)
        elif form.has_indicator(section_id):
            copied = _copy_section(answer, form.indicator(section_id), keep_status=True)
        else:
            continue
        if not copied.is_empty():
            report.sections[section_id] = copied
    with store.database.transaction():
        refuse_second_report(store, form, source.office_id, str(period))
        store.write_report(report)
    return report.id


def save_emblem(store: ReportStore, data: bytes) -> str:
    """Store an emblem image's bytes (content-addressed, like evidence); returns its SHA-256."""
    sha = hashlib.sha256(data).hexdigest()
    with store.database.transaction():
        store.conn.execute("INSERT OR IGNORE INTO blob (sha256, size, data) VALUES (?,?,?)", (sha, len(data), data))
    return sha


def delete_draft(store: ReportStore, report_id: str) -> Path:
    """Delete a draft report after a backup of the whole database (the way back: restore it from
    the backups list). Returns the backup file. Signed and sent reports are refused by the store."""
    report = store.load_report(report_id)  # ReportNotFound for an unknown id, before any backup
    if report.state != "draft":
        store.delete_draft(report_id)  # raises the store's clear refusal
    path = take_backup(store.database.conn, Path(store.database.path), reason="before-delete")
    store.delete_draft(report_id)
    return path
