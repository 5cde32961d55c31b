"""Which of a section's items the printed report shows, and in which parts: the PDF's reading of
``report.relevance`` (the one rule of what an answer asks), so that the paper shows exactly what
the answer asks and nothing the clerk left behind.

- **Asked items only.** Fields and tables print when ``relevance.is_asked`` says the answer asks
  them (an optional field only when it holds a value, as before). Items not asked keep their stored
  answers in the report; they are not printed.
- **Two parts of an indicator.** Items asked on a yes only (``asked: yes``) form the part under
  the gate's «اگر بله»; items asked whatever the gate's answer (``asked: always``, indicator 5's
  question on electronic processes) form a part of their own, printed after the gate's yes part or
  after its reason, so a «خیر» to the gate still shows the second question with its own reason, or
  its description, table and percent. The diagnostic form has no gate: one part.
- **Computed values** print in the part of their inputs, and only when every input (field or table
  read by the expression) is asked: indicator 5's electronic percent only when its electronic table
  is. A value that cannot be computed because an *optional* input was left empty (indicator 13's
  headcounts, which the seed does not ask) is not printed; one missing a required input prints as
  «قابل محاسبه نیست» (an incomplete draft's preview).
- **Headings** (``heading``) print before their item; a heading starts a group of the fields that
  follow it, so the key/value rows of one heading stay under it. A group with nothing to print
  drops its heading too.
- **Help** (``help``, the seed's own hint) prints under the field's label in a small muted style;
  the same help repeated on the next fields (indicator 13's hours, 1398.1's indicator 22) prints
  once, on the first. ``note`` is our own explanation for the wizard and is never printed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from citizen_rights_desktop.form.definition import Computed, Field, Indicator, Section, Table
from citizen_rights_desktop.report.model import SectionAnswer
from citizen_rights_desktop.report.relevance import asked_fields, asked_tables
from citizen_rights_desktop.report.validation import computed_values

_TABLE_FUNCTIONS = ("count", "count_if", "sum")  # form.expressions: their first argument names a table


@dataclass(frozen=True)
class Group:
    """Fields printed together as one key/value table, under ``heading`` when it has one."""

    heading: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Part:
    groups: tuple[Group, ...] = ()
    tables: tuple[Table, ...] = ()
    computed: tuple[tuple[Computed, float | None], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups or self.tables or self.computed)


@dataclass(frozen=True)
class Layout:
    yes: Part  # the gate's yes part (the whole diagnostic form)
    always: Part  # asked whatever the gate's answer


def expression_inputs(computed: Computed) -> set[str]:
    """The ids of the fields and tables a computed value reads."""
    tables: set[str] = set()

    def walk(node: ast.AST) -> None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _TABLE_FUNCTIONS:
            if node.args and isinstance(node.args[0], ast.Name):
                tables.add(node.args[0].id)
            return
        for child in ast.iter_child_nodes(node):
            walk(child)

    walk(computed.expression.tree)
    return tables | computed.expression.names()


def _printed(spec: Field, answer: SectionAnswer) -> bool:
    value = answer.values.get(spec.id)
    return spec.required or not (value is None or (isinstance(value, str) and not value.strip()))


def _groups(fields: tuple[Field, ...], answer: SectionAnswer) -> tuple[Group, ...]:
    groups: list[Group] = []
    heading, current = "", []
    for spec in fields:
        if spec.heading:
            if current:
                groups.append(Group(heading, tuple(current)))
            heading, current = spec.heading, []
        if _printed(spec, answer):
            current.append(spec)
    if current:
        groups.append(Group(heading, tuple(current)))
    return tuple(groups)


def _left_empty(section: Section, item_id: str, answer: SectionAnswer) -> bool:
    """Whether ``item_id`` is an optional field or table with nothing in it."""
    for spec in section.fields:
        if spec.id == item_id:
            return not spec.required and not _printed(spec, answer)
    for table in section.tables:
        if table.id == item_id:
            return not table.required and not answer.rows(table.id)
    return False


def layout(section: Section, answer: SectionAnswer) -> Layout:
    """What ``answer`` asks of ``section``, as printed (see the module's docstring)."""
    fields, tables = asked_fields(section, answer), asked_tables(section, answer)
    asked = {f.id for f in fields} | {t.id for t in tables}
    always = {item.id for item in (*fields, *tables) if isinstance(section, Indicator) and item.asked == "always"}
    values = computed_values(section, answer) if section.computed else {}
    shown: dict[bool, list[tuple[Computed, float | None]]] = {False: [], True: []}
    for item in section.computed:
        inputs = expression_inputs(item)
        if not inputs <= asked:
            continue
        value = values.get(item.id)
        if value is None and any(_left_empty(section, name, answer) for name in inputs):
            continue
        shown[bool(inputs) and inputs <= always].append((item, value))

    def part(in_always: bool) -> Part:
        return Part(
            _groups(tuple(f for f in fields if (f.id in always) == in_always), answer),
            tuple(t for t in tables if (t.id in always) == in_always),
            tuple(shown[in_always]),
        )

    return Layout(part(False), part(True))


def help_texts(fields: tuple[Field, ...]) -> list[str]:
    """Each field's help as printed: none when it only repeats its label or the previous field's help."""
    texts, previous = [], ""
    for spec in fields:
        hint = spec.help.strip()
        texts.append(hint if hint and hint != previous and hint != spec.label.strip() else "")
        previous = hint
    return texts
