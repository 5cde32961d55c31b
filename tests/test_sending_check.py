"""The office never writes a bundle headquarters would refuse (issue 12, item 11)."""

import datetime as dt

import pytest
from cryptography.hazmat.primitives import serialization

from citizen_rights_desktop.editing.demo import demo_report
from citizen_rights_desktop.exchange import bundle_writer, certificates
from citizen_rights_desktop.exchange import office_enrolment as office_exchange
from citizen_rights_desktop.exchange.cms import OfficeSigner
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.exchange.sending_check import RESIGN_NEEDED, check_signer
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import identity as hq_identity
from citizen_rights_desktop.hq import offices as hq_offices
from citizen_rights_desktop.hq.importer import Importer
from citizen_rights_desktop.hq.profile import export_profile
from citizen_rights_desktop.signing import identity as ident
from citizen_rights_desktop.signing.signed_report import resign_as_new_revision, write_report_pdf
from storage import ReportStore, hq_store, open_database
from tests.conftest import ROOT


@pytest.fixture
def office(tmp_path):
    """An office that signed its report with its self-signed identity, then enrolled."""
    hq_db = open_database(tmp_path / "hq.sqlite3", take_backups=False)
    office_db = open_database(tmp_path / "office.sqlite3", take_backups=False)
    hq = hq_identity.init_hq(hq_db, "سازمان اداری و استخدامی کشور", "hq passphrase 123")
    catalog = FormCatalog(ROOT / "forms")
    office_exchange.import_profile(office_db, export_profile(hq_db, hq, [ROOT / "forms" / "citizen-rights-1398.yaml"]))
    store = ReportStore(office_db, actor="clerk")
    report_id = demo_report(store, catalog.latest())
    identity = ident.create_identity("مدیر کل")
    write_report_pdf(store, catalog.latest(), report_id, tmp_path / "self-signed.pdf", identity)  # before enrolment
    office_id = store.load_report(report_id).office_id
    issued = hq_offices.enrol(hq_db, hq, certificates.office_request(identity.private_key, office_id, "مدیر کل").public_bytes(serialization.Encoding.PEM))
    cert = office_exchange.import_certificate(office_db, issued)
    identity = ident.install_certificate(identity, cert.public_bytes(serialization.Encoding.PEM), issued.split(b"-----END CERTIFICATE-----", 1)[1].strip() + b"\n")
    signer = OfficeSigner(identity.private_key, *office_exchange.office_certificate(office_db, office_id))
    (tmp_path / "usb").mkdir()
    yield store, catalog, report_id, identity, signer, office_exchange.load_profile(office_db), hq_db, hq
    hq_db.close()
    office_db.close()


def test_a_report_signed_before_the_certificate_is_not_bundled_until_signed_again(office, tmp_path):
    store, catalog, report_id, identity, signer, profile, hq_db, hq = office
    with pytest.raises(ExchangeError) as info:
        bundle_writer.export_bundle(store, report_id, tmp_path / "usb", signer, profile)
    assert info.value.code == RESIGN_NEEDED and "new revision" in info.value.message_en and info.value.message_fa
    assert not list((tmp_path / "usb").iterdir())
    new_id, _ = resign_as_new_revision(store, catalog.latest(), report_id, identity, tmp_path / "again.pdf")
    result = bundle_writer.export_bundle(store, new_id, tmp_path / "usb", signer, profile)
    assert result.manifest.revision == 2 and store.load_report(report_id).state == "signed"
    with Importer(hq_db, hq, catalog, require_pdf=True) as importer:
        outcome = importer.import_file(result.path)
    assert outcome.status == hq_store.IMPORTED and outcome.pdf_check == "valid"


def test_a_self_signed_or_expired_signer_is_refused_with_what_to_do(office):
    store, catalog, report_id, identity, signer, profile, hq_db, hq = office
    own = ident.create_identity("مدیر کل")
    with pytest.raises(ExchangeError) as info:
        check_signer(OfficeSigner(own.private_key, own.certificate), profile)
    assert info.value.code == "not_enrolled" and "office request" in info.value.message_en
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=800)
    with pytest.raises(ExchangeError) as info:
        check_signer(signer, profile, now=later)
    assert info.value.code == "certificate_expired"
    check_signer(signer, profile)  # today: fine


def test_the_cli_says_why_and_what_to_do(office, tmp_path, capsys):
    from citizen_rights_desktop.cli.main import main

    store, catalog, report_id, identity, signer, profile, hq_db, hq = office
    path = ident.save_identity(identity, tmp_path / "office.p12", "office passphrase")
    (tmp_path / "pass").write_text("office passphrase\n")
    code = main(["report", "bundle", "--db", str(store.database.path), report_id, "--identity", str(path),
                 "--passphrase-file", str(tmp_path / "pass"), "-o", str(tmp_path / "usb")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: headquarters would refuse this report's signed PDF") and "Traceback" not in err
