"""Every name an office or headquarters may type signs and verifies, the whole chain through
(issue 12, item 1): hq init → profile → request → enrol → sign the PDF → bundle → hq import.

Before signing.certificate_names, a name ending in a digit or a bracket, or mixing Latin letters,
went into the certificates as it was; asn1crypto's name preparation (used by pyHanko) refused it,
so signing failed or every PDF was "not trusted".
"""

import datetime as dt

import pytest
from cryptography.hazmat.primitives import serialization

from citizen_rights_desktop.editing.demo import demo_report
from citizen_rights_desktop.exchange import bundle_writer, certificates
from citizen_rights_desktop.exchange import office_enrolment as office_exchange
from citizen_rights_desktop.exchange.cms import OfficeSigner
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import identity as hq_identity
from citizen_rights_desktop.hq import offices as hq_offices
from citizen_rights_desktop.hq.importer import Importer
from citizen_rights_desktop.hq.profile import export_profile
from citizen_rights_desktop.signing import identity as ident
from citizen_rights_desktop.signing.certificate_names import CN_BYTES, certificate_text, prepares
from citizen_rights_desktop.signing.pades import validate_pdf_signature
from citizen_rights_desktop.signing.signed_report import write_report_pdf
from storage import ReportStore, hq_store, open_database
from tests.conftest import ROOT

# (headquarters, the signer as typed in the identity)
NAMES = [
    ("سازمان مدیریت و برنامه‌ریزی استان فارس (ستاد ۱)", "مدیر کل ۲"),
    ("سازمان اداری و استخدامی کشور", "علی رضایی، مدیر کل"),
    ("ستاد صیانت «استان تهران»", "دبیر حقوق شهروندی (۱۴۰۵)"),
    ("سازمان مديريت و برنامه‌ريزي استان كرمان", "مدير كل دفتر"),  # Arabic ي and ك
    ("سازمان مدیریت و برنامه‌ریزی استان خراسان رضوی، معاونت توسعه مدیریت و سرمایه انسانی", "مدیر کل دفتر توسعه مدیریت و سرمایه انسانی ۲"),
    ("اداره کل IT استان اصفهان", "Reza Ahmadi"),
    ("Management and Planning Organization of Yazd 3", "کارشناس \"مسئول\" ۳"),
    ("ستاد ۱۲", "[معاون] اداری"),
    ("سازمان اداری و استخدامی کشور - دفتر ۴", "مسئول IT"),
]


@pytest.mark.parametrize("hq_name, holder", NAMES, ids=[f"name{i}" for i in range(len(NAMES))])
def test_the_chain_accepts_the_bundle(tmp_path, hq_name, holder):
    hq_db = open_database(tmp_path / "hq.sqlite3", take_backups=False)
    office_db = open_database(tmp_path / "office.sqlite3", take_backups=False)
    try:
        hq = hq_identity.init_hq(hq_db, hq_name, "hq passphrase 123")
        assert hq.name == hq_name  # the name people read is kept whole
        catalog = FormCatalog(ROOT / "forms")
        office_exchange.import_profile(office_db, export_profile(hq_db, hq, [ROOT / "forms" / "citizen-rights-1398.yaml"]))
        store = ReportStore(office_db, actor="clerk")
        report_id = demo_report(store, catalog.latest())
        office_id = store.load_report(report_id).office_id

        identity = ident.create_identity(holder, organization=store.get_office(office_id).agency)
        request = certificates.office_request(identity.private_key, office_id, identity.holder_name)
        issued = hq_offices.enrol(hq_db, hq, request.public_bytes(serialization.Encoding.PEM))
        cert = office_exchange.import_certificate(office_db, issued)
        identity = ident.install_certificate(identity, cert.public_bytes(serialization.Encoding.PEM), issued.split(b"-----END CERTIFICATE-----", 1)[1].strip() + b"\n")
        saved = ident.save_identity(identity, tmp_path / "office.p12", "office passphrase")
        identity = ident.load_identity(saved, "office passphrase")
        assert identity.holder_name == " ".join(holder.split())  # kept in the identity file's friendly name

        write_report_pdf(store, catalog.latest(), report_id, tmp_path / "signed.pdf", identity)
        check = validate_pdf_signature(tmp_path / "signed.pdf", [hq.ca_cert])
        assert check.ok, check.reason_en
        chain = office_exchange.office_certificate(office_db, office_id)
        (tmp_path / "usb").mkdir()
        exported = bundle_writer.export_bundle(store, report_id, tmp_path / "usb", OfficeSigner(identity.private_key, *chain), office_exchange.load_profile(office_db))

        with Importer(hq_db, hq, catalog, require_pdf=True) as importer:
            outcome = importer.import_file(exported.path)
        assert outcome.status == hq_store.IMPORTED, outcome.message_en
        assert outcome.pdf_check == "valid"
    finally:
        hq_db.close()
        office_db.close()


def test_every_certificate_name_is_comparable_and_fits():
    for hq_name, holder in NAMES:
        for text in (hq_name, holder):
            form = certificate_text(text)
            assert form == "" or (prepares(form) and len(form.encode("utf-8")) <= CN_BYTES and text.startswith(form.split(" ")[0]))
    assert certificate_text("مدیر کل ۲") == "مدیر کل"
    assert certificate_text("سازمان (ستاد ۱)") == "سازمان"
    assert certificate_text("سازمان اداری و استخدامی کشور") == "سازمان اداری و استخدامی کشور"
    assert certificate_text("Reza Ahmadi 2") == "Reza Ahmadi 2"  # no right-to-left letter: no bidi rule
    assert certificate_text("IT اداره") == "IT"
    assert not prepares("مدیر کل ۲")  # the library's rule the module works around is still there


def test_a_signature_still_validates_a_year_on(tmp_path):
    """The display name survives a save and a reload; the certificate form stays inside its bounds."""
    identity = ident.create_identity("کارشناس مسئول دفتر نوسازی و تحول اداری و بهبود روش‌ها ۲")
    assert identity.common_name == certificate_text(identity.holder_name)
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=365)
    assert identity.validity_problem(later) is None
