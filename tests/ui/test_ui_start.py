"""Start-up: the application's setup, first run, reports list and database errors."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLibraryInfo, QLocale, Qt
from PySide6.QtGui import QFontInfo, QPixmap
from PySide6.QtWidgets import QApplication

from citizen_rights_desktop.editing.editor import ReportEditor
from citizen_rights_desktop.editing.report_list import new_report
from citizen_rights_desktop.paths import default_database_path
from storage.database import open_database
from tests.ui.conftest import type_text, wait_loaded
from ui.app import application, run


def test_application_is_persian_right_to_left():
    app = application()
    assert app.layoutDirection() == Qt.RightToLeft
    assert QFontInfo(app.font()).family() == "Vazirmatn"
    assert QLocale().language() == QLocale.Persian
    translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    assert app._citizen_rights_translators, translations
    # Qt's own dialogs speak Persian
    assert QApplication.translate("QPlatformTheme", "Cancel") != "Cancel"


def test_first_run_setup_creates_the_office_and_a_report(qtbot, make_window, store, form, tmp_path):
    window = make_window()
    setup = window.setup_page
    assert window.stack.currentWidget() is setup
    assert setup.sample_button.isVisible()
    type_text(setup.agency, "اداره کل راه و شهرسازی استان گیلان")
    setup.level.setCurrentIndex(setup.level.findData("county_office"))
    setup.province.setCurrentIndex(setup.province.findData("gilan"))
    assert setup.county.isEnabled()
    type_text(setup.county, "رشت")
    type_text(setup.head_name, "حسین کریمی")
    type_text(setup.head_title, "رئیس اداره")
    type_text(setup.letter_prefix, "۳۴/ر/")
    emblem = tmp_path / "emblem.png"
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.darkGreen)
    pixmap.save(str(emblem))
    assert setup.set_emblem(emblem)
    qtbot.mouseClick(setup.save_button, Qt.LeftButton)
    workspace = wait_loaded(qtbot, window)

    (office,) = store.offices()
    assert (office.agency, office.level, office.province, office.county) == ("اداره کل راه و شهرسازی استان گیلان", "county_office", "gilan", "رشت")
    assert (office.head_name, office.head_title, office.letter_prefix) == ("حسین کریمی", "رئیس اداره", "۳۴/ر/")
    assert store.evidence_bytes(office.emblem_sha256) == emblem.read_bytes()
    (summary,) = store.list_reports()
    assert summary.office_id == office.id and summary.period == str(form.guideline_year)
    assert workspace.session.report.id == summary.id
    assert store.load_report(summary.id).header == {"agency": "اداره کل راه و شهرسازی استان گیلان", "head": "حسین کریمی، رئیس اداره"}


def test_setup_says_what_is_missing(qtbot, make_window, store):
    window = make_window()
    setup = window.setup_page
    setup.level.setCurrentIndex(setup.level.findData("county_governorate"))
    qtbot.mouseClick(setup.save_button, Qt.LeftButton)
    assert setup.problems.isVisibleTo(setup)
    assert setup.problems.text().splitlines() == ["نام دستگاه اجرایی لازم است.", "استان را انتخاب کنید.", "نام شهرستان لازم است."]
    # the list follows the corrections: a fixed problem disappears at once (issue 17, item 9)
    setup.province.setCurrentIndex(setup.province.findData("fars"))
    assert setup.problems.text().splitlines() == ["نام دستگاه اجرایی لازم است.", "نام شهرستان لازم است."]
    setup.agency.setText("اداره کل ثبت")
    setup.county.setText("شیراز")
    assert not setup.problems.isVisibleTo(setup)
    assert store.offices() == []
    assert window.stack.currentWidget() is setup


def test_try_with_sample_data(qtbot, make_window, store, tmp_path, monkeypatch):
    """The sample report opens complete, in its own window and database: the real one stays empty."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    window = make_window()
    qtbot.mouseClick(window.setup_page.sample_button, Qt.LeftButton)
    sample = window.sample_window
    qtbot.waitUntil(lambda: sample.inner.workspace is not None and not sample.inner.loading, timeout=20000)
    workspace = sample.inner.workspace
    assert store.list_reports() == []
    (summary,) = sample.inner.store.list_reports()
    assert workspace.session.report.id == summary.id
    assert workspace.completeness.text() == "درصد تکمیل: ۱۰۰٪"
    assert all(workspace.items[ind].text(1) in ("کامل", "عدم مصداق") for ind in workspace.form._by_id)
    sample.close()


def test_reports_list(qtbot, make_window, store, form, demo_id, office_id):
    fresh = new_report(store, form, office_id, "1399")
    editor = ReportEditor(store, form, fresh)
    editor.set_status("i01", "no")
    editor.set_reason("i01", "دلیل")
    window = make_window()
    page = window.reports_page
    assert window.stack.currentWidget() is page
    rows = {page.entries[r].id: [page.table.item(r, c).text() for c in range(page.table.columnCount())] for r in range(page.table.rowCount())}
    assert set(rows) == {demo_id, fresh}
    deadline_days = (form.deadline - dt.date.today()).days
    expected_days = f"مهلت گذشته ({''.join('۰۱۲۳۴۵۶۷۸۹'[int(d)] for d in str(-deadline_days))} روز)"
    demo_row = rows[demo_id]
    assert demo_row[0] == "اداره کل ثبت اسناد و املاک استان فارس"
    assert demo_row[1] == form.title
    assert demo_row[2:5] == ["۱۳۹۸", "تکمیل شده", "۱۰۰٪"]
    assert demo_row[6] == expected_days
    assert rows[fresh][2:5] == ["۱۳۹۹", "پیش‌نویس", "۳٫۴٪"]
    assert rows[fresh][5][:2] in ("۱۴", "۱۵")  # a Jalali year, Persian digits
    assert "/" in rows[fresh][5]

    # start next year's report from the demo one
    copy_id = window.duplicate(demo_id, "1399")
    assert copy_id in {e.id for e in page.entries} and page.selected_id() == copy_id
    copied = store.load_report(copy_id)
    assert copied.period == "1399" and copied.section("i04").row_cells("processes") == store.load_report(demo_id).section("i04").row_cells("processes")

    # open by double click
    row = next(r for r, e in enumerate(page.entries) if e.id == fresh)
    rect = page.table.visualItemRect(page.table.item(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.LeftButton, pos=rect.center())
    workspace = wait_loaded(qtbot, window)
    assert workspace.session.report.id == fresh
    assert workspace.items["i01"].text(1) == "کامل"
    qtbot.mouseClick(workspace.back_button, Qt.LeftButton)
    assert window.stack.currentWidget() is page and window.workspace is None

    # a new report for the office
    new_id = window.create_report("1400")
    wait_loaded(qtbot, window)
    assert store.load_report(new_id).period == "1400"


def test_database_error_is_shown_and_the_file_left_untouched(qtbot, tmp_path, messages):
    broken = tmp_path / "reports.sqlite3"
    content = b"this is not a database" * 100
    broken.write_bytes(content)
    assert run(db_path=broken, forms=None) != 0
    assert len(messages) == 1
    title, text = messages[0]
    assert title == "خطای پایگاه داده"
    assert text.startswith(f"پایگاه داده «{broken}» قابل خواندن نیست.")
    assert broken.read_bytes() == content


def test_database_too_new(qtbot, tmp_path, messages):
    path = tmp_path / "new.sqlite3"
    database = open_database(path)
    database.conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x')")
    database.close()
    before = path.read_bytes()
    assert run(db_path=path, forms=None) == 2
    assert messages == [("خطای پایگاه داده", "این پایگاه داده با نسخه جدیدتری از نرم‌افزار ساخته شده است؛ برای باز کردن آن نسخه جدید را نصب کنید.")]
    assert path.read_bytes() == before


def test_default_database_path_is_used(monkeypatch, tmp_path, qtbot, messages):
    import ui.app as app_module

    seen = []
    monkeypatch.setattr(app_module, "default_database_path", lambda: seen.append(1) or tmp_path / "default.sqlite3")
    window = app_module.build_main_window(None, None)
    qtbot.addWidget(window)
    assert seen and window.store.database.path == tmp_path / "default.sqlite3"
    window.store.database.close()
    assert default_database_path().name == "reports.sqlite3"


RUN_AND_CLOSE = """
import json, sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from ui import app as app_module
QMessageBox.critical = lambda *a, **k: print("MESSAGE", a[2]) or QMessageBox.Ok
seen = []
def check():
    shells = [w for w in QApplication.topLevelWidgets() if isinstance(w, app_module.Shell) and w.isVisible()]
    if not shells or shells[0].inner is None:
        QTimer.singleShot(50, check)
        return
    inner = shells[0].inner
    seen.append([inner.stack.currentWidget() is inner.reports_page, [e.id for e in inner.reports_page.entries], shells[0].windowTitle()])
    shells[0].close()  # the last window: the application quits
app_module.application()
QTimer.singleShot(0, check)
code = app_module.run(db_path={db!r}, forms=None)
print(json.dumps({{"code": code, "seen": seen}}))
"""


def test_run_shows_the_window_then_the_reports(db_path, store, demo_id):
    """``citizen-rights`` with no command: a real start in its own process, closed by the user."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])
    code = RUN_AND_CLOSE.format(root=root, db=str(db_path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"code": 0, "seen": [[True, [demo_id], "گزارش حقوق شهروندی در نظام اداری"]]}


def test_a_draft_is_deleted_from_the_list_after_a_question(qtbot, make_window, store, form, demo_id, monkeypatch):
    """Issue 17, item 6: there was no way to delete a report."""
    from PySide6.QtWidgets import QMessageBox

    from citizen_rights_desktop.editing.report_list import new_report

    draft = new_report(store, form, store.load_report(demo_id).office_id, "1399")
    window = make_window()
    window.show_reports(select=draft)
    page = window.reports_page
    assert page.delete_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.No)
    qtbot.mouseClick(page.delete_button, Qt.LeftButton)
    assert draft in [e.id for e in page.entries]  # "No": nothing deleted
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    window.show_reports(select=draft)
    qtbot.mouseClick(page.delete_button, Qt.LeftButton)
    assert draft not in [e.id for e in page.entries] and demo_id in [e.id for e in page.entries]
    store.set_state(demo_id, "signed")
    window.show_reports(select=demo_id)
    assert not page.delete_button.isEnabled()  # a signed report is a record
