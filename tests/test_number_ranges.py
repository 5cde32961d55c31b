"""Issue 12, item 2 — unbounded numbers.

Every number field (integer, number, percent; table columns too) has a range: the form's ``min`` /
``max`` or a default. Out-of-range or absurdly long input is refused at entry (never kept as
typed, never Python's own int digit-limit message), an answers document carrying such a number is
refused naming the item, and headquarters analysis survives numbers already stored before the fix.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citizen_rights_desktop.cli import main as cli
from citizen_rights_desktop.editing.editor import ReportEditor
from citizen_rights_desktop.form.definition import NUMERIC_TYPES, FormDefinitionError
from citizen_rights_desktop.form.loader import load_form
from citizen_rights_desktop.form.values import InvalidValue, check_stored_value, keep_typed, parse_value
from citizen_rights_desktop.report import answers_document
from citizen_rights_desktop.report.answers_document import AnswersDocumentError
from citizen_rights_desktop.report.model import Report
from tests.conftest import FORM_1398, ROOT

BIG = "1" + "0" * 400  # the 400-digit count
HUGE = "1" + "0" * 5000  # past Python's 4,300-digit int/str conversion limit
RANGE_EN = "the number must be between 0 and 1,000,000,000"
RANGE_FA = "عدد باید بین ۰ و ۱٬۰۰۰٬۰۰۰٬۰۰۰ باشد."
PYTHON_LIMIT_WORDS = ("4300", "set_int_max_str_digits", "Exceeds the limit")


def _refused(call) -> InvalidValue:
    with pytest.raises(InvalidValue) as info:
        call()
    problem = info.value
    assert problem.code in ("out_of_range", "too_long"), problem.code
    assert problem.message_en and problem.message_fa
    for words in PYTHON_LIMIT_WORDS:
        assert words not in problem.message_en and words not in problem.message_fa
    return problem


# --- parsing what is typed ----------------------------------------------------------------------


def test_a_400_digit_count_is_refused_with_the_range_in_english_and_persian():
    problem = _refused(lambda: parse_value("integer", BIG))
    assert problem.code == "out_of_range"
    assert problem.message_en == RANGE_EN
    assert problem.message_fa == RANGE_FA


@pytest.mark.parametrize("field_type", NUMERIC_TYPES)
@pytest.mark.parametrize("text", [HUGE, "۱" * 5000, HUGE + ".5", "-" + HUGE, "1," * 3000 + "1", "0." + "1" * 5000, "۱۲الف" * 1000])
def test_absurdly_long_input_is_refused_before_int_or_decimal(field_type, text):
    _refused(lambda: parse_value(field_type, text))


@pytest.mark.parametrize(
    ("field_type", "inside", "outside", "message_fa"),
    [
        ("integer", "1,000,000,000", "1,000,000,001", RANGE_FA),
        ("integer", "0", "-1", RANGE_FA),
        ("integer", "۱۰۰۰۰۰۰۰۰۰", "۱۰۰۰۰۰۰۰۰۱", RANGE_FA),
        ("percent", "100", "100.01", "درصد باید بین ۰ و ۱۰۰ باشد."),
        ("percent", "0", "-0.5", "درصد باید بین ۰ و ۱۰۰ باشد."),
        ("number", "-1000000000000", "-1000000000001", "عدد باید بین منفی ۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ و ۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ باشد."),
        ("number", "1e12", "1e13", "عدد باید بین منفی ۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ و ۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ باشد."),
        ("number", "2.5", "1e400", "عدد باید بین منفی ۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ و ۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ باشد."),
    ],
)
def test_default_ranges_are_inclusive_and_refuse_beyond(field_type, inside, outside, message_fa):
    assert parse_value(field_type, inside) is not None
    problem = _refused(lambda: parse_value(field_type, outside))
    assert problem.code == "out_of_range" and problem.message_fa == message_fa


def test_unparseable_text_is_still_kept_as_typed_not_refused():
    with pytest.raises(InvalidValue) as info:
        parse_value("integer", "۱۲الف")
    assert info.value.code == "not_integer"


def test_a_fields_own_range_is_used():
    assert parse_value("integer", "25", bounds=(10, 90)) == 25
    problem = _refused(lambda: parse_value("integer", "95", bounds=(10, 90)))
    assert problem.message_en == "the number must be between 10 and 90"
    assert problem.message_fa == "عدد باید بین ۱۰ و ۹۰ باشد."
    assert parse_value("percent", "150", bounds=(0, 200)) == 150


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(NUMERIC_TYPES),
    st.one_of(
        st.text(max_size=60),
        st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣-+.,٫٬،/%٪eE ", max_size=60),
        st.builds(lambda n, tail: "1" * n + tail, st.integers(1, 6000), st.sampled_from(["", ".5", "e3", "%", "الف"])),
    ),
    st.one_of(st.none(), st.tuples(st.integers(-(10**15), 0), st.integers(0, 10**15))),
)
def test_any_text_typed_into_a_number_field_is_a_number_in_range_or_a_message(field_type, text, bounds):
    try:
        value = parse_value(field_type, text, bounds=bounds)
    except InvalidValue as problem:
        assert problem.message_en and problem.message_fa
        for words in PYTHON_LIMIT_WORDS:
            assert words not in problem.message_en
        return
    if value is None:
        assert not text.strip()
        return
    low, high = bounds or {"integer": (0, 10**9), "percent": (0, 100), "number": (-(10**12), 10**12)}[field_type]
    assert isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    assert low <= value <= high


# --- stored values ------------------------------------------------------------------------------


def test_stored_numbers_out_of_range_are_problems_never_crashes():
    assert check_stored_value("integer", 10**400).code == "out_of_range"
    assert check_stored_value("integer", 10**5000).code == "out_of_range"  # str() of it would raise
    assert check_stored_value("integer", -1).code == "out_of_range"
    assert check_stored_value("number", 1e300).code == "out_of_range"
    assert check_stored_value("number", float("inf")) is not None
    assert check_stored_value("number", float("nan")) is not None
    assert check_stored_value("percent", 101).code == "out_of_range"
    assert check_stored_value("integer", 12, bounds=(10, 20)) is None
    assert check_stored_value("integer", 25, bounds=(10, 20)).code == "out_of_range"
    assert check_stored_value("integer", keep_typed(HUGE)) is not None
    assert check_stored_value("integer", 1_000_000_000) is None


# --- the form definition ------------------------------------------------------------------------

COMPLAINTS = "          - id: complaints_total\n            label: تعداد شکایات دریافتی در طول سال\n            type: integer\n"
CLIENTS_COLUMN = "                label: متوسط تعداد ارباب رجوع برای هر خدمت در طول یک ماه\n                type: integer\n"
WEAKNESSES = "          - id: weaknesses\n            label: ضعف ها\n            type: long_text\n"


def _form_with(tmp_path, old: str, extra: str, indent: str = "            "):
    text = FORM_1398.read_text(encoding="utf-8")
    assert old in text
    lines = "".join(f"{indent}{line}\n" for line in extra.splitlines())
    path = tmp_path / "ranges.yaml"
    path.write_text(text.replace(old, old + lines, 1), encoding="utf-8")
    return path


def _line_of(path, needle):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_every_number_field_of_the_1398_form_has_a_range(form):
    sections = [*form.indicators, form.diagnostic]
    specs = list(form.header_fields)
    for section in sections:
        specs += list(section.fields)
        for table in section.tables:
            specs += list(table.columns)
    numeric = [s for s in specs if s.type in NUMERIC_TYPES]
    assert numeric
    for spec in numeric:
        low, high = spec.bounds
        assert -(10**15) <= low <= high <= 10**15, spec.id
    assert form.indicator("i12").field("complaints_total").bounds == (0, 1_000_000_000)
    assert all(s.bounds is None for s in specs if s.type not in NUMERIC_TYPES)


def test_a_form_declares_min_and_max_on_fields_and_columns(tmp_path):
    path = _form_with(tmp_path, COMPLAINTS, "min: 10\nmax: 5000")
    text = path.read_text(encoding="utf-8").replace(CLIENTS_COLUMN, CLIENTS_COLUMN + "                min: 1\n                max: 1_000_000\n", 1)
    path.write_text(text, encoding="utf-8")
    form = load_form(path)
    assert form.indicator("i12").field("complaints_total").bounds == (10, 5000)
    assert form.indicator("i08").table("clients_per_service").column("average_clients_per_month").bounds == (1, 1_000_000)


@pytest.mark.parametrize(
    ("old", "extra", "needle", "what"),
    [
        (WEAKNESSES, "min: 0", "id: weaknesses", "'min' and 'max' are only for number fields (integer, number, percent)"),
        (COMPLAINTS, "min: 5\nmax: 2", "id: complaints_total", "'min' (5) is greater than 'max' (2)"),
        (COMPLAINTS, "min: many", "id: complaints_total", "'min' must be a number"),
        (COMPLAINTS, "max: true", "id: complaints_total", "'max' must be a number"),
        (COMPLAINTS, "max: 2.5", "id: complaints_total", "'max' must be a whole number for an integer field"),
        (COMPLAINTS, "max: 1.0e+20", "id: complaints_total", "'max' must lie between -1,000,000,000,000,000 and 1,000,000,000,000,000"),
        (COMPLAINTS, "max: .inf", "id: complaints_total", "'max' must lie between -1,000,000,000,000,000 and 1,000,000,000,000,000"),
        (COMPLAINTS, "max: -5", "id: complaints_total", "'min' (default 0) is greater than 'max' (-5)"),
    ],
)
def test_a_bad_range_names_the_line_and_the_item(tmp_path, old, extra, needle, what):
    path = _form_with(tmp_path, old, extra)
    with pytest.raises(FormDefinitionError) as info:
        load_form(path)
    message = str(info.value)
    assert what in message, message
    assert "(i12)" in message and f"({needle.split(': ')[1]})" in message
    assert f"line {_line_of(path, needle)}" in message
    assert "unknown key" not in message


SERVICE_COLUMN = (
    "title: تخمین متوسط ارباب رجوع در طول یک ماه برای هر یک از خدمات سازمان\n"
    "            columns:\n              - id: service\n                label: خدمت\n                type: text\n"
)


def test_a_bad_range_on_a_table_column_names_the_column(tmp_path):
    path = _form_with(tmp_path, SERVICE_COLUMN, "max: 10", indent="                ")
    with pytest.raises(FormDefinitionError) as info:
        load_form(path)
    message = str(info.value)
    assert "(i08)" in message and "(clients_per_service).columns[0] (service)" in message
    assert "'min' and 'max' are only for number fields" in message


# --- the editor ---------------------------------------------------------------------------------


def _with_client_rows(store, form, report_id) -> None:
    """The demo answers indicator 8 "not applicable"; give its table a row to edit."""
    editor = ReportEditor(store, form, report_id)
    editor.set_status("i08", "yes")
    editor.add_row("i08", "clients_per_service", {"service": "صدور گواهی", "average_clients_per_month": "۱۲۰"})


def test_the_editor_refuses_an_out_of_range_value_and_keeps_the_previous_one(store, form, demo_id):
    editor = ReportEditor(store, form, demo_id)
    before = store.load_report(demo_id).section("i12").values["complaints_total"]
    for text in (BIG, HUGE, "-5", "1000000001"):
        result = editor.set_value("i12", "complaints_total", text)
        assert result.refused and not result.ok
        assert result.problem.code in ("out_of_range", "too_long")
        assert result.value == before
        assert store.load_report(demo_id).section("i12").values["complaints_total"] == before
    kept = editor.set_value("i12", "complaints_total", "دوازده")
    assert not kept.refused and kept.value == {"typed": "دوازده"}


def test_table_cells_are_refused_too(store, form, demo_id):
    _with_client_rows(store, form, demo_id)
    editor = ReportEditor(store, form, demo_id)
    row = store.load_report(demo_id).section("i08").rows("clients_per_service")[0]
    before = row.cells.get("average_clients_per_month")
    result = editor.set_cell("i08", "clients_per_service", row.id, "average_clients_per_month", BIG)
    assert result.refused and result.problem.message_fa == RANGE_FA and result.value == before
    assert store.load_report(demo_id).section("i08").rows("clients_per_service")[0].cells.get("average_clients_per_month") == before
    ids, results = editor.paste_rows("i08", "clients_per_service", f"خدمت تازه\t{HUGE}\nخدمت دیگر\t۱۲")
    assert results[0]["average_clients_per_month"].refused and not results[1]["average_clients_per_month"].problem
    rows = {r.id: r.cells for r in store.load_report(demo_id).section("i08").rows("clients_per_service")}
    assert rows[ids[0]] == {"service": "خدمت تازه"}  # the row is added, the refused number is not
    assert rows[ids[1]]["average_clients_per_month"] == 12


# --- the command line ---------------------------------------------------------------------------


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office_db(tmp_path, capsys):
    db = tmp_path / "office.sqlite3"
    code, out, _ = run(capsys, "demo", "--db", db)
    assert code == 0
    return db, out.strip().splitlines()[-1]


def test_report_set_refuses_an_out_of_range_number_in_one_english_line(office_db, capsys):
    db, report_id = office_db
    code, out, err = run(capsys, "--db", db, "report", "set", report_id, "i12.complaints_total", BIG)
    assert code == 2 and out == ""
    assert err == f"error: i12.complaints_total: {RANGE_EN}; nothing was changed\n"
    for text in (HUGE, "-3", "۱" * 20):
        code, out, err = run(capsys, "--db", db, "report", "set", report_id, "i12.complaints_total", text)
        assert code == 2 and len(err.strip().splitlines()) == 1 and err.startswith("error: i12.complaints_total: ")
        assert not any(words in err for words in PYTHON_LIMIT_WORDS)
    code, out, _ = run(capsys, "--db", db, "report", "validate", report_id)
    assert code == 0, out  # nothing was changed: the demo report is still complete


def test_report_set_of_5000_digits_in_a_real_process_has_no_traceback(office_db):
    db, report_id = office_db
    command = [sys.executable, "-m", "citizen_rights_desktop", "--db", str(db), "report", "set", report_id, "i12.complaints_total", HUGE]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: i12.complaints_total: ") and len(result.stderr.strip().splitlines()) == 1
    assert not any(words in result.stderr for words in PYTHON_LIMIT_WORDS)


# --- the answers document -----------------------------------------------------------------------


def _document(store, demo_id) -> dict:
    report = store.load_report(demo_id)
    content = {ev.sha256: store.evidence_bytes(ev.sha256) for s in report.sections.values() for ev in s.evidence}
    return json.loads(answers_document.dumps(answers_document.to_document(report, store.get_office(report.office_id), content)))


def test_json_integers_past_pythons_digit_limit_are_a_document_error(store, demo_id):
    text = json.dumps(_document(store, demo_id)).replace('"complaints_total": ', f'"complaints_total": {HUGE}, "x": ', 1)
    with pytest.raises(AnswersDocumentError) as info:
        answers_document.loads(text)
    assert "digits" in str(info.value) and "set_int_max_str_digits" not in str(info.value)
    document = _document(store, demo_id)
    document["report"]["revision"] = 10**30  # no SQLite INTEGER holds it
    with pytest.raises(AnswersDocumentError):
        answers_document.from_document(document)


def test_structural_problems_name_out_of_range_numbers(store, form, demo_id):
    _with_client_rows(store, form, demo_id)
    document = _document(store, demo_id)
    document["sections"]["i12"]["values"]["complaints_total"] = 10**400
    document["sections"]["i08"]["tables"]["clients_per_service"][0]["cells"]["average_clients_per_month"] = -5
    report, _, _ = answers_document.loads(json.dumps(document))
    problems = answers_document.structural_problems(form, report)
    assert f"i12.complaints_total: {RANGE_EN}" in problems
    assert f"i08.clients_per_service[1].average_clients_per_month: {RANGE_EN}" in problems


def test_structural_problems_name_non_finite_and_huge_numbers(store, form, demo_id):
    report = store.load_report(demo_id)
    assert isinstance(report, Report)
    report.sections["i12"].values["complaints_total"] = float("inf")
    report.sections["i12"].values["complaints_disrespect"] = 10**5000  # str() of it would raise
    report.sections["i12"].values["strengths"] = 10**400  # a text question: openpyxl cannot write it
    problems = answers_document.structural_problems(form, report)
    assert any(p.startswith("i12.strengths: a number far too large") for p in problems), problems
    assert any(p.startswith("i12.complaints_total: ") and "finite" in p for p in problems), problems
    assert f"i12.complaints_disrespect: {RANGE_EN}" in problems


def test_import_json_refuses_an_out_of_range_number(store, demo_id, tmp_path, capsys):
    document = _document(store, demo_id)
    document["sections"]["i12"]["values"]["complaints_total"] = 10**400
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = run(capsys, "--db", tmp_path / "other.sqlite3", "report", "import-json", path)
    assert code == 2 and "i12.complaints_total: the number must be between" in err and len(err.strip().splitlines()) == 1
    document["sections"]["i12"]["values"]["complaints_total"] = 12
    path.write_text(json.dumps(document).replace('"complaints_total": 12', f'"complaints_total": {HUGE}'), encoding="utf-8")
    code, _, err = run(capsys, "--db", tmp_path / "other.sqlite3", "report", "import-json", path)
    assert code == 2 and "digits" in err and not any(words in err for words in PYTHON_LIMIT_WORDS)


# --- the interface shows the Persian refusal ----------------------------------------------------


def test_the_wizard_field_and_table_show_the_persian_refusal(qtbot, store, form, demo_id):
    pytest.importorskip("PySide6")
    _with_client_rows(store, form, demo_id)
    from ui.fields import FieldEditor
    from ui.session import ReportSession
    from ui.tables import RowsModel

    session = ReportSession(store, form, store.load_report(demo_id))
    failures: list[str] = []
    session.failed.connect(failures.append)
    saved: list[bool] = []
    session.saved.connect(lambda: saved.append(True))
    spec = form.indicator("i12").field("complaints_total")
    before = session.answer("i12").values["complaints_total"]
    editor = FieldEditor(spec, before, lambda text: session.set_value("i12", "complaints_total", text))
    qtbot.addWidget(editor)
    editor.set_text(BIG)
    editor.flush()
    assert editor.problem.isVisibleTo(editor) and editor.problem.text() == RANGE_FA + " این مقدار ذخیره نشد."
    assert editor.input.text() == BIG  # kept on screen to be corrected, but not saved
    assert store.load_report(demo_id).section("i12").values["complaints_total"] == before
    assert session.answer("i12").values["complaints_total"] == before
    assert saved == []  # the window does not say "saved" for what was refused
    editor.set_text("۱۲")
    editor.flush()
    assert not editor.problem.isVisibleTo(editor) and store.load_report(demo_id).section("i12").values["complaints_total"] == 12

    model = RowsModel(session, "i08", form.indicator("i08").table("clients_per_service"))
    shown: list[str] = []
    model.cell_problem.connect(shown.append)
    cell_before = model.rows[0].cells.get("average_clients_per_month")
    model.setData(model.index(0, 1), HUGE)
    assert shown and shown[-1].startswith("ردیف ۱، «") and shown[-1].endswith(RANGE_FA)
    assert model.rows[0].cells.get("average_clients_per_month") == cell_before
    assert failures == []  # no error dialog: the refusal is shown where the value was typed


