"""Issue 17, item 9 (feedback): preview without a PDF viewer says so and offers to save the PDF;
printing shows its progress within 200 ms, step by step and page by page; a cross-field rule's
message stands beside the fields it names, not only at the top of the page."""

from __future__ import annotations

import re
import sys
import time

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from ui import pdf_viewer, report_actions
from ui.pdf_viewer import NO_VIEWER_FA, SaveOffer

PAGE_OF = re.compile(r"صفحه [۰-۹]+ از [۰-۹]+")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def infos(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: shown.append((title, text)) or QMessageBox.Ok)
    return shown


def _window(make_window, report_id):
    window = make_window()
    window.show_reports(select=report_id)
    return window


# --- preview without a PDF viewer ---------------------------------------------------------------


def test_preview_without_a_pdf_viewer_says_so_and_offers_to_save_the_pdf(qtbot, make_window, demo_id, monkeypatch, tmp_path, infos, messages):
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)  # no program for PDF
    window = _window(make_window, demo_id)
    with qtbot.waitSignal(window.actions.done, timeout=30000):
        window.run_action("preview", demo_id)
    offer = window.actions.viewer_dialog
    assert isinstance(offer, SaveOffer) and offer.isVisible()  # shown, and the window went on (not exec'd)
    assert NO_VIEWER_FA in offer.text() and "ذخیره" in offer.text()
    assert offer.save_button.text() == "ذخیره PDF…" and not infos and not messages
    target = tmp_path / "saved" / "پیش‌نمایش.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    offer.save_button.click()
    assert target.read_bytes().startswith(b"%PDF") and offer.saved == target
    assert "PDF ذخیره شد" in window.statusBar().currentMessage()


def test_preview_when_the_viewer_cannot_work_offers_to_save_too(qtbot, make_window, demo_id, monkeypatch, opened_urls, infos, messages):
    """openUrl starts xdg-open and says yes, but no program shows PDF: that is told as well."""
    monkeypatch.setattr(report_actions, "viewer_missing", lambda: True)
    window = _window(make_window, demo_id)
    with qtbot.waitSignal(window.actions.done, timeout=30000):
        window.run_action("preview", demo_id)
    assert len(opened_urls) == 1  # it was tried
    offer = window.actions.viewer_dialog
    assert offer is not None and offer.isVisible() and NO_VIEWER_FA in offer.text()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xdg-mime is asked on Linux desktops")
def test_viewer_missing_asks_xdg_mime_which_program_shows_pdf(tmp_path, monkeypatch):
    tool = tmp_path / "bin" / "xdg-mime"
    tool.parent.mkdir()
    monkeypatch.setenv("PATH", str(tool.parent))
    assert pdf_viewer.viewer_missing() is False  # no xdg-mime: it cannot be told, openUrl decides
    tool.write_text("#!/bin/sh\nexit 0\n")
    tool.chmod(0o755)
    assert pdf_viewer.viewer_missing() is True  # nothing registered for application/pdf
    tool.write_text("#!/bin/sh\necho org.gnome.Evince.desktop\n")
    assert pdf_viewer.viewer_missing() is False


# --- printing: busy feedback within 200 ms, page by page ------------------------------------------


def test_printing_shows_its_progress_within_200_ms_page_by_page(qtbot, make_window, demo_id, monkeypatch, tmp_path, messages):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    output = tmp_path / "printed.pdf"

    def fake_exec(dialog):
        dialog.printer().setOutputFormat(QPrinter.PdfFormat)
        dialog.printer().setOutputFileName(str(output))
        return QPrintDialog.Accepted

    render = report_actions.produce_pdf

    def slow_render(*args, **kwargs):  # at least a second of work, whatever the machine
        time.sleep(1.0)
        return render(*args, **kwargs)

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    monkeypatch.setattr(report_actions, "produce_pdf", slow_render)
    monkeypatch.setattr(report_actions, "RASTER_DPI", 40)
    window = _window(make_window, demo_id)
    actions = window.actions
    started = time.monotonic()
    window.run_action("print", demo_id)
    assert QApplication.overrideCursor() is not None  # at once
    feedback = actions.progress
    qtbot.waitUntil(lambda: feedback.visible, timeout=2000)
    assert time.monotonic() - started < 1.0  # shown while the rendering (over a second) still runs
    with qtbot.waitSignal(actions.done, timeout=60000) as done:
        pass
    assert done.args[0] == "print" and done.args[1][0] == "printed" and not messages
    steps = feedback.texts
    assert steps[0] == "در حال ساخت صفحات گزارش…"
    preparing = [t for t in steps if t.startswith("در حال آماده‌سازی صفحات برای چاپگر…")]
    assert preparing and any(PAGE_OF.search(t) for t in preparing), steps  # «صفحه ۵ از ۱۹»
    assert actions.progress is None and not feedback.visible
    assert QApplication.overrideCursor() is None  # restored


# --- a cross-field rule beside its fields ---------------------------------------------------------


def _type(page, field_id, text):
    editor = page.field_editors[field_id]
    editor.set_text(text)
    editor.flush()


def test_indicator_12s_rule_shows_beside_both_of_its_fields(qtbot, yes_page, messages):
    _report_id, workspace, page = yes_page("i12")
    rule = "تعداد شکایات با موضوع ادبیات غیر محترمانه نمی‌تواند بیشتر از کل شکایات باشد."
    total, disrespect = page.rule_marks.lines["complaints_total"], page.rule_marks.lines["complaints_disrespect"]
    assert total.text() == disrespect.text() == ""
    reserved = total.height()
    assert reserved > 0 and total.isVisibleTo(page)  # its place is there before any message
    _type(page, "complaints_total", "10")
    _type(page, "complaints_disrespect", "50")
    workspace.revalidate()
    assert total.text() == disrespect.text() == f"⚠ {rule}"
    assert rule in page.problems_label.text()  # and still in the list at the top
    editor = page.field_editors["complaints_total"]  # right under the field it names
    assert editor.geometry().bottom() <= total.geometry().top() and total.parentWidget() is editor.parentWidget()
    _type(page, "complaints_total", "120")
    workspace.revalidate()
    assert total.text() == disrespect.text() == ""
    assert total.minimumHeight() >= reserved  # mended: the line keeps its place (nothing moves)


def test_indicator_21s_count_rule_shows_under_the_count_and_under_the_table(qtbot, yes_page, messages):
    _report_id, workspace, page = yes_page("i21")
    _type(page, "times_per_year", "3")
    page.table("sessions").add_row()
    workspace.revalidate()
    lines = page.rule_marks.lines
    assert set(lines) == {"times_per_year", "sessions"}
    assert lines["times_per_year"].text().startswith("⚠ شمار تاریخ‌های جلسات")
    assert lines["sessions"].text() == lines["times_per_year"].text()
    assert page.table("sessions").isAncestorOf(lines["sessions"]) is False and lines["sessions"].isVisibleTo(page)

