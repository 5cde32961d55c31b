import os

# Qt aborts without a display unless this is set before anything imports it.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.form.loader import load_form
from storage import ReportStore, open_database

ROOT = Path(__file__).resolve().parent.parent
FORM_1398 = ROOT / "forms" / "citizen-rights-1398.yaml"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def form() -> FormDefinition:
    return load_form(FORM_1398)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "reports.sqlite3"


@pytest.fixture
def store(db_path: Path):
    database = open_database(db_path)
    yield ReportStore(database, actor="tester")
    database.close()


@pytest.fixture
def demo_id(store, form) -> str:
    from citizen_rights_desktop.editing.demo import demo_report

    return demo_report(store, form)


@pytest.fixture(scope="session")
def w(tmp_path_factory):
    """A headquarters and an enrolled office with a signed demo report (tests/bundle_world.py), made
    once per session: opening the headquarters keys costs about a second."""
    from bundle_world import world

    return world(tmp_path_factory)


@pytest.fixture
def hq_db(w, tmp_path):
    """A fresh copy of that headquarters' database (enrolments included, no imports)."""
    database = w.hq_copy(tmp_path)
    yield database
    database.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory, form):
    """The demo report, its office and a folder, once per module (the PDF tests print it many ways)."""
    from citizen_rights_desktop.editing.demo import demo_report

    folder = tmp_path_factory.mktemp("fidelity")
    database = open_database(folder / "reports.sqlite3")
    store = ReportStore(database, actor="tester")
    report = store.load_report(demo_report(store, form))
    office = store.get_office(report.office_id)
    yield report, office, folder
    database.close()
