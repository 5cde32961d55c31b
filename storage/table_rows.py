"""A report's table rows: append, edit a cell, delete, reorder. Mixed into ``ReportStore`` (it
uses the store's ``conn``, ``database``, ``_touch`` and ``_audit``); each call is one transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence

from storage.database import dump_json, new_id, utc_now


class TableRows:
    # --- table rows -------------------------------------------------------------------------

    def _row_ids(self, report_id: str, section_id: str, table_id: str) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT row_id FROM table_row WHERE report_id=? AND section_id=? AND table_id=? ORDER BY position",
                (report_id, section_id, table_id),
            )
        ]

    def add_rows(
        self, report_id: str, section_id: str, table_id: str, rows: Sequence[dict[str, object]], row_ids: Sequence[str] | None = None
    ) -> list[str]:
        """Append rows at the end of a table, in one transaction; returns their ids."""
        ids = list(row_ids) if row_ids else [new_id() for _ in rows]
        now = utc_now()
        with self.database.transaction():
            self._touch(report_id)
            last = self.conn.execute(
                "SELECT COALESCE(MAX(position), 0) FROM table_row WHERE report_id=? AND section_id=? AND table_id=?",
                (report_id, section_id, table_id),
            ).fetchone()[0]
            self.conn.executemany(
                "INSERT INTO table_row (report_id, section_id, table_id, row_id, position, cells, updated_at) VALUES (?,?,?,?,?,?,?)",
                [(report_id, section_id, table_id, rid, last + i + 1, dump_json(cells), now) for i, (rid, cells) in enumerate(zip(ids, rows))],
            )
            for rid, cells in zip(ids, rows):
                self._audit(report_id, "add_row", f"{section_id}.{table_id}.{rid}", None, cells)
        return ids

    def set_cell(self, report_id: str, section_id: str, table_id: str, row_id: str, column_id: str, value: object) -> None:
        target = f"{section_id}.{table_id}.{row_id}.{column_id}"
        with self.database.transaction():
            self._touch(report_id)
            row = self.conn.execute(
                "SELECT cells FROM table_row WHERE report_id=? AND section_id=? AND table_id=? AND row_id=?",
                (report_id, section_id, table_id, row_id),
            ).fetchone()
            if row is None:
                raise KeyError(f"no row {row_id} in {section_id}.{table_id}")
            cells = json.loads(row[0])
            old = cells.get(column_id)
            if value is None:
                cells.pop(column_id, None)
            else:
                cells[column_id] = value
            self.conn.execute(
                "UPDATE table_row SET cells=?, updated_at=? WHERE report_id=? AND section_id=? AND table_id=? AND row_id=?",
                (dump_json(cells), utc_now(), report_id, section_id, table_id, row_id),
            )
            if old != value:
                self._audit(report_id, "set", target, old, value)

    def delete_row(self, report_id: str, section_id: str, table_id: str, row_id: str) -> None:
        with self.database.transaction():
            self._touch(report_id)
            old = self.conn.execute(
                "SELECT cells FROM table_row WHERE report_id=? AND section_id=? AND table_id=? AND row_id=?",
                (report_id, section_id, table_id, row_id),
            ).fetchone()
            if old is None:
                raise KeyError(f"no row {row_id} in {section_id}.{table_id}")
            self.conn.execute(
                "DELETE FROM table_row WHERE report_id=? AND section_id=? AND table_id=? AND row_id=?",
                (report_id, section_id, table_id, row_id),
            )
            self._audit(report_id, "delete_row", f"{section_id}.{table_id}.{row_id}", json.loads(old[0]), None)

    def move_row(self, report_id: str, section_id: str, table_id: str, row_id: str, new_index: int) -> None:
        """Put a row at ``new_index`` (0-based) in its table's order."""
        with self.database.transaction():
            self._touch(report_id)
            order = self._row_ids(report_id, section_id, table_id)
            if row_id not in order:
                raise KeyError(f"no row {row_id} in {section_id}.{table_id}")
            old_index = order.index(row_id)
            order.remove(row_id)
            new_index = max(0, min(new_index, len(order)))
            order.insert(new_index, row_id)
            self.conn.executemany(
                "UPDATE table_row SET position=? WHERE report_id=? AND section_id=? AND table_id=? AND row_id=?",
                [(i + 1, report_id, section_id, table_id, rid) for i, rid in enumerate(order)],
            )
            self._audit(report_id, "move_row", f"{section_id}.{table_id}.{row_id}", old_index, new_index)

    # --- undo of a deletion ---------------------------------------------------------------------

    def delete_rows(self, report_id: str, section_id: str, table_id: str, row_ids: Sequence[str]) -> list[tuple[int, str, dict]]:
        """Delete rows in one transaction; returns ``(index, row id, cells)`` of each, in table order:
        what ``restore_rows`` takes to put them back (the interface's undo)."""
        wanted = set(row_ids)
        with self.database.transaction():
            self._touch(report_id)
            rows = self.conn.execute(
                "SELECT row_id, cells FROM table_row WHERE report_id=? AND section_id=? AND table_id=? ORDER BY position",
                (report_id, section_id, table_id),
            ).fetchall()
            removed = [(index, rid, json.loads(cells)) for index, (rid, cells) in enumerate(rows) if rid in wanted]
            missing = wanted - {rid for _, rid, _ in removed}
            if missing:
                raise KeyError(f"no row {min(missing)} in {section_id}.{table_id}")
            self.conn.executemany(
                "DELETE FROM table_row WHERE report_id=? AND section_id=? AND table_id=? AND row_id=?",
                [(report_id, section_id, table_id, rid) for _, rid, _ in removed],
            )
            for _, rid, cells in removed:
                self._audit(report_id, "delete_row", f"{section_id}.{table_id}.{rid}", cells, None)
        return removed

    def restore_rows(self, report_id: str, section_id: str, table_id: str, rows: Sequence[tuple[int, str, dict]]) -> None:
        """Put deleted rows back, each with its id and cells at its 0-based index (as ``delete_rows``
        returned them), in one transaction. A row id the table already holds raises ``ValueError``."""
        with self.database.transaction():
            self._touch(report_id)
            order = self._row_ids(report_id, section_id, table_id)
            present = set(order)
            for index, rid, _ in sorted(rows, key=lambda r: r[0]):
                if rid in present:
                    raise ValueError(f"row {rid} is already in {section_id}.{table_id}")
                present.add(rid)
                order.insert(max(0, min(index, len(order))), rid)
            position = {rid: i + 1 for i, rid in enumerate(order)}
            restored = {rid for _, rid, _ in rows}
            now = utc_now()
            self.conn.executemany(
                "UPDATE table_row SET position=? WHERE report_id=? AND section_id=? AND table_id=? AND row_id=?",
                [(position[rid], report_id, section_id, table_id, rid) for rid in order if rid not in restored],
            )
            self.conn.executemany(
                "INSERT INTO table_row (report_id, section_id, table_id, row_id, position, cells, updated_at) VALUES (?,?,?,?,?,?,?)",
                [(report_id, section_id, table_id, rid, position[rid], dump_json(cells), now) for _, rid, cells in rows],
            )
            for index, rid, cells in rows:
                self._audit(report_id, "restore_row", f"{section_id}.{table_id}.{rid}", None, {"index": index, "cells": cells})
