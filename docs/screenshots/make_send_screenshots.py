"""Screenshots of the send column (issue 18) in each state, 1366x768:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_send_screenshots.py

A throw-away office database with the signed sample report and a 1399 draft. The outbox row of the
sample report is moved through its states; the upload itself is the application's background sender
driven by a stand-in for ``exchange.sender.Sender`` (no headquarters service is needed here):

- send-queued.png: queued, the key not unlocked yet: the strip «برای ادامه ارسال، گذرواژه کلید را وارد کنید»
- send-uploading.png: uploading 45 %, sending in the background
- send-received.png: received, headquarters' receipt under the table
- send-refused.png: refused, the reason and what to do under the table
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
FOLDER = Path(tempfile.mkdtemp(prefix="screens-send-"))
os.environ["XDG_DATA_HOME"] = str(FOLDER / "home")  # settings and logs stay in the throw-away folder

from PySide6.QtWidgets import QApplication  # noqa: E402

from citizen_rights_desktop.editing.demo import demo_report  # noqa: E402
from citizen_rights_desktop.editing.report_list import new_report  # noqa: E402
from citizen_rights_desktop.form.catalog import FormCatalog  # noqa: E402
from storage import ReportStore, open_database, outbox_store  # noqa: E402
from storage.database import utc_now  # noqa: E402
from ui import send_worker  # noqa: E402
from ui.app import application, build_main_window  # noqa: E402

SIZE = (1366, 768)
SIZE_BYTES = 3_480_000
GO = threading.Event()


class StandIn:
    """The background sender's upload, without a network: 45 %, then headquarters' receipt."""

    def __init__(self, database, profile, credentials, url=None, progress=None, **kwargs):
        self.database, self.progress = database, progress

    def send_all(self, max_time=None, say=None):
        (entry,) = outbox_store.entries(self.database, pending_only=True)
        outbox_store.update(self.database, entry.bundle_id, state="uploading", sent_bytes=SIZE_BYTES * 45 // 100, upload_url="/files/1")
        self.progress(outbox_store.get(self.database, entry.bundle_id))
        GO.wait(60)
        outbox_store.update(self.database, entry.bundle_id, state="received", sent_bytes=SIZE_BYTES, answered_at=utc_now(),
                            receipt_id="rcpt-1403-000128-7f3a")  # fmt: skip
        now = outbox_store.get(self.database, entry.bundle_id)
        self.progress(now)
        return [now]


def settle(seconds: float = 0.5) -> None:
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
    widget.grab().save(str(HERE / name))
    print(f"wrote {HERE / name}")


def main() -> int:
    application()
    path = FOLDER / "office.sqlite3"
    store = ReportStore(open_database(path))
    catalog = FormCatalog()
    report_id = demo_report(store, catalog.latest())
    store.set_state(report_id, "signed")
    new_report(store, catalog.latest(), store.load_report(report_id).office_id, "1399")
    outbox_store.add(store.database, "b-1398-r1", report_id, 1, "b-1398-r1.crb", "ab" * 32, SIZE_BYTES)
    store.database.close()

    send_worker.Sender = StandIn
    send_worker.office_credentials = lambda database, identity: (None, None)
    window = build_main_window(path, None)
    window.resize(*SIZE)
    window.show()
    window.show_reports(select=report_id)
    settle()
    shoot(window, "send-queued.png")  # queued; the key not unlocked in this session yet

    window.sending.remember(SimpleNamespace(private_key=None))  # as after the clerk typed the passphrase
    window.sending.check()
    page = window.reports_page
    wait(lambda: "در حال ارسال" in page.table.item(page.table.currentRow(), 7).text())
    shoot(window, "send-uploading.png")

    GO.set()
    wait(lambda: "ارسال شد" in page.table.item(page.table.currentRow(), 7).text() and not window.sending.running)
    window.statusBar().clearMessage()
    shoot(window, "send-received.png")

    outbox_store.update(window.store.database, "b-1398-r1", state="refused", receipt_id="rcpt-1403-000131-09c2",
                        reason_code="revision_conflict", reason_fa="ویرایش ۱ این گزارش با پاسخ‌های دیگری پیش‌تر به ستاد رسیده است.")  # fmt: skip
    window.show_reports(select=report_id)
    shoot(window, "send-refused.png")
    window.close()
    window.store.database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
