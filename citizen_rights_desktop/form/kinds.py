"""Reading a form's kind (issue 14) from its YAML: ``kind`` (period type, who fills it, to whom it
goes, who signs, days to the deadline), ``statuses`` (the answers an indicator may be given) and an
indicator's ``target``. The annual report declares none of them and keeps its defaults: a Jalali
year, yes / no / not applicable."""

from __future__ import annotations

from typing import Any

from citizen_rights_desktop.form.definition import (
    ANNUAL_STATUSES,
    ID_PATTERN,
    NUMERIC_TYPES,
    STATUS_ASKS,
    Field,
    ReportKind,
    SatisfactionSource,
    Status,
    Target,
)
from citizen_rights_desktop.form.periods import PERIOD_TYPES

FILLED_BY = ("agency", "governorate", "office", "inspection_team")
TARGET_PER = ("year", "quarter", "month", "week")


def parse_kind(check, data: dict) -> ReportKind:
    raw = data.get("kind")
    if raw is None:
        return ReportKind()
    if not check.mapping(raw, "kind", ("period",), ("filled_by", "sent_to", "signer", "deadline_days", "dimension_word", "indicator_word", "guideline_name", "recipients")):
        return ReportKind()
    period = raw.get("period")
    if period not in PERIOD_TYPES:
        check.problem("kind", raw, f"'period' must be one of {', '.join(PERIOD_TYPES)}, not {period!r}")
        period = "year"
    filled_by = raw.get("filled_by") or []
    if not isinstance(filled_by, list) or any(item not in FILLED_BY for item in filled_by):
        check.problem("kind", raw, f"'filled_by' must be a list of {', '.join(FILLED_BY)}")
        filled_by = []
    days = check.integer(raw, "deadline_days", "kind", None)
    words = {key: check.text(raw, key, "kind", required=False) for key in ("dimension_word", "indicator_word")}
    recipients = raw.get("recipients") or []
    if not isinstance(recipients, list) or not all(isinstance(r, str) and r.strip() for r in recipients):
        check.problem("kind", raw, "'recipients' must be a list of non-empty names")
        recipients = []
    return ReportKind(
        period, tuple(filled_by), check.text(raw, "sent_to", "kind", required=False), check.text(raw, "signer", "kind", required=False), days,
        **{k: v for k, v in words.items() if v}, guideline_name=check.text(raw, "guideline_name", "kind", required=False),
        recipients=tuple(r.strip() for r in recipients),
    )  # fmt: skip


def parse_statuses(check, data: dict) -> tuple[Status, ...]:
    raw_list = check.items(data, "statuses", "top level")
    if not raw_list:
        return ANNUAL_STATUSES
    found: list[Status] = []
    seen: set[str] = set()
    codes: set[str] = set()
    for index, raw in enumerate(raw_list):
        where = f"statuses[{index}]"
        if not check.mapping(raw, where, ("id", "label", "asks"), ("evidence", "code", "score")):
            continue
        status_id = check.ident(raw, where, seen)
        asks = raw.get("asks") or []
        if not isinstance(asks, list) or any(a not in STATUS_ASKS for a in asks):
            check.problem(where, raw, f"'asks' must be a list of {', '.join(STATUS_ASKS)}")
            asks = []
        evidence = raw.get("evidence", "indicator")
        evidence = {True: "always", False: "never"}.get(evidence, evidence) if isinstance(evidence, bool) else evidence
        if evidence not in ("indicator", "always", "never"):
            check.problem(where, raw, "'evidence' must be true, false or indicator")
            evidence = "never"
        code = str(raw.get("code") or status_id[:1])
        if len(code) != 1 or code == "-" or code in codes:
            check.problem(where, raw, f"'code' must be one character, not '-', unique among the statuses (found {code!r})")
        codes.add(code)
        score = raw.get("score")
        if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1):
            check.problem(where, raw, "'score' must be a number from 0 to 1")
            score = None
        found.append(Status(status_id, check.text(raw, "label", where), tuple(asks), evidence, code, None if score is None else float(score)))
    if any("finding" in s.asks for s in found) and not data.get("finding_fields"):
        check.problem("statuses", data, "a status asks a finding: the form needs 'finding_fields'")
    if not any("details" in s.asks for s in found):
        check.problem("statuses", data, "at least one status must ask the details")
    return tuple(found) or ANNUAL_STATUSES


def parse_satisfaction(check, data: dict, indicators: dict) -> SatisfactionSource | None:
    """``satisfaction: {indicator, table, group, weight, score}``: a table of the form with a choice
    column (group), a number column (weight) and a percent column (score)."""
    raw = data.get("satisfaction")
    keys = ("indicator", "table", "group", "weight", "score")
    if raw is None or not check.mapping(raw, "satisfaction", keys, ()):
        return None
    source = SatisfactionSource(*(str(raw.get(k)) for k in keys))
    indicator = indicators.get(source.indicator)
    table = next((t for t in indicator.tables if t.id == source.table), None) if indicator else None
    columns = {c.id: c for c in table.columns} if table else {}
    ok = (
        source.group in columns and columns[source.group].type == "choice"
        and source.weight in columns and columns[source.weight].type in NUMERIC_TYPES
        and source.score in columns and columns[source.score].type == "percent"
    )  # fmt: skip
    if not ok:
        check.problem("satisfaction", raw, "must name a table of an indicator with a choice column (group), a number column (weight) and a percent column (score)")
        return None
    return source


def parse_target(check, node: Any, where: str, fields: tuple[Field, ...]) -> Target | None:
    raw = node.get("target") if isinstance(node, dict) else None
    if raw is None or not check.mapping(raw, f"{where}.target", ("field", "at_least", "per"), ()):
        return None
    field_id, at_least, per = raw.get("field"), raw.get("at_least"), raw.get("per")
    numeric = {f.id for f in fields if f.type in NUMERIC_TYPES}
    if not isinstance(field_id, str) or not ID_PATTERN.match(field_id) or field_id not in numeric:
        check.problem(f"{where}.target", raw, f"'field' must name a number field of this indicator, not {field_id!r}")
        return None
    if isinstance(at_least, bool) or not isinstance(at_least, (int, float)) or at_least <= 0:
        check.problem(f"{where}.target", raw, "'at_least' must be a number above zero")
        return None
    if per not in TARGET_PER:
        check.problem(f"{where}.target", raw, f"'per' must be one of {', '.join(TARGET_PER)}")
        return None
    return Target(field_id, at_least, per)
