"""A cross-field rule's message beside the fields it concerns (issue 17: «تعداد شکایات با موضوع
ادبیات غیر محترمانه نمی‌تواند بیشتر از کل شکایات باشد.» showed only at the top of the page).

A rule names its fields in its expression (``Rule.check.inputs()``: the fields it reads, and the
tables it counts); each of them gets a line under it, kept empty while the rule holds. The line
keeps its place once the page is built, and never gets shorter while the page is open, so a rule
that breaks and mends while the clerk types never moves the fields under the cursor.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from citizen_rights_desktop.form.definition import Section
from citizen_rights_desktop.report.validation import Problem

RULE_CSS = "color: #b00020; font-weight: 600;"


class RuleLine(QLabel):
    """The messages of the rules broken by one item's value, under that item."""

    def __init__(self, item_id: str, parent=None):
        super().__init__(parent)
        self.setObjectName(f"rule_{item_id}")
        self.setWordWrap(True)
        self.setTextFormat(Qt.PlainText)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.setStyleSheet(RULE_CSS)
        self.setAlignment(Qt.AlignTop | Qt.AlignLeading)
        self.setMinimumHeight(self.fontMetrics().lineSpacing())  # its place, before any message

    def show_messages(self, messages: list[str]) -> None:
        self.setText("\n".join(f"⚠ {m}" for m in messages))
        if messages:
            width = self.contentsRect().width()
            height = self.heightForWidth(width) if width > 0 else self.sizeHint().height()
            if height > self.minimumHeight():
                self.setMinimumHeight(height)


class RuleMarks:
    """Which items each rule of ``section`` concerns, and the line under each of them."""

    def __init__(self, section: Section):
        self.concerns: dict[str, tuple[str, ...]] = {rule.id: tuple(sorted(rule.check.inputs())) for rule in section.rules}
        self.lines: dict[str, RuleLine] = {}

    def concerned(self, item_id: str) -> bool:
        return any(item_id in items for items in self.concerns.values())

    def line(self, item_id: str) -> RuleLine | None:
        """The line for ``item_id`` (a field or table id), or ``None`` if no rule concerns it."""
        if not self.concerned(item_id):
            return None
        if item_id not in self.lines:
            self.lines[item_id] = RuleLine(item_id)
        return self.lines[item_id]

    def show(self, problems: list[Problem]) -> None:
        for item_id, line in self.lines.items():
            messages = [p.message_fa for p in problems if p.code == "rule" and item_id in self.concerns.get(p.item, ())]
            line.show_messages(list(dict.fromkeys(messages)))
