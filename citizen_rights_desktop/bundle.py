"""Report bundles (``.crb``): a zip archive inside age encryption, its manifest signed by the office.

The format is specified in ``docs/bundle-format.md``. In short:

    age (X25519, to headquarters' key)
      └─ zip
           manifest.json          form, office, period, revision, recipient, SHA-256 and size of every member
           manifest.p7s           CMS (PKCS #7) detached signature of manifest.json, office certificate chain included
           answers.json           the answers document (answers_document.to_document, no embedded evidence)
           report.pdf             the signed report PDF (when the office has signed one)
           evidence/<sha256>      each evidence file, named by its content's SHA-256

``export_bundle`` writes one at the office; ``open_bundle`` is the hostile-input side used by
``hq_import``: it decrypts, bounds the archive, checks every member against the manifest and the
manifest against its signature, and never uses a name from the bundle as a file path.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyrage
from asn1crypto import cms as asn1_cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7

from citizen_rights_desktop import answers_document
from citizen_rights_desktop.exchange_errors import BundleRefused, ExchangeError
from citizen_rights_desktop.hq_identity import HQProfile, office_id_of
from citizen_rights_desktop.office import OfficeProfile
from citizen_rights_desktop.report import Report
from storage.database import utc_now

MANIFEST_FORMAT = "citizen-rights-bundle-manifest"
FORMAT_VERSION = 1
SUFFIX = ".crb"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.p7s"
ANSWERS = "answers.json"
PDF = "report.pdf"
EVIDENCE_PREFIX = "evidence/"
_SHA = re.compile(r"^[0-9a-f]{64}$")
_MEMBER = re.compile(r"^(answers\.json|report\.pdf|evidence/[0-9a-f]{64})$")
_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
_ROLES = {"answers": ANSWERS, "pdf": PDF}

Progress = Callable[[int, int, str], None]  # (done, total, stage)


@dataclass(frozen=True)
class Limits:
    """Bounds on a bundle from an unknown source (checked before anything is decompressed)."""

    max_file_bytes: int = 700 * 1024 * 1024  # the encrypted file
    max_members: int = 1000
    max_member_bytes: int = 60 * 1024 * 1024  # evidence is at most 50 MB per file
    max_total_bytes: int = 600 * 1024 * 1024  # all members, uncompressed
    max_ratio: int = 100  # uncompressed / compressed size of a member, for members above ratio_floor
    ratio_floor: int = 1024 * 1024
    max_manifest_bytes: int = 1024 * 1024
    max_signature_bytes: int = 64 * 1024


def refused(code: str, en: str, fa: str) -> BundleRefused:
    return BundleRefused(code, en, fa)


# --- manifest --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    name: str
    role: str  # answers, pdf, evidence
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    bundle_id: str
    created_at: str
    form_id: str
    form_version: str
    office_id: str
    agency: str
    report_id: str
    period: str
    revision: int
    hq_id: str
    age_recipient: str
    members: tuple[Member, ...]

    def member(self, name: str) -> Member | None:
        return next((m for m in self.members if m.name == name), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MANIFEST_FORMAT,
            "format_version": FORMAT_VERSION,
            "bundle_id": self.bundle_id,
            "created_at": self.created_at,
            "form": {"id": self.form_id, "version": self.form_version},
            "office": {"id": self.office_id, "agency": self.agency},
            "report": {"id": self.report_id, "period": self.period, "revision": self.revision},
            "recipient": {"hq_id": self.hq_id, "age_recipient": self.age_recipient},
            "members": [{"name": m.name, "role": m.role, "sha256": m.sha256, "size": m.size} for m in self.members],
        }

    def dumps(self) -> bytes:
        return (json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


class ManifestError(ValueError):
    pass


def _keys(obj: Any, where: str, keys: set[str]) -> dict:
    if not isinstance(obj, dict):
        raise ManifestError(f"{where} must be an object")
    if set(obj) != keys:
        raise ManifestError(f"{where} must have exactly the keys {', '.join(sorted(keys))}")
    return obj


def _text(value: Any, where: str, pattern: re.Pattern | None = None, max_len: int = 256) -> str:
    if not isinstance(value, str) or not value or len(value) > max_len:
        raise ManifestError(f"{where} must be non-empty text of at most {max_len} characters")
    if pattern is not None and not pattern.match(value):
        raise ManifestError(f"{where} is not in the expected form")
    return value


def _count(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > 2**53:
        raise ManifestError(f"{where} must be a whole number")
    return value


def parse_manifest(data: bytes) -> Manifest:
    """Parse manifest bytes strictly: ``ManifestError`` with a one-line reason for anything else."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ManifestError("the manifest is not UTF-8 JSON") from None
    doc = _keys(raw, "the manifest", {"format", "format_version", "bundle_id", "created_at", "form", "office", "report", "recipient", "members"})
    if doc["format"] != MANIFEST_FORMAT:
        raise ManifestError(f"format must be {MANIFEST_FORMAT!r}")
    if doc["format_version"] != FORMAT_VERSION or isinstance(doc["format_version"], bool):
        raise ManifestError(f"unsupported manifest format_version {doc['format_version']!r}")
    form = _keys(doc["form"], "form", {"id", "version"})
    office = _keys(doc["office"], "office", {"id", "agency"})
    report = _keys(doc["report"], "report", {"id", "period", "revision"})
    recipient = _keys(doc["recipient"], "recipient", {"hq_id", "age_recipient"})
    if not isinstance(doc["members"], list) or len(doc["members"]) > 100_000:
        raise ManifestError("members must be a list")
    members = []
    seen: set[str] = set()
    for index, item in enumerate(doc["members"]):
        where = f"members[{index}]"
        item = _keys(item, where, {"name", "role", "sha256", "size"})
        name = _text(item["name"], f"{where}.name", _MEMBER, 80)
        role = _text(item["role"], f"{where}.role")
        sha = _text(item["sha256"], f"{where}.sha256", _SHA, 64)
        expected = _ROLES.get(role, EVIDENCE_PREFIX + sha if role == "evidence" else None)
        if expected != name:
            raise ManifestError(f"{where}: role {role!r} does not fit name {name!r}")
        if name in seen:
            raise ManifestError(f"{where}: {name} is listed twice")
        seen.add(name)
        members.append(Member(name, role, sha, _count(item["size"], f"{where}.size")))
    if ANSWERS not in seen:
        raise ManifestError("the manifest lists no answers.json")
    revision = _count(report["revision"], "report.revision")
    if revision < 1:
        raise ManifestError("report.revision must be at least 1")
    return Manifest(
        bundle_id=_text(doc["bundle_id"], "bundle_id", _ID),
        created_at=_text(doc["created_at"], "created_at", max_len=40),
        form_id=_text(form["id"], "form.id"),
        form_version=_text(form["version"], "form.version"),
        office_id=_text(office["id"], "office.id", _ID),
        agency=_text(office["agency"], "office.agency", max_len=512),
        report_id=_text(report["id"], "report.id", _ID),
        period=_text(report["period"], "report.period", max_len=16),
        revision=revision,
        hq_id=_text(recipient["hq_id"], "recipient.hq_id"),
        age_recipient=_text(recipient["age_recipient"], "recipient.age_recipient"),
        members=tuple(members),
    )


# --- CMS detached signature ------------------------------------------------------------------


@dataclass
class OfficeSigner:
    """The office's signing key and certificate chain (from ``identity`` + the certificate headquarters issued)."""

    private_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)


def cms_sign(content: bytes, signer: OfficeSigner) -> bytes:
    """A DER CMS SignedData, detached, SHA-256, with signed attributes and the certificate chain."""
    builder = pkcs7.PKCS7SignatureBuilder().set_data(content).add_signer(signer.certificate, signer.private_key, hashes.SHA256())
    for cert in signer.chain:
        builder = builder.add_certificate(cert)
    return builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])


def _bad_signature(reason: str) -> BundleRefused:
    return refused("signature_invalid", f"the manifest signature is not valid: {reason}", "امضای فهرست محتویات بسته معتبر نیست.")


def _register_cms_attributes() -> None:
    """asn1crypto builds an OID type's reverse map once, on first use; modules that register CMS
    attribute types later (asn1crypto.tsp and .pdf, pyHanko's ades) would then make pyHanko's PDF
    signing fail in this process ("invalid literal for int(): 'signing_certificate_v2'").
    Import them before anything here touches CMS."""
    from asn1crypto import pdf, tsp  # noqa: F401

    try:
        import pyhanko.sign.ades.asn1_util  # noqa: F401
    except ImportError:
        pass


def cms_verify(content: bytes, signature: bytes) -> tuple[x509.Certificate, list[x509.Certificate], str | None]:
    """Check a detached CMS signature over ``content``; returns (signer certificate, other certificates, signing time).

    Only the cryptographic binding is checked here; whether the certificate is trusted is ``hq_import``'s job.
    """
    _register_cms_attributes()
    try:
        info = asn1_cms.ContentInfo.load(signature, strict=True)
        if info["content_type"].native != "signed_data":
            raise _bad_signature("not a CMS SignedData")
        signed_data = info["content"]
        if signed_data["encap_content_info"]["content_type"].native != "data" or signed_data["encap_content_info"]["content"].native is not None:
            raise _bad_signature("the signature is not detached over data")
        signer_infos = signed_data["signer_infos"]
        if len(signer_infos) != 1:
            raise _bad_signature("there must be exactly one signer")
        signer_info = signer_infos[0]
        if signer_info["digest_algorithm"]["algorithm"].native != "sha256":
            raise _bad_signature("the digest is not SHA-256")
        certificates = [c.chosen for c in (signed_data["certificates"] or []) if c.name == "certificate"]
        sid = signer_info["sid"]
        if sid.name == "issuer_and_serial_number":
            issuer, serial = sid.chosen["issuer"], sid.chosen["serial_number"].native
            issuer_der = issuer.dump()  # compared as DER: asn1crypto's Name equality is slow (string preparation)
            signer_asn1 = next((c for c in certificates if c.serial_number == serial and c.issuer.dump() == issuer_der), None)
        else:
            key_id = sid.chosen.native
            signer_asn1 = next((c for c in certificates if c.key_identifier == key_id), None)
        if signer_asn1 is None:
            raise _bad_signature("the signer's certificate is not included")
        attrs = signer_info["signed_attrs"]
        if not attrs:
            raise _bad_signature("signed attributes are missing")
        values: dict[str, Any] = {}
        for attr in attrs:
            name = attr["type"].native
            if name in values or len(attr["values"]) != 1:
                raise _bad_signature(f"attribute {name} is repeated")
            values[name] = attr["values"][0].native
        if values.get("content_type") != "data":
            raise _bad_signature("content type attribute is not data")
        if values.get("message_digest") != hashlib.sha256(content).digest():
            raise _bad_signature("manifest.json does not match the signed digest")
        signed_bytes = b"\x31" + attrs.dump()[1:]  # signed over the attributes as a DER SET
        signature_value = signer_info["signature"].native
        algorithm = signer_info["signature_algorithm"]
        signer = x509.load_der_x509_certificate(signer_asn1.dump())
        key = signer.public_key()
        if algorithm.signature_algo == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
            if algorithm["algorithm"].native not in ("sha256_ecdsa", "ecdsa"):
                raise _bad_signature("the signature algorithm is not ECDSA with SHA-256")
            key.verify(signature_value, signed_bytes, ec.ECDSA(hashes.SHA256()))
        elif algorithm.signature_algo == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature_value, signed_bytes, padding.PKCS1v15(), hashes.SHA256())
        else:
            raise _bad_signature("unsupported signature algorithm")
        others = [x509.load_der_x509_certificate(c.dump()) for c in certificates if c is not signer_asn1]
        signing_time = values.get("signing_time")
        return signer, others, signing_time.isoformat() if signing_time is not None else None
    except BundleRefused:
        raise
    except InvalidSignature:
        raise _bad_signature("the signature does not verify with the signer's certificate") from None
    except Exception:  # hostile DER: asn1crypto raises many kinds of errors; none may escape as a crash
        raise _bad_signature("manifest.p7s is not a readable CMS signature") from None


# --- writing ---------------------------------------------------------------------------------


@dataclass
class ExportResult:
    path: Path
    bundle_id: str
    size: int
    sha256: str
    manifest: Manifest


def file_name(office: OfficeProfile | None, office_id: str, period: str, revision: int) -> str:
    """``<agency>_<office id prefix>_<period>_r<revision>.crb``, safe on FAT32 / NTFS / ext4."""
    agency = (office.agency if office else "") or "office"
    agency = re.sub(r'[\x00-\x1f<>:"/\\|?*\u200e\u200f]+', "", agency).strip()
    agency = re.sub(r"\s+", "-", agency)[:60] or "office"
    safe_id = re.sub(r"[^0-9A-Za-z]", "", office_id)[:8] or "x"
    safe_period = re.sub(r"[^0-9A-Za-z]", "", period)[:8]
    return f"{agency}_{safe_id}_{safe_period}_r{revision}{SUFFIX}"


def build_bundle(
    report: Report,
    office: OfficeProfile | None,
    evidence: dict[str, bytes],
    signer: OfficeSigner,
    hq_id: str,
    age_recipient: str,
    pdf: bytes | None = None,
    progress: Progress | None = None,
    created_at: str | None = None,
) -> tuple[bytes, Manifest]:
    """The encrypted bundle bytes and its manifest. ``evidence`` maps SHA-256 → content for every file the report cites."""
    note = progress or (lambda done, total, stage: None)
    answers = answers_document.dumps(answers_document.to_document(report, office, None)).encode("utf-8")
    cited = sorted({ev.sha256 for section in report.sections.values() for ev in section.evidence})
    total = len(answers) + (len(pdf) if pdf else 0) + sum(len(evidence[s]) for s in cited)
    members: list[tuple[Member, bytes]] = [(Member(ANSWERS, "answers", hashlib.sha256(answers).hexdigest(), len(answers)), answers)]
    if pdf is not None:
        members.append((Member(PDF, "pdf", hashlib.sha256(pdf).hexdigest(), len(pdf)), pdf))
    done = len(answers)
    for sha in cited:
        data = evidence[sha]
        if hashlib.sha256(data).hexdigest() != sha:
            raise ExchangeError("evidence_damaged", f"stored evidence {sha} does not match its SHA-256", "یکی از فایل‌های مستند آسیب دیده است.")
        members.append((Member(EVIDENCE_PREFIX + sha, "evidence", sha, len(data)), data))
        done += len(data)
        note(done, total * 3, "hashing")
    manifest = Manifest(
        bundle_id=uuid.uuid4().hex,
        created_at=created_at or utc_now(),
        form_id=report.form_id,
        form_version=report.form_version,
        office_id=report.office_id,
        agency=office.agency if office and office.agency else report.office_id,
        report_id=report.id,
        period=report.period,
        revision=report.revision,
        hq_id=hq_id,
        age_recipient=age_recipient,
        members=tuple(m for m, _ in members),
    )
    manifest_bytes = manifest.dumps()
    signature = cms_sign(manifest_bytes, signer)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in ((MANIFEST, manifest_bytes), (SIGNATURE, signature)):
            archive.writestr(_zip_info(name, zipfile.ZIP_DEFLATED), data)
        for member, data in members:
            # JSON compresses well; PDFs and scans do not, so they are stored as they are
            archive.writestr(_zip_info(member.name, zipfile.ZIP_DEFLATED if member.role == "answers" else zipfile.ZIP_STORED), data)
            done += len(data)
            note(done, total * 3, "packing")
    try:
        encrypted = pyrage.encrypt(buffer.getvalue(), [pyrage.x25519.Recipient.from_str(age_recipient)])
    except (pyrage.RecipientError, pyrage.EncryptError, ValueError) as exc:
        raise ExchangeError("bad_recipient", f"cannot encrypt to headquarters' key: {exc}", "رمزگذاری برای کلید ستاد ممکن نشد.") from None
    note(total * 3, total * 3, "encrypted")
    return encrypted, manifest


def _zip_info(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, synced, then renamed."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        if hasattr(os, "O_DIRECTORY"):
            fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ExchangeError("write_failed", f"cannot write {path}: {exc.strerror or exc}", f"نوشتن فایل «{path}» ممکن نشد.") from None


def export_bundle(
    store,
    report_id: str,
    folder: str | Path,
    signer: OfficeSigner,
    profile: HQProfile,
    pdf: bytes | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the bundle of a signed report into ``folder`` (e.g. a USB drive) and record the export.

    ``store`` is the office's ``ReportStore``; ``signer`` the office key with the certificate
    headquarters issued; ``profile`` the imported headquarters profile (its recipient key);
    ``pdf`` the signed report PDF (default: the one kept when the report was signed). ``progress(done, total, stage)`` is called as
    work proceeds (for the UI's progress bar). The report itself is not changed: which revision was
    exported, when and to which file is recorded in ``bundle_export`` (see ``exports``).
    """
    report = store.load_report(report_id)
    if report.state == "draft":
        raise ExchangeError(
            "report_draft", f"report {report_id} is a draft: sign it before exporting a bundle", "گزارش هنوز پیش‌نویس است؛ ابتدا آن را امضا کنید."
        )
    if pdf is None:
        pdf = store.signed_pdf(report_id)  # kept when the report was signed (None for older databases)
    cert_office = office_id_of(signer.certificate)
    if cert_office != report.office_id:
        raise ExchangeError(
            "certificate_other_office",
            f"the signing certificate is for office {cert_office}, not for this report's office {report.office_id}",
            "گواهی امضا متعلق به دستگاه دیگری است.",
        )
    office = store.get_office(report.office_id)
    evidence = {ev.sha256: store.evidence_bytes(ev.sha256) for s in report.sections.values() for ev in s.evidence}
    data, manifest = build_bundle(report, office, evidence, signer, profile.hq_id, profile.age_recipient, pdf, progress)
    folder = Path(folder)
    if not folder.is_dir():
        raise ExchangeError("no_folder", f"{folder} is not a folder", f"پوشه «{folder}» وجود ندارد.")
    path = folder / file_name(office, report.office_id, report.period, report.revision)
    write_atomically(path, data)
    digest = hashlib.sha256(data).hexdigest()
    with store.database.transaction() as conn:
        conn.execute(
            "INSERT INTO bundle_export (bundle_id, report_id, revision, file_name, sha256, size, exported_at) VALUES (?,?,?,?,?,?,?)",
            (manifest.bundle_id, report.id, report.revision, path.name, digest, len(data), utc_now()),
        )
    return ExportResult(path, manifest.bundle_id, len(data), digest, manifest)


def exports(database, report_id: str) -> list[dict[str, Any]]:
    """Which revisions of a report were exported, when, and to which file name (newest first)."""
    keys = ("bundle_id", "revision", "file_name", "sha256", "size", "exported_at")
    rows = database.conn.execute(
        f"SELECT {', '.join(keys)} FROM bundle_export WHERE report_id=? ORDER BY exported_at DESC", (report_id,)
    ).fetchall()
    return [dict(zip(keys, row)) for row in rows]


# --- reading (hostile input) -----------------------------------------------------------------


@dataclass
class OpenedBundle:
    manifest: Manifest
    manifest_bytes: bytes
    signature: bytes
    members: dict[str, bytes]
    signer: x509.Certificate
    certificates: list[x509.Certificate]
    signing_time: str | None


def decrypt(data: bytes, identity: pyrage.x25519.Identity, limits: Limits = Limits()) -> bytes:
    if len(data) > limits.max_file_bytes:
        raise refused("too_large", f"the file is {len(data)} bytes; a bundle may be at most {limits.max_file_bytes}", "حجم فایل بیش از حد مجاز است.")
    try:
        return pyrage.decrypt(data, [identity])
    except pyrage.DecryptError as exc:
        if "No matching keys" in str(exc):
            raise refused(
                "wrong_recipient",
                "the bundle is not encrypted to this headquarters' key (made for another headquarters, or its header is damaged)",
                "این بسته برای کلید این ستاد رمزگذاری نشده است (برای ستاد دیگری ساخته شده یا آسیب دیده است).",
            ) from None
        raise refused(
            "decrypt_failed",
            f"the bundle cannot be decrypted: it is damaged or was changed after it was made ({exc})",
            "بسته قابل رمزگشایی نیست: آسیب دیده یا پس از ساخت تغییر کرده است.",
        ) from None


def read_archive(plain: bytes, limits: Limits = Limits()) -> dict[str, bytes]:
    """The members of the zip, bounded (count, sizes, compression ratio); names checked, never used as paths."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(plain))
        infos = archive.infolist()
    except Exception:  # hostile bytes: zipfile raises several kinds of errors
        raise refused("bad_archive", "the decrypted bundle is not a valid zip archive", "محتوای بسته یک بایگانی zip معتبر نیست.") from None
    if len(infos) > limits.max_members:
        raise refused("too_many_members", f"the bundle has {len(infos)} members; at most {limits.max_members} are allowed", "تعداد فایل‌های بسته بیش از حد مجاز است.")
    names: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name not in (MANIFEST, SIGNATURE) and not _MEMBER.match(name):
            raise refused(
                "bad_member_name",
                f"member name {name[:100]!r} is not allowed in a bundle (only manifest.json, manifest.p7s, answers.json, report.pdf, evidence/<sha256>)",
                "نام یکی از فایل‌های بسته مجاز نیست.",
            )
        if name in names:
            raise refused("duplicate_member", f"member {name} appears twice in the archive", "یکی از فایل‌های بسته دو بار آمده است.")
        names.add(name)
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refused("bad_member_encoding", f"member {name} is zip-encrypted or uses an unsupported compression", "فشرده‌سازی یکی از فایل‌ها پشتیبانی نمی‌شود.")
        limit = limits.max_manifest_bytes if name == MANIFEST else limits.max_signature_bytes if name == SIGNATURE else limits.max_member_bytes
        if info.file_size > limit:
            raise refused("member_too_large", f"member {name} is {info.file_size} bytes; the limit is {limit}", "حجم یکی از فایل‌های بسته بیش از حد مجاز است.")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise refused("bundle_too_large", f"the members total more than {limits.max_total_bytes} bytes", "حجم کل محتوای بسته بیش از حد مجاز است.")
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise refused(
                "compression_ratio",
                f"member {name} expands {info.file_size // max(info.compress_size, 1)}-fold; at most {limits.max_ratio}-fold is allowed (zip bomb)",
                "نسبت فشرده‌سازی یکی از فایل‌ها غیرعادی است (بمب zip).",
            )
    members: dict[str, bytes] = {}
    for info in infos:
        try:
            with archive.open(info) as handle:
                data = handle.read(info.file_size + 1)  # never more than declared (+1 to notice a lie)
        except Exception:  # CRC mismatch, bad deflate stream, inconsistent headers
            raise refused("bad_member", f"member {info.filename} cannot be read from the archive", "یکی از فایل‌های بسته قابل خواندن نیست.") from None
        if len(data) != info.file_size:
            raise refused("bad_member", f"member {info.filename} is not the size the archive declares", "اندازه یکی از فایل‌های بسته نادرست است.")
        members[info.filename] = data
    return members


def open_bundle(data: bytes, identity: pyrage.x25519.Identity, limits: Limits = Limits()) -> OpenedBundle:
    """Decrypt and check a bundle's integrity: archive bounds, the signature over the manifest, every member's size and hash."""
    members = read_archive(decrypt(data, identity, limits), limits)
    for required in (MANIFEST, SIGNATURE):
        if required not in members:
            raise refused("missing_member", f"the bundle has no {required}", f"فایل {required} در بسته نیست.")
    manifest_bytes, signature = members.pop(MANIFEST), members.pop(SIGNATURE)
    signer, certificates, signing_time = cms_verify(manifest_bytes, signature)
    try:
        manifest = parse_manifest(manifest_bytes)
    except ManifestError as exc:
        raise refused("bad_manifest", f"manifest.json is not valid: {exc}", "فهرست محتویات بسته معتبر نیست.") from None
    listed = {m.name for m in manifest.members}
    for name in sorted(listed - set(members)):
        raise refused("missing_member", f"member {name} listed in the manifest is missing from the bundle", "یکی از فایل‌های فهرست‌شده در بسته نیست.")
    for name in sorted(set(members) - listed):
        raise refused("extra_member", f"member {name} is in the bundle but not listed in the manifest", "بسته فایلی دارد که در فهرست محتویات نیامده است.")
    for member in manifest.members:
        content = members[member.name]
        if len(content) != member.size:
            raise refused("member_size", f"member {member.name} is {len(content)} bytes, the manifest says {member.size}", "اندازه یکی از فایل‌ها با فهرست محتویات یکسان نیست.")
        if hashlib.sha256(content).hexdigest() != member.sha256:
            raise refused("member_hash", f"member {member.name} does not match its SHA-256 in the manifest", "محتوای یکی از فایل‌ها با فهرست محتویات یکسان نیست.")
    return OpenedBundle(manifest, manifest_bytes, signature, members, signer, certificates, signing_time)
