"""Issue 17, item 8 and the font size of item 7: the office window on a 1024×600 screen and at font
size 24 — every column of the reports list (the send column too) and the main buttons within the
window, the side panel collapsible and remembered, no label cut and the font in menus too."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMenu

from citizen_rights_desktop.settings import FONT_SIZES, load_settings
from tests.ui.conftest import wait_loaded
from ui.adaptive import ElidedLabel, FlowLayout
from ui.reports_page import share_widths

SMALL = (1024, 600)
LONG_SEND = "ویرایش ۲ در فایل ذخیره شد: ۱۴۰۳/۰۵/۱۲؛ ستاد: بازگشت داده شد (۱۲ نظر)"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """The settings (side panel, font size, folders) in a folder of this test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def font_size():
    """``font_size(n)``: the application's font at ``n`` points for this test (restored after)."""
    from ui.settings_dialog import apply_font_size

    app = QApplication.instance()
    original = app.font().pointSize()
    yield lambda size: apply_font_size(size, app)
    apply_font_size(original, app)


def small_window(qtbot, make_window, demo_id):
    window = make_window()
    window.resize(*SMALL)
    window.show_reports(select=demo_id)
    entries = window.reports_page.entries
    window.reports_page.set_entries(entries, select=demo_id, exchange={e.id: LONG_SEND for e in entries})
    settle(window)
    return window


def settle(window) -> None:
    for _ in range(5):
        QApplication.processEvents()
    assert (window.width(), window.height()) == SMALL


def inside(widget, window) -> bool:
    """Whether ``widget`` lies within the window, left to right (a page may scroll up and down)."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    return top_left.x() >= 0 and top_left.x() + widget.width() <= window.width()


def assert_columns_visible(table) -> None:
    header = table.horizontalHeader()
    assert not table.horizontalScrollBar().isVisible()
    for column in range(table.columnCount()):
        left = header.sectionViewportPosition(column)
        assert left >= 0 and left + header.sectionSize(column) <= table.viewport().width(), column
        assert header.sectionSize(column) >= header.fontMetrics().averageCharWidth() * 3, column


def main_buttons(window):
    page = window.reports_page
    return [page.new_button, page.open_button, page.duplicate_button, page.delete_button, page.office_button,
            page.feedback_button, *page.action_buttons.values()]  # fmt: skip


def test_the_reports_list_fits_1024x600_with_its_send_column(qtbot, make_window, demo_id):
    window = small_window(qtbot, make_window, demo_id)
    assert window.minimumSizeHint().width() <= SMALL[0] and window.minimumSizeHint().height() <= SMALL[1]
    table = window.reports_page.table
    assert_columns_visible(table)
    assert inside(table, window)
    for button in main_buttons(window):
        assert button.isVisible() and inside(button, window), button.text()
        assert QRect(QPoint(0, 0), window.size()).contains(
            QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        )
    send = table.item(0, 7)
    assert send.text() == LONG_SEND and send.toolTip() == LONG_SEND
    # the send column shows its whole text (its words wrap): the row is as tall as the text needs
    rect = table.visualItemRect(send)
    assert (
        table.fontMetrics().boundingRect(rect.adjusted(4, 0, -4, 0), 0x1000, LONG_SEND).height()
        <= rect.height()
    )


def test_the_wizard_at_1024x600_collapses_its_side_panel_and_remembers_it(qtbot, make_window, demo_id):
    window = make_window()
    window.resize(*SMALL)
    window.open_report(demo_id)
    workspace = wait_loaded(qtbot, window)
    workspace.go_to("i04")
    settle(window)
    side, rest = workspace.splitter.sizes()
    assert side <= 0.32 * SMALL[0] and rest >= 0.65 * SMALL[0]  # it took 430 of 1024 pixels (42 %)
    for widget in (
        workspace.back_button,
        workspace.side_button,
        workspace.prev_button,
        workspace.next_button,
        *workspace.action_buttons.values(),
    ):
        assert widget.isVisible() and inside(widget, window), widget.text()

    action = window.menu_actions["side_panel"]
    assert action.shortcut().toString() == "Ctrl+B" and action.isChecked()
    action.trigger()  # menu «نمایش», or Ctrl+B
    assert not workspace.tree.isVisible() and not workspace.side_button.isChecked()
    assert load_settings().side_panel_hidden
    window.show_reports()
    window.open_report(demo_id)  # the next report opens with the panel hidden, as the clerk left it
    workspace = wait_loaded(qtbot, window)
    assert not workspace.side_panel_visible()
    workspace.side_button.click()  # the button in the wizard's top line
    assert workspace.side_panel_visible() and action.isChecked() and not load_settings().side_panel_hidden


def visible_widgets(root, kind):
    return [w for w in root.findChildren(kind) if w.isVisible() and w.window() is root.window()]


def assert_not_clipped(root, size: int) -> None:
    for label in visible_widgets(root, QLabel):
        if not label.text():
            continue
        assert label.font().pointSize() >= size, label.text()  # styled labels follow too
        if isinstance(label, ElidedLabel):
            assert label.toolTip() == label.text()  # shortened with «…», whole in its tooltip
        elif label.wordWrap():
            assert label.heightForWidth(label.width()) <= label.height() + 1, label.text()
        else:
            assert label.sizeHint().width() <= label.width() + 1, label.text()
    for button in visible_widgets(root, QAbstractButton):
        if button.text():
            assert (
                button.sizeHint().width() <= button.width() + 1
                and button.sizeHint().height() <= button.height() + 1
            ), button.text()


def test_font_size_24_applies_everywhere_without_cutting(qtbot, make_window, demo_id, font_size):
    assert FONT_SIZES[-1] == 24
    window = small_window(qtbot, make_window, demo_id)
    dialog = window.show_settings()
    dialog.font_size.setCurrentIndex(dialog.font_size.findData(24))  # previewed at once, on the open window
    assert dialog.save()
    settle(window)
    assert window.minimumSizeHint().width() <= SMALL[0] and window.minimumSizeHint().height() <= SMALL[1]
    assert_columns_visible(window.reports_page.table)
    for button in main_buttons(window):
        assert inside(button, window), button.text()
    assert_not_clipped(window.reports_page, 24)
    title = window.reports_page.title_label
    assert title.font().pointSize() > 24  # a title stays larger than the text (17 points at 11)
    for menu in window.menuBar().findChildren(QMenu):
        assert menu.font().pointSize() == 24
        assert menu.sizeHint().width() <= SMALL[0] and menu.sizeHint().height() <= SMALL[1]
    assert window.menuBar().font().pointSize() == 24

    window.open_report(demo_id)
    workspace = wait_loaded(qtbot, window)
    for key in ("header", "review"):
        workspace.go_to(key)
        settle(window)
        assert_not_clipped(workspace, 24)
    workspace.go_to("i04")
    settle(window)
    for label in (workspace.title, workspace.completeness):
        assert label.font().pointSize() >= 24 and inside(label, window)


def test_columns_share_the_width_flexible_ones_first():
    natural, least = [300, 200, 100, 100, 100, 150, 120, 400], [80, 80, 60, 60, 50, 90, 60, 100]
    assert share_widths(2000, natural, least)[0] > 300  # room to spare: the flexible columns grow
    widths = share_widths(1000, natural, least)
    assert sum(widths) == 1000 and widths[2:7] == natural[2:7]  # the short ones keep their width
    widths = share_widths(500, natural, least)
    assert sum(widths) == 500 and all(w >= 1 for w in widths)


def test_flow_layout_wraps_instead_of_widening(qtbot):
    from PySide6.QtWidgets import QPushButton, QWidget

    holder = QWidget()
    flow = FlowLayout(holder)
    buttons = [QPushButton(f"دکمه شماره {i}") for i in range(6)]
    for button in buttons:
        flow.addWidget(button)
    qtbot.addWidget(holder)
    one_line = flow.sizeHint().width()
    assert flow.minimumSize().width() < one_line / 3
    assert flow.heightForWidth(one_line // 2) > flow.heightForWidth(one_line)
    holder.resize(one_line // 2, flow.heightForWidth(one_line // 2))
    holder.show()
    QApplication.processEvents()
    assert all(0 <= b.x() and b.x() + b.width() <= holder.width() for b in buttons)
    assert buttons[0].x() > buttons[1].x()  # right to left: the first button at the right
