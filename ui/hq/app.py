"""Starting the headquarters window: ``run_hq(db_path, forms)`` (``citizen-rights hq window --db HQDB``).

Same look as the office application (``ui.app.configure_application``: right to left, Vazirmatn,
Persian locale and Qt's Persian dialogs).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox

from ui.app import application


def build_hq_window(db_path: Path | None, forms: Path | None, parent=None):
    """The headquarters window on ``db_path`` (``None`` when it cannot be opened: the user was told)."""
    from citizen_rights_desktop.form.catalog import FormCatalog
    from citizen_rights_desktop.paths import default_database_path
    from storage import DatabaseError, open_database
    from storage.lock import DatabaseInUse, InstanceLock
    from ui.hq.window import HQWindow

    path = Path(db_path) if db_path else default_database_path()
    if not path.exists():
        QMessageBox.critical(parent, "خطا", f"پایگاه داده ستاد پیدا نشد:\n{path}")
        return None
    lock = InstanceLock(path)  # one headquarters window per database, as in the office application
    try:
        lock.acquire()
    except DatabaseInUse as exc:
        QMessageBox.warning(parent, "پایگاه داده در حال استفاده است", exc.message_fa)
        return None
    try:
        database = open_database(path)
    except DatabaseError as exc:
        lock.release()
        QMessageBox.critical(parent, "خطای پایگاه داده", exc.message_fa)
        return None
    conn = database.conn
    if conn.execute("SELECT 1 FROM hq_identity").fetchone() is None and conn.execute("SELECT 1 FROM hq_submission").fetchone() is None:
        database.close()
        lock.release()
        QMessageBox.critical(parent, "خطا", "این پایگاه داده، پایگاه داده ستاد نیست (هویت ستاد و گزارش دریافتی ندارد).")
        return None
    catalog = FormCatalog(Path(forms) if forms else None)
    if not catalog.forms:
        database.close()
        lock.release()
        QMessageBox.critical(parent, "خطا", "هیچ تعریف فرم سالمی پیدا نشد؛ برنامه را دوباره نصب کنید.")
        return None
    window = HQWindow(database, catalog, parent)
    window.instance_lock = lock  # released when the window's database is closed (run_hq, or the caller)
    return window


def run_hq(db_path: Path | None, forms: Path | None) -> int:
    """Start the headquarters window; returns the process exit code (2 if it could not start)."""
    app = application()
    window = build_hq_window(db_path, forms)
    if window is None:
        return 2
    window.show()
    code = app.exec()
    QThreadPool.globalInstance().waitForDone()  # let an import or export finish writing
    window.database.close()
    window.instance_lock.release()
    return code
