"""The wizard's pages, generated from the form definition: header, indicator, diagnostic, review.

No page names an indicator: everything shown comes from the ``FormDefinition`` (official wording
verbatim) and everything typed goes through the ``ReportSession`` to the core.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.form.definition import FormDefinition, Indicator, Section
from citizen_rights_desktop.persian.jalali import to_jalali_text
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.validation import Problem, SectionResult, ValidationResult, computed_values
from ui.evidence import EvidenceList
from ui.fields import FieldEditor, TextEditor, wrapped_label
from ui.formatting import STATE_COLOURS, STATE_LABELS, STATUS_LABELS, fa_number, fa_percent
from ui.session import ReportSession
from ui.tables import TableEditor

TITLE_CSS = "font-size: 15pt; font-weight: 600;"
MUTED_CSS = "color: #555;"
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


class SectionPage(ScrollPage):
    """One indicator (gate, reason, details, tables, computed values, evidence) or the diagnostic form."""

    def __init__(self, session: ReportSession, section: Section, dimension_title: str = "", parent=None):
        super().__init__(parent)
        self.session = session
        self.section = section
        self.key = section.id
        self.is_indicator = isinstance(section, Indicator)
        answer = session.answer(section.id)
        read_only = session.read_only

        if self.is_indicator:
            indicator: Indicator = section
            if dimension_title:
                self.body.addWidget(wrapped_label(dimension_title, css=MUTED_CSS))
            heading = f"شاخص {to_persian_digits(indicator.number)}: {indicator.title}"
            self.body.addWidget(wrapped_label(heading, css=TITLE_CSS))
            if indicator.references:
                self.body.addWidget(wrapped_label(f"({indicator.references})", css=MUTED_CSS))
        else:
            self.body.addWidget(wrapped_label(section.title or "فرم آسیب شناسی", css=TITLE_CSS))
        self.state_label = QLabel()
        self.state_label.setTextFormat(Qt.RichText)
        self.body.addWidget(self.state_label)
        self.problems_label = wrapped_label("", css="color: #8a4b00;")
        self.problems_label.setAlignment(Qt.AlignTop | Qt.AlignLeading)  # text at the top of the space it keeps
        self.problems_label.hide()
        self.body.addWidget(self.problems_label)

        self.status_group = QButtonGroup(self)
        self.reason_box = self.yes_box = self.na_box = None
        self.evidence: EvidenceList | None = None
        self.tables: list[TableEditor] = []
        self.computed_labels: dict[str, QLabel] = {}
        self.radios: dict[str, QRadioButton] = {}
        self.field_editors: dict[str, FieldEditor] = {}

        if self.is_indicator:
            if indicator.guidance:
                _, inner = box(self.body)
                inner.addWidget(wrapped_label(indicator.guidance))
            gate_frame, gate = box(self.body)
            gate.addWidget(wrapped_label(indicator.gate, bold=True))
            row = QHBoxLayout()
            for status in ("yes", "no", "not_applicable"):
                radio = QRadioButton(STATUS_LABELS[status])
                radio.setObjectName(f"status_{status}")
                radio.setEnabled(not read_only)
                self.status_group.addButton(radio)
                self.radios[status] = radio
                row.addWidget(radio)
                row.addSpacing(24)
            row.addStretch(1)
            gate.addLayout(row)
            if answer.status in self.radios:
                self.radios[answer.status].setChecked(True)
            self.status_group.buttonClicked.connect(self._status_clicked)

            # "no": the reason
            self.reason_box, inner = box(self.body)
            self.reason = TextEditor(indicator.reason_label, answer.reason, lambda t: session.set_reason(section.id, t))
            self._add_editor(inner, self.reason)

            # "not applicable": justification and documents
            self.na_box, inner = box(self.body)
            if session.form.not_applicable_rule:
                inner.addWidget(wrapped_label(session.form.not_applicable_rule, css=MUTED_CSS))
            self.justification = TextEditor(
                "توجیه عدم مصداق (دلایل و مستندات)", answer.justification, lambda t: session.set_justification(section.id, t)
            )
            self._add_editor(inner, self.justification)

        # "yes" (or the diagnostic form): details, tables, computed values
        self.yes_box = QWidget()
        yes = QVBoxLayout(self.yes_box)
        yes.setContentsMargins(0, 0, 0, 0)
        if self.is_indicator and indicator.yes_label:
            yes.addWidget(wrapped_label(indicator.yes_label, bold=True))
        if section.fields:
            _, inner = box(yes)
            for spec in section.fields:
                editor = FieldEditor(spec, answer.values.get(spec.id), lambda t, f=spec.id: session.set_value(section.id, f, t))
                self.field_editors[spec.id] = editor
                self._add_editor(inner, editor)
        for table in section.tables:
            editor = TableEditor(session, section.id, table)
            self.tables.append(editor)
            yes.addWidget(editor)
        if section.computed:
            _, inner = box(yes)
            for item in section.computed:
                label = QLabel()
                label.setTextFormat(Qt.PlainText)
                label.setObjectName(f"computed_{item.id}")
                label.setWordWrap(True)
                self.computed_labels[item.id] = label
                inner.addWidget(label)
        self.body.addWidget(self.yes_box)

        if self.is_indicator:
            self.evidence = EvidenceList(session, section.id)
            self.body.addWidget(self.evidence)
            self.evidence.changed.connect(self._evidence_changed)

        self.finish()
        session.section_changed.connect(self._section_changed)
        self.update_visibility()
        self.update_computed()

    def table(self, table_id: str) -> TableEditor:
        return next(t for t in self.tables if t.table.id == table_id)

    def _add_editor(self, layout: QVBoxLayout, editor: FieldEditor) -> None:
        editor.set_read_only(self.session.read_only)
        self.editors.append(editor)
        layout.addWidget(editor)

    # --- status -------------------------------------------------------------------------------

    def status(self) -> str | None:
        return self.session.answer(self.section.id).status

    def set_status(self, status: str | None) -> None:
        """Answer the gate (as clicking a radio button does)."""
        if status in self.radios:
            self.radios[status].setChecked(True)
        self._apply_status(status)

    def _status_clicked(self, button) -> None:
        status = next(s for s, r in self.radios.items() if r is button)
        self._apply_status(status)

    def _apply_status(self, status: str | None) -> None:
        if status == self.status():
            return
        self.flush()
        if not self.session.set_status(self.section.id, status):
            previous = self.status()
            if previous in self.radios:
                self.radios[previous].setChecked(True)
            return
        for table in self.tables:  # fixed rows appear when the answer becomes yes
            table.model.beginResetModel()
            table.model.rows = self.session.rows(self.section.id, table.table.id)
            table.model.endResetModel()
            table._update_count()
        self.update_visibility()
        self.update_computed()

    def update_visibility(self) -> None:
        if not self.is_indicator:
            return
        status = self.status()
        self.reason_box.setVisible(status == "no")
        self.yes_box.setVisible(status == "yes")
        self.na_box.setVisible(status == "not_applicable")
        indicator: Indicator = self.section
        if self.evidence is not None:
            self.evidence.setVisible(status in ("yes", "not_applicable"))
            if status == "not_applicable":
                self.evidence.set_title("مستندات عدم مصداق (دست‌کم یک مستند لازم است)")
            elif indicator.evidence_required:
                self.evidence.set_title(f"مستندات (لازم): {indicator.evidence_label}" if indicator.evidence_label else "مستندات (لازم)")
            else:
                self.evidence.set_title(f"مستندات (اختیاری): {indicator.evidence_label}" if indicator.evidence_label else "مستندات (اختیاری)")

    # --- live values --------------------------------------------------------------------------

    def update_computed(self) -> None:
        if not self.computed_labels:
            return
        values = computed_values(self.section, self.session.answer(self.section.id))
        for item in self.section.computed:
            value = values.get(item.id)
            text = fa_percent(value) if item.type == "percent" else fa_number(value)
            self.computed_labels[item.id].setText(f"{item.label}: {text}")

    def _section_changed(self, section_id: str) -> None:
        if section_id == self.section.id:
            self.update_computed()

    def _evidence_changed(self) -> None:
        self.update_computed()

    def show_result(self, result: SectionResult | None, problems: list[Problem]) -> None:
        """The indicator's state and what is still missing (from the core's validation)."""
        if result is not None:
            self.state_label.setText(state_chip(result.state))
        else:
            self.state_label.setText(state_chip("complete" if not problems else "incomplete"))
        if problems and not (result is not None and result.state == "unanswered"):
            lines = "\n".join(f"• {describe_problem(p, self.session.form, with_section=False)}" for p in problems[:5])
            more = f"\n… و {to_persian_digits(len(problems) - 5)} مورد دیگر (صفحه بازبینی)" if len(problems) > 5 else ""
            self.problems_label.setText("برای کامل شدن این بخش:\n" + lines + more)
            self.problems_label.show()
        elif self.problems_label.isVisibleTo(self) and not (result is not None and result.state == "unanswered"):
            # once shown, the list keeps its place while the clerk works on the page: hiding it would
            # move every field below it under the cursor (issue 17)
            self.problems_label.setText("✓ موارد این بخش کامل شد.")
        else:
            self.problems_label.hide()
        if self.problems_label.isVisibleTo(self):  # never shrinks while the page is open, for the same reason
            height = self.problems_label.sizeHint().height()
            self.problems_label.setMinimumHeight(max(self.problems_label.minimumHeight(), height))
        for table in self.tables:
            table.model.set_problems([p for p in problems if p.item == table.table.id and p.row is not None])


def section_name(form: FormDefinition, section_id: str) -> str:
    if section_id == "header":
        return "سربرگ گزارش"
    if section_id == form.diagnostic.id:
        return form.diagnostic.title or "فرم آسیب شناسی"
    if form.has_indicator(section_id):
        return f"شاخص {to_persian_digits(form.indicator(section_id).number)}"
    return section_id


def describe_problem(problem: Problem, form: FormDefinition, with_section: bool = True) -> str:
    parts = [section_name(form, problem.section_id)] if with_section else []
    if problem.row is not None:
        parts.append(f"ردیف {to_persian_digits(problem.row)}")
    parts.append(problem.message_fa)
    return " — ".join(parts)


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
