"""Loading a form definition (``forms/*.yaml``): YAML with line numbers, then a checker that
collects every problem before building the :mod:`form.definition` objects.

The schema is documented in ``docs/form-schema.md``. Loading never raises anything but
``FormDefinitionError``, whose message names the file, the line, the item and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import yaml

from citizen_rights_desktop.form.definition import (
    ID_PATTERN,
    NUMERIC_TYPES,
    Computed,
    Dimension,
    Field,
    FixedRow,
    FormDefinition,
    FormDefinitionError,
    Indicator,
    Option,
    Rule,
    Section,
    Table,
)
from citizen_rights_desktop.form.expressions import ExpressionError, parse_expression
from citizen_rights_desktop.form.values import FIELD_TYPES, NUMBER_LIMIT, default_range
from citizen_rights_desktop.persian.jalali import InvalidDate, parse_date


class _Mapping(dict):
    line: int = 0


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available: 5x faster
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def problem(self, where: str, node: Any, what: str) -> None:
        line = getattr(node, "line", 0)
        self.problems.append((f"line {line}, {where}" if line else where, what))

    def mapping(self, node: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...]) -> bool:
        if not isinstance(node, dict):
            self.problem(where, node, f"expected a mapping of keys, found {type(node).__name__}")
            return False
        for key in required:
            if key not in node:
                self.problem(where, node, f"missing required key '{key}'")
        for key in node:
            if key not in required and key not in optional:
                allowed = ", ".join(required + optional)
                self.problem(where, node, f"unknown key '{key}' (allowed: {allowed})")
        return True

    def text(self, node: Any, key: str, where: str, required: bool = True) -> str:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(where, node, f"'{key}' must be non-empty text")
            return ""
        return value

    def ident(self, node: Any, where: str, seen: set[str]) -> str:
        value = node.get("id") if isinstance(node, dict) else None
        if value is None:
            return "?"
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.problem(where, node, f"id {value!r} must be lower-case ASCII letters, digits and '_', starting with a letter")
            return str(value)
        if value in seen:
            self.problem(where, node, f"duplicate id '{value}'")
        seen.add(value)
        return value

    def items(self, node: Any, key: str, where: str) -> list[Any]:
        value = node.get(key, []) if isinstance(node, dict) else []
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, node, f"'{key}' must be a list")
            return []
        return value

    def boolean(self, node: Any, key: str, where: str, default: bool) -> bool:
        value = node.get(key, default) if isinstance(node, dict) else default
        if not isinstance(value, bool):
            self.problem(where, node, f"'{key}' must be true or false")
            return default
        return value

    def integer(self, node: Any, key: str, where: str, default: int | None) -> int | None:
        value = node.get(key, default) if isinstance(node, dict) else default
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(where, node, f"'{key}' must be a whole number of zero or more")
            return default
        return value

    def number_range(self, node: dict, where: str, field_type: str) -> tuple[int | float | None, int | float | None]:
        """A field's ``min`` / ``max``: numbers within ±10¹⁵ (whole for integers), min <= max
        (a missing one is the type's default), only on number fields."""
        declared = {key: node[key] for key in ("min", "max") if key in node}
        if not declared:
            return None, None
        if field_type not in NUMERIC_TYPES:
            self.problem(where, node, f"'min' and 'max' are only for number fields ({', '.join(NUMERIC_TYPES)})")
            return None, None
        found: dict[str, int | float] = {}
        for key, value in declared.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.problem(where, node, f"'{key}' must be a number (write 1000000 or 1_000_000), not {str(value)[:40]!r}")
            elif not (math.isfinite(value) and -NUMBER_LIMIT <= value <= NUMBER_LIMIT):
                self.problem(where, node, f"'{key}' must lie between {-NUMBER_LIMIT:,} and {NUMBER_LIMIT:,}")
            elif field_type == "integer" and value != int(value):
                self.problem(where, node, f"'{key}' must be a whole number for an integer field")
            else:
                found[key] = int(value) if field_type == "integer" else value
        if len(found) < len(declared):
            return None, None
        low, high = found.get("min"), found.get("max")
        default_low, default_high = default_range(field_type)
        lowest = default_low if low is None else low
        highest = default_high if high is None else high
        if lowest > highest:
            shown_low = f"({lowest:,})" if low is not None else f"(default {lowest:,})"
            shown_high = f"({highest:,})" if high is not None else f"(default {highest:,})"
            self.problem(where, node, f"'min' {shown_low} is greater than 'max' {shown_high}")
        return low, high

    # fields, tables, sections

    def field(self, node: Any, where: str, seen: set[str], in_table: bool = False) -> Field | None:
        optional = ("required", "options", "help", "min", "max") + (("required_when",) if in_table else ())
        if not self.mapping(node, where, ("id", "label", "type"), optional):
            return None
        field_id = self.ident(node, where, seen)
        where = f"{where} ({field_id})"
        field_type = node.get("type")
        if field_type not in FIELD_TYPES:
            self.problem(where, node, f"unknown type {field_type!r} (allowed: {', '.join(FIELD_TYPES)})")
            field_type = "text"
        options: list[Option] = []
        raw_options = self.items(node, "options", where)
        if field_type == "choice" and not raw_options:
            self.problem(where, node, "a choice needs 'options'")
        if field_type != "choice" and raw_options:
            self.problem(where, node, "'options' is only for type choice")
        option_ids: set[str] = set()
        for index, raw in enumerate(raw_options):
            option_where = f"{where}.options[{index}]"
            if self.mapping(raw, option_where, ("id", "label"), ()):
                options.append(Option(self.ident(raw, option_where, option_ids), self.text(raw, "label", option_where)))
        required_when = None
        if "required_when" in node:
            raw = node["required_when"]
            if self.mapping(raw, f"{where}.required_when", ("column", "equals"), ()):
                required_when = (str(raw.get("column")), str(raw.get("equals")))
        minimum, maximum = self.number_range(node, where, field_type)
        return Field(
            id=field_id,
            label=self.text(node, "label", where),
            type=field_type,
            required=self.boolean(node, "required", where, True) if required_when is None else False,
            options=tuple(options),
            help=self.text(node, "help", where, required=False),
            required_when=required_when,
            minimum=minimum,
            maximum=maximum,
        )

    def table(self, node: Any, where: str, seen: set[str]) -> Table | None:
        optional = ("min_rows", "max_rows", "fixed_rows", "required")
        if not self.mapping(node, where, ("id", "title", "columns"), optional):
            return None
        table_id = self.ident(node, where, seen)
        where = f"{where} ({table_id})"
        column_ids: set[str] = set()
        columns = [self.field(raw, f"{where}.columns[{i}]", column_ids, in_table=True) for i, raw in enumerate(self.items(node, "columns", where))]
        columns = [c for c in columns if c is not None]
        if not columns:
            self.problem(where, node, "a table needs at least one column")
        for column in columns:
            if column.required_when:
                other, equals = column.required_when
                target = next((c for c in columns if c.id == other), None)
                if target is None or target.type != "choice" or equals not in target.option_labels:
                    self.problem(where, node, f"column '{column.id}': required_when must name a choice column of this table and one of its options")
        fixed: list[FixedRow] = []
        row_ids: set[str] = set()
        for index, raw in enumerate(self.items(node, "fixed_rows", where)):
            row_where = f"{where}.fixed_rows[{index}]"
            if self.mapping(raw, row_where, ("id", "label"), ()):
                fixed.append(FixedRow(self.ident(raw, row_where, row_ids), self.text(raw, "label", row_where)))
        required = self.boolean(node, "required", where, True)
        min_rows = self.integer(node, "min_rows", where, 1 if required else 0) or 0
        max_rows = self.integer(node, "max_rows", where, None)
        if max_rows is not None and max_rows < min_rows:
            self.problem(where, node, "max_rows is smaller than min_rows")
        return Table(table_id, self.text(node, "title", where), tuple(columns), min_rows, max_rows, tuple(fixed), required)

    def section_parts(self, node: dict, where: str) -> dict[str, Any]:
        names: set[str] = set()
        fields = [self.field(raw, f"{where}.fields[{i}]", names) for i, raw in enumerate(self.items(node, "fields", where))]
        tables = [self.table(raw, f"{where}.tables[{i}]", names) for i, raw in enumerate(self.items(node, "tables", where))]
        fields = [f for f in fields if f is not None]
        tables = [t for t in tables if t is not None]
        numeric = [f.id for f in fields if f.type in NUMERIC_TYPES]
        table_columns = {t.id: {c.id: tuple(c.option_labels) for c in t.columns} for t in tables}
        computed: list[Computed] = []
        for index, raw in enumerate(self.items(node, "computed", where)):
            item_where = f"{where}.computed[{index}]"
            if not self.mapping(raw, item_where, ("id", "label", "expression"), ("type",)):
                continue
            computed_id = self.ident(raw, item_where, names)
            kind = raw.get("type", "number")
            if kind not in ("number", "percent"):
                self.problem(item_where, raw, f"computed type must be number or percent, not {kind!r}")
            try:
                expression = parse_expression(str(raw.get("expression", "")), numeric, table_columns)
            except ExpressionError as exc:
                self.problem(f"{item_where} ({computed_id})", raw, str(exc))
                continue
            computed.append(Computed(computed_id, self.text(raw, "label", item_where), kind, expression))
        rules: list[Rule] = []
        rule_ids: set[str] = set()
        for index, raw in enumerate(self.items(node, "rules", where)):
            item_where = f"{where}.rules[{index}]"
            if not self.mapping(raw, item_where, ("id", "check", "message_fa", "message_en"), ()):
                continue
            rule_id = self.ident(raw, item_where, rule_ids)
            try:
                check = parse_expression(str(raw.get("check", "")), numeric, table_columns, check=True)
            except ExpressionError as exc:
                self.problem(f"{item_where} ({rule_id})", raw, str(exc))
                continue
            rules.append(Rule(rule_id, check, self.text(raw, "message_fa", item_where), self.text(raw, "message_en", item_where)))
        return {"fields": tuple(fields), "tables": tuple(tables), "computed": tuple(computed), "rules": tuple(rules)}

    def indicator(self, node: Any, where: str, seen: set[str], dimension_id: str) -> Indicator | None:
        required = ("id", "number", "title", "gate", "reason_label")
        optional = (
            "references", "guidance", "yes_label", "fields", "tables", "computed", "rules",
            "evidence", "evidence_label", "weight",
        )  # fmt: skip
        if not self.mapping(node, where, required, optional):
            return None
        indicator_id = self.ident(node, where, seen)
        where = f"{where} ({indicator_id})"
        evidence = node.get("evidence", "optional")
        if evidence not in ("required", "optional"):
            self.problem(where, node, f"'evidence' must be required or optional, not {evidence!r}")
        weight = node.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            self.problem(where, node, "'weight' must be a number of zero or more")
            weight = 1
        parts = self.section_parts(node, where)
        if not (parts["fields"] or parts["tables"]) and evidence != "required":
            self.problem(where, node, "an indicator needs fields, tables or required evidence for its 'yes' answer")
        return Indicator(
            id=indicator_id,
            title=self.text(node, "title", where),
            number=self.integer(node, "number", where, 0) or 0,
            references=self.text(node, "references", where, required=False),
            guidance=self.text(node, "guidance", where, required=False),
            gate=self.text(node, "gate", where),
            reason_label=self.text(node, "reason_label", where),
            yes_label=self.text(node, "yes_label", where, required=False),
            evidence_required=evidence == "required",
            evidence_label=self.text(node, "evidence_label", where, required=False),
            weight=float(weight),
            dimension_id=dimension_id,
            **parts,
        )


def parse_form(data: Any, source: str = "<form>") -> FormDefinition:
    """A checked form definition from parsed YAML data; ``FormDefinitionError`` lists every problem."""
    check = _Checker()
    top_required = ("id", "version", "guideline_year", "title", "deadline", "dimensions")
    top_optional = ("header_fields", "not_applicable_rule", "evidence_rule", "diagnostic")
    if not check.mapping(data, "top level", top_required, top_optional):
        raise FormDefinitionError(source, check.problems)
    form_id = check.ident(data, "top level", set())
    version = data.get("version")
    if not isinstance(version, (str, int, float)) or not str(version).strip():
        check.problem("top level", data, "'version' must be a non-empty string such as \"1398.1\"")
    year = check.integer(data, "guideline_year", "top level", 0) or 0
    deadline = dt.date(1970, 1, 1)
    try:
        deadline = parse_date(str(data.get("deadline", "")))
    except InvalidDate:
        check.problem("top level", data, f"'deadline' must be a Jalali date like 1399/02/31, not {data.get('deadline')!r}")
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

    diagnostic = Section("diagnostic", "")
    raw_diag = data.get("diagnostic")
    if raw_diag is not None and check.mapping(raw_diag, "diagnostic", ("title",), ("fields", "tables")):
        diagnostic = Section("diagnostic", check.text(raw_diag, "title", "diagnostic"), **check.section_parts(raw_diag, "diagnostic"))

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
    )


def load_form(path: str | Path) -> FormDefinition:
    """Load and check one form definition file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(str(path), [("file", f"cannot read the file: {exc}")]) from None
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
