"""A draft can be deleted, after a backup; a signed report cannot (issue 17, item 6)."""

import pytest

from citizen_rights_desktop.editing.report_list import delete_draft, new_report
from storage import DatabaseError, ReportNotFound
from storage.backup import list_backups


def test_a_draft_is_deleted_after_a_backup_and_the_backup_holds_it(store, form, demo_id):
    from storage import ReportStore, open_database

    draft = new_report(store, form, store.load_report(demo_id).office_id, "1399")
    store.add_evidence(draft, "i01", "scan.png", b"\x89PNG only in this draft", "image/png")
    backup = delete_draft(store, draft)
    with pytest.raises(ReportNotFound):
        store.load_report(draft)
    assert store.conn.execute("SELECT COUNT(*) FROM answer WHERE report_id=?", (draft,)).fetchone()[0] == 0
    assert store.conn.execute("SELECT COUNT(*) FROM blob WHERE data=?", (b"\x89PNG only in this draft",)).fetchone()[0] == 0
    assert store.load_report(demo_id).state == "draft"  # the other report is untouched
    assert backup in [b.path for b in list_backups(store.database.path)]
    restored = open_database(backup, take_backups=False)
    try:
        assert ReportStore(restored).load_report(draft).id == draft  # the way back
    finally:
        restored.close()


def test_a_signed_report_is_never_deleted(store, form, demo_id):
    store.set_state(demo_id, "signed")
    with pytest.raises(DatabaseError) as info:
        delete_draft(store, demo_id)
    assert "record" in info.value.message_en and info.value.message_fa
    assert store.load_report(demo_id).state == "signed"


def test_the_cli_deletes_a_draft_and_refuses_a_signed_report(store, form, demo_id, capsys):
    from citizen_rights_desktop.cli.main import main

    draft = new_report(store, form, store.load_report(demo_id).office_id, "1399")
    db = str(store.database.path)
    assert main(["report", "delete", draft, "--db", db]) == 0
    assert "deleted draft report" in capsys.readouterr().out
    store.set_state(demo_id, "signed")
    assert main(["report", "delete", demo_id, "--db", db]) == 2
    assert capsys.readouterr().err.startswith("error: report")
