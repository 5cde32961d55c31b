"""What an answer asks (report.relevance), as validation and headquarters' digest apply it to the
1398.2 form: indicator 5's two independent questions, indicator 28's document for a no, indicator
13's optional headcounts, indicator 29 asking only what the seed asks (issue 13)."""

from __future__ import annotations

import pytest

from citizen_rights_desktop.editing.digest import digest_report
from citizen_rights_desktop.editing.editor import ReportEditor
from citizen_rights_desktop.report.relevance import asked_computed, asked_fields, asked_tables, evidence_needed
from citizen_rights_desktop.report.validation import validate_report


@pytest.fixture
def editor(store, form, demo_id):
    return ReportEditor(store, form, demo_id)


def _problems(editor, form, indicator_id):
    return {(p.item, p.code) for p in validate_report(form, editor.load()).sections[indicator_id].problems}


def _five(editor, status, electronic):
    for field in ("electronic_reason", "electronic_how"):
        editor.set_value("i05", field, None)
    editor.set_status("i05", status)
    if status == "no":
        editor.set_reason("i05", "ساختمان مناسب نیست")
    editor.set_value("i05", "electronic_consolidated", electronic)


def test_indicator_5_asks_the_electronic_question_after_a_physical_no(editor, form):
    _five(editor, "no", None)
    assert ("electronic_consolidated", "missing") in _problems(editor, form, "i05")
    # electronic "no": its own reason is required, nothing of the "yes" branch
    _five(editor, "no", "no")
    assert _problems(editor, form, "i05") == {("electronic_reason", "missing")}
    editor.set_value("i05", "electronic_reason", "سامانه یکپارچه در دست تهیه است")
    assert _problems(editor, form, "i05") == set()
    # electronic "yes" under a physical "no": its how and its table, not the physical table
    _five(editor, "no", "yes")
    problems = _problems(editor, form, "i05")
    assert ("electronic_how", "missing") in problems
    assert not {item for item, _ in problems} & {"physical_processes", "physical_how", "electronic_reason"}


def test_indicator_5_physical_yes_still_asks_the_electronic_question(editor, form):
    _five(editor, "yes", None)
    assert ("electronic_consolidated", "missing") in _problems(editor, form, "i05")
    _five(editor, "yes", "no")
    assert ("electronic_reason", "missing") in _problems(editor, form, "i05")
    answer = editor.load().section("i05")
    five = form.indicator("i05")
    assert [t.id for t in asked_tables(five, answer)] == ["physical_processes"]
    assert [c.id for c in asked_computed(five, answer)] == ["percent_physical_consolidated"]


def test_the_digest_counts_what_the_answer_asks(editor, form):
    _five(editor, "no", "yes")
    editor.set_value("i05", "electronic_how", "درگاه واحد")
    numbers = digest_report(form, editor.load()).numbers
    assert "i05.electronic_processes.rows" in numbers and "i05.physical_processes.rows" not in numbers
    _five(editor, "no", "no")
    numbers = digest_report(form, editor.load()).numbers
    assert not [k for k in numbers if k.startswith("i05.")]


def test_indicator_28_needs_its_letterhead_document_for_a_no_too(editor, form):
    eight = form.indicator("i28")
    assert evidence_needed(eight, "no") and evidence_needed(eight, "yes")
    assert not evidence_needed(form.indicator("i12"), "no")
    editor.set_status("i28", "no")
    editor.set_reason("i28", "گزارش نقضی نداشته ایم")
    for ev in editor.load().section("i28").evidence:
        editor.remove_evidence(ev.id)
    assert _problems(editor, form, "i28") == {("evidence", "missing")}
    editor.attach_evidence_bytes("i28", "نامه.pdf", b"%PDF-1.4 letter")
    assert _problems(editor, form, "i28") == set()
    # a "no" elsewhere needs no document
    editor.set_status("i12", "no")
    editor.set_reason("i12", "سامانه نداریم")
    assert _problems(editor, form, "i12") == set()


@pytest.mark.parametrize("indicator_id", ["i06", "i14", "i17"])
def test_documented_answers_need_a_document(editor, form, indicator_id):
    editor.set_status(indicator_id, "yes")
    for ev in editor.load().section(indicator_id).evidence:
        editor.remove_evidence(ev.id)
    assert ("evidence", "missing") in _problems(editor, form, indicator_id)


def test_indicator_13_headcounts_are_optional_and_per_capita_follows_them(editor, form):
    editor.set_status("i13", "yes")
    editor.set_value("i13", "headcount_managers", None)
    editor.set_value("i13", "headcount_staff", None)
    assert not {item for item, _ in _problems(editor, form, "i13")} & {"headcount_managers", "headcount_staff"}
    numbers = digest_report(form, editor.load()).numbers
    assert "i13.per_capita_managers" not in numbers
    editor.set_value("i13", "hours_managers", "120")
    editor.set_value("i13", "headcount_managers", "40")
    assert digest_report(form, editor.load()).numbers["i13.per_capita_managers"] == 3


def test_indicator_29_asks_only_the_seed_s_question(editor, form):
    twenty_nine = form.indicator("i29")
    assert twenty_nine.fields == () and twenty_nine.tables == ()
    editor.set_status("i29", "yes")
    assert _problems(editor, form, "i29") == set()
    editor.set_status("i29", "no")
    editor.set_reason("i29", None)
    assert _problems(editor, form, "i29") == {("reason", "missing")}


def test_indicator_21_records_each_session_date(editor, form):
    editor.set_status("i21", "yes")
    answer = editor.load().section("i21")
    for row in answer.rows("sessions"):
        editor.delete_row("i21", "sessions", row.id)
    editor.set_value("i21", "times_per_year", "2")
    editor.add_row("i21", "sessions", {"date": "1398/05/10"})
    assert ("sessions_match_count", "rule") in _problems(editor, form, "i21")
    editor.add_row("i21", "sessions", {"date": "1398/09/01"})
    assert not {code for _, code in _problems(editor, form, "i21")} & {"rule", "missing", "too_few_rows"}


def test_hidden_answers_are_kept_not_checked(editor, form):
    """A mis-click never destroys typed work: switching the electronic answer hides, not deletes."""
    _five(editor, "no", "yes")
    editor.set_value("i05", "electronic_how", "درگاه واحد")
    editor.set_value("i05", "electronic_consolidated", "no")
    answer = editor.load().section("i05")
    assert answer.values["electronic_how"] == "درگاه واحد"
    assert "electronic_how" not in {f.id for f in asked_fields(form.indicator("i05"), answer)}
