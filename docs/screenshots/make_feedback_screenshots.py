"""Take the issue-17 feedback screenshots (1366x768) into this folder:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_feedback_screenshots.py

- ``sample-database.png``: the sample window (its own database, the «نمونه» banner; the window's
  title, which a screenshot of the window does not include, is written in a strip above it);
- ``rule-beside-field.png``: indicator 12 with more disrespect complaints than complaints, the
  rule's message under both fields as well as in the list at the top;
- ``set-aside.png``: a 1398.1 draft moved to 1398.2, indicator 29's page with the answer set aside.

Uses throw-away databases and user data folder. ``--out DIR`` writes elsewhere.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from make_screenshots import scroll_to, settle, wait_loaded
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap

from citizen_rights_desktop.editing.demo import demo_report
from citizen_rights_desktop.editing.editor import ReportEditor
from citizen_rights_desktop.editing.report_list import new_report
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.form.loader import load_form
from storage import ReportStore, open_database
from ui.app import application, apply_saved_settings, build_main_window

SIZE = (1366, 768)
FORM_1398 = ROOT / "forms" / "citizen-rights-1398.yaml"


def save(pixmap: QPixmap, out: Path, name: str) -> None:
    path = out / name
    pixmap.save(str(path))
    print(f"wrote {path}")


def with_title(window) -> QPixmap:
    """The window's picture under a strip that shows its title (the title bar is the system's)."""
    shot = window.grab()
    strip = 30
    image = QPixmap(shot.width(), shot.height() + strip)
    image.fill(QColor("#d9dde3"))
    painter = QPainter(image)
    font = QFont(window.font())
    font.setPointSize(10)
    painter.setFont(font)
    painter.setPen(QColor("#1b1b1b"))
    painter.drawText(QRect(12, 0, shot.width() - 24, strip), Qt.AlignVCenter | Qt.AlignRight, f"عنوان پنجره: {window.windowTitle()}")
    painter.drawPixmap(0, strip, shot)
    painter.end()
    return image


def sample_database(folder: Path, out: Path) -> None:
    from ui.sample_window import open_sample_window

    window = build_main_window(folder / "reports.sqlite3", None)  # a first run: the setup page
    window.resize(*SIZE)
    window.show()
    settle(window)
    sample = open_sample_window(window)
    sample.resize(*SIZE)
    wait_loaded(sample.inner)
    sample.inner.show_reports(select=sample.inner.store.list_reports()[0].id)
    settle(sample, 0.5)
    save(with_title(sample), out, "sample-database.png")
    sample.close()
    window.close()


def rule_beside_field(folder: Path, out: Path) -> None:
    window = build_main_window(folder / "rule.sqlite3", None)
    store, form = window.store, load_form(FORM_1398)
    office_id = store.load_report(demo_report(store, form)).office_id
    report_id = new_report(store, form, office_id, "1399")
    editor = ReportEditor(store, form, report_id)
    editor.set_status("i12", "yes")
    editor.set_value("i12", "system_description", "سامانه ۱۱۱ استان و میز خدمت حضوری؛ هر شکایت شماره پیگیری می‌گیرد.")
    editor.set_value("i12", "strengths", "پاسخ در کمتر از ده روز کاری؛ پیگیری پیامکی.")
    editor.set_value("i12", "weaknesses", "دسترسی نداشتن شهرستان‌های دور به میز خدمت حضوری.")
    editor.set_value("i12", "complaints_total", "40")
    editor.set_value("i12", "complaints_disrespect", "55")
    window.resize(*SIZE)
    window.show()
    window.open_report(report_id, "i12")
    wait_loaded(window)
    window.workspace.revalidate()
    page = window.workspace.page("i12")
    scroll_to(page, page.field_editors["weaknesses"], margin=8)
    settle(window, 0.5)
    save(window.grab(), out, "rule-beside-field.png")
    window.close()


def set_aside(folder: Path, out: Path) -> None:
    path = folder / "upgrade.sqlite3"
    database = open_database(path)
    store, old = ReportStore(database, actor="screenshots"), FormCatalog().get("citizen_rights_annual", "1398.1")
    report_id = demo_report(store, old)
    editor = ReportEditor(store, old, report_id)
    editor.set_status("i29", "yes")
    editor.set_value("i29", "submission_date", "1399/02/20")
    database.close()
    window = build_main_window(path, None)  # moves the draft to 1398.2, as at every start
    window.resize(*SIZE)
    window.show()
    window.open_report(report_id, "i29")
    wait_loaded(window)
    page = window.workspace.page("i29")
    scroll_to(page, page.set_aside, margin=220)
    settle(window, 0.5)
    save(window.grab(), out, "set-aside.png")
    window.close()


def main() -> None:
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else HERE
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        os.environ["XDG_DATA_HOME"] = str(folder / "home")  # settings, identity: not the user's
        app = application()
        apply_saved_settings(app)
        sample_database(folder, out)
        rule_beside_field(folder, out)
        set_aside(folder, out)


if __name__ == "__main__":
    main()
