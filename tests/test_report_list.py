import datetime as dt

from citizen_rights_desktop.editing.editor import ReportEditor
from citizen_rights_desktop.editing.report_list import (
    days_left,
    duplicate_report,
    header_from_office,
    new_report,
    report_entries,
    save_emblem,
)
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.report.office import OfficeProfile
from citizen_rights_desktop.report.validation import validate_report


def _office(store) -> str:
    office = OfficeProfile(id="", agency="اداره کل بهزیستی استان یزد", level="provincial_office", province="yazd",
                           head_name="مریم احمدی", head_title="مدیر کل")
    return store.save_office(office)


def test_days_left_counts_to_the_deadline():
    deadline = dt.date(2020, 5, 20)
    assert days_left(deadline, dt.date(2020, 5, 10)) == 10
    assert days_left(deadline, deadline) == 0
    assert days_left(deadline, dt.date(2020, 5, 25)) == -5


def test_new_report_prefills_header_from_office(store, form):
    office_id = _office(store)
    report_id = new_report(store, form, office_id)
    report = store.load_report(report_id)
    assert report.period == "1398"
    assert report.form_version == form.version
    assert report.header == {"agency": "اداره کل بهزیستی استان یزد", "head": "مریم احمدی، مدیر کل"}
    assert report.sections == {}


def test_header_from_office_skips_empty_parts(form):
    office = OfficeProfile(id="x", agency="الف", level="national_agency")
    assert header_from_office(form, office) == {"agency": "الف"}


def test_report_entries_status_completeness_and_deadline(store, form, demo_id):
    office_id = _office(store)
    fresh = new_report(store, form, office_id)
    ReportEditor(store, form, fresh).set_status("i01", "no")
    ReportEditor(store, form, fresh).set_reason("i01", "دلیل")
    entries = {e.id: e for e in report_entries(store, FormCatalog(), today=dt.date(2020, 5, 1))}
    assert entries[demo_id].status == "complete"
    assert entries[demo_id].completeness == 100.0
    assert entries[fresh].status == "draft"
    assert entries[fresh].completeness == round(100 / len(form.indicators), 1)
    # 1399/02/31 is 2020-05-20
    assert entries[fresh].deadline == dt.date(2020, 5, 20)
    assert entries[fresh].days_left == 19
    assert entries[fresh].guideline_title == form.title
    assert entries[fresh].status_fa == "پیش‌نویس"
    store.set_state(demo_id, "signed")
    entries = {e.id: e for e in report_entries(store, FormCatalog())}
    assert entries[demo_id].status == "signed"


def test_report_entries_unknown_form(store, form):
    office_id = _office(store)
    store.create_report(office_id, "other_form", "9", "1399")
    (entry,) = report_entries(store, FormCatalog())
    assert entry.completeness is None and entry.days_left is None and entry.status == "draft"


def test_duplicate_copies_answers_as_a_new_draft(store, form, demo_id):
    source = store.load_report(demo_id)
    store.set_state(demo_id, "exported")
    copy_id = duplicate_report(store, demo_id, form, "1399")
    copied = store.load_report(copy_id)
    assert copied.id != demo_id and copied.period == "1399" and copied.state == "draft"
    assert validate_report(form, copied).is_complete
    for section_id, answer in source.sections.items():
        other = copied.section(section_id)
        assert other.status == answer.status
        assert other.values == answer.values
        for table_id, rows in answer.tables.items():
            assert [r.cells for r in other.rows(table_id)] == [r.cells for r in rows]
            if not form.section(section_id).table(table_id).fixed_rows:
                assert not {r.id for r in rows} & {r.id for r in other.rows(table_id)}
        assert sorted(e.sha256 for e in other.evidence) == sorted(e.sha256 for e in answer.evidence)
    # the copy is editable and independent of the source
    ReportEditor(store, form, copy_id).set_status("i01", None)
    assert store.load_report(demo_id).section("i01").status == source.section("i01").status


def test_save_emblem_stores_content(store):
    sha = save_emblem(store, b"\x89PNG fake")
    assert store.evidence_bytes(sha) == b"\x89PNG fake"
    assert save_emblem(store, b"\x89PNG fake") == sha
