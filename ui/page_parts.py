"""What the wizard's pages share: the scrolling page, boxes, headings, bullet lists, state
marks and the wording of a validation problem.

Presentation only: which items an answer asks, what is missing and what is computed all come from
the core (``report.relevance``, ``report.validation``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.validation import Problem
from ui.fields import FieldEditor, wrapped_label
from ui.formatting import STATE_COLOURS, STATE_LABELS

TITLE_CSS = "font-size: 15pt; font-weight: 600;"
MUTED_CSS = "color: #555;"
HEADING_CSS = "font-size: 12pt; font-weight: 700; color: #1f3a5f;"
BOX_CSS = "QFrame#box { background: #f6f8fb; border: 1px solid #dde3ea; border-radius: 6px; }"


def box(layout_parent: QVBoxLayout | None = None) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("box")
    frame.setStyleSheet(BOX_CSS)
    inner = QVBoxLayout(frame)
    inner.setContentsMargins(12, 10, 12, 10)
    if layout_parent is not None:
        layout_parent.addWidget(frame)
    return frame, inner


def heading_label(text: str) -> QLabel:
    """A heading the form prints before an item (e.g. «بازرسی»): bold, a little larger."""
    label = wrapped_label(text, css=HEADING_CSS)
    label.setObjectName("heading")
    font = label.font()
    font.setWeight(QFont.Bold)
    label.setFont(font)
    return label


def bullet_list(items: tuple[str, ...] | list[str]) -> QLabel:
    """Items listed under a prompt (the seed's items under «اگر بله»), one bullet a line."""
    label = wrapped_label("\n".join(f"• {item}" for item in items))
    label.setObjectName("bullets")
    indent = 18  # on the leading edge: the right one in the right-to-left window
    label.setContentsMargins(0, 0, indent, 0) if QGuiApplication.isRightToLeft() else label.setContentsMargins(indent, 0, 0, 0)
    return label


class ScrollPage(QScrollArea):
    """A page whose content scrolls; subclasses fill ``self.body``."""

    key = ""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        content = QWidget()
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(24, 16, 24, 24)
        self.body.setSpacing(10)
        self.setWidget(content)
        self.editors: list[FieldEditor] = []

    def flush(self) -> None:
        for editor in self.editors:
            editor.flush()

    def finish(self) -> None:
        self.body.addStretch(1)

    feedback_box: QFrame | None = None

    def show_feedback(self, heading: str, comments: list[tuple[str, str]]) -> None:
        """Headquarters' comments in a box at the top of the page (replacing an earlier box)."""
        if self.feedback_box is not None:
            self.body.removeWidget(self.feedback_box)
            self.feedback_box.deleteLater()
        frame = QFrame()
        frame.setObjectName("feedback")
        frame.setStyleSheet("QFrame#feedback { background: #fdecea; border: 1px solid #e3a19a; border-radius: 6px; }")
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(12, 10, 12, 10)
        inner.addWidget(wrapped_label(heading, bold=True, css="color: #8e1b10;"))
        for text, author in comments:
            inner.addWidget(wrapped_label(f"• {text}" + (f" — {author}" if author else "")))
        self.body.insertWidget(0, frame)
        self.feedback_box = frame


def state_chip(state: str) -> str:
    return f"<span style='color:{STATE_COLOURS[state]}; font-weight:600'>● {STATE_LABELS[state]}</span>"


_ICONS: dict[str, QIcon] = {}


def state_icon(state: str) -> QIcon:
    """A coloured dot for the side panel."""
    if state not in _ICONS:
        pixmap = QPixmap(14, 14)
        pixmap.fill(Qt.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setBrush(QColor(STATE_COLOURS.get(state, "#888")))
        painter.setPen(Qt.NoPen)
        painter.drawEllipse(1, 1, 12, 12)
        painter.end()
        _ICONS[state] = QIcon(pixmap)
    return _ICONS[state]


def section_name(form: FormDefinition, section_id: str) -> str:
    if section_id == "header":
        return "سربرگ گزارش"
    if section_id == form.diagnostic.id:
        return form.diagnostic.title or "فرم آسیب شناسی"
    if form.opening is not None and section_id == form.opening.id:
        return form.opening.title
    if form.has_indicator(section_id):
        return f"{form.kind.indicator_word} {to_persian_digits(form.indicator(section_id).number)}"
    return section_id


def describe_problem(problem: Problem, form: FormDefinition, with_section: bool = True) -> str:
    parts = [section_name(form, problem.section_id)] if with_section else []
    if problem.row is not None:
        parts.append(f"ردیف {to_persian_digits(problem.row)}")
    parts.append(problem.message_fa)
    return " — ".join(parts)


class MissingList(QLabel):
    """What is still missing on a page (from the core's validation). Once shown, it keeps its place
    while the clerk works (issue 17): it never gets shorter than the longest list it has shown,
    measured at its current width, so the first layout (narrower than the page) leaves no gap."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.PlainText)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.setStyleSheet("color: #8a4b00;")
        self.setAlignment(Qt.AlignTop | Qt.AlignLeading)  # text at the top of the space it keeps
        self.kept = ""
        self._measure = QLabel()  # never shown: measures the kept text at this label's width
        self._measure.setWordWrap(True)
        self._measure.setTextFormat(Qt.PlainText)

    def keep_height(self) -> None:
        text = self.text()
        if (text.count("\n"), len(text)) > (self.kept.count("\n"), len(self.kept)):
            self.kept = text
        self._fit()

    def _fit(self) -> None:
        if not self.kept:
            return
        self._measure.setFont(self.font())
        self._measure.setText(self.kept)
        width = self.contentsRect().width()
        height = self._measure.heightForWidth(width) if width > 0 else -1
        height = height if height > 0 else self._measure.sizeHint().height()
        if height != self.minimumHeight():
            self.setMinimumHeight(height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()
