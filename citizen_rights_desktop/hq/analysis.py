"""Headquarters analysis over many reports: answer shares, numeric summaries, pivots, scores, ranks.

Everything is read from the reports' digests (``digest.py``: one row per report), which
``digest.refresh_digests`` keeps up to date; call it before analysing. Only *current* reports count: a report superseded by a newer revision of the
same office's submission is history, not data. Groupings are by the office's province or level.

Scoring (documented in the README and ``digest.score_of``): each indicator carries a ``weight``
in the form definition. A report earns the indicator's weight for "yes", nothing for "no" or no
answer, and a "not applicable" indicator leaves both the earned and the possible total (its
justification is reviewed by headquarters). Score = 100 × earned ÷ possible.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from citizen_rights_desktop.form.definition import NUMERIC_TYPES, FormDefinition
from citizen_rights_desktop.form.values import NUMBER_LIMIT
from storage.report_parts import load_parts

GROUPINGS = {None: "''", "province": "d.province", "level": "d.level"}
STATUSES = ("yes", "no", "not_applicable", "unanswered")
NOT_APPLICABLE = "not_applicable"  # left out of shares' denominators, as out of the score
YES_SHARE_FA = "درصد بله (از گزارش‌های مشمول، بدون عدم مصداق)"  # the share's denominator, stated


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone() is not None


def _digests(conn: sqlite3.Connection, form: FormDefinition, period: str, columns: str) -> sqlite3.Cursor:
    """``columns`` of the digests of the current reports of ``form`` and ``period``: reports of every
    version of the form (1398.1 and 1398.2 alike), whose ids a new version never reuses for
    something else (docs/form-schema.md), so that a new form version never hides the reports
    already received."""
    superseded = (
        " AND d.report_id NOT IN (SELECT report_id FROM hq_submission WHERE superseded_by IS NOT NULL)"
        if _has_table(conn, "hq_submission")
        else ""
    )
    return conn.execute(
        f"SELECT {columns} FROM report_digest d WHERE d.form_id = ? AND d.period = ?{superseded}",
        (form.id, period),
    )


def _group_column(by: str | None) -> str:
    try:
        return GROUPINGS[by]
    except KeyError:
        raise ValueError(f"group by one of province, level (not {by!r})") from None


@dataclass
class StatusShares:
    """Counts of each answer per (group, indicator); ``reports`` per group."""

    counts: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    reports: dict[str, int] = field(default_factory=dict)

    def share(self, group: str, indicator_id: str, status: str = "yes") -> float | None:
        """Percent of the group's reports giving ``status``, over the reports the indicator applies
        to: "not applicable" answers are left out of the denominator, as the score rule leaves
        them out (issue 16); a blank counts (the office owed an answer). The share of "not
        applicable" itself is over all reports. ``None`` when nothing is left to divide by."""
        counts = self.counts.get((group, indicator_id), {})
        total = self.reports.get(group, 0)
        if status != NOT_APPLICABLE:
            total -= counts.get(NOT_APPLICABLE, 0)
        if total <= 0:
            return None
        return 100 * counts.get(status, 0) / total


def status_shares(conn: sqlite3.Connection, form: FormDefinition, period: str, by: str | None = None) -> StatusShares:
    """How many reports answered each indicator yes / no / not applicable / nothing, per group."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for key, statuses in _digests(conn, form, period, f"{_group_column(by)}, d.statuses"):
        grouped[key].append(statuses)
    result = StatusShares()
    codes = {s.code: s.id for s in form.statuses} | {"-": "unanswered"}  # the annual report: y n a -
    for key, strings in grouped.items():
        result.reports[key] = len(strings)
        # one string per indicator holding every report's answer code: counted in C, not in a loop
        columns = ["".join(column) for column in zip(*strings)]
        for indicator, column in zip(form.indicators, columns):
            result.counts[(key, indicator.id)] = {status: column.count(code) for code, status in codes.items()}
    return result


@dataclass(frozen=True)
class NumericSummary:
    indicator_id: str
    item: str  # field id, TABLE.COLUMN (summed per report), TABLE.rows, or a computed value's id
    label: str
    kind: str  # "field", "column", "rows" or "computed"
    reports: int  # reports contributing a value
    total: float | None  # None for a percent or a ratio: they are not added up
    mean: float | None


def numeric_items(form: FormDefinition) -> list[tuple[str, str, str, str]]:
    """Every number a digest can hold: (indicator id, item, label, kind), in form order."""
    items = []
    for indicator in form.indicators:
        for spec in indicator.fields:
            if spec.type in NUMERIC_TYPES:
                items.append((indicator.id, spec.id, spec.label, "field"))
        for table in indicator.tables:
            items.append((indicator.id, f"{table.id}.rows", table.title, "rows"))
            for column in table.columns:
                if column.type in NUMERIC_TYPES:
                    items.append((indicator.id, f"{table.id}.{column.id}", column.label, "column"))
        for item in indicator.computed:
            items.append((indicator.id, item.id, item.label, "computed"))
    return items


def _accepted_ranges(form: FormDefinition) -> dict[str, tuple[float, float]]:
    """Digest key → the values analysis counts: a field's own range; for column sums, row counts
    and computed values, ±10¹⁵ (``NUMBER_LIMIT``, beyond any real total)."""
    ranges: dict[str, tuple[float, float]] = {}
    for indicator in form.indicators:
        for spec in indicator.fields:
            if spec.type in NUMERIC_TYPES:
                ranges[f"{indicator.id}.{spec.id}"] = spec.bounds
    return ranges


def _counted(value: object, bounds: tuple[float, float]) -> bool:
    """Whether a digest number is usable. Digests built before number ranges existed (issue 12) may
    hold a 400-digit "count" or NaN: skipped, so a sum never overflows a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return bounds[0] <= value <= bounds[1]  # exact for any int, no conversion to float


def _digest_numbers(text: str) -> dict[str, object]:
    try:
        numbers = json.loads(text)
    except (ValueError, RecursionError):  # e.g. an int past Python's 4,300-digit limit
        return {}
    return numbers if isinstance(numbers, dict) else {}


def numeric_summaries(
    conn: sqlite3.Connection, form: FormDefinition, period: str, by: str | None = None, group_value: str | None = None
) -> list[NumericSummary]:
    """Sum and mean, over the reports that answered the indicator "yes" (optionally within one
    group), of every numeric field, table column (summed per report), row count and computed value.
    Numbers outside their field's range (or beyond ±10¹⁵ for derived ones) are skipped."""
    values: dict[str, list[float]] = defaultdict(list)
    ranges = _accepted_ranges(form)
    derived = (-NUMBER_LIMIT, NUMBER_LIMIT)
    for key, numbers in _digests(conn, form, period, f"{_group_column(by)}, d.numbers"):
        if by is not None and key != (group_value or ""):
            continue
        for name, value in _digest_numbers(numbers).items():
            # _counted, inlined: half a million values over 20,000 reports (issue 16)
            kind = type(value)
            if kind is int or (kind is float and math.isfinite(value)):
                low, high = ranges.get(name, derived)
                if low <= value <= high:
                    values[name].append(value)
    out = []
    shares = _not_summable(form)
    for indicator_id, item, label, kind in numeric_items(form):
        found = values.get(f"{indicator_id}.{item}", [])
        total = float(sum(found))
        # a percent or a ratio has no total (issue 16: percentages were summed); its mean is the
        # reports' plain mean, stated as such
        shown = None if f"{indicator_id}.{item}" in shares else total
        out.append(NumericSummary(indicator_id, item, label, kind, len(found), shown, total / len(found) if found else None))
    return out


def _not_summable(form: FormDefinition) -> set[str]:
    """Items whose sum means nothing: percent fields and columns, and computed values (a percent or
    a ratio of each report's own numbers)."""
    found = set()
    for indicator in form.indicators:
        found |= {f"{indicator.id}.{f.id}" for f in indicator.fields if f.type == "percent"}
        found |= {f"{indicator.id}.{t.id}.{c.id}" for t in indicator.tables for c in t.columns if c.type == "percent"}
        found |= {f"{indicator.id}.{c.id}" for c in indicator.computed}
    return found


def pivot_yes_share(conn: sqlite3.Connection, form: FormDefinition, period: str, by: str = "province") -> dict[str, dict[str, float | None]]:
    """indicator id → group → percent of the group's reports answering "yes"."""
    shares = status_shares(conn, form, period, by)
    return {ind.id: {g: shares.share(g, ind.id) for g in sorted(shares.reports)} for ind in form.indicators}


@dataclass(frozen=True)
class Score:
    report_id: str
    office_id: str
    agency: str
    province: str
    level: str
    score: float


def scores(conn: sqlite3.Connection, form: FormDefinition, period: str) -> list[Score]:
    """The score of every current report (the rule is in ``digest.score_of``)."""
    agencies = dict(conn.execute("SELECT id, agency FROM office"))
    return [
        Score(report_id, office_id, agencies.get(office_id, ""), province, level, score)
        for report_id, office_id, province, level, score in _digests(conn, form, period, "d.report_id, d.office_id, d.province, d.level, d.score")
    ]


@dataclass(frozen=True)
class Rank:
    key: str  # office id or province id
    label: str
    score: float | None  # None: no report
    rank: int | None  # None: not ranked (no report)
    reports: int


def competition_ranks(items: Iterable[tuple[str, str, float | None, int]]) -> list[Rank]:
    """Rank by score, highest first; equal scores share a rank and the next rank skips (1, 2, 2, 4).

    Items without a score (no report) come last, unranked, in label order.
    """
    items = list(items)
    scored = sorted((i for i in items if i[2] is not None), key=lambda i: (-i[2], i[1]))
    ranked: list[Rank] = []
    for position, (key, label, score, count) in enumerate(scored, start=1):
        rank = ranked[-1].rank if ranked and ranked[-1].score == score else position
        ranked.append(Rank(key, label, score, rank, count))
    missing = sorted((i for i in items if i[2] is None), key=lambda i: i[1])
    return ranked + [Rank(key, label, None, None, 0) for key, label, _, _ in missing]


def rank_units(report_scores: list[Score], expected: dict[str, str] | None = None) -> list[Rank]:
    """Offices ranked by their report's score; ``expected`` (office id → name) adds those with no report."""
    best: dict[str, Score] = {}
    for item in report_scores:
        if item.office_id not in best or item.score > best[item.office_id].score:
            best[item.office_id] = item
    items = [(s.office_id, s.agency, s.score, 1) for s in best.values()]
    for office_id, name in (expected or {}).items():
        if office_id not in best:
            items.append((office_id, name, None, 0))
    return competition_ranks(items)


def rank_provinces(report_scores: list[Score], provinces: dict[str, str]) -> list[Rank]:
    """Provinces ranked by the mean score of their units' reports; provinces with none come last, unranked."""
    by_province: dict[str, list[float]] = defaultdict(list)
    for item in report_scores:
        if item.province:
            by_province[item.province].append(item.score)
    items = []
    for province, name in provinces.items():
        values = by_province.get(province)
        items.append((province, name, round(sum(values) / len(values), 2) if values else None, len(values or [])))
    return competition_ranks(items)


@dataclass(frozen=True)
class TargetShare:
    """How many of the offices that reported for the period met an action's target over the year so far."""

    indicator_id: str
    offices: int
    met: int

    @property
    def percent(self) -> float | None:
        return 100 * self.met / self.offices if self.offices else None


def target_shares(store, form: FormDefinition, period: str) -> list[TargetShare]:
    """Per action with a target (seed 002's «حداقل …»): of the offices with a current report for
    ``period``, how many met it over their year's reports up to it (``report.targets``)."""
    from citizen_rights_desktop.report.targets import target_progress

    if not any(i.target for i in form.indicators) or not _has_table(store.conn, "hq_submission"):
        return []
    year = form.period(period).year
    rows = store.conn.execute(
        "SELECT report_id, office_id, period FROM hq_submission WHERE form_id = ? AND superseded_by IS NULL", (form.id,)
    ).fetchall()
    by_office: dict[str, list[str]] = defaultdict(list)
    current: dict[str, str] = {}
    for report_id, office_id, when in rows:
        if str(when).split("-")[0] == str(year):
            by_office[office_id].append(report_id)
            if when == period:
                current[office_id] = report_id
    met: dict[str, int] = defaultdict(int)
    from citizen_rights_desktop.hq.digest_view import digest_reports

    # the answers and the targets' numbers from the digests, in bulk (issue 16)
    parts = digest_reports(store.conn, [r for office in current for r in by_office[office]], lambda f, v: form if f == form.id else None,
                           numbers=[f"{i.id}.{i.target.field}" for i in form.indicators if i.target], only=[i.id for i in form.indicators if i.target])  # fmt: skip
    for office_id, report_id in current.items():
        reports = [parts[r] for r in by_office[office_id] if r in parts]
        report = parts[report_id]
        for item in target_progress(form, report, reports):
            met[item.indicator_id] += item.met
    return [TargetShare(i.id, len(current), met[i.id]) for i in form.indicators if i.target]


@dataclass(frozen=True)
class Satisfaction:
    """A group's satisfaction (seed 002, rule 8): surveys reported, respondents, and the mean score
    weighted by respondents (a survey without respondents does not count)."""

    group: str
    label: str
    surveys: int
    respondents: float
    mean: float | None


def survey_rows(store, form: FormDefinition, period: str | list[str]) -> list[tuple[str, str, float, float]]:
    """(office id, group, respondents, score) of every valid survey row (``form.satisfaction``) of
    the current reports of ``period`` (or of several periods: a year's quarters together) whose
    survey question asks its table (``report.relevance``); read in bulk (issue 16)."""
    from citizen_rights_desktop.report.relevance import asked_tables

    source = form.satisfaction
    if source is None or not _has_table(store.conn, "hq_submission"):
        return []
    indicator = form.indicator(source.indicator)
    table = indicator.table(source.table)
    groups = table.column(source.group).option_labels
    periods = [period] if isinstance(period, str) else list(period)
    rows = store.conn.execute(
        f"SELECT report_id, office_id FROM hq_submission WHERE form_id = ? AND period IN ({','.join('?' * len(periods))}) AND superseded_by IS NULL",
        (form.id, *periods),
    ).fetchall()
    parts = load_parts(store.conn, [r for r, _ in rows], sections=(indicator.id,), tables=((indicator.id, table.id),))
    out = []
    for report_id, office_id in rows:
        if report_id not in parts:
            continue
        answer = parts[report_id].section(indicator.id)
        if table not in asked_tables(indicator, answer):
            continue
        for cells in answer.row_cells(table.id):
            group, weight, score = cells.get(source.group), cells.get(source.weight), cells.get(source.score)
            if group not in groups or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (weight, score)):
                continue
            if weight > 0 and 0 <= score <= 100:
                out.append((office_id, group, weight, score))
    return out


def satisfaction(store, form: FormDefinition, period: str | list[str], rows: list[tuple[str, str, float, float]] | None = None) -> list[Satisfaction]:
    """Per group of ``form.satisfaction`` (each program): surveys, respondents and the mean score
    weighted by respondents, over ``survey_rows`` (given, or read for ``period``)."""
    if form.satisfaction is None:
        return []
    table = form.indicator(form.satisfaction.indicator).table(form.satisfaction.table)
    labels = table.column(form.satisfaction.group).option_labels
    sums: dict[str, list[float]] = {group: [0, 0.0, 0.0] for group in labels}  # surveys, respondents, score × respondents
    for _, group, weight, score in survey_rows(store, form, period) if rows is None else rows:
        entry = sums[group]
        entry[0] += 1
        entry[1] += weight
        entry[2] += weight * score
    return [
        Satisfaction(group, labels[group], int(n), weight, round(total / weight, 1) if weight else None)
        for group, (n, weight, total) in sums.items()
    ]
