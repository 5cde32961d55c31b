"""Reports as their digests show them (issue 16): each indicator's answer and the numbers the
digest keeps (``editing.digest``), read from one row per report. Headquarters' figures over tens of
thousands of reports need only these; a report whose digest is missing or stale is read from its
answers instead (``storage.report_parts``), so the view never differs from the reports."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.report.model import Report, SectionAnswer
from storage.report_parts import CHUNK, load_parts


def digest_reports(
    conn: sqlite3.Connection, report_ids: Iterable[str], form_of: Callable[[str, str], FormDefinition | None], numbers: Iterable[str] = (),
    only: Iterable[str] | None = None,
) -> dict[str, Report]:
    """Skeleton reports (answers; the digest's ``numbers``, ``INDICATOR.FIELD`` keys, as those
    fields' values) of ``report_ids``; ``form_of(form_id, version)`` gives each one's form
    (``None``: left out); ``only``: just these indicators. The numbers are read by SQLite's
    json_extract: the digests' JSON is never decoded in Python."""
    keys = [k for k in numbers if "." in k and k.count(".") == 1 and all(part.replace("_", "").isalnum() for part in k.split("."))]
    ids = list(dict.fromkeys(report_ids))
    out: dict[str, Report] = {}
    wanted = None if only is None else set(only)
    layouts: dict[tuple[str, str], tuple[list[tuple[int, str, dict[str, str]]] | None, int]] = {}

    def layout(form_id: str, version: str):
        """((position in the digest's string, indicator id, code → answer) of the indicators
        wanted, the form's indicator count); (None, 0) for a form not installed."""
        key = (form_id, version)
        if key not in layouts:
            form = form_of(form_id, version)
            places = None if form is None else [
                (i, ind.id, {s.code: s.id for s in ind.statuses}) for i, ind in enumerate(form.indicators) if wanted is None or ind.id in wanted
            ]  # fmt: skip
            layouts[key] = (places, len(form.indicators) if form else 0)
        return layouts[key]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        extracts = "".join(f", json_extract(d.numbers, '$.\"{key}\"')" for key in keys)
        rows = conn.execute(
            f"SELECT r.id, r.office_id, r.form_id, r.form_version, r.period, r.revision, r.state, r.created_at, r.updated_at, d.statuses{extracts}"
            f" FROM report r JOIN main.report_digest d ON d.report_id = r.id AND d.report_updated_at = r.updated_at WHERE r.id IN ({marks})",
            chunk,
        )  # fmt: skip
        for row in rows:
            head, statuses, values = row[:9], row[9], row[10:]
            places, count = layout(head[2], head[3])
            if places is None or len(statuses) != count:
                continue
            report = Report(*head)
            for position, indicator_id, codes in places:
                status = codes.get(statuses[position])
                if status is not None:
                    report.sections[indicator_id] = SectionAnswer(status=status)
            for key, value in zip(keys, values):
                section, _, item = key.partition(".")
                if value is not None and section in report.sections:
                    report.sections[section].values[item] = value
            out[report.id] = report
    missing = [i for i in ids if i not in out]
    if missing:  # no digest yet, or an outdated one: the answers themselves
        for report_id, report in load_parts(conn, missing, items=None if keys else ("status",), sections=wanted).items():
            if form_of(report.form_id, report.form_version) is not None:
                out[report_id] = report
    return out
