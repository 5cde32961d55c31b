"""Screenshots of the quarterly program report (issue 14) in the wizard, under Xvfb:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_programs_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE))

from PySide6.QtWidgets import QApplication  # noqa: E402

from citizen_rights_desktop.editing.demo import demo_report  # noqa: E402
from make_screenshots import SIZE, scroll_to, shoot, wait_loaded  # noqa: E402
from ui.app import build_main_window  # noqa: E402


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setLayoutDirection(__import__("PySide6.QtCore", fromlist=["Qt"]).Qt.RightToLeft)
    folder = Path(tempfile.mkdtemp())
    window = build_main_window(folder / "programs.sqlite3", None)
    store = window.store
    form = window.catalog.latest("citizen_rights_programs")
    report_id = demo_report(store, form)
    report = store.load_report(report_id)
    window.resize(*SIZE)
    window.show()
    window.open_report(report_id)
    wait_loaded(window)
    ws = window.workspace
    partly = next(i for i in form.indicators if report.section(i.id).status == "partly")
    ws.go_to(partly.id)
    page = ws.page(partly.id)
    scroll_to(page, page.radios["done"].parentWidget())
    shoot(window, "programs-action-partly.png")
    target = next(i for i in form.indicators if i.target is not None)
    ws.go_to(target.id)
    page = ws.page(target.id)
    scroll_to(page, page.radios["done"].parentWidget())
    shoot(window, "programs-action-target.png")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
