"""The citizen-rights command as a user runs it: exit codes, one-line English errors, no tracebacks."""

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def cli(*args, check_rc=None):
    result = subprocess.run([sys.executable, "-m", "citizen_rights_desktop", *map(str, args)], capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in result.stderr, result.stderr
    if check_rc is not None:
        assert result.returncode == check_rc, (result.stdout, result.stderr)
    return result


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "office.sqlite3"
    result = cli("demo", "--db", db, check_rc=0)
    report_id = result.stdout.strip().splitlines()[-1]
    assert len(report_id) == 32
    return db, report_id


def test_demo_then_validate_is_complete(demo_db):
    db, report_id = demo_db
    result = cli("--db", db, "report", "validate", report_id, check_rc=0)
    assert f"report {report_id} is complete (100%)" in result.stdout


def test_deleting_one_answer_makes_validate_name_it(demo_db):
    db, report_id = demo_db
    cli("--db", db, "report", "set", report_id, "i12.complaints_total", "", check_rc=0)
    result = cli("--db", db, "report", "validate", report_id, check_rc=3)
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("i12.complaints_total: ")
    assert "is required" in lines[0]
    assert len(lines) == 2 and "1 problem(s)" in lines[1]


def test_list_and_show(demo_db):
    db, report_id = demo_db
    listing = cli("--db", db, "report", "list", check_rc=0).stdout
    assert report_id in listing and "100.0%" in listing
    shown = cli("--db", db, "report", "show", report_id, check_rc=0).stdout
    assert "complete 100.0%" in shown and "percent_electronic" in shown


def test_unknown_report_is_a_clear_error(demo_db):
    db, _ = demo_db
    result = cli("--db", db, "report", "show", "nosuchreport", check_rc=2)
    assert result.stderr.strip() == "error: no report with id 'nosuchreport' in this database"


def test_corrupt_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 1000)
    result = cli("--db", bad, "report", "list", check_rc=2)
    assert result.stderr.startswith("error: cannot open the database") and len(result.stderr.strip().splitlines()) == 1
    assert bad.read_bytes() == b"garbage" * 1000


def test_set_keeps_unparseable_input_with_a_warning(demo_db):
    db, report_id = demo_db
    result = cli("--db", db, "report", "set", report_id, "i12.complaints_total", "دوازده", check_rc=0)
    assert "kept as typed" in result.stderr
    assert "not a whole number" in cli("--db", db, "report", "validate", report_id, check_rc=3).stdout


def test_export_import_round_trips_exactly(demo_db, tmp_path):
    db, report_id = demo_db
    first = tmp_path / "answers.json"
    cli("--db", db, "report", "export-json", report_id, first, "--embed-evidence", check_rc=0)
    other = tmp_path / "other.sqlite3"
    cli("--db", other, "report", "import-json", report_id, first, check_rc=0)
    second = tmp_path / "again.json"
    cli("--db", other, "report", "export-json", report_id, second, "--embed-evidence", check_rc=0)
    assert json.loads(first.read_text(encoding="utf-8")) == json.loads(second.read_text(encoding="utf-8"))
    assert first.read_bytes() == second.read_bytes()
    assert "is complete" in cli("--db", other, "report", "validate", report_id, check_rc=0).stdout
    again = cli("--db", other, "report", "import-json", first, check_rc=2)
    assert "already in" in again.stderr


def test_import_refuses_items_the_form_does_not_define(demo_db, tmp_path):
    db, report_id = demo_db
    path = tmp_path / "answers.json"
    cli("--db", db, "report", "export-json", report_id, path, "--embed-evidence", check_rc=0)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["sections"]["i12"]["values"]["invented_question"] = 3
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = cli("--db", tmp_path / "new.sqlite3", "report", "import-json", path, check_rc=2)
    assert "i12.invented_question" in result.stderr


def test_import_of_garbage_is_a_clear_error(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json", encoding="utf-8")
    result = cli("--db", tmp_path / "db.sqlite3", "report", "import-json", path, check_rc=2)
    assert result.stderr.startswith("error: not valid JSON")


def test_many_reports_for_benchmarks(tmp_path):
    db = tmp_path / "many.sqlite3"
    result = cli("--db", db, "demo", "--reports", "12", "--seed", "3", check_rc=0)
    assert "created 12 reports" in result.stdout
    listing = cli("--db", db, "report", "list", check_rc=0).stdout.strip().splitlines()
    assert len(listing) == 12
