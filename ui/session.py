"""One open report: the core's ``ReportEditor`` plus an in-memory copy of the answers.

Every edit goes to the core at once (one committed transaction) and then updates the in-memory
``Report``, so the interface never reloads the whole report after a keystroke. Errors from the
core are turned into a Persian message (``failed``) and nothing already saved is touched.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from citizen_rights_desktop.editing.editor import EditResult, EvidenceUnreadable, ReportEditor, UnknownItem
from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.report.model import EvidenceRef, Report, Row, SectionAnswer
from storage import DatabaseError, ReportStore

GENERIC_ERROR_FA = "ذخیره این تغییر ممکن نشد. آنچه پیش‌تر ذخیره شده بود سالم است."


def persian_message(exc: BaseException) -> str:
    message = getattr(exc, "message_fa", None)
    if message:
        return message
    if isinstance(exc, sqlite3.Error):
        return "پایگاه داده در دسترس نیست یا قفل است. آنچه پیش‌تر ذخیره شده بود سالم است؛ دوباره تلاش کنید."
    return GENERIC_ERROR_FA


class ReportSession(QObject):
    """Edits one report; emits ``saved`` after each write and ``section_changed`` for revalidation."""

    saved = Signal()
    failed = Signal(str)
    section_changed = Signal(str)

    def __init__(self, store: ReportStore, form: FormDefinition, report: Report, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.form = form
        self.report = report
        self.editor = ReportEditor(store, form, report.id)
        self.last_saved: dt.datetime | None = None

    @property
    def db_path(self) -> Path:
        return Path(self.store.database.path)

    @property
    def read_only(self) -> bool:
        return self.report.locked

    def answer(self, section_id: str) -> SectionAnswer:
        return self.report.sections.setdefault(section_id, SectionAnswer())

    def _call(self, fn: Callable[..., Any], *args: Any) -> tuple[bool, Any]:
        """Run one core call; on success the caller updates the in-memory copy, then ``_changed``."""
        try:
            result = fn(*args)
        except (DatabaseError, EvidenceUnreadable, UnknownItem, sqlite3.Error, KeyError, ValueError) as exc:
            self.failed.emit(persian_message(exc))
            return False, None
        if not getattr(result, "refused", False):  # a refused value stored nothing: "saved" would be untrue
            self.mark_saved()
        return True, result

    def _changed(self, section_id: str) -> None:
        self.section_changed.emit(section_id)

    def mark_saved(self) -> None:
        self.last_saved = dt.datetime.now()
        self.saved.emit()

    # --- header, gate, texts ------------------------------------------------------------------

    def set_header(self, field_id: str, text: str | None) -> EditResult | None:
        ok, result = self._call(self.editor.set_header, field_id, text)
        if ok:
            _put(self.report.header, field_id, result.value)
            self._changed("header")
        return result

    def set_status(self, section_id: str, status: str | None) -> bool:
        ok, _ = self._call(self.editor.set_status, section_id, status)
        if not ok:
            return False
        answer = self.answer(section_id)
        answer.status = status
        if status == "yes":
            section = self.form.section(section_id)
            if any(t.fixed_rows and not answer.rows(t.id) for t in section.tables):
                fresh = self.store.load_report(self.report.id).section(section_id)
                for table in section.tables:
                    if table.fixed_rows and not answer.rows(table.id):
                        answer.tables[table.id] = fresh.rows(table.id)
        self._changed(section_id)
        return True

    def set_reason(self, section_id: str, text: str | None) -> EditResult | None:
        ok, result = self._call(self.editor.set_reason, section_id, text)
        if ok:
            self.answer(section_id).reason = result.value
            self._changed(section_id)
        return result

    def set_justification(self, section_id: str, text: str | None) -> EditResult | None:
        ok, result = self._call(self.editor.set_justification, section_id, text)
        if ok:
            self.answer(section_id).justification = result.value
            self._changed(section_id)
        return result

    def set_value(self, section_id: str, field_id: str, text: str | None) -> EditResult | None:
        ok, result = self._call(self.editor.set_value, section_id, field_id, text)
        if ok:
            _put(self.answer(section_id).values, field_id, result.value)
            self._changed(section_id)
        return result

    # --- tables (the caller's row list is the in-memory copy) ---------------------------------

    def rows(self, section_id: str, table_id: str) -> list[Row]:
        return self.answer(section_id).tables.setdefault(table_id, [])

    def set_cell(self, section_id: str, table_id: str, row: Row, column_id: str, text: str | None) -> EditResult | None:
        ok, result = self._call(self.editor.set_cell, section_id, table_id, row.id, column_id, text)
        if ok:
            _put(row.cells, column_id, result.value)
            self._changed(section_id)
        return result

    def add_rows(self, section_id: str, table_id: str, texts: list[dict[str, object]]) -> tuple[list[Row], list[dict[str, EditResult]]] | None:
        ok, result = self._call(self.editor.add_rows, section_id, table_id, texts)
        if not ok:
            return None
        ids, results = result
        rows = [Row(rid, {k: r.value for k, r in parsed.items() if r.value is not None}) for rid, parsed in zip(ids, results)]
        self.rows(section_id, table_id).extend(rows)
        self._changed(section_id)
        return rows, results

    def offered_rows(self, section_id: str, table_id: str) -> list[str]:
        """What the table's ``rows_from`` would add (the core's ``rows_offered``); [] when unreadable."""
        try:
            return self.editor.rows_offered(section_id, table_id)
        except (DatabaseError, UnknownItem, sqlite3.Error, KeyError, ValueError):
            return []

    def copy_offered_rows(self, section_id: str, table_id: str) -> list[Row] | None:
        """Add the offered rows (one transaction in the core) and show them in the in-memory copy."""
        ok, row_ids = self._call(self.editor.copy_offered_rows, section_id, table_id)
        if not ok:
            return None
        if not row_ids:
            return []
        try:
            saved = {r.id: r for r in self.store.load_report(self.report.id).section(section_id).rows(table_id)}
        except (DatabaseError, sqlite3.Error) as exc:
            self.failed.emit(persian_message(exc))
            return None
        rows = [saved[row_id] for row_id in row_ids if row_id in saved]
        self.rows(section_id, table_id).extend(rows)
        self._changed(section_id)
        return rows

    def paste_rows(self, section_id: str, table_id: str, tsv: str) -> tuple[list[Row], list[dict[str, EditResult]]] | None:
        ok, result = self._call(self.editor.paste_rows, section_id, table_id, tsv)
        if not ok:
            return None
        ids, results = result
        rows = [Row(rid, {k: r.value for k, r in parsed.items() if r.value is not None}) for rid, parsed in zip(ids, results)]
        self.rows(section_id, table_id).extend(rows)
        self._changed(section_id)
        return rows, results

    def delete_row(self, section_id: str, table_id: str, row: Row) -> bool:
        ok, _ = self._call(self.editor.delete_row, section_id, table_id, row.id)
        if ok:
            rows = self.rows(section_id, table_id)
            rows[:] = [r for r in rows if r.id != row.id]
            self._changed(section_id)
        return ok

    def delete_rows(self, section_id: str, table_id: str, rows: list[Row]) -> list[tuple[int, Row]] | None:
        """Delete rows in one transaction; returns them as ``(index, Row)`` for ``restore_rows``."""
        ok, removed = self._call(self.editor.delete_rows, section_id, table_id, [row.id for row in rows])
        if not ok:
            return None
        gone = {row.id for _, row in removed}
        kept = self.rows(section_id, table_id)
        kept[:] = [r for r in kept if r.id not in gone]
        self._changed(section_id)
        return removed

    def restore_rows(self, section_id: str, table_id: str, removed: list[tuple[int, Row]]) -> bool:
        """Undo ``delete_rows``: the rows come back with their ids and cells at their indexes."""
        ok, _ = self._call(self.editor.restore_rows, section_id, table_id, removed)
        if ok:
            rows = self.rows(section_id, table_id)
            for index, row in sorted(removed, key=lambda item: item[0]):
                rows.insert(max(0, min(index, len(rows))), Row(row.id, dict(row.cells)))
            self._changed(section_id)
        return ok

    def move_row(self, section_id: str, table_id: str, row: Row, new_index: int) -> bool:
        ok, _ = self._call(self.editor.move_row, section_id, table_id, row.id, new_index)
        if ok:
            rows = self.rows(section_id, table_id)
            rows.remove(row)
            rows.insert(max(0, min(new_index, len(rows))), row)
            self._changed(section_id)
        return ok

    # --- evidence -----------------------------------------------------------------------------

    def evidence_added(self, section_id: str, refs: list[EvidenceRef]) -> None:
        """Record evidence a worker attached (in its own connection) in the in-memory copy."""
        self.answer(section_id).evidence.extend(refs)
        self.mark_saved()
        self.section_changed.emit(section_id)

    def remove_evidence(self, section_id: str, ref: EvidenceRef) -> bool:
        ok, _ = self._call(self.editor.remove_evidence, ref.id)
        if ok:
            answer = self.answer(section_id)
            answer.evidence = [e for e in answer.evidence if e.id != ref.id]
            self._changed(section_id)
        return ok

    def evidence_bytes(self, ref: EvidenceRef) -> bytes | None:
        ok, data = self._call(self.store.evidence_bytes, ref.sha256)
        return data if ok else None


def _put(mapping: dict, key: str, value: object) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value
