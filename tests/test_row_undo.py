"""Deleted table rows come back with their ids, cells and places (the wizard's undo, issue 17)."""

import pytest

from citizen_rights_desktop.editing.editor import ReportEditor, UnknownItem
from citizen_rights_desktop.report.model import Row
from citizen_rights_desktop.report.office import OfficeProfile
from storage.report_store import ReportLocked


@pytest.fixture
def editor(store, form):
    office = store.save_office(OfficeProfile(id="", agency="اداره کل آزمایشی", level="provincial_office", province="fars"))
    return ReportEditor(store, form, store.create_report(office, form.id, form.version, "1398"))


def _rows(editor):
    return [(r.id, r.cells) for r in editor.load().section("i09").rows("service_times")]


def test_deleted_rows_are_restored_with_their_ids_cells_and_places(editor):
    ids, _ = editor.paste_rows("i09", "service_times", "الف\t۱ روز\nب\t۲ روز\nپ\t۳ روز\nت\t۴ روز\nث\t۵ روز")
    before = _rows(editor)
    removed = editor.delete_rows("i09", "service_times", [ids[3], ids[0], ids[1]])
    assert [(index, row.id) for index, row in removed] == [(0, ids[0]), (1, ids[1]), (3, ids[3])]
    assert _rows(editor) == [before[2], before[4]]
    editor.restore_rows("i09", "service_times", removed)
    assert _rows(editor) == before
    trail = [entry["action"] for entry in editor.store.audit_trail(editor.report_id)]
    assert trail.count("delete_row") == 3 and trail.count("restore_row") == 3


def test_a_row_restored_after_other_edits_goes_back_to_its_index(editor):
    ids, _ = editor.paste_rows("i09", "service_times", "الف\t۱\nب\t۲\nپ\t۳")
    removed = editor.delete_rows("i09", "service_times", [ids[1]])
    editor.move_row("i09", "service_times", ids[2], 0)  # پ, الف
    editor.restore_rows("i09", "service_times", removed)
    assert [r.cells["service"] for r in editor.load().section("i09").rows("service_times")] == ["پ", "ب", "الف"]
    with pytest.raises(ValueError):  # restored twice: the row is already there
        editor.restore_rows("i09", "service_times", removed)
    with pytest.raises(UnknownItem):
        editor.restore_rows("i09", "service_times", [(0, Row("x", {"no_such_column": "?"}))])
    with pytest.raises(KeyError):
        editor.delete_rows("i09", "service_times", ["no-such-row"])
    assert len(editor.load().section("i09").rows("service_times")) == 3  # nothing half done


def test_a_locked_report_refuses_both(editor):
    ids, _ = editor.paste_rows("i09", "service_times", "الف\t۱")
    removed = editor.delete_rows("i09", "service_times", ids)
    editor.store.set_state(editor.report_id, "signed")
    with pytest.raises(ReportLocked):
        editor.restore_rows("i09", "service_times", removed)
