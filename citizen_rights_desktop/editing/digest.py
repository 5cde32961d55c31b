"""A report's digest: the few numbers headquarters analysis needs, kept in one row per report.

Dashboards over 20,000 reports cannot afford to re-read millions of answer rows each time, so
each report is summarised once (when it is imported or generated, or lazily before analysis):
one character per indicator for its answer, the numeric values of the indicators answered "yes"
(fields, table-column sums, row counts, computed values), its completeness and its score.
The digest is derived data: ``refresh_digests`` rebuilds any that is missing or older than its
report, so it can never drift from the answers.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from citizen_rights_desktop.form.catalog import FormCatalog, FormNotFound
from citizen_rights_desktop.form.definition import NUMERIC_TYPES, FormDefinition
from citizen_rights_desktop.form.values import check_stored_value
from citizen_rights_desktop.report.model import Report
from citizen_rights_desktop.report.office import OfficeProfile
from citizen_rights_desktop.report.relevance import asked_computed, asked_fields, asked_tables
from citizen_rights_desktop.report.validation import computed_values, validate_report
from storage.report_store import ReportStore


def status_code(indicator, status: str | None) -> str:
    """The one character a status is stored as in the digest (``-``: not answered); a form's own
    statuses carry their code (``statuses: [{id: done, code: d}]``)."""
    found = indicator.status(status) if status is not None else None
    return found.code if found is not None and found.code else "-"


@dataclass(frozen=True)
class Digest:
    statuses: str
    numbers: dict[str, float]
    completeness: float
    score: float


def score_of(form: FormDefinition, statuses: str) -> float:
    """100 × the weight of "yes" indicators ÷ the weight of all but "not applicable" ones. A scored
    form (an inspection checklist) counts each answer's own score (compliant 1, partly 0.5) over
    the items answered with a scored answer (``report.inspection``)."""
    possible = earned = 0.0
    if form.scored:
        for indicator, code in zip(form.indicators, statuses):
            found = next((s for s in indicator.statuses if s.code == code), None)
            if found is not None and found.score is not None:
                possible += indicator.weight
                earned += indicator.weight * found.score
        return round(100 * earned / possible, 2) if possible else 0.0
    for indicator, code in zip(form.indicators, statuses):
        if code == "a":
            continue
        possible += indicator.weight
        if code == "y":
            earned += indicator.weight
    return round(100 * earned / possible, 2) if possible else 0.0


def _number(spec, value: object) -> float | None:
    """A stored number within its field's own range (the form's, else the type's), else ``None``."""
    if value is None or check_stored_value(spec.type, value, bounds=spec.bounds) is not None:
        return None
    return value


def digest_report(form: FormDefinition, report: Report) -> Digest:
    codes = []
    numbers: dict[str, float] = {}
    for indicator in form.indicators:
        answer = report.section(indicator.id)
        codes.append(status_code(indicator, answer.status))
        found = indicator.status(answer.status)
        if found is None or not ({"details", "reason"} & set(found.asks)):
            continue
        # what the answer asks (report.relevance): a "yes" its details, a "no" only the questions
        # asked whatever the gate (indicator 5's electronic processes)
        for spec in asked_fields(indicator, answer):
            if spec.type in NUMERIC_TYPES and (value := _number(spec, answer.values.get(spec.id))) is not None:
                numbers[f"{indicator.id}.{spec.id}"] = value
        asked = asked_tables(indicator, answer)
        for table in asked:
            rows = answer.rows(table.id)
            numbers[f"{indicator.id}.{table.id}.rows"] = len(rows)
            for column in table.columns:
                if column.type in NUMERIC_TYPES:
                    values = [v for v in (_number(column, r.cells.get(column.id)) for r in rows) if v is not None]
                    if values:
                        numbers[f"{indicator.id}.{table.id}.{column.id}"] = sum(values)
        shown = {c.id for c in asked_computed(indicator, answer)}
        for item_id, value in computed_values(indicator, answer).items():
            if value is not None and item_id in shown:
                numbers[f"{indicator.id}.{item_id}"] = round(value, 6)
    statuses = "".join(codes)
    completeness = validate_report(form, report).completeness
    return Digest(statuses, numbers, completeness, score_of(form, statuses))


def store_digest(conn: sqlite3.Connection, form: FormDefinition, report: Report, office: OfficeProfile | None) -> None:
    """Write (replace) the digest of ``report``; the caller provides the transaction if it wants one."""
    digest = digest_report(form, report)
    conn.execute(
        "INSERT OR REPLACE INTO report_digest (report_id, form_id, form_version, period, office_id, province, level,"
        " statuses, numbers, completeness, score, report_updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            report.id, report.form_id, report.form_version, report.period, report.office_id,
            office.province if office else "", office.level if office else "",
            digest.statuses, json.dumps(digest.numbers, separators=(",", ":")), digest.completeness, digest.score, report.updated_at,
        ),
    )  # fmt: skip


def stale_report_ids(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT r.id FROM report r LEFT JOIN report_digest d ON d.report_id = r.id"
            " WHERE d.report_id IS NULL OR d.report_updated_at != r.updated_at"
        )
    ]


def refresh_digests(store: ReportStore, catalog: FormCatalog | None = None) -> int:
    """Build the digest of every report that has none or an outdated one; returns how many were built.

    Reports whose form definition is not installed are skipped (they cannot be analysed).
    """
    stale = stale_report_ids(store.conn)
    if not stale:
        return 0
    catalog = catalog or FormCatalog()
    offices: dict[str, OfficeProfile | None] = {}
    built = 0
    with store.database.transaction():
        for report_id in stale:
            report = store.load_report(report_id)
            try:
                form = catalog.get(report.form_id, report.form_version)
            except FormNotFound:
                continue
            if report.office_id not in offices:
                offices[report.office_id] = store.get_office(report.office_id)
            store_digest(store.conn, form, report, offices[report.office_id])
            built += 1
    return built
