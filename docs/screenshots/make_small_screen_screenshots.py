"""Screenshots of the office window on a small screen (1024×600) and at font size 24 (issue 17).

    xvfb-run -a -s "-screen 0 1024x600x24" .venv/bin/python docs/screenshots/make_small_screen_screenshots.py

Everything happens in a throw-away folder (database, user data, a headquarters): the sample report
is signed, sent as a bundle and returned with comments by headquarters (so the reports list's send
column has something to say), a new revision is started, and a report for 1399 is partly answered
(so the review page lists what is missing). Then, at the default font (``small-*.png``) and at 24
points (``font24-*.png``): the reports list, its send column, indicator 4 with its table, and the
review page; at 24 points also the wizard with its side panel hidden (Ctrl+B), the settings, a
file dialog and the Jalali calendar. ``--out DIR`` writes elsewhere.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
FOLDER = Path(tempfile.mkdtemp(prefix="screens-small-"))
os.environ["XDG_DATA_HOME"] = str(
    FOLDER / "home"
)  # identity, settings and logs stay in the throw-away folder

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QMessageBox

from citizen_rights_desktop.editing.demo import demo_report
from citizen_rights_desktop.editing.editor import ReportEditor
from citizen_rights_desktop.editing.report_list import new_report
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import identity as hq_identity
from citizen_rights_desktop.hq import offices as hq_offices
from citizen_rights_desktop.hq import profile as hq_profile_export
from citizen_rights_desktop.hq import review as hq_review
from citizen_rights_desktop.hq.importer import Importer
from storage import ReportStore, open_database
from ui import file_dialogs, identity_dialog
from ui.app import application, build_main_window
from ui.identity_dialog import IdentityDialog
from ui.jalali_calendar import JalaliCalendar
from ui.settings_dialog import apply_font_size

SIZE = (1024, 600)
PASSPHRASE = "گذرواژه-نمونه-۱۲۳"
OUT = HERE


def settle(seconds: float = 0.4) -> None:
    end = time.time() + seconds
    while time.time() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def wait(condition, seconds: float = 30) -> None:
    end = time.time() + seconds
    while not condition() and time.time() < end:
        QApplication.processEvents()
        time.sleep(0.01)
    settle()


def shoot(widget, name: str, rect: QRect | None = None) -> None:
    settle()
    path = OUT / name
    (widget.grab(rect) if rect is not None else widget.grab()).save(str(path))
    print(f"wrote {path}")


def exchanged(window, report_id: str) -> str:
    """Enrol with a throw-away headquarters, sign, send, get the report returned with comments;
    returns the new revision (a draft) started after the comments."""
    hq_db = open_database(FOLDER / "hq.sqlite3", take_backups=False)
    hq = hq_identity.init_hq(hq_db, "سازمان اداری و استخدامی کشور", "hq passphrase 123")
    profile = FOLDER / "profile.json"
    profile.write_bytes(
        hq_profile_export.export_profile(hq_db, hq, [ROOT / "forms" / "citizen-rights-1398.yaml"])
    )
    actions = window.actions
    actions.import_profile(profile)
    request = actions.export_request(FOLDER / "request.pem")
    issued = FOLDER / "cert.pem"
    issued.write_bytes(hq_offices.enrol(hq_db, hq, request.read_bytes()))
    actions.import_certificate(issued)
    done = []
    actions.done.connect(lambda name, _result: done.append(name))
    window.open_report(report_id)
    wait(lambda: window.workspace is not None and not window.loading)
    actions.save_signed(report_id, FOLDER / "signed.pdf")
    wait(
        lambda: (
            "signed" in done
            and window.workspace is not None
            and window.workspace.session.read_only
            and not window.loading
        )
    )
    usb = FOLDER / "usb"
    usb.mkdir()
    actions.export_bundle(report_id, usb)
    wait(lambda: "bundle" in done)
    (crb,) = usb.glob("*.crb")
    with Importer(hq_db, hq, FormCatalog()) as importer:
        outcome = importer.import_bytes(crb.read_bytes())
    hq_review.decide(hq_db, outcome.submission_id, "returned", "کارشناس ستاد",
                     [("i04", "نشانی درگاه اینترنتی فرآیند «صدور پروانه» را بنویسید.")])  # fmt: skip
    feedback = FOLDER / "feedback.json"
    feedback.write_bytes(hq_review.feedback_file(hq_db, hq, outcome.submission_id))
    actions.import_feedback(feedback)
    wait(lambda: not window.loading)
    actions.new_revision(report_id)
    wait(
        lambda: window.workspace is not None and not window.loading and not window.workspace.session.read_only
    )
    hq_db.close()
    return window.workspace.session.report.id


def partly_answered(store, form, office_id: str) -> str:
    report_id = new_report(store, form, office_id, "1399")
    editor = ReportEditor(store, form, report_id)
    editor.set_status("i01", "no")
    editor.set_reason("i01", "فهرست خدمات در دست بازنگری است.")
    editor.set_status("i04", "yes")
    editor.paste_rows(
        "i04", "processes", "صدور سند\tالکترونیکی شده اند\t\nاستعلام ملکی\tالکترونیکی نشده اند\t\n"
    )
    return report_id


def pictures(window, prefix: str, sent_id: str, draft_id: str, fresh_id: str) -> None:
    window.resize(*SIZE)
    window.show_reports(select=sent_id)
    shoot(window, f"{prefix}-reports.png")
    page = window.reports_page
    bar = page.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())  # at a large font the page scrolls: down to its table
    settle()
    shoot(window, f"{prefix}-send-column.png")  # the whole table in view, its send column on the left

    window.open_report(draft_id)  # the revision headquarters commented on
    wait(lambda: window.workspace is not None and not window.loading)
    workspace = window.workspace
    workspace.go_to("i04")
    indicator = workspace.page("i04")
    settle()
    tables = getattr(indicator, "tables", [])
    if tables:  # the table in view, under the question it belongs to
        indicator.verticalScrollBar().setValue(
            max(0, tables[0].mapTo(indicator.widget(), QPoint(0, 0)).y() - 12)
        )
    shoot(window, f"{prefix}-i04.png")
    if prefix == "font24":
        window.menu_actions["side_panel"].trigger()  # Ctrl+B: the page gets the whole width
        shoot(window, f"{prefix}-i04-side-panel-hidden.png")
        window.menu_actions["side_panel"].trigger()

    window.open_report(fresh_id)
    wait(lambda: window.workspace is not None and not window.loading)
    window.workspace.go_to("review")
    shoot(window, f"{prefix}-review.png")


def dialogs(window) -> None:
    settings = window.show_settings()
    settings.font_size.setCurrentIndex(settings.font_size.findData(24))  # the size in use
    settle()
    shoot(settings, "font24-settings.png")
    settings.reject()
    apply_font_size(24)
    dialog = file_dialogs.make_dialog(window, "افزودن مستند", "evidence", "open", start=str(HERE))
    dialog.show()
    settle(1.5)
    shoot(dialog, "font24-file-dialog.png")
    dialog.reject()
    calendar = JalaliCalendar()
    calendar.resize(calendar.sizeHint())
    calendar.show()
    shoot(calendar, "font24-calendar.png")
    calendar.close()


def main() -> int:
    global OUT
    if "--out" in sys.argv:
        OUT = Path(sys.argv[sys.argv.index("--out") + 1])
        OUT.mkdir(parents=True, exist_ok=True)
    application()
    QMessageBox.information = staticmethod(lambda *a, **k: QMessageBox.Ok)

    def create(dialog):
        dialog.passphrase.setText(PASSPHRASE)
        dialog.repeat.setText(PASSPHRASE)
        return IdentityDialog.Accepted if dialog.submit() else IdentityDialog.Rejected

    IdentityDialog.exec = create
    identity_dialog.ask_passphrase = lambda *a, **k: PASSPHRASE

    db = FOLDER / "office.sqlite3"
    store = ReportStore(open_database(db))
    form = FormCatalog().latest()
    sent_id = demo_report(store, form)
    fresh_id = partly_answered(store, form, store.load_report(sent_id).office_id)
    store.database.close()

    apply_font_size(11)
    window = build_main_window(db, None)
    window.resize(*SIZE)
    window.show()
    settle()
    draft_id = exchanged(window, sent_id)
    pictures(window, "small", sent_id, draft_id, fresh_id)
    apply_font_size(24)  # as the settings do: on the open window
    pictures(window, "font24", sent_id, draft_id, fresh_id)
    dialogs(window)
    window.store.database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
