"""Issue 14 (engine and form): report kinds, Jalali quarters, a form's own answers, and the quarterly
program report of seed 002, from its definition to its printed PDF."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from citizen_rights_desktop.editing.demo import demo_report
from citizen_rights_desktop.editing.editor import ReportEditor
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.form.periods import InvalidPeriod, Period, parse_period
from citizen_rights_desktop.pdf import render_report_pdf
from citizen_rights_desktop.report.validation import validate_report
from storage import ReportStore, open_database
from tests.conftest import ROOT

# the OCR fixes of shared/README.md and those listed at the top of forms/citizen-rights-programs-1399.yaml
OCR_FIXES = {
    "احصا شخص های": "احصای شاخص های", "اختصاص سازی": "اختصاصی سازی", "استانه": "آستانه", "احراق": "احقاق",
    "گلوگه ها": "گلوگاه ها", "مجھز": "مجهز", "خوش بخورد": "خوش برخورد", "آخرين": "آخرین", "د طول سال": "در طول سال",
    "شهد": "شهید", "انتصاف": "انتصاب", "تفکیک مختلف": "تفکیک متخلفان", "متمندین": "متعمدین", "مراجعیندر": "مراجعین در",
    "استاننسبت": "استان نسبت", "دبرخانه": "دبیرخانه", "نظرارت": "نظارت", "ستاد وصف": "ستاد و صف",
    "دوره ای آموزشی": "دوره های آموزشی", "هم اندیشه": "هم اندیشی", "محتوى": "محتوی", "تکاليف": "تکالیف",
    "به منظو ": "به منظور ", "تغیر": "تغییر", "ذیر بط": "ذی ربط", "اختصاص دستگاه": "اختصاصی دستگاه",
}  # fmt: skip
ACTIONS = json.loads((ROOT / "tests" / "fixtures" / "seed002_actions.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def programs():
    return FormCatalog().latest("citizen_rights_programs")


def test_quarters_are_jalali_with_persian_names_and_due_dates():
    q2 = parse_period("۱۳۹۹-Q2", "quarter")
    assert q2 == Period(1399, 2) and q2.text == "1399-Q2"
    assert q2.label_fa == "سه‌ماهه دوم ۱۳۹۹ (تیر تا شهریور)"
    assert (q2.first_day, q2.last_day) == (dt.date(2020, 6, 21), dt.date(2020, 9, 21))  # 1 Tir – 31 Shahrivar
    assert parse_period("1399-Q4", "quarter").last_day == dt.date(2021, 3, 20)  # 30 Esfand 1399 (a leap year)
    assert q2.previous() == Period(1399, 1) and Period(1399, 1).previous() == Period(1398, 4)
    for bad in ("1399-Q5", "1399-Q0", "1399", "Q2", "", "1399-Q2-1"):
        with pytest.raises(InvalidPeriod) as caught:
            parse_period(bad, "quarter")
        assert "1399-Q2" in caught.value.message_en and caught.value.message_fa
    with pytest.raises(InvalidPeriod):
        parse_period("1399-Q2", "year")


def test_each_kind_has_its_deadline(programs, form):
    assert programs.due_date("1399-Q2") == dt.date(2020, 10, 6)  # 15 days after 31 Shahrivar
    assert form.due_date("1398") == form.deadline == dt.date(2020, 5, 20)  # 31 Ordibehesht 1399
    assert form.due_date("1399") == dt.date(2021, 5, 21)  # 31 Ordibehesht 1400, not the 1398 guideline's date
    assert programs.accepts_period("1399-Q2") and not programs.accepts_period("1399")
    assert form.accepts_period("1399") and not form.accepts_period("1399-Q2")


def test_the_definition_holds_every_program_and_action_verbatim(programs):
    assert programs.kind.period == "quarter"
    assert [s.id for s in programs.statuses] == ["done", "partly", "not_done", "not_due"]
    dims = [d for d in programs.dimensions if d.id.startswith("p")]
    assert [d.title for d in dims] == [p["title"] for p in ACTIONS["programs"]]
    assert [len(d.indicators) for d in dims] == [5, 9, 4, 8, 6, 5, 8, 7, 7]
    for dim, program in zip(dims, ACTIONS["programs"]):
        assert [i.title for i in dim.indicators] == program["actions"]
    seed = ROOT.parent / "shared" / "seeds" / "002_488eac5d2d9a3b6e.txt"
    if seed.exists():  # every title is the seed's once the OCR fixes listed in the form's header are applied
        text = " ".join(seed.read_text(encoding="utf-8").split())
        for wrong, right in OCR_FIXES.items():
            text = text.replace(wrong, right)
        missing = [a for p in ACTIONS["programs"] for a in [p["title"], *p["actions"]] if a not in text]
        assert missing == []


def test_the_seed_s_targets_are_data(programs):
    targets = {i.id: (i.target.at_least, i.target.per) for i in programs.indicators if i.target}
    assert targets["a1_4"] == (5, "year") and targets["a2_6"] == (1, "month") and targets["a5_2"] == (2, "week")
    assert targets["a7_4"] == (4, "year")


def test_statuses_ask_what_they_say(store, programs):
    report_id = demo_report(store, programs)
    editor = ReportEditor(store, programs, report_id)
    action = "a2_4"
    editor.set_status(action, "not_done")
    editor.set_reason(action, None)
    problems = {p.item for p in validate_report(programs, editor.load()).sections[action].problems}
    assert problems == {"reason"}
    editor.set_status(action, "not_due")
    assert validate_report(programs, editor.load()).sections[action].problems == []
    editor.set_status(action, "done")  # carried out: its documents are required
    for ev in editor.load().section(action).evidence:
        editor.remove_evidence(ev.id)
    assert "evidence" in {p.item for p in validate_report(programs, editor.load()).sections[action].problems}
    with pytest.raises(ValueError):
        editor.set_status(action, "yes")  # the annual report's answer is not this form's


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_demo_quarterly_report_is_complete_and_prints_every_program_and_action(tmp_path, programs):
    from tests.test_form_fidelity import letters
    from tests.test_pdf import pdftotext

    database = open_database(tmp_path / "office.sqlite3")
    store = ReportStore(database, actor="tester")
    report = store.load_report(demo_report(store, programs))
    assert report.period == "1399-Q1"
    assert validate_report(programs, report).is_complete
    assert {s.status for s in report.sections.values() if s.status} == {"done", "partly", "not_done", "not_due"}
    path = tmp_path / "q.pdf"
    render_report_pdf(programs, report, store.get_office(report.office_id), None, path)
    text = letters(pdftotext(path))
    for program in ACTIONS["programs"]:
        assert letters(program["title"]) in text, program["title"]
        for action in program["actions"]:
            assert letters(action) in text, action
    for words in ("سه‌ماهه اول ۱۳۹۹", "دبیرخانه ستاد مرکزی صیانت", "دستورالعمل صیانت از حقوق شهروندی", "بخشی انجام شد"):
        assert letters(words) in text, words
    database.close()


def test_the_quarterly_report_from_the_command_line(tmp_path):
    from tests.test_cli import cli

    db = tmp_path / "office.sqlite3"
    report_id = cli("demo", "--form", "citizen_rights_programs", "--db", db, check_rc=0).stdout.strip().splitlines()[-1]
    assert "is complete (100%)" in cli("report", "validate", report_id, "--db", db, check_rc=0).stdout
    assert cli("report", "pdf", report_id, "-o", tmp_path / "q.pdf", "--db", db, check_rc=0).returncode == 0
    made = cli("report", "new", "--form", "citizen_rights_programs", "--period", "۱۳۹۹-Q2", "--db", db, check_rc=0)
    assert "new report for 1399-Q2" in made.stderr
    listed = cli("report", "list", "--db", db, check_rc=0).stdout
    assert "1399-Q1" in listed and "1399-Q2" in listed
    for period, words in (("1399-Q5", "quarter such as 1399-Q2"), ("1399", "quarter such as 1399-Q2")):
        refused = cli("report", "new", "--form", "citizen_rights_programs", "--period", period, "--db", db, check_rc=2)
        assert words in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert "--period is required" in cli("report", "new", "--form", "citizen_rights_programs", "--db", db, check_rc=2).stderr
    assert "no form 'nothing'" in cli("report", "new", "--form", "nothing", "--db", db, check_rc=2).stderr
    # the annual report is what it was: a year, by default its guideline's
    assert "new report for 1398" in cli("report", "new", "--db", db, check_rc=0).stderr


def test_targets_are_tracked_over_the_year_and_printed(tmp_path, programs):
    """Monthly ethics sessions (action 2.6): by the end of Q2 six are due; 2 + 3 held is not enough."""
    from citizen_rights_desktop.editing.report_list import new_report, reports_of_year
    from citizen_rights_desktop.report.targets import target_progress
    from citizen_rights_desktop.signing.signed_report import write_report_pdf
    from tests.test_form_fidelity import letters
    from tests.test_pdf import pdftotext

    database = open_database(tmp_path / "office.sqlite3")
    store = ReportStore(database, actor="tester")
    q1 = demo_report(store, programs)
    office_id = store.load_report(q1).office_id
    q2 = new_report(store, programs, office_id, "1399-Q2")
    action = programs.indicator("a2_6")
    field = action.target.field
    for report_id, held in ((q1, 2), (q2, 3)):
        editor = ReportEditor(store, programs, report_id)
        editor.set_status("a2_6", "done")
        editor.set_value("a2_6", field, str(held))
    q2_report = store.load_report(q2)
    progress = {p.indicator_id: p for p in target_progress(programs, q2_report, reports_of_year(store, programs, q2_report))}
    six = progress["a2_6"]
    assert (six.due, six.done, six.met) == (6, 5, False)
    assert progress["a2_4"].due == 1  # a conference a year: the whole year's target
    q1_only = {p.indicator_id: p for p in target_progress(programs, store.load_report(q1), reports_of_year(store, programs, store.load_report(q1)))}
    assert (q1_only["a2_6"].due, q1_only["a2_6"].done) == (3, 2)
    if shutil.which("pdftotext"):
        path = tmp_path / "q2.pdf"
        write_report_pdf(store, programs, q2, path)
        text = letters(pdftotext(path))
        assert letters("اهداف تا پایان سه‌ماهه دوم ۱۳۹۹") in text and letters("محقق نشده") in text
    database.close()


def test_a_new_quarter_starts_from_the_previous_one_s_unfinished_actions(store, programs, form):
    from citizen_rights_desktop.editing.report_list import new_report

    q1 = store.load_report(demo_report(store, programs))
    unfinished = {i.id for i in programs.indicators if q1.section(i.id).status in ("partly", "not_done")}
    finished = {i.id for i in programs.indicators if q1.section(i.id).status == "done"}
    assert unfinished and finished
    q2 = store.load_report(new_report(store, programs, q1.office_id, "1399-Q2"))
    carried = {k for k, v in q2.sections.items() if not v.is_empty()}
    assert carried == unfinished  # and nothing finished
    for action in unfinished:
        answer = q2.section(action)
        assert answer.status is None and answer.reason == q1.section(action).reason
        assert not answer.evidence and not any(answer.tables.values())
    # the quarter after an empty one starts empty; an annual report never carries anything over
    assert store.load_report(new_report(store, programs, q1.office_id, "1399-Q4")).sections == {}
    assert store.load_report(new_report(store, form, q1.office_id, "1399")).sections == {}


def test_the_reports_list_names_each_period_and_its_own_deadline(store, programs, form):
    from citizen_rights_desktop.editing.report_list import new_report, report_entries

    q1 = store.load_report(demo_report(store, programs))
    annual = new_report(store, form, q1.office_id, "1399")
    entries = {e.id: e for e in report_entries(store, FormCatalog())}
    assert entries[q1.id].period_fa == "سه‌ماهه اول ۱۳۹۹ (فروردین تا خرداد)"
    assert entries[q1.id].deadline == dt.date(2020, 7, 5)  # 31 Khordad 1399 + 15 days
    assert entries[annual].period_fa == "سال ۱۳۹۹" and entries[annual].deadline == dt.date(2021, 5, 21)
