"""Headquarters identity: its certificate authority, its age encryption key, the roots it trusts and
the encrypted key backup. Enrolment and revocation are ``hq.offices``; the profile ``hq.profile``.

- The CA is an EC P-256 key with a self-signed X.509 certificate (``cryptography``). It issues office
  certificates whose subject carries the office id as a ``UID`` attribute (OID 0.9.2342.19200300.100.1.1),
  so an import can check that the certificate's office is the manifest's office.
- Bundles are encrypted to an age X25519 key (``pyrage``), so they can also be opened with the
  standard ``age`` tool.
- Both private keys are stored passphrase-encrypted in the headquarters database, together, as an
  age passphrase-encrypted file (scrypt, ChaCha20-Poly1305) holding the CA key (PKCS#8 PEM) and the
  age identity.
- The profile (``hq.profile``) is a JSON envelope signed with the CA key; a later profile is
  accepted by an office only if signed by the same CA key (``exchange.office_enrolment.import_profile``).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field

import pyrage
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from citizen_rights_desktop.exchange.certificates import cert_pem, cert_sha256, is_self_signed
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.persian.text import unsafe_characters
from citizen_rights_desktop.signing.certificate_names import O_BYTES, certificate_text
from storage.database import Database, utc_now

BACKUP_FORMAT = "citizen-rights-hq-key-backup"
FORMAT_VERSION = 1
CA_VALIDITY_DAYS = 20 * 365


# --- small helpers ---------------------------------------------------------------------------


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
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, f"Citizen Rights Headquarters CA {hq_id}")]
    if certificate_text(name, O_BYTES):  # the full name is in the profile and the database; see signing.certificate_names
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, certificate_text(name, O_BYTES)))
    subject = x509.Name([*parts, x509.NameAttribute(NameOID.USER_ID, hq_id)])
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
    if unsafe_characters(name):  # it is printed to every office: it must not forge a line or reverse text
        raise ExchangeError(
            "hq_name", "the headquarters name holds control or direction characters; type it again", "نام ستاد نویسه‌های کنترلی یا تغییر جهت دارد؛ آن را دوباره بنویسید."
        )
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
    """The age key as a standard age identity file (for ``age -d -i FILE``). Keep it secret.

    Write it as UTF-8: the name stays in the comment so people can tell whose key it is, and ``age``
    skips a ``#`` line whatever its characters. The name is kept to that one line (line breaks become
    spaces): a second line would not start with ``#`` and ``age`` would refuse the file."""
    name = " ".join(hq.name.split())
    return (
        f"# Citizen Rights headquarters {hq.hq_id} ({name})\n"
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


# --- organizational units --------------------------------------------------------------------


# --- the signed headquarters profile ---------------------------------------------------------


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
