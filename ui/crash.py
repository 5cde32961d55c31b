"""Unexpected errors: logged (type and code locations only, never answers) and shown in a Persian
dialog that says where the log is, instead of the window vanishing.

``install(log_path)`` replaces ``sys.excepthook``; PySide6 hands exceptions raised in slots and
event handlers to ``sys.excepthook`` too, so both reach the same dialog.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from citizen_rights_desktop.app_log import log_exception

TITLE = "خطای پیش‌بینی‌نشده"


def message(log_path: Path | None) -> str:
    where = f"\n\nجزئیات فنی (بدون پاسخ‌های گزارش) در این فایل ثبت شد:\n\u2066{log_path}\u2069" if log_path else ""
    return (
        "خطایی پیش‌بینی‌نشده رخ داد. آنچه تا این لحظه وارد کرده‌اید ذخیره شده است؛ "
        "اگر برنامه درست کار نکرد، آن را ببندید و دوباره باز کنید." + where + "\n\nاین فایل را برای پشتیبانی بفرستید."
    )


class _Relay(QObject):
    """Shows the dialog in the GUI thread when the error happened in another thread."""

    show = Signal(str)


class CrashHandler:
    def __init__(self, log_path: Path | None):
        self.log_path = log_path
        self.previous = sys.excepthook
        self.relay = _Relay()
        self.relay.show.connect(self._dialog)
        self._showing = False

    def __call__(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self.previous(exc_type, exc, tb)
            return
        try:
            log_exception(exc_type, exc, tb)
        except Exception:  # the log itself failed (disk full): still tell the user
            pass
        app = QApplication.instance()
        if app is None:
            return
        text = message(self.log_path)
        if QThread.currentThread() is app.thread() and threading.current_thread() is threading.main_thread():
            self._dialog(text)
        else:
            self.relay.show.emit(text)

    def _dialog(self, text: str) -> None:
        if self._showing:  # an error while the dialog is open: logged, one dialog is enough
            return
        self._showing = True
        try:
            QMessageBox.critical(QApplication.activeWindow(), TITLE, text)
        finally:
            self._showing = False


def install(log_path: Path | None) -> CrashHandler:
    handler = CrashHandler(log_path)
    sys.excepthook = handler
    threading.excepthook = lambda args: handler(args.exc_type, args.exc_value, args.exc_traceback)
    return handler
