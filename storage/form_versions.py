"""Moving a draft to a newer version of its form, in one transaction: answers renamed where the
new version moved them, answers it no longer asks set aside (table ``set_aside``), the report's
form version changed, and the audit trail told. What moves and what is set aside is decided by
``citizen_rights_desktop.editing.form_upgrade``; this module only writes it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from storage.database import DatabaseError, dump_json, utc_now
from storage.report_store import ReportStore


@dataclass(frozen=True)
class SetAsideItem:
    """One answer kept aside: a field's value (``row_id`` empty) or one table cell
    (``item_id`` is ``TABLE.COLUMN``)."""

    section_id: str
    item_id: str
    row_id: str
    value: object
    from_version: str = ""
    set_aside_at: str = ""

    @property
    def location(self) -> str:
        if not self.row_id:
            return f"{self.section_id}.{self.item_id}"
        table, _, column = self.item_id.partition(".")
        return f"{self.section_id}.{table}[{self.row_id[:8]}].{column}"


@dataclass(frozen=True)
class FieldMove:
    """An answer item renamed: ``section.item`` → ``section.item`` (a field, or a table column
    when ``table`` is set)."""

    section_id: str
    item_id: str
    new_section_id: str
    new_item_id: str
    table: str = ""


def set_aside_items(store: ReportStore, report_id: str) -> list[SetAsideItem]:
    rows = store.conn.execute(
        "SELECT section_id, item_id, row_id, value, from_version, set_aside_at FROM set_aside WHERE report_id=? ORDER BY section_id, item_id, row_id",
        (report_id,),
    ).fetchall()
    return [SetAsideItem(s, i, r, json.loads(v), f, at) for s, i, r, v, f, at in rows]


def move_to_version(
    store: ReportStore, report_id: str, from_version: str, to_version: str, moves: list[FieldMove], aside: list[SetAsideItem]
) -> None:
    """Apply an upgrade decided elsewhere. Refuses a report that is not a draft on ``from_version``."""
    conn = store.conn
    now = utc_now()
    with store.database.transaction():
        row = conn.execute("SELECT state, form_version FROM report WHERE id=?", (report_id,)).fetchone()
        if row is None or row[0] != "draft" or row[1] != from_version:
            raise DatabaseError(
                f"report {report_id} is not a draft on form version {from_version}",
                f"این گزارش پیش‌نویسی بر پایه نسخه {from_version} فرم نیست.",
            )
        for item in aside:
            conn.execute(
                "INSERT OR REPLACE INTO set_aside (report_id, section_id, item_id, row_id, value, from_version, set_aside_at) VALUES (?,?,?,?,?,?,?)",
                (report_id, item.section_id, item.item_id, item.row_id, dump_json(item.value), from_version, now),
            )
            if not item.row_id:
                conn.execute("DELETE FROM answer WHERE report_id=? AND section_id=? AND item_id=?", (report_id, item.section_id, item.item_id))
            else:
                table, _, column = item.item_id.partition(".")
                _edit_cells(store, report_id, item.section_id, table, item.row_id, lambda cells, c=column: cells.pop(c, None))
        for move in moves:
            if not move.table:
                conn.execute(
                    "UPDATE answer SET section_id=?, item_id=? WHERE report_id=? AND section_id=? AND item_id=?",
                    (move.new_section_id, move.new_item_id, report_id, move.section_id, move.item_id),
                )
                continue
            for (row_id,) in conn.execute(
                "SELECT row_id FROM table_row WHERE report_id=? AND section_id=? AND table_id=?", (report_id, move.section_id, move.table)
            ).fetchall():
                def rename(cells: dict, old: str = move.item_id, new: str = move.new_item_id) -> None:
                    if old in cells:
                        cells[new] = cells.pop(old)

                _edit_cells(store, report_id, move.section_id, move.table, row_id, rename)
        conn.execute("UPDATE report SET form_version=?, updated_at=? WHERE id=?", (to_version, now, report_id))
        store._audit(report_id, "form_upgrade", "form_version", from_version,
                     {"version": to_version, "set_aside": [i.location for i in aside], "moved": len(moves)})  # fmt: skip


def _edit_cells(store: ReportStore, report_id: str, section_id: str, table_id: str, row_id: str, change) -> None:
    found = store.conn.execute(
        "SELECT cells FROM table_row WHERE report_id=? AND section_id=? AND table_id=? AND row_id=?", (report_id, section_id, table_id, row_id)
    ).fetchone()
    if found is None:
        return
    cells = json.loads(found[0])
    change(cells)
    store.conn.execute(
        "UPDATE table_row SET cells=? WHERE report_id=? AND section_id=? AND table_id=? AND row_id=?",
        (dump_json(cells), report_id, section_id, table_id, row_id),
    )
