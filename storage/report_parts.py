"""Parts of many reports at once, for headquarters' figures over thousands of reports (issue 16):
the answers of some sections or items, and the rows of some tables, in a few queries instead of
three per report. The reports come back as ``Report`` objects holding only those parts (no
evidence), so the domain's functions (``report.inspection``, ``report.targets``,
``report.relevance``) run on them unchanged."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from citizen_rights_desktop.report.model import Report, Row, SectionAnswer
from storage.report_store import place_answer

CHUNK = 500  # ids per query: well under SQLite's limit of bound parameters


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def load_parts(
    conn: sqlite3.Connection,
    report_ids: Iterable[str],
    items: Iterable[str] | None = None,
    sections: Iterable[str] | None = None,
    tables: Iterable[tuple[str, str]] = (),
) -> dict[str, Report]:
    """``report_ids``' reports with only: the answers whose item is in ``items`` and whose section
    is in ``sections`` (``None``: any; name ``header`` among the sections for the header's items),
    and the rows of ``tables`` ((section, table) pairs). Unknown ids are left out."""
    ids = list(dict.fromkeys(report_ids))
    reports: dict[str, Report] = {}
    item_set = None if items is None else set(items)
    section_set = None if sections is None else set(sections)
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT id, office_id, form_id, form_version, period, revision, state, created_at, updated_at FROM report WHERE id IN ({marks})", chunk
        ):
            reports[row[0]] = Report(*row)
        only = "" if item_set is None else f" AND item_id IN ({','.join('?' * len(item_set))})"
        if section_set is not None:  # the filter in SQL: thousands of reports' other answers never leave SQLite
            only += f" AND section_id IN ({','.join('?' * len(section_set))})"
        answers = conn.execute(
            f"SELECT report_id, section_id, item_id, value FROM answer WHERE report_id IN ({marks}){only}", (*chunk, *(item_set or ()), *(section_set or ()))
        )  # fmt: skip
        for report_id, section_id, item_id, value in answers:
            report = reports.get(report_id)
            if report is None:
                continue
            place_answer(report, section_id, item_id, json.loads(value))
        for section_id, table_id in tables:
            for report_id, row_id, cells in conn.execute(
                f"SELECT report_id, row_id, cells FROM table_row WHERE report_id IN ({marks}) AND section_id=? AND table_id=? ORDER BY report_id, position",
                (*chunk, section_id, table_id),
            ):
                if report_id in reports:
                    reports[report_id].sections.setdefault(section_id, SectionAnswer()).tables.setdefault(table_id, []).append(Row(row_id, json.loads(cells)))
    return reports
