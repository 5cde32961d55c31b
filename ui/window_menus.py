"""The main window's menus: the report's actions, the exchange with headquarters, the view (the
wizard's side panel, hidden or shown with a shortcut and remembered) and the tools.

Each shortcut is written beside its item, so the menus are also the list of shortcuts.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

REPORT_ACTIONS = (
    ("preview", "پیش‌نمایش"),
    ("print", "چاپ…"),
    ("sign", "ذخیره PDF امضاشده…"),
    ("bundle", "ارسال بسته…"),
    ("revision", "ویرایش جدید"),
)
HQ_ACTIONS = (
    ("profile", "وارد کردن فایل مشخصات ستاد…"),
    ("request", "ذخیره درخواست گواهی برای ستاد…"),
    ("certificate", "وارد کردن گواهی صادرشده ستاد…"),
    ("feedback", "دریافت بازخورد ستاد…"),
)
SIDE_PANEL_SHORTCUT = "Ctrl+B"
SIDE_PANEL_TEXT = "فهرست بخش‌ها (کنار صفحه)"


def build_menus(window) -> dict[str, QAction]:
    """The menus of ``ui.main_window.MainWindow``; returns its actions by name (``side_panel`` too)."""
    bar = window.menuBar()
    actions: dict[str, QAction] = {}
    report = bar.addMenu("گزارش")
    for name, text in REPORT_ACTIONS:
        action = report.addAction(text)
        action.triggered.connect(
            lambda _checked=False, n=name: window.run_action(n, window.current_report_id())
        )
        actions[name] = action
    report.addSeparator()
    report.addAction("فهرست گزارش‌ها").triggered.connect(lambda: window.show_reports())
    hq = bar.addMenu("ستاد")
    for name, text in HQ_ACTIONS:
        action = hq.addAction(text)
        action.triggered.connect(lambda _checked=False, n=name: window.run_action(n, ""))
        actions[name] = action
    hq.addSeparator()  # the outbox (issue 18): unlock the key once, then sending goes on by itself
    actions["send_queue"] = hq.addAction("ادامه ارسال صف به ستاد…")
    actions["send_queue"].triggered.connect(lambda: window.sending.resume())
    view = bar.addMenu("نمایش")
    side = view.addAction(SIDE_PANEL_TEXT)
    side.setCheckable(True)
    side.setChecked(not window.settings.side_panel_hidden)
    side.setShortcut(QKeySequence(SIDE_PANEL_SHORTCUT))  # shown beside the item
    side.toggled.connect(window.set_side_panel_visible)
    actions["side_panel"] = side
    tools = bar.addMenu("ابزار")
    tools.addAction("نسخه‌های پشتیبان…").triggered.connect(lambda: window.show_backups())
    tools.addAction("تنظیمات…").triggered.connect(lambda: window.show_settings())
    return actions
