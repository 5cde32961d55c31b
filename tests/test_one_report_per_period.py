"""One report per form and period (issue 17): a second 1398 report of the same office is refused,
in the core (``new_report``, ``duplicate_report``) and on the command line (``report new``);
a new revision of a report is the way to change it. Sample data (``demo`` without ``--db``) goes
to the sample database, never the real one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from citizen_rights_desktop.editing.report_list import (
    PeriodAlreadyReported,
    PeriodNotCovered,
    duplicate_report,
    new_report,
)
from citizen_rights_desktop.paths import is_sample_database, sample_database_path
from citizen_rights_desktop.report.office import OfficeProfile
from tests.conftest import FORM_1398, ROOT


def _office(store, agency="اداره کل بهزیستی استان یزد") -> str:
    return store.save_office(OfficeProfile(id="", agency=agency, level="provincial_office", province="yazd", head_name="مریم احمدی", head_title="مدیر کل"))


def test_a_second_report_for_the_same_period_is_refused_with_a_persian_and_an_english_message(store, form):
    office = _office(store)
    first = new_report(store, form, office, "1398")
    with pytest.raises(PeriodAlreadyReported) as caught:
        new_report(store, form, office, "1398")
    refused = caught.value
    assert isinstance(refused, PeriodNotCovered)  # refused wherever an uncovered period is
    assert refused.existing == first and refused.revision == 1 and refused.state == "draft"
    assert "already a report for 1398" in refused.message_en and first in refused.message_en
    assert "۱۳۹۸" in refused.message_fa and "ویرایش جدید" in refused.message_fa
    assert [s.id for s in store.list_reports()] == [first]  # nothing was written
    # the default period is the form's year: refused the same way
    with pytest.raises(PeriodAlreadyReported):
        new_report(store, form, office)
    # other periods, and other offices of the same database, are not affected
    other = _office(store, "اداره کل استاندارد استان یزد")
    assert new_report(store, form, office, "1399")
    assert new_report(store, form, other, "1398")
    assert len(store.list_reports()) == 3


def test_a_new_revision_is_the_way_to_change_a_signed_report(store, form):
    office = _office(store)
    first = new_report(store, form, office, "1398")
    store.set_state(first, "signed")
    with pytest.raises(PeriodAlreadyReported) as caught:
        new_report(store, form, office, "1398")
    assert caught.value.state == "signed" and "امضا شده" in caught.value.message_fa
    revision = store.new_revision(first)  # still allowed: a revision, not a second report
    assert store.load_report(revision).revision == 2
    with pytest.raises(PeriodAlreadyReported) as caught:  # and the latest revision is named
        new_report(store, form, office, "1398")
    assert caught.value.existing == revision and caught.value.revision == 2


def test_starting_from_an_earlier_report_is_refused_for_a_period_already_reported(store, form, demo_id):
    copy = duplicate_report(store, demo_id, form, "1399")
    with pytest.raises(PeriodAlreadyReported) as caught:
        duplicate_report(store, demo_id, form, "1399")
    assert caught.value.existing == copy
    with pytest.raises(PeriodAlreadyReported):  # onto the source's own period
        duplicate_report(store, demo_id, form, "1398")
    assert len(store.list_reports()) == 2


# --- the command line ---------------------------------------------------------------------------


def _cli(*args, env=None):
    result = subprocess.run(
        [sys.executable, "-m", "citizen_rights_desktop", *map(str, args)], check=False, capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def forms_1398(tmp_path):
    """The 1398 guideline alone (what ``report new`` uses is the newest form of the folder)."""
    folder = tmp_path / "forms"
    folder.mkdir()
    shutil.copy(FORM_1398, folder / FORM_1398.name)
    return folder


def test_report_new_refuses_a_second_report_for_the_period(tmp_path, forms_1398):
    db = tmp_path / "office.sqlite3"
    assert _cli("demo", "--db", db, "--forms", forms_1398).returncode == 0
    refused = _cli("report", "new", "--db", db, "--forms", forms_1398)  # the demo office has its 1398 report
    assert refused.returncode == 2, refused
    (line,) = refused.stderr.strip().splitlines()
    assert line.startswith("error: there is already a report for 1398 on form citizen_rights_annual") and "new revision" in line
    created = _cli("report", "new", "--period", "1399", "--db", db, "--forms", forms_1398)
    assert created.returncode == 0, created
    again = _cli("report", "new", "--period", "1399", "--db", db, "--forms", forms_1398)
    assert again.returncode == 2 and created.stdout.strip().splitlines()[-1] in again.stderr
    listed = _cli("report", "list", "--db", db).stdout.strip().splitlines()
    assert len(listed) == 2, listed


def test_demo_without_db_goes_to_the_sample_database_not_the_real_one(tmp_path, forms_1398):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "home")}
    made = _cli("demo", "--forms", forms_1398, env=env)
    assert made.returncode == 0, made
    folder = tmp_path / "home" / "CitizenRightsDesktop"
    assert (folder / "sample.sqlite3").is_file()
    assert not (folder / "reports.sqlite3").exists()  # the real database is not even created
    assert "sample database" in made.stderr and "sample.sqlite3" in made.stdout


def test_the_sample_database_sits_beside_the_real_one(tmp_path):
    real = tmp_path / "office" / "reports.sqlite3"
    assert sample_database_path(real) == tmp_path / "office" / "sample.sqlite3"
    assert is_sample_database(sample_database_path(real)) and not is_sample_database(real)
    assert sample_database_path().name == "sample.sqlite3"
