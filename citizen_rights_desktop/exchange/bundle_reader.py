"""Opening a bundle at headquarters: the hostile-input side. It decrypts, bounds the archive,
checks every member against the manifest and the manifest against its signature, and never uses
a name from the bundle as a file path."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

import pyrage
from cryptography import x509

from citizen_rights_desktop.exchange.cms import cms_verify
from citizen_rights_desktop.exchange.manifest import (
    MANIFEST,
    MEMBER_NAME,
    SIGNATURE,
    Limits,
    Manifest,
    ManifestError,
    parse_manifest,
    refused,
)


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
        if name not in (MANIFEST, SIGNATURE) and not MEMBER_NAME.match(name):
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
