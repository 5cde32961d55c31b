"""Editors for one question of the form, generated from its ``Field`` definition.

Each editor saves what was typed through a ``commit`` callable (the core parses and stores it)
shortly after typing stops, when focus leaves, and whenever ``flush()`` is called (page switch,
closing the window). A value the core could not parse is kept as typed and its Persian message is
shown under the editor; one it refused (a number out of range) is not saved, and the message says so.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from citizen_rights_desktop.editing.editor import EditResult
from citizen_rights_desktop.form.definition import Field
from citizen_rights_desktop.persian.jalali import InvalidDate, parse_date, to_jalali_text
from ui.formatting import edit_text, value_problem
from ui.jalali_calendar import JalaliCalendar

# Saved as soon as the key's event is handled (a zero timer only merges what arrives in one pass of
# the event loop): a power cut a moment after typing must not lose the phrase (issue 17). An answer
# is one synced SQLite transaction of about a millisecond (bench/bench_core.py).
COMMIT_DELAY_MS = 0
NO_CHOICE = "— انتخاب کنید —"

Commit = Callable[[str | None], EditResult | None]
NOTE_CSS = "color: #6b6b6b;"  # no italic: the bundled Persian font has none, and a synthesised fallback showed boxes


def wrapped_label(text: str, bold: bool = False, css: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    label.setTextFormat(Qt.PlainText)
    if bold:
        font = label.font()
        font.setWeight(QFont.DemiBold)
        label.setFont(font)
    if css:
        label.setStyleSheet(css)
    return label


def note_label(text: str) -> QLabel:
    """Our own explanation of an item (the form's ``note``): shown in the wizard, never printed."""
    label = wrapped_label(f"توضیح: {text}", css=NOTE_CSS)
    label.setObjectName("note")
    return label


class JalaliDateEdit(QWidget):
    """A Jalali date: typed (``۱۳۹۸/۰۲/۱۵``, any digits) or picked from a Jalali calendar (the week
    from Saturday, Friday the weekend, no week numbers: ``ui.jalali_calendar``)."""

    textChanged = Signal(str)
    editingFinished = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.line = QLineEdit()
        self.line.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.line.setPlaceholderText("۱۳۹۸/۰۱/۳۱")
        self.line.textChanged.connect(self.textChanged)
        self.line.editingFinished.connect(self.editingFinished)
        self.button = QToolButton()
        self.button.setText("تقویم")
        self.button.setToolTip("انتخاب تاریخ از تقویم شمسی")
        self.button.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(self.button)
        self.calendar = JalaliCalendar()
        self.calendar.clicked.connect(self._picked)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        self.button.setMenu(menu)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)

    def text(self) -> str:
        return self.line.text()

    def setText(self, text: str) -> None:
        self.line.setText(text)

    def setReadOnly(self, value: bool) -> None:
        self.line.setReadOnly(value)
        self.button.setEnabled(not value)

    def _sync_calendar(self) -> None:
        self.calendar.adjustSize()  # after a change of font size, the month is measured again
        try:
            day = parse_date(self.line.text())
        except InvalidDate:
            return
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _picked(self, date: QDate) -> None:
        import datetime as dt

        self.line.setText(to_jalali_text(dt.date(date.year(), date.month(), date.day())))
        self.button.menu().hide()
        self.editingFinished.emit()


class FieldEditor(QWidget):
    """Label, editor, help and the problem with the stored value, for one field."""

    def __init__(self, spec: Field, value: object, commit: Commit, parent: QWidget | None = None, show_label: bool = True):
        super().__init__(parent)
        self.spec = spec
        self._commit = commit
        self._loading = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(3)
        if show_label:
            title = spec.label + ("" if spec.required or spec.required_when else "  (اختیاری)")
            self.label = wrapped_label(title, bold=True)
            layout.addWidget(self.label)
        self.input = self._make_input()
        self._size_input()
        layout.addWidget(self.input)
        if spec.help:
            layout.addWidget(wrapped_label(spec.help, css="color: #555;"))
        if spec.note:
            layout.addWidget(note_label(spec.note))
        self.problem = wrapped_label("", css="color: #b00020;")
        self.problem.setObjectName("problem")
        self.problem.hide()
        layout.addWidget(self.problem)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMMIT_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._committed = self.text()
        self.set_value(value)
        self._loading = False

    def _make_input(self) -> QWidget:
        kind = self.spec.type
        if kind == "long_text":
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.textChanged.connect(self._changed)
            edit.focusOutEvent = self._wrap_focus_out(edit.focusOutEvent)
            return edit
        if kind == "choice":
            combo = QComboBox()
            combo.addItem(NO_CHOICE, None)
            for option in self.spec.options:
                combo.addItem(option.label, option.id)
            combo.currentIndexChanged.connect(self._choice_changed)
            return combo
        if kind == "date":
            edit = JalaliDateEdit()
            edit.textChanged.connect(self._changed)
            edit.editingFinished.connect(self.flush)
            return edit
        edit = QLineEdit()
        if kind != "url":
            # digits and Latin text are not right-to-left letters: without this Qt puts a number, or a
            # line that starts with one, at the left edge of a right-to-left form (issue 17)
            edit.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        if kind in ("integer", "number", "percent"):
            edit.setPlaceholderText("عدد" if kind != "percent" else "درصد (۰ تا ۱۰۰)")
        if kind == "url":
            edit.setPlaceholderText("https://")
            edit.setLayoutDirection(Qt.LeftToRight)
        edit.textChanged.connect(self._changed)
        edit.editingFinished.connect(self.flush)
        return edit

    def _size_input(self) -> None:
        """Sizes measured in the current font: a larger font never cuts a line (issue 17)."""
        widget, metrics = self.input, self.input.fontMetrics()
        if isinstance(widget, QPlainTextEdit):
            frame = 2 * widget.frameWidth() + 8
            widget.setMinimumHeight(round(metrics.lineSpacing() * 2.5) + frame)
            widget.setMaximumHeight(round(metrics.lineSpacing() * 4.5) + frame)
        elif self.spec.type in ("integer", "number", "percent"):
            widget.setMaximumWidth(max(220, metrics.horizontalAdvance(widget.placeholderText()) + 4 * metrics.averageCharWidth()))

    def changeEvent(self, event) -> None:  # Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.FontChange and hasattr(self, "input"):
            self._size_input()

    def _wrap_focus_out(self, original):
        def focus_out(event):
            original(event)
            self.flush()

        return focus_out

    # --- value in and out ---------------------------------------------------------------------

    def text(self) -> str | None:
        widget = self.input
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        return widget.text()

    def set_value(self, value: object) -> None:
        """Show a stored value (no commit)."""
        loading, self._loading = self._loading, True
        text = edit_text(self.spec, value)
        widget = self.input
        if isinstance(widget, QComboBox):
            index = widget.findData(value) if value is not None else 0
            if index < 0:  # a stored value that is not an option (e.g. kept as typed)
                widget.addItem(text, text)
                index = widget.count() - 1
            widget.setCurrentIndex(index)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        else:
            widget.setText(text)
        self._committed = self.text()
        self.show_problem(value_problem(self.spec, value))
        self._loading = loading

    def set_text(self, text: str) -> None:
        """Type ``text`` as a user would (saved after the usual delay or on ``flush``)."""
        widget = self.input
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findText(text)))
        else:
            widget.setText(text)

    def set_read_only(self, value: bool) -> None:
        widget = self.input
        if isinstance(widget, QComboBox):
            widget.setEnabled(not value)
        else:
            widget.setReadOnly(value)

    def show_problem(self, message: str | None) -> None:
        self.problem.setText(message or "")
        self.problem.setVisible(bool(message))

    # --- saving -------------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self.text() != self._committed

    def _changed(self, *_args) -> None:
        if not self._loading:
            self._timer.start()

    def _choice_changed(self, *_args) -> None:
        if not self._loading:
            self.flush()

    def flush(self) -> None:
        self._timer.stop()
        if self._loading or not self.dirty:
            return
        text = self.text()
        result = self._commit(text if text else None)
        if result is None:  # the core refused (the error was shown); keep the text to retry
            return
        self._committed = text
        message = result.problem.message_fa if result.problem else None
        if result.refused:  # unlike text kept as typed, this stays on screen only: say it was not saved
            message += " این مقدار ذخیره نشد."
        self.show_problem(message)


class TextEditor(FieldEditor):
    """A free text answer that is not one of the form's fields (reason, justification)."""

    def __init__(self, label: str, value: str | None, commit: Commit, parent: QWidget | None = None):
        super().__init__(Field(id="_text", label=label, type="long_text"), value, commit, parent)
