"""Issue 15 in the application: an inspection team starts a visit (its date and the inspected
office), fills its team on a page of its own, and an office never sees the checklist offered."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QInputDialog

from citizen_rights_desktop.editing.inspection_demo import demo_inspection, team_office, visit_report
from citizen_rights_desktop.editing.report_list import kinds_for
from citizen_rights_desktop.form.catalog import FormCatalog
from tests.ui.conftest import wait_loaded
from ui.visit_dialog import VisitDialog


def test_an_office_is_offered_reports_and_a_team_only_its_checklist():
    catalog = FormCatalog()
    assert "joint_inspection" not in [f.id for f in kinds_for(catalog, "provincial_office")]
    assert [f.id for f in kinds_for(catalog, "inspection_team")] == ["joint_inspection"]


def test_a_team_starts_a_visit_and_fills_its_team_page(qtbot, make_window, store, monkeypatch):
    store.save_office(team_office())
    window = make_window()
    window.show_reports()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (_ for _ in ()).throw(AssertionError("no kind question for a team")))
    monkeypatch.setattr("ui.visit_dialog.choose_visit", lambda _p, form, units: ("1399-07-15@fars-sabt-shiraz", "اداره ثبت اسناد و املاک شهرستان شیراز"))
    window.reports_page.new_button.click()
    ws = wait_loaded(qtbot, window)
    report = ws.session.report
    assert (report.form_id, report.period) == ("joint_inspection", "1399-07-15@fars-sabt-shiraz")
    assert report.header["inspected_office"] == "اداره ثبت اسناد و املاک شهرستان شیراز"
    assert ws.keys[ws.keys.index("header") + 1] == "team"  # the team's page right after the header
    ws.go_to("team")
    page = ws.page("team")
    assert page.tables and page.tables[0].table.id == "members"
    assert ws.tree.items["team"].text(1) != "کامل"  # no member yet: incomplete


def test_the_visit_dialog_refuses_a_bad_date_or_office_and_accepts_a_register_unit(qtbot):
    form = FormCatalog().latest("joint_inspection")
    dialog = VisitDialog(form, [("fars-sabt-shiraz", "اداره ثبت اسناد و املاک شهرستان شیراز")])
    qtbot.addWidget(dialog)
    dialog.date.setText("۱۳۹۹/۱۳/۰۱")
    dialog._accept()
    assert dialog.result() != QDialog.Accepted and "تاریخ بازدید معتبر نیست" in dialog.error.text()
    dialog.date.setText("۱۳۹۹/۰۷/۱۵")
    dialog.office.setEditText("یک اداره")  # not an id
    dialog.name.setText("یک اداره")
    dialog._accept()
    assert dialog.result() != QDialog.Accepted and "شناسه" in dialog.error.text()
    dialog.office.setCurrentIndex(1)
    assert dialog.name.text() == "اداره ثبت اسناد و املاک شهرستان شیراز"
    dialog._accept()
    assert dialog.result() == QDialog.Accepted and dialog.period == "1399-07-15@fars-sabt-shiraz"


def test_the_demo_visit_opens_complete_with_its_findings_shown(qtbot, make_window, store):
    form = FormCatalog().latest("joint_inspection")
    visit_id = demo_inspection(store, form)
    window = make_window()
    window.open_report(visit_id)
    ws = wait_loaded(qtbot, window)
    assert ws.tree.items["team"].text(1) == "کامل"
    report = store.load_report(visit_id)
    finding = next(i for i in form.indicators if report.section(i.id).status == "not_compliant")
    ws.go_to(finding.id)
    page = ws.page(finding.id)
    shown = {key[1] for key, widget in page._items.items() if widget.isVisibleTo(page)}
    assert {"corrective_action", "responsible", "corrective_deadline"} <= shown
    compliant = next(i for i in form.indicators if report.section(i.id).status == "compliant")
    ws.go_to(compliant.id)
    page = ws.page(compliant.id)
    shown = {key[1] for key, widget in page._items.items() if widget.isVisibleTo(page)}
    assert "observation" in shown and not {"corrective_action", "responsible"} & shown


def test_the_headquarters_window_rolls_up_the_visits_it_received(w, tmp_path, qtbot, open_window):
    import dataclasses

    from citizen_rights_desktop.hq import inspections as hq_inspections
    from storage import ReportStore, hq_store
    from ui.hq.common import column_texts

    form = w.catalog.latest("joint_inspection")
    visit = dataclasses.replace(visit_report(form, w.office, 1399, ("fars-sabt-shiraz", "اداره ثبت اسناد و املاک شهرستان شیراز")), state="signed")
    w.store.write_report(visit)
    database = w.hq_copy(tmp_path)
    with w.importer(database) as importer:
        assert importer.import_bytes(w.build(report=w.store.load_report(visit.id))).status == hq_store.IMPORTED
    expected = hq_inspections.visits(ReportStore(database), w.catalog, "1399")
    path = database.path
    database.close()
    window = open_window(path)
    window.period_box.setCurrentIndex(window.period_box.findData("1399"))
    page = window.inspections_page
    qtbot.waitUntil(lambda: window.snapshot is not None and window.snapshot.period == "1399" and not window.loading, timeout=20000)
    window.show_tab("inspections")
    qtbot.waitUntil(lambda: page.figures is not None and not page.loading, timeout=20000)  # computed once the tab is shown (issue 16)
    assert "۱ بازدید" in page.summary.text()
    page.grouping.setCurrentIndex(1)  # per province
    assert column_texts(page.groups, 0) == ["فارس"]
    assert page.groups.item(0, 3).text() == "۴"  # open findings
    assert len(expected) == 1 and page.dimensions.rowCount() == len(form.dimensions)
