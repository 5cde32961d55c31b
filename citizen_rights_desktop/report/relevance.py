"""Which questions of a section an answer asks: the one rule that validation, the PDF, the wizard
and headquarters' analysis share, so that none of them decides it on its own.

An indicator's items are asked on a ``yes`` (``asked: yes``, the default), or on a ``yes`` and on a
``no`` (``asked: always``: indicator 5's second question, independent of its gate); ``asked_when``
narrows an item to one option of a choice of the same section (indicator 5's reason when the
electronic processes are not consolidated, its table when they are). "Not applicable" asks none of
them. An inspection's finding fields (``asked: finding``) are asked by the answers that make a
finding («تا حدودی رعایت شده», «رعایت نشده»), and only by them. The diagnostic form has no gate: everything in it is asked. Items that are not asked keep
their stored answers (a mis-click never destroys typed work); they are only not checked, printed
or counted.
"""

from __future__ import annotations

from citizen_rights_desktop.form.definition import Computed, Field, Indicator, Section, Table
from citizen_rights_desktop.report.model import SectionAnswer


def status_asks(indicator: Indicator, status: str | None, what: str) -> bool:
    """Whether the answer ``status`` asks ``what`` (``details``, ``reason``, ``justification``) by
    the indicator's statuses (the annual report: yes → details, no → reason, not applicable →
    justification; a quarterly report's «بخشی انجام شد» asks details and a reason)."""
    found = indicator.status(status)
    return found is not None and what in found.asks


def gate_asks(item: Field | Table, status: str | None, indicator: Indicator) -> bool:
    """Whether the gate's answer asks ``item`` (before its ``asked_when``): every item when the
    answer asks the details; ``asked: always`` items also when it asks only a reason; ``asked:
    finding`` items only when it makes a finding."""
    if item.asked == "finding":
        return status_asks(indicator, status, "finding")
    if status_asks(indicator, status, "details"):
        return True
    return item.asked == "always" and status_asks(indicator, status, "reason")


def is_asked(section: Section, item: Field | Table, answer: SectionAnswer) -> bool:
    """Whether ``item`` of ``section`` is asked by ``answer`` as it stands."""
    if isinstance(section, Indicator) and not gate_asks(item, answer.status, section):
        return False
    if item.asked_when is not None:
        choice, option = item.asked_when
        return answer.values.get(choice) == option
    return True


def asked_fields(section: Section, answer: SectionAnswer) -> tuple[Field, ...]:
    return tuple(f for f in section.fields if is_asked(section, f, answer))


def asked_tables(section: Section, answer: SectionAnswer) -> tuple[Table, ...]:
    return tuple(t for t in section.tables if is_asked(section, t, answer))


def evidence_needed(indicator: Indicator, status: str | None) -> bool:
    """Whether this answer needs at least one evidence document ("not applicable" always does; a
    quarterly report's carried-out actions do)."""
    found = indicator.status(status)
    if found is None:
        return False
    if found.evidence == "indicator":
        return found.id in indicator.evidence_when
    return found.evidence == "always"


def asked_computed(section: Section, answer: SectionAnswer) -> tuple[Computed, ...]:
    """The computed values whose every input is asked (indicator 5's electronic percent only when
    its table is; indicator 13's per-capita only on a yes)."""
    asked = {f.id for f in asked_fields(section, answer)} | {t.id for t in asked_tables(section, answer)}
    return tuple(c for c in section.computed if c.expression.inputs() <= asked)
