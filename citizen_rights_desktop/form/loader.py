"""Loading a form definition (``forms/*.yaml``): YAML with line numbers, then a checker that
collects every problem before building the :mod:`form.definition` objects.

The schema is documented in ``docs/form-schema.md``. Loading never raises anything but
``FormDefinitionError``, whose message names the file, the line, the item and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from citizen_rights_desktop.form.checker import DefinitionChecker
from citizen_rights_desktop.form.kinds import parse_kind, parse_satisfaction, parse_statuses
from citizen_rights_desktop.form.periods import Period, due_date
from citizen_rights_desktop.form.definition import (
    Dimension,
    FormDefinition,
    FormDefinitionError,
    FormUpgrade,
    Indicator,
    Section,
)
from citizen_rights_desktop.persian.jalali import InvalidDate, parse_date

ITEM_PATH = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){1,2}$")


class _Mapping(dict):
    line: int = 0


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available: 5x faster
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_form(data: Any, source: str = "<form>") -> FormDefinition:
    """A checked form definition from parsed YAML data; ``FormDefinitionError`` lists every problem."""
    check = DefinitionChecker()
    top_required = ("id", "version", "guideline_year", "title", "dimensions")
    top_optional = (
        "header_fields", "not_applicable_rule", "evidence_rule", "diagnostic", "introduction", "periods", "upgrades",
        "deadline", "kind", "statuses", "satisfaction", "finding_fields", "opening", "rights",
    )  # fmt: skip
    if not check.mapping(data, "top level", top_required, top_optional):
        raise FormDefinitionError(source, check.problems)
    form_id = check.ident(data, "top level", set())
    version = data.get("version")
    if not isinstance(version, (str, int, float)) or not str(version).strip():
        check.problem("top level", data, "'version' must be a non-empty string such as \"1398.1\"")
    year = check.integer(data, "guideline_year", "top level", 0) or 0
    kind = parse_kind(check, data)
    check.statuses = parse_statuses(check, data)
    deadline = dt.date(1970, 1, 1)
    if "deadline" in data or kind.period == "year":  # a yearly form's deadline is its guideline year's
        try:
            deadline = parse_date(str(data.get("deadline", "")))
        except InvalidDate:
            check.problem("top level", data, f"'deadline' must be a Jalali date like 1399/02/31, not {data.get('deadline')!r}")
    elif year:  # a quarterly form: its first quarter's due date (each period's is computed)
        deadline = due_date(Period(year, 1), kind.deadline_days)
    finding_ids: set[str] = set()
    findings = [check.field(raw, f"finding_fields[{i}]", finding_ids) for i, raw in enumerate(check.items(data, "finding_fields", "top level"))]
    check.finding_fields = tuple(replace(f, asked="finding") for f in findings if f is not None)
    header_ids: set[str] = set()
    header_fields = [check.field(raw, f"header_fields[{i}]", header_ids) for i, raw in enumerate(check.items(data, "header_fields", "top level"))]

    dimensions: list[Dimension] = []
    dimension_ids: set[str] = set()
    indicator_ids: set[str] = set()
    for d_index, raw_dim in enumerate(check.items(data, "dimensions", "top level")):
        where = f"dimensions[{d_index}]"
        if not check.mapping(raw_dim, where, ("id", "number", "title", "indicators"), ()):
            continue
        dimension_id = check.ident(raw_dim, where, dimension_ids)
        where = f"{where} ({dimension_id})"
        indicators = [
            check.indicator(raw, f"{where}.indicators[{i}]", indicator_ids, dimension_id)
            for i, raw in enumerate(check.items(raw_dim, "indicators", where))
        ]
        indicators = [i for i in indicators if i is not None]
        if not indicators:
            check.problem(where, raw_dim, "a dimension needs at least one indicator")
        dimensions.append(
            Dimension(dimension_id, check.integer(raw_dim, "number", where, 0) or 0, check.text(raw_dim, "title", where), tuple(indicators))
        )
    if not dimensions:
        check.problem("top level", data, "the form needs at least one dimension")
    if "diagnostic" in indicator_ids:
        check.problem("dimensions", data, "'diagnostic' is reserved for the diagnostic form")

    by_id = {ind.id: ind for dim in dimensions for ind in dim.indicators}
    _check_rows_from(check, by_id)
    satisfaction = parse_satisfaction(check, data, by_id)
    diagnostic = Section("diagnostic", "")
    diagnostic_header = ""
    raw_diag = data.get("diagnostic")
    if raw_diag is not None and check.mapping(raw_diag, "diagnostic", ("title",), ("fields", "tables", "header_label")):
        diagnostic = Section("diagnostic", check.text(raw_diag, "title", "diagnostic"), **check.section_parts(raw_diag, "diagnostic"))
        diagnostic_header = check.text(raw_diag, "header_label", "diagnostic", required=False)
    opening = None
    raw_opening = data.get("opening")
    if raw_opening is not None and check.mapping(raw_opening, "opening", ("id", "title"), ("fields", "tables", "rules")):
        opening_id = check.ident(raw_opening, "opening", set(indicator_ids) | {"diagnostic", "header"})
        opening = Section(opening_id, check.text(raw_opening, "title", "opening"), **check.section_parts(raw_opening, "opening"))
    rights = []
    for index, raw in enumerate(check.items(data, "rights", "top level")):
        if check.mapping(raw, f"rights[{index}]", ("article", "title"), ()):
            article = check.integer(raw, "article", f"rights[{index}]", 0)
            rights.append((article, check.text(raw, "title", f"rights[{index}]")))
    named = {a for a, _ in rights}
    for ind in (i for d in dimensions for i in d.indicators):
        if rights and set(ind.rights) - named:
            check.problem("rights", data, f"{ind.id}: rights {sorted(set(ind.rights) - named)} are not in the form's 'rights'")
    introduction = [p for p in check.items(data, "introduction", "top level") if isinstance(p, str) and p.strip()]
    if len(introduction) != len(check.items(data, "introduction", "top level")):
        check.problem("top level", data, "'introduction' must be a list of non-empty paragraphs")
    first_period, last_period = _periods(check, data, year)
    upgrades = _upgrades(check, data)

    if check.problems:
        raise FormDefinitionError(source, check.problems)
    return FormDefinition(
        id=form_id,
        version=str(version),
        guideline_year=year,
        title=check.text(data, "title", "top level"),
        deadline=deadline,
        header_fields=tuple(f for f in header_fields if f is not None),
        not_applicable_rule=check.text(data, "not_applicable_rule", "top level", required=False),
        evidence_rule=check.text(data, "evidence_rule", "top level", required=False),
        dimensions=tuple(dimensions),
        diagnostic=diagnostic,
        source=source,
        introduction=tuple(introduction),
        first_period=first_period,
        last_period=last_period,
        diagnostic_header=diagnostic_header,
        upgrades=upgrades,
        kind=kind,
        statuses=check.statuses,
        satisfaction=satisfaction,
        opening=opening,
        finding_fields=check.finding_fields,
        rights=tuple(rights),
    )


def _check_rows_from(check: DefinitionChecker, by_id: dict[str, Indicator]) -> None:
    for indicator in by_id.values():
        for table in indicator.tables:
            source = table.rows_from
            if source is None:
                continue
            other = by_id.get(source.section)
            found = other is not None and any(
                t.id == source.table and any(c.id == source.column for c in t.columns) for t in other.tables
            )
            if not found:
                where = f"{indicator.id}.{table.id}.rows_from"
                check.problem(where, None, f"names no column: {source.section}.{source.table}.{source.column}")


def _periods(check: DefinitionChecker, data: dict, year: int) -> tuple[int, int | None]:
    """``periods: {from: 1398, to: 1400}`` (``to`` left out: until a later guideline replaces this one)."""
    raw = data.get("periods")
    if raw is None:
        return year, None
    if not check.mapping(raw, "periods", ("from",), ("to",)):
        return year, None
    first = check.integer(raw, "from", "periods", year) or year
    last = check.integer(raw, "to", "periods", None)
    if last is not None and last < first:
        check.problem("periods", raw, "'to' is before 'from'")
    return first, last


def _upgrades(check: DefinitionChecker, data: dict) -> tuple[FormUpgrade, ...]:
    """``upgrades: [{from: "1398.1", moves: {OLD PATH: NEW PATH}}]``: how earlier drafts move here."""
    found: list[FormUpgrade] = []
    for index, raw in enumerate(check.items(data, "upgrades", "top level")):
        where = f"upgrades[{index}]"
        if not check.mapping(raw, where, ("from",), ("moves",)):
            continue
        moves = raw.get("moves") or {}
        if not isinstance(moves, dict) or not all(isinstance(k, str) and isinstance(v, str) and ITEM_PATH.match(k) and ITEM_PATH.match(v) for k, v in moves.items()):
            check.problem(where, raw, "'moves' must map item paths such as i05.electronic_how to item paths")
            moves = {}
        found.append(FormUpgrade(str(raw.get("from")), tuple(sorted(moves.items()))))
    return tuple(found)


def load_form(path: str | Path) -> FormDefinition:
    """Load and check one form definition file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(str(path), [("file", f"cannot read the file: {exc}")]) from None
    return load_form_text(text, str(path))


def load_form_text(text: str, source: str) -> FormDefinition:
    """Load and check a form definition given as text (one that headquarters' profile carries)."""
    path = source
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        reason = getattr(exc, "problem", None) or str(exc)
        raise FormDefinitionError(str(path), [(where, f"not valid YAML: {reason}")]) from None
    except ValueError:  # int() of a number past Python's 4,300-digit limit, raised inside the YAML reader
        raise FormDefinitionError(str(path), [("file", "a number in the file has far too many digits")]) from None
    return parse_form(data, str(path))
