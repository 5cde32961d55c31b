"""The wizard's pages, generated from the form definition: header, review (and, re-exported here,
the introduction and the indicator / diagnostic pages of ``ui.intro_page`` and ``ui.section_page``).

No page names an indicator: everything shown comes from the ``FormDefinition`` (official wording
verbatim) and everything typed goes through the ``ReportSession`` to the core.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from citizen_rights_desktop.persian.jalali import to_jalali_text
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.validation import Problem, ValidationResult
from ui.fields import FieldEditor, wrapped_label
from ui.formatting import fa_percent
from ui.intro_page import IntroductionPage
from ui.page_parts import MUTED_CSS, TITLE_CSS, ScrollPage, box, describe_problem, section_name, state_chip
from ui.section_page import SectionPage
from ui.session import ReportSession
from ui.set_aside_box import set_aside_box

__all__ = [
    "HeaderPage", "IntroductionPage", "ReviewPage", "ScrollPage", "SectionPage",
    "box", "describe_problem", "section_name", "state_chip",
]  # fmt: skip


class HeaderPage(ScrollPage):
    key = "header"

    def __init__(self, session: ReportSession, parent=None):
        super().__init__(parent)
        form = session.form
        self.body.addWidget(wrapped_label("سربرگ گزارش", css=TITLE_CSS))
        self.body.addWidget(wrapped_label(form.title, bold=True))
        info = (
            f"دوره گزارش: {to_persian_digits(session.report.period)}    "
            f"مهلت ارسال: {to_jalali_text(form.deadline)}    "
            f"نسخه شیوه‌نامه: {to_persian_digits(form.version)}"
        )
        self.body.addWidget(wrapped_label(info, css=MUTED_CSS))
        _, inner = box(self.body)
        for spec in form.header_fields:
            editor = FieldEditor(spec, session.report.header.get(spec.id), lambda text, f=spec.id: session.set_header(f, text))
            editor.set_read_only(session.read_only)
            self.editors.append(editor)
            inner.addWidget(editor)
        self.set_aside = set_aside_box(session, "header")  # header items an earlier form version asked
        if self.set_aside is not None:
            self.body.addWidget(self.set_aside)
        if form.evidence_rule:
            self.body.addWidget(wrapped_label(form.evidence_rule, css=MUTED_CSS))
        self.body.addWidget(
            wrapped_label(
                "هر تغییر همان لحظه ذخیره می‌شود؛ می‌توانید هر زمان برنامه را ببندید و بعداً ادامه دهید. "
                "از فهرست سمت راست به هر شاخص بروید.",
                css=MUTED_CSS,
            )
        )
        self.finish()


class ReviewPage(ScrollPage):
    """Everything missing or invalid; each line jumps to its place."""

    key = "review"
    jump = Signal(str)

    def __init__(self, session: ReportSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.body.addWidget(wrapped_label("بازبینی گزارش", css=TITLE_CSS))
        self.summary = wrapped_label("", bold=True)
        self.body.addWidget(self.summary)
        self.body.addWidget(wrapped_label("برای رفتن به هر مورد روی آن کلیک کنید.", css=MUTED_CSS))
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setMinimumHeight(420)
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        self.body.addWidget(self.list, 1)
        self.problems: list[Problem] = []

    def show_result(self, result: ValidationResult) -> None:
        self.problems = result.problems
        self.list.clear()
        form = self.session.form
        for problem in self.problems:
            item = QListWidgetItem(describe_problem(problem, form))
            item.setData(Qt.UserRole, problem.section_id)
            item.setToolTip(problem.location)
            self.list.addItem(item)
        if self.problems:
            self.summary.setText(
                f"درصد تکمیل: {fa_percent(result.completeness)} — {to_persian_digits(len(self.problems))} مورد ناقص یا نادرست"
            )
        else:
            self.summary.setText("گزارش کامل است؛ هیچ مورد ناقص یا نادرستی نیست.")

    def _activated(self, item: QListWidgetItem) -> None:
        self.jump.emit(item.data(Qt.UserRole))
