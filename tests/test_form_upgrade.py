"""Drafts made with form 1398.1 move to 1398.2 with every typed answer still there (issue 13)."""

from __future__ import annotations

import json
import sqlite3

import pytest
import yaml

from citizen_rights_desktop.editing.demo import demo_report, generate_reports
from citizen_rights_desktop.editing.editor import ReportEditor
from citizen_rights_desktop.editing.form_upgrade import newer_version, plan_upgrade, set_aside_items, upgrade_draft, upgrade_drafts
from citizen_rights_desktop.editing.report_list import PeriodNotCovered, new_report
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.form.loader import parse_form
from citizen_rights_desktop.report.validation import validate_report
from tests.conftest import ROOT
from tests.test_cli import cli

OLD = "1398.1"
NEW = "1398.2"


@pytest.fixture(scope="module")
def catalog() -> FormCatalog:
    found = FormCatalog()
    assert not found.errors
    return found


def _items(report) -> dict[str, object]:
    """Every typed answer of a report, by a path that survives the upgrade: field values, reasons,
    statuses, and table cells by row id."""
    found: dict[str, object] = {f"header.{k}": v for k, v in report.header.items()}
    for section_id, answer in report.sections.items():
        for key in ("status", "reason", "justification"):
            if getattr(answer, key) is not None:
                found[f"{section_id}.{key}"] = getattr(answer, key)
        found.update({f"{section_id}.{k}": v for k, v in answer.values.items()})
        for table_id, rows in answer.tables.items():
            for row in rows:
                found.update({f"{section_id}.{table_id}.{column}@{row.id}": v for column, v in row.cells.items()})
        found.update({f"{section_id}.evidence@{ev.id}": ev.sha256 for ev in answer.evidence})
    return found


def _aside(store, report_id) -> dict[str, object]:
    found = {}
    for item in set_aside_items(store, report_id):
        if item.row_id:
            table, _, column = item.item_id.partition(".")
            found[f"{item.section_id}.{table}.{column}@{item.row_id}"] = item.value
        else:
            found[f"{item.section_id}.{item.item_id}"] = item.value
    return found


def _old_draft(store, catalog) -> str:
    """A full 1398.1 draft that also answers what 1398.2 no longer asks or asks differently."""
    old = catalog.get("citizen_rights_annual", OLD)
    report_id = demo_report(store, old)
    editor = ReportEditor(store, old, report_id)
    editor.set_status("i29", "yes")
    editor.set_value("i29", "submission_date", "1399/02/20")
    editor.set_status("i02", "yes")
    editor.add_row("i02", "processes", {"process": "صدور پروانه", "service": "پروانه کسب", "registration": "registered", "announcement": "تارنما"})
    # 1398.1 asked the electronic question only under the physical "yes": a "no" with it typed
    editor.set_status("i05", "no")
    editor.set_reason("i05", "فضای اداری کافی نیست")
    editor.set_value("i05", "electronic_consolidated", "yes")
    editor.set_value("i05", "electronic_how", "درگاه یکپارچه خدمات")
    return report_id


def test_the_new_version_declares_where_1398_1_drafts_go(catalog):
    assert newer_version(catalog, "citizen_rights_annual", OLD).version == NEW
    assert newer_version(catalog, "citizen_rights_annual", NEW) is None
    assert catalog.latest().version == NEW


def test_a_1398_1_draft_keeps_every_answer_or_sets_it_aside(store, catalog, db_path):
    report_id = _old_draft(store, catalog)
    before = _items(store.load_report(report_id))
    plans = upgrade_drafts(store, catalog, db_path)
    assert [p.report_id for p in plans] == [report_id]
    after = store.load_report(report_id)
    assert after.form_version == NEW
    kept, aside = _items(after), _aside(store, report_id)
    # nothing lost, nothing invented: every answer is in the report or set aside, exactly once
    assert {**kept, **aside} == before
    assert not set(kept) & set(aside)
    assert aside["i29.submission_date"] == "2020-05-09"
    assert "پروانه کسب" in aside.values()  # the «خدمت» column 1398.2 no longer asks
    assert all(k.startswith(("i29.submission_date", "i02.processes.service@")) for k in aside)
    # indicator 5's electronic answers typed under a physical "no" are now asked, and kept
    assert after.section("i05").values["electronic_how"] == "درگاه یکپارچه خدمات"
    problems = validate_report(catalog.get("citizen_rights_annual", NEW), after).sections["i05"].problems
    assert not {"electronic_consolidated", "electronic_how", "reason"} & {p.item for p in problems}
    # a backup was taken first, and the audit trail says what happened
    backups = list((db_path.parent / "backups").glob("*before-form-upgrade*"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT form_version FROM report WHERE id=?", (report_id,)).fetchone()[0] == OLD
    trail = [e for e in store.audit_trail(report_id) if e["action"] == "form_upgrade"]
    assert len(trail) == 1


def test_upgrading_twice_changes_nothing_more(store, catalog, db_path):
    report_id = _old_draft(store, catalog)
    upgrade_drafts(store, catalog, db_path)
    first = (_items(store.load_report(report_id)), _aside(store, report_id))
    assert upgrade_drafts(store, catalog, db_path) == []
    assert upgrade_draft(store, catalog, report_id) is None
    assert (_items(store.load_report(report_id)), _aside(store, report_id)) == first


def test_signed_reports_keep_their_version(store, catalog, db_path):
    report_id = _old_draft(store, catalog)
    store.set_state(report_id, "signed")
    assert upgrade_drafts(store, catalog, db_path) == []
    assert store.load_report(report_id).form_version == OLD


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_varied_1398_1_reports_lose_nothing(store, catalog, db_path, seed):
    old = catalog.get("citizen_rights_annual", OLD)
    ids = generate_reports(store, old, 6, seed=seed, rows_range=(0, 4))
    before = {rid: _items(store.load_report(rid)) for rid in ids}
    upgrade_drafts(store, catalog, db_path)
    for rid in ids:
        assert {**_items(store.load_report(rid)), **_aside(store, rid)} == before[rid]


def test_moves_declared_by_the_new_version_are_followed(store, catalog):
    """A later version may rename a field or a column: the answers follow (``upgrades: moves``)."""
    old = catalog.get("citizen_rights_annual", NEW)
    data = yaml.safe_load((ROOT / "forms" / "citizen-rights-1398.yaml").read_text(encoding="utf-8"))
    data["version"] = "1398.3"
    data["upgrades"] = [{"from": NEW, "moves": {"i12.system_description": "i12.system_text", "i01.registered_services.legal_basis": "i01.registered_services.law"}}]
    i12 = next(i for d in data["dimensions"] for i in d["indicators"] if i["id"] == "i12")
    next(f for f in i12["fields"] if f["id"] == "system_description")["id"] = "system_text"
    i01 = next(i for d in data["dimensions"] for i in d["indicators"] if i["id"] == "i01")
    next(c for c in i01["tables"][0]["columns"] if c["id"] == "legal_basis")["id"] = "law"
    newer = parse_form(data, "test")
    report_id = demo_report(store, old)
    report = store.load_report(report_id)
    report.section("i01").status = "yes"
    plan = plan_upgrade(old, newer, report)
    assert plan.set_aside == []
    catalog.forms[("citizen_rights_annual", "1398.3")] = newer
    try:
        upgrade_draft(store, catalog, report_id)
    finally:
        del catalog.forms[("citizen_rights_annual", "1398.3")]
    after = store.load_report(report_id)
    assert after.form_version == "1398.3"
    assert after.section("i12").values.get("system_text") == report.section("i12").values.get("system_description")
    old_laws = [r.cells.get("legal_basis") for r in report.section("i01").rows("registered_services")]
    assert [r.cells.get("law") for r in after.section("i01").rows("registered_services")] == old_laws
    assert all("legal_basis" not in r.cells for r in after.section("i01").rows("registered_services"))


def test_a_form_says_which_periods_it_may_report_on(store, catalog):
    form = catalog.latest()
    office = store.save_office(__import__("citizen_rights_desktop.report.office", fromlist=["OfficeProfile"]).OfficeProfile(
        id="o1", agency="اداره کل", level="provincial_office", province="fars", head_name="علی", head_title="مدیر کل"))  # fmt: skip
    assert form.accepts_period("1398") and form.accepts_period("1404")
    assert not form.accepts_period("1397") and not form.accepts_period("سال")
    assert new_report(store, form, office, "1404")
    with pytest.raises(PeriodNotCovered) as caught:
        new_report(store, form, office, "1390")
    assert "1398" in caught.value.message_fa and "1390" in caught.value.message_en


def test_cli_moves_an_old_draft_when_it_is_opened_and_shows_what_was_set_aside(tmp_path, catalog):
    from storage import ReportStore, open_database

    db = tmp_path / "office.sqlite3"
    database = open_database(db)
    report_id = _old_draft(ReportStore(database, actor="tester"), catalog)
    database.close()
    shown = cli("report", "show", report_id, "--db", db, check_rc=0)
    assert f"moved from form version {OLD} to {NEW}" in shown.stderr
    assert f"form     citizen_rights_annual {NEW}" in shown.stdout
    assert 'set aside i29.submission_date = "2020-05-09"' in shown.stdout
    again = cli("report", "upgrade", "--db", db, check_rc=0)
    assert "every draft already uses the newest version" in again.stdout
    refused = cli("report", "new", "--period", "1390", "--db", db, check_rc=2)
    assert "periods 1398 onwards" in refused.stderr
    exported = tmp_path / "a.json"
    cli("report", "export-json", report_id, exported, "--db", db, check_rc=0)
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document["form"]["version"] == NEW and "submission_date" not in json.dumps(document)
