"""One indicator's page (gate, reason, the items its answer asks, computed values, evidence) or the
diagnostic form, generated from the form definition.

Which items show follows the core's ``report.relevance`` live, as the answer changes: the items an
indicator asks on a yes make its yes part, under the gate's «اگر بله» and the seed's items listed
beneath it; the items asked whatever the gate (``asked: always``, indicator 5's electronic
question) make a part of their own after it, so a no shows them below the reason box; an item asked
only for one option of a choice (``asked_when``) appears when that option is chosen. A hidden item
keeps what was typed in it: nothing is deleted, it is only not shown (nor checked, nor printed).
Evidence follows ``relevance.evidence_needed``. A heading the form gives an item is shown before
it; a ``note`` (our own explanation) is shown muted and is never printed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QRadioButton, QVBoxLayout, QWidget

from citizen_rights_desktop.form.definition import Computed, Field, Indicator, Section, Table
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.relevance import (
    asked_computed,
    asked_fields,
    asked_tables,
    evidence_needed,
)
from citizen_rights_desktop.report.validation import Problem, SectionResult, computed_values
from ui.evidence import EvidenceList
from ui.fields import FieldEditor, TextEditor, note_label, wrapped_label
from ui.formatting import fa_number, fa_percent
from ui.page_parts import (
    MUTED_CSS,
    TITLE_CSS,
    MissingList,
    ScrollPage,
    box,
    bullet_list,
    describe_problem,
    heading_label,
    state_chip,
)
from ui.rule_marks import RuleMarks
from ui.session import ReportSession
from ui.set_aside_box import set_aside_box
from ui.tables import TableEditor

AGENCY_FIELD = "agency"  # the report header's agency: the diagnostic form's own header repeats it
Key = tuple[str, str]  # ("field" | "table" | "computed", id)


class SectionPage(ScrollPage):
    """One indicator (gate, reason, details, tables, computed values, evidence) or the diagnostic form."""

    def __init__(self, session: ReportSession, section: Section, dimension_title: str = "", parent=None):
        super().__init__(parent)
        self.session = session
        self.section = section
        self.key = section.id
        self.is_indicator = isinstance(section, Indicator)
        answer = session.answer(section.id)
        self.diagnostic_header: QLabel | None = None
        if self.is_indicator:
            indicator: Indicator = section
            if dimension_title:
                self.body.addWidget(wrapped_label(dimension_title, css=MUTED_CSS))
            heading = f"{session.form.kind.indicator_word} {to_persian_digits(indicator.number)}: {indicator.title}"
            self.body.addWidget(wrapped_label(heading, css=TITLE_CSS))
            if indicator.references:
                self.body.addWidget(wrapped_label(f"({indicator.references})", css=MUTED_CSS))
        else:
            self.body.addWidget(wrapped_label(section.title or "فرم آسیب شناسی", css=TITLE_CSS))
            if session.form.diagnostic_header and section.id == session.form.diagnostic.id:
                self.diagnostic_header = wrapped_label("", bold=True)
                self.diagnostic_header.setObjectName("diagnostic_header")
                self.body.addWidget(self.diagnostic_header)
                self._show_agency()
        self.state_label = QLabel()
        self.state_label.setTextFormat(Qt.RichText)
        self.body.addWidget(self.state_label)
        self.problems_label = MissingList()
        self.problems_label.hide()
        self.body.addWidget(self.problems_label)

        self.status_group = QButtonGroup(self)
        self.reason_box = self.na_box = self.always_box = None
        self.evidence: EvidenceList | None = None
        self.tables: list[TableEditor] = []
        self.computed_labels: dict[str, QLabel] = {}
        self.radios: dict[str, QRadioButton] = {}
        self.field_editors: dict[str, FieldEditor] = {}
        self._items: dict[Key, QWidget] = {}  # each field, table and computed value: shown when asked
        self._groups: list[tuple[QWidget, list[Key]]] = []  # shown when one of their items is
        self.rule_marks = RuleMarks(section)  # a broken rule's message under each field it names

        if self.is_indicator:
            self._gate(indicator, answer)
        always = [i for i in (*section.fields, *section.tables) if self.is_indicator and i.asked == "always"]
        always_ids = {i.id for i in always}
        in_always = [c for c in section.computed if always_ids and c.expression.inputs() <= always_ids]
        # "yes" (or the whole diagnostic form): the prompt, the seed's items, then the questions
        intro: list[QWidget] = []
        if self.is_indicator and indicator.yes_label:
            intro.append(wrapped_label(indicator.yes_label, bold=True))
        if self.is_indicator and indicator.yes_items:
            intro.append(bullet_list(indicator.yes_items))
        self.yes_box = self._part(
            intro,
            [f for f in section.fields if f not in always],
            [t for t in section.tables if t not in always],
            [c for c in section.computed if c not in in_always],
        )
        if always:  # asked for a yes and for a no: a part of its own, below the reason for a no
            self.always_box = self._part(
                [], [f for f in section.fields if f in always], [t for t in section.tables if t in always], in_always
            )
            self.always_box.setObjectName("always_part")
            keys = [("field" if isinstance(i, Field) else "table", i.id) for i in always]
            self._groups.append((self.always_box, keys))

        # answers the earlier version of the form asked and this one does not (issue 13): kept, shown, read-only
        self.set_aside = set_aside_box(session, section.id)
        if self.set_aside is not None:
            self.body.addWidget(self.set_aside)

        if self.is_indicator:
            self.evidence = EvidenceList(session, section.id)
            self.body.addWidget(self.evidence)
            self.evidence.changed.connect(self._evidence_changed)

        self.finish()
        session.section_changed.connect(self._section_changed)
        self.update_visibility()
        self.update_computed()

    # --- building -----------------------------------------------------------------------------

    def _gate(self, indicator: Indicator, answer) -> None:
        session, read_only = self.session, self.session.read_only
        if indicator.guidance:
            _, inner = box(self.body)
            inner.addWidget(wrapped_label(indicator.guidance))
        _, gate = box(self.body)
        gate.addWidget(wrapped_label(indicator.gate, bold=True))
        row = QHBoxLayout()
        for option in self.section.statuses:  # the form's answers (the annual report: yes / no / not applicable)
            status = option.id
            radio = QRadioButton(option.label)
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
        self.reason = TextEditor(indicator.reason_label, answer.reason, lambda t: session.set_reason(indicator.id, t))
        self._add_editor(inner, self.reason)

        # "not applicable": justification and documents
        self.na_box, inner = box(self.body)
        if session.form.not_applicable_rule:
            inner.addWidget(wrapped_label(session.form.not_applicable_rule, css=MUTED_CSS))
        self.justification = TextEditor(
            "توجیه عدم مصداق (دلایل و مستندات)", answer.justification, lambda t: session.set_justification(indicator.id, t)
        )
        self._add_editor(inner, self.justification)

    def _part(self, intro: list[QWidget], fields: list[Field], tables: list[Table], computed: list[Computed]) -> QWidget:
        """Fields (a heading starts a new box), tables (each under its heading) and computed values."""
        part = QWidget()
        layout = QVBoxLayout(part)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in intro:
            layout.addWidget(widget)
        answer = self.session.answer(self.section.id)
        members: list[Key] = []
        for spec in fields:
            if spec.heading or not members:
                members, group = self._group(layout, spec.heading)
            editor = FieldEditor(spec, answer.values.get(spec.id), lambda t, f=spec.id: self.session.set_value(self.section.id, f, t))
            self.field_editors[spec.id] = editor
            self._add_editor(group, editor)
            self._items[("field", spec.id)] = editor
            members.append(("field", spec.id))
            rule_line = self.rule_marks.line(spec.id)
            if rule_line is not None:  # shown with its field
                group.addWidget(rule_line)
                self._groups.append((rule_line, [("field", spec.id)]))
        for table in tables:
            holder = QWidget()
            inner = QVBoxLayout(holder)
            inner.setContentsMargins(0, 0, 0, 0)
            if table.heading:
                inner.addWidget(heading_label(table.heading))
            editor = TableEditor(self.session, self.section.id, table)
            self.tables.append(editor)
            inner.addWidget(editor)
            rule_line = self.rule_marks.line(table.id)
            if rule_line is not None:
                inner.addWidget(rule_line)
            if table.note:
                inner.addWidget(note_label(table.note))
            self._items[("table", table.id)] = holder
            layout.addWidget(holder)
        if computed:
            frame, inner = box(layout)
            for item in computed:
                label = QLabel()
                label.setTextFormat(Qt.PlainText)
                label.setObjectName(f"computed_{item.id}")
                label.setWordWrap(True)
                self.computed_labels[item.id] = label
                self._items[("computed", item.id)] = label
                inner.addWidget(label)
            self._groups.append((frame, [("computed", item.id) for item in computed]))
        self.body.addWidget(part)
        return part

    def _group(self, layout: QVBoxLayout, heading: str) -> tuple[list[Key], QVBoxLayout]:
        """A heading (when the form gives one) and a box for the fields that follow it."""
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 0, 0)
        if heading:
            inner.addWidget(heading_label(heading))
        _, fields = box(inner)
        layout.addWidget(holder)
        members: list[Key] = []
        self._groups.append((holder, members))
        return members, fields

    def table(self, table_id: str) -> TableEditor:
        return next(t for t in self.tables if t.table.id == table_id)

    def _add_editor(self, layout: QVBoxLayout, editor: FieldEditor) -> None:
        editor.set_read_only(self.session.read_only)
        self.editors.append(editor)
        layout.addWidget(editor)

    def _show_agency(self) -> None:
        agency = self.session.report.header.get(AGENCY_FIELD)
        text = str(agency).strip() if isinstance(agency, str) else ""
        self.diagnostic_header.setText(f"{self.session.form.diagnostic_header}: {text or '— (در سربرگ گزارش وارد نشده است)'}")

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
        """Show what the answer asks (``report.relevance``), hide the rest (its values are kept)."""
        answer = self.session.answer(self.section.id)
        shown = {("field", f.id) for f in asked_fields(self.section, answer)}
        shown |= {("table", t.id) for t in asked_tables(self.section, answer)}
        shown |= {("computed", c.id) for c in asked_computed(self.section, answer)}
        wanted = [(widget, key in shown) for key, widget in self._items.items()]
        wanted += [(widget, any(key in shown for key in keys)) for widget, keys in self._groups]
        if self.is_indicator:
            status = answer.status
            needed = evidence_needed(self.section, status)
            found = self.section.status(status)
            asks = found.asks if found is not None else ()
            wanted += [(self.reason_box, "reason" in asks), (self.yes_box, "details" in asks), (self.na_box, "justification" in asks)]
            wanted.append((self.evidence, needed or "details" in asks))  # every indicator accepts evidence with its details
            self._evidence_title(status, needed)
        changed = [widget for widget, show in wanted if widget.isHidden() == show]
        for widget, show in wanted:
            widget.setVisible(show)
        if changed:  # lay out what appeared now, not on the next turn of the event loop (a click may follow)
            self.body.activate()
            self.setWidgetResizable(True)  # and let the scroll area give the page its new height at once

    def _evidence_title(self, status: str | None, needed: bool) -> None:
        indicator: Indicator = self.section
        label = f": {indicator.evidence_label}" if indicator.evidence_label else ""
        found = indicator.status(status)
        if found is not None and "justification" in found.asks:
            self.evidence.set_title(f"مستندات {found.label} (دست‌کم یک مستند لازم است)")
        elif needed:
            self.evidence.set_title(f"مستندات (لازم){label}")
        else:
            self.evidence.set_title(f"مستندات (اختیاری){label}")

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
            self.update_visibility()  # a choice may ask (or stop asking) other items
            self.update_computed()
        elif section_id == "header" and self.diagnostic_header is not None:
            self._show_agency()

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
            self.problems_label.keep_height()
        self.rule_marks.show(problems)  # and beside the fields each broken rule names
        for table in self.tables:
            table.model.set_problems([p for p in problems if p.item == table.table.id and p.row is not None])
