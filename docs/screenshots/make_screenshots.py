"""Take the README screenshots of the office application (1366x768) into this folder.

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_screenshots.py
    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_screenshots.py --form-1398-2

Uses a throw-away database: the sample report, and a fresh report partly answered. The second
command takes only the form 1398.2 pages (``form-1398-2-*.png``: indicator 4's rows from indicator
2, indicator 5 answered no with its electronic question answered yes, indicator 28 answered no with
its evidence, the diagnostic form, the guideline's introduction). ``--out DIR`` writes elsewhere.
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
OUT = HERE


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
    path = OUT / name
    window.grab().save(str(path))
    print(f"wrote {path}")


def scroll_to(page, widget, margin: int = 12) -> None:
    """Scroll a wizard page so that ``widget`` is at the top of what is shown."""
    settle(page, 0.2)
    page.verticalScrollBar().setValue(max(0, widget.mapTo(page.widget(), widget.rect().topLeft()).y() - margin))


def form_1398_2(folder: Path) -> None:
    """The pages form 1398.2 added or changed, on a fresh report partly answered."""
    window = build_main_window(folder / "form.sqlite3", None)
    store, form = window.store, window.catalog.latest()
    office_id = store.load_report(demo_report(store, form)).office_id
    report_id = new_report(store, form, office_id, "1398")
    editor = ReportEditor(store, form, report_id)
    editor.set_status("i02", "yes")
    editor.paste_rows(
        "i02", "processes",
        "صدور سند مالکیت\tشناسنامه دار\tدرگاه اینترنتی اداره\n"
        "استعلام ملکی\tشناسنامه دار\tتابلو اعلانات\n"
        "گواهی پایان کار\tغیر شناسنامه دار\tپیامک\n",
    )  # fmt: skip
    editor.set_status("i04", "yes")
    editor.paste_rows("i04", "processes", "صدور سند مالکیت\tالکترونیکی شده اند\thttps://sabt.example.ir\n")
    editor.set_status("i05", "no")
    editor.set_reason("i05", "ساختمان های اداره در سه نقطه شهر پراکنده است و تجمیع فیزیکی ممکن نشده است.")
    editor.set_value("i05", "electronic_consolidated", "yes")
    editor.set_value("i05", "electronic_how", "همه خدمات الکترونیکی از درگاه یکپارچه استان ارائه می شود.")
    editor.paste_rows("i05", "electronic_processes", "صدور سند مالکیت\tتجمیع شده اند\nاستعلام ملکی\tتجمیع نشده اند\n")
    editor.set_status("i28", "no")
    editor.set_reason("i28", "در سال ۱۳۹۸ گزارشی از نقض حقوق شهروندی در نظام اداری به این اداره نرسیده است.")
    editor.set_value("diagnostic", "content_strengths", "جداول هر شاخص روشن و قابل فهم است.")
    editor.add_rows("diagnostic", "content_weaknesses", [{"weakness": "برخی شاخص ها جدول ندارند.", "suggestion": "برای همه شاخص ها جدول طراحی شود."}])
    window.resize(*SIZE)
    window.show()
    window.open_report(report_id)
    wait_loaded(window)
    ws = window.workspace

    ws.go_to("i04")  # the seed's items under «اگر بله», the table and «افزودن ردیف‌ها از شاخص ۲»
    page = ws.page("i04")
    scroll_to(page, page.radios["yes"].parentWidget())
    shoot(window, "form-1398-2-i04.png")

    # indicator 5: gate no (its reason), then the electronic question answered yes with its table;
    # a taller window so that both parts fit in one picture
    window.resize(SIZE[0], 1240)
    ws.go_to("i05")
    page = ws.page("i05")
    scroll_to(page, page.radios["yes"].parentWidget())
    shoot(window, "form-1398-2-i05.png")
    window.resize(*SIZE)

    ws.go_to("i28")  # no: the reason, and the evidence the seed asks for a no as well
    page = ws.page("i28")
    scroll_to(page, page.radios["yes"].parentWidget())
    shoot(window, "form-1398-2-i28.png")

    ws.go_to("diagnostic")
    shoot(window, "form-1398-2-diagnostic.png")

    ws.go_to("introduction")
    shoot(window, "form-1398-2-introduction.png")
    window.close()


def main() -> int:
    global OUT
    args = sys.argv[1:]
    if "--out" in args:
        OUT = Path(args[args.index("--out") + 1])
        OUT.mkdir(parents=True, exist_ok=True)
    app = application()
    folder = Path(tempfile.mkdtemp(prefix="screens-"))
    if "--form-1398-2" in args:
        form_1398_2(folder)
        app.quit()
        return 0

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
    editor.paste_rows("i02", "processes", "ثبت درخواست\tشناسنامه دار\tدرگاه اینترنتی اداره\n")
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
