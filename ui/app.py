"""Starting the office application: Persian, right to left, Vazirmatn, Qt's Persian dialogs (Qt's
own, never the system's: on an old Windows PC those are English with Gregorian dates).

``run()`` shows the window first (a frame saying it is getting ready) and only then imports the
report core, opens the database and fills the window, so the clerk sees the application at once.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

from citizen_rights_desktop.paths import default_database_path, fonts_dir

APP_TITLE = "گزارش حقوق شهروندی در نظام اداری"

FONT_FAMILY = "Vazirmatn"
FONT_POINT_SIZE = 10


def configure_application(app: QApplication) -> None:
    """Right-to-left layout, the bundled Vazirmatn font, Persian locale and Qt's Persian texts."""
    if getattr(app, "_citizen_rights_configured", False):
        return
    app.setApplicationName("CitizenRightsDesktop")
    app.setApplicationDisplayName("گزارش حقوق شهروندی")
    app.setLayoutDirection(Qt.RightToLeft)
    QCoreApplication.setAttribute(Qt.AA_DontUseNativeDialogs, True)  # every file dialog is Qt's Persian one
    app.setStyle("Fusion")
    QLocale.setDefault(QLocale(QLocale.Persian, QLocale.Iran))
    families = []
    for path in sorted(fonts_dir().glob("Vazirmatn-*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    if families:
        font = QFont(FONT_FAMILY if FONT_FAMILY in families else families[0], FONT_POINT_SIZE)
        app.setFont(font)
    translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    app._citizen_rights_translators = []
    for name in ("qtbase_fa", "qt_fa"):
        translator = QTranslator(app)
        if translator.load(name, translations):
            app.installTranslator(translator)
            app._citizen_rights_translators.append(translator)
    app._citizen_rights_configured = True


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_application(app)
    return app


def apply_saved_settings(app: QApplication) -> None:
    """The font size chosen in the settings (for older eyes), at every start."""
    from citizen_rights_desktop.settings import load_settings
    from ui.settings_dialog import apply_font_size

    apply_font_size(load_settings().font_size, app)


def database_error(exc, parent=None) -> None:
    from ui.formatting import fa_message

    QMessageBox.critical(parent, "خطای پایگاه داده", fa_message(exc.message_fa))


def build_main_window(db_path: Path | None, forms: Path | None, parent=None):
    """The main window on the database (``None`` when it cannot be opened: the user was told)."""
    from citizen_rights_desktop.editing.form_upgrade import upgrade_drafts
    from citizen_rights_desktop.form.catalog import FormCatalog
    from storage import DatabaseError, ReportStore, open_database
    from ui.main_window import MainWindow

    path = Path(db_path) if db_path else default_database_path()
    try:
        database = open_database(path)
    except DatabaseError as exc:
        database_error(exc, parent)
        return None
    catalog = FormCatalog(Path(forms) if forms else None)
    if not catalog.forms:
        database.close()
        details = "\n".join(str(e).splitlines()[0] for e in catalog.errors[:3])
        QMessageBox.critical(parent, "خطا", "هیچ تعریف فرم سالمی در برنامه پیدا نشد؛ برنامه را دوباره نصب کنید.\n" + details)
        return None
    store = ReportStore(database)
    try:  # forms headquarters' profile delivered (a new kind or version, issue 14)
        from citizen_rights_desktop.exchange.office_enrolment import install_profile_forms

        install_profile_forms(database, catalog)
    except Exception:  # noqa: BLE001 - a damaged stored profile must not keep the window closed
        from citizen_rights_desktop.app_log import get_logger

        get_logger("ui").exception("could not install the forms of the stored headquarters profile")
    try:  # drafts of an earlier form version move to the newest one (a backup is taken first)
        upgrade_drafts(store, catalog, path)
    except (DatabaseError, OSError) as exc:
        QMessageBox.warning(parent, "به‌روزرسانی پیش‌نویس‌ها", getattr(exc, "message_fa", None) or f"پیش‌نویس‌ها به نسخه جدید فرم منتقل نشدند: {exc}")
    return MainWindow(store, catalog)


class Shell(QMainWindow):
    """The top-level window: shown at once, then holds the main window once it is built."""

    def __init__(self):
        super().__init__()
        self.inner = None
        self.setWindowTitle(APP_TITLE)
        from ui.adaptive import fit_to_screen

        fit_to_screen(self, QSize(1366, 768))  # a 1024×600 laptop gets a window that fits it
        waiting = QLabel("در حال آماده‌سازی…")
        waiting.setAlignment(Qt.AlignCenter)
        self.setCentralWidget(waiting)

    def adopt(self, window: QMainWindow) -> None:
        self.inner = window
        self.setCentralWidget(window)
        self.setWindowTitle(window.windowTitle())
        window.windowTitleChanged.connect(self.setWindowTitle)

    def closeEvent(self, event) -> None:
        if self.inner is not None:
            self.inner.close()  # writes what is still being typed; never asks
        event.accept()


EXIT_IN_USE = 3


def run(db_path: Path | None, forms: Path | None) -> int:
    """Start the application; returns the process exit code (non-zero if it could not start).

    Logging and the crash dialog are set up first; a database already open in another window is
    refused (its file untouched) before anything reads it."""
    from citizen_rights_desktop.app_log import get_logger, setup_logging
    from storage.lock import DatabaseInUse, InstanceLock
    from ui import crash

    try:
        log_path = setup_logging()
    except OSError:
        log_path = None
    app = application()
    crash.install(log_path)
    path = Path(db_path) if db_path else default_database_path()
    lock = InstanceLock(path)
    try:
        lock.acquire()
    except DatabaseInUse as exc:
        get_logger("app").warning("refused: the database is open in another window")
        QMessageBox.critical(None, "پایگاه داده در حال استفاده است", exc.message_fa)
        return EXIT_IN_USE
    except OSError:
        from ui.formatting import ltr

        QMessageBox.critical(None, "خطای پایگاه داده", f"پوشه پایگاه داده «{ltr(path.parent)}» در دسترس نیست.")
        return 2
    get_logger("app").info("started")
    try:
        return _run_locked(app, path, forms)
    finally:
        lock.release()


def _run_locked(app: QApplication, db_path: Path, forms: Path | None) -> int:
    apply_saved_settings(app)
    shell = Shell()
    shell.show()
    started: list = []

    def build() -> None:
        window = build_main_window(db_path, forms, shell)
        if window is None:
            app.exit(2)
            return
        started.append(window)
        shell.adopt(window)

    QTimer.singleShot(0, build)
    code = app.exec()
    QThreadPool.globalInstance().waitForDone()  # let a file being attached finish
    if not started:
        return code or 2
    started[0].store.database.close()
    return code
