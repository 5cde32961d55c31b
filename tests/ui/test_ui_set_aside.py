"""Issue 13 in the window: answers a 1398.1 draft gave that 1398.2 no longer asks are set aside when
the draft moves to 1398.2; their indicator's page shows them, read-only, in a muted box."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit

from citizen_rights_desktop.form.catalog import FormCatalog
from tests.test_form_upgrade import _old_draft
from tests.ui.conftest import wait_loaded
from ui.set_aside_box import HEADING_FA

HEADING = "پاسخ‌های نسخه پیشین فرم (۱۳۹۸٫۱) که در این نسخه پرسیده نمی‌شود؛ نگه داشته شده، چاپ یا ارسال نمی‌شود:"


@pytest.fixture
def upgraded(qtbot, make_window, store):
    """A 1398.1 draft, opened in the window (which moves it to 1398.2 first, as at every start)."""
    report_id = _old_draft(store, FormCatalog())
    window = make_window()
    assert store.load_report(report_id).form_version == "1398.2"
    window.open_report(report_id)
    return report_id, wait_loaded(qtbot, window)


def _box_text(page) -> str:
    return "\n".join(label.text() for label in page.set_aside.findChildren(QLabel))


def test_set_aside_answers_show_on_their_indicator_page_read_only(qtbot, upgraded, messages):
    _report_id, workspace = upgraded
    assert HEADING_FA.format(version="۱۳۹۸٫۱") == HEADING
    workspace.go_to("i29")
    page = workspace.page("i29")
    assert page.set_aside is not None and page.set_aside.isVisibleTo(page)
    text = _box_text(page)
    assert HEADING in text
    assert "• تاریخ ارائه گزارش عملکرد سالانه: «۱۳۹۹/۰۲/۲۰»" in text  # its 1398.1 label, the Jalali date
    # read-only: labels only, nothing to type into
    assert not page.set_aside.findChildren(QLineEdit) and not page.set_aside.findChildren(QPlainTextEdit)

    workspace.go_to("i02")
    text = _box_text(workspace.page("i02"))
    assert HEADING in text
    assert "جدول «" in text and "خدمت: «پروانه کسب»" in text  # the «خدمت» cell of the row typed in 1398.1
    assert "ردیف " in text

    # pages with nothing set aside have no box; nothing was changed by showing it
    assert workspace.page("i01").set_aside is None
    assert not messages
