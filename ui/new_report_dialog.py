"""Choosing what a new report is (issue 14): its kind, when more than one is installed (the annual
report, the quarterly program report), and its period — a Jalali year, or a quarter — among those
the form may report on. The core decides; this only asks."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QWidget

from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.editing.report_list import kinds_for
from citizen_rights_desktop.form.periods import Period
from citizen_rights_desktop.persian.jalali import jalali_today
from ui.formatting import new_report_text


def ask_new_report(parent: QWidget, catalog: FormCatalog, level: str | None, units) -> tuple[FormDefinition, str, dict[str, str]] | None:
    """What a new report is: its form, its period and header items the dialog chose (an inspection
    visit's date and inspected office, issue 15); ``None`` when the clerk cancels."""
    form = choose_kind(parent, catalog, level=level)
    if form is None:
        return None
    if form.kind.period == "visit":
        from ui.visit_dialog import choose_visit

        chosen = choose_visit(parent, form, units())
        return (form, chosen[0], {"inspected_office": chosen[1]}) if chosen else None
    period = choose_period(parent, form)
    return (form, period, {}) if period is not None else None


def choose_kind(parent: QWidget, catalog: FormCatalog, title: str = "گزارش جدید", level: str | None = None) -> FormDefinition | None:
    """The newest form of the kind the clerk picks among those an office of ``level`` fills (no
    question when only one: an inspection team's checklist)."""
    forms = kinds_for(catalog, level)
    if len(forms) == 1:
        return forms[0]
    names = [form.title for form in forms]
    chosen, ok = QInputDialog.getItem(parent, title, "نوع گزارش:", names, 0, False)
    return forms[names.index(chosen)] if ok and chosen in names else None


def quarters_offered(form: FormDefinition, today_year: int) -> list[Period]:
    """The quarters a quarterly form may report on, from its first year to this one, newest first."""
    first = form.first_period or form.guideline_year
    last = min(form.last_period or today_year, max(today_year, first))
    return [Period(year, q) for year in range(last, first - 1, -1) for q in (4, 3, 2, 1)]


def choose_period(parent: QWidget, form: FormDefinition, title: str = "گزارش جدید", default: str | None = None) -> str | None:
    """A period of ``form``'s kind: a year from a spin box, or a quarter from a list."""
    if form.kind.period == "quarter":
        offered = quarters_offered(form, jalali_today().year)
        labels = [p.label_fa for p in offered]
        start = next((i for i, p in enumerate(offered) if p.text == default), 0)
        chosen, ok = QInputDialog.getItem(parent, title, f"{new_report_text(form)}\nدوره گزارش:", labels, start, False)
        return offered[labels.index(chosen)].text if ok and chosen in labels else None
    first, last = form.first_period or form.guideline_year, form.last_period or 1500  # the years it may report on
    initial = int(default) if default and default.isdigit() else form.guideline_year
    year, ok = QInputDialog.getInt(parent, title, f"{new_report_text(form)}\nسال گزارش:", initial, first, last)
    return str(year) if ok else None
