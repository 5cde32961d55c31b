"""The interface's part of ``citizen-rights --self-check``: Qt starts offscreen and loads the fonts."""

from __future__ import annotations

import os

from citizen_rights_desktop.cli.self_check import FONT_FILES
from citizen_rights_desktop.paths import fonts_dir


def qt_step() -> str | None:
    try:
        import PySide6  # noqa: F401
    except ImportError:
        return None
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])
    families = set()
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(fonts_dir() / name))
        if font_id < 0:
            raise ValueError(f"Qt cannot load {name}")
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    _ = app
    return f"qt: {', '.join(sorted(families))} loaded"
