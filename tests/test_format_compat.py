"""A bundle made by an earlier release still imports (tests/fixtures/format-v1/README.md)."""

import datetime as dt

import pytest

from citizen_rights_desktop.editing.digest import refresh_digests
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.hq.identity import restore_key_backup
from citizen_rights_desktop.hq.importer import Importer
from storage import ReportStore, hq_store, open_database
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "format-v1"
MADE = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.timezone.utc)  # inside the certificates' validity


@pytest.fixture
def imported(tmp_path):
    """A new headquarters database with the old keys restored and the old bundle imported."""
    database = open_database(tmp_path / "hq.sqlite3", take_backups=False)
    hq = restore_key_backup(database, (FIXTURES / "hq-keys.age").read_bytes(), "backup passphrase 1", "new passphrase 123")
    with Importer(database, hq, now=MADE) as importer:
        outcome = importer.import_file(FIXTURES / "office-1398-r1.crb")
    yield database, outcome
    database.close()


def test_a_bundle_made_before_the_restructure_imports(imported):
    database, outcome = imported
    assert outcome.status == hq_store.IMPORTED, outcome.message_en
    assert outcome.agency == "اداره کل ثبت اسناد و املاک استان فارس"
    assert (outcome.period, outcome.revision) == ("1398", 1)
    assert outcome.pdf_check.startswith("valid; made before"), outcome.pdf_check  # signer checked; no binding then
    report, office, _ = hq_store.load_submission(database, outcome.submission_id)
    assert office is not None and office.agency == outcome.agency
    answered = [s for s in report.sections.values() if s.status]
    assert len(answered) == 29, len(answered)  # the demo report answers every indicator


def test_reports_of_the_earlier_form_version_still_count_in_the_analysis(imported):
    """A 1398.1 report received before the office upgraded is analysed with the 1398.2 ones: a new
    form version must never hide reports headquarters already holds (issue 13)."""
    database, outcome = imported
    assert outcome.status == hq_store.IMPORTED, outcome.message_en
    catalog = FormCatalog()
    assert refresh_digests(ReportStore(database), catalog) == 1
    latest = catalog.latest()
    assert latest.version != "1398.1"
    assert len(analysis.scores(database.conn, latest, "1398")) == 1
    shares = analysis.status_shares(database.conn, latest, "1398")
    assert sum(shares.reports.values()) == 1
