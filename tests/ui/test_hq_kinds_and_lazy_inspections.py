"""Issue 16, the headquarters window: the inspections tab's roll-up is computed only when the tab is
shown (never at the window's start), and the window analyses the quarterly program report (seed
002) with its own figures — those ``hq.kind_figures`` and the core functions of ``hq analyse``
compute for the same database. On a database filled by ``hq demo`` (every kind of report)."""

from __future__ import annotations

import datetime as dt

import pytest

from citizen_rights_desktop.editing.digest import refresh_digests
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.hq import inspections as hq_inspections
from citizen_rights_desktop.hq.demo import fill_demo
from citizen_rights_desktop.hq.progress import done_share
from citizen_rights_desktop.hq.scope import Scope, apply_scope
from citizen_rights_desktop.report.office import PROVINCES
from storage import ReportStore, open_database
from ui.hq.common import RAW_ROLE

PROGRAMS = "citizen_rights_programs"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """``hq demo --units 80 --seed 7``: annual reports of 1398 and 1399, the quarterly program
    report's four quarters of 1399, inspection visits of 1399."""
    path = tmp_path_factory.mktemp("hq-demo-window") / "hq.sqlite3"
    database = open_database(path, take_backups=False)
    summary = fill_demo(database, FormCatalog(), 80, seed=7)
    refresh_digests(ReportStore(database, actor="tester"), FormCatalog())
    database.close()
    assert summary.visits and summary.reports[f"{PROGRAMS} 1399-Q2"] and summary.reports[f"{PROGRAMS} 1399-Q1"]
    return path


@pytest.fixture
def counted(monkeypatch):
    """How many times the core reads the visits and rolls them up (from any thread)."""
    calls = {"visits": 0, "rollup": 0}
    visits, rollup = hq_inspections.visits, hq_inspections.rollup

    def counting_visits(*args, **kwargs):
        calls["visits"] += 1
        return visits(*args, **kwargs)

    def counting_rollup(*args, **kwargs):
        calls["rollup"] += 1
        return rollup(*args, **kwargs)

    monkeypatch.setattr(hq_inspections, "visits", counting_visits)
    monkeypatch.setattr(hq_inspections, "rollup", counting_rollup)
    return calls


def choose_period(window, qtbot, period: str) -> None:
    with qtbot.waitSignal(window.refreshed, timeout=20000):
        window.period_box.setCurrentIndex(window.period_box.findData(period))
    assert window.snapshot.period == period


def wait_rollup(page, qtbot) -> None:
    qtbot.waitUntil(lambda: page.figures is not None and not page.loading and not page.stale, timeout=20000)


def core_visits(path, period: str, scope: Scope | None = None):
    database = open_database(path, take_backups=False)
    try:
        apply_scope(database.conn, scope)
        catalog = FormCatalog()
        every = hq_inspections.visits(ReportStore(database), catalog)
        chosen = [v for v in every if hq_inspections.in_period(v.period, period)]
        return chosen, every
    finally:
        database.close()


# --- the inspections tab: lazy -------------------------------------------------------------------


def test_the_inspections_roll_up_waits_until_its_tab_is_shown(demo_db, open_window, qtbot, counted):
    window = open_window(demo_db)
    page = window.inspections_page
    assert counted == {"visits": 0, "rollup": 0}, "the roll-up ran at the window's start"
    assert page.figures is None and page.stale
    choose_period(window, qtbot, "1399")  # new figures, the tab hidden: marked stale, not computed
    assert counted == {"visits": 0, "rollup": 0} and page.stale

    window.show_tab("inspections")  # the first time the tab is shown
    wait_rollup(page, qtbot)
    assert counted["visits"] >= 1 and counted["rollup"] >= 1
    chosen, every = core_visits(demo_db, "1399")
    assert chosen and f"{len(chosen)} بازدید".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in page.summary.text()
    national = hq_inspections.rollup(chosen, every, None, dt.date.today())[0]
    assert page.groups.item(0, 1).data(RAW_ROLE) == national.visits == len(chosen)
    assert page.groups.item(0, 2).data(RAW_ROLE) == national.mean_score
    assert page.groups.item(0, 3).data(RAW_ROLE) == national.open_findings
    page.grouping.setCurrentIndex(1)  # per province: already rolled up, shown at once
    by_province = {g.key: g.visits for g in hq_inspections.rollup(chosen, every, "province", dt.date.today())}
    shown = {page.groups.item(r, 0).data(RAW_ROLE): page.groups.item(r, 1).data(RAW_ROLE) for r in range(page.groups.rowCount())}
    assert shown == by_province


def test_new_figures_recompute_the_roll_up_only_while_its_tab_is_on_screen(demo_db, open_window, qtbot, counted):
    window = open_window(demo_db)
    choose_period(window, qtbot, "1399")
    page = window.inspections_page
    window.show_tab("inspections")
    wait_rollup(page, qtbot)
    chosen, _ = core_visits(demo_db, "1399")
    province = max(PROVINCES, key=lambda key: sum(v.province == key for v in chosen))

    before = counted["visits"]
    with qtbot.waitSignal(page.loaded, timeout=20000):  # the tab on screen: recomputed at once
        window.filters.set(province=province)
    assert counted["visits"] > before
    in_scope, _ = core_visits(demo_db, "1399", Scope(province=province))
    assert page.groups.item(0, 1).data(RAW_ROLE) == len(in_scope) < len(chosen)

    window.show_tab("ranking")
    before = counted["visits"]
    with qtbot.waitSignal(window.refreshed, timeout=20000):
        window.filters.set()
    assert counted["visits"] == before and page.stale  # hidden: only marked stale
    window.show_tab("inspections")
    wait_rollup(page, qtbot)
    assert counted["visits"] > before and page.groups.item(0, 1).data(RAW_ROLE) == len(chosen)


# --- the quarterly program report ----------------------------------------------------------------


def open_quarterly(window, qtbot, period: str):
    with qtbot.waitSignal(window.refreshed, timeout=20000):
        window.kind_box.setCurrentIndex(window.kind_box.findData(PROGRAMS))
    assert window.form.id == PROGRAMS and window.snapshot.form.id == PROGRAMS
    if window.period != period:
        choose_period(window, qtbot, period)
    return window.analysis_page.kind_view


def rows_by_raw(view_table, column: int) -> dict:
    return {view_table.item(r, column).data(RAW_ROLE): r for r in range(view_table.rowCount())}


def test_the_quarterly_kind_shows_the_figures_the_core_computes(demo_db, open_window, qtbot):
    window = open_window(demo_db)
    assert [window.kind_box.itemData(i) for i in range(window.kind_box.count())] == ["citizen_rights_annual", PROGRAMS]
    view = open_quarterly(window, qtbot, "1399-Q2")
    form = window.form
    assert [window.period_box.itemData(i) for i in range(window.period_box.count())] == ["1399-Q4", "1399-Q3", "1399-Q2", "1399-Q1"]

    database = open_database(demo_db, take_backups=False)
    store = ReportStore(database)
    now = analysis.status_shares(database.conn, form, "1399-Q2")
    before = analysis.status_shares(database.conn, form, "1399-Q1")
    targets = {t.indicator_id: t for t in analysis.target_shares(store, form, "1399-Q2")}
    satisfaction = {s.group: s for s in analysis.satisfaction(store, form, "1399-Q2")}
    database.close()

    # the columns fit the kind: its own answers, its words; none of the annual report's
    headers = view.actions.source.headers
    assert [s.label for s in form.statuses[:3]] == headers[2:5] and "بله" not in headers and "عدم مصداق" not in " ".join(headers)
    assert view.programs.source.headers[0] == "برنامه" and headers[0] == "اقدام"
    statuses = [s.id for s in form.statuses] + ["unanswered"]
    actions = rows_by_raw(view.actions, 1)
    assert set(actions) == {i.id for i in form.indicators}
    for indicator in form.indicators:
        row = actions[indicator.id]
        cells = [view.actions.item(row, c).data(RAW_ROLE) for c in range(view.actions.columnCount())]
        counts = now.counts[("", indicator.id)]
        assert cells[2 : 2 + len(statuses)] == [counts[s] for s in statuses]
        share, previous = cells[2 + len(statuses)], cells[3 + len(statuses)]
        assert share == done_share(now, [indicator]) and previous == done_share(before, [indicator])
        target = targets.get(indicator.id)
        assert cells[-1] == (None if target is None else target.percent) and cells[-2] == (None if target is None else target.met)
    assert any(t.met for t in targets.values())

    programs = rows_by_raw(view.programs, 1)
    assert set(programs) == {d.id for d in form.dimensions}
    for dimension in form.dimensions:
        cells = [view.programs.item(programs[dimension.id], c).data(RAW_ROLE) for c in range(view.programs.columnCount())]
        assert cells[3] == done_share(now, dimension.indicators) and cells[4] == done_share(before, dimension.indicators)
        found = satisfaction.get(dimension.id)
        assert cells[6:] == ([None] * 3 if found is None else [found.surveys, found.respondents, found.mean])
    assert any(s.surveys for s in satisfaction.values())
    assert "۱۳۹۹" in view.summary.text() and str(now.reports[""]).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in view.summary.text()

    tabs = window.analysis_page.tabs
    visible = {tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)}
    assert visible == {"برنامه‌ها و اقدام‌ها", "ارقام"}  # the annual report's «بله» shares, pivot, charts and map are hidden
    assert window.ranking_page.units.rowCount() == 0  # no score to rank a quarterly report by


def test_the_quarterly_kind_offers_only_the_exports_that_handle_it(demo_db, open_window, qtbot, messages, tmp_path):
    from ui.hq.exports import PDF, TABLES, XLSX

    window = open_window(demo_db)
    open_quarterly(window, qtbot, "1399-Q2")
    page = window.exports_page
    assert page.allowed == {TABLES} and not page.buttons[XLSX].isEnabled() and page.buttons[TABLES].isEnabled()
    assert window.export(PDF, tmp_path / "q.pdf") is False and messages and not (tmp_path / "q.pdf").exists()
    with qtbot.waitSignal(window.export_done, timeout=60000) as done:
        assert window.export(TABLES, tmp_path / "q.xlsx")
    assert done.args[0] and (tmp_path / "q.xlsx").stat().st_size > 0
    with qtbot.waitSignal(window.refreshed, timeout=20000):
        window.kind_box.setCurrentIndex(window.kind_box.findData("citizen_rights_annual"))
    assert page.allowed == set(page.buttons) and all(b.isEnabled() for b in page.buttons.values())


def test_switching_back_to_the_annual_report_restores_its_analysis(demo_db, open_window, qtbot):
    window = open_window(demo_db)
    open_quarterly(window, qtbot, "1399-Q4")
    with qtbot.waitSignal(window.refreshed, timeout=20000):
        window.kind_box.setCurrentIndex(window.kind_box.findData("citizen_rights_annual"))
    assert window.period == "1398" and window.snapshot.kind is None
    page = window.analysis_page
    assert page.tabs.isTabVisible(page.tabs.indexOf(page.shares_table.parentWidget())) and not page.tabs.isTabVisible(page.tabs.indexOf(page.kind_view))
    shares = window.snapshot.shares[None]
    first = window.form.indicators[0]
    assert page.shares_table.item(0, 2).data(RAW_ROLE) == shares.counts[("", first.id)]["yes"]
    assert window.ranking_page.units.rowCount() > 0
