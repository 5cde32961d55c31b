"""Headquarters never crashes on numbers stored before ranges existed, and its digest judges a number
by its field's own range (issue 12, item 2). The entry side is tests/test_number_ranges.py."""

from __future__ import annotations

import json
import math

import pytest

from citizen_rights_desktop.report.model import Report
from tests.test_number_ranges import BIG, HUGE, run  # noqa: F401


def _poison_answers(conn, number: int) -> int:
    """What a database imported before the fix may hold: huge numbers in answers and table cells."""
    changed = conn.execute(
        "UPDATE answer SET value = ? WHERE section_id = 'i12' AND item_id = 'complaints_total'", (str(number),)
    ).rowcount
    query = "SELECT report_id, row_id, cells FROM table_row WHERE section_id = 'i08' AND table_id = 'clients_per_service'"
    for report_id, row_id, cells in conn.execute(query).fetchall():
        data = json.loads(cells)
        data["average_clients_per_month"] = number
        data["service"] = number  # a text column: only an import by hand could have put a number there
        conn.execute(
            "UPDATE table_row SET cells = ? WHERE report_id = ? AND section_id = 'i08' AND table_id = 'clients_per_service' AND row_id = ?",
            (json.dumps(data), report_id, row_id),
        )
    conn.execute("DELETE FROM report_digest")  # rebuilt by the next analysis
    conn.commit()
    return changed


@pytest.fixture
def poisoned_hq(tmp_path, form):
    from test_hq_completeness import sample_hq

    path = tmp_path / "hq.sqlite3"
    database, store, _ = sample_hq(path, form, 16, seed=7)
    assert _poison_answers(database.conn, 10**400) > 0
    yield path, database, store
    database.close()


def test_hq_analyse_and_exports_survive_huge_stored_numbers(poisoned_hq, form, capsys, tmp_path):
    path, _, _ = poisoned_hq
    code, out, err = run(capsys, "hq", "analyse", "--db", path)
    assert code == 0, err
    line = next(x for x in out.splitlines() if "i12.complaints_total" in x)
    assert "e+" not in line and len(line) < 400
    code, _, err = run(capsys, "hq", "export", "--db", path, "--xlsx", tmp_path / "hq.xlsx")
    assert code == 0, err
    code, _, err = run(capsys, "hq", "export", "--db", path, "--tables-xlsx", tmp_path / "tables.xlsx")  # the tables' rows (issue 16)
    assert code == 0, err
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "tables.xlsx")["8-clients_per_service"]
    assert sheet.max_row > 1
    assert all(row[-2:] == (None, None) for row in sheet.iter_rows(min_row=2, values_only=True))  # skipped, not written
    code, _, err = run(capsys, "hq", "export", "--db", path, "--pdf", tmp_path / "national.pdf")
    assert code == 0, err


def test_analysis_skips_numbers_a_digest_built_before_the_fix_holds(poisoned_hq, form):
    from citizen_rights_desktop.editing.digest import refresh_digests
    from citizen_rights_desktop.hq import analysis, export

    _, database, store = poisoned_hq
    refresh_digests(store)
    conn = database.conn
    for index, (report_id, numbers) in enumerate(conn.execute("SELECT report_id, numbers FROM report_digest").fetchall()):
        data = json.loads(numbers)
        data["i12.complaints_total"] = 10**400
        data["i12.complaints_disrespect"] = float("nan")
        text = json.dumps(data)
        if index % 2:  # and some past Python's digit limit, which json.loads refuses
            text = text.replace('"i12.complaints_total": ' + "1" + "0" * 400, '"i12.complaints_total": ' + HUGE)
        conn.execute("UPDATE report_digest SET numbers = ? WHERE report_id = ?", (text, report_id))
    conn.commit()
    summaries = {(s.indicator_id, s.item): s for s in analysis.numeric_summaries(conn, form, "1398")}
    assert summaries[("i12", "complaints_total")].reports == 0
    assert summaries[("i12", "complaints_disrespect")].reports == 0
    assert all(s.total is None or math.isfinite(s.total) for s in summaries.values())  # a percent has no total
    assert len(list(export.sheets(conn, form, "1398")[2].rows())) == len(summaries)


def test_the_digest_keeps_numbers_within_a_range_the_form_widened(form):
    """A form may allow more than the type's default (e.g. max 5,000,000,000): the headquarters
    digest must count such a number, not judge it by the default range."""
    import dataclasses

    from citizen_rights_desktop.editing.digest import digest_report
    from citizen_rights_desktop.report.model import SectionAnswer

    indicator = next(i for i in form.indicators if any(f.type == "integer" for f in i.fields))
    spec = next(f for f in indicator.fields if f.type == "integer")
    widened = dataclasses.replace(spec, maximum=5_000_000_000)
    object.__setattr__(indicator, "fields", tuple(widened if f is spec else f for f in indicator.fields))
    try:
        report = Report("r1", "o1", form.id, form.version, "1398", sections={indicator.id: SectionAnswer(status="yes", values={spec.id: 2_000_000_000})})
        assert digest_report(form, report).numbers.get(f"{indicator.id}.{spec.id}") == 2_000_000_000
    finally:
        object.__setattr__(indicator, "fields", tuple(spec if f is widened else f for f in indicator.fields))
