"""What is typed is saved at once, not after a pause (issue 17, item 2: a power cut half a second
after the last key lost the phrase)."""

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication


def _type(widget, text: str) -> None:
    for char in text:  # one event per character: qtbot.keyClicks aborts on Persian text (PITFALLS.md)
        QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyPress, Qt.Key_unknown, Qt.NoModifier, char))
        QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyRelease, Qt.Key_unknown, Qt.NoModifier, char))


def test_a_typed_reason_is_in_the_database_as_soon_as_the_key_is_handled(qtbot, store, form, demo_id):
    from ui.fields import TextEditor
    from ui.session import ReportSession

    session = ReportSession(store, form, store.load_report(demo_id))
    section = next(k for k, s in store.load_report(demo_id).sections.items() if s.status == "no")
    editor = TextEditor(form.indicator(section).reason_label, "", lambda text: session.set_reason(section, text))
    qtbot.addWidget(editor)
    editor.show()
    editor.input.setFocus()
    _type(editor.input, "دلیل تازه")
    QApplication.processEvents()  # one pass of the event loop, far less than the old half second
    assert store.load_report(demo_id).section(section).reason.endswith("دلیل تازه")


def test_number_and_date_fields_are_right_aligned_in_the_right_to_left_form(qtbot):
    """Issue 17, item 7: numbers were drawn at the left edge of their fields."""
    from citizen_rights_desktop.form.definition import Field
    from ui.fields import FieldEditor

    for field_type in ("integer", "number", "percent", "text", "date"):
        editor = FieldEditor(Field(id="f", label="برچسب", type=field_type), None, lambda text: None)
        qtbot.addWidget(editor)
        line = editor.input.line if field_type == "date" else editor.input
        assert line.alignment() & Qt.AlignRight, field_type
