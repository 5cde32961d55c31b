"""Issue 16: the headquarters window's filters apply to every page's figures, as the CLI's do."""

from __future__ import annotations

from PySide6.QtCore import Qt

from citizen_rights_desktop.hq import completeness as hq_completeness
from storage import open_database
from ui.hq.common import RAW_ROLE


def test_a_province_filter_narrows_every_page_and_clearing_it_restores_them(sample_db, open_window, qtbot, form):
    database = open_database(sample_db, take_backups=False)
    everything = hq_completeness.completeness(database.conn, form, "1398")
    database.close()
    fars = everything.in_province("fars")
    window = open_window(sample_db)
    with qtbot.waitSignal(window.refreshed, timeout=20000):
        window.filters.set(province="fars")
    snapshot = window.snapshot
    assert sorted(u.unit_id for u in snapshot.completeness.units) == sorted(u.unit_id for u in fars)
    assert {s.province for s in snapshot.submissions} <= {"fars"}
    ranked = window.ranking_page.units
    assert {ranked.item(r, 1).data(RAW_ROLE) for r in range(ranked.rowCount())} <= {u.unit_id for u in fars}
    with qtbot.waitSignal(window.refreshed, timeout=20000):
        window.filters.set()
    assert window.snapshot.completeness.counts == everything.counts


def test_a_header_click_sorts_a_table_by_its_raw_values(sample_db, open_window):
    window = open_window(sample_db)
    table = window.ranking_page.units
    scores = [table.item(r, 3).data(RAW_ROLE) for r in range(table.rowCount())]
    table.sortByColumn(3, Qt.AscendingOrder)
    ascending = [table.item(r, 3).data(RAW_ROLE) for r in range(table.rowCount())]
    numbers = [s for s in ascending if s is not None]
    assert numbers == sorted(numbers) and sorted(map(str, scores)) == sorted(map(str, ascending))


def test_an_agency_type_typed_in_the_window_filters_like_the_cli(sample_db, open_window, qtbot):
    from citizen_rights_desktop.hq.inspections import agency_of

    window = open_window(sample_db)
    names = {u.unit_id: u.name for u in window.snapshot.completeness.units}
    with qtbot.waitSignal(window.refreshed, timeout=20000):
        window.filters.set(agency_type="بهزیستی")
    shown = window.snapshot.completeness.units
    assert shown and all("بهزیستی" in agency_of(names[u.unit_id]) for u in shown)
    assert len(shown) == sum(1 for n in names.values() if "بهزیستی" in agency_of(n))


def test_the_units_table_names_each_units_county_for_the_drill_down(sample_db, open_window):
    window = open_window(sample_db)
    page = window.completeness_page
    counties = dict(window.database.conn.execute("SELECT id, county FROM office WHERE county != ''"))
    assert counties
    shown = {page.units.item(r, 0).data(RAW_ROLE): page.units.item(r, 6).text() for r in range(page.units.rowCount())}
    assert all(shown[unit] == county for unit, county in counties.items() if unit in shown)
    assert any(shown.get(unit) for unit in counties)
