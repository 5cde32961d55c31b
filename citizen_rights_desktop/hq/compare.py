"""What a revision changed, indicator by indicator: the answer, the reason / justification, field
values, table rows (added, removed, changed, by row id) and evidence (added, removed, by content)."""

from __future__ import annotations

from dataclasses import dataclass, field

from citizen_rights_desktop.exchange.feedback import ReviewError
from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.hq.review import find_submission, submission_form
from citizen_rights_desktop.report.model import Report
from storage import hq_store
from storage.database import Database


@dataclass(frozen=True)
class ValueChange:
    item_id: str
    label: str
    before: object
    after: object


@dataclass(frozen=True)
class TableChange:
    table_id: str
    title: str
    rows_before: int
    rows_after: int
    added: int
    removed: int
    changed: int


@dataclass
class IndicatorChange:
    indicator_id: str
    number: int
    title: str
    status_before: str | None
    status_after: str | None
    reason_changed: bool = False
    justification_changed: bool = False
    values: list[ValueChange] = field(default_factory=list)
    tables: list[TableChange] = field(default_factory=list)
    evidence_added: list[str] = field(default_factory=list)  # file names
    evidence_removed: list[str] = field(default_factory=list)

    @property
    def status_changed(self) -> bool:
        return self.status_before != self.status_after

    @property
    def changed(self) -> bool:
        return bool(
            self.status_changed or self.reason_changed or self.justification_changed or self.values
            or any(t.added or t.removed or t.changed for t in self.tables) or self.evidence_added or self.evidence_removed
        )  # fmt: skip


def compare_reports(form: FormDefinition, before: Report, after: Report) -> list[IndicatorChange]:
    """Every indicator, in form order, with what changed from ``before`` to ``after`` (see ``changed``)."""
    out = []
    for indicator in form.indicators:
        old, new = before.section(indicator.id), after.section(indicator.id)
        change = IndicatorChange(indicator.id, indicator.number, indicator.title, old.status, new.status)
        change.reason_changed = (old.reason or None) != (new.reason or None)
        change.justification_changed = (old.justification or None) != (new.justification or None)
        labels = {f.id: f.label for f in indicator.fields}
        for key in [*labels, *sorted(set(old.values) | set(new.values) - set(labels))]:
            if old.values.get(key) != new.values.get(key):
                change.values.append(ValueChange(key, labels.get(key, key), old.values.get(key), new.values.get(key)))
        titles = {t.id: t.title for t in indicator.tables}
        for table_id in [*titles, *sorted(set(old.tables) | set(new.tables) - set(titles))]:
            rows_old = {r.id: r.cells for r in old.rows(table_id)}
            rows_new = {r.id: r.cells for r in new.rows(table_id)}
            added = len(rows_new.keys() - rows_old.keys())
            removed = len(rows_old.keys() - rows_new.keys())
            changed = sum(1 for k in rows_old.keys() & rows_new.keys() if rows_old[k] != rows_new[k])
            if rows_old or rows_new:
                change.tables.append(TableChange(table_id, titles.get(table_id, table_id), len(rows_old), len(rows_new), added, removed, changed))
        ev_old = {(e.sha256, e.name) for e in old.evidence}
        ev_new = {(e.sha256, e.name) for e in new.evidence}
        change.evidence_added = sorted(name for _, name in ev_new - ev_old)
        change.evidence_removed = sorted(name for _, name in ev_old - ev_new)
        out.append(change)
    return out


def previous_submission(database: Database, submission_id: str) -> hq_store.Submission | None:
    """The revision ``submission_id`` replaced (the one it superseded, else the latest lower revision)."""
    submission = find_submission(database, submission_id)
    row = database.conn.execute(
        "SELECT id FROM hq_submission WHERE office_id=? AND form_id=? AND period=? AND revision<? ORDER BY (superseded_by = ?) DESC, revision DESC LIMIT 1",
        (submission.office_id, submission.form_id, submission.period, submission.revision, submission.id),
    ).fetchone()
    return hq_store.get_submission(database, row[0]) if row else None


def compare_submission(database: Database, submission_id: str, form: FormDefinition | None = None) -> tuple[hq_store.Submission, list[IndicatorChange]]:
    """What ``submission_id`` changed from the revision before it; ``ReviewError`` if it is the first."""
    submission = find_submission(database, submission_id)
    previous = previous_submission(database, submission.id)
    if previous is None:
        raise ReviewError("no_previous_revision", f"submission {submission.id} is revision {submission.revision}, the first headquarters received", "ویرایش قبلی از این گزارش دریافت نشده است.")
    form = submission_form(submission, form)
    if form is None:
        from citizen_rights_desktop.form.catalog import FormNotFound

        raise FormNotFound(submission.form_id, submission.form_version)
    before, _, _ = hq_store.load_submission(database, previous.id)
    after, _, _ = hq_store.load_submission(database, submission.id)
    return previous, compare_reports(form, before, after)
