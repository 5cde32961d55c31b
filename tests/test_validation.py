"""Validation against the 1398 form: relevance, required items, rules, completeness."""

import pytest

from citizen_rights_desktop.editing.editor import ReportEditor, UnknownItem
from citizen_rights_desktop.report.office import OfficeProfile
from citizen_rights_desktop.report.validation import computed_values, validate_report


@pytest.fixture
def editor(store, form):
    office = store.save_office(OfficeProfile(id="", agency="فرمانداری نمونه", level="county_governorate", province="yazd", county="مرکزی"))
    report_id = store.create_report(office, form.id, form.version, "1398")
    return ReportEditor(store, form, report_id)


def _result(editor):
    return validate_report(editor.form, editor.load())


def test_demo_report_is_complete(store, form, demo_id):
    result = validate_report(form, store.load_report(demo_id))
    assert [p.location for p in result.problems] == []
    assert result.completeness == 100.0
    statuses = {s.status for s in store.load_report(demo_id).sections.values() if s.status}
    assert statuses == {"yes", "no", "not_applicable"}


def test_removing_one_required_answer_names_exactly_it(store, form, demo_id):
    editor = ReportEditor(store, form, demo_id)
    report = editor.load()
    assert report.section("i12").status == "yes"
    editor.set_value("i12", "complaints_total", "")
    result = _result(editor)
    assert [(p.section_id, p.item, p.code) for p in result.problems] == [("i12", "complaints_total", "missing")]
    assert result.sections["i12"].state == "incomplete"
    assert result.completeness == pytest.approx(round(100 * 28 / 29, 1))


def test_empty_report_lists_every_indicator(editor):
    result = _result(editor)
    assert result.completeness == 0
    assert {s.state for s in result.sections.values()} == {"unanswered"}
    assert len(result.sections) == 29
    assert {p.item for p in result.header} == {"agency", "head"}


def test_no_needs_only_the_reason(editor):
    editor.set_status("i04", "no")
    assert [p.item for p in _result(editor).sections["i04"].problems] == ["reason"]
    editor.set_reason("i04", "زیرساخت فراهم نیست")
    assert _result(editor).sections["i04"].state == "complete"


def test_not_applicable_needs_justification_and_a_document(editor):
    editor.set_status("i06", "not_applicable")
    assert sorted(p.item for p in _result(editor).sections["i06"].problems) == ["evidence", "justification"]
    editor.set_justification("i06", "این واحد سامانه الکترونیکی ندارد")
    editor.attach_evidence_bytes("i06", "نامه.txt", "نامه رسمی".encode())
    assert _result(editor).sections["i06"].state == "not_applicable"


def test_details_are_kept_but_ignored_when_the_answer_changes(editor):
    editor.set_status("i12", "yes")
    editor.set_value("i12", "complaints_total", "۱۲۰")
    editor.set_status("i12", "no")
    editor.set_reason("i12", "سامانه در دست راه اندازی است")
    assert _result(editor).sections["i12"].state == "complete"
    assert editor.load().section("i12").values["complaints_total"] == 120  # not lost if the clerk clicks back


def test_yes_asks_for_fields_tables_and_rule(editor, form):
    editor.set_status("i12", "yes")
    problems = {p.item for p in _result(editor).sections["i12"].problems}
    required = {f.id for f in form.indicator("i12").fields if f.required}
    assert problems == required
    for field in form.indicator("i12").fields:
        editor.set_value("i12", field.id, "متن نمونه" if field.type in ("text", "long_text") else "10")
    editor.set_value("i12", "complaints_total", "۱۰۰")
    editor.set_value("i12", "complaints_disrespect", "۱۵۰")
    problems = _result(editor).sections["i12"].problems
    assert [(p.item, p.code) for p in problems] == [("disrespect_not_above_total", "rule")]
    editor.set_value("i12", "complaints_disrespect", "۲۵")
    assert _result(editor).sections["i12"].state == "complete"
    assert computed_values(form.indicator("i12"), editor.load().section("i12"))["percent_disrespect"] == 25.0


def test_table_cells_are_checked_and_percent_computed(editor, form):
    editor.set_status("i04", "yes")
    rows, _ = editor.add_rows("i04", "processes", [
        {"process": "صدور مجوز", "status": "الکترونیکی شده اند", "web_address": "www.example.ir"},
        {"process": "ثبت شکایت", "status": "not_electronic"},
        {"process": "پاسخ استعلام", "status": "electronic"},
    ])  # fmt: skip
    problems = _result(editor).sections["i04"].problems
    assert [(p.item, p.row, p.column, p.code) for p in problems] == [("processes", 3, "web_address", "missing")]
    assert problems[0].location == "i04.processes[3].web_address"
    editor.set_cell("i04", "processes", rows[2], "web_address", "https://eservice.example.ir")
    assert _result(editor).sections["i04"].state == "complete"
    assert computed_values(form.indicator("i04"), editor.load().section("i04"))["percent_electronic"] == pytest.approx(200 / 3)


def test_unparseable_input_is_kept_and_flagged(editor):
    editor.set_status("i12", "yes")
    result = editor.set_value("i12", "complaints_total", "۱۲ مورد")
    assert not result.ok and result.value == {"typed": "۱۲ مورد"}
    assert editor.load().section("i12").values["complaints_total"] == {"typed": "۱۲ مورد"}
    codes = {(p.item, p.code) for p in _result(editor).sections["i12"].problems}
    assert ("complaints_total", "not_integer") in codes


def test_fixed_rows_of_indicator_28(editor, form):
    editor.set_status("i28", "yes")
    rows = editor.load().section("i28").rows("violations")
    assert [r.id for r in rows] == [r.id for r in form.indicator("i28").table("violations").fixed_rows]
    with pytest.raises(UnknownItem):
        editor.add_row("i28", "violations")
    for row in rows:
        editor.set_cell("i28", "violations", row.id, "count", "۲")
    editor.attach_evidence_bytes("i28", "گزارش.pdf", b"%PDF-1.4")
    assert _result(editor).sections["i28"].state == "complete"


def test_paste_rows_from_excel(editor):
    editor.set_status("i09", "yes")
    ids, results = editor.paste_rows("i09", "service_times", "صدور مجوز\t۳ روز\r\nثبت نام\t۲ ساعت\r\n\r\n")
    assert len(ids) == 2
    rows = editor.load().section("i09").rows("service_times")
    assert [r.cells for r in rows] == [{"service": "صدور مجوز", "average_time": "۳ روز"}, {"service": "ثبت نام", "average_time": "۲ ساعت"}]


def test_unknown_ids_are_refused(editor):
    with pytest.raises(UnknownItem):
        editor.set_value("i12", "no_such_question", "1")
    with pytest.raises(UnknownItem):
        editor.set_status("i99", "yes")
