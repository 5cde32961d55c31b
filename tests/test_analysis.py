"""Headquarters analysis checked against values computed independently from the loaded reports."""

from collections import Counter, defaultdict

import pytest

from citizen_rights_desktop.editing.demo import generate_reports
from citizen_rights_desktop.editing.digest import refresh_digests
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.report.office import PROVINCES
from citizen_rights_desktop.report.validation import computed_values


@pytest.fixture(scope="module")
def many(tmp_path_factory, form):
    from storage import ReportStore, open_database

    database = open_database(tmp_path_factory.mktemp("hq") / "hq.sqlite3")
    store = ReportStore(database)
    ids = generate_reports(store, form, 93, seed=11)
    store.conn.execute("DELETE FROM report_digest WHERE rowid % 3 = 0")  # and some built lazily
    assert refresh_digests(store) > 0 and refresh_digests(store) == 0
    reports = [store.load_report(i) for i in ids]
    offices = {o.id: o for o in store.offices()}
    yield store, reports, offices
    database.close()


def test_status_shares_by_province(many, form):
    store, reports, offices = many
    shares = analysis.status_shares(store.conn, form, "1398", by="province")
    expected = defaultdict(Counter)
    per_group = Counter()
    for report in reports:
        province = offices[report.office_id].province
        per_group[province] += 1
        for indicator in form.indicators:
            expected[(province, indicator.id)][report.section(indicator.id).status or "unanswered"] += 1
    assert shares.reports == dict(per_group)
    assert len({p for p in per_group if p}) == 31  # every province has reports
    for key, counter in expected.items():
        assert shares.counts[key] == {s: counter.get(s, 0) for s in analysis.STATUSES}, key
    # "yes" over the reports the indicator applies to (not applicable left out, blanks in), as the score
    checked = 0
    for (group, indicator), counter in expected.items():
        applicable = per_group[group] - counter["not_applicable"]
        if counter["not_applicable"] and applicable:
            assert shares.share(group, indicator) == pytest.approx(100 * counter["yes"] / applicable)
            assert shares.share(group, indicator, "not_applicable") == pytest.approx(100 * counter["not_applicable"] / per_group[group])
            checked += 1
    assert checked > 10


def test_numeric_summaries(many, form):
    store, reports, _ = many
    summaries = {(s.indicator_id, s.item): s for s in analysis.numeric_summaries(store.conn, form, "1398")}
    rows = [len(r.section("i04").rows("processes")) for r in reports if r.section("i04").status == "yes"]
    assert summaries[("i04", "processes.rows")].total == sum(rows)
    yes12 = [r.section("i12") for r in reports if r.section("i12").status == "yes"]
    totals = [a.values["complaints_total"] for a in yes12 if isinstance(a.values.get("complaints_total"), int)]
    summary = summaries[("i12", "complaints_total")]
    assert summary.reports == len(totals) and summary.total == sum(totals)
    percents = [v for v in (computed_values(form.indicator("i04"), r.section("i04")).get("percent_electronic") for r in reports if r.section("i04").status == "yes") if v is not None]
    computed = summaries[("i04", "percent_electronic")]
    assert computed.reports == len(percents) and computed.mean == pytest.approx(sum(percents) / len(percents))
    hours = summaries[("i13", "hours_managers")]
    assert hours.kind == "field" and hours.reports > 0


def test_scores_and_ranking(many, form):
    store, reports, offices = many
    scores = {s.report_id: s.score for s in analysis.scores(store.conn, form, "1398")}
    for report in reports:
        statuses = {i.id: report.section(i.id).status for i in form.indicators}
        possible = sum(1 for s in statuses.values() if s != "not_applicable")
        earned = sum(1 for s in statuses.values() if s == "yes")
        assert scores[report.id] == round(100 * earned / possible, 2)
    ranks = analysis.rank_provinces(analysis.scores(store.conn, form, "1398"), PROVINCES)
    assert len(ranks) == 31 and ranks[0].rank == 1
    assert all(a.score >= b.score for a, b in zip(ranks, ranks[1:]) if b.score is not None)


def test_competition_ranking_ties_and_missing():
    ranks = analysis.competition_ranks([("a", "الف", 80.0, 1), ("b", "ب", 90.0, 1), ("c", "پ", 80.0, 1), ("d", "ت", None, 0), ("e", "ث", 70.0, 1)])
    assert [(r.key, r.rank) for r in ranks] == [("b", 1), ("a", 2), ("c", 2), ("e", 4), ("d", None)]
    units = analysis.rank_units([], {"x": "اداره بدون گزارش"})
    assert units == [analysis.Rank("x", "اداره بدون گزارش", None, None, 0)]


def test_pivot(many, form):
    store, _, _ = many
    pivot = analysis.pivot_yes_share(store.conn, form, "1398", by="level")
    assert set(pivot) == {i.id for i in form.indicators}
    assert all(0 <= v <= 100 for row in pivot.values() for v in row.values() if v is not None)


def test_xlsx_export(many, form, tmp_path):
    from openpyxl import load_workbook

    from citizen_rights_desktop.hq.export import export_tables_xlsx, export_xlsx

    from citizen_rights_desktop.report.office import LEVELS, PROVINCES

    store, reports, offices = many
    path = export_xlsx(store.conn, form, "1398", tmp_path / "hq.xlsx")
    workbook = load_workbook(path, read_only=False)
    names = workbook.sheetnames
    assert names[:5] == ["سهم پاسخ ها", "شاخص در استان", "ارقام", "رتبه واحدها", "رتبه استان ها"]
    assert not any(n.startswith("4-") for n in names)  # the reporting tables' rows are the data workbook's (issue 16)
    tables = load_workbook(export_tables_xlsx(store.conn, form, "1398", tmp_path / "tables.xlsx"), read_only=False)
    assert "4-processes" in tables.sheetnames and "28-violations" in tables.sheetnames and tables["4-processes"].sheet_view.rightToLeft
    shares = workbook["سهم پاسخ ها"]
    assert shares.sheet_view.rightToLeft
    assert [c.value for c in shares[1]] == ["شاخص", "عنوان شاخص", "بله", "خیر", "عدم مصداق", "بدون پاسخ", "درصد بله (از گزارش‌های مشمول، بدون عدم مصداق)"]
    first = [c.value for c in shares[2]]
    yes = sum(1 for r in reports if r.section("i01").status == "yes")
    assert first[0] == 1 and first[1] == form.indicator("i01").full_title and first[2] == yes
    processes = tables["4-processes"]
    expected_rows = sum(len(r.section("i04").rows("processes")) for r in reports if r.section("i04").status == "yes")
    assert processes.max_row - 1 == expected_rows
    assert [c.value for c in processes[1]][3:] == [c.label for c in form.indicator("i04").table("processes").columns]
    status_values = {row[4] for row in processes.iter_rows(min_row=2, values_only=True)}
    assert status_values <= {"الکترونیکی شده اند", "الکترونیکی نشده اند"}
    # issue 16: every unit of the ranking says which it is (id, province, county, level)
    ranking = workbook["رتبه واحدها"]
    assert [c.value for c in ranking[1]] == ["رتبه", "شناسه واحد", "دستگاه / واحد", "استان", "شهرستان", "سطح سازمانی", "امتیاز"]
    listed = list(ranking.iter_rows(min_row=2, values_only=True))
    assert len(listed) == len({r.office_id for r in reports})
    for _, unit_id, name, province, county, level, _score in listed:
        office = offices[unit_id]
        assert name == office.agency and level == LEVELS[office.level] and (county or "") == office.county
        assert province == (PROVINCES[office.province] if office.province else "دستگاه‌های ملی")
    # and the pivot has national agencies apart, with their share
    pivot = workbook["شاخص در استان"]
    assert pivot.cell(1, pivot.max_column).value == "دستگاه‌های ملی"
    national = analysis.status_shares(store.conn, form, "1398", by="province")
    expected = national.share("", "i01")
    assert national.reports.get("", 0) > 0 and pivot.cell(2, pivot.max_column).value == pytest.approx(expected, abs=0.01)


def test_csv_export_has_bom(many, form, tmp_path):
    from citizen_rights_desktop.hq.export import export_csv

    store, _, _ = many
    files = export_csv(store.conn, form, "1398", tmp_path / "csv")
    data = (tmp_path / "csv" / "سهم پاسخ ها.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "عنوان شاخص".encode() in data
    assert len(files) == 5 + sum(len(i.tables) for i in form.indicators)


def test_percentages_and_ratios_are_never_added_up(many, form):
    """Issue 16: the total of a percent (i04's electronic share, r8-style scores) or of a per-capita
    ratio meant nothing; counts and sums of counts keep their totals."""
    store, reports, _ = many
    summaries = {(s.indicator_id, s.item): s for s in analysis.numeric_summaries(store.conn, form, "1398")}
    electronic = summaries[("i04", "percent_electronic")]
    assert electronic.reports > 0 and electronic.total is None and electronic.mean is not None
    assert summaries[("i13", "per_capita_managers")].total is None
    complaints = summaries[("i12", "complaints_total")]
    assert complaints.total == sum(r.section("i12").values.get("complaints_total", 0) for r in reports if r.section("i12").status == "yes")
