"""Checking a report against its form definition: what is missing or wrong, per indicator.

Relevance follows the guideline (``report.relevance``): a "yes" asks for the details, tables and
(where the form says) evidence; a "no" asks for the reason, the questions the form asks whatever the
gate (indicator 5's second one) and, where the form says so, evidence (indicator 28); "not
applicable" asks only for a justification and at least one document. Items that are not relevant to the current answer are kept in storage (a
mis-click must never destroy typed work) but ignored here, in the PDF and in analysis.

The signer. Seed 004's circular has the report sent «به امضای بالاترین مقام دستگاه/ استاندار», and
the guideline's header asks for «بالاترین مقام دستگاه اجرایی / استاندار». So the head named in the
report's header is the one person the PDF's signature block prints (``signer``), not the office
profile's head. The profile's head is only where the header is prefilled from; when the two differ
(a new head, a deputy signing, a typing slip), the choice of signer must be made explicitly, never
by the PDF silently: ``validate_report(..., office=...)`` then reports ``signer_differs`` on the
header, which keeps the report incomplete until the header or the profile is corrected. Someone
signing on the head's behalf is recorded, not silent: form 1398.2's header item
«امضاکننده از طرف بالاترین مقام» (``on_behalf_signer``) makes the PDF print «از طرف» the head above
that person's name (1398.1 has no such item, so its PDF never prints «از طرف»).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from citizen_rights_desktop.form.definition import (
    ANNUAL_STATUSES,
    NUMERIC_TYPES,
    Field,
    FormDefinition,
    Indicator,
    Section,
    Table,
)
from citizen_rights_desktop.form.expressions import evaluate
from citizen_rights_desktop.form.values import check_stored_value
from citizen_rights_desktop.persian.text import normalize_text
from citizen_rights_desktop.report.model import Report, SectionAnswer
from citizen_rights_desktop.report.office import OfficeProfile
from citizen_rights_desktop.report.relevance import asked_fields, asked_tables, evidence_needed

SECTION_STATES = ("unanswered", "incomplete", "complete", "not_applicable")


@dataclass(frozen=True)
class Problem:
    section_id: str
    item: str
    code: str
    message_en: str
    message_fa: str
    row: int | None = None  # 1-based row number in its table
    column: str | None = None

    @property
    def location(self) -> str:
        """A stable path to the item, e.g. ``i04.processes[3].web_address``."""
        path = f"{self.section_id}.{self.item}"
        if self.row is not None:
            path += f"[{self.row}]"
        if self.column:
            path += f".{self.column}"
        return path


@dataclass
class SectionResult:
    section_id: str
    state: str
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ValidationResult:
    header: list[Problem]
    sections: dict[str, SectionResult]
    diagnostic: list[Problem]
    completeness: float  # percent of indicators answered completely
    opening: list[Problem] = field(default_factory=list)  # the opening section's (an inspection's team)

    @property
    def problems(self) -> list[Problem]:
        found = list(self.header) + self.opening
        for result in self.sections.values():
            found.extend(result.problems)
        return found + self.diagnostic

    @property
    def is_complete(self) -> bool:
        return not self.problems


def computed_values(section: Section, answer: SectionAnswer) -> dict[str, float | None]:
    """Each computed value of an indicator (``None`` while something it needs is missing)."""
    values = _numeric_values(section, answer)
    rows = _checked_rows(section, answer)
    return {item.id: evaluate(item.expression, values, rows) for item in section.computed}


def _numeric_values(section: Section, answer: SectionAnswer) -> dict[str, object]:
    return {
        f.id: answer.values.get(f.id) for f in section.fields if check_stored_value(f.type, answer.values.get(f.id), bounds=f.bounds) is None
    }


def _checked_rows(section: Section, answer: SectionAnswer):
    """Rows for expressions without the numbers that are not valid for their column (out of range,
    kept as typed), as for fields: a huge number stored before ranges existed must not reach a sum."""
    numeric = {t.id: [c for c in t.columns if c.type in NUMERIC_TYPES] for t in section.tables}

    def rows(table_id: str) -> list[dict[str, object]]:
        cells = answer.row_cells(table_id)
        columns = numeric.get(table_id)
        if not columns:
            return cells
        out = []
        for row in cells:
            bad = [c.id for c in columns if c.id in row and check_stored_value(c.type, row[c.id], bounds=c.bounds) is not None]
            out.append({k: v for k, v in row.items() if k not in bad} if bad else row)
        return out

    return rows


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


class _Collector:
    def __init__(self, section_id: str):
        self.section_id = section_id
        self.found: list[Problem] = []

    def add(self, item: str, code: str, en: str, fa: str, row: int | None = None, column: str | None = None) -> None:
        self.found.append(Problem(self.section_id, item, code, en, fa, row, column))


def _check_value(out: _Collector, spec: Field, value: object, item: str, required: bool, row: int | None = None, column: str | None = None) -> None:
    if not _present(value):
        if required:
            out.add(item, "missing", f"'{spec.label}' is required", f"«{spec.label}» پاسخ داده نشده است.", row, column)
        return
    problem = check_stored_value(spec.type, value, spec.option_labels, spec.bounds)
    if problem is not None:
        out.add(item, problem.code, f"'{spec.label}': {problem.message_en}", f"«{spec.label}»: {problem.message_fa}", row, column)


def _check_table(out: _Collector, table: Table, rows: list, required: bool) -> None:
    if table.fixed_rows:
        expected = [r.id for r in table.fixed_rows]
        if [row.id for row in rows] != expected:
            out.add(table.id, "fixed_rows", f"table '{table.title}' must have exactly its fixed rows", f"ردیف‌های جدول «{table.title}» ثابت است.")
            return
    elif required and table.required and len(rows) < table.min_rows:
        out.add(
            table.id, "too_few_rows",
            f"table '{table.title}' needs at least {table.min_rows} row(s)",
            f"جدول «{table.title}» دست‌کم {table.min_rows} ردیف لازم دارد.",
        )  # fmt: skip
    if table.max_rows is not None and len(rows) > table.max_rows:
        out.add(table.id, "too_many_rows", f"table '{table.title}' has more than {table.max_rows} rows", f"جدول «{table.title}» بیش از {table.max_rows} ردیف دارد.")
    columns = {c.id for c in table.columns}
    for index, row in enumerate(rows, start=1):
        for key in row.cells:
            if key not in columns:
                out.add(table.id, "unknown_column", f"unknown column '{key}'", f"ستون ناشناخته «{key}».", index, key)
        for column in table.columns:
            needed = column.required and required
            if column.required_when and required:
                other, equals = column.required_when
                needed = row.cells.get(other) == equals
            _check_value(out, column, row.cells.get(column.id), table.id, needed, index, column.id)


def _check_details(out: _Collector, section: Section, answer: SectionAnswer, required: bool) -> None:
    """Every asked item (``report.relevance``) of ``section``: required ones present (when
    ``required``), present ones well-formed. Items not asked are not checked, only unknown ids are."""
    known = {f.id for f in section.fields}
    for key in answer.values:
        if key not in known:
            out.add(key, "unknown_item", f"unknown question '{key}'", f"پرسش ناشناخته «{key}».")
    asked = asked_fields(section, answer) if required else section.fields
    for spec in asked:
        _check_value(out, spec, answer.values.get(spec.id), spec.id, spec.required and required)
    tables = {t.id for t in section.tables}
    for key in answer.tables:
        if key not in tables:
            out.add(key, "unknown_item", f"unknown table '{key}'", f"جدول ناشناخته «{key}».")
    for table in asked_tables(section, answer) if required else section.tables:
        _check_table(out, table, answer.rows(table.id), required)
    values = _numeric_values(section, answer)
    rows = _checked_rows(section, answer)
    for rule in section.rules:
        if evaluate(rule.check, values, rows) is False:
            out.add(rule.id, "rule", rule.message_en, rule.message_fa)


def _text_required(out: _Collector, value: object, item: str, en: str, fa: str) -> None:
    if not _present(value):
        out.add(item, "missing", en, fa)
    elif not isinstance(value, str):
        out.add(item, "bad_type", f"{en} (must be text)", fa)


def _status_words(indicator: Indicator) -> tuple[str, str]:
    """The answers an indicator may be given, in English and Persian, for messages."""
    if indicator.statuses == ANNUAL_STATUSES:
        return "yes / no / not applicable", "بله / خیر / عدم مصداق"
    return " / ".join(s.id for s in indicator.statuses), " / ".join(s.label for s in indicator.statuses)


def validate_indicator(indicator: Indicator, answer: SectionAnswer) -> SectionResult:
    out = _Collector(indicator.id)
    words_en, words_fa = _status_words(indicator)
    if answer.is_empty():
        out.add("status", "missing", f"not answered ({words_en})", f"به این شاخص پاسخ داده نشده است ({words_fa}).")
        return SectionResult(indicator.id, "unanswered", out.found)
    status = answer.status
    found = indicator.status(status)
    details_checked = False
    if status is None:
        if indicator.statuses == ANNUAL_STATUSES:
            out.add("status", "missing", "choose yes, no or not applicable", "یکی از گزینه‌های بله، خیر یا عدم مصداق را انتخاب کنید.")
        else:
            out.add("status", "missing", f"choose one of {words_en}", f"یکی از گزینه‌های {words_fa} را انتخاب کنید.")
    elif found is None:
        out.add("status", "bad_status", f"unknown answer {status!r}", "پاسخ نامعتبر است.")
    else:
        if "reason" in found.asks:
            _text_required(out, answer.reason, "reason", f"the reason for '{status}' is required", f"دلیل پاسخ «{found.label}» ذکر نشده است.")
        if "justification" in found.asks:
            _text_required(out, answer.justification, "justification", f"a justification for '{status.replace('_', ' ')}' is required", f"توجیه «{found.label}» نوشته نشده است.")
        # the details; after a reason-only answer, the questions asked whatever the gate (indicator 5's second one)
        if "details" in found.asks or ("reason" in found.asks and indicator.asks_always()):
            _check_details(out, indicator, answer, required=True)
            details_checked = True
        if evidence_needed(indicator, status) and not answer.evidence:
            if "justification" in found.asks:
                out.add("evidence", "missing", f"'{status.replace('_', ' ')}' needs at least one document", f"برای «{found.label}» دست‌کم یک مستند لازم است.")
            else:
                label = indicator.evidence_label or "مستند"
                out.add("evidence", "missing", f"at least one evidence document is required for a '{status}' answer", f"مستند لازم است: {label}")
    if found is not None and not details_checked:
        # not relevant to this answer, but still must not be malformed (e.g. an imported file)
        shadow = _Collector(indicator.id)
        _check_details(shadow, indicator, answer, required=False)
        out.found.extend(p for p in shadow.found if p.code in ("unknown_item", "unknown_column"))
    if out.found:
        return SectionResult(indicator.id, "incomplete", out.found)
    return SectionResult(indicator.id, "not_applicable" if found is not None and "justification" in found.asks else "complete", [])


def head_field(form: FormDefinition) -> Field | None:
    """The header item naming the head («بالاترین مقام دستگاه اجرایی / استاندار»): the first whose id
    contains ``head``, as ``editing.report_list.header_from_office`` prefills it."""
    return next((spec for spec in form.header_fields if "head" in spec.id), None)


def _split_person(text: str) -> tuple[str, str]:
    """«name، title» (how the header is prefilled) as ``(name, title)``; a bare name has no title."""
    name, _, title = normalize_text(text).replace(",", "،").partition("،")
    return name.strip(), title.strip()


def _same(a: str, b: str) -> bool:
    """Equal but for spacing, ZWNJ and Arabic look-alike letters (what a retyped name differs by)."""
    def key(s: str) -> str:
        return " ".join(normalize_text(s).replace("\u200c", " ").split())

    return key(a) == key(b)


def header_head(form: FormDefinition, report: Report) -> tuple[str, str]:
    """The head named in the report's header as ``(name, title)``; ``("", "")`` when not given."""
    spec = head_field(form)
    value = report.header.get(spec.id) if spec is not None else None
    return _split_person(value) if isinstance(value, str) else ("", "")


def signer(form: FormDefinition, report: Report, office: OfficeProfile) -> tuple[str, str]:
    """Who the signature block prints, as ``(name, title)``: the head named in the header. A header
    giving the profile's head by name only takes the profile's title. With no head in the header
    (validation already reports it as missing) the profile's head, the header's own prefill."""
    name, title = header_head(form, report)
    if not name:
        return office.head_name.strip(), office.head_title.strip()
    if not title and _same(name, office.head_name):
        title = office.head_title.strip()
    return name, title


ON_BEHALF_FIELD = "signed_on_behalf_by"  # the header item recording who signs «از طرف» the head (1398.2)


def on_behalf_signer(form: FormDefinition, report: Report) -> tuple[str, str] | None:
    """Who signs on the head's behalf, as ``(name, title)``, when the header records one (form
    1398.2's «امضاکننده از طرف بالاترین مقام»); ``None`` when the head signs. The signature block
    then prints «از طرف» the head above this person: an explicit, recorded choice, never silent."""
    if not any(spec.id == ON_BEHALF_FIELD for spec in form.header_fields):
        return None
    value = report.header.get(ON_BEHALF_FIELD)
    if not isinstance(value, str) or not value.strip():
        return None
    return _split_person(value)


def _check_signer(out: _Collector, form: FormDefinition, report: Report, office: OfficeProfile) -> None:
    spec = head_field(form)
    name, title = header_head(form, report)
    if spec is None or not name or not office.head_name.strip():
        return  # nothing to compare; a missing head is already reported as missing
    if _same(name, office.head_name) and (not title or not office.head_title.strip() or _same(title, office.head_title)):
        return
    named = "، ".join(p for p in (name, title) if p)
    profile = "، ".join(p for p in (office.head_name.strip(), office.head_title.strip()) if p)
    out.add(
        spec.id, "signer_differs",
        f"the header names «{named}» as '{spec.label}', but the office profile's head is «{profile}»; the PDF's signature "
        "block prints the head named in the header: correct the header or the office profile so that they name the same person",
        f"«{spec.label}» در سربرگ گزارش «{named}» است، ولی بالاترین مقام در مشخصات دستگاه «{profile}» ثبت شده است؛"
        " گزارش به امضای همان مقامی چاپ می‌شود که در سربرگ آمده است. سربرگ یا مشخصات دستگاه را اصلاح کنید تا هر دو یک نفر را نام ببرند.",
    )  # fmt: skip


def validate_report(form: FormDefinition, report: Report, office: OfficeProfile | None = None) -> ValidationResult:
    """What is missing or wrong. With the ``office`` profile, also whether the header's head (who
    signs the PDF) is the profile's head (``signer_differs``, see the module's docstring)."""
    header = _Collector("header")
    for spec in form.header_fields:
        _check_value(header, spec, report.header.get(spec.id), spec.id, spec.required)
    if office is not None:
        _check_signer(header, form, report, office)
    for key in report.header:
        if key not in {f.id for f in form.header_fields}:
            header.add(key, "unknown_item", f"unknown header field '{key}'", f"فیلد ناشناخته «{key}».")
    sections = {ind.id: validate_indicator(ind, report.section(ind.id)) for ind in form.indicators}
    for section_id in report.sections:
        if section_id not in {f.id for f in form.free_sections} and not form.has_indicator(section_id):
            header.add(section_id, "unknown_indicator", f"unknown indicator '{section_id}'", f"شاخص ناشناخته «{section_id}».")
    diagnostic = _Collector(form.diagnostic.id)
    _check_details(diagnostic, form.diagnostic, report.section(form.diagnostic.id), required=True)
    done = sum(1 for r in sections.values() if r.state in ("complete", "not_applicable"))
    completeness = round(100 * done / len(sections), 1) if sections else 0.0
    opening = _Collector(form.opening.id if form.opening else "")
    if form.opening is not None:
        _check_details(opening, form.opening, report.section(form.opening.id), required=True)
    return ValidationResult(header.found, sections, diagnostic.found, completeness, opening.found)
