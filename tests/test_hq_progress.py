"""Issue 16: `hq demo`, the filters (hq.scope), the compiled progress report and the combined
ranking — each figure recomputed here independently from the stored reports."""

from __future__ import annotations

import csv
import subprocess
from collections import defaultdict

import pytest

from citizen_rights_desktop.editing.digest import refresh_digests
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.hq import completeness as hq_completeness
from citizen_rights_desktop.hq import ranking as hq_ranking
from citizen_rights_desktop.hq.progress import build_progress
from citizen_rights_desktop.hq.scope import Scope, apply_scope, clear_scope
from storage import ReportStore, open_database
from tests.test_cli import cli


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("hq-demo") / "hq.sqlite3"
    made = cli("hq", "demo", "--db", path, "--units", "60", "--seed", "4", check_rc=0).stdout
    assert "citizen_rights_annual 1398:" in made and "citizen_rights_programs 1399-Q4:" in made and "joint_inspection 1399:" in made
    database = open_database(path, take_backups=False)
    refresh_digests(ReportStore(database), FormCatalog())
    database.close()
    return path


def _current(conn, form_id: str, period: str) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT report_id, office_id FROM main.hq_submission WHERE form_id=? AND period=? AND superseded_by IS NULL", (form_id, period)
    ).fetchall()


def test_hq_demo_fills_every_kind_for_two_years_and_refuses_a_database_with_reports(demo_db, tmp_path):
    database = open_database(demo_db, take_backups=False)
    conn = database.conn
    kinds = {(f, p[:4]) for f, p in conn.execute("SELECT form_id, period FROM hq_submission")}
    assert {("citizen_rights_annual", "1398"), ("citizen_rights_annual", "1399"), ("citizen_rights_programs", "1399"), ("joint_inspection", "1399")} <= kinds
    provinces = {p for (p,) in conn.execute("SELECT DISTINCT province FROM office WHERE province != ''")}
    assert len(provinces) >= 25
    database.close()
    refused = cli("hq", "demo", "--db", demo_db, "--units", "5", check_rc=2)
    assert "already holds reports" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    other = tmp_path / "again.sqlite3"
    cli("hq", "demo", "--db", other, "--units", "60", "--seed", "4", "--visits", "0", check_rc=0)
    again = open_database(other, take_backups=False)
    first = open_database(demo_db, take_backups=False)
    count = "SELECT count(*) FROM hq_submission WHERE form_id='citizen_rights_annual'"
    assert again.conn.execute(count).fetchone() == first.conn.execute(count).fetchone()  # the same seed, the same data
    again.close()
    first.close()


def test_a_scope_filters_every_figure_the_same_way(demo_db):
    database = open_database(demo_db, take_backups=False)
    conn = database.conn
    form = FormCatalog().latest()
    everything = hq_completeness.completeness(conn, form, "1399")
    fars_units = [u for u in everything.units if u.province == "fars"]
    teams = conn.execute("SELECT count(*) FROM office WHERE level='inspection_team' AND province='fars'").fetchone()[0]
    assert apply_scope(conn, Scope(province="fars")) == len(fars_units) + teams and fars_units  # a team is in scope: its visits are
    scoped = hq_completeness.completeness(conn, form, "1399")
    assert sorted(u.unit_id for u in scoped.units) == sorted(u.unit_id for u in fars_units)
    assert scoped.counts == hq_completeness.Counts.of(fars_units)
    ids = {u.unit_id for u in fars_units}
    assert {s.office_id for s in analysis.scores(conn, form, "1399")} == {o for _, o in _current(conn, form.id, "1399") if o in ids}
    clear_scope(conn)
    levels = dict(conn.execute("SELECT id, level FROM office"))
    apply_scope(conn, Scope(level="county_office"))
    shares = analysis.status_shares(conn, form, "1399")
    expected = [r for r, o in _current(conn, form.id, "1399") if levels.get(o) == "county_office"]
    assert shares.reports[""] == len(expected)
    clear_scope(conn)
    assert hq_completeness.completeness(conn, form, "1399").counts == everything.counts  # cleared: all again
    with pytest.raises(ValueError):
        Scope(level="ministry").check()
    database.close()


def test_the_progress_report_recomputed_independently(demo_db, tmp_path):
    database = open_database(demo_db, take_backups=False)
    store, conn, catalog = ReportStore(database), database.conn, FormCatalog()
    form = catalog.latest()
    report = build_progress(store, catalog, "1399")
    figures = {f.key: f for f in report.key_figures + report.indicators + report.inspection_dimensions}
    units = conn.execute("SELECT count(*) FROM org_unit WHERE level NOT IN ('province')").fetchone()[0]
    for year, value in (("1399", figures["annual.reported"].now), ("1398", figures["annual.reported"].before)):
        assert value == round(100 * len(_current(conn, form.id, year)) / units, 2)
    # an indicator's «بله» share, from the reports themselves (not applicable out of the denominator)
    for year, value in (("1399", figures["annual.i04"].now), ("1398", figures["annual.i04"].before)):
        answers = [store.load_report(r).section("i04").status for r, _ in _current(conn, form.id, year)]
        applicable = [a for a in answers if a != "not_applicable"]
        assert value == round(100 * applicable.count("yes") / len(applicable), 2)
    assert figures["annual.i04"].change == round(figures["annual.i04"].now - figures["annual.i04"].before, 2)
    # program 2's «انجام شد» share in Q3, over the answers that are due
    programs = catalog.latest("citizen_rights_programs")
    row = next(r for r in report.programs if r.key == "p2")
    done = due = 0
    for report_id, _ in _current(conn, programs.id, "1399-Q3"):
        saved = store.load_report(report_id)
        for indicator in programs.dimensions[2].indicators:
            status = saved.section(indicator.id).status
            done += status == "done"
            due += status != "not_due"
    assert programs.dimensions[2].id == "p2" and row.values[2] == round(100 * done / due, 2)
    visits = conn.execute("SELECT count(*) FROM hq_submission WHERE form_id='joint_inspection' AND period LIKE '1399-%'").fetchone()[0]
    assert figures["inspections.visits"].now == visits
    # the combined ranking: one unit's score from its parts and the method's weights
    method = hq_ranking.load_method()
    unit = next(u for u in report.ranking if len(u.parts) == 3)
    weights = {c.id: c.weight for c in method.components}
    assert unit.combined == round(sum(weights[k] * v for k, v in unit.parts.items()) / sum(weights.values()), 2)
    only_self = next(u for u in report.ranking if set(u.parts) == {"self_report"})
    assert only_self.combined == only_self.parts["self_report"]
    assert all(u.rank is None for u in report.ranking if "self_report" not in u.parts)
    improved, worse = report.improved(), report.worse()
    assert all(f.gain > 0 for f in improved) and all(f.gain < 0 for f in worse) and improved and worse
    database.close()


def test_progress_report_and_combined_ranking_on_the_command_line(demo_db, tmp_path):
    from openpyxl import load_workbook

    pdf, xlsx = tmp_path / "progress.pdf", tmp_path / "progress.xlsx"
    out = cli("hq", "progress-report", "--db", demo_db, "--period", "1399", "-o", pdf, "--xlsx", xlsx, check_rc=0).stdout
    assert "1399 beside 1398" in out
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("گزارش پیشرفت اجرای برنامه های حقوق شهروندی", "آنچه بهتر شد", "آنچه بدتر شد", "به تفکیک استان", "رتبه بندی ترکیبی"):
        assert words in " ".join(text.split()), words
    book = load_workbook(xlsx, read_only=True)
    key = {row[0]: row for row in book["ارقام کلیدی"].iter_rows(min_row=2, values_only=True)}
    database = open_database(demo_db, take_backups=False)
    report = build_progress(ReportStore(database), FormCatalog(), "1399")
    database.close()
    for figure in report.key_figures:
        assert key[figure.key][2:5] == (figure.now, figure.before, figure.change)
    ranking = tmp_path / "rank.csv"
    cli("hq", "rank", "--db", demo_db, "--period", "1399", "--combined", "--csv", ranking, "--pdf", tmp_path / "rank.pdf", check_rc=0)
    rows = list(csv.reader(ranking.open(encoding="utf-8-sig")))
    assert rows[0][:5] == ["رتبه", "شناسه واحد", "دستگاه / واحد", "استان", "سطح"] and len(rows) > 40
    ranks = [int(r[0]) for r in rows[1:] if r[0]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    scoped = cli("hq", "progress-report", "--db", demo_db, "--period", "1399", "-o", tmp_path / "fars.pdf", "--province", "fars", check_rc=0).stdout
    assert "filtered to province fars" in scoped
    bad = cli("hq", "progress-report", "--db", demo_db, "--period", "1399-Q2", "-o", tmp_path / "x.pdf", check_rc=2)
    assert "Jalali year" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "text, words",
    [
        ("components: 3", "needs 'components'"),
        ("components: [{id: luck, weight: 1}]", "an id among"),
        ("components: [{id: self_report, weight: -1}]", "weight of zero or more"),
        ("components: [{id: self_report, weight: 0}]", "must not all be zero"),
        ("components: [{id: self_report, weight: 1}, {id: self_report, weight: 1}]", "distinct"),
        ("components: [{id: self_report, weight: 1}]\nrequired: [inspection]", "'required' must list"),
        ("components: [", "cannot read"),
    ],
)
def test_a_broken_ranking_method_is_refused(tmp_path, text, words):
    path = tmp_path / "method.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(hq_ranking.BadMethod) as refused:
        hq_ranking.load_method(path)
    assert words in refused.value.message_en


def test_weights_are_data(demo_db, tmp_path):
    path = tmp_path / "self-only.yaml"
    path.write_text("title: t\ncomponents: [{id: self_report, label: s, weight: 1}, {id: inspection, label: i, weight: 0}]\nrequired: [self_report]\n")
    database = open_database(demo_db, take_backups=False)
    ranking = hq_ranking.combined_ranking(ReportStore(database), FormCatalog(), "1399", hq_ranking.load_method(path))
    database.close()
    by_score = defaultdict(list)
    for unit in ranking:
        if unit.combined is not None:
            assert unit.combined == unit.parts["self_report"]
            by_score[unit.combined].append(unit.rank)
    assert all(len(set(ranks)) == 1 for ranks in by_score.values())  # equal scores share a rank


def test_the_province_map_places_every_province_once():
    from citizen_rights_desktop.pdf.province_map import COLUMNS, ROWS, TILES, colour_of
    from citizen_rights_desktop.report.office import PROVINCES

    assert set(TILES) == set(PROVINCES) and len(set(TILES.values())) == len(TILES)
    assert all(0 <= c < COLUMNS and 0 <= r < ROWS for c, r in TILES.values())
    low, mid, high = colour_of(0), colour_of(50), colour_of(100)
    assert low.red > high.red and high.green > low.green and mid.red > high.red
