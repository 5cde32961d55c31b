"""A busy cursor for short work done in the GUI thread (a page being built, a key being unlocked).

(Restored after being overwritten by mistake by the issue-17 feedback helper; the progress dialog
for work in a worker thread is ``ui.progress_feedback``.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication


@contextmanager
def busy_cursor() -> Iterator[None]:
    """A wait cursor until the block ends (the cursor changes before the work blocks the loop)."""
    QApplication.setOverrideCursor(Qt.WaitCursor)
    QApplication.processEvents(QEventLoop.ExcludeUserInputEvents)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


@contextmanager
def busy(parent=None, text: str | None = None) -> Iterator[None]:
    """``busy_cursor`` with, when given, ``text`` in the parent window's status bar meanwhile."""
    bar = parent.window().statusBar() if parent is not None and hasattr(parent.window(), "statusBar") else None
    if bar is not None and text:
        bar.showMessage(text)
    try:
        with busy_cursor():
            yield
    finally:
        if bar is not None and text:
            bar.clearMessage()
