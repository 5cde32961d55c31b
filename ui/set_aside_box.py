"""Answers set aside when a draft moved to a newer version of its form (issue 13): what the earlier
version asked and this one does not (1398.1's «خدمت» column of indicator 2, indicator 29's
submission date). They are kept, never printed or sent; the page of their indicator shows them,
read-only, in a muted box so the clerk can carry what still matters into this version's questions.

The items come from the core (``editing.form_upgrade.set_aside_items``); their labels from the
earlier version's definition when it is installed (else the item's id).
"""

from __future__ import annotations

import sqlite3
import weakref
from functools import lru_cache

from PySide6.QtWidgets import QFrame, QVBoxLayout

from citizen_rights_desktop.editing.form_upgrade import SetAsideItem, set_aside_items
from citizen_rights_desktop.form.definition import Field, FormDefinition
from citizen_rights_desktop.persian.text import to_persian_digits
from storage import DatabaseError
from ui.fields import wrapped_label
from ui.formatting import display_text

HEADING_FA = "پاسخ‌های نسخه پیشین فرم ({version}) که در این نسخه پرسیده نمی‌شود؛ نگه داشته شده، چاپ یا ارسال نمی‌شود:"
BOX_CSS = "QFrame#set_aside { background: #f3f3f3; border: 1px dashed #b9b9b9; border-radius: 6px; }"
MUTED = "color: #5f5f5f;"


_ITEMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # session -> its report's items, read once


def session_items(session) -> list[SetAsideItem]:
    """The report's set-aside answers, read once per session (they change only when a draft moves
    to a newer form version, before it is opened); none when the database cannot be read."""
    if session not in _ITEMS:
        try:
            _ITEMS[session] = set_aside_items(session.store, session.report.id)
        except (DatabaseError, sqlite3.Error):
            return []
    return _ITEMS[session]


@lru_cache(maxsize=8)
def _earlier_form(form_id: str, version: str) -> FormDefinition | None:
    from citizen_rights_desktop.form.catalog import FormCatalog, FormNotFound

    try:
        return FormCatalog().get(form_id, version)
    except FormNotFound:
        return None


def _field(form: FormDefinition | None, item: SetAsideItem) -> Field | None:
    """The earlier version's definition of the item (a field, or a table's column)."""
    if form is None:
        return None
    if item.section_id == "header":
        return next((f for f in form.header_fields if f.id == item.item_id), None)
    try:
        section = form.section(item.section_id)
    except KeyError:
        return None
    if item.row_id:
        table_id, _, column_id = item.item_id.partition(".")
        table = next((t for t in section.tables if t.id == table_id), None)
        return next((c for c in table.columns if c.id == column_id), None) if table is not None else None
    return next((f for f in section.fields if f.id == item.item_id), None)


def item_line(session, item: SetAsideItem, earlier: FormDefinition | None) -> str:
    """«• label: value», a table cell as «• ردیف ۲ جدول «…»، label: value»."""
    spec = _field(earlier, item)
    label = spec.label if spec is not None else item.item_id
    value = display_text(spec, item.value) if spec is not None else str(item.value)
    if not (spec is not None and spec.type == "url"):
        value = to_persian_digits(value)
    if item.row_id:
        table_id = item.item_id.partition(".")[0]
        answer = session.report.sections.get(item.section_id)
        rows = answer.tables.get(table_id, []) if answer is not None else []
        number = next((i for i, row in enumerate(rows, start=1) if row.id == item.row_id), None)
        table = _table_title(earlier, item.section_id, table_id)
        where = f"ردیف {to_persian_digits(number)} " if number else "ردیفی "
        return f"• {where}جدول «{table}»، {label}: «{value}»"
    return f"• {label}: «{value}»"


def _table_title(form: FormDefinition | None, section_id: str, table_id: str) -> str:
    if form is not None:
        try:
            table = next((t for t in form.section(section_id).tables if t.id == table_id), None)
        except KeyError:
            table = None
        if table is not None:
            return table.title
    return table_id


def set_aside_box(session, section_id: str) -> QFrame | None:
    """The muted, read-only box of ``section_id``'s set-aside answers (``None`` when there are none)."""
    items = [i for i in session_items(session) if i.section_id == section_id]
    if not items:
        return None
    frame = QFrame()
    frame.setObjectName("set_aside")
    frame.setStyleSheet(BOX_CSS)
    inner = QVBoxLayout(frame)
    inner.setContentsMargins(12, 10, 12, 10)
    for version in sorted({i.from_version for i in items}):
        earlier = _earlier_form(session.report.form_id, version) if version else None
        inner.addWidget(wrapped_label(HEADING_FA.format(version=to_persian_digits(version or "?")), bold=True, css=MUTED))
        lines = [item_line(session, i, earlier) for i in items if i.from_version == version]
        body = wrapped_label("\n".join(lines), css=MUTED)
        body.setObjectName("set_aside_items")
        inner.addWidget(body)
    return frame
