"""The offices headquarters knows: its org-unit register, the office certificates it issued
(enrolment) and the ones it revoked."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from citizen_rights_desktop.exchange.certificates import (
    OFFICE_ID,
    cert_pem,
    cert_sha256,
    load_request,
    serial_hex,
)
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.hq.identity import HQIdentity
from citizen_rights_desktop.persian.text import to_persian_digits, unsafe_characters
from citizen_rights_desktop.signing.certificate_names import O_BYTES, certificate_text
from citizen_rights_desktop.signing.identity import SIGNING_KEY_USAGE
from storage.database import Database, utc_now

DEFAULT_OFFICE_VALIDITY_DAYS = 730
# 0 days would issue a certificate already expired; more than ten years outlives any key's safe use
MIN_VALIDITY_DAYS, MAX_VALIDITY_DAYS = 1, 3650


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


def issue_office_certificate(
    database: Database,
    hq: HQIdentity,
    request: x509.CertificateSigningRequest,
    office_id: str | None = None,
    valid_days: int = DEFAULT_OFFICE_VALIDITY_DAYS,
    not_before: dt.datetime | None = None,
) -> x509.Certificate:
    """Issue an office certificate for ``request``; the office id comes from the request's UID or ``office_id``."""
    if not MIN_VALIDITY_DAYS <= valid_days <= MAX_VALIDITY_DAYS:
        raise ExchangeError(
            "bad_validity",
            f"a certificate is valid for {MIN_VALIDITY_DAYS} to {MAX_VALIDITY_DAYS} days, not {valid_days}",
            f"اعتبار گواهی باید بین {to_persian_digits(MIN_VALIDITY_DAYS)} و {to_persian_digits(MAX_VALIDITY_DAYS)} روز باشد.",
        )
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
    for attribute in request.subject:
        unsafe = unsafe_characters(str(attribute.value))
        if unsafe:
            raise ExchangeError(
                "request_unsafe_name",
                f"the request's names hold control or direction characters ({', '.join(unsafe[:3])}); it is refused",
                "نام‌های درخواست گواهی نویسه‌های کنترلی یا تغییر جهت دارند؛ درخواست پذیرفته نشد.",
            )
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
    start = not_before or (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5))
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, certificate_text(agency) or office_id)]
    if certificate_text(hq.name, O_BYTES):
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, certificate_text(hq.name, O_BYTES)))
    subject = x509.Name([*parts, x509.NameAttribute(NameOID.USER_ID, office_id)])
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


def set_org_units(database: Database, units: list[dict[str, Any]]) -> None:
    """Replace the list of organizational units (``id``, ``name``, optional ``parent_id``, ``level``, ``province``)."""
    clean = []
    for index, unit in enumerate(units):
        if not isinstance(unit, dict) or not isinstance(unit.get("id"), str) or not isinstance(unit.get("name"), str):
            raise ExchangeError("bad_org_unit", f"org unit {index + 1} needs text 'id' and 'name'", "فهرست واحدهای سازمانی نامعتبر است.")
        row = (unit["id"], unit["name"], unit.get("parent_id"), str(unit.get("level", "")), str(unit.get("province", "")))
        if any(unsafe_characters(str(value)) for value in row if value is not None):
            raise ExchangeError(
                "bad_org_unit",
                f"org unit {index + 1} holds control or direction characters in its names; nothing was changed",
                "نام یکی از واحدهای سازمانی نویسه‌های کنترلی یا تغییر جهت دارد؛ چیزی تغییر نکرد.",
            )
        clean.append(row)
    with database.transaction() as conn:
        conn.execute("DELETE FROM org_unit")
        conn.executemany("INSERT INTO org_unit (id, name, parent_id, level, province) VALUES (?,?,?,?,?)", clean)


def org_units(database: Database) -> list[dict[str, Any]]:
    keys = ("id", "name", "parent_id", "level", "province")
    return [dict(zip(keys, row)) for row in database.conn.execute(f"SELECT {', '.join(keys)} FROM org_unit ORDER BY id")]
