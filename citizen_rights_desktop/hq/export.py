"""Headquarters exports: the analysis as sheets, written as XLSX (RTL sheets) or CSV files.

A sheet is a name, Persian headers and rows. The workbook has the answer shares, the pivot of
"yes" shares by province, the numeric summaries, the ranking of units and provinces, and one
sheet per reporting table with every row of every current report (office columns first). CSV
files carry a UTF-8 byte-order mark so Excel opens the Persian text correctly.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from citizen_rights_desktop.files import atomic_folder, atomic_writer
from citizen_rights_desktop.form.definition import NUMERIC_TYPES, Field, FormDefinition, Table
from citizen_rights_desktop.form.values import check_stored_value, within_limits
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.report.office import LEVELS, PROVINCES

MAX_SHEET_NAME = 31
STATUS_FA = {"yes": "بله", "no": "خیر", "not_applicable": "عدم مصداق", "unanswered": "بدون پاسخ"}


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: Callable[[], Iterable[list[object]]]


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _shares_sheet(conn: sqlite3.Connection, form: FormDefinition, period: str) -> Sheet:
    def rows() -> Iterator[list[object]]:
        shares = analysis.status_shares(conn, form, period)
        for indicator in form.indicators:
            counts = shares.counts.get(("", indicator.id), dict.fromkeys(analysis.STATUSES, 0))
            yield [indicator.number, indicator.full_title, *(counts[s] for s in analysis.STATUSES), _percent(shares.share("", indicator.id))]

    headers = ["شاخص", "عنوان شاخص", *(STATUS_FA[s] for s in analysis.STATUSES), analysis.YES_SHARE_FA]
    return Sheet("سهم پاسخ ها", headers, rows)


NATIONAL_FA = "دستگاه‌های ملی"  # reports with no province: national agencies


def _pivot_sheet(conn: sqlite3.Connection, form: FormDefinition, period: str) -> Sheet:
    """Yes share per indicator and province, and for national agencies (no province) apart (issue 16:
    the pivot left them out)."""
    groups = [*PROVINCES, ""]

    def rows() -> Iterator[list[object]]:
        pivot = analysis.pivot_yes_share(conn, form, period, by="province")
        for indicator in form.indicators:
            yield [indicator.number, *(_percent(pivot[indicator.id].get(p)) for p in groups)]

    return Sheet("شاخص در استان", ["شاخص", *PROVINCES.values(), NATIONAL_FA], rows)


def _numbers_sheet(conn: sqlite3.Connection, form: FormDefinition, period: str) -> Sheet:
    def rows() -> Iterator[list[object]]:
        numbers = {ind.id: ind.number for ind in form.indicators}
        for item in analysis.numeric_summaries(conn, form, period):
            yield [numbers[item.indicator_id], item.label, item.reports, None if item.total is None else round(item.total, 2), None if item.mean is None else round(item.mean, 2)]

    return Sheet("ارقام", ["شاخص", "عنوان", "تعداد گزارش", "جمع", "میانگین"], rows)


def _ranking_sheets(conn: sqlite3.Connection, form: FormDefinition, period: str, expected: dict[str, str] | None) -> list[Sheet]:
    # every unit listed with what tells it apart (issue 16: 72 units share a name with another)
    offices = {row[0]: row[1:] for row in conn.execute("SELECT id, province, county, level FROM office")}

    def units() -> Iterator[list[object]]:
        for rank in analysis.rank_units(analysis.scores(conn, form, period), expected):
            province, county, level = offices.get(rank.key, ("", "", ""))
            yield [
                rank.rank if rank.rank is not None else "بدون گزارش", rank.key, rank.label,
                PROVINCES.get(province, NATIONAL_FA if rank.key in offices else ""), county, LEVELS.get(level, level), rank.score,
            ]  # fmt: skip

    def provinces() -> Iterator[list[object]]:
        for rank in analysis.rank_provinces(analysis.scores(conn, form, period), PROVINCES):
            yield [rank.rank if rank.rank is not None else "بدون گزارش", rank.label, rank.score, rank.reports]

    return [
        Sheet("رتبه واحدها", ["رتبه", "شناسه واحد", "دستگاه / واحد", "استان", "شهرستان", "سطح سازمانی", "امتیاز"], units),
        Sheet("رتبه استان ها", ["رتبه", "استان", "میانگین امتیاز", "تعداد گزارش"], provinces),
    ]


def _unwritable(column: Field, value: object) -> bool:
    """A stored number outside its column's range (or, in a text column, huge or not finite)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if column.type in NUMERIC_TYPES:
        return check_stored_value(column.type, value, bounds=column.bounds) is not None
    return not within_limits(value)


def _table_sheet(conn: sqlite3.Connection, form: FormDefinition, period: str, indicator_number: int, section_id: str, table: Table) -> Sheet:
    options = {c.id: c.option_labels for c in table.columns if c.type == "choice"}
    fixed = {r.id: r.label for r in table.fixed_rows}

    def rows() -> Iterator[list[object]]:
        scope = "SELECT report_id FROM report_digest d WHERE d.form_id = ? AND d.period = ?"  # every version
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name='hq_submission'").fetchone():
            scope += " AND d.report_id NOT IN (SELECT report_id FROM hq_submission WHERE superseded_by IS NOT NULL)"
        query = (
            "SELECT o.agency, o.province, o.level, t.row_id, t.cells FROM table_row t"
            " JOIN answer a ON a.report_id = t.report_id AND a.section_id = t.section_id AND a.item_id = 'status' AND a.value = '\"yes\"'"
            " JOIN report r ON r.id = t.report_id JOIN office o ON o.id = r.office_id"
            f" WHERE t.section_id = ? AND t.table_id = ? AND t.report_id IN ({scope}) ORDER BY o.province, o.agency, t.report_id, t.position"
        )
        for agency, province, level, row_id, cells in conn.execute(query, (section_id, table.id, form.id, period)):
            try:
                values = json.loads(cells)
            except ValueError:  # an int past Python's 4,300-digit limit: nothing in the row is usable
                values = {}
            out: list[object] = [agency, PROVINCES.get(province, ""), LEVELS.get(level, level)]
            if fixed:
                out.append(fixed.get(row_id, row_id))
            for column in table.columns:
                value = values.get(column.id)
                if isinstance(value, dict):  # kept as typed
                    value = value.get("typed")
                elif _unwritable(column, value):
                    value = None  # stored before ranges existed (issue 12): openpyxl cannot even write a 400-digit int
                elif column.id in options:
                    value = options[column.id].get(value, value)
                out.append(value)
            yield out

    headers = ["دستگاه / واحد", "استان", "سطح", *(["ردیف"] if fixed else []), *(c.label for c in table.columns)]
    name = f"{indicator_number}-{table.id}"[:MAX_SHEET_NAME]
    return Sheet(name, headers, rows)


def sheets(conn: sqlite3.Connection, form: FormDefinition, period: str, expected_units: dict[str, str] | None = None, tables: bool = True) -> list[Sheet]:
    """Every sheet of the headquarters workbook, in order (rows are produced when written); with
    ``tables``, one sheet per reporting table with every row of every current report."""
    out = [_shares_sheet(conn, form, period), _pivot_sheet(conn, form, period), _numbers_sheet(conn, form, period)]
    out += _ranking_sheets(conn, form, period, expected_units)
    return out + (table_sheets(conn, form, period) if tables else [])


def table_sheets(conn: sqlite3.Connection, form: FormDefinition, period: str) -> list[Sheet]:
    """One sheet per reporting table: every row of every current report answering «بله»."""
    out = []
    for indicator in form.indicators:
        for table in indicator.tables:
            out.append(_table_sheet(conn, form, period, indicator.number, indicator.id, table))
    return out


def export_xlsx(
    conn: sqlite3.Connection, form: FormDefinition, period: str, path: str | os.PathLike, expected_units: dict[str, str] | None = None,
    extra_sheets: list[Sheet] | None = None,
) -> Path:
    """Write the workbook (right-to-left sheets, Persian headers) through ``files.atomic_writer``: the
    file appears complete or not at all; a failed write raises ``files.WriteError``.

    ``extra_sheets`` (e.g. ``hq.completeness.status_sheet``) come after the analysis sheets.

    The analysis only: the reporting tables' rows (about 35 per report, 680,000 rows over 20,000
    reports) are the data workbook's (``export_tables_xlsx``) and the CSV folder's. Decided for issue
    16: an analyst opens the analysis in seconds, and no writer turns 3.6 million cells into XLSX in
    ten (XlsxWriter's floor is about 6 µs a cell)."""
    return write_sheets_xlsx([*sheets(conn, form, period, expected_units, tables=False), *(extra_sheets or [])], path)


def export_tables_xlsx(conn: sqlite3.Connection, form: FormDefinition, period: str, path: str | os.PathLike) -> Path:
    """The data workbook: one sheet per reporting table, every row of every current report."""
    return write_sheets_xlsx(table_sheets(conn, form, period), path)


def write_sheets_xlsx(all_sheets: Iterable[Sheet], path: str | os.PathLike) -> Path:
    """Any sheets as one workbook (the progress report's too), streamed row by row with XlsxWriter's
    constant-memory mode (issue 16: 20,000 reports' rows in seconds, in little memory).

    Its scratch files live in a temporary folder of our own, removed whatever happens; the file
    itself goes through ``files.atomic_writer`` (complete or not at all). Text is never read as a
    formula or a link: a value typed «=1+1» or «http://…» stays text."""
    import xlsxwriter
    import xlsxwriter.exceptions

    path = Path(path)
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "nan_inf_to_errors": True}
    with tempfile.TemporaryDirectory(prefix="crd-xlsx-") as scratch, atomic_writer(path, make_parents=True) as handle:
        workbook = xlsxwriter.Workbook(handle, {**options, "tmpdir": scratch})
        try:
            bold = workbook.add_format({"bold": True})
            used: set[str] = set()
            for sheet in all_sheets:
                worksheet = workbook.add_worksheet(_unique_name(sheet.name, used))
                worksheet.right_to_left()
                worksheet.write_row(0, 0, sheet.headers, bold)
                for number, row in enumerate(sheet.rows(), start=1):
                    worksheet.write_row(number, 0, row)
            workbook.close()
        except xlsxwriter.exceptions.FileCreateError as exc:  # XlsxWriter wraps the disk's error: unwrap it for atomic_writer
            workbook.fileclosed = True
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
            raise cause from None
        except BaseException:
            workbook.fileclosed = True  # nothing more to write: no "not closed" warning when collected
            raise
    return path


_BAD_SHEET_CHARACTERS = str.maketrans({c: "-" for c in "[]:*?/\\"})


def _unique_name(name: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\) and unique, case-insensitively."""
    base = name.translate(_BAD_SHEET_CHARACTERS)[:MAX_SHEET_NAME].strip("'") or "sheet"
    candidate, counter = base, 2
    while candidate.lower() in used:
        suffix = f" ({counter})"
        candidate = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        counter += 1
    used.add(candidate.lower())
    return candidate


def write_csv_sheet(sheet: Sheet, path: str | os.PathLike) -> Path:
    """One sheet as a UTF-8 (with BOM, so Excel reads Persian) CSV file, through ``files.atomic_writer``
    (complete or not at all; a failed write raises ``files.WriteError``)."""
    path = Path(path)
    with atomic_writer(path, "w", encoding="utf-8-sig", newline="", make_parents=True) as handle:
        writer = csv.writer(handle)
        writer.writerow(sheet.headers)
        for row in sheet.rows():
            writer.writerow(["" if v is None else v for v in row])
    return path


def export_csv(
    conn: sqlite3.Connection, form: FormDefinition, period: str, folder: str | os.PathLike, expected_units: dict[str, str] | None = None,
    extra_sheets: list[Sheet] | None = None,
) -> list[Path]:
    """One UTF-8 (with BOM) CSV file per sheet in ``folder``; returns the files written.

    The set is written in a temporary folder (``files.atomic_folder``) and appears together: a full
    disk halfway leaves no partial set that could pass for a complete one (``files.WriteError``)."""
    folder = Path(folder)
    names = []
    with atomic_folder(folder) as temporary:
        for sheet in [*sheets(conn, form, period, expected_units), *(extra_sheets or [])]:
            names.append(write_csv_sheet(sheet, temporary / f"{sheet.name}.csv").name)
    return [folder / name for name in names]
