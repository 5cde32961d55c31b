"""Issue 18 in the office window: the send column shows where each bundle stands (queued, uploading
n %, received with headquarters' receipt, refused with the reason and what to do); a bundle written
to a USB drive is not «ارسال شد»; the send button queues the bundle and the background sender
resumes by itself while the key is unlocked; failures are Persian lines, never tracebacks; the
intake address in the settings."""

from __future__ import annotations

import sqlite3
import threading
from types import SimpleNamespace

import pytest
from PySide6.QtGui import QColor

from citizen_rights_desktop.exchange import bundle_writer, outbox
from citizen_rights_desktop.exchange.errors import ExchangeError
from storage import outbox_store
from storage.database import utc_now
from ui import identity_dialog, outbox_view, send_worker

SEND_COLUMN = 7
TLS_FA = "اتصال امن به ستاد برقرار نشد: نشانی سامانه دریافت یا گواهی این دستگاه معتبر نیست؛ با ستاد تماس بگیرید."


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """The user's data folder (identity, settings) in the test's own folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def office_db(w, db_path):
    """A copy of the enrolled office of ``tests/bundle_world.py`` (profile, certificate, a signed
    demo report) where the window opens it."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    source, target = sqlite3.connect(w.store.database.path), sqlite3.connect(db_path)
    source.backup(target)
    source.close()
    target.close()
    return db_path


@pytest.fixture
def window(qtbot, make_window, office_db, w):
    window = make_window()
    window.show_reports(select=w.report_id)
    return window


@pytest.fixture
def key_file(home):
    """Something at the identity's path (the unlock itself is stubbed with the world's key)."""
    path = identity_dialog.identity_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"stub")
    return path


def _cell(window, report_id):
    page = window.reports_page
    row = next(i for i, e in enumerate(page.entries) if e.id == report_id)
    return page.table.item(row, SEND_COLUMN)


def _queue_row(database, report_id, bundle_id="b-1", size=1000, revision=1):
    outbox_store.add(database, bundle_id, report_id, revision, f"{bundle_id}.crb", "ab" * 32, size)
    return bundle_id


STATES = {
    "queued": ({}, "ویرایش ۱ در صف ارسال", "در صف ارسال"),
    "uploading": ({"state": "uploading", "sent_bytes": 450}, "ویرایش ۱ در حال ارسال: ۴۵٪", "ادامه می‌یابد"),
    "received": ({"state": "received", "sent_bytes": 1000, "receipt_id": "RCPT-2024-0042", "answered_at": "2024-08-02T08:00:00+00:00"},
                 "ویرایش ۱ ارسال شد: ۱۴۰۳/۰۵/۱۲", "RCPT-2024-0042"),
    "refused": ({"state": "refused", "reason_code": "revoked", "reason_fa": "گواهی دستگاه در ستاد باطل شده است.",
                 "answered_at": "2024-08-02T08:00:00+00:00"}, "ویرایش ۱ پذیرفته نشد", outbox.ADVICE_FA["revoked"]),
}  # fmt: skip


@pytest.mark.parametrize("state", list(STATES))
def test_the_send_column_shows_each_state_of_the_outbox(window, w, state, messages):
    values, text, detail = STATES[state]
    bundle_id = _queue_row(window.store.database, w.report_id)
    if values:
        outbox_store.update(window.store.database, bundle_id, **values)
    window.show_reports(select=w.report_id)
    cell = _cell(window, w.report_id)
    assert cell.text() == text
    assert detail in cell.toolTip()
    page = window.reports_page
    assert page.send_detail.isVisibleTo(page) and detail in page.send_detail.text()  # the line under the table
    if state == "refused":
        assert "گواهی دستگاه در ستاد باطل شده است." in page.send_detail.text()
        assert cell.foreground().color() == QColor("#b00020")
    assert ("ارسال شد" in cell.text()) == (state == "received")  # «sent» only with headquarters' receipt
    assert not messages


def test_a_bundle_on_a_usb_drive_is_not_sent_and_a_queued_one_is_shown_as_queued(window, w, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    bundle_writer.export_bundle(window.store, w.report_id, usb, w.signer, _profile(window))
    window.show_reports(select=w.report_id)
    cell = _cell(window, w.report_id)
    assert cell.text().startswith("ویرایش ۱ در فایل ذخیره شد: ") and "ارسال شد" not in cell.text()
    assert "USB" in cell.toolTip()
    outbox.queue_bundle(window.store, w.report_id, w.signer, _profile(window))  # later: put in the outbox
    window.show_reports(select=w.report_id)
    assert _cell(window, w.report_id).text() == "ویرایش ۱ در صف ارسال"


def _profile(window):
    from citizen_rights_desktop.exchange.office_enrolment import load_profile

    return load_profile(window.store.database)


class FakeSender:
    """Stands in for ``exchange.sender.Sender``: moves the outbox rows as a real upload would."""

    made: list = []
    release = threading.Event()
    fail: Exception | None = None

    def __init__(self, database, profile, credentials, url=None, progress=None, **kwargs):
        self.database, self.credentials, self.progress = database, credentials, progress
        self.thread = threading.get_ident()
        FakeSender.made.append(self)

    def send_all(self, max_time=None, say=lambda line: None):
        if FakeSender.fail is not None:
            raise FakeSender.fail
        pending = outbox_store.entries(self.database, pending_only=True)
        for entry in pending:
            outbox_store.update(self.database, entry.bundle_id, state="uploading", sent_bytes=entry.size // 2)
            self.progress(outbox_store.get(self.database, entry.bundle_id))
        assert FakeSender.release.wait(20)
        for entry in pending:
            outbox_store.update(self.database, entry.bundle_id, state="received", sent_bytes=entry.size, receipt_id="RCPT-77", answered_at=utc_now())
            self.progress(outbox_store.get(self.database, entry.bundle_id))
        return [outbox_store.get(self.database, e.bundle_id) for e in pending]


@pytest.fixture
def fake_sender(monkeypatch):
    FakeSender.made = []
    FakeSender.release = threading.Event()
    FakeSender.fail = None
    monkeypatch.setattr(send_worker, "Sender", FakeSender)
    yield FakeSender
    FakeSender.release.set()  # never leave a round waiting


@pytest.fixture
def unlocks(monkeypatch, w):
    """The passphrase prompt answered with the world's office key; counts the prompts."""
    asked = []
    monkeypatch.setattr(identity_dialog, "unlock", lambda *a, **k: asked.append(1) or (SimpleNamespace(private_key=w.key), "pw"))
    return asked


def test_pending_bundles_wait_for_the_key_then_the_background_sender_follows_its_progress(qtbot, window, w, fake_sender, unlocks, key_file, messages):
    import time

    _queue_row(window.store.database, w.report_id, size=2000)
    window.show_reports(select=w.report_id)
    window.sending.check()  # as at start: bundles wait, the key is locked
    page = window.reports_page
    assert page.send_note.isVisibleTo(page) and outbox_view.UNLOCK_NOTE_FA in page.send_note_label.text()
    assert not fake_sender.made and _cell(window, w.report_id).text() == "ویرایش ۱ در صف ارسال"

    page.send_note_button.click()  # «وارد کردن گذرواژه…»: asked once, then sending starts by itself
    assert unlocks == [1]
    qtbot.waitUntil(lambda: _cell(window, w.report_id).text() == "ویرایش ۱ در حال ارسال: ۵۰٪", timeout=10000)
    (sender,) = fake_sender.made
    assert sender.thread != threading.get_ident()  # in its own thread …
    assert sender.database is not window.store.database  # … with its own connection
    assert sender.credentials.private_key is w.key and sender.credentials.certificate == w.signer.certificate
    with qtbot.waitSignal(window.sending.round_done, timeout=10000) as done:
        fake_sender.release.set()
    assert done.args[0][0].state == "received"
    cell = _cell(window, w.report_id)
    assert cell.text().startswith("ویرایش ۱ ارسال شد: ") and "RCPT-77" in cell.toolTip()
    assert not page.send_note.isVisibleTo(page) and not messages

    # a bundle queued later (e.g. from the command line) is sent on the next look, without asking again
    time.sleep(0.01)  # a later queued_at: the newest entry is the one the column shows
    _queue_row(window.store.database, w.report_id, bundle_id="b-2", revision=2)
    fake_sender.release = threading.Event()
    fake_sender.release.set()
    window.sending.timer.setInterval(50)
    with qtbot.waitSignal(window.sending.round_done, timeout=10000):
        pass
    assert len(fake_sender.made) == 2 and unlocks == [1]
    assert outbox_store.get(window.store.database, "b-2").state == "received"


@pytest.mark.parametrize(
    "failure, said",
    [
        (ExchangeError("tls_refused", "TLS handshake refused", TLS_FA), TLS_FA),
        (RuntimeError("boom in the line"), send_worker.FAILED_FA.split("؛")[0]),
    ],
    ids=["exchange_error", "unexpected_error"],
)
def test_a_failing_round_is_a_persian_line_and_nothing_is_lost(qtbot, window, w, fake_sender, failure, said, messages):
    _queue_row(window.store.database, w.report_id)
    fake_sender.fail = failure
    window.sending.remember(SimpleNamespace(private_key=w.key))
    with qtbot.waitSignal(window.sending.round_done, timeout=10000) as done:
        assert window.sending.check()
    assert done.args == [None]
    page = window.reports_page
    text = page.send_note_label.text()
    assert page.send_note.isVisibleTo(page) and said in text
    assert "Traceback" not in text and "boom" not in text and "TLS handshake" not in text
    assert page.send_note_button.text() == "تلاش دوباره"
    assert _cell(window, w.report_id).text() == "ویرایش ۱ در صف ارسال"  # still queued: the next round tries again
    assert not messages  # no dialog in the clerk's way


@pytest.fixture
def signed_office_db(office_db, w, form, tmp_path):
    """The office copy with the report's PDF signed by the key headquarters certified (kept in the database)."""
    from citizen_rights_desktop.signing.identity import OfficeIdentity
    from citizen_rights_desktop.signing.signed_report import write_report_pdf
    from storage import ReportStore, open_database

    database = open_database(office_db, take_backups=False)
    try:
        identity = OfficeIdentity(w.key, w.signer.certificate, list(w.signer.chain))
        write_report_pdf(ReportStore(database), form, w.report_id, tmp_path / "signed.pdf", identity, allow_incomplete=True)
    finally:
        database.close()
    return office_db


def test_the_send_button_queues_the_bundle_and_sends_it_without_asking_again(
    qtbot, signed_office_db, window, w, fake_sender, unlocks, key_file, monkeypatch, messages
):
    assert window.store.signed_pdf(w.report_id)
    outbox.set_intake_url(window.store.database, "https://intake.example.ir:8443")
    asked = []
    monkeypatch.setattr(outbox_view, "choose_way", lambda _p, address, revision: asked.append((address, revision)) or outbox_view.NETWORK)
    window.sending.remember(SimpleNamespace(private_key=w.key))  # unlocked earlier in this session
    with qtbot.waitSignal(window.actions.done, timeout=30000) as done:
        window.run_action("bundle", w.report_id)
    assert asked == [("https://intake.example.ir:8443", 1)] and not messages, messages
    assert done.args[0] == "queued" and unlocks == []  # the key kept in memory: no passphrase again
    entry = done.args[1]
    assert outbox.bundle_path(window.store.database, entry).stat().st_size == entry.size
    qtbot.waitUntil(lambda: "در حال ارسال" in _cell(window, w.report_id).text(), timeout=10000)
    with qtbot.waitSignal(window.sending.round_done, timeout=10000):
        fake_sender.release.set()
    assert "ارسال شد" in _cell(window, w.report_id).text()


def test_without_an_intake_address_the_bundle_goes_to_a_folder_as_before(window, w, monkeypatch, messages):
    asked, exported = [], []
    monkeypatch.setattr(outbox_view, "choose_way", lambda *a: asked.append(a))
    monkeypatch.setattr(window.actions, "export_bundle", lambda report_id, *a, **k: exported.append(report_id))
    window.run_action("bundle", w.report_id)
    assert exported == [w.report_id] and not asked


def test_the_intake_address_in_the_settings(qtbot, window, messages):
    dialog = window.show_settings()
    assert dialog.intake_url.text() == ""
    dialog.intake_url.setText("http://intake.example.ir")  # not https: told in Persian, nothing lost
    assert not dialog.save()
    assert dialog.problem.text() == "نشانی سامانه دریافت ستاد باید با https:// شروع شود."
    assert dialog.intake_url.text() == "http://intake.example.ir" and dialog.isVisible()
    assert outbox.intake_url(window.store.database, None) is None
    dialog.intake_url.setText("https://intake.example.ir:8443/")
    assert dialog.save()
    assert outbox.intake_url(window.store.database, None) == "https://intake.example.ir:8443"
    again = window.show_settings()
    assert again.intake_url.text() == "https://intake.example.ir:8443"
    again.intake_url.setText("")  # empty: the profile's address again
    assert again.save() and outbox.intake_url(window.store.database, None) is None


@pytest.fixture
def intake_service(w, tmp_path):
    """Headquarters' real intake service on localhost, over a copy of the world's headquarters."""
    from citizen_rights_desktop.hq.intake_server import IntakeServer

    hq_db = w.hq_copy(tmp_path)
    hq_db.close()
    with IntakeServer(hq_db.path, w.hq) as server:
        yield server


def test_the_window_sends_to_the_real_intake_service_and_shows_its_receipt(qtbot, window, w, intake_service, messages):
    """No stand-in: ``exchange.sender.Sender`` in the window's background thread, over mutual TLS."""
    outbox.set_intake_url(window.store.database, intake_service.url)
    entry = outbox.queue_bundle(window.store, w.report_id, w.signer, _profile(window))
    window.sending.remember(SimpleNamespace(private_key=w.key))  # as after the clerk typed the passphrase
    progress = []
    window.sending.changed.connect(lambda e: progress.append(e.state))
    with qtbot.waitSignal(window.sending.round_done, timeout=60000) as done:
        assert window.sending.check()
    (result,) = done.args[0]
    assert result.bundle_id == entry.bundle_id and result.state == "received" and result.receipt_id, result
    assert progress and progress[-1] == "received"
    cell = _cell(window, w.report_id)
    assert cell.text().startswith("ویرایش ۱ ارسال شد: ") and result.receipt_id in cell.toolTip()
    assert not window.reports_page.send_note.isVisibleTo(window.reports_page) and not messages


def test_the_key_unlocked_for_signing_is_kept_for_sending(window, w, key_file, monkeypatch):
    from ui import report_actions

    monkeypatch.setattr(report_actions, "unlock", lambda *a, **k: (SimpleNamespace(private_key=w.key), "pw"))
    assert window.sending.identity is None
    opened = window.actions.ensure_identity()
    assert opened is not None and window.sending.identity is opened[0]
