"""Headquarters analysis over many reports: answer shares, numeric summaries, pivots, scores, ranks.

Everything is computed from the database with SQL where the data allows it (shares, sums of
fields and table columns), and per report only where a form's expression must be evaluated
(computed values). Only *current* reports count: a report superseded by a newer revision of the
same office's submission is history, not data. Groupings are by the office's province or level.

Scoring (documented in the README): each indicator carries a ``weight`` in the form definition.
A report earns the indicator's weight for "yes", nothing for "no" or no answer, and a "not
applicable" indicator leaves both the earned and the possible total (the justification is
reviewed by headquarters). Score = 100 × earned ÷ possible, 0 when nothing is possible.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from citizen_rights_desktop.form import NUMERIC_TYPES, FormDefinition, Indicator
from citizen_rights_desktop.report import Row, SectionAnswer
from citizen_rights_desktop.validation import computed_values
from citizen_rights_desktop.values import check_stored_value

GROUPINGS = {None: "''", "province": "o.province", "level": "o.level"}
STATUSES = ("yes", "no", "not_applicable", "unanswered")


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone() is not None


def current_reports(conn: sqlite3.Connection, form: FormDefinition, period: str) -> str:
    """SQL (with two ``?`` for form id and period) selecting the ids of the reports that count."""
    superseded = (
        " AND r.id NOT IN (SELECT report_id FROM hq_submission WHERE superseded_by IS NOT NULL)" if _has_table(conn, "hq_submission") else ""
    )
    return f"SELECT r.id FROM report r WHERE r.form_id = ? AND r.period = ?{superseded}"


def _group_expr(by: str | None) -> str:
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
        total = self.reports.get(group, 0)
        if not total:
            return None
        return 100 * self.counts.get((group, indicator_id), {}).get(status, 0) / total


def status_shares(conn: sqlite3.Connection, form: FormDefinition, period: str, by: str | None = None) -> StatusShares:
    group = _group_expr(by)
    scope = current_reports(conn, form, period)
    result = StatusShares()
    for key, count in conn.execute(
        f"SELECT {group}, COUNT(*) FROM report r JOIN office o ON o.id = r.office_id WHERE r.id IN ({scope}) GROUP BY 1",
        (form.id, period),
    ):
        result.reports[key] = count
    rows = conn.execute(
        f"SELECT {group}, a.section_id, a.value, COUNT(*) FROM answer a"
        " JOIN report r ON r.id = a.report_id JOIN office o ON o.id = r.office_id"
        f" WHERE a.item_id = 'status' AND a.report_id IN ({scope}) GROUP BY 1, 2, 3",
        (form.id, period),
    )
    known = {ind.id for ind in form.indicators}
    for key, section_id, value, count in rows:
        if section_id not in known:
            continue
        status = json.loads(value)
        bucket = result.counts.setdefault((key, section_id), dict.fromkeys(STATUSES, 0))
        if status in bucket:
            bucket[status] += count
    for key, total in result.reports.items():
        for indicator in form.indicators:
            bucket = result.counts.setdefault((key, indicator.id), dict.fromkeys(STATUSES, 0))
            bucket["unanswered"] = total - sum(bucket[s] for s in STATUSES[:3])
    return result


@dataclass(frozen=True)
class NumericSummary:
    indicator_id: str
    item: str  # field id, or TABLE.COLUMN, or a computed value's id
    label: str
    kind: str  # "field", "column" or "computed"
    reports: int  # reports contributing a value
    total: float
    mean: float | None


def numeric_summaries(conn: sqlite3.Connection, form: FormDefinition, period: str, group_value: str | None = None, by: str | None = None) -> list[NumericSummary]:
    """Sum and mean of every numeric field and table column, and mean of every computed value,
    over the reports that answered the indicator "yes" (optionally within one group)."""
    scope = current_reports(conn, form, period)
    params: list[object] = [form.id, period]
    group_filter = ""
    if by is not None:
        group_filter = f" AND {_group_expr(by)} = ?"
        params.append(group_value or "")
    yes_reports = (
        "SELECT a.report_id FROM answer a JOIN report r ON r.id = a.report_id JOIN office o ON o.id = r.office_id"
        f" WHERE a.item_id = 'status' AND a.section_id = ? AND a.value = '\"yes\"' AND a.report_id IN ({scope}){group_filter}"
    )
    out: list[NumericSummary] = []
    for indicator in (*form.indicators,):
        numeric_fields = [f for f in indicator.fields if f.type in NUMERIC_TYPES]
        numeric_columns = [(t, c) for t in indicator.tables for c in t.columns if c.type in NUMERIC_TYPES]
        if not (numeric_fields or numeric_columns or indicator.computed):
            continue
        ids = [r[0] for r in conn.execute(yes_reports, (indicator.id, *params))]
        if not ids:
            continue
        sections: dict[str, SectionAnswer] = {rid: SectionAnswer(status="yes") for rid in ids}
        _load_sections(conn, indicator, sections)
        for spec in numeric_fields:
            values = [s.values[spec.id] for s in sections.values() if _number_ok(spec.type, s.values.get(spec.id))]
            out.append(_summary(indicator.id, spec.id, spec.label, "field", values))
        for table, column in numeric_columns:
            per_report = []
            for answer in sections.values():
                cells = [row.cells.get(column.id) for row in answer.rows(table.id)]
                numbers = [v for v in cells if _number_ok(column.type, v)]
                if numbers:
                    per_report.append(sum(numbers))
            out.append(_summary(indicator.id, f"{table.id}.{column.id}", column.label, "column", per_report))
        for item in indicator.computed:
            values = [v for v in (computed_values(indicator, s).get(item.id) for s in sections.values()) if v is not None]
            out.append(_summary(indicator.id, item.id, item.label, "computed", values))
    return out


def _number_ok(kind: str, value: object) -> bool:
    return value is not None and check_stored_value(kind, value) is None


def _summary(indicator_id: str, item: str, label: str, kind: str, values: list) -> NumericSummary:
    total = float(sum(values)) if values else 0.0
    return NumericSummary(indicator_id, item, label, kind, len(values), total, total / len(values) if values else None)


def _load_sections(conn: sqlite3.Connection, indicator: Indicator, sections: dict[str, SectionAnswer]) -> None:
    """Fill the field values and table rows of one indicator for the given reports (in chunks)."""
    ids = list(sections)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        marks = ",".join("?" * len(chunk))
        for report_id, item_id, value in conn.execute(
            f"SELECT report_id, item_id, value FROM answer WHERE section_id = ? AND report_id IN ({marks})", (indicator.id, *chunk)
        ):
            if item_id not in ("status", "reason", "justification"):
                sections[report_id].values[item_id] = json.loads(value)
        if indicator.tables:
            for report_id, table_id, row_id, cells in conn.execute(
                f"SELECT report_id, table_id, row_id, cells FROM table_row WHERE section_id = ? AND report_id IN ({marks}) ORDER BY report_id, table_id, position",
                (indicator.id, *chunk),
            ):
                sections[report_id].tables.setdefault(table_id, []).append(Row(row_id, json.loads(cells)))


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
    """The score of every current report (see the module docstring for the rule)."""
    scope = current_reports(conn, form, period)
    weights = {ind.id: ind.weight for ind in form.indicators}
    statuses: dict[str, dict[str, str]] = defaultdict(dict)
    for report_id, section_id, value in conn.execute(
        f"SELECT report_id, section_id, value FROM answer WHERE item_id = 'status' AND report_id IN ({scope})", (form.id, period)
    ):
        if section_id in weights:
            statuses[report_id][section_id] = json.loads(value)
    out = []
    for report_id, office_id, agency, province, level in conn.execute(
        f"SELECT r.id, o.id, o.agency, o.province, o.level FROM report r JOIN office o ON o.id = r.office_id WHERE r.id IN ({scope})",
        (form.id, period),
    ):
        answered = statuses.get(report_id, {})
        possible = sum(w for i, w in weights.items() if answered.get(i) != "not_applicable")
        earned = sum(w for i, w in weights.items() if answered.get(i) == "yes")
        out.append(Score(report_id, office_id, agency, province, level, round(100 * earned / possible, 2) if possible else 0.0))
    return out


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
