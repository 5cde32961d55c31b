"""X.509 helpers both sides use: fingerprints, PEM text, the office id carried in a certificate's
subject, reading certificate and request files, and the office's certificate request."""

from __future__ import annotations

import hashlib
import re

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.signing.certificate_names import certificate_text

OFFICE_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")


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


def issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether ``issuer``'s key signed ``cert`` (and the names chain); never raises."""
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def is_self_signed(cert: x509.Certificate) -> bool:
    return cert.issuer == cert.subject and issued_by(cert, cert)


def load_request(data: bytes) -> x509.CertificateSigningRequest:
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_csr(data)
        return x509.load_der_x509_csr(data)
    except ValueError as exc:
        raise ExchangeError("bad_request", f"not a certificate request: {exc}", "فایل درخواست گواهی معتبر نیست.") from None


def office_request(private_key: ec.EllipticCurvePrivateKey, office_id: str, agency: str) -> x509.CertificateSigningRequest:
    """A certificate request naming the office (UID) — for offices whose identity module's CSR does not."""
    common_name = certificate_text(agency) or office_id
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name), x509.NameAttribute(NameOID.USER_ID, office_id)])
    return x509.CertificateSigningRequestBuilder().subject_name(subject).sign(private_key, hashes.SHA256())
