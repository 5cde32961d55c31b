"""The office report's story (the flowables ``report_pdf`` lays out on letterhead pages): each
dimension and indicator, the diagnostic form and the summary, from the form definition's wording
and the answers. What of a section is printed, and in which order, is ``section_layout``'s.

An indicator prints its title (with the legal references), the guideline's guidance, the gate and
the answer; then, for «بله», the yes prompt with the seed's items listed under it («yes_items»)
and the asked details; for «خیر», the reason; then the items asked whatever the gate's answer
(indicator 5's electronic processes); then the evidence when the answer needs it
(``relevance.evidence_needed``: indicator 28's «خیر» as well as its «بله»), under the indicator's
evidence label.

**The not-applicable rule** (``FormDefinition.not_applicable_rule``, «شرایط عدم مصداق») is printed
under each indicator answered «عدم مصداق», small and muted, between the answer and its
justification, rather than once in an annex. It is the condition the justification and its
documents must meet (an official statement with conclusive evidence), so the reader checking a
justification has it beside it; it takes two lines at 8 pt, and an office answers few indicators
«عدم مصداق» (the demo one, generated reports up to 15 %, about four): even printed four times it
costs less than one page's worth of annex plus a reference from every indicator to it.

**The diagnostic form** starts with its header (``diagnostic_header``, «عنوان دستگاه اجرایی /
استانداری») and the report header's agency (header field ``agency``; the office profile's agency
when the header leaves it empty), then its headings and items. A form without that header (1398.1)
prints the form as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reportlab.platypus import CondPageBreak, PageBreak, Spacer

from citizen_rights_desktop.form.definition import FormDefinition, Indicator, Section, Table
from citizen_rights_desktop.pdf import fonts
from citizen_rights_desktop.pdf.answer_text import (
    EMPTY,
    NOT_ANSWERED,
    file_name_text,
    format_computed,
    format_value,
)
from citizen_rights_desktop.pdf.flowables import RTLParagraph, Rule, Style, column_weights, rtl_table
from citizen_rights_desktop.pdf.section_layout import Part, help_texts, layout
from citizen_rights_desktop.pdf.styles import (
    ANSWER,
    BODY,
    CAPTION,
    CELL,
    CELL_HEAD,
    DIMENSION_TITLE,
    GUIDANCE,
    HEADING,
    HELP,
    INDICATOR_TITLE,
    ITEM,
    LABEL,
    MUTED,
    NOTE,
)
from citizen_rights_desktop.persian.text import file_size_text, to_persian_digits
from citizen_rights_desktop.report.model import EvidenceRef, Report, SectionAnswer
from citizen_rights_desktop.report.office import OfficeProfile
from citizen_rights_desktop.report.relevance import evidence_needed

AGENCY_FIELD = "agency"  # the report header's field naming the agency (printed with the diagnostic header)
NOT_APPLICABLE_RULE = "شرایط عدم مصداق"
BULLET = "•"


class ReportStory:
    def __init__(self, form: FormDefinition, report: Report, office: OfficeProfile, evidence: Mapping[str, Sequence[EvidenceRef]], width: float):
        self.form, self.report, self.office, self.evidence = form, report, office, evidence
        self.width = width
        self.story: list = []

    def add(self, *flowables) -> None:
        self.story.extend(flowables)

    def para(self, text: str, style: Style = BODY, keep: bool = False) -> RTLParagraph:
        return RTLParagraph(text, style, keep_with_next=keep)

    def key_values(self, pairs: Sequence[tuple[object, str]]) -> None:
        """A two-column table: label (text, or flowables such as a label with its help) and value."""
        if not pairs:
            return
        self.add(rtl_table(None, [list(p) for p in pairs], [0.42, 0.58], self.width, CELL, CELL_HEAD, label_column=True))

    def table(self, table: Table, rows: list[dict[str, object]], fixed_labels: Sequence[str] = ()) -> None:
        header = ["ردیف"] + (["عنوان"] if fixed_labels else []) + [c.label for c in table.columns]
        body = []
        for index, cells in enumerate(rows, start=1):
            row = [to_persian_digits(index)] + ([fixed_labels[index - 1]] if fixed_labels else [])
            row += [format_value(c, cells.get(c.id)) for c in table.columns]
            body.append(row)
        if not body:
            self.add(self.para("(بدون ردیف)", CELL.but(color=MUTED)))
            return
        # a column is at least as wide as its header's longest word, so no header breaks inside a word
        word = [max(len(w) for w in c.label.split()) * CELL.size * 0.6 + 10 for c in table.columns]
        minimum = [28] + ([120] if fixed_labels else []) + [max(60 if c.type in ("text", "long_text", "url") else 34, w) for c, w in zip(table.columns, word)]
        weights = column_weights(header, body, CELL.font, CELL.size, minimum)
        weights[0] = 28
        aligns = ["center"] + (["right"] if fixed_labels else []) + [
            "center" if c.type in ("integer", "number", "percent", "date", "choice") else "right" for c in table.columns
        ]
        self.add(rtl_table(header, body, weights, self.width, CELL, CELL_HEAD, aligns))

    def caption(self, text: str) -> None:
        # a caption never ends a page: room for it and the first rows, else a new page (a
        # keep-with-next chain ending in a long table would push the whole table to the next page)
        self.add(CondPageBreak(90), self.para(text, CAPTION))

    def heading(self, text: str) -> None:
        self.add(CondPageBreak(110), self.para(text, HEADING, keep=True))

    def evidence_list(self, refs: Sequence[EvidenceRef], label: str = "") -> None:
        self.caption("مستندات پیوست")
        if label:  # what the documents must be (the indicator's evidence label, verbatim)
            self.add(self.para(label, NOTE))
        if not refs:
            self.add(self.para("مستندی پیوست نشده است.", CELL.but(color=MUTED)))
            return
        header = ["ردیف", "نام فایل", "حجم", "چکیده SHA-256 (آغاز)"]
        body = [[to_persian_digits(i), file_name_text(ref.name), file_size_text(ref.size), ref.sha256[:16]] for i, ref in enumerate(refs, start=1)]
        self.add(rtl_table(header, body, [28, 230, 70, 120], self.width, CELL, CELL_HEAD, ["center", "right", "center", "center"]))

    # a section's asked items (section_layout decides which)

    def part(self, section: Section, answer: SectionAnswer, part: Part) -> None:
        for group in part.groups:
            if group.heading:
                self.heading(group.heading)
            pairs: list[tuple[object, str]] = []
            for spec, hint in zip(group.fields, help_texts(group.fields)):
                label: object = spec.label
                if hint:
                    label = [RTLParagraph(spec.label, CELL), RTLParagraph(hint, HELP)]
                pairs.append((label, format_value(spec, answer.values.get(spec.id))))
            self.key_values(pairs)
        for table in part.tables:
            if table.heading:
                self.heading(table.heading)
            self.caption(table.title)
            rows = answer.rows(table.id)
            if table.fixed_rows:
                by_id = {row.id: row.cells for row in rows}
                self.table(table, [by_id.get(r.id, {}) for r in table.fixed_rows], [r.label for r in table.fixed_rows])
            else:
                self.table(table, [row.cells for row in rows])
        if part.computed:
            self.add(Spacer(1, 5))
            self.key_values([(item.label, format_computed(item.type, value)) for item, value in part.computed])

    # parts of the document

    def indicator(self, indicator: Indicator) -> None:
        answer = self.report.section(indicator.id)
        number = to_persian_digits(indicator.number or "")
        self.add(CondPageBreak(150))
        self.add(self.para(f"{self.form.kind.indicator_word} {number}: {indicator.full_title}", INDICATOR_TITLE, keep=True))
        if indicator.guidance:  # the guideline prints it above the questions: the reader sees what the answer responds to
            self.add(self.para(indicator.guidance, GUIDANCE, keep=True))
        self.add(self.para(indicator.gate, BODY, keep=True))
        found = indicator.status(answer.status)
        self.add(self.para(f"پاسخ: {found.label if found else NOT_ANSWERED}", ANSWER))
        evidence = list(self.evidence.get(indicator.id, answer.evidence))
        parts = layout(indicator, answer)
        asks = found.asks if found else ()
        if "details" in asks:
            if indicator.yes_label:
                self.add(self.para(indicator.yes_label, LABEL, keep=bool(indicator.yes_items)))
            for item in indicator.yes_items:  # the seed lists them under its «اگر بله»
                self.add(RTLParagraph(item, ITEM, bullet=BULLET))
            self.part(indicator, answer, parts.yes)
        if "reason" in asks:
            self.add(self.para(indicator.reason_label, LABEL, keep=True), self.para(answer.reason or EMPTY, BODY))
        if "justification" in asks:
            if self.form.not_applicable_rule:
                self.add(self.para(f"{NOT_APPLICABLE_RULE}: {self.form.not_applicable_rule}", NOTE))
            self.add(self.para("توجیه عدم مصداق:", LABEL, keep=True), self.para(answer.justification or EMPTY, BODY))
        self.part(indicator, answer, parts.always)
        if "justification" in asks:
            self.evidence_list(evidence)
        elif found is not None and (evidence_needed(indicator, answer.status) or ("details" in asks and evidence)):
            self.evidence_list(evidence, indicator.evidence_label if evidence_needed(indicator, answer.status) else "")
        self.add(Spacer(1, 4), Rule(space=4))

    def dimensions(self) -> None:
        for dimension in self.form.dimensions:
            self.add(CondPageBreak(160))
            self.add(self.para(f"{self.form.kind.dimension_word} {to_persian_digits(dimension.number)}: {dimension.title}", DIMENSION_TITLE, keep=True))
            for indicator in dimension.indicators:
                self.indicator(indicator)

    def agency(self) -> str:
        spec = next((f for f in self.form.header_fields if f.id == AGENCY_FIELD), None)
        value = self.report.header.get(AGENCY_FIELD)
        if spec is None or value is None or not str(value).strip():
            return self.office.agency
        return format_value(spec, value)

    def diagnostic(self) -> None:
        section = self.form.diagnostic
        if not (section.fields or section.tables):
            return
        self.add(PageBreak(), self.para(section.title, DIMENSION_TITLE, keep=True))
        if self.form.diagnostic_header:
            self.key_values([(self.form.diagnostic_header, self.agency())])
        answer = self.report.section(section.id)
        self.part(section, answer, layout(section, answer).yes)

    def targets(self, progress) -> None:
        """The guideline's targets over the year so far (``report.targets``): one row per action."""
        if not progress:
            return
        from citizen_rights_desktop.report.targets import PER_FA

        kind = self.form.kind
        self.add(CondPageBreak(120), self.para(f"اهداف تا پایان {self.form.period_words(self.report.period)}", DIMENSION_TITLE, keep=True))
        header = [kind.indicator_word, "هدف", "لازم تا پایان این دوره", "انجام شده در سال", "وضعیت"]
        body = []
        for item in progress:
            indicator = self.form.indicator(item.indicator_id)
            dimension = next((d for d in self.form.dimensions if d.id == indicator.dimension_id), None)
            number = f"{to_persian_digits(dimension.number) if dimension else ''}.{to_persian_digits(indicator.number)}"
            label = indicator.field(item.field_id).label
            goal = f"حداقل {to_persian_digits(f'{item.at_least:g}')} {PER_FA[item.per]} ({label})"
            body.append([number, goal, to_persian_digits(f"{item.due:g}"), to_persian_digits(f"{item.done:g}"), "محقق شده" if item.met else "محقق نشده"])
        self.add(rtl_table(header, body, [40, 250, 70, 70, 60], self.width, CELL, CELL_HEAD, ["center", "right", "center", "center", "center"]))

    def summary(self) -> None:
        kind = self.form.kind
        self.add(PageBreak(), self.para(f"جمع بندی پاسخ {kind.indicator_word} ها", DIMENSION_TITLE, keep=True))
        header = [kind.indicator_word, kind.dimension_word, f"عنوان {kind.indicator_word}", "پاسخ"]
        body = []
        for dimension in self.form.dimensions:
            for indicator in dimension.indicators:
                status = self.report.section(indicator.id).status
                body.append([to_persian_digits(indicator.number), to_persian_digits(dimension.number), indicator.title, indicator.status_label(status) or NOT_ANSWERED])
        compact = CELL.but(size=8, leading=12.5)
        self.add(rtl_table(header, body, [34, 30, 380, 64], self.width, compact, compact.but(font=fonts.BOLD), ["center", "center", "right", "center"]))
