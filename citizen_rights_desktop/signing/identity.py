"""The office's signing identity: an EC P-256 key and its X.509 certificate.

At setup the application makes a key, a self-signed certificate (usable at once, shown as
self-signed) and a certificate signing request (CSR) for headquarters or the office's certificate
authority; or it imports the PKCS#12 file (.pfx / .p12) the authority issued. The private key is
only ever stored encrypted with a passphrase, as a PKCS#12 file (PBES2, AES-256) in the user's data
folder; it is never written in clear and never logged.

Errors are ``IdentityError`` with ``message_en`` (CLI) and ``message_fa`` (UI).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from citizen_rights_desktop.files import WriteError, write_atomically
from citizen_rights_desktop.paths import user_data_dir
from citizen_rights_desktop.signing.certificate_names import O_BYTES, certificate_text, clean_name

MIN_PASSPHRASE = 8
IDENTITY_FILE = "office-identity.p12"


class IdentityError(Exception):
    def __init__(self, message_en: str, message_fa: str):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_fa = message_fa


@dataclass
class OfficeIdentity:
    private_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = field(repr=False)
    certificate: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)  # issuing CA certificates, if any
    display_name: str = ""  # the holder's name as typed (kept in the file's friendly name); may differ from the certificate's

    @property
    def is_self_signed(self) -> bool:
        cert = self.certificate
        if cert.issuer != cert.subject:
            return False
        try:
            cert.verify_directly_issued_by(cert)
        except Exception:
            return False
        return True

    @property
    def common_name(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.certificate.subject.rfc4514_string()

    @property
    def holder_name(self) -> str:
        """The name people read: as typed when the identity was made, else the certificate's."""
        return self.display_name or self.common_name

    @property
    def issuer_name(self) -> str:
        names = self.certificate.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.certificate.issuer.rfc4514_string()

    @property
    def issuer_organization(self) -> str:
        """Who issued the certificate, as people name it: the issuer's organization (headquarters' name
        in Persian) when the certificate has one, else its common name."""
        names = self.certificate.issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        return str(names[0].value) if names else self.issuer_name

    @property
    def not_before(self) -> dt.datetime:
        return self.certificate.not_valid_before_utc

    @property
    def not_after(self) -> dt.datetime:
        return self.certificate.not_valid_after_utc

    @property
    def fingerprint(self) -> str:
        return self.certificate.fingerprint(hashes.SHA256()).hex()

    def validity_problem(self, at: dt.datetime | None = None) -> IdentityError | None:
        """Why the certificate cannot sign now (expired / not yet valid), else ``None``."""
        at = at or dt.datetime.now(dt.timezone.utc)
        if at > self.not_after:
            day = self.not_after.date().isoformat()
            return IdentityError(
                f"the office certificate expired on {day}; import a renewed certificate (identity import-p12) first",
                f"گواهی امضای دستگاه در تاریخ {day} منقضی شده است؛ ابتدا گواهی تمدیدشده را وارد کنید.",
            )
        if at < self.not_before:
            day = self.not_before.date().isoformat()
            return IdentityError(
                f"the office certificate is not valid before {day}; check the computer's date and time",
                f"گواهی امضای دستگاه پیش از تاریخ {day} معتبر نیست؛ تاریخ و ساعت رایانه را بررسی کنید.",
            )
        return None


def default_identity_path() -> Path:
    return user_data_dir() / IDENTITY_FILE


def _name(common_name: str, organization: str = "", province: str = "") -> x509.Name:
    """The certificate's subject: each part in the form validators can compare (``certificate_names``)."""
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "IR")]
    for oid, text in ((NameOID.STATE_OR_PROVINCE_NAME, province), (NameOID.ORGANIZATION_NAME, organization)):
        if certificate_text(text, O_BYTES):
            parts.append(x509.NameAttribute(oid, certificate_text(text, O_BYTES)))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, certificate_text(common_name) or certificate_text(organization) or "office signer"))
    return x509.Name(parts)


# what an office key may do: sign documents (digital signature, non-repudiation), nothing else
SIGNING_KEY_USAGE = x509.KeyUsage(
    digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
    key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
)  # fmt: skip


def _signing_extensions(builder, public_key):
    return (
        builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            SIGNING_KEY_USAGE,
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def create_identity(common_name: str, organization: str = "", province: str = "", days: int = 3 * 365) -> OfficeIdentity:
    """A new EC P-256 key with a self-signed certificate valid for ``days``."""
    display = clean_name(common_name)
    if not display:
        raise IdentityError("the certificate needs a name (the office or its head)", "نام صاحب گواهی (دستگاه یا مقام) لازم است.")
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(display, organization, province)
    now = dt.datetime.now(dt.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
    )
    certificate = _signing_extensions(builder, key.public_key()).sign(key, hashes.SHA256())
    return OfficeIdentity(key, certificate, display_name=display)


def make_csr(identity: OfficeIdentity) -> bytes:
    """A PEM certificate signing request for the identity's key and subject."""
    request = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(identity.certificate.subject)
        .add_extension(
            SIGNING_KEY_USAGE,
            critical=True,
        )
        .sign(identity.private_key, hashes.SHA256())
    )
    return request.public_bytes(serialization.Encoding.PEM)


def _check_new_passphrase(passphrase: str) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise IdentityError(
            f"the passphrase must have at least {MIN_PASSPHRASE} characters",
            f"گذرواژه باید دست‌کم {MIN_PASSPHRASE} نویسه باشد.",
        )
    return passphrase.encode("utf-8")


def save_identity(identity: OfficeIdentity, path: str | os.PathLike, passphrase: str) -> Path:
    """Write the identity as a PKCS#12 file encrypted with ``passphrase`` (temporary file, then rename)."""
    secret = _check_new_passphrase(passphrase)
    data = pkcs12.serialize_key_and_certificates(
        identity.holder_name.encode("utf-8"), identity.private_key, identity.certificate, identity.chain or None,
        serialization.BestAvailableEncryption(secret),
    )  # fmt: skip
    path = Path(path)
    try:  # readable by its owner only from the start; complete or not there at all
        write_atomically(path, data, private=True, make_parents=True)
    except WriteError as exc:
        raise IdentityError(f"cannot write {path}: {exc.reason}", f"ذخیره فایل گواهی «{path}» ممکن نشد.") from None
    return path


def _looks_like_pkcs12(data: bytes) -> bool:
    try:
        from asn1crypto import pkcs12 as asn1_pkcs12

        pfx = asn1_pkcs12.Pfx.load(data)
        pfx["auth_safe"]["content_type"].native  # noqa: B018 - parse enough to know it is a PFX
        return True
    except Exception:
        return False


def load_pkcs12(data: bytes, passphrase: str, source: str = "the file") -> OfficeIdentity:
    """The key and certificates in PKCS#12 ``data``; clear errors for a wrong passphrase or bad file."""
    try:
        loaded = pkcs12.load_pkcs12(data, passphrase.encode("utf-8"))
    except ValueError:
        if _looks_like_pkcs12(data):
            raise IdentityError(
                f"wrong passphrase for {source}", f"گذرواژه فایل گواهی «{source}» نادرست است."
            ) from None
        raise IdentityError(
            f"{source} is not a readable PKCS#12 (.p12 / .pfx) file",
            f"فایل «{source}» یک فایل گواهی PKCS#12 (‎.p12 یا ‎.pfx) خواندنی نیست.",
        ) from None
    except Exception:  # unsupported algorithms and other malformed content
        raise IdentityError(
            f"{source} is not a readable PKCS#12 (.p12 / .pfx) file",
            f"فایل «{source}» یک فایل گواهی PKCS#12 (‎.p12 یا ‎.pfx) خواندنی نیست.",
        ) from None
    key, certificate, chain = loaded.key, loaded.cert.certificate if loaded.cert else None, [c.certificate for c in loaded.additional_certs]
    if key is None or certificate is None:
        raise IdentityError(
            f"{source} holds no private key and certificate pair",
            f"فایل «{source}» کلید خصوصی و گواهی امضا را با هم ندارد.",
        )
    if not isinstance(key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)):
        raise IdentityError(f"{source}: only EC and RSA keys can sign", f"نوع کلید فایل «{source}» برای امضا پشتیبانی نمی‌شود.")
    if certificate.public_key().public_numbers() != key.public_key().public_numbers():
        raise IdentityError(f"{source}: the certificate does not belong to the private key", f"گواهی فایل «{source}» با کلید خصوصی آن جور نیست.")
    display = ""
    if loaded.cert.friendly_name:
        try:
            display = clean_name(loaded.cert.friendly_name.decode("utf-8"))
        except UnicodeDecodeError:
            display = ""
    return OfficeIdentity(key, certificate, chain, display_name=display)


def load_identity(path: str | os.PathLike, passphrase: str) -> OfficeIdentity:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IdentityError(f"no certificate file at {path}", f"فایل گواهی «{path}» پیدا نشد.") from None
    except OSError as exc:
        raise IdentityError(f"cannot read {path}: {exc.strerror or exc}", f"فایل گواهی «{path}» خواندنی نیست.") from None
    return load_pkcs12(data, passphrase, str(path))


def import_pkcs12(source: str | os.PathLike, passphrase: str, destination: str | os.PathLike, new_passphrase: str | None = None) -> OfficeIdentity:
    """Check a PKCS#12 file from a certificate authority and store it (re-encrypted) at ``destination``."""
    identity = load_identity(source, passphrase)
    save_identity(identity, destination, new_passphrase if new_passphrase is not None else passphrase)
    return identity


def install_certificate(identity: OfficeIdentity, certificate_data: bytes, chain_data: bytes = b"") -> OfficeIdentity:
    """The identity with the certificate issued for its CSR (PEM or DER) and the issuer's chain."""
    try:
        certificate = x509.load_pem_x509_certificate(certificate_data) if b"-----BEGIN" in certificate_data else x509.load_der_x509_certificate(certificate_data)
        chain = x509.load_pem_x509_certificates(chain_data) if chain_data else []
    except ValueError:
        raise IdentityError("the certificate file is not a readable X.509 certificate", "فایل گواهی صادرشده خواندنی نیست.") from None
    if certificate.public_key().public_numbers() != identity.private_key.public_key().public_numbers():
        raise IdentityError("this certificate was not issued for this office's key", "این گواهی برای کلید این دستگاه صادر نشده است.")
    return OfficeIdentity(identity.private_key, certificate, chain, display_name=identity.display_name)


def read_passphrase_file(path: str | os.PathLike) -> str:
    """The passphrase in the first line of a file (the trailing newline is not part of it)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise IdentityError(f"cannot read the passphrase file {path}: {getattr(exc, 'strerror', None) or exc}", "فایل گذرواژه خواندنی نیست.") from None
    return text.splitlines()[0] if text else ""
