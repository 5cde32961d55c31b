"""``hq analyse`` for a kind of report with its own answers (the quarterly program report, issue
14): each answer's share per action under its program, the change from the previous period,
satisfaction per program (rule 8's surveys) and who met each target over the year so far."""

from __future__ import annotations

from citizen_rights_desktop.cli.context import say
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.hq.kind_figures import due_share


def percent_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def number_text(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


_pct, _num = percent_text, number_text


def say_kind_analysis(database, store, form, period: str, shares, groups: list[str], by: str | None) -> None:
    _say_shares_by_group_of_items(form, shares, groups, by)
    _say_quarter_over_quarter(database, form, period)
    surveys = analysis.satisfaction(store, form, period)
    if any(item.surveys for item in surveys):
        say()
        say("satisfaction per program (rule 8 surveys; mean weighted by respondents)")
        for item in surveys:
            say(f"  {item.group:<6}{item.surveys:>5} survey(s){_num(item.respondents):>12} respondents{_pct(item.mean):>9}  {item.label}")
    targets = analysis.target_shares(store, form, period)
    if targets:
        say()
        say("targets over the year so far (offices that met them / offices that reported)")
        for item in targets:
            target = form.indicator(item.indicator_id).target
            say(f"  {item.indicator_id:<10}{item.met:>5} / {item.offices:<5}{_pct(item.percent):>9}  at least {target.at_least:g} {target.field} per {target.per}")


def _say_shares_by_group_of_items(form, shares, groups: list[str], by: str | None) -> None:
    """Shares of each answer per action, under its program, for a kind with its own statuses."""
    ids = [s.id for s in form.statuses]
    first = form.statuses[0]
    for group in groups:
        label = "all reports" if by is None else f"{by} {group or 'national'}"
        say(f"{label}: {shares.reports[group]} report(s)")
        say(f"  {'item':<10}" + "".join(f"{s:>10}" for s in ids) + f"{'none':>7}{first.id + ' %':>10}  title"
            f"   ({first.id} % = {first.id} / answers due: not_due and not applicable left out, as in the window and the progress report)")
        for dimension in form.dimensions:
            say(f"  {form.kind.dimension_word} {dimension.number}: {dimension.title}")
            for indicator in dimension.indicators:
                got = shares.counts.get((group, indicator.id), {})
                say(f"  {indicator.id:<10}" + "".join(f"{got.get(s, 0):>10}" for s in ids)
                    + f"{got.get('unanswered', 0):>7}{_pct(due_share(shares, [indicator], first.id, group)):>10}  {indicator.title}")  # fmt: skip


def _say_quarter_over_quarter(database, form, period: str) -> None:
    """Each action's share of its first answer (done) now and in the previous period, and the change."""
    previous = form.period(period).previous().text
    now, before = analysis.status_shares(database.conn, form, period), analysis.status_shares(database.conn, form, previous)
    if not before.reports:
        return
    first = form.statuses[0].id
    say()
    say(f"{first} % by action: {period} against {previous}")
    for indicator in form.indicators:
        a, b = due_share(now, [indicator], first), due_share(before, [indicator], first)
        change = f"{a - b:+.1f}" if a is not None and b is not None else "-"
        say(f"  {indicator.id:<10}{_pct(a):>9}{_pct(b):>9}{change:>8}")
