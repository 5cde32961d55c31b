"""The sample database (issue 17: sample data became the office's real profile, and nothing said
"sample").

«امتحان با داده‌های نمونه» opens the complete sample report in a window of its own, on
``sample.sqlite3`` beside the real database (``paths.sample_database_path``), marked «نمونه» in
its title and by a banner across its top. The real database — the office profile and its
reports — is not opened for writing, let alone changed. In the sample window nothing is signed
or sent (``ReportActions`` refuses it on the sample database): a made-up report must never leave
under the office's name. The sample report is made once and kept; later visits reopen it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from citizen_rights_desktop.paths import is_sample_database, sample_database_path

SAMPLE_MARK = "نمونه"
BANNER_FA = (
    "نمونه — پایگاه داده نمونه با داده‌های ساختگی، برای آشنایی با برنامه. آنچه در این پنجره تغییر می‌دهید "
    "به مشخصات و گزارش‌های واقعی دستگاه شما راه نمی‌یابد؛ امضا و ارسال به ستاد در آن انجام نمی‌شود."
)
BANNER_CSS = (
    "QLabel#sample_banner { background: #fff3cd; color: #5c3c00; border-bottom: 2px solid #e0a800;"
    " padding: 8px 14px; font-weight: 600; }"
)
# what a sample window does not offer: signing and everything exchanged with headquarters
SAMPLE_DISABLED = ("sign", "bundle", "profile", "request", "certificate", "feedback")
SAMPLE_REFUSAL_FA = (
    "این پنجره پایگاه داده نمونه است (داده‌های ساختگی): امضا، ارسال و تبادل با ستاد در آن انجام نمی‌شود "
    "تا چیزی از نمونه به نام دستگاه شما امضا یا فرستاده نشود."
)


class SampleGuard:
    """Of ``ui.report_actions.ReportActions`` (before ``ExchangeActions``): on the sample database
    nothing is signed, sent or exchanged with headquarters, whichever button or menu asks."""

    @property
    def sample(self) -> bool:
        return is_sample_database(self.store.database.path)

    def _refuse_in_sample(self) -> bool:
        if self.sample:
            self._error(SAMPLE_REFUSAL_FA)
            return True
        return False

    def export_bundle(self, report_id: str, *args, **kwargs) -> None:
        if not self._refuse_in_sample():
            super().export_bundle(report_id, *args, **kwargs)

    def import_profile(self, *args, **kwargs) -> bool:
        return False if self._refuse_in_sample() else super().import_profile(*args, **kwargs)

    def export_request(self, *args, **kwargs):
        return None if self._refuse_in_sample() else super().export_request(*args, **kwargs)

    def import_certificate(self, *args, **kwargs) -> bool:
        return False if self._refuse_in_sample() else super().import_certificate(*args, **kwargs)

    def import_feedback(self, *args, **kwargs) -> bool:
        return False if self._refuse_in_sample() else super().import_feedback(*args, **kwargs)


def sample_title(title: str) -> str:
    return f"{SAMPLE_MARK} — {title}"


class SampleWindow(QMainWindow):
    """The main window on the sample database, under the «نمونه» banner, titled «نمونه — …»."""

    def __init__(self, inner: QMainWindow, lock, parent=None):
        super().__init__(parent)
        self.setWindowFlag(Qt.Window)  # a window of its own, owned by the real one
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.inner, self.lock = inner, lock
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banner = QLabel(BANNER_FA)
        self.banner.setObjectName("sample_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_CSS)
        layout.addWidget(self.banner)
        layout.addWidget(inner, 1)
        self.setCentralWidget(central)
        for name in SAMPLE_DISABLED:
            action = getattr(inner, "menu_actions", {}).get(name)
            if action is not None:
                action.setEnabled(False)
                action.setToolTip("در پایگاه داده نمونه انجام نمی‌شود.")
        identity = getattr(inner, "identity_label", None)
        if identity is not None:  # not the office's signing certificate: nothing is signed here
            identity.setText("پایگاه داده نمونه: امضا و ارسال در این پنجره انجام نمی‌شود.")
        inner.windowTitleChanged.connect(self._follow_title)
        self._follow_title(inner.windowTitle())
        self._closed = False
        stack = getattr(inner, "stack", None)
        if stack is not None:  # the wizard of each report opened gets its own buttons
            stack.currentChanged.connect(lambda _index: self.hide_exchange_buttons())
        self.hide_exchange_buttons()

    def hide_exchange_buttons(self) -> None:
        """The buttons of what the sample window does not do (sign, send, headquarters' feedback)."""
        pages = (getattr(self.inner, "reports_page", None), getattr(self.inner, "workspace", None))
        for page in pages:
            for name, button in getattr(page, "action_buttons", {}).items():
                if name in SAMPLE_DISABLED:
                    button.hide()
        feedback = getattr(pages[0], "feedback_button", None)
        if feedback is not None:
            feedback.hide()

    def _follow_title(self, title: str) -> None:
        self.setWindowTitle(sample_title(title))

    def shutdown(self) -> None:
        """Write what is being typed, close the sample database and let it go (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self.inner.close()  # writes what is still being typed; never asks
        self.inner.store.database.close()
        self.lock.release()

    def closeEvent(self, event) -> None:
        self.shutdown()
        event.accept()


def _sample_report(store, catalog) -> str:
    """The sample report: the one already in the sample database, else a new complete one."""
    from citizen_rights_desktop.editing.demo import demo_report  # only when asked: keeps start-up short
    from citizen_rights_desktop.editing.form_upgrade import upgrade_drafts

    upgrade_drafts(store, catalog, Path(store.database.path))  # a sample made by an earlier version
    existing = store.list_reports()
    return existing[0].id if existing else demo_report(store, catalog.latest())


def open_sample_window(window) -> SampleWindow | None:
    """Open (or bring forward) the sample window beside ``window`` (the real ``MainWindow``);
    ``None`` when it cannot be opened (the clerk was told why)."""
    from citizen_rights_desktop.form.catalog import FormNotFound
    from storage import DatabaseError, ReportStore, open_database
    from storage.lock import DatabaseInUse, InstanceLock
    from ui.progress_feedback import wait_cursor
    from ui.session import persian_message

    existing = getattr(window, "sample_window", None)
    if existing is not None and not existing._closed:
        existing.raise_()
        existing.activateWindow()
        return existing
    real = Path(window.store.database.path)
    if is_sample_database(real):
        QMessageBox.information(window, SAMPLE_MARK, "همین پنجره پایگاه داده نمونه است.")
        return None
    path = sample_database_path(real)
    lock = InstanceLock(path)
    try:
        lock.acquire()
    except DatabaseInUse as exc:
        QMessageBox.warning(window, "پایگاه داده نمونه", exc.message_fa)
        return None
    except OSError:
        QMessageBox.warning(window, "پایگاه داده نمونه", "پوشه پایگاه داده نمونه در دسترس نیست.")
        return None
    database = None
    try:
        with wait_cursor():
            database = open_database(path)
            store = ReportStore(database)
            report_id = _sample_report(store, window.catalog)
    except (DatabaseError, FormNotFound, OSError) as exc:
        if database is not None:
            database.close()
        lock.release()
        QMessageBox.warning(window, "پایگاه داده نمونه", persian_message(exc))
        return None
    inner = type(window)(store, window.catalog)  # a main window like the real one (no import cycle)
    sample = SampleWindow(inner, lock, window.window())
    sample.resize(window.window().size())
    window.sample_window = sample
    sample.show()
    inner.open_report(report_id)
    return sample
