"""Editing a report: every change is checked against the form, normalised and saved at once.

This is the API the wizard and the CLI use. A value that cannot be parsed (``12a`` in a number
field) is still saved as typed, so nothing a clerk types is lost; the returned ``EditResult`` and
validation say what is wrong with it. A number outside its field's range (or text far too long to
be one) is refused instead: nothing is stored, and ``EditResult.refused`` says so with the range.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, replace
from pathlib import Path

from citizen_rights_desktop.form.definition import Field, FormDefinition, Section, Table
from citizen_rights_desktop.form.values import InvalidValue, RefusedValue, keep_typed, parse_value
from citizen_rights_desktop.persian.text import normalize_text
from citizen_rights_desktop.report.model import (
    HEADER,
    JUSTIFICATION_ITEM,
    REASON_ITEM,
    STATUS_ITEM,
    EvidenceRef,
    Report,
    Row,
)
from storage.report_store import MAX_EVIDENCE_BYTES, EvidenceTooLarge, ReportNotFound, ReportStore


class UnknownItem(KeyError):
    """An id that is not in the report's form definition (a programming or data error)."""

    def __str__(self) -> str:
        return str(self.args[0])


class EvidenceUnreadable(OSError):
    def __init__(self, path: Path, reason: str):
        super().__init__(f"cannot read {path}: {reason}")
        self.message_en = f"cannot read the file {path}: {reason}"
        self.message_fa = f"فایل «{path.name}» خوانده نشد."


@dataclass(frozen=True)
class EditResult:
    """What the item holds after the edit, and the problem with what was typed: kept as typed
    (``problem`` set, ``value`` the typed text) or refused (``refused``: nothing was stored and
    ``value`` is what the item already held)."""

    value: object
    problem: InvalidValue | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def refused(self) -> bool:
        return isinstance(self.problem, RefusedValue)


def _parse(spec: Field, text: object) -> EditResult:
    if text is None or (isinstance(text, str) and not text.strip()):
        return EditResult(None)
    if not isinstance(text, str):
        text = str(text)
    try:
        return EditResult(parse_value(spec.type, text, spec.option_labels, spec.bounds))
    except RefusedValue as problem:
        return EditResult(None, problem)  # the caller stores nothing and reports the current value
    except InvalidValue as problem:
        return EditResult(keep_typed(text), problem)


class ReportEditor:
    """Edits one report of a store, using the form definition the report was made with."""

    def __init__(self, store: ReportStore, form: FormDefinition, report_id: str):
        self.store = store
        self.form = form
        self.report_id = report_id
        if not store.report_exists(report_id):
            raise ReportNotFound(report_id)

    def load(self) -> Report:
        return self.store.load_report(self.report_id)

    def _section(self, section_id: str) -> Section:
        try:
            return self.form.section(section_id)
        except KeyError:
            raise UnknownItem(f"unknown indicator {section_id!r} in form {self.form.id} {self.form.version}") from None

    def _field(self, section: Section, field_id: str) -> Field:
        try:
            return section.field(field_id)
        except KeyError:
            raise UnknownItem(f"unknown question {field_id!r} in {section.id}") from None

    def _table(self, section: Section, table_id: str) -> Table:
        try:
            return section.table(table_id)
        except KeyError:
            raise UnknownItem(f"unknown table {table_id!r} in {section.id}") from None

    # --- header and gate --------------------------------------------------------------------

    def set_header(self, field_id: str, text: str | None) -> EditResult:
        spec = next((f for f in self.form.header_fields if f.id == field_id), None)
        if spec is None:
            raise UnknownItem(f"unknown header field {field_id!r}")
        result = _parse(spec, text)
        if result.refused:
            return replace(result, value=self.load().header.get(field_id))
        self.store.set_item(self.report_id, HEADER, field_id, result.value)
        return result

    def set_status(self, indicator_id: str, status: str | None) -> None:
        """Answer an indicator with one of its statuses (the annual report: yes / no /
        not_applicable; ``None`` clears the answer)."""
        indicator = self._section(indicator_id)
        if indicator_id in {f.id for f in self.form.free_sections}:
            raise UnknownItem(f"{indicator_id} has no yes/no answer")
        allowed = [s.id for s in getattr(indicator, "statuses", ())]
        if status is not None and status not in allowed:
            raise ValueError(f"status must be one of {', '.join(allowed)}, not {status!r}")
        self.store.set_item(self.report_id, indicator_id, STATUS_ITEM, status)
        found = indicator.status(status) if status is not None else None
        if found is not None and "details" in found.asks:
            self._ensure_fixed_rows(indicator)

    def _ensure_fixed_rows(self, section: Section) -> None:
        report = self.load()
        for table in section.tables:
            if table.fixed_rows and not report.section(section.id).rows(table.id):
                self.store.add_rows(self.report_id, section.id, table.id, [{} for _ in table.fixed_rows], [r.id for r in table.fixed_rows])

    def set_reason(self, indicator_id: str, text: str | None) -> EditResult:
        self._section(indicator_id)
        value = normalize_text(text) if text and text.strip() else None
        self.store.set_item(self.report_id, indicator_id, REASON_ITEM, value)
        return EditResult(value)

    def set_justification(self, indicator_id: str, text: str | None) -> EditResult:
        self._section(indicator_id)
        value = normalize_text(text) if text and text.strip() else None
        self.store.set_item(self.report_id, indicator_id, JUSTIFICATION_ITEM, value)
        return EditResult(value)

    # --- detail questions -------------------------------------------------------------------

    def set_value(self, section_id: str, field_id: str, text: object) -> EditResult:
        section = self._section(section_id)
        result = _parse(self._field(section, field_id), text)
        if result.refused:
            return replace(result, value=self.load().section(section_id).values.get(field_id))
        self.store.set_item(self.report_id, section_id, field_id, result.value)
        return result

    # --- tables -----------------------------------------------------------------------------

    def add_row(self, section_id: str, table_id: str, texts: dict[str, object] | None = None) -> tuple[str, dict[str, EditResult]]:
        row_ids, results = self.add_rows(section_id, table_id, [texts or {}])
        return row_ids[0], results[0]

    def add_rows(self, section_id: str, table_id: str, rows: list[dict[str, object]]) -> tuple[list[str], list[dict[str, EditResult]]]:
        """Append rows given as ``{column_id: typed text}``, in one transaction."""
        section = self._section(section_id)
        table = self._table(section, table_id)
        if table.fixed_rows:
            raise UnknownItem(f"table {table_id!r} has fixed rows; rows cannot be added")
        results: list[dict[str, EditResult]] = []
        cells_list = []
        for texts in rows:
            parsed = {}
            for column_id, text in texts.items():
                parsed[column_id] = _parse(self._column(table, column_id), text)
            results.append(parsed)
            cells_list.append({k: r.value for k, r in parsed.items() if r.value is not None})  # refused: None, not stored
        row_ids = self.store.add_rows(self.report_id, section_id, table_id, cells_list)
        return row_ids, results

    def paste_rows(self, section_id: str, table_id: str, tsv: str) -> tuple[list[str], list[dict[str, EditResult]]]:
        """Rows copied from Excel (tab-separated, one line per row), columns in the table's order."""
        table = self._table(self._section(section_id), table_id)
        rows = []
        for line in tsv.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            if not line.strip():
                continue
            cells = line.split("\t")
            rows.append({c.id: text for c, text in zip(table.columns, cells) if text.strip()})
        return self.add_rows(section_id, table_id, rows)

    def rows_offered(self, section_id: str, table_id: str) -> list[str]:
        """The starting rows a table's ``rows_from`` offers (indicator 4: the processes indicator 2
        lists), less those already in the table: the texts ``copy_offered_rows`` would add."""
        table = self._table(self._section(section_id), table_id)
        source = table.rows_from
        if source is None:
            return []
        report = self.load()
        have = {normalize_text(str(r.cells.get(source.into, ""))).strip() for r in report.section(section_id).rows(table_id)}
        offered: list[str] = []
        for row in report.section(source.section).rows(source.table):
            text = row.cells.get(source.column)
            key = normalize_text(str(text)).strip() if isinstance(text, str) else ""
            if key and key not in have:
                have.add(key)
                offered.append(text)
        return offered

    def copy_offered_rows(self, section_id: str, table_id: str) -> list[str]:
        """Add the rows ``rows_offered`` lists (one transaction); returns the new row ids. Nothing
        already typed changes; copying twice adds nothing the second time."""
        table = self._table(self._section(section_id), table_id)
        texts = self.rows_offered(section_id, table_id)
        if not texts or table.rows_from is None:
            return []
        row_ids, _ = self.add_rows(section_id, table_id, [{table.rows_from.into: text} for text in texts])
        return row_ids

    def _column(self, table: Table, column_id: str) -> Field:
        try:
            return table.column(column_id)
        except KeyError:
            raise UnknownItem(f"unknown column {column_id!r} in table {table.id}") from None

    def set_cell(self, section_id: str, table_id: str, row_id: str, column_id: str, text: object) -> EditResult:
        table = self._table(self._section(section_id), table_id)
        result = _parse(self._column(table, column_id), text)
        if result.refused:
            row = next((r for r in self.load().section(section_id).rows(table_id) if r.id == row_id), None)
            return replace(result, value=row.cells.get(column_id) if row else None)
        self.store.set_cell(self.report_id, section_id, table_id, row_id, column_id, result.value)
        return result

    def delete_row(self, section_id: str, table_id: str, row_id: str) -> None:
        table = self._table(self._section(section_id), table_id)
        if table.fixed_rows:
            raise UnknownItem(f"table {table_id!r} has fixed rows; rows cannot be deleted")
        self.store.delete_row(self.report_id, section_id, table_id, row_id)

    def delete_rows(self, section_id: str, table_id: str, row_ids: list[str]) -> list[tuple[int, Row]]:
        """Delete rows in one transaction; returns each as ``(index, Row)`` for ``restore_rows``."""
        table = self._table(self._section(section_id), table_id)
        if table.fixed_rows:
            raise UnknownItem(f"table {table_id!r} has fixed rows; rows cannot be deleted")
        removed = self.store.delete_rows(self.report_id, section_id, table_id, row_ids)
        return [(index, Row(rid, cells)) for index, rid, cells in removed]

    def restore_rows(self, section_id: str, table_id: str, rows: list[tuple[int, Row]]) -> None:
        """Undo a deletion: put rows back with their ids and stored cells at their 0-based indexes
        (ascending), in one transaction. Cells are stored values (as ``delete_rows`` returned them),
        not typed text; a column the table does not have raises ``UnknownItem``."""
        table = self._table(self._section(section_id), table_id)
        if table.fixed_rows:
            raise UnknownItem(f"table {table_id!r} has fixed rows; rows cannot be added")
        for _, row in rows:
            for column_id in row.cells:
                self._column(table, column_id)
        self.store.restore_rows(self.report_id, section_id, table_id, [(index, row.id, dict(row.cells)) for index, row in rows])

    def move_row(self, section_id: str, table_id: str, row_id: str, new_index: int) -> None:
        self._table(self._section(section_id), table_id)
        self.store.move_row(self.report_id, section_id, table_id, row_id, new_index)

    # --- evidence ---------------------------------------------------------------------------

    def attach_evidence(self, section_id: str, path: str | Path) -> EvidenceRef:
        """Attach a file; ``EvidenceTooLarge`` over 50 MB, ``EvidenceUnreadable`` if it cannot be read."""
        self._section(section_id)
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > MAX_EVIDENCE_BYTES:
                raise EvidenceTooLarge(path.name, size)
            data = path.read_bytes()
        except OSError as exc:
            raise EvidenceUnreadable(path, exc.strerror or str(exc)) from None
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return self.store.add_evidence(self.report_id, section_id, path.name, data, mime)

    def attach_evidence_bytes(self, section_id: str, name: str, data: bytes, mime: str | None = None) -> EvidenceRef:
        self._section(section_id)
        mime = mime or mimetypes.guess_type(name)[0] or "application/octet-stream"
        return self.store.add_evidence(self.report_id, section_id, name, data, mime)

    def remove_evidence(self, evidence_id: str) -> None:
        self.store.remove_evidence(self.report_id, evidence_id)
