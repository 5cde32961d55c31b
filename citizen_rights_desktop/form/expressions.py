"""The small expression language of computed values and cross-field rules in form definitions.

Parsed once with Python's ``ast`` and checked against a whitelist, so a form file can never run
code: only numbers, strings, field names, ``+ - * /``, one comparison, and the functions below.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

FUNCTIONS = ("count", "count_if", "sum", "percent", "ratio")
_TABLE_FUNCTIONS = {"count": 1, "count_if": 3, "sum": 2}
_NUMBER_FUNCTIONS = {"percent": 2, "ratio": 2}
_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b, ast.Div: None}
_COMPARE = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}


class ExpressionError(ValueError):
    """An expression in a form definition that is not allowed; the message says why."""


@dataclass(frozen=True)
class Expression:
    source: str
    tree: ast.expr
    is_check: bool

    def names(self) -> set[str]:
        """Field names read directly (not table arguments)."""
        return _names(self.tree)

    def inputs(self) -> set[str]:
        """Every field and table the expression reads (table arguments included)."""
        found = self.names()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in _TABLE_FUNCTIONS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Name):
                    found.add(first.id)
        return found


def _names(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Call):
        if node.func.id in _TABLE_FUNCTIONS:  # type: ignore[union-attr]
            return set()
        children = node.args
    else:
        children = list(ast.iter_child_nodes(node))
    found: set[str] = set()
    for child in children:
        found |= _names(child)
    return found


def parse_expression(
    source: str, fields: Sequence[str], tables: Mapping[str, Mapping[str, Sequence[str]]], check: bool = False
) -> Expression:
    """Parse and check ``source``.

    ``fields`` are the numeric field names it may read, ``tables`` maps table id to column id to that
    column's choice options (empty for non-choice columns). ``check`` asks for a single comparison.
    """
    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse expression {source!r}: {exc.msg}") from None
    if check:
        if not isinstance(tree, ast.Compare) or len(tree.ops) != 1 or type(tree.ops[0]) not in _COMPARE:
            raise ExpressionError(f"a rule must be one comparison such as 'a <= b', not {source!r}")
        _check_arith(tree.left, fields, tables, source)
        _check_arith(tree.comparators[0], fields, tables, source)
    else:
        _check_arith(tree, fields, tables, source)
    return Expression(source, tree, check)


def _check_arith(node: ast.expr, fields, tables, source: str) -> None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return
    if isinstance(node, ast.Name):
        if node.id not in fields:
            raise ExpressionError(f"unknown numeric field {node.id!r} in {source!r}")
        return
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        _check_arith(node.left, fields, tables, source)
        _check_arith(node.right, fields, tables, source)
        return
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        name, args = node.func.id, node.args
        if name in _NUMBER_FUNCTIONS:
            if len(args) != _NUMBER_FUNCTIONS[name]:
                raise ExpressionError(f"{name}() takes {_NUMBER_FUNCTIONS[name]} arguments in {source!r}")
            for arg in args:
                _check_arith(arg, fields, tables, source)
            return
        if name in _TABLE_FUNCTIONS:
            if len(args) != _TABLE_FUNCTIONS[name]:
                raise ExpressionError(f"{name}() takes {_TABLE_FUNCTIONS[name]} arguments in {source!r}")
            if not isinstance(args[0], ast.Name) or args[0].id not in tables:
                raise ExpressionError(f"{name}() needs a table of this indicator as first argument in {source!r}")
            columns = tables[args[0].id]
            if len(args) >= 2:
                if not isinstance(args[1], ast.Name) or args[1].id not in columns:
                    raise ExpressionError(f"{name}() names an unknown column of {args[0].id!r} in {source!r}")
            if name == "count_if":
                options = columns[args[1].id]
                if not (isinstance(args[2], ast.Constant) and isinstance(args[2].value, str)):
                    raise ExpressionError(f"count_if() needs a quoted option id as third argument in {source!r}")
                if args[2].value not in options:
                    raise ExpressionError(f"{args[2].value!r} is not an option of column {args[1].id!r} in {source!r}")
            return
        raise ExpressionError(f"unknown function {name!r} in {source!r} (allowed: {', '.join(FUNCTIONS)})")
    raise ExpressionError(f"not allowed in an expression: {ast.unparse(node)!r} in {source!r}")


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def evaluate(
    expression: Expression,
    field_values: Mapping[str, object],
    table_rows: Callable[[str], Sequence[Mapping[str, object]]],
) -> float | bool | None:
    """The value, or ``None`` when anything it needs is missing or a division by zero happens.

    For a check, ``None`` means "cannot tell yet", and the rule is not reported.
    """
    try:
        if expression.is_check:
            tree = expression.tree
            left = _eval(tree.left, field_values, table_rows)
            right = _eval(tree.comparators[0], field_values, table_rows)
            if left is None or right is None:
                return None
            return _COMPARE[type(tree.ops[0])](left, right)
        value = _eval(expression.tree, field_values, table_rows)
    except (_Missing, OverflowError):  # OverflowError: a huge stored int divided (kept out by validation; defence in depth)
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None  # inf / nan would poison every sum at headquarters
    return value


class _Missing(Exception):
    pass


def _eval(node: ast.expr, values, table_rows):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        value = _number(values.get(node.id))
        if value is None:
            raise _Missing
        return value
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values, table_rows), _eval(node.right, values, table_rows)
        if isinstance(node.op, ast.Div):
            if right == 0:
                raise _Missing
            return left / right
        return _BINARY[type(node.op)](left, right)
    name = node.func.id
    args = node.args
    if name in ("percent", "ratio"):
        a, b = _eval(args[0], values, table_rows), _eval(args[1], values, table_rows)
        if b == 0:
            raise _Missing
        return 100 * a / b if name == "percent" else a / b
    rows = table_rows(args[0].id)
    if name == "count":
        return len(rows)
    column = args[1].id
    if name == "count_if":
        return sum(1 for row in rows if row.get(column) == args[2].value)
    total = 0
    for row in rows:
        number = _number(row.get(column))
        if number is not None:
            total += number
    return total
