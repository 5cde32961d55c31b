"""The TLS server certificate of headquarters' intake service (issue 18), issued by headquarters'
own CA: offices already trust that CA through the profile, so no public CA is needed.

A fresh EC P-256 key and certificate each time the service starts (``issue_server_certificate``):
no server private key is ever kept on disk. The TLS context (``server_ssl_context``) trusts the
headquarters CA alone for client certificates, asks for one without requiring it (``/health``
needs none) and refuses anything below TLS 1.2.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import secrets
import ssl
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from citizen_rights_desktop.exchange.certificates import cert_pem
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.hq.identity import HQIdentity

SERVER_VALIDITY_DAYS = 397  # what browsers accept for a server certificate; renewed at every start anyway
_DNS_NAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")


_SERVER_KEY_USAGE = x509.KeyUsage(
    digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
    key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
)  # fmt: skip


def _bad_name(name: str) -> ExchangeError:
    return ExchangeError("bad_hostname", f"not a host name or IP address: {name!r}", "نام میزبان یا نشانی IP نامعتبر است.")


def subject_names(hostnames: list[str]) -> list[x509.GeneralName]:
    """The certificate's subject alternative names: an IP address as an IP entry, a name as DNS."""
    names: list[x509.GeneralName] = []
    for name in hostnames:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(name.strip("[]"))))
            continue
        except ValueError:
            pass
        if not _DNS_NAME.match(name):
            raise _bad_name(name)
        names.append(x509.DNSName(name.lower()))
    if not names:
        raise ExchangeError("bad_hostname", "the server certificate needs at least one host name", "دست‌کم یک نام میزبان لازم است.")
    return list(dict.fromkeys(names))


def issue_server_certificate(
    hq: HQIdentity, hostnames: list[str], valid_days: int = SERVER_VALIDITY_DAYS, now: dt.datetime | None = None
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A server certificate (EKU serverAuth; SAN: ``hostnames``, names and IP addresses) signed by
    the headquarters CA, with its own fresh EC P-256 key: ``(certificate, key)``."""
    names = subject_names(hostnames)
    key = ec.generate_private_key(ec.SECP256R1())
    start = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(minutes=5)
    end = min(start + dt.timedelta(days=valid_days), hq.ca_cert.not_valid_after_utc)
    first = names[0].value
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, str(first)[:64]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"intake service of {hq.hq_id}"[:64]),
    ])  # fmt: skip
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(hq.ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_SERVER_KEY_USAGE, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                hq.ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
            ),
            critical=False,
        )
        .sign(hq.ca_key, hashes.SHA256())
    )
    return cert, key


def server_ssl_context(cert: x509.Certificate, key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate) -> ssl.SSLContext:
    """The intake service's TLS context: this certificate and key; client certificates asked for,
    verified against the headquarters CA alone (an expired or foreign one fails the handshake),
    not required (the app answers 401 where one is needed); TLS 1.2 at least.

    ``ssl`` loads a key only from a file: it is written encrypted with a random password into a
    private temporary folder and removed as soon as it is loaded."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.verify_mode = ssl.CERT_OPTIONAL
    context.load_verify_locations(cadata=cert_pem(ca_cert))
    password = secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory(prefix="intake-tls-") as folder:
        os.chmod(folder, 0o700)
        cert_file, key_file = Path(folder) / "server.pem", Path(folder) / "server.key"
        cert_file.write_text(cert_pem(cert) + cert_pem(ca_cert), encoding="ascii")
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(
                key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(password.encode("ascii"))
                )
            )
        context.load_cert_chain(cert_file, key_file, password)
    return context
