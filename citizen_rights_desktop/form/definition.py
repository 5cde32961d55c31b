"""Form definitions: the official report form as data (dimensions, indicators, questions, tables,
computed values, rules), as ``form.loader`` builds it from ``forms/*.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property

from citizen_rights_desktop.form.expressions import Expression
from citizen_rights_desktop.form.periods import InvalidPeriod, Period, due_date, parse_period
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.form.values import default_range

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
ANSWER_STATUSES = ("yes", "no", "not_applicable")  # the annual report's; a form may declare its own (``statuses``)
STATUS_ASKS = ("details", "reason", "justification", "finding")


@dataclass(frozen=True)
class Status:
    """One answer an indicator may be given (the annual report: yes / no / not applicable; the
    quarterly program report: done / partly / not done / not yet due): what it asks — the details
    (fields, tables), the reason, the justification — whether it needs a document (``indicator``:
    as the indicator's ``evidence`` says; ``always``; ``never``), and its one-character code in
    headquarters' digest."""

    id: str
    label: str
    asks: tuple[str, ...]
    evidence: str = "indicator"
    code: str = ""
    score: float | None = None  # an inspection's: compliant 1, partly 0.5, not compliant 0; None: not scored


ANNUAL_STATUSES = (
    Status("yes", "بله", ("details",), "indicator", "y"),
    Status("no", "خیر", ("reason",), "indicator", "n"),
    Status("not_applicable", "عدم مصداق", ("justification",), "always", "a"),
)


@dataclass(frozen=True)
class ReportKind:
    """What kind of report a form is (issue 14): the period it covers (``year`` or ``quarter``),
    who fills it, to whom it goes, who signs it and, for quarters, how many days after the period
    it is due."""

    period: str = "year"
    filled_by: tuple[str, ...] = ()
    sent_to: str = ""
    signer: str = ""
    deadline_days: int | None = None
    dimension_word: str = "بُعد"  # what the form's groups are called (the programs: «برنامه»)
    indicator_word: str = "شاخص"  # and their items (the programs: «اقدام»)
    guideline_name: str = ""  # the document the form follows, when it is not «شیوه نامه سال YEAR»
    recipients: tuple[str, ...] = ()  # several addressees (an inspection's three, seed 000); else sent_to


@dataclass(frozen=True)
class SatisfactionSource:
    """Where a form records its satisfaction surveys (seed 002, rule 8): a table whose rows name
    the group surveyed (a choice column), the respondents and the score (a percent). Headquarters
    reports the mean score per group, weighted by respondents."""

    indicator: str
    table: str
    group: str
    weight: str
    score: str


@dataclass(frozen=True)
class Target:
    """A target the guideline sets for an action: ``field`` at least ``at_least`` per ``per``
    (``year``, ``quarter``, ``month`` or ``week``), tracked over the year's reports."""

    field: str
    at_least: float
    per: str
NUMERIC_TYPES = ("integer", "number", "percent")


@dataclass(frozen=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    type: str
    required: bool = True
    options: tuple[Option, ...] = ()
    help: str = ""
    required_when: tuple[str, str] | None = None
    minimum: int | float | None = None  # the form's ``min``; None: the type's default (form.values)
    maximum: int | float | None = None  # the form's ``max``
    heading: str = ""  # a heading printed before this item (the seed's row group, e.g. «بازرسی»)
    note: str = ""  # our own explanation, shown in the wizard only; ``help`` is the seed's and is printed
    asked: str = "yes"  # "yes": asked when the gate is answered yes; "always": for a yes or a no answer;
    # "finding": asked by an answer that makes a finding (an inspection's form-wide ``finding_fields``)
    asked_when: tuple[str, str] | None = None  # (choice field id, option id): asked only when it has that value

    @property
    def option_labels(self) -> dict[str, str]:
        return {option.id: option.label for option in self.options}

    @property
    def bounds(self) -> tuple[int | float, int | float] | None:
        """The lowest and highest value a number field accepts (both included): the form's
        ``min`` / ``max`` where given, else the type's default range; ``None`` for other types.

        Every number field has one, so a 400-digit "count" is refused where it is typed and never
        reaches headquarters' sums (issue 12)."""
        if self.type not in NUMERIC_TYPES:
            return None
        low, high = default_range(self.type)
        return (low if self.minimum is None else self.minimum, high if self.maximum is None else self.maximum)


@dataclass(frozen=True)
class FixedRow:
    id: str
    label: str


@dataclass(frozen=True)
class RowsFrom:
    """Where a table's starting rows may be copied from: column ``column`` of table ``table`` of
    indicator ``section`` fills this table's column ``into`` (indicator 4 starts from the processes
    indicator 2 already lists)."""

    section: str
    table: str
    column: str
    into: str


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    columns: tuple[Field, ...]
    min_rows: int = 1
    max_rows: int | None = None
    fixed_rows: tuple[FixedRow, ...] = ()
    required: bool = True
    heading: str = ""
    note: str = ""
    asked: str = "yes"
    asked_when: tuple[str, str] | None = None
    rows_from: RowsFrom | None = None

    def column(self, column_id: str) -> Field:
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(column_id)


@dataclass(frozen=True)
class Computed:
    id: str
    label: str
    type: str
    expression: Expression


@dataclass(frozen=True)
class Rule:
    id: str
    check: Expression
    message_fa: str
    message_en: str


@dataclass(frozen=True)
class Section:
    """The questions and tables of an indicator's "yes" part, or of the diagnostic form."""

    id: str
    title: str
    fields: tuple[Field, ...] = ()
    tables: tuple[Table, ...] = ()
    computed: tuple[Computed, ...] = ()
    rules: tuple[Rule, ...] = ()

    def field(self, field_id: str) -> Field:
        for item in self.fields:
            if item.id == field_id:
                return item
        raise KeyError(field_id)

    def table(self, table_id: str) -> Table:
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(table_id)


@dataclass(frozen=True)
class Indicator(Section):
    number: int = 0
    references: str = ""
    guidance: str = ""
    gate: str = ""
    reason_label: str = ""
    yes_label: str = ""
    yes_items: tuple[str, ...] = ()  # the seed's items listed under the "if yes" prompt, verbatim
    evidence_when: tuple[str, ...] = ()  # the answers that need at least one evidence document
    evidence_label: str = ""
    weight: float = 1.0
    dimension_id: str = ""
    statuses: tuple[Status, ...] = ANNUAL_STATUSES
    target: Target | None = None
    rights: tuple[int, ...] = ()  # an inspection item's rights: articles 3-13 of the resolution
    self_report: tuple[str, ...] = ()  # the annual report's indicators whose «yes» claims what this item checks

    def status(self, status_id: str | None) -> Status | None:
        return self._statuses_by_id.get(status_id)  # type: ignore[arg-type]

    @cached_property
    def _statuses_by_id(self) -> dict[str, Status]:
        """Looked up for every answer of thousands of reports at headquarters (issue 16)."""
        return {s.id: s for s in self.statuses}

    def status_label(self, status_id: str | None) -> str:
        found = self.status(status_id)
        return found.label if found else ""

    @property
    def evidence_required(self) -> bool:
        """Whether a yes answer needs evidence (``evidence: required`` or ``always``)."""
        return "yes" in self.evidence_when

    def asks_always(self) -> bool:
        """Whether some question is asked whatever the gate's yes or no (indicator 5's second question)."""
        return any(item.asked == "always" for item in (*self.fields, *self.tables))

    @property
    def full_title(self) -> str:
        """The title as printed in the guideline, legal references in parentheses."""
        return f"{self.title} ({self.references})" if self.references else self.title


@dataclass(frozen=True)
class Dimension:
    id: str
    number: int
    title: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class FormUpgrade:
    """How a draft made with an earlier version of this form moves to this one: ``moves`` maps an
    old item path (``i05.electronic_how``, ``i02.processes.service``) to its new path; an old path
    not in ``moves`` keeps its place when this version still has it, and is set aside (kept, shown,
    never printed) when it has not."""

    from_version: str
    moves: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FormDefinition:
    id: str
    version: str
    guideline_year: int
    title: str
    deadline: dt.date
    header_fields: tuple[Field, ...]
    not_applicable_rule: str
    evidence_rule: str
    dimensions: tuple[Dimension, ...]
    diagnostic: Section
    source: str = ""
    introduction: tuple[str, ...] = ()  # the guideline's «مقدمه», one paragraph per item
    first_period: int = 0  # the first Jalali year this form may report on (0: its guideline year)
    last_period: int | None = None  # the last one; None: until a later guideline replaces it
    diagnostic_header: str = ""  # the diagnostic form's own header label (the agency's title)
    upgrades: tuple[FormUpgrade, ...] = ()
    kind: ReportKind = ReportKind()
    statuses: tuple[Status, ...] = ANNUAL_STATUSES
    satisfaction: SatisfactionSource | None = None
    opening: Section | None = None  # a section without a gate before the first dimension (an inspection's team)
    finding_fields: tuple[Field, ...] = ()  # what a finding asks (issue 15), on every indicator
    rights: tuple[tuple[int, str], ...] = ()  # (article, name) of the rights its items name (an inspection's)
    _by_id: dict[str, Indicator] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({ind.id: ind for dim in self.dimensions for ind in dim.indicators})

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(self._by_id.values())

    def indicator(self, indicator_id: str) -> Indicator:
        return self._by_id[indicator_id]

    def has_indicator(self, indicator_id: str) -> bool:
        return indicator_id in self._by_id

    def accepts_period(self, period: str) -> bool:
        """Whether a report for ``period`` (a Jalali year, or a quarter for a quarterly form) may
        follow this form."""
        try:
            year = self.period(period).year
        except InvalidPeriod:
            return False
        first = self.first_period or self.guideline_year
        return year >= first and (self.last_period is None or year <= self.last_period)

    def period(self, text: object) -> Period:
        """``text`` as a period of this form's kind; ``InvalidPeriod`` (with English and Persian
        messages) when it is not one (``1399-Q5``, or ``1399`` for a quarterly form)."""
        return parse_period(text, self.kind.period)

    def due_date(self, period: str) -> dt.date:
        """When a report for ``period`` is due (``form.periods.due_date``)."""
        return due_date(self.period(period), self.kind.deadline_days, self.deadline, self.guideline_year)

    @property
    def guideline_name(self) -> str:
        """The document the form follows: «شیوه نامه سال ۱۳۹۸», or the kind's own name
        («دستورالعمل صیانت از حقوق شهروندی»)."""
        return self.kind.guideline_name or f"شیوه نامه سال {to_persian_digits(self.guideline_year)}"

    def period_words(self, period: str) -> str:
        """The period as printed: «سال ۱۳۹۸», «سه‌ماهه دوم ۱۳۹۹ (تیر تا شهریور)»."""
        try:
            return self.period(period).label_fa
        except InvalidPeriod:
            return f"سال {to_persian_digits(period)}"

    def status(self, status_id: str | None) -> Status | None:
        return next((s for s in self.statuses if s.id == status_id), None)

    @property
    def periods_text(self) -> str:
        first = self.first_period or self.guideline_year
        return f"{first}" + (f"–{self.last_period}" if self.last_period is not None else " onwards")

    def upgrade_from(self, version: str) -> FormUpgrade | None:
        return next((u for u in self.upgrades if u.from_version == version), None)

    @property
    def free_sections(self) -> tuple[Section, ...]:
        """The sections without a gate: the opening one (if any), then the diagnostic form."""
        return ((self.opening,) if self.opening is not None else ()) + (self.diagnostic,)

    @property
    def scored(self) -> bool:
        """Whether the form's answers carry a score (an inspection checklist)."""
        return any(s.score is not None for s in self.statuses)

    def section(self, section_id: str) -> Section:
        """An indicator by id, the opening section by its id, or the diagnostic form as ``"diagnostic"``."""
        if section_id == self.diagnostic.id:
            return self.diagnostic
        if self.opening is not None and section_id == self.opening.id:
            return self.opening
        return self._by_id[section_id]


class FormDefinitionError(ValueError):
    """A form definition that cannot be used; ``problems`` lists every ``(where, what)`` found."""

    def __init__(self, path: str, problems: list[tuple[str, str]]):
        self.path = path
        self.problems = problems
        lines = [f"{path}: {where}: {what}" for where, what in problems]
        super().__init__("\n".join(lines))


# --- YAML with line numbers -------------------------------------------------------------------


# --- the checker ------------------------------------------------------------------------------


