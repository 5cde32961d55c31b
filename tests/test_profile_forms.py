"""Issue 14: headquarters delivers form definitions in its signed profile; an office that imports
the profile gets a new kind of report, or a new version, without reinstalling the application."""

from __future__ import annotations

import json

from citizen_rights_desktop.exchange import office_enrolment as office_exchange
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import profile as hq_profile_export
from storage import open_database
from tests.conftest import ROOT


def _new_version(tmp_path):
    """The quarterly form as headquarters might revise it: version 1399.2, one more action."""
    text = (ROOT / "forms" / "citizen-rights-programs-1399.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "1399.1"', 'version: "1399.2"', 1)
    path = tmp_path / "citizen-rights-programs-1399.2.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_imported_profile_installs_its_forms(w, tmp_path):
    hq_db = w.hq_copy(tmp_path)
    profile = hq_profile_export.export_profile(hq_db, w.hq, [ROOT / "forms" / "citizen-rights-1398.yaml", _new_version(tmp_path)])
    hq_db.close()
    office_db = open_database(tmp_path / "office.sqlite3")
    catalog = FormCatalog()
    assert ("citizen_rights_programs", "1399.2") not in catalog.forms
    assert office_exchange.install_profile_forms(office_db, catalog) == []  # no profile yet
    office_exchange.import_profile(office_db, profile)
    added = office_exchange.install_profile_forms(office_db, catalog)
    assert added == [("citizen_rights_programs", "1399.2")]
    assert catalog.latest("citizen_rights_programs").version == "1399.2"
    assert catalog.latest().version == "1398.2"  # the installed annual form is not replaced
    assert not catalog.errors
    office_db.close()


def test_a_definition_that_does_not_match_its_checksum_is_left_out(w, tmp_path, monkeypatch):
    hq_db = w.hq_copy(tmp_path)
    profile = hq_profile_export.export_profile(hq_db, w.hq, [_new_version(tmp_path)])
    hq_db.close()
    office_db = open_database(tmp_path / "office.sqlite3")
    office_exchange.import_profile(office_db, profile)
    real = office_exchange.load_profile(office_db)
    for entry in real.forms:
        entry["definition"] = entry["definition"].replace("انجام شد", "انجام نشد", 1)
    monkeypatch.setattr(office_exchange, "load_profile", lambda database: real)
    catalog = FormCatalog()
    assert office_exchange.install_profile_forms(office_db, catalog) == []
    assert "SHA-256" in str(catalog.errors[-1])
    office_db.close()


def test_an_installed_version_is_never_replaced_by_a_different_text(tmp_path):
    catalog = FormCatalog()
    text = (ROOT / "forms" / "citizen-rights-1398.yaml").read_text(encoding="utf-8").replace("مقدمه:", "مقدمه تغییر یافته:", 1)
    kept = catalog.add_text(text, "profile 7: citizen-rights-1398.yaml")
    assert kept is catalog.get("citizen_rights_annual", "1398.2")
    assert "مقدمه تغییر یافته" not in json.dumps(kept.introduction, ensure_ascii=False)
    assert "differs from the installed definition" in str(catalog.errors[-1])


def test_a_profile_with_a_bad_deadline_is_refused(w, tmp_path):
    """A signed profile is still outside data: a deadline that is not 0-365 days refuses it whole."""
    import copy

    import pytest

    from citizen_rights_desktop.exchange.certificates import cert_pem
    from citizen_rights_desktop.exchange.envelope import sign_envelope
    from citizen_rights_desktop.exchange.errors import ExchangeError
    from citizen_rights_desktop.exchange.profile import PROFILE_FORMAT, read_profile

    hq_db = w.hq_copy(tmp_path)
    good = read_profile(hq_profile_export.export_profile(hq_db, w.hq, []))
    hq_db.close()
    for bad in ({"citizen_rights_programs": -1}, {"citizen_rights_programs": 9999}, {"k": "15"}, ["15"], {"k": True}):
        data = {
            "hq_id": good.hq_id, "name": good.name, "sequence": good.sequence + 1, "issued_at": good.issued_at,
            "ca_certificate": cert_pem(good.ca_cert), "age_recipient": good.age_recipient, "forms": [], "org_units": [],
            "trusted_roots": [], "deadline_days": copy.deepcopy(bad),
        }  # fmt: skip
        with pytest.raises(ExchangeError) as caught:
            read_profile(sign_envelope(w.hq.ca_key, PROFILE_FORMAT, data))
        assert "deadline_days" in caught.value.message_en
    data["deadline_days"] = {"citizen_rights_programs": 20}
    assert read_profile(sign_envelope(w.hq.ca_key, PROFILE_FORMAT, data)).deadline_days == {"citizen_rights_programs": 20}


def test_the_command_line_and_the_window_use_the_forms_a_profile_delivered(w, tmp_path, qtbot):
    from citizen_rights_desktop.editing.demo import demo_report
    from storage import ReportStore
    from tests.test_cli import cli
    from ui.app import build_main_window

    hq_db = w.hq_copy(tmp_path)
    profile = hq_profile_export.export_profile(hq_db, w.hq, [_new_version(tmp_path)])
    hq_db.close()
    db = tmp_path / "office.sqlite3"
    office_db = open_database(db)
    demo_report(ReportStore(office_db), FormCatalog().latest())
    office_exchange.import_profile(office_db, profile)
    office_db.close()
    made = cli("report", "new", "--form", "citizen_rights_programs", "--period", "1399-Q3", "--db", db, check_rc=0)
    assert "citizen_rights_programs 1399.2" in made.stderr  # the delivered version, newer than the installed one
    window = build_main_window(db, None)
    assert window.catalog.latest("citizen_rights_programs").version == "1399.2"
    window.close()
    window.store.database.close()


def test_a_province_s_variant_reaches_that_province_s_offices_only_and_headquarters_knows_it(w, tmp_path):
    """Seed 002, rule 9: a province localises the programs; headquarters delivers that variant to the
    province's offices, and imports their reports."""
    from citizen_rights_desktop.report.office import OfficeProfile
    from storage import ReportStore
    from tests.test_cli import cli

    text = (ROOT / "forms" / "citizen-rights-programs-1399.yaml").read_text(encoding="utf-8")
    variant = tmp_path / "programs-fars.yaml"
    variant.write_text(text.replace('version: "1399.1"', 'version: "1399.1-fars"', 1), encoding="utf-8")
    hq_db = w.hq_copy(tmp_path)
    hq_path = hq_db.path
    hq_db.close()
    out = tmp_path / "profile.crp"
    passphrase = tmp_path / "pass"
    passphrase.write_text("correct horse battery staple", encoding="utf-8")
    made = cli("hq", "profile", "export", "-o", out, "--province-form", f"fars={variant}", "--db", hq_path, "--passphrase-file", passphrase, check_rc=0)
    assert "kept citizen_rights_programs 1399.1-fars for the offices of fars" in made.stdout
    bad = cli("hq", "profile", "export", "-o", out, "--province-form", f"nowhere={variant}", "--db", hq_path, "--passphrase-file", passphrase, check_rc=2)
    assert "PROVINCE=FILE" in bad.stderr
    for province, expected in (("fars", "1399.1-fars"), ("tehran", "1399.1")):
        office_db = open_database(tmp_path / f"{province}.sqlite3")
        ReportStore(office_db).save_office(OfficeProfile(id=f"o-{province}", agency="اداره کل", level="provincial_office", province=province))
        office_exchange.import_profile(office_db, out.read_bytes())
        catalog = FormCatalog()
        office_exchange.install_profile_forms(office_db, catalog)
        assert catalog.latest("citizen_rights_programs").version == expected, province
        office_db.close()
    hq = open_database(hq_path, take_backups=False)
    catalog = FormCatalog()
    hq_profile_export.install_province_forms(hq, catalog)
    assert ("citizen_rights_programs", "1399.1-fars") in catalog.forms
    hq.close()
