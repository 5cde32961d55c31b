"""PAdES signing of the report PDF and its validation (pyHanko, poppler's pdfsig), report locking."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from test_identity import issue, make_ca  # noqa: E402 - the tests folder is on sys.path (rootdir conftest)

from citizen_rights_desktop.cli import main as cli
from citizen_rights_desktop.editing.demo import demo_report
from citizen_rights_desktop.pdf import render_report_pdf
from citizen_rights_desktop.signing import identity as ident
from citizen_rights_desktop.signing.pades import SigningError, sign_pdf, validate_pdf_signature
from storage import ReportStore, open_database
from storage.database import DatabaseError
from storage.report_store import ReportLocked

PASS = "correct horse battery"


@pytest.fixture(scope="module")
def signed(tmp_path_factory, form):
    folder = tmp_path_factory.mktemp("signing")
    database = open_database(folder / "reports.sqlite3")
    store = ReportStore(database, actor="tester")
    report = store.load_report(demo_report(store, form))
    result = render_report_pdf(form, report, store.get_office(report.office_id), None, folder / "report.pdf")
    ca_key, ca_cert = make_ca()
    key = ec.generate_private_key(ec.SECP256R1())
    office = ident.OfficeIdentity(key, issue(ca_key, ca_cert, key.public_key(), "اداره کل ثبت اسناد فارس"), [ca_cert])
    out = sign_pdf(result.path, folder / "signed.pdf", office, page=result.signature_page, box=result.signature_box)
    yield out, ca_cert, office, result, folder
    database.close()


def test_signature_is_intact_and_trusted_against_the_issuing_ca(signed):
    out, ca_cert, office, result, _ = signed
    check = validate_pdf_signature(out, [ca_cert])
    assert check.ok, check.reason_en
    assert check.intact and check.valid and check.trusted and check.whole_file
    assert "اداره کل ثبت اسناد" in check.signer
    untrusted = validate_pdf_signature(out, [])
    assert untrusted.intact and not untrusted.trusted and not untrusted.ok
    assert "not trusted" in untrusted.reason_en and untrusted.reason_fa


def test_flipping_one_byte_fails_with_a_result_not_an_exception(signed):
    out, ca_cert, _, _, folder = signed
    data = out.read_bytes()
    damaged = folder / "damaged.pdf"
    body = data.index(b"stream") + 200  # inside the signed page content
    for offset in (body, len(data) // 3, len(data) // 2, data.rindex(b"/Contents") + 30, len(data) - 40):
        copy = bytearray(data)
        copy[offset] ^= 0x01
        damaged.write_bytes(bytes(copy))
        check = validate_pdf_signature(damaged, [ca_cert])  # must not raise
        assert not check.ok, offset
        assert check.reason_en and check.reason_fa
    copy = bytearray(data)
    copy[body] ^= 0x01
    damaged.write_bytes(bytes(copy))
    check = validate_pdf_signature(damaged, [ca_cert])
    assert not check.intact and "changed after it was signed" in check.reason_en
    damaged.write_bytes(b"%PDF-1.7\nnot really")
    assert not validate_pdf_signature(damaged, [ca_cert]).ok


def test_poppler_pdfsig_reports_the_signature_valid(signed, tmp_path):
    if shutil.which("pdfsig") is None:
        pytest.skip("poppler-utils not installed")
    out, ca_cert, _, _, _ = signed
    plain = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True).stdout
    assert "Signature Validation: Signature is Valid." in plain
    assert "Total document signed" in plain
    if shutil.which("certutil") is None:
        return  # without NSS tools the certificate shows as "issuer is unknown"; the signature itself is valid
    nss = tmp_path / "nss"
    nss.mkdir()
    (tmp_path / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "hq-ca", "-t", "C,C,C", "-i", str(tmp_path / "ca.pem")], check=True, capture_output=True)
    trusted = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(out)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in trusted and "Certificate is Trusted." in trusted, trusted


def test_self_signed_identity_validates_against_itself_and_stamp_says_so(signed):
    _, _, _, result, folder = signed
    own = ident.create_identity("علی رضایی")
    out = sign_pdf(result.path, folder / "self.pdf", own)
    assert validate_pdf_signature(out, [own.certificate]).ok
    text = subprocess.run(["pdftotext", "-f", str(result.pages), "-l", str(result.pages), str(out), "-"], capture_output=True, text=True).stdout
    assert "امضای دیجیتال" in text or "ﺍﻣﻀﺎﯼ" not in text  # the stamp is an appearance stream; its text is Persian


def test_expired_certificate_refuses_to_sign_and_writes_nothing(signed):
    _, ca_cert, office, result, folder = signed
    ca_key, ca = make_ca()
    old = issue(ca_key, ca, office.private_key.public_key(), "قدیمی", days=30, start=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=400))
    expired = ident.OfficeIdentity(office.private_key, old, [ca])
    target = folder / "expired.pdf"
    with pytest.raises(SigningError) as error:
        sign_pdf(result.path, target, expired)
    assert "expired" in error.value.message_en and "منقضی" in error.value.message_fa
    assert not target.exists() and not list(folder.glob(".expired.pdf*"))


def test_cli_signs_locks_the_report_and_new_revision_unlocks_a_copy(tmp_path, capsys):
    db = tmp_path / "reports.sqlite3"
    assert cli.main(["--db", str(db), "demo"]) == 0
    report_id = capsys.readouterr().out.split()[-1]
    (tmp_path / "pass").write_text(PASS + "\n", encoding="utf-8")
    (tmp_path / "wrong").write_text("not it\n", encoding="utf-8")
    key = tmp_path / "office.p12"
    assert cli.main(["identity", "create", "--name", "علی رضایی", "--passphrase-file", str(tmp_path / "pass"), "-o", str(key), "--csr", str(tmp_path / "req.csr")]) == 0
    out = tmp_path / "signed.pdf"
    assert cli.main(["--db", str(db), "report", "pdf", report_id, "-o", str(out), "--sign", str(key), "--passphrase-file", str(tmp_path / "wrong")]) == 2
    assert "wrong passphrase" in capsys.readouterr().err and not out.exists()
    assert cli.main(["--db", str(db), "report", "pdf", report_id, "-o", str(out), "--sign", str(key), "--passphrase-file", str(tmp_path / "pass")]) == 0
    assert "self-signed" in capsys.readouterr().out
    cert = tmp_path / "office.pem"
    cert.write_bytes(ident.load_identity(key, PASS).certificate.public_bytes(serialization.Encoding.PEM))
    assert cli.main(["report", "verify-pdf", str(out), "--trust", str(cert)]) == 0
    assert cli.main(["report", "verify-pdf", str(out)]) == 2
    assert "error: the signer's certificate is not trusted" in capsys.readouterr().err
    assert cli.main(["--db", str(db), "report", "pdf", report_id, "-o", str(tmp_path / "x.pdf"), "--emblem", str(tmp_path / "none.png")]) == 2
    assert capsys.readouterr().err.startswith("error: cannot read the emblem image")

    database = open_database(db)
    store = ReportStore(database, actor="tester")
    signed_report = store.load_report(report_id)
    assert signed_report.state == "signed"
    with pytest.raises(ReportLocked):
        store.set_item(report_id, "i01", "status", "no")
    revision_id = store.new_revision(report_id)
    copy = store.load_report(revision_id)
    assert copy.state == "draft" and copy.revision == signed_report.revision + 1
    assert copy.header == signed_report.header
    for section_id, answer in signed_report.sections.items():
        other = copy.section(section_id)
        assert (other.status, other.reason, other.justification, other.values) == (answer.status, answer.reason, answer.justification, answer.values)
        assert {t: [r.cells for r in rows] for t, rows in other.tables.items()} == {t: [r.cells for r in rows] for t, rows in answer.tables.items()}
        assert [(e.sha256, e.name, e.size) for e in other.evidence] == [(e.sha256, e.name, e.size) for e in answer.evidence]
    store.set_item(revision_id, "i01", "status", "no")  # the new revision is editable
    assert store.load_report(report_id).section("i01").status == signed_report.section("i01").status
    with pytest.raises(DatabaseError):
        store.new_revision(revision_id)  # a draft is edited directly
    assert store.new_revision(report_id) != revision_id and store.load_report(store.new_revision(report_id)).revision == signed_report.revision + 3
    database.close()


def test_signing_keeps_the_signed_pdf_with_the_report_and_a_bundle_uses_it(tmp_path, form):
    from citizen_rights_desktop.signing.signed_report import write_report_pdf
    from storage.report_store import ReportLocked

    database = open_database(tmp_path / "reports.sqlite3")
    store = ReportStore(database, actor="tester")
    report_id = demo_report(store, form)
    ca_key, ca_cert = make_ca()
    key = ec.generate_private_key(ec.SECP256R1())
    office = ident.OfficeIdentity(key, issue(ca_key, ca_cert, key.public_key(), "اداره نمونه"), [ca_cert])
    assert store.signed_pdf(report_id) is None
    write_report_pdf(store, form, report_id, tmp_path / "signed.pdf", office)
    kept = store.signed_pdf(report_id)
    assert kept == (tmp_path / "signed.pdf").read_bytes()
    assert store.load_report(report_id).state == "signed"
    (tmp_path / "signed.pdf").unlink()  # the file may be lost: the database still has it
    assert validate_pdf_signature_bytes(kept, tmp_path, [ca_cert])
    with pytest.raises(ReportLocked):
        store.set_item(report_id, "i01", "reason", "x")
    assert not list(tmp_path.glob(".signed.pdf*"))
    database.close()


def validate_pdf_signature_bytes(data: bytes, folder, trusted) -> bool:
    path = folder / "check.pdf"
    path.write_bytes(data)
    return validate_pdf_signature(path, trusted).ok
