"""What an inspection visit found (issue 15): its scores per dimension, per right and overall, its
findings, the contradictions with the inspected office's own annual report, and what became of an
earlier visit's findings.

The rules, all data-driven by the checklist (``forms/joint-inspection-*.yaml``):

- **Score.** Each answer's ``score`` (compliant 1, partly 0.5, not compliant 0), weighted by the
  item's ``weight``, over the items answered with a scored answer: «مصداق ندارد» (no score) is
  left out of the denominator, as the annual report leaves out «عدم مصداق»; an unanswered item
  counts nothing and is not in the denominator either, so an unfinished visit is scored on what
  was checked (validation already refuses to sign it). Scores are percents.
- **Finding.** Every item answered with an answer that asks a finding (``asks: [finding]``) is one,
  with the corrective action, who is responsible and the deadline the team set.
- **Contradiction.** An item found «رعایت نشده» whose ``self_report`` indicators the office's
  annual report answered «بله»: the office claims what the team did not find.
- **Follow-up.** A finding of an earlier visit to the same office is resolved when a later visit
  answers the same item compliant (or not applicable), still open otherwise, and not checked when
  the later visit left the item unanswered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.report.model import Report
from citizen_rights_desktop.report.relevance import status_asks

CLAIM_STATUS = "yes"  # the annual report's answer that claims an indicator is met
FOUND_NOT = "not_compliant"  # the inspection's answer that contradicts such a claim
FINDING_ITEMS = ("corrective_action", "responsible", "corrective_deadline")


@dataclass(frozen=True)
class Score:
    percent: float | None  # None: nothing scored
    scored: int  # items with a scored answer (the denominator's count)


@dataclass(frozen=True)
class VisitScores:
    overall: Score
    by_dimension: dict[str, Score]  # dimension id → score
    by_right: dict[int, Score]  # article 3..13 → score of the items protecting that right


@dataclass(frozen=True)
class Finding:
    indicator_id: str
    number: int
    title: str
    status: str
    status_label: str
    observation: str
    corrective_action: str
    responsible: str
    deadline: str  # ISO Gregorian date as stored, or ""

    def overdue(self, today: dt.date) -> bool:
        try:
            return bool(self.deadline) and dt.date.fromisoformat(self.deadline) < today
        except ValueError:
            return False


@dataclass(frozen=True)
class Contradiction:
    indicator_id: str  # the checklist item
    number: int
    title: str
    claimed: tuple[str, ...]  # the annual indicators answered «بله» that claim it


@dataclass(frozen=True)
class FollowUp:
    finding: Finding  # of the earlier visit
    earlier_period: str
    now: str | None  # the later visit's answer to the same item (None: not checked)
    resolved: bool


@dataclass
class InspectionContext:
    """What a visit's PDF prints beside the visit: the inspected office's answers in its annual
    report (indicator id → status; ``None``: not known on this machine) and the follow-up of an
    earlier visit's findings (``editing.inspection_context`` gathers them)."""

    claims: dict[str, str] | None = None
    claims_period: str = ""  # the annual report the claims come from («سال ۱۳۹۸»)
    follow_ups: list[FollowUp] = field(default_factory=list)


class _Tally:
    __slots__ = ("possible", "earned", "scored")

    def __init__(self) -> None:
        self.possible = self.earned = 0.0
        self.scored = 0

    def add(self, weight: float, score: float) -> None:
        self.possible += weight
        self.earned += weight * score
        self.scored += 1

    def score(self) -> Score:
        return Score(round(100 * self.earned / self.possible, 1) if self.possible else None, self.scored)


def visit_scores(form: FormDefinition, report: Report) -> VisitScores:
    """The visit's scores (module docstring), each item read once: headquarters scores thousands."""
    overall = _Tally()
    dimensions = {dim.id: _Tally() for dim in form.dimensions}
    rights = {r: _Tally() for r in sorted({r for ind in form.indicators for r in ind.rights})}
    for indicator in form.indicators:
        found = indicator.status(report.section(indicator.id).status)
        if found is None or found.score is None:
            continue
        for tally in (overall, dimensions[indicator.dimension_id], *(rights[r] for r in indicator.rights)):
            tally.add(indicator.weight, found.score)
    return VisitScores(overall.score(), {k: t.score() for k, t in dimensions.items()}, {k: t.score() for k, t in rights.items()})


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def findings(form: FormDefinition, report: Report) -> list[Finding]:
    """The visit's findings, in checklist order."""
    found = []
    for indicator in form.indicators:
        answer = report.section(indicator.id)
        if not status_asks(indicator, answer.status, "finding"):
            continue
        values = answer.values
        found.append(
            Finding(
                indicator.id, indicator.number, indicator.title, str(answer.status), indicator.status_label(answer.status),
                _text(values.get("observation")), *(_text(values.get(k)) for k in FINDING_ITEMS),
            )
        )  # fmt: skip
    return found


def contradictions(form: FormDefinition, report: Report, claims: dict[str, str]) -> list[Contradiction]:
    """Items found not compliant whose annual indicators ``claims`` (indicator id → the office's
    answer in its annual report) answered «بله»."""
    found = []
    for indicator in form.indicators:
        if report.section(indicator.id).status != FOUND_NOT:
            continue
        claimed = tuple(i for i in indicator.self_report if claims.get(i) == CLAIM_STATUS)
        if claimed:
            found.append(Contradiction(indicator.id, indicator.number, indicator.title, claimed))
    return found


def follow_up(form: FormDefinition, report: Report, earlier: Report, earlier_form: FormDefinition) -> list[FollowUp]:
    """What ``report`` (a later visit to the same office) says of ``earlier``'s findings. An item
    the later checklist no longer has is not checked."""
    out = []
    for finding in findings(earlier_form, earlier):
        now = report.section(finding.indicator_id).status if form.has_indicator(finding.indicator_id) else None
        status = form.indicator(finding.indicator_id).status(now) if now is not None else None
        resolved = status is not None and not status_asks(form.indicator(finding.indicator_id), now, "finding")
        out.append(FollowUp(finding, earlier.period, now if status is not None else None, resolved))
    return out

