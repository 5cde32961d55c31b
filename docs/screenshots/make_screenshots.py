"""Take the README screenshots of the office application (1366x768) into this folder.

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_screenshots.py

Uses a throw-away database: the sample report, and a fresh report partly answered.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from citizen_rights_desktop.editing.demo import demo_report  # noqa: E402
from citizen_rights_desktop.editing.editor import ReportEditor  # noqa: E402
from citizen_rights_desktop.editing.report_list import duplicate_report, new_report  # noqa: E402
from ui.app import application, build_main_window  # noqa: E402

SIZE = (1366, 768)


def settle(window, seconds: float = 0.3) -> None:
    end = time.time() + seconds
    while time.time() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def wait_loaded(window) -> None:
    end = time.time() + 20
    while (window.workspace is None or window.loading) and time.time() < end:
        QApplication.processEvents()
        time.sleep(0.01)
    settle(window)


def shoot(window, name: str) -> None:
    settle(window)
    path = HERE / name
    window.grab().save(str(path))
    print(f"wrote {path}")


def main() -> int:
    app = application()
    folder = Path(tempfile.mkdtemp(prefix="screens-"))

    # 1. first run: the setup page, partly filled in
    window = build_main_window(folder / "first.sqlite3", None)
    window.resize(*SIZE)
    window.show()
    setup = window.setup_page
    setup.agency.setText("اداره کل راه و شهرسازی استان گیلان")
    setup.province.setCurrentIndex(setup.province.findData("gilan"))
    setup.head_name.setText("حسین کریمی")
    setup.head_title.setText("مدیر کل")
    shoot(window, "setup.png")
    window.close()

    # 2. the reports list: the sample report, a fresh one partly answered, next year's copy
    window = build_main_window(folder / "reports.sqlite3", None)
    store, form = window.store, window.catalog.latest()
    demo_id = demo_report(store, form)
    office_id = store.load_report(demo_id).office_id
    fresh = new_report(store, form, office_id, "1399")
    editor = ReportEditor(store, form, fresh)
    editor.set_status("i01", "no")
    editor.set_reason("i01", "فهرست خدمات در دست بازنگری است.")
    editor.set_status("i02", "yes")
    editor.paste_rows("i02", "processes", "ثبت درخواست\tصدور سند\tثبت شده\n")
    editor.set_status("i03", "yes")
    editor.set_value("i03", "monitoring_points", "۱۲الف")
    editor.set_status("i04", "yes")
    editor.paste_rows("i04", "processes", "صدور سند\tالکترونیکی شده اند\t\nاستعلام ملکی\tالکترونیکی نشده اند\t\n")
    duplicate_report(store, demo_id, form, "1400")
    window.resize(*SIZE)
    window.show()
    window.show_reports(select=demo_id)
    shoot(window, "reports.png")

    # 3. an indicator page with a filled table (indicator 4 of the sample report)
    window.open_report(demo_id)
    wait_loaded(window)
    window.workspace.go_to("i04")
    shoot(window, "indicator.png")

    # 4. a not-applicable indicator with its justification and document
    na = next(ind.id for ind in form.indicators if store.load_report(demo_id).section(ind.id).status == "not_applicable")
    window.workspace.go_to(na)
    shoot(window, "not-applicable.png")

    # 5. the review page of the partly answered report
    window.open_report(fresh)
    wait_loaded(window)
    window.workspace.go_to("review")
    shoot(window, "review.png")
    window.workspace.go_to("i04")
    shoot(window, "indicator-incomplete.png")
    window.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
