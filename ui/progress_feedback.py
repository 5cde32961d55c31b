"""What the clerk sees while work runs in a worker thread (issue 17: printing took seconds with no
sign of life): a wait cursor at once, and a progress dialog — what is being done, page n of N —
once the work has lasted ``BUSY_DELAY_MS``. Presentation only; the work runs in ``ui.workers``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QElapsedTimer, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from citizen_rights_desktop.persian.text import to_persian_digits

BUSY_DELAY_MS = 200  # anything longer shows its progress


@contextmanager
def wait_cursor() -> Iterator[None]:
    """A wait cursor for short work in the GUI thread (a backup before a delete, a new revision)."""
    QApplication.setOverrideCursor(Qt.WaitCursor)
    QApplication.processEvents(QEventLoop.ExcludeUserInputEvents)  # the cursor changes before the work blocks
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def progress_text(label: str, done: int, total: int) -> str:
    """``label`` and how far the work is: «صفحه ۵ از ۱۹», or «صفحه ۵» while the total is unknown."""
    if done <= 0:
        return label
    if total > 0:
        return f"{label}\nصفحه {to_persian_digits(min(done, total))} از {to_persian_digits(total)}"
    return f"{label}\nصفحه {to_persian_digits(done)}"


class BusyFeedback(QObject):
    """A busy cursor from ``start()``, and after ``BUSY_DELAY_MS`` a window-modal progress dialog
    with the current step and page count, until ``finish()``. ``texts`` keeps every label shown."""

    def __init__(self, window, label: str):
        super().__init__(window)
        self.window, self.label = window, label
        self.texts: list[str] = [label]
        self.dialog = QProgressDialog(label, "", 0, 0, window)
        self.dialog.setWindowTitle("لطفاً صبر کنید")
        self.dialog.setCancelButton(None)
        self.dialog.setWindowModality(Qt.WindowModal)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumWidth(420)
        self.dialog.setMinimumDuration(24 * 3600 * 1000)  # shown by our own timer, not Qt's (4 s)
        self.dialog.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(BUSY_DELAY_MS)
        self._timer.timeout.connect(self._show)
        self._cursor = False
        self._clock = QElapsedTimer()
        self.finished = False

    def start(self) -> BusyFeedback:
        QApplication.setOverrideCursor(Qt.WaitCursor)
        self._cursor = True
        self._clock.start()
        self._timer.start()
        return self

    def pump(self) -> None:
        """For work in the GUI thread (drawing pages for the printer), between two steps: show the
        dialog once the work has lasted ``BUSY_DELAY_MS`` and repaint it (no user input is taken)."""
        if not self.finished and not self.dialog.isVisible() and self._clock.elapsed() >= BUSY_DELAY_MS:
            self.dialog.show()
        QApplication.processEvents(QEventLoop.ExcludeUserInputEvents)

    def _show(self) -> None:
        if not self.finished:
            self.dialog.show()

    @property
    def visible(self) -> bool:
        return self.dialog.isVisible()

    def step(self, label: str) -> None:
        """A new step of the work (e.g. from making the PDF to preparing the pages for the printer)."""
        self.label = label
        self.update(0, 0)

    def update(self, done: int, total: int) -> None:
        if total > 0:
            self.dialog.setRange(0, total)
            self.dialog.setValue(min(done, total))
        else:
            self.dialog.setRange(0, 0)
        text = progress_text(self.label, done, total)
        if text != self.texts[-1]:
            self.texts.append(text)
        self.dialog.setLabelText(text)

    def finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        self._timer.stop()
        if self._cursor:
            QApplication.restoreOverrideCursor()
            self._cursor = False
        self.dialog.reset()
        self.dialog.close()
        self.dialog.deleteLater()
