"""Sending the outbox in the background while the application is open (issue 18).

``SendController`` belongs to the main window. Whenever the outbox holds bundles that headquarters
has not answered and the office key is unlocked, it runs a round of ``exchange.sender.Sender``'s
``send_all`` in a thread of its own, with its own database connection (SQLite connections belong
to one thread), bounded by ``MAX_TIME``; it looks again every ``INTERVAL_MS`` (and at once after a
bundle is queued or the key unlocked). Each piece headquarters holds moves the report's send
column (n %); the answer (receipt or refusal) shows there too. Nothing here is a modal dialog:
a failure is a line above the reports table, in Persian, and the next round tries again.

The key: the office key proves this office to headquarters (mutual TLS), and it is kept
passphrase-encrypted on disk. Once the clerk typed the passphrase in this session to send, queue,
export a bundle or import headquarters' certificate, the unlocked identity is kept **in memory
only**, for the rest of the session, so sending resumes without asking again; it is never written
anywhere. When bundles wait at start (or were queued from the command line) and the key is not
unlocked, the strip above the table says «برای ادامه ارسال، گذرواژه کلید را وارد کنید» with a
button that asks the passphrase once.

The round runs in a daemon thread rather than a ``QThread``: a line that hangs inside a request
(bounded by the sender's timeout) must never keep the window from closing, and a ``QThread``
destroyed while running aborts the process. Its signals are delivered in the GUI thread.
"""

from __future__ import annotations

import math
import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox

from citizen_rights_desktop.app_log import get_logger, log_exception
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.exchange.sender import Credentials, Sender
from citizen_rights_desktop.exchange.sender import office_credentials as sender_credentials
from citizen_rights_desktop.paths import is_sample_database
from citizen_rights_desktop.persian.text import to_persian_digits
from storage import outbox_store
from storage.database import Database, connect
from storage.outbox_store import RECEIVED, REFUSED
from ui.formatting import fa_message
from ui.outbox_view import UNLOCK_NOTE_FA, send_cell

LOG = get_logger("ui.send")
INTERVAL_MS = 60_000  # a new round while bundles wait
MAX_TIME = 50.0  # seconds one round retries (with the sender's backoff) before the next look
FAILED_FA = "ارسال به ستاد به خطای پیش‌بینی‌نشده خورد؛ جزئیات در پرونده گزارش رخدادهای برنامه ثبت شد. دوباره تلاش می‌شود."


def office_credentials(database: Database, identity) -> tuple[object, Credentials]:
    """Headquarters' profile and the unlocked key's credentials (``exchange.sender.office_credentials``)."""
    return sender_credentials(database, identity.private_key)


class _RoundSignals(QObject):
    progress = Signal(object)  # an OutboxEntry as the sender left it
    finished = Signal(object)  # the entries pending at the start, as they stand at the end
    failed = Signal(str)  # a Persian message


def _emit(signal, value) -> None:
    try:
        signal.emit(value)
    except RuntimeError:  # the window is gone (closing): nobody listens any more
        pass


class SendController(QObject):
    """The main window's background sender; ``identity`` is the key unlocked in this session."""

    changed = Signal(object)  # an OutboxEntry moved (progress or answer), in the GUI thread
    round_done = Signal(object)  # the round's entries, or None when it failed

    def __init__(self, window, interval_ms: int = INTERVAL_MS, max_time: float = MAX_TIME):
        super().__init__(window)
        self.window, self.max_time = window, max_time
        self.identity = None
        self.last_error = ""
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.signals = _RoundSignals()  # no parent: the round's thread holds it until it ends
        self.signals.progress.connect(self._progress)
        self.signals.finished.connect(self._finished)
        self.signals.failed.connect(self._failed)
        self.enabled = not is_sample_database(window.store.database.path)  # nothing is sent from the sample
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        window.installEventFilter(self)
        if self.enabled:
            self.timer.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def remember(self, identity) -> None:
        """Keep the unlocked office identity in memory for this session (never on disk)."""
        self.identity = identity

    def pending(self) -> list:
        try:
            return outbox_store.entries(self.window.store.database, pending_only=True)
        except Exception:  # noqa: BLE001 - an unreadable or closed database: nothing to send now
            return []

    @Slot()
    def check(self) -> bool:
        """Start a round when bundles wait and the key is unlocked; say why not otherwise."""
        if not self.enabled or self._stop.is_set():
            return False
        pending = self.pending()
        if pending and self.identity is not None and not self.running:
            self._start_round()
            started = True
        else:
            started = False
        self._show_note(pending)
        return started

    def resume(self) -> None:
        """The strip's button and the menu's «ادامه ارسال به ستاد»: unlock the key once, then send."""
        if not self.enabled:
            QMessageBox.warning(self.window, "خطا", "در پایگاه داده نمونه چیزی به ستاد فرستاده نمی‌شود.")
            return
        if not self.pending():
            self._show_note([])
            self.window.statusBar().showMessage("بسته‌ای در صف ارسال نیست.", 5000)
            return
        if self.identity is None and self.unlock() is None:
            return
        self.last_error = ""
        self.check()

    def unlock(self):
        """Ask the key's passphrase (once in a session); the key must be the one headquarters certified."""
        from ui.identity_dialog import identity_path, unlock

        if not identity_path().exists():
            QMessageBox.warning(self.window, "خطا", "گواهی امضای دستگاه روی این رایانه نیست.")
            return None
        opened = unlock(self.window)
        if opened is None:
            return None
        try:
            office_credentials(self.window.store.database, opened[0])
        except ExchangeError as exc:
            QMessageBox.warning(self.window, "خطا", fa_message(exc.message_fa))
            return None
        self.remember(opened[0])
        return opened[0]

    def _show_note(self, pending: list | None = None) -> None:
        page = self.window.reports_page
        pending = self.pending() if pending is None else pending
        count = to_persian_digits(len(pending))
        if not pending:
            page.set_send_note("")
        elif self.identity is None:
            page.set_send_note(f"{count} بسته در صف ارسال به ستاد است. {UNLOCK_NOTE_FA}", "وارد کردن گذرواژه…")
        elif self.last_error:
            page.set_send_note(fa_message(self.last_error), "تلاش دوباره", error=True)
        elif self.running:
            page.set_send_note(f"در حال ارسال {count} بسته به ستاد؛ اگر اتصال قطع شود، از همان‌جا ادامه می‌یابد.")
        else:
            page.set_send_note(f"{count} بسته در صف ارسال؛ هر دقیقه دوباره تلاش می‌شود.")

    # --- one round, in its own thread ---------------------------------------------------------

    def _start_round(self) -> None:
        self.last_error = ""
        path = Path(self.window.store.database.path)
        thread = threading.Thread(target=self._run, args=(path, self.identity, self.signals, self._stop), name="outbox-sender", daemon=True)
        self._thread = thread
        thread.start()

    def _run(self, path: Path, identity, signals: _RoundSignals, stop: threading.Event) -> None:
        """The thread: its own connection; every failure a Persian message, never a traceback."""
        database = None
        results = None
        try:
            database = Database(path, connect(path))
            profile, credentials = office_credentials(database, identity)
            sender = Sender(
                database, profile, credentials, progress=lambda entry: _emit(signals.progress, entry), max_backoff=30.0,
                clock=lambda: math.inf if stop.is_set() else time.monotonic(), sleep=stop.wait,
            )  # fmt: skip
            results = sender.send_all(max_time=self.max_time)
        except ExchangeError as exc:
            LOG.info("sending stopped: %s", exc.message_en)
            _emit(signals.failed, exc.message_fa)
        except Exception:  # noqa: BLE001 - logged; the clerk gets a Persian line, the window stays
            log_exception(*sys.exc_info())
            _emit(signals.failed, FAILED_FA)
        finally:
            if database is not None:
                database.close()
        if results is not None:
            _emit(signals.finished, results)

    # --- back in the GUI thread ---------------------------------------------------------------

    def _refresh(self, report_id: str) -> None:
        try:
            cell = send_cell(self.window.store, report_id)
        except Exception:  # noqa: BLE001 - the window's database closed meanwhile: nothing to show
            return
        self.window.reports_page.update_send_cell(report_id, cell)

    @Slot(object)
    def _progress(self, entry) -> None:
        self._refresh(entry.report_id)
        self.changed.emit(entry)

    @Slot(object)
    def _finished(self, results) -> None:
        self._thread = None
        for entry in results:
            self._refresh(entry.report_id)
        received = [e for e in results if e.state == RECEIVED]
        refused = [e for e in results if e.state == REFUSED]
        words = []
        if received:
            words.append(f"{to_persian_digits(len(received))} بسته به ستاد رسید و رسید ستاد دریافت شد")
        if refused:
            words.append(f"ستاد {to_persian_digits(len(refused))} بسته را نپذیرفت؛ دلیل در ستون «ارسال و بازخورد ستاد» آمده است")
        if words:
            self.window.statusBar().showMessage("؛ ".join(words) + ".", 15000)
        self._show_note()
        self.round_done.emit(results)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._thread = None
        self.last_error = f"{message} (ارسال هر دقیقه دوباره امتحان می‌شود.)"
        pending = self.pending()
        for report_id in {e.report_id for e in pending}:
            self._refresh(report_id)  # still queued: the next round tries again
        self._show_note(pending)
        self.round_done.emit(None)

    # --- closing ------------------------------------------------------------------------------

    def shutdown(self, wait: float = 3.0) -> None:
        """Stop looking and end the round (what headquarters holds stays; the next start resumes)."""
        self.timer.stop()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(wait)

    def eventFilter(self, watched, event) -> bool:  # Qt's name
        if watched is self.window and event.type() == QEvent.Close:
            self.shutdown()
        return False


def install_sending(window) -> SendController:
    """The window's background sender, its strip's button, and a first look at the outbox."""
    controller = SendController(window)
    window.reports_page.send_note_clicked.connect(controller.resume)
    controller.check()
    return controller
