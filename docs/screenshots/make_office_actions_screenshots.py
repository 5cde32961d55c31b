"""Screenshots of the report actions, headquarters' feedback, backups and settings (1366x768).

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_office_actions_screenshots.py

Everything happens in a throw-away folder (database, user data, a headquarters): the sample report
is enrolled, signed, exported as a bundle, received and returned with comments by headquarters, and
the feedback imported; then a new revision is started.
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
FOLDER = Path(tempfile.mkdtemp(prefix="screens-actions-"))
os.environ["XDG_DATA_HOME"] = str(FOLDER / "home")  # identity, settings and logs stay in the throw-away folder

from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from citizen_rights_desktop.editing.demo import demo_report  # noqa: E402
from citizen_rights_desktop.form.catalog import FormCatalog  # noqa: E402
from citizen_rights_desktop.hq import identity as hq_identity  # noqa: E402
from citizen_rights_desktop.hq import offices as hq_offices  # noqa: E402
from citizen_rights_desktop.hq import profile as hq_profile_export  # noqa: E402
from citizen_rights_desktop.hq import review as hq_review  # noqa: E402
from citizen_rights_desktop.hq.importer import Importer  # noqa: E402
from storage import ReportStore, backup, open_database  # noqa: E402
from ui import identity_dialog  # noqa: E402
from ui.app import application, build_main_window  # noqa: E402
from ui.identity_dialog import IdentityDialog  # noqa: E402

SIZE = (1366, 768)
PASSPHRASE = "گذرواژه-نمونه-۱۲۳"


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


def shoot(widget, name: str) -> None:
    settle()
    path = HERE / name
    widget.grab().save(str(path))
    print(f"wrote {path}")


def main() -> int:
    application()
    QMessageBox.information = staticmethod(lambda *a, **k: QMessageBox.Ok)

    def create(dialog):
        dialog.passphrase.setText(PASSPHRASE)
        dialog.repeat.setText(PASSPHRASE)
        return IdentityDialog.Accepted if dialog.submit() else IdentityDialog.Rejected

    IdentityDialog.exec = create
    identity_dialog.ask_passphrase = lambda *a, **k: PASSPHRASE

    db = FolderDB = FOLDER / "office.sqlite3"
    store = ReportStore(open_database(db))
    report_id = demo_report(store, FormCatalog().latest())
    store.database.close()

    hq_db = open_database(FOLDER / "hq.sqlite3", take_backups=False)
    hq = hq_identity.init_hq(hq_db, "سازمان اداری و استخدامی کشور", "hq passphrase 123")
    profile = FOLDER / "profile.json"
    profile.write_bytes(hq_profile_export.export_profile(hq_db, hq, [ROOT / "forms" / "citizen-rights-1398.yaml"]))

    window = build_main_window(FolderDB, None)
    window.resize(*SIZE)
    window.show()
    settle()
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
    wait(lambda: "signed" in done and window.workspace is not None and window.workspace.session.read_only and not window.loading)
    # 1. the signed report: read-only, the actions and «ویرایش جدید», the identity issued by headquarters
    window.workspace.go_to("i04")
    shoot(window, "signed.png")

    usb = FOLDER / "usb"
    usb.mkdir()
    actions.export_bundle(report_id, usb)
    wait(lambda: "bundle" in done)
    (crb,) = usb.glob("*.crb")
    with Importer(hq_db, hq, FormCatalog()) as importer:
        outcome = importer.import_bytes(crb.read_bytes())
    hq_review.decide(
        hq_db, outcome.submission_id, "returned", "کارشناس ستاد",
        [("i04", "نشانی درگاه اینترنتی فرآیند «صدور پروانه» را بنویسید و درصد فرآیندهای الکترونیکی را دوباره حساب کنید."),
         ("general", "لطفاً پس از اصلاح، گزارش را دوباره امضا و ارسال کنید.")],
    )  # fmt: skip
    feedback = FOLDER / "feedback.json"
    feedback.write_bytes(hq_review.feedback_file(hq_db, hq, outcome.submission_id))
    actions.import_feedback(feedback)
    wait(lambda: window.workspace is not None and not window.loading)
    # 2. the reports list: exported revision and headquarters' decision
    window.show_reports(select=report_id)
    shoot(window, "reports-exchange.png")
    # 3. a new revision, on indicator 4: headquarters' comment at the top of the page
    actions.new_revision(report_id)
    wait(lambda: window.workspace is not None and not window.loading and not window.workspace.session.read_only)
    window.workspace.go_to("i04")
    shoot(window, "feedback.png")

    # 4. the backups dialog and 5. the settings dialog
    backup.take_backup(window.store.database.conn, FolderDB, reason="daily")
    dialog = window.show_backups()
    shoot(dialog, "backups.png")
    dialog.close()
    settings = window.show_settings()
    settings.export_folder.setText(str(Path.home() / "گزارش‌ها"))
    settings.hq_profile.setText(str(profile))
    settings.font_size.setCurrentIndex(settings.font_size.findData(12))
    shoot(settings, "settings.png")
    settings.reject()
    hq_db.close()
    window.store.database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
