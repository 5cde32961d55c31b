"""The figures of a kind of report with its own answers (the quarterly program report, seed 002;
issues 14 and 16) as the headquarters window shows them: per program and per action, the share
carried out in the period and in the one before it, with the change; each answer's count; the
targets met over the year so far; each program's satisfaction surveys.

The same core functions as ``hq analyse --kind`` (``analysis.status_shares``, ``target_shares``,
``satisfaction``), within the connection's scope (``hq.scope``). The share carried out follows the
progress report's rule (``progress.done_share``): the kind's first answer («انجام شد») over the
answers that are due — «هنوز موعد انجام آن نرسیده است» is left out of the denominator as «عدم
مصداق» is for the annual report; a blank answer counts (the office owed one). Changes are in
percentage points. Call ``digest.refresh_digests`` first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from citizen_rights_desktop.form.definition import FormDefinition, Indicator
from citizen_rights_desktop.form.periods import InvalidPeriod
from citizen_rights_desktop.hq import analysis

LEFT_OUT = (analysis.NOT_APPLICABLE, "not_due")  # answers that owe nothing yet: out of the denominator


def due_share(shares: analysis.StatusShares, indicators: list[Indicator] | tuple[Indicator, ...], status: str, group: str = "") -> float | None:
    """Percent of ``status`` answers over the due answers of ``indicators`` in ``group`` (module
    docstring); ``None`` when none is due. For one action, its own share; for a program, its
    actions' answers together."""
    chosen = due = 0
    for indicator in indicators:
        counts = shares.counts.get((group, indicator.id), {})
        chosen += counts.get(status, 0)
        due += sum(counts.values()) - sum(counts.get(s, 0) for s in LEFT_OUT)
    return round(100 * chosen / due, 2) if due else None


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 2)


@dataclass(frozen=True)
class ActionFigure:
    indicator_id: str
    dimension_id: str
    counts: dict[str, int]  # each answer's id, and "unanswered"
    share: float | None  # the first answer's share of the due answers, now
    before: float | None  # the same in the previous period
    target: analysis.TargetShare | None  # offices that met the action's target over the year so far

    @property
    def change(self) -> float | None:
        return _change(self.share, self.before)


@dataclass(frozen=True)
class ProgramFigure:
    dimension_id: str
    actions: int
    share: float | None
    before: float | None
    satisfaction: analysis.Satisfaction | None  # rule 8's surveys of the program, when the form has them

    @property
    def change(self) -> float | None:
        return _change(self.share, self.before)


@dataclass
class KindFigures:
    form: FormDefinition
    period: str
    previous: str | None
    status: str  # the answer whose share is shown (the kind's first: «انجام شد»)
    reports: int
    reports_before: int
    now: analysis.StatusShares
    before: analysis.StatusShares
    targets: dict[str, analysis.TargetShare] = field(default_factory=dict)
    satisfaction: dict[str, analysis.Satisfaction] = field(default_factory=dict)

    @property
    def statuses(self) -> list[str]:
        """The columns of the answers' counts: the kind's own answers, then no answer."""
        return [s.id for s in self.form.statuses] + ["unanswered"]

    def actions(self) -> list[ActionFigure]:
        """Every action (indicator) in form order, under its program."""
        empty = dict.fromkeys(self.statuses, 0)
        out = []
        for dimension in self.form.dimensions:
            for indicator in dimension.indicators:
                counts = {**empty, **self.now.counts.get(("", indicator.id), {})}
                now, before = due_share(self.now, [indicator], self.status), due_share(self.before, [indicator], self.status)
                out.append(ActionFigure(indicator.id, dimension.id, counts, now, before, self.targets.get(indicator.id)))
        return out

    def programs(self) -> list[ProgramFigure]:
        out = []
        for dimension in self.form.dimensions:
            now, before = due_share(self.now, dimension.indicators, self.status), due_share(self.before, dimension.indicators, self.status)
            out.append(ProgramFigure(dimension.id, len(dimension.indicators), now, before, self.satisfaction.get(dimension.id)))
        return out


def previous_period(form: FormDefinition, period: str) -> str | None:
    try:
        return form.period(period).previous().text
    except InvalidPeriod:
        return None


def kind_figures(store, form: FormDefinition, period: str, now: analysis.StatusShares | None = None) -> KindFigures:
    """The figures of ``form``'s ``period`` on the store's (scoped) connection; ``now``: the
    period's national ``status_shares`` when the caller has them already."""
    conn = store.conn
    previous = previous_period(form, period)
    now = now if now is not None else analysis.status_shares(conn, form, period)
    before = analysis.status_shares(conn, form, previous) if previous else analysis.StatusShares()
    return KindFigures(
        form=form,
        period=period,
        previous=previous,
        status=form.statuses[0].id,
        reports=now.reports.get("", 0),
        reports_before=before.reports.get("", 0),
        now=now,
        before=before,
        targets={t.indicator_id: t for t in analysis.target_shares(store, form, period)},
        satisfaction={s.group: s for s in analysis.satisfaction(store, form, period)},
    )
