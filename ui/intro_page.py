"""The guideline's introduction: its «مقدمه» paragraphs, then the rules every answer follows (the
«شرایط عدم مصداق» and «مستندات قابل قبول» paragraphs), read-only, from the form definition."""

from __future__ import annotations

from PySide6.QtCore import Qt

from citizen_rights_desktop.form.definition import FormDefinition
from ui.fields import wrapped_label
from ui.formatting import guideline_text
from ui.page_parts import MUTED_CSS, TITLE_CSS, ScrollPage, box, heading_label

INTRODUCTION_KEY = "introduction"
INTRODUCTION_TITLE = "مقدمه شیوه‌نامه"
NOT_APPLICABLE_HEADING = "شرایط عدم مصداق"
EVIDENCE_HEADING = "مستندات قابل قبول"


def has_introduction(form: FormDefinition) -> bool:
    return bool(form.introduction or form.not_applicable_rule or form.evidence_rule)


def _paragraph(text: str):
    label = wrapped_label(text)
    label.setAlignment(Qt.AlignJustify | Qt.AlignTop)
    return label


class IntroductionPage(ScrollPage):
    key = INTRODUCTION_KEY

    def __init__(self, form: FormDefinition, parent=None):
        super().__init__(parent)
        self.body.addWidget(wrapped_label(INTRODUCTION_TITLE, css=TITLE_CSS))
        self.body.addWidget(wrapped_label(form.title, bold=True))
        self.body.addWidget(wrapped_label(guideline_text(form), css=MUTED_CSS))
        self.paragraphs = []
        if form.introduction:
            _, inner = box(self.body)
            for text in form.introduction:
                label = _paragraph(text)
                self.paragraphs.append(label)
                inner.addWidget(label)
        for heading, text in ((NOT_APPLICABLE_HEADING, form.not_applicable_rule), (EVIDENCE_HEADING, form.evidence_rule)):
            if not text:
                continue
            self.body.addWidget(heading_label(heading))
            _, inner = box(self.body)
            label = _paragraph(text)
            self.paragraphs.append(label)
            inner.addWidget(label)
        self.finish()

    def text(self) -> str:
        """Everything the page says, in reading order (for tests and accessibility)."""
        return "\n".join(label.text() for label in self.paragraphs)
