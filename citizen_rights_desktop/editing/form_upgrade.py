"""Moving drafts to the newest version of their form (1398.1 → 1398.2, issue 13).

A new form version may move, add or drop questions. A draft made with the earlier version must open
with every typed answer still there: an answer whose item the new version still has keeps it, one
the new version moved (``upgrades: [{from, moves}]`` in the form's YAML) follows it, and one the
new version no longer asks is *set aside*: kept in the database, listed for the clerk (CLI
``report show``, the wizard's indicator page), never printed, validated or sent. Signed and sent
reports never move: they are records of what was signed, and their version stays installed.

A backup of the database is taken before the first draft moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from citizen_rights_desktop.form.catalog import FormCatalog, FormNotFound
from citizen_rights_desktop.form.definition import FormDefinition, Section
from citizen_rights_desktop.report.model import RESERVED_ITEMS, Report
from storage.backup import take_backup
from storage.form_versions import FieldMove, SetAsideItem, move_to_version, set_aside_items
from storage.report_store import ReportStore

__all__ = ["FormUpgradePlan", "SetAsideItem", "newer_version", "plan_upgrade", "set_aside_items", "upgrade_draft", "upgrade_drafts"]


@dataclass
class FormUpgradePlan:
    report_id: str
    from_version: str
    to_version: str
    moves: list[FieldMove] = field(default_factory=list)
    set_aside: list[SetAsideItem] = field(default_factory=list)
    kept: int = 0  # answer items (fields, cells, statuses, reasons) that keep their place


def newer_version(catalog: FormCatalog, form_id: str, version: str) -> FormDefinition | None:
    """The newest installed version of ``form_id`` that declares how to upgrade from ``version``
    (following a chain 1 → 2 → 3 one step at a time is the caller's loop)."""
    candidates = [f for (fid, _), f in catalog.forms.items() if fid == form_id and f.upgrade_from(version) is not None]
    return max(candidates, key=lambda f: f.version, default=None)


def _split(path: str) -> tuple[str, str, str]:
    parts = path.split(".")
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else (parts[0], parts[1], "")


def _has_field(section: Section | None, item_id: str) -> bool:
    return section is not None and (item_id in RESERVED_ITEMS or any(f.id == item_id for f in section.fields))


def _section(form: FormDefinition, section_id: str) -> Section | None:
    try:
        return form.section(section_id)
    except KeyError:
        return None


def plan_upgrade(old: FormDefinition, new: FormDefinition, report: Report) -> FormUpgradePlan:
    """What moving ``report`` from ``old`` to ``new`` does to each of its answers."""
    upgrade = new.upgrade_from(old.version)
    plan = FormUpgradePlan(report.id, old.version, new.version)
    moves = dict(upgrade.moves) if upgrade else {}
    header_ids = {f.id for f in new.header_fields}
    for section_id, answer in report.sections.items():
        target = _section(new, section_id)
        items = {k: v for k, v in (("status", answer.status), ("reason", answer.reason), ("justification", answer.justification)) if v is not None}
        items.update(answer.values)
        for item_id, value in items.items():
            moved = moves.get(f"{section_id}.{item_id}")
            if moved:
                new_section, new_item, _ = _split(moved)
                plan.moves.append(FieldMove(section_id, item_id, new_section, new_item))
            elif _has_field(target, item_id):
                plan.kept += 1
            else:
                plan.set_aside.append(SetAsideItem(section_id, item_id, "", value))
        for table_id, rows in answer.tables.items():
            table = next((t for t in target.tables if t.id == table_id), None) if target is not None else None
            columns = {c.id for c in table.columns} if table is not None else set()
            renamed = set()
            for row in rows:
                for column_id, value in row.cells.items():
                    moved = moves.get(f"{section_id}.{table_id}.{column_id}")
                    if moved:
                        renamed.add((column_id, _split(moved)[2]))
                    elif column_id in columns:
                        plan.kept += 1
                    else:
                        plan.set_aside.append(SetAsideItem(section_id, f"{table_id}.{column_id}", row.id, value))
            plan.moves.extend(FieldMove(section_id, old_c, section_id, new_c, table=table_id) for old_c, new_c in sorted(renamed))
    plan.kept += sum(1 for key in report.header if key in header_ids)
    plan.set_aside.extend(SetAsideItem("header", key, "", value) for key, value in report.header.items() if key not in header_ids)
    return plan


def upgrade_draft(store: ReportStore, catalog: FormCatalog, report_id: str) -> FormUpgradePlan | None:
    """Move one draft to the newest version of its form; ``None`` when nothing newer applies."""
    report = store.load_report(report_id)
    if report.state != "draft":
        return None
    done: FormUpgradePlan | None = None
    while True:
        newer = newer_version(catalog, report.form_id, report.form_version)
        if newer is None:
            return done
        try:
            old = catalog.get(report.form_id, report.form_version)
        except FormNotFound:
            return done
        plan = plan_upgrade(old, newer, report)
        move_to_version(store, report.id, old.version, newer.version, plan.moves, plan.set_aside)
        done = plan if done is None else FormUpgradePlan(
            report.id, done.from_version, plan.to_version, done.moves + plan.moves, done.set_aside + plan.set_aside, plan.kept
        )  # fmt: skip
        report = store.load_report(report_id)


def upgrade_drafts(store: ReportStore, catalog: FormCatalog, db_path: Path | None = None) -> list[FormUpgradePlan]:
    """Move every draft that a newer installed form version can take; a backup first when any will
    move (``db_path`` given: beside the database, as the daily backups are)."""
    pending = [
        s.id for s in store.list_reports()
        if s.state == "draft" and newer_version(catalog, s.form_id, s.form_version) is not None
    ]  # fmt: skip
    if not pending:
        return []
    if db_path is not None:
        take_backup(store.conn, db_path, reason="before-form-upgrade")
    plans = [upgrade_draft(store, catalog, report_id) for report_id in pending]
    return [p for p in plans if p is not None]
