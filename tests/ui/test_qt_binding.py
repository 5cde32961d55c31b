"""The Qt binding must not leak references to None (PySide6 6.12.0 does, and Python 3.11 then aborts)."""

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_none_alive(qapp):
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("متن")
    after = sys.getrefcount(None)
    assert before - after < 100, f"each Qt call took a reference from None ({before} -> {after}): use PySide6 < 6.12"
