"""Form definitions: the official report form as data (dimensions, indicators, questions, tables,
computed values, rules), as ``form.loader`` builds it from ``forms/*.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from citizen_rights_desktop.form.expressions import Expression
from citizen_rights_desktop.form.values import default_range

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
ANSWER_STATUSES = ("yes", "no", "not_applicable")
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
class Table:
    id: str
    title: str
    columns: tuple[Field, ...]
    min_rows: int = 1
    max_rows: int | None = None
    fixed_rows: tuple[FixedRow, ...] = ()
    required: bool = True

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
    evidence_required: bool = False
    evidence_label: str = ""
    weight: float = 1.0
    dimension_id: str = ""

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

    def section(self, section_id: str) -> Section:
        """An indicator by id, or the diagnostic form as ``"diagnostic"``."""
        return self.diagnostic if section_id == self.diagnostic.id else self._by_id[section_id]


class FormDefinitionError(ValueError):
    """A form definition that cannot be used; ``problems`` lists every ``(where, what)`` found."""

    def __init__(self, path: str, problems: list[tuple[str, str]]):
        self.path = path
        self.problems = problems
        lines = [f"{path}: {where}: {what}" for where, what in problems]
        super().__init__("\n".join(lines))


# --- YAML with line numbers -------------------------------------------------------------------


# --- the checker ------------------------------------------------------------------------------


