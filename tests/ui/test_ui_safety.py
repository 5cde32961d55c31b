"""Issue 7 in the office window: one instance per database, the crash dialog and its log entry,
restoring a backup, the font-size setting."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from citizen_rights_desktop.editing.editor import ReportEditor
from citizen_rights_desktop.report import answers_document
from storage import backup, open_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    return tmp_path / "home"


def test_second_instance_is_refused_and_the_file_untouched(db_path, messages):
    from ui.app import EXIT_IN_USE, run

    open_database(db_path).close()
    before = (db_path.read_bytes(), db_path.stat().st_mtime_ns)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from storage.lock import InstanceLock; held = InstanceLock(sys.argv[1]).acquire(); print('locked', flush=True); sys.stdin.read()", str(db_path)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert run(db_path, None) == EXIT_IN_USE
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    ((title, text),) = messages
    assert "در پنجره دیگری" in text and title
    assert (db_path.read_bytes(), db_path.stat().st_mtime_ns) == before
    assert not Path(str(db_path) + "-wal").exists() or Path(str(db_path) + "-wal").stat().st_size == 0


class _Emitter(QObject):
    fire = Signal()


@pytest.mark.qt_no_exception_capture
def test_unexpected_error_shows_the_dialog_and_logs_no_answer(qtbot, tmp_path, messages):
    from citizen_rights_desktop.app_log import setup_logging
    from ui import crash
    from ui.app import application

    application()
    log = setup_logging(tmp_path / "logs")
    crash.install(log)
    secret = "شکایت آقای محمدی درباره پرونده ۴۵۶"

    def slot() -> None:
        raise ValueError(f"answer: {secret}")

    emitter = _Emitter()
    emitter.fire.connect(slot)
    emitter.fire.emit()  # an exception in a Qt slot goes to sys.excepthook
    ((title, text),) = messages
    assert title == crash.TITLE and str(log) in text and secret not in text
    for handler in logging.getLogger("citizen_rights").handlers:
        handler.flush()
    content = log.read_text(encoding="utf-8")
    assert "unexpected error: builtins.ValueError" in content and "test_ui_safety.py" in content
    assert secret not in content and "answer" not in content


def test_restore_from_a_backup_brings_back_the_saved_answers(qtbot, make_window, store, demo_id, form, db_path, monkeypatch, messages):
    def snapshot():
        report = store.load_report(demo_id)
        return answers_document.dumps(answers_document.to_document(report, store.get_office(report.office_id), None))

    saved = snapshot()
    window = make_window()
    taken = backup.take_backup(window.store.database.conn, db_path, reason="daily")
    editor = ReportEditor(store, form, demo_id)
    editor.set_status("i04", "no")
    editor.set_reason("i04", "پس از پشتیبان تغییر کرد")
    editor.set_header("head", "نام دیگر")
    assert snapshot() != saved

    window.open_report(demo_id)
    qtbot.waitUntil(lambda: window.workspace is not None and not window.loading, timeout=10000)
    dialog = window.show_backups()
    row = next(i for i, b in enumerate(dialog.backups) if b.path == taken)
    assert dialog.table.item(row, 1).text() == "خودکار روزانه" and dialog.table.item(row, 0).text().startswith("۱۴")
    assert "کیلوبایت" in dialog.table.item(row, 2).text() or "مگابایت" in dialog.table.item(row, 2).text()
    dialog.select(row)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.Ok)
    assert dialog.selected() is not None, row
    assert dialog.restore_selected(), (messages, asked)
    assert asked and "برمی‌گردند" in asked[0]
    assert snapshot() == saved
    assert window.workspace is None and window.stack.currentWidget() is window.reports_page
    reasons = [b.reason for b in backup.list_backups(db_path)]
    assert "before-restore" in reasons  # the state before the restore is kept too

    # «پشتیبان‌گیری اکنون» into a chosen folder
    usb = Path(str(db_path.parent.parent / "usb"))
    usb.mkdir()
    copy = dialog.backup_now(usb)
    assert copy is not None and copy.parent == usb
    restored = open_database(copy, take_backups=False)
    try:
        assert restored.conn.execute("SELECT COUNT(*) FROM report").fetchone()[0] == 1
    finally:
        restored.close()


def test_font_size_setting_is_applied_now_and_at_start(qtbot, make_window, demo_id, tmp_path):
    from citizen_rights_desktop.settings import load_settings
    from ui.app import application, apply_saved_settings

    app = application()
    original = app.font().pointSize()
    try:
        window = make_window()
        dialog = window.show_settings()
        dialog.font_size.setCurrentIndex(dialog.font_size.findData(16))
        assert app.font().pointSize() == 16  # previewed at once
        dialog.export_folder.setText(str(tmp_path))
        assert dialog.save()
        assert window.settings.font_size == 16 and window.settings.export_folder == str(tmp_path)
        assert load_settings().font_size == 16
        QApplication.processEvents()
        assert window.reports_page.table.font().pointSize() == 16
        app.setFont(app.font().__class__(app.font().family(), original))
        apply_saved_settings(app)  # what run() does at start
        assert app.font().pointSize() == 16
        assert window.actions._export_folder() == str(tmp_path)
    finally:
        font = app.font()
        font.setPointSize(original)
        app.setFont(font)
