"""A report's answers in memory: what storage loads, validation checks and exports serialise.

Everything is keyed by the form definition's stable ids, never by wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HEADER = "header"
DIAGNOSTIC = "diagnostic"
STATUS_ITEM = "status"
REASON_ITEM = "reason"
JUSTIFICATION_ITEM = "justification"
RESERVED_ITEMS = (STATUS_ITEM, REASON_ITEM, JUSTIFICATION_ITEM)

REPORT_STATES = ("draft", "signed", "exported")


@dataclass
class Row:
    id: str
    cells: dict[str, object] = field(default_factory=dict)


@dataclass
class EvidenceRef:
    id: str
    sha256: str
    name: str
    size: int
    mime: str
    added_at: str


@dataclass
class SectionAnswer:
    """The answer to one indicator (or to the diagnostic form, which has no status)."""

    status: str | None = None
    reason: str | None = None
    justification: str | None = None
    values: dict[str, object] = field(default_factory=dict)
    tables: dict[str, list[Row]] = field(default_factory=dict)
    evidence: list[EvidenceRef] = field(default_factory=list)

    def rows(self, table_id: str) -> list[Row]:
        return self.tables.get(table_id, [])

    def row_cells(self, table_id: str) -> list[dict[str, object]]:
        return [row.cells for row in self.rows(table_id)]

    def is_empty(self) -> bool:
        return not (self.status or self.reason or self.justification or self.values or any(self.tables.values()) or self.evidence)


@dataclass
class Report:
    id: str
    office_id: str
    form_id: str
    form_version: str
    period: str
    revision: int = 1
    state: str = "draft"
    created_at: str = ""
    updated_at: str = ""
    header: dict[str, object] = field(default_factory=dict)
    sections: dict[str, SectionAnswer] = field(default_factory=dict)

    def section(self, section_id: str) -> SectionAnswer:
        """The answer of an indicator or of the diagnostic form; empty when nothing was entered."""
        return self.sections.get(section_id) or SectionAnswer()

    @property
    def locked(self) -> bool:
        return self.state != "draft"


@dataclass
class ReportSummary:
    id: str
    office_id: str
    agency: str
    form_id: str
    form_version: str
    period: str
    revision: int
    state: str
    created_at: str
    updated_at: str
