"""Headquarters identity: its certificate authority, its age encryption key, enrolment, revocation,
the signed headquarters profile and the encrypted key backup.

- The CA is an EC P-256 key with a self-signed X.509 certificate (``cryptography``). It issues office
  certificates whose subject carries the office id as a ``UID`` attribute (OID 0.9.2342.19200300.100.1.1),
  so an import can check that the certificate's office is the manifest's office.
- Bundles are encrypted to an age X25519 key (``pyrage``), so they can also be opened with the
  standard ``age`` tool.
- Both private keys are stored passphrase-encrypted in the headquarters database, together, as an
  age passphrase-encrypted file (scrypt, ChaCha20-Poly1305) holding the CA key (PKCS#8 PEM) and the
  age identity.
- The profile is a JSON envelope around a payload signed with the CA key; a later profile is
  accepted by an office only if signed by the same CA key (see ``office_exchange.import_profile``).
"""

from __future__ import annotations

from collections.abc import Callable

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyrage
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from citizen_rights_desktop.exchange_errors import ExchangeError
from citizen_rights_desktop.identity import SIGNING_KEY_USAGE
from storage.database import Database, utc_now

PROFILE_FORMAT = "citizen-rights-hq-profile"
BACKUP_FORMAT = "citizen-rights-hq-key-backup"
FORMAT_VERSION = 1
MAX_PROFILE_BYTES = 16 * 1024 * 1024
OFFICE_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
DEFAULT_OFFICE_VALIDITY_DAYS = 730
CA_VALIDITY_DAYS = 20 * 365


# --- small helpers ---------------------------------------------------------------------------


def cert_sha256(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def cert_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def serial_hex(cert: x509.Certificate) -> str:
    return format(cert.serial_number, "x")


def office_id_of(cert: x509.Certificate) -> str | None:
    """The office id in the certificate's subject (UID, else serialNumber), or ``None``."""
    for oid in (NameOID.USER_ID, NameOID.SERIAL_NUMBER):
        attrs = cert.subject.get_attributes_for_oid(oid)
        if attrs:
            value = attrs[0].value
            return value if isinstance(value, str) else None
    return None


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """Certificates from PEM (one or more) or one DER certificate."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise ExchangeError("bad_certificate", f"not a certificate file: {exc}", "فایل گواهی معتبر نیست.") from None


def is_self_signed(cert: x509.Certificate) -> bool:
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.timezone.utc)


def _wrong_passphrase() -> ExchangeError:
    return ExchangeError("wrong_passphrase", "wrong passphrase for the headquarters keys", "گذرواژه کلیدهای ستاد نادرست است.")


def _private_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode("ascii")


# --- the headquarters identity ---------------------------------------------------------------


@dataclass
class HQPublic:
    hq_id: str
    name: str
    ca_cert: x509.Certificate
    age_recipient: str


@dataclass
class HQIdentity(HQPublic):
    ca_key: ec.EllipticCurvePrivateKey = field(repr=False, default=None)  # type: ignore[assignment]
    age_identity: pyrage.x25519.Identity = field(repr=False, default=None)  # type: ignore[assignment]


def _ca_certificate(key: ec.EllipticCurvePrivateKey, hq_id: str, name: str, now: dt.datetime) -> x509.Certificate:
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"Citizen Rights Headquarters CA {hq_id}"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.USER_ID, hq_id),
        ]
    )
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CA_VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )


def init_hq(database: Database, name: str, passphrase: str, now: dt.datetime | None = None) -> HQIdentity:
    """Create the headquarters CA and encryption key (refused if this database already has them)."""
    if len(passphrase) < 8:
        raise ExchangeError("weak_passphrase", "the passphrase must be at least 8 characters", "گذرواژه باید دست‌کم ۸ نویسه باشد.")
    if not name.strip():
        raise ExchangeError("hq_name", "the headquarters name is required", "نام ستاد لازم است.")
    if database.conn.execute("SELECT 1 FROM hq_identity").fetchone():
        raise ExchangeError(
            "hq_exists",
            f"{database.path} already holds a headquarters identity; nothing was changed",
            "این پایگاه داده از قبل هویت ستاد را دارد؛ چیزی تغییر نکرد.",
        )
    now = _now(now)
    hq_id = "hq-" + uuid.uuid4().hex[:16]
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = _ca_certificate(ca_key, hq_id, name.strip(), now)
    age_identity = pyrage.x25519.Identity.generate()
    hq = HQIdentity(hq_id, name.strip(), ca_cert, str(age_identity.to_public()), ca_key, age_identity)
    _save_identity(database, hq, passphrase)
    return hq


def _save_identity(database: Database, hq: HQIdentity, passphrase: str) -> None:
    secrets = json.dumps({"ca_private_key": _private_pem(hq.ca_key), "age_identity": str(hq.age_identity)}).encode("ascii")
    encrypted = pyrage.passphrase.encrypt(secrets, passphrase)
    with database.transaction() as conn:
        conn.execute(
            "INSERT INTO hq_identity (id, hq_id, name, ca_cert_pem, age_recipient, secret_keys_encrypted, profile_sequence, created_at)"
            " VALUES (1,?,?,?,?,?,0,?)",
            (hq.hq_id, hq.name, cert_pem(hq.ca_cert), hq.age_recipient, encrypted, utc_now()),
        )


def hq_public(database: Database) -> HQPublic:
    row = database.conn.execute("SELECT hq_id, name, ca_cert_pem, age_recipient FROM hq_identity WHERE id=1").fetchone()
    if row is None:
        raise ExchangeError(
            "hq_not_initialised",
            f"{database.path} is not a headquarters database; run 'citizen-rights hq init' first",
            "این پایگاه داده، پایگاه داده ستاد نیست؛ ابتدا هویت ستاد را بسازید.",
        )
    return HQPublic(row[0], row[1], x509.load_pem_x509_certificate(row[2].encode("ascii")), row[3])


def load_hq(database: Database, passphrase: str) -> HQIdentity:
    """The headquarters identity with its private keys decrypted (``wrong_passphrase`` otherwise)."""
    public = hq_public(database)
    (encrypted,) = database.conn.execute("SELECT secret_keys_encrypted FROM hq_identity WHERE id=1").fetchone()
    try:
        secrets = json.loads(pyrage.passphrase.decrypt(bytes(encrypted), passphrase))
    except pyrage.DecryptError:
        raise _wrong_passphrase() from None
    ca_key = serialization.load_pem_private_key(secrets["ca_private_key"].encode("ascii"), None)
    age_identity = pyrage.x25519.Identity.from_str(secrets["age_identity"])
    return HQIdentity(public.hq_id, public.name, public.ca_cert, public.age_recipient, ca_key, age_identity)  # type: ignore[arg-type]


def age_identity_text(hq: HQIdentity) -> str:
    """The age key as a standard age identity file (for ``age -d -i FILE``). Keep it secret."""
    return (
        f"# Citizen Rights headquarters {hq.hq_id} ({hq.name})\n"
        f"# public key: {hq.age_recipient}\n"
        f"{hq.age_identity}\n"
    )


# --- trust, enrolment, revocation ------------------------------------------------------------


def trusted_roots(database: Database) -> list[x509.Certificate]:
    """The headquarters CA and every root added with ``add_trusted_root`` (e.g. a national CA)."""
    roots = [hq_public(database).ca_cert]
    for (pem,) in database.conn.execute("SELECT cert_pem FROM hq_trusted_root ORDER BY added_at"):
        roots.append(x509.load_pem_x509_certificate(pem.encode("ascii")))
    return roots


def add_trusted_root(database: Database, cert: x509.Certificate, label: str) -> None:
    if not is_self_signed(cert):
        raise ExchangeError("root_not_self_signed", "a trusted root must be a self-signed CA certificate", "گواهی ریشه باید خودامضا باشد.")
    with database.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO hq_trusted_root (sha256, cert_pem, label, added_at) VALUES (?,?,?,?)",
            (cert_sha256(cert), cert_pem(cert), label, utc_now()),
        )


def register_office_certificate(database: Database, cert: x509.Certificate, office_id: str) -> None:
    """Record which office a certificate belongs to (issued here, or from a trusted national CA)."""
    if not OFFICE_ID.match(office_id):
        raise ExchangeError("bad_office_id", f"not a valid office id: {office_id!r}", "شناسه دستگاه نامعتبر است.")
    issuer = _issuer_key(cert)
    with database.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO hq_office_certificate (serial, issuer_sha256, office_id, cert_sha256, cert_pem, not_before,"
            " not_after, issued_at) VALUES (?,?,?,?,?,?,?,?)",
            (serial_hex(cert), issuer, office_id, cert_sha256(cert), cert_pem(cert),
             cert.not_valid_before_utc.isoformat(), cert.not_valid_after_utc.isoformat(), utc_now()),
        )  # fmt: skip


def _issuer_key(cert: x509.Certificate) -> str:
    """Identifies the issuer (hash of its DER-encoded name) for serial-number bookkeeping."""
    return hashlib.sha256(cert.issuer.public_bytes()).hexdigest()


def load_request(data: bytes) -> x509.CertificateSigningRequest:
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_csr(data)
        return x509.load_der_x509_csr(data)
    except ValueError as exc:
        raise ExchangeError("bad_request", f"not a certificate request: {exc}", "فایل درخواست گواهی معتبر نیست.") from None


def office_request(private_key: ec.EllipticCurvePrivateKey, office_id: str, agency: str) -> x509.CertificateSigningRequest:
    """A certificate request naming the office (UID) — for offices whose identity module's CSR does not."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, agency or office_id), x509.NameAttribute(NameOID.USER_ID, office_id)])
    return x509.CertificateSigningRequestBuilder().subject_name(subject).sign(private_key, hashes.SHA256())


def issue_office_certificate(
    database: Database,
    hq: HQIdentity,
    request: x509.CertificateSigningRequest,
    office_id: str | None = None,
    valid_days: int = DEFAULT_OFFICE_VALIDITY_DAYS,
    not_before: dt.datetime | None = None,
) -> x509.Certificate:
    """Issue an office certificate for ``request``; the office id comes from the request's UID or ``office_id``."""
    if not request.is_signature_valid:
        raise ExchangeError("request_signature", "the certificate request's signature is not valid", "امضای درخواست گواهی معتبر نیست.")
    public_key = request.public_key()
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        if public_key.curve.name not in ("secp256r1", "secp384r1"):
            raise ExchangeError("request_key", f"unsupported curve {public_key.curve.name}", "نوع کلید درخواست پشتیبانی نمی‌شود.")
    elif isinstance(public_key, rsa.RSAPublicKey):
        if public_key.key_size < 2048:
            raise ExchangeError("request_key", "RSA keys must have at least 2048 bits", "کلید RSA باید دست‌کم ۲۰۴۸ بیت باشد.")
    else:
        raise ExchangeError("request_key", "the request's key must be EC P-256 or RSA", "نوع کلید درخواست پشتیبانی نمی‌شود.")
    in_request = None
    attrs = request.subject.get_attributes_for_oid(NameOID.USER_ID)
    if attrs:
        in_request = str(attrs[0].value)
    if office_id and in_request and office_id != in_request:
        raise ExchangeError(
            "request_office",
            f"the request names office {in_request}, not {office_id}",
            "شناسه دستگاه در درخواست با شناسه داده‌شده یکسان نیست.",
        )
    office_id = office_id or in_request
    if not office_id:
        raise ExchangeError("request_office", "the request does not name its office: give --office OFFICE_ID", "شناسه دستگاه در درخواست نیامده است.")
    if not OFFICE_ID.match(office_id):
        raise ExchangeError("bad_office_id", f"not a valid office id: {office_id!r}", "شناسه دستگاه نامعتبر است.")
    cn = request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    agency = str(cn[0].value) if cn else office_id
    start = not_before or (_now(None) - dt.timedelta(minutes=5))
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, agency[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, hq.name[:64]),
            x509.NameAttribute(NameOID.USER_ID, office_id),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(hq.ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            SIGNING_KEY_USAGE,
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                hq.ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
            ),
            critical=False,
        )
        .sign(hq.ca_key, hashes.SHA256())
    )
    register_office_certificate(database, cert, office_id)
    return cert


def enrol(database: Database, hq: HQIdentity, request_data: bytes, office_id: str | None = None, valid_days: int = DEFAULT_OFFICE_VALIDITY_DAYS) -> bytes:
    """Issue the certificate for a request file; returns the PEM file for the office (certificate, then the CA)."""
    cert = issue_office_certificate(database, hq, load_request(request_data), office_id, valid_days)
    return (cert_pem(cert) + cert_pem(hq.ca_cert)).encode("ascii")


def revoke_office(database: Database, office_id: str, reason: str = "unspecified") -> int:
    """Revoke every certificate of ``office_id`` (lost or stolen computer); returns how many."""
    with database.transaction() as conn:
        rows = conn.execute("SELECT issuer_sha256, serial FROM hq_office_certificate WHERE office_id=?", (office_id,)).fetchall()
        if not rows:
            raise ExchangeError("unknown_office", f"no certificate was issued to office {office_id}", "برای این دستگاه گواهی صادر نشده است.")
        now = utc_now()
        conn.executemany(
            "INSERT OR IGNORE INTO hq_revocation (issuer_sha256, serial, office_id, reason, revoked_at) VALUES (?,?,?,?,?)",
            [(issuer, serial, office_id, reason, now) for issuer, serial in rows],
        )
    return len(rows)


def is_revoked(database: Database, cert: x509.Certificate) -> bool:
    row = database.conn.execute(
        "SELECT 1 FROM hq_revocation WHERE issuer_sha256=? AND serial=?", (_issuer_key(cert), serial_hex(cert))
    ).fetchone()
    return row is not None


def registered_office(database: Database, cert: x509.Certificate) -> str | None:
    row = database.conn.execute("SELECT office_id FROM hq_office_certificate WHERE cert_sha256=?", (cert_sha256(cert),)).fetchone()
    return row[0] if row else None


# --- organizational units --------------------------------------------------------------------


def set_org_units(database: Database, units: list[dict[str, Any]]) -> None:
    """Replace the list of organizational units (``id``, ``name``, optional ``parent_id``, ``level``, ``province``)."""
    clean = []
    for index, unit in enumerate(units):
        if not isinstance(unit, dict) or not isinstance(unit.get("id"), str) or not isinstance(unit.get("name"), str):
            raise ExchangeError("bad_org_unit", f"org unit {index + 1} needs text 'id' and 'name'", "فهرست واحدهای سازمانی نامعتبر است.")
        clean.append((unit["id"], unit["name"], unit.get("parent_id"), str(unit.get("level", "")), str(unit.get("province", ""))))
    with database.transaction() as conn:
        conn.execute("DELETE FROM org_unit")
        conn.executemany("INSERT INTO org_unit (id, name, parent_id, level, province) VALUES (?,?,?,?,?)", clean)


def org_units(database: Database) -> list[dict[str, Any]]:
    keys = ("id", "name", "parent_id", "level", "province")
    return [dict(zip(keys, row)) for row in database.conn.execute(f"SELECT {', '.join(keys)} FROM org_unit ORDER BY id")]


# --- the signed headquarters profile ---------------------------------------------------------


@dataclass
class HQProfile:
    hq_id: str
    name: str
    sequence: int
    issued_at: str
    ca_cert: x509.Certificate
    age_recipient: str
    forms: list[dict[str, Any]]
    org_units: list[dict[str, Any]]
    trusted_roots: list[x509.Certificate]
    raw: bytes = field(repr=False, default=b"")


def export_profile(database: Database, hq: HQIdentity, form_files: list[Path]) -> bytes:
    """A new signed profile (its sequence number one more than the last one exported)."""
    forms = []
    for path in form_files:
        text = Path(path).read_text(encoding="utf-8")
        from citizen_rights_desktop.form import load_form

        form = load_form(Path(path))
        forms.append({"id": form.id, "version": form.version, "file_name": Path(path).name,
                      "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "definition": text})  # fmt: skip
    roots = [r for r in trusted_roots(database)[1:]]
    with database.transaction() as conn:
        # increasing across key-backup restores too: at least the current time in seconds
        sequence = max(conn.execute("SELECT profile_sequence FROM hq_identity WHERE id=1").fetchone()[0] + 1, int(time.time()))
        conn.execute("UPDATE hq_identity SET profile_sequence=? WHERE id=1", (sequence,))
    payload = {
        "hq_id": hq.hq_id,
        "name": hq.name,
        "sequence": sequence,
        "issued_at": utc_now(),
        "ca_certificate": cert_pem(hq.ca_cert),
        "age_recipient": hq.age_recipient,
        "forms": forms,
        "org_units": org_units(database),
        "trusted_roots": [cert_pem(r) for r in roots],
    }
    return sign_envelope(hq, PROFILE_FORMAT, payload)


def sign_envelope(hq: HQIdentity, format_name: str, payload: dict, **extra: str) -> bytes:
    """A signed envelope file: the payload as canonical JSON (base64) and its ECDSA-SHA256
    signature by the headquarters CA key. Profiles and feedback files are both such envelopes."""
    payload_bytes = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    signature = hq.ca_key.sign(payload_bytes, ec.ECDSA(hashes.SHA256()))
    envelope = {
        "format": format_name,
        "format_version": FORMAT_VERSION,
        "payload": base64.b64encode(payload_bytes).decode("ascii"),
        "signature": base64.b64encode(signature).decode("ascii"),
        "signature_algorithm": "ecdsa-with-SHA256",
        **extra,
    }
    return (json.dumps(envelope, indent=1) + "\n").encode("ascii")


def open_envelope(data: bytes, format_name: str, max_bytes: int, error: Callable[[str], Exception]) -> tuple[bytes, bytes]:
    """The payload bytes and signature of a signed envelope file; its shape only is checked here
    (the caller verifies the signature against the key it trusts). ``error(reason)`` makes the
    exception raised for anything malformed: never another exception."""
    if len(data) > max_bytes:
        raise error("file too large")
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise error("not JSON") from None
    if not isinstance(envelope, dict) or envelope.get("format") != format_name:
        raise error(f"format is not {format_name!r}")
    if envelope.get("format_version") != FORMAT_VERSION:
        raise error(f"unsupported format_version {envelope.get('format_version')!r}")
    try:
        return base64.b64decode(envelope["payload"], validate=True), base64.b64decode(envelope["signature"], validate=True)
    except (KeyError, TypeError, binascii.Error, ValueError):
        raise error("payload or signature is not readable") from None


def _profile_error(reason: str) -> ExchangeError:
    return ExchangeError("bad_profile", f"not a valid headquarters profile: {reason}", "فایل مشخصات ستاد معتبر نیست.")


def read_profile(data: bytes) -> HQProfile:
    """Parse and check a profile file: signed by the CA certificate it carries. Strict; never another exception."""
    payload_bytes, signature = open_envelope(data, PROFILE_FORMAT, MAX_PROFILE_BYTES, _profile_error)
    try:
        payload = json.loads(payload_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _profile_error("payload or signature is not readable") from None
    if not isinstance(payload, dict):
        raise _profile_error("payload is not an object")
    try:
        ca_cert = x509.load_pem_x509_certificate(str(payload["ca_certificate"]).encode("ascii"))
        public_key = ca_cert.public_key()
        if not isinstance(public_key, ec.EllipticCurvePublicKey):
            raise _profile_error("the CA key is not an EC key")
        public_key.verify(signature, payload_bytes, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise _profile_error("the signature does not match its CA certificate") from None
    except (KeyError, ValueError, UnicodeEncodeError):
        raise _profile_error("the CA certificate is not readable") from None
    if not is_self_signed(ca_cert):
        raise _profile_error("the CA certificate is not self-signed")
    hq_id, name, sequence = payload.get("hq_id"), payload.get("name"), payload.get("sequence")
    if not isinstance(hq_id, str) or office_id_of(ca_cert) != hq_id or not isinstance(name, str):
        raise _profile_error("hq_id does not match the CA certificate")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        raise _profile_error("sequence is not a positive whole number")
    recipient = payload.get("age_recipient")
    try:
        pyrage.x25519.Recipient.from_str(recipient)
    except (pyrage.RecipientError, TypeError, ValueError):
        raise _profile_error("age_recipient is not an age X25519 public key") from None
    forms, units = payload.get("forms"), payload.get("org_units")
    if not isinstance(forms, list) or not all(isinstance(f, dict) and isinstance(f.get("id"), str) and isinstance(f.get("version"), str) for f in forms):
        raise _profile_error("forms is not a list of form definitions")
    if not isinstance(units, list) or not all(isinstance(u, dict) for u in units):
        raise _profile_error("org_units is not a list")
    try:
        roots = [x509.load_pem_x509_certificate(str(pem).encode("ascii")) for pem in payload.get("trusted_roots", [])]
    except (ValueError, TypeError, UnicodeEncodeError):
        raise _profile_error("trusted_roots holds an unreadable certificate") from None
    return HQProfile(hq_id, name, sequence, str(payload.get("issued_at", "")), ca_cert, recipient, forms, units, roots, data)


# --- key backup ------------------------------------------------------------------------------


def key_backup(hq: HQIdentity, backup_passphrase: str) -> bytes:
    """Both private keys and the CA certificate, encrypted with an age passphrase (``age -d FILE`` opens it)."""
    if len(backup_passphrase) < 8:
        raise ExchangeError("weak_passphrase", "the backup passphrase must be at least 8 characters", "گذرواژه پشتیبان باید دست‌کم ۸ نویسه باشد.")
    document = {
        "format": BACKUP_FORMAT,
        "format_version": FORMAT_VERSION,
        "hq_id": hq.hq_id,
        "name": hq.name,
        "ca_certificate": cert_pem(hq.ca_cert),
        "ca_private_key": _private_pem(hq.ca_key),
        "age_identity": str(hq.age_identity),
        "age_recipient": hq.age_recipient,
    }
    return pyrage.passphrase.encrypt(json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"), backup_passphrase)


def restore_key_backup(database: Database, data: bytes, backup_passphrase: str, new_passphrase: str) -> HQIdentity:
    """Put a key backup into an empty headquarters database, the keys encrypted with ``new_passphrase``."""
    try:
        document = json.loads(pyrage.passphrase.decrypt(data, backup_passphrase).decode("utf-8"))
        if document.get("format") != BACKUP_FORMAT:
            raise ValueError("format")
        ca_cert = x509.load_pem_x509_certificate(document["ca_certificate"].encode("ascii"))
        ca_key = serialization.load_pem_private_key(document["ca_private_key"].encode("ascii"), None)
        identity = pyrage.x25519.Identity.from_str(document["age_identity"])
    except pyrage.DecryptError:
        raise ExchangeError("wrong_passphrase", "wrong passphrase for the key backup, or not a key backup", "گذرواژه پشتیبان نادرست است.") from None
    except (ValueError, KeyError, TypeError, AttributeError, pyrage.IdentityError):
        raise ExchangeError("bad_backup", "the key backup is damaged or not a Citizen Rights key backup", "فایل پشتیبان کلید معتبر نیست.") from None
    if database.conn.execute("SELECT 1 FROM hq_identity").fetchone():
        raise ExchangeError("hq_exists", f"{database.path} already holds a headquarters identity; nothing was changed", "این پایگاه داده از قبل هویت ستاد را دارد.")
    hq = HQIdentity(document["hq_id"], document["name"], ca_cert, str(identity.to_public()), ca_key, identity)  # type: ignore[arg-type]
    _save_identity(database, hq, new_passphrase)
    return hq
