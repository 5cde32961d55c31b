"""Checking one part of a form definition's YAML at a time (fields, tables, sections, indicators):
every problem is collected with the line it is on, and the :mod:`form.definition` objects are built
from what is valid. ``form.loader`` drives it over a whole file.
"""

from __future__ import annotations

import math
from typing import Any

from citizen_rights_desktop.form.definition import (
    ID_PATTERN,
    NUMERIC_TYPES,
    Computed,
    Field,
    FixedRow,
    Indicator,
    Option,
    ANNUAL_STATUSES,
    RowsFrom,
    Status,
    Rule,
    Table,
)

# ``evidence:`` in the YAML → the answers that need at least one document: ``required`` for a yes
# (the seed's «به طور مستند»), ``always`` for a yes and for a no (indicator 28: the reason for a no
# too must be on the letterhead, signed); "not applicable" always needs one (the form's rule).
EVIDENCE_WHEN = {"optional": (), "required": ("yes",), "always": ("yes", "no")}
PLACEMENT_KEYS = ("heading", "note", "asked", "asked_when")  # where an item of a section is asked and shown
from citizen_rights_desktop.form.expressions import ExpressionError, parse_expression
from citizen_rights_desktop.form.kinds import parse_target
from citizen_rights_desktop.form.values import FIELD_TYPES, NUMBER_LIMIT, default_range


class DefinitionChecker:
    statuses: tuple[Status, ...] = ANNUAL_STATUSES  # the form's, set before its indicators are read
    finding_fields: tuple[Field, ...] = ()  # likewise: asked on every indicator by an answer that makes a finding

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
        optional = ("required", "options", "help", "min", "max") + (("required_when",) if in_table else PLACEMENT_KEYS)
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
        placement = self.placement(node, where)
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
            **placement,
        )

    def placement(self, node: dict, where: str) -> dict[str, Any]:
        """``heading``, ``note``, ``asked`` and ``asked_when`` of a section's field or table."""
        asked = node.get("asked", "yes")
        if asked not in ("yes", "always"):
            self.problem(where, node, f"'asked' must be yes or always, not {asked!r}")
            asked = "yes"
        asked_when = None
        if "asked_when" in node and self.mapping(node["asked_when"], f"{where}.asked_when", ("field", "equals"), ()):
            asked_when = (str(node["asked_when"].get("field")), str(node["asked_when"].get("equals")))
        return {
            "heading": self.text(node, "heading", where, required=False),
            "note": self.text(node, "note", where, required=False),
            "asked": asked,
            "asked_when": asked_when,
        }

    def rows_from(self, node: dict, where: str) -> RowsFrom | None:
        raw = node.get("rows_from")
        if raw is None or not self.mapping(raw, f"{where}.rows_from", ("indicator", "table", "column", "into"), ()):
            return None
        return RowsFrom(*(str(raw.get(key)) for key in ("indicator", "table", "column", "into")))

    def table(self, node: Any, where: str, seen: set[str]) -> Table | None:
        optional = ("min_rows", "max_rows", "fixed_rows", "required", "rows_from") + PLACEMENT_KEYS
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
        rows_from = self.rows_from(node, where)
        if rows_from is not None and rows_from.into not in column_ids:
            self.problem(where, node, f"rows_from: 'into' must name a column of this table, not {rows_from.into!r}")
        return Table(
            table_id, self.text(node, "title", where), tuple(columns), min_rows, max_rows, tuple(fixed), required,
            rows_from=rows_from, **self.placement(node, where),
        )  # fmt: skip

    def section_parts(self, node: dict, where: str) -> dict[str, Any]:
        names: set[str] = set()
        fields = [self.field(raw, f"{where}.fields[{i}]", names) for i, raw in enumerate(self.items(node, "fields", where))]
        tables = [self.table(raw, f"{where}.tables[{i}]", names) for i, raw in enumerate(self.items(node, "tables", where))]
        fields = [f for f in fields if f is not None]
        tables = [t for t in tables if t is not None]
        choices = {f.id: f for f in fields if f.type == "choice"}
        for item in (*fields, *tables):
            if item.asked_when is None:
                continue
            target = choices.get(item.asked_when[0])
            if target is None or item.asked_when[1] not in target.option_labels or target.id == item.id:
                self.problem(where, node, f"'{item.id}': asked_when must name another choice field of this section and one of its options")
            elif target.asked != item.asked or target.asked_when is not None:
                self.problem(where, node, f"'{item.id}': asked_when must name a choice asked as often as it ('asked: {item.asked}')")
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
        asks_reason = any("reason" in s.asks for s in self.statuses)
        required = ("id", "number", "title", "gate") + (("reason_label",) if asks_reason else ())
        optional = (
            "references", "guidance", "yes_label", "yes_items", "fields", "tables", "computed", "rules",
            "evidence", "evidence_label", "weight", "target", "rights", "self_report",
        ) + (() if asks_reason else ("reason_label",))  # fmt: skip
        if not self.mapping(node, where, required, optional):
            return None
        indicator_id = self.ident(node, where, seen)
        where = f"{where} ({indicator_id})"
        evidence = node.get("evidence", "optional")
        if evidence not in EVIDENCE_WHEN:
            self.problem(where, node, f"'evidence' must be required, always or optional, not {evidence!r}")
            evidence = "optional"
        yes_items = []
        for index, item in enumerate(self.items(node, "yes_items", where)):
            if not isinstance(item, str) or not item.strip():
                self.problem(f"{where}.yes_items[{index}]", node, "each item must be non-empty text")
            else:
                yes_items.append(item)
        weight = node.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            self.problem(where, node, "'weight' must be a number of zero or more")
            weight = 1
        parts = self.section_parts(node, where)
        clash = {f.id for f in parts["fields"]} & {f.id for f in self.finding_fields}
        if clash:
            self.problem(where, node, f"'{sorted(clash)[0]}' is a finding field of the form: use another id")
        parts["fields"] = parts["fields"] + self.finding_fields
        rights = node.get("rights") or []
        if not isinstance(rights, list) or not all(isinstance(r, int) and not isinstance(r, bool) and 3 <= r <= 13 for r in rights):
            self.problem(where, node, "'rights' must be a list of the resolution's articles 3 to 13")
            rights = []
        claims = node.get("self_report") or []
        if not isinstance(claims, list) or not all(isinstance(c, str) and ID_PATTERN.match(c) for c in claims):
            self.problem(where, node, "'self_report' must be a list of indicator ids of the annual report")
            claims = []
        return Indicator(
            id=indicator_id,
            title=self.text(node, "title", where),
            number=self.integer(node, "number", where, 0) or 0,
            references=self.text(node, "references", where, required=False),
            guidance=self.text(node, "guidance", where, required=False),
            gate=self.text(node, "gate", where),
            reason_label=self.text(node, "reason_label", where, required=asks_reason),
            yes_label=self.text(node, "yes_label", where, required=False),
            yes_items=tuple(yes_items),
            evidence_when=EVIDENCE_WHEN[evidence],
            evidence_label=self.text(node, "evidence_label", where, required=False),
            weight=float(weight),
            dimension_id=dimension_id,
            statuses=self.statuses,
            target=parse_target(self, node, where, parts["fields"]),
            rights=tuple(rights),
            self_report=tuple(claims),
            **parts,
        )
