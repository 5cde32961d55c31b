"""Completeness at headquarters, checked against values computed independently from the raw rows."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter

import jdatetime
import pytest

from citizen_rights_desktop.editing.demo import generate_reports
from citizen_rights_desktop.editing.digest import refresh_digests
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.hq import completeness as hq_completeness
from citizen_rights_desktop.hq import sample as hq_sample
from citizen_rights_desktop.report.office import LEVELS, PROVINCES
from storage import ReportStore, open_database


def sample_hq(path, form, reports: int, seed: int, revised: int = 0):
    """A headquarters database: ``reports`` generated reports of as many units across all 31
    provinces, org units, submissions (some late, a tenth of the units missing, some revised)."""
    database = open_database(path, take_backups=False)
    store = ReportStore(database, actor="tester")
    generate_reports(store, form, reports, seed=seed)
    sample = hq_sample.register_sample_submissions(database, form, seed=seed, revised=revised)
    refresh_digests(store)
    return database, store, sample


@pytest.fixture(scope="module")
def hq(tmp_path_factory, form):
    database, store, sample = sample_hq(tmp_path_factory.mktemp("completeness") / "hq.sqlite3", form, 124, seed=21, revised=6)
    yield database, sample
    database.close()


def expected_statuses(conn) -> dict[str, str]:
    """Independently: each reporting unit's FIRST submission, converted to an Iran (UTC+03:30) Jalali
    date with jdatetime, compared with the guideline's deadline 1399/02/31 (end of that day)."""
    deadline = jdatetime.date(1399, 2, 31)
    out = {}
    for unit_id, level in conn.execute("SELECT id, level FROM org_unit"):
        if level not in LEVELS:
            continue
        received = [r[0] for r in conn.execute("SELECT received_at FROM hq_submission WHERE office_id=? AND period='1398'", (unit_id,))]
        current = conn.execute("SELECT 1 FROM hq_submission WHERE office_id=? AND superseded_by IS NULL", (unit_id,)).fetchone()
        if not current:
            out[unit_id] = "missing"
            continue
        first = min(dt.datetime.fromisoformat(r) for r in received)
        local = jdatetime.datetime.fromgregorian(datetime=(first + dt.timedelta(hours=3, minutes=30)).replace(tzinfo=None))
        out[unit_id] = "on_time" if local.date() <= deadline else "late"
    return out


def test_every_unit_has_the_independently_computed_status(hq, form):
    database, sample = hq
    result = hq_completeness.completeness(database.conn, form, "1398")
    got = {u.unit_id: u.status for u in result.units}
    assert got == expected_statuses(database.conn)
    # and what the generator intended (a revision sent after the deadline keeps the first one's status)
    assert {k for k, v in got.items() if v == "on_time"} == set(sample.on_time)
    assert {k for k, v in got.items() if v == "late"} == set(sample.late)
    assert {k for k, v in got.items() if v == "missing"} == set(sample.missing)
    assert len(result.units) == sample.units == 124 + 12 and not result.unknown_offices
    assert result.counts == hq_completeness.Counts(136, len(sample.on_time), len(sample.late), 12)
    assert {u.province for u in result.units} >= set(PROVINCES)  # units in all 31 provinces
    for unit_id in sample.revised:
        unit = result.unit(unit_id)
        assert unit.revision == 2 and unit.received_at > unit.first_received_at


def test_province_roll_up_and_drill_down(hq, form):
    database, _ = hq
    result = hq_completeness.completeness(database.conn, form, "1398")
    statuses = expected_statuses(database.conn)
    province_of = dict(database.conn.execute("SELECT id, province FROM org_unit"))
    expected: dict[str, Counter] = {}
    for unit_id, status in statuses.items():
        expected.setdefault(province_of[unit_id], Counter())[status] += 1
    rows = result.by_province()
    assert [r.province for r in rows] == [*PROVINCES, ""]
    for row in rows:
        tally = expected.get(row.province, Counter())
        assert (row.counts.on_time, row.counts.late, row.counts.missing) == (tally["on_time"], tally["late"], tally["missing"]), row.province
        assert row.counts.units == sum(tally.values())
    assert sum(r.counts.units for r in rows) == len(result.units)
    # drill down: province → its units, by the province column and along the hierarchy (parent_id)
    fars = result.in_province("fars")
    assert fars and {u.unit_id for u in fars} == {u.unit_id for u in result.under("province-fars")}
    assert all(u.parent_name == "استان فارس" for u in fars)
    national = result.in_province("")
    assert all(u.level == "national_agency" and u.parent_id is None for u in national)


def test_reminders_csv(hq, form, tmp_path):
    database, sample = hq
    result = hq_completeness.completeness(database.conn, form, "1398")
    path = hq_completeness.write_reminders_csv(result, tmp_path / "out" / "reminders.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["واحد", "شناسه واحد", "سطح", "استان", "واحد بالادست", "شناسه واحد بالادست"]
    assert {r[1] for r in rows[1:]} == set(sample.missing)
    names = dict(database.conn.execute("SELECT id, name FROM org_unit"))
    parents = dict(database.conn.execute("SELECT id, parent_id FROM org_unit"))
    for row in rows[1:]:
        assert row[0] == names[row[1]] and row[5] == (parents[row[1]] or "") and row[4] == (names.get(parents[row[1]]) or "")
    one = result.reminders("ardabil")
    assert all(u.province == "ardabil" for u in one) and len(one) == sum(1 for u in result.reminders() if u.province == "ardabil")


def test_analysis_counts_only_current_revisions(hq, form):
    database, sample = hq
    shares = analysis.status_shares(database.conn, form, "1398")
    current = database.conn.execute("SELECT COUNT(*) FROM hq_submission WHERE superseded_by IS NULL").fetchone()[0]
    assert shares.reports[""] == current == 124 and len(sample.revised) == 6


def test_deadline_is_the_end_of_the_day_in_iran(tmp_path, form):
    database = open_database(tmp_path / "hq.sqlite3", take_backups=False)
    store = ReportStore(database, actor="tester")
    ids = generate_reports(store, form, 4, seed=5)
    offices = [store.load_report(i).office_id for i in ids]
    assert form.deadline == dt.date(2020, 5, 20)  # 1399/02/31
    cutoff = hq_completeness.deadline_cutoff(form.deadline)
    assert cutoff == dt.datetime(2020, 5, 20, 20, 30, tzinfo=dt.timezone.utc)  # 24:00 at UTC+03:30
    times = ["2020-05-20T20:29:59.999+00:00", "2020-05-20T20:30:00.000+00:00", "2020-05-21T00:00:00+03:30"]
    units = [{"id": o, "name": f"واحد {i}", "parent_id": None, "level": "provincial_office", "province": "fars"} for i, o in enumerate(offices[:3])]
    units.append({"id": "never", "name": "واحد بی گزارش", "parent_id": None, "level": "county_office", "province": "qom"})
    units.append({"id": "region", "name": "گروه", "parent_id": None, "level": "province", "province": "qom"})
    with database.transaction() as conn:
        conn.executemany("INSERT INTO org_unit (id, name, parent_id, level, province) VALUES (:id, :name, :parent_id, :level, :province)", units)
        for n, (report_id, office_id) in enumerate(zip(ids, offices)):
            conn.execute(
                "INSERT INTO hq_submission (id, report_id, office_id, form_id, form_version, period, revision, office_report_id, bundle_id,"
                " content_sha256, manifest, manifest_signature, signer_cert_pem, pdf_sha256, pdf_check, created_at, received_at)"
                " VALUES (?,?,?,?,?,'1398',1,?,?,'x','{}',x'','',NULL,'absent','x',?)",
                (f"s{n}", report_id, office_id, form.id, form.version, report_id, f"b{n}", times[n] if n < 3 else times[0]),
            )
    result = hq_completeness.completeness(database.conn, form, "1398")
    got = {u.unit_id: u.status for u in result.units}
    assert got == {offices[0]: "on_time", offices[1]: "late", offices[2]: "late", "never": "missing"}  # the grouping unit reports nothing
    assert result.unknown_offices == [offices[3]]  # a report from an office that is no org unit is listed, not dropped
    assert result.unit(offices[0]).submission_id == "s0"
    assert hq_completeness.jalali_received(times[0]) == "1399/02/31" and hq_completeness.jalali_received(times[1]) == "1399/03/01"
    database.close()
