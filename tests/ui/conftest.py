"""Helpers for driving the office application in tests (offscreen, see tests/conftest.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt, QThreadPool
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from citizen_rights_desktop.editing.demo import generate_reports
from citizen_rights_desktop.editing.digest import refresh_digests
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import sample as hq_sample
from citizen_rights_desktop.report.office import OfficeProfile
from storage import ReportStore, open_database
from ui.app import application
from ui.hq.app import build_hq_window


def type_text(widget, text: str) -> None:
    """Type ``text`` one key event per character (qtbot.keyClicks aborts on Persian text)."""
    for char in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, char))


def press(widget, key) -> None:
    for kind in (QEvent.KeyPress, QEvent.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.NoModifier))


@pytest.fixture
def messages(monkeypatch):
    """Every QMessageBox.critical / warning shown, as (title, text); questions answered Yes."""
    shown: list[tuple[str, str]] = []

    def capture(_parent, title, text, *args, **kwargs):
        shown.append((title, text))
        return QMessageBox.Ok

    monkeypatch.setattr(QMessageBox, "critical", capture)
    monkeypatch.setattr(QMessageBox, "warning", capture)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    return shown


@pytest.fixture
def opened_urls(monkeypatch):
    from PySide6.QtGui import QDesktopServices

    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


@pytest.fixture
def office_id(store) -> str:
    office = OfficeProfile(
        id="", agency="اداره کل بهزیستی استان یزد", level="provincial_office", province="yazd",
        head_name="مریم احمدی", head_title="مدیر کل", letter_prefix="۱۲/ب/",
    )  # fmt: skip
    return store.save_office(office)


@pytest.fixture
def make_window(qtbot, db_path, messages):
    """A main window on the test database (built as ``run()`` builds it)."""
    from PySide6.QtCore import QThreadPool

    from ui.app import application, build_main_window

    application()
    windows = []

    def make():
        window = build_main_window(db_path, None)
        assert window is not None, messages
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        QApplication.processEvents()  # lay out the pages (scroll areas) before clicking in them
        windows.append(window)
        return window

    yield make
    QThreadPool.globalInstance().waitForDone()
    for window in windows:
        window.store.database.close()


def wait_loaded(qtbot, window):
    qtbot.waitUntil(lambda: window.workspace is not None and not window.loading, timeout=10000)
    return window.workspace


@pytest.fixture
def catalog():
    return FormCatalog()


# --- the headquarters window (tests/ui/test_hq_window.py) ---------------------------------------


@pytest.fixture
def hq_infos(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: shown.append((title, text)) or QMessageBox.Ok)
    return shown


@pytest.fixture
def open_window(qtbot, messages, hq_infos):
    application()
    windows = []

    def make(path, wait=True):
        window = build_hq_window(path, None)
        assert window is not None, messages
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        if wait:
            qtbot.waitUntil(lambda: window.snapshot is not None and not window.loading, timeout=20000)
        return window

    yield make
    QThreadPool.globalInstance().waitForDone()
    for window in windows:
        window.database.close()
        window.instance_lock.release()


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory, form):
    """A headquarters database: 90 generated reports across all provinces, org units, submissions
    (some late, a tenth of the units missing, a few revised) — as tests/test_hq_completeness.py makes."""
    path = tmp_path_factory.mktemp("hq-window") / "hq.sqlite3"
    database = open_database(path, take_backups=False)
    store = ReportStore(database, actor="tester")
    generate_reports(store, form, 90, seed=5)
    hq_sample.register_sample_submissions(database, form, seed=5, revised=4)
    refresh_digests(store)
    database.close()
    return path


@pytest.fixture
def yes_page(qtbot, make_window, store, form, office_id):
    """``yes_page(indicator_id)``: a new report open in the wizard on that indicator, answered yes;
    returns (report id, workspace, page)."""
    from citizen_rights_desktop.editing.report_list import new_report

    def open_page(indicator_id: str):
        report_id = new_report(store, form, office_id)
        window = make_window()
        window.open_report(report_id)
        workspace = wait_loaded(qtbot, window)
        workspace.go_to(indicator_id)
        page = workspace.page(indicator_id)
        page.set_status("yes")
        return report_id, workspace, page

    return open_page
