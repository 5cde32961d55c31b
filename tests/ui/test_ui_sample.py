"""Issue 17, item 6: sample data goes to a sample database of its own, marked «نمونه», never the
real office profile; and one report per form and period in the window too."""

from __future__ import annotations

import inspect

import pytest
from PySide6.QtCore import Qt

from citizen_rights_desktop.editing.report_list import new_report
from citizen_rights_desktop.report.validation import validate_report
from citizen_rights_desktop.signing import identity
from ui.main_window import MainWindow
from ui.sample_window import SAMPLE_MARK, SAMPLE_REFUSAL_FA, open_sample_window


@pytest.fixture
def home(tmp_path, monkeypatch):
    """The user's data folder (identity, settings) in the test's own folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _loaded(qtbot, sample):
    qtbot.waitUntil(lambda: sample.inner.workspace is not None and not sample.inner.loading, timeout=20000)
    return sample.inner.workspace


def test_the_sample_opens_on_its_own_database_marked_sample_and_the_real_one_stays_empty(qtbot, make_window, db_path, home, messages):
    window = make_window()  # a first run: the setup page
    assert window.stack.currentWidget() is window.setup_page
    sample = open_sample_window(window)
    assert sample is not None and sample.isVisible()
    workspace = _loaded(qtbot, sample)
    sample_path = db_path.parent / "sample.sqlite3"
    assert sample.inner.store.database.path == sample_path
    report = workspace.session.report
    assert validate_report(workspace.session.form, report).is_complete  # the complete sample report
    # marked: the title and a banner across the top say «نمونه»
    assert sample.windowTitle().startswith(f"{SAMPLE_MARK} — ") and "گزارش سال" in sample.windowTitle()
    assert sample.banner.isVisible() and SAMPLE_MARK in sample.banner.text() and "ساختگی" in sample.banner.text()
    assert sample.banner.geometry().top() == 0 and sample.banner.width() == sample.centralWidget().width()
    # the real database is untouched: no office profile, no report; the real window still asks for its profile
    assert window.store.offices() == [] and window.store.list_reports() == []
    assert window.stack.currentWidget() is window.setup_page and SAMPLE_MARK not in window.windowTitle()
    assert open_sample_window(window) is sample  # once: brought forward, not a second one
    sample.close()
    assert sample._closed
    # the sample is kept: opened again, the same report, not a second one
    again = open_sample_window(window)
    assert again is not sample
    _loaded(qtbot, again)
    assert [r.id for r in again.inner.store.list_reports()] == [report.id]
    again.close()
    assert not messages


def test_nothing_is_signed_or_sent_from_the_sample(qtbot, make_window, home, messages):
    window = make_window()
    sample = open_sample_window(window)
    workspace = _loaded(qtbot, sample)
    report_id = workspace.session.report.id
    for name in ("sign", "bundle", "profile", "request", "certificate", "feedback"):
        assert not sample.inner.menu_actions[name].isEnabled(), name
    assert sample.inner.menu_actions["preview"].isEnabled()
    buttons = workspace.action_buttons
    assert not buttons["sign"].isVisible() and buttons["preview"].isVisible()
    sample.inner.show_reports(select=report_id)
    listed = sample.inner.reports_page.action_buttons
    assert not listed["sign"].isVisible() and not listed["bundle"].isVisible() and listed["print"].isVisible()
    sample.inner.run_action("sign", report_id)  # the wizard's button goes the same way
    sample.inner.run_action("bundle", report_id)
    assert messages == [("خطا", SAMPLE_REFUSAL_FA)] * 2
    assert sample.inner.store.load_report(report_id).state == "draft"
    assert not identity.default_identity_path().exists()  # no identity was made for it
    sample.close()


HOOKED = "open_sample_window" in inspect.getsource(MainWindow.open_sample)


@pytest.mark.skipif(not HOOKED, reason="waits for MainWindow.open_sample to call ui.sample_window.open_sample_window")
def test_the_setup_pages_sample_button_opens_the_sample_window(qtbot, make_window, home, messages):
    window = make_window()
    qtbot.mouseClick(window.setup_page.sample_button, Qt.LeftButton)
    sample = window.sample_window
    _loaded(qtbot, sample)
    assert SAMPLE_MARK in sample.windowTitle()
    assert window.store.offices() == [] and window.store.list_reports() == []
    sample.close()


def test_a_second_report_for_a_year_is_refused_in_persian(qtbot, make_window, store, office_id, messages):
    form = make_window().catalog.latest()
    period = str(form.guideline_year)
    first = new_report(store, form, office_id, period)
    window = make_window()
    window.show_reports(select=first)
    assert window.create_report(period, office_id=office_id) is None
    ((_title, text),) = messages
    assert "پیش‌تر ساخته شده است" in text and "ویرایش جدید" in text
    assert [r.id for r in store.list_reports()] == [first]
