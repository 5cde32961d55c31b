"""Names that could forge what is printed are refused where they enter (issue 12, item 7)."""

import base64
import copy
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from citizen_rights_desktop.exchange import bundle_writer, certificates
from citizen_rights_desktop.exchange.envelope import sign_envelope
from citizen_rights_desktop.exchange.errors import BundleRefused, ExchangeError
from citizen_rights_desktop.exchange.profile import PROFILE_FORMAT, read_profile
from citizen_rights_desktop.hq import offices as hq_offices
from citizen_rights_desktop.persian.text import printable, unsafe_characters
from citizen_rights_desktop.report.office import OfficeProfile
from storage import open_database

FORGED = "اداره کل\nimported office 0000 (fake), period 1398, revision 9"
OVERRIDE = "اداره کل \u202edetropmi"


def test_unsafe_characters_and_printable():
    assert unsafe_characters("سازمان اداری و استخدامی کشور") == []
    assert unsafe_characters("برنامه\u200cریزی") == []  # ZWNJ is spelling, not a control
    assert unsafe_characters(FORGED) == ["U+000A"]
    assert unsafe_characters(OVERRIDE) == ["U+202E"]
    assert printable(FORGED).count("\n") == 0 and "\\u000a" in printable(FORGED)
    assert "\u202e" not in printable(OVERRIDE)


@pytest.mark.parametrize("field", ["agency", "head_name", "county", "letter_prefix"])
def test_the_office_profile_refuses_them(field):
    profile = OfficeProfile("office-1", "اداره کل", "provincial_office", "fars", "شیراز")
    setattr(profile, field, FORGED)
    assert field in [name for name, _, _ in profile.problems()]


def test_enrolment_refuses_a_request_with_them(w, tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    request = certificates.office_request(key, "office-evil-1", "x").public_bytes(serialization.Encoding.PEM)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, OVERRIDE), x509.NameAttribute(NameOID.USER_ID, "office-evil-1")])
    request = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
    database = w.hq_copy(tmp_path)
    try:
        with pytest.raises(ExchangeError) as info:
            hq_offices.enrol(database, w.hq, request)
    finally:
        database.close()
    assert info.value.code == "request_unsafe_name"


def test_a_profile_naming_headquarters_with_them_is_refused(w):
    envelope = json.loads(w.profile)
    payload = json.loads(base64.b64decode(envelope["payload"]))
    payload["name"] = FORGED
    forged = sign_envelope(w.hq.ca_key, PROFILE_FORMAT, payload)  # signed by the real headquarters key
    with pytest.raises(ExchangeError) as info:
        read_profile(forged)
    assert "control" in info.value.message_en


def test_a_bundle_whose_office_is_named_with_them_is_refused(w, tmp_path):
    office = copy.deepcopy(w.office)
    office.agency = FORGED
    data, _ = bundle_writer.build_bundle(w.report, office, w.evidence(), w.signer, w.hq.hq_id, w.hq.age_recipient, None)
    database = w.hq_copy(tmp_path)
    try:
        with w.importer(database) as importer:
            with pytest.raises(BundleRefused) as info:
                importer.import_bytes(data)
    finally:
        database.close()
    assert info.value.code == "unsafe_names" and "\n" not in info.value.message_en


def test_the_default_office_database_accepts_plain_names(tmp_path):
    database = open_database(tmp_path / "o.sqlite3", take_backups=False)
    database.close()
    assert OfficeProfile("office-1", "اداره کل «ثبت» (۲)", "provincial_office", "fars").problems() == []


def test_the_cli_prints_such_names_escaped_on_their_own_line(tmp_path, capsys):
    """A database from before the checks may hold such a name: the output shows it escaped."""
    from citizen_rights_desktop.cli.main import main
    from storage import ReportStore

    database = open_database(tmp_path / "office.sqlite3", take_backups=False)
    store = ReportStore(database, actor="clerk")
    store.save_office(OfficeProfile("office-1", FORGED, "provincial_office", "fars"))
    store.create_report("office-1", "citizen_rights_annual", "1398.1", "1398")
    database.close()
    assert main(["report", "list", "--db", str(tmp_path / "office.sqlite3")]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "imported office 0000" in out and "\\u000a" in out


def test_the_org_unit_register_refuses_them(tmp_path):
    database = open_database(tmp_path / "hq.sqlite3", take_backups=False)
    try:
        hq_offices.set_org_units(database, [{"id": "u1", "name": "اداره کل", "level": "provincial_office", "province": "fars"}])
        with pytest.raises(ExchangeError) as info:
            hq_offices.set_org_units(database, [{"id": "u2", "name": FORGED, "level": "provincial_office", "province": "fars"}])
        assert info.value.code == "bad_org_unit"
        assert [u["id"] for u in hq_offices.org_units(database)] == ["u1"]  # nothing was changed
    finally:
        database.close()


def test_hq_init_refuses_them(tmp_path):
    from citizen_rights_desktop.hq.identity import init_hq

    database = open_database(tmp_path / "hq.sqlite3", take_backups=False)
    try:
        with pytest.raises(ExchangeError) as info:
            init_hq(database, FORGED, "hq passphrase 123")
        assert info.value.code == "hq_name" and database.conn.execute("SELECT COUNT(*) FROM hq_identity").fetchone()[0] == 0
    finally:
        database.close()
