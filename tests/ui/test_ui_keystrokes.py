"""A clerk at the keyboard (issue 17, items 1 and 10): real key events, as the window system delivers
them, into the tables of the wizard; what was typed is read back through the core.

Keys go to the main window's ``QWindow`` (``QTest`` on a window), which hands each to the widget that
has the focus when it arrives, as X11 or Windows do: a key typed while an editor is closing goes
wherever the application really sends it, not to a widget the test picked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from citizen_rights_desktop.editing.report_list import new_report
from citizen_rights_desktop.form.values import InvalidValue, keep_typed, parse_value
from tests.ui.conftest import wait_loaded


class Keyboard:
    """Real key presses on a window; ``pause_ms`` between keys, as a person types (timers run)."""

    def __init__(self, window, pause_ms: int = 0):
        self.window = window.windowHandle()
        self.pause_ms = pause_ms
        self.count = 0  # characters typed

    def press(self, key, modifiers=Qt.NoModifier) -> None:
        QTest.keyClick(self.window, key, modifiers)
        self._pause()

    def type(self, text: str, after_each=None) -> None:
        """One press and release per character (``QTest.keyClicks`` aborts on Persian: PITFALLS.md)."""
        for char in text:
            try:
                key = Qt.Key(ord(char.upper()))
            except ValueError:
                key = Qt.Key_unknown
            QTest.sendKeyEvent(QTest.KeyAction.Click, self.window, key, char, Qt.NoModifier)
            self.count += 1
            self._pause()
            if after_each is not None:
                after_each()

    def _pause(self) -> None:
        if self.pause_ms:
            QTest.qWait(self.pause_ms)


def open_report(qtbot, make_window, store, form, office_id):
    report_id = new_report(store, form, office_id)
    window = make_window()
    window.open_report(report_id)
    return report_id, window, wait_loaded(qtbot, window)


def answer_yes(ws, keys: Keyboard, indicator_id: str):
    """Go to an indicator and answer yes with Ctrl+1, as a clerk does; returns its page."""
    ws.go_to(indicator_id)
    page = ws.page(indicator_id)
    page.radios["yes"].setFocus()  # where the clerk clicks first
    keys.press(Qt.Key_1, Qt.ControlModifier)
    assert page.status() == "yes"
    return page


def saved_rows(store, report_id, section_id, table_id) -> list[dict]:
    return [row.cells for row in store.load_report(report_id).section(section_id).rows(table_id)]


def core_value(spec, typed: str):
    """What the core stores for ``typed`` in a cell (kept as typed when it does not parse)."""
    try:
        return parse_value(spec.type, typed.strip(), spec.option_labels, spec.bounds)
    except InvalidValue:
        return keep_typed(typed.strip())


def focused_cell(table):
    """(row, column) of the cell being typed in, or None when no cell editor has the focus."""
    focus = QApplication.focusWidget()
    if focus is None or focus is table.view or not table.view.isAncestorOf(focus):
        return None
    index = table.view.currentIndex()
    return index.row(), index.column()


# --- item 1: keystrokes lost after a choice cell --------------------------------------------------


def test_typing_right_after_tabbing_out_of_a_choice_cell_keeps_every_character(qtbot, make_window, store, form, office_id):
    """The clerk's report: the characters typed after Tab out of a choice cell were dropped (or
    went to another cell). A pause mid-phrase, as a clerk thinks, lets the page revalidate: Qt then
    reloaded the open editor from the model and threw away what had been typed."""
    report_id, window, ws = open_report(qtbot, make_window, store, form, office_id)
    keys = Keyboard(window, pause_ms=25)
    page = answer_yes(ws, keys, "i02")
    keys.press(Qt.Key_Insert, Qt.ControlModifier)  # add a row: its first cell opens for typing
    keys.type("ثبت درخواست")
    keys.press(Qt.Key_Tab)
    keys.press(Qt.Key_Down)  # the choice: «شناسنامه دار»
    keys.press(Qt.Key_Tab)
    keys.type("درگاه ")
    QTest.qWait(700)  # thinking: the revalidation (400 ms) runs now
    keys.type("اینترنتی اداره")
    keys.press(Qt.Key_Tab)  # the last cell: Tab leaves the table
    expected = [{"process": "ثبت درخواست", "registration": "registered", "announcement": "درگاه اینترنتی اداره"}]
    assert saved_rows(store, report_id, "i02", "processes") == expected
    assert [row.cells for row in page.table("processes").model.rows] == expected


def test_a_pause_after_a_space_keeps_the_space(qtbot, make_window, store, form, office_id):
    """Qt reloads an open editor when its cells change (here the missing-cell colours after the
    validation); the reload put back the saved text, without the space being typed."""
    report_id, window, ws = open_report(qtbot, make_window, store, form, office_id)
    keys = Keyboard(window, pause_ms=10)
    answer_yes(ws, keys, "i23")
    keys.press(Qt.Key_Insert, Qt.ControlModifier)
    keys.type("شکایت ")
    QTest.qWait(600)
    keys.type("کتبی")
    keys.press(Qt.Key_Tab)
    keys.type("۳ روز")
    keys.press(Qt.Key_Tab)
    assert saved_rows(store, report_id, "i23", "response_times") == [{"complaint_type": "شکایت کتبی", "response_time": "۳ روز"}]


# --- the class: every keystroke is in the database before the next one ---------------------------


def test_every_keystroke_in_a_cell_is_saved_before_the_next_key(qtbot, make_window, store, form, office_id):
    """Text, number, date and choice cells: after each key the core's store holds what the cell shows."""
    report_id, window, ws = open_report(qtbot, make_window, store, form, office_id)
    keys = Keyboard(window)
    checked = []

    def check(section_id, table_id, column_id, typed):
        spec = form.section(section_id).table(table_id).column(column_id)

        def now():
            now.done += 1
            cells = saved_rows(store, report_id, section_id, table_id)[-1]
            assert cells.get(column_id) == core_value(spec, typed[: now.done]), (column_id, typed[: now.done])
            checked.append(column_id)

        now.done = 0
        return now

    for section_id, table_id, cells in (
        ("i08", "clients_per_service", [("service", "صدور پروانه کسب"), ("average_clients_per_month", "۱۲۴۰")]),
        ("i21", "sessions", [("date", "۱۳۹۸/۰۳/۲۱")]),
        ("i02", "processes", [("process", "استعلام"), ("registration", None), ("announcement", "تابلو")]),
    ):
        answer_yes(ws, keys, section_id)
        keys.press(Qt.Key_Insert, Qt.ControlModifier)
        for column_id, text in cells:
            if text is None:  # a choice: saved as soon as it is picked, before Tab
                keys.press(Qt.Key_Down)
                keys.press(Qt.Key_Down)
                assert saved_rows(store, report_id, section_id, table_id)[-1][column_id] == "unregistered"
            else:
                keys.type(text, after_each=check(section_id, table_id, column_id, text))
            keys.press(Qt.Key_Tab)
    assert len(checked) == len("صدور پروانه کسب" "۱۲۴۰" "۱۳۹۸/۰۳/۲۱" "استعلام" "تابلو")
    assert saved_rows(store, report_id, "i21", "sessions") == [{"date": parse_value("date", "۱۳۹۸/۰۳/۲۱")}]


WORDS = ["ثبت", "درخواست", "صدور", "مجوز", "پروانه", "کسب", "استعلام", "ملکی", "تمدید", "گواهی", "پرداخت", "عوارض", "بازدید", "کارشناسی"]


def _text(n: int, words: int) -> str:
    return " ".join(WORDS[(n * 3 + i) % len(WORDS)] for i in range(words))


def test_a_thousand_typed_characters_are_saved_exactly(qtbot, make_window, store, form, office_id):
    """Done when (issue 17): 1,000 characters typed with real keys across text, number, choice and
    date cells, Tab between cells and Ctrl+Ins for each new row, read back through the core."""
    report_id, window, ws = open_report(qtbot, make_window, store, form, office_id)
    keys = Keyboard(window)
    plans = {  # indicator, table: the cells of a row (None: a choice, picked with Down)
        ("i02", "processes"): lambda n: [_text(n, 2), ("Down",) * (1 + n % 2), _text(n + 1, 3)],
        ("i08", "clients_per_service"): lambda n: [_text(n, 3), str(n * 37 % 5000).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))],
        ("i21", "sessions"): lambda n: [f"۱۳۹۸/{1 + n % 12:02d}/{1 + n % 28:02d}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))],
    }
    expected: dict[tuple[str, str], list[dict]] = {key: [] for key in plans}
    n = 0
    while keys.count < 1000:
        for (section_id, table_id), plan in plans.items():
            if keys.count >= 1000:
                break
            table_def = form.section(section_id).table(table_id)
            page = answer_yes(ws, keys, section_id) if ws.current_key != section_id else ws.page(section_id)
            table = page.table(table_id)
            keys.press(Qt.Key_Insert, Qt.ControlModifier)
            assert focused_cell(table) == (len(table.model.rows) - 1, 0)
            row = {}
            for spec, cell in zip(table_def.columns, plan(n)):
                if isinstance(cell, tuple):
                    for _ in cell:
                        keys.press(Qt.Key_Down)
                    row[spec.id] = spec.options[len(cell) - 1].id
                else:
                    keys.type(cell)
                    row[spec.id] = parse_value(spec.type, cell, spec.option_labels, spec.bounds)
                keys.press(Qt.Key_Tab)
            assert focused_cell(table) is None  # Tab after the last cell left the table
            expected[(section_id, table_id)].append(row)
            n += 1
    assert keys.count >= 1000
    for (section_id, table_id), rows in expected.items():
        assert saved_rows(store, report_id, section_id, table_id) == rows, table_id


# --- Escape and a refused number -------------------------------------------------------------------


def test_escape_puts_back_what_the_cell_held_and_a_refused_number_is_not_kept(qtbot, make_window, store, form, office_id, messages):
    report_id, window, ws = open_report(qtbot, make_window, store, form, office_id)
    keys = Keyboard(window)
    page = answer_yes(ws, keys, "i08")
    table = page.table("clients_per_service")
    keys.press(Qt.Key_Insert, Qt.ControlModifier)
    keys.type("مشاوره")
    keys.press(Qt.Key_Tab)
    keys.type("۱۲")
    keys.press(Qt.Key_Backtab, Qt.ShiftModifier)  # back to the first cell, its text selected
    keys.type("نو")
    assert saved_rows(store, report_id, "i08", "clients_per_service") == [{"service": "نو", "average_clients_per_month": 12}]
    keys.press(Qt.Key_Escape)
    assert saved_rows(store, report_id, "i08", "clients_per_service") == [{"service": "مشاوره", "average_clients_per_month": 12}]
    assert table.model.rows[0].cells["service"] == "مشاوره"
    keys.press(Qt.Key_Tab)  # the grid moves to the number; typing replaces it
    keys.type("-۵")  # below the column's range: refused, the cell keeps ۱۲
    assert saved_rows(store, report_id, "i08", "clients_per_service")[0]["average_clients_per_month"] == 12
    keys.press(Qt.Key_Return)
    assert saved_rows(store, report_id, "i08", "clients_per_service")[0]["average_clients_per_month"] == 12
    assert table.problem.isVisibleTo(table) and table.problem.text().startswith("ردیف ۱، «")


# --- item 10: the Tab order --------------------------------------------------------------------------


def _where(page, widget) -> str:
    for status, radio in page.radios.items():
        if widget is radio:
            return f"radio {status}"
    for field_id, editor in page.field_editors.items():
        if editor.isAncestorOf(widget):
            return f"field {field_id}"
    for table in page.tables:
        if widget is table.view:
            return f"table {table.table.id}"
        if table.isAncestorOf(widget):
            return f"table {table.table.id} {type(widget).__name__} {getattr(widget, 'text', lambda: '')()}"
    if page.evidence.isAncestorOf(widget):
        return "evidence"
    return type(widget).__name__


def test_tab_goes_from_the_gate_to_the_questions_the_table_and_the_evidence(qtbot, make_window, store, form, office_id):
    _, window, ws = open_report(qtbot, make_window, store, form, office_id)
    keys = Keyboard(window)
    page = answer_yes(ws, keys, "i21")
    page.radios["yes"].setFocus()
    order = [_where(page, QApplication.focusWidget())]
    for _ in range(4):
        keys.press(Qt.Key_Tab)
        order.append(_where(page, QApplication.focusWidget()))
    assert order == ["radio yes", "field mechanism", "field times_per_year", "table sessions", "evidence"]
    for _ in range(4):
        keys.press(Qt.Key_Backtab, Qt.ShiftModifier)
        order.append(_where(page, QApplication.focusWidget()))
    assert order[5:] == ["table sessions", "field times_per_year", "field mechanism", "radio yes"]


def test_tab_moves_cell_by_cell_and_row_by_row_and_then_leaves_the_table(qtbot, make_window, store, form, office_id):
    report_id, window, ws = open_report(qtbot, make_window, store, form, office_id)
    keys = Keyboard(window)
    page = answer_yes(ws, keys, "i08")
    table = page.table("clients_per_service")
    for _ in range(2):
        keys.press(Qt.Key_Insert, Qt.ControlModifier)  # the second while the first row's cell is open
    assert table.model.rowCount() == 2
    table.view.setFocus()
    table.view.setCurrentIndex(table.model.index(0, 0))
    keys.press(Qt.Key_F2)  # open the first cell
    cells = [focused_cell(table)]
    for _ in range(3):
        keys.press(Qt.Key_Tab)
        cells.append(focused_cell(table))
    assert cells == [(0, 0), (0, 1), (1, 0), (1, 1)]
    for _ in range(3):
        keys.press(Qt.Key_Backtab, Qt.ShiftModifier)
        cells.append(focused_cell(table))
    assert cells[4:] == [(1, 0), (0, 1), (0, 0)]
    keys.press(Qt.Key_Backtab, Qt.ShiftModifier)  # before the first cell: out, back to the gate
    assert focused_cell(table) is None and _where(page, QApplication.focusWidget()).startswith("radio")
    table.view.setFocus()
    table.view.setCurrentIndex(table.model.index(1, 1))
    keys.press(Qt.Key_F2)
    keys.type("۷")
    keys.press(Qt.Key_Tab)  # after the last cell: out of the table, never back to its first cell
    assert focused_cell(table) is None and _where(page, QApplication.focusWidget()) == "table facilities"
    keys.type("سالن")  # typed into the next table, not appended to the first cell of this one
    assert saved_rows(store, report_id, "i08", "clients_per_service") == [{}, {"average_clients_per_month": 7}]


def test_typing_goes_on_in_the_cell_after_another_window_took_the_keyboard(qtbot, make_window, store, form, office_id):
    """A popup or another program takes the keyboard for a moment (the combo box's list closing, a
    message): the cell's editor used to close then, and the next key reopened the cell with its text
    selected, so it replaced what had been typed."""
    from PySide6.QtWidgets import QLabel

    report_id, window, ws = open_report(qtbot, make_window, store, form, office_id)
    keys = Keyboard(window)
    answer_yes(ws, keys, "i23")
    keys.press(Qt.Key_Insert, Qt.ControlModifier)
    keys.type("شکایت")
    other = QLabel("پیام")
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    keys.type(" کتبی")
    keys.press(Qt.Key_Tab)
    assert saved_rows(store, report_id, "i23", "response_times") == [{"complaint_type": "شکایت کتبی"}]
