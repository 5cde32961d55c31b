"""Screenshots of an inspection visit (issue 15) in the wizard, under Xvfb:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_inspection_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE))

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from citizen_rights_desktop.editing.inspection_demo import demo_inspection  # noqa: E402
from make_screenshots import SIZE, scroll_to, shoot, wait_loaded  # noqa: E402
from ui.app import build_main_window  # noqa: E402
from ui.visit_dialog import VisitDialog  # noqa: E402


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setLayoutDirection(Qt.RightToLeft)
    folder = Path(tempfile.mkdtemp())
    window = build_main_window(folder / "team.sqlite3", None)
    store = window.store
    form = window.catalog.latest("joint_inspection")
    report_id = demo_inspection(store, form)
    report = store.load_report(report_id)
    window.resize(*SIZE)
    window.show()
    window.open_report(report_id)
    wait_loaded(window)
    ws = window.workspace
    ws.go_to(form.opening.id)
    shoot(window, "inspection-team.png")
    finding = next(i for i in form.indicators if report.section(i.id).status == "not_compliant")
    ws.go_to(finding.id)
    page = ws.page(finding.id)
    scroll_to(page, page.radios["compliant"].parentWidget())
    shoot(window, "inspection-finding.png")
    ws.go_to("review")
    shoot(window, "inspection-review.png")
    dialog = VisitDialog(form, [("fars-sabt-shiraz", "اداره ثبت اسناد و املاک شهرستان شیراز"), ("fars-tax-1", "اداره کل امور مالیاتی استان فارس")], window)
    dialog.office.setCurrentIndex(1)
    dialog.show()
    app.processEvents()
    QTimer.singleShot(0, lambda: None)
    app.processEvents()
    dialog.grab().save(str(HERE / "inspection-new-visit.png"))
    dialog.close()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
