"""The office identity: key generation, CSR, encrypted storage, PKCS#12 import, clear errors."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from citizen_rights_desktop.signing import identity as ident

PASS = "correct horse battery"


def issue(ca_key, ca_cert, public_key, name: str, days: int = 365, start: dt.datetime | None = None) -> x509.Certificate:
    start = start or dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def make_ca(name: str = "Test Headquarters CA"):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=2))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    return key, cert


def test_created_identity_is_p256_self_signed_and_stored_encrypted(tmp_path):
    identity = ident.create_identity("علی رضایی", "اداره کل ثبت اسناد و املاک استان فارس", "Fars")
    assert isinstance(identity.private_key.curve, ec.SECP256R1)
    assert identity.is_self_signed and identity.common_name == "علی رضایی"
    assert identity.validity_problem() is None
    path = ident.save_identity(identity, tmp_path / "office.p12", PASS)
    data = path.read_bytes()
    clear = identity.private_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    secret = identity.private_key.private_numbers().private_value.to_bytes(32, "big")
    assert clear not in data and secret not in data  # never written in clear
    assert path.stat().st_mode & 0o077 == 0  # readable by the owner only
    loaded = ident.load_identity(path, PASS)
    assert loaded.fingerprint == identity.fingerprint
    assert "private_key" not in repr(loaded) or "EllipticCurvePrivateKey" not in repr(loaded)


def test_csr_is_signed_by_the_identity_key():
    identity = ident.create_identity("دبیرخانه")
    request = x509.load_pem_x509_csr(ident.make_csr(identity))
    assert request.is_signature_valid
    assert request.public_key().public_numbers() == identity.private_key.public_key().public_numbers()
    assert request.subject == identity.certificate.subject


def test_wrong_passphrase_unreadable_file_and_short_passphrase_are_clear(tmp_path):
    path = ident.save_identity(ident.create_identity("آزمون"), tmp_path / "office.p12", PASS)
    with pytest.raises(ident.IdentityError) as wrong:
        ident.load_identity(path, "not the passphrase")
    assert "wrong passphrase" in wrong.value.message_en and "گذرواژه" in wrong.value.message_fa
    (tmp_path / "junk.p12").write_bytes(b"\x30\x03junk")
    with pytest.raises(ident.IdentityError) as junk:
        ident.load_identity(tmp_path / "junk.p12", PASS)
    assert "not a readable PKCS#12" in junk.value.message_en and junk.value.message_fa
    with pytest.raises(ident.IdentityError) as missing:
        ident.load_identity(tmp_path / "absent.p12", PASS)
    assert "no certificate file" in missing.value.message_en
    with pytest.raises(ident.IdentityError) as short:
        ident.save_identity(ident.create_identity("آزمون"), tmp_path / "x.p12", "short")
    assert "at least" in short.value.message_en and not (tmp_path / "x.p12").exists()


def test_import_pkcs12_from_a_certificate_authority(tmp_path):
    ca_key, ca_cert = make_ca()
    key = ec.generate_private_key(ec.SECP256R1())
    cert = issue(ca_key, ca_cert, key.public_key(), "اداره کل ثبت اسناد")
    pfx = pkcs12.serialize_key_and_certificates(b"office", key, cert, [ca_cert], serialization.BestAvailableEncryption(b"ca-given-pass"))
    (tmp_path / "from-ca.pfx").write_bytes(pfx)
    imported = ident.import_pkcs12(tmp_path / "from-ca.pfx", "ca-given-pass", tmp_path / "office.p12", PASS)
    assert not imported.is_self_signed and imported.issuer_name == "Test Headquarters CA"
    again = ident.load_identity(tmp_path / "office.p12", PASS)
    assert [c.subject for c in again.chain] == [ca_cert.subject]


def test_install_certificate_checks_the_key_and_expiry_is_reported():
    ca_key, ca_cert = make_ca()
    identity = ident.create_identity("دفتر")
    pem = issue(ca_key, ca_cert, identity.private_key.public_key(), "دفتر").public_bytes(serialization.Encoding.PEM)
    installed = ident.install_certificate(identity, pem, ca_cert.public_bytes(serialization.Encoding.PEM))
    assert not installed.is_self_signed
    other = issue(ca_key, ca_cert, ec.generate_private_key(ec.SECP256R1()).public_key(), "دیگری").public_bytes(serialization.Encoding.PEM)
    with pytest.raises(ident.IdentityError):
        ident.install_certificate(identity, other)
    old = issue(ca_key, ca_cert, identity.private_key.public_key(), "دفتر", days=10, start=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=400))
    expired = ident.OfficeIdentity(identity.private_key, old, [ca_cert])
    problem = expired.validity_problem()
    assert problem is not None and "expired" in problem.message_en and "منقضی" in problem.message_fa
