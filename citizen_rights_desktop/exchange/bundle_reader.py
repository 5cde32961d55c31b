"""Opening a bundle at headquarters: the hostile-input side. It decrypts, bounds the archive from
its own records before zipfile reads it, verifies the manifest's signature before inflating any
other member, inflates only the members that manifest lists (each checked against it as it
streams), and never uses a name from the bundle as a file path."""

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
    SIGNATURE,
    Limits,
    Manifest,
    ManifestError,
    parse_manifest,
    refused,
)
from citizen_rights_desktop.exchange.zip_limits import Entry, agree, read_directory


@dataclass
class OpenedBundle:
    manifest: Manifest
    manifest_bytes: bytes
    signature: bytes
    members: dict[str, bytes]
    signer: x509.Certificate
    certificates: list[x509.Certificate]
    signing_time: str | None


def _check_file_size(data: bytes, limits: Limits) -> None:
    if len(data) > limits.max_file_bytes:
        raise refused("too_large", f"the file is {len(data)} bytes; a bundle may be at most {limits.max_file_bytes}", "حجم فایل بیش از حد مجاز است.")


def _decrypt_refusal(exc: Exception):
    if "No matching keys" in str(exc):
        return refused(
            "wrong_recipient",
            "the bundle is not encrypted to this headquarters' key (made for another headquarters, or its header is damaged)",
            "این بسته برای کلید این ستاد رمزگذاری نشده است (برای ستاد دیگری ساخته شده یا آسیب دیده است).",
        )
    return refused(
        "decrypt_failed",
        f"the bundle cannot be decrypted: it is damaged or was changed after it was made ({exc})",
        "بسته قابل رمزگشایی نیست: آسیب دیده یا پس از ساخت تغییر کرده است.",
    )


def decrypt(data: bytes, identity: pyrage.x25519.Identity, limits: Limits = Limits()) -> bytes:
    _check_file_size(data, limits)
    try:
        return pyrage.decrypt(data, [identity])
    except pyrage.DecryptError as exc:
        raise _decrypt_refusal(exc) from None


class _Sink(io.RawIOBase):
    """Where age writes the plaintext, chunk by chunk, into one growing buffer."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:
        self.buffer += chunk
        return len(chunk)


class _Plaintext(io.RawIOBase):
    """The decrypted buffer as a read-only file for zipfile (io.BytesIO would copy a bytearray)."""

    def __init__(self, buffer: bytearray) -> None:
        self._view = memoryview(buffer)
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        position = offset + (0, self._position, len(self._view))[whence]
        if position < 0:
            raise OSError("seek before the start of the data")
        self._position = position
        return position

    def readinto(self, target) -> int:
        chunk = self._view[self._position : self._position + len(target)]
        target[: len(chunk)] = chunk
        self._position += len(chunk)
        return len(chunk)


def _decrypt_streamed(data: bytes, identity: pyrage.x25519.Identity, limits: Limits) -> bytearray:
    """``decrypt`` for ``open_bundle``: the same checks and refusals, but age streams into a single
    buffer, where ``pyrage.decrypt`` holds the plaintext twice while returning it (1.4 GB on top of
    the file for a 700 MB bundle)."""
    _check_file_size(data, limits)
    sink = _Sink()
    try:
        pyrage.decrypt_io(io.BytesIO(data), sink, [identity])
    except Exception as exc:  # DecryptError for the header, OSError for a damaged payload chunk
        raise _decrypt_refusal(exc) from None
    return sink.buffer


_CHUNK = 256 * 1024  # bytes inflated per read: what one member may hold in flight beyond its content


def _open_archive(plain: bytes | bytearray, limits: Limits) -> tuple[zipfile.ZipFile, dict[str, Entry], dict[str, zipfile.ZipInfo]]:
    """The zip bounded from its own records first (``zip_limits``), and only then opened with zipfile."""
    entries = read_directory(plain, limits)
    try:
        archive = zipfile.ZipFile(_Plaintext(plain) if isinstance(plain, bytearray) else io.BytesIO(plain))
        infos = archive.infolist()
    except Exception:  # hostile bytes: zipfile raises several kinds of errors
        raise refused("bad_archive", "the decrypted bundle is not a valid zip archive", "محتوای بسته یک بایگانی zip معتبر نیست.") from None
    return archive, entries, agree(infos, entries)


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int, sha256: str | None = None) -> bytes:
    """One member, inflated in bounded chunks: never more than ``size`` + 1 bytes are read, whatever
    its headers say, and its SHA-256 (when given) is computed as the bytes arrive."""
    digest = hashlib.sha256()
    chunks: list[bytes] = []
    read = 0
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(min(_CHUNK, size + 1 - read)):
                read += len(chunk)
                if read > size:
                    break
                digest.update(chunk)
                chunks.append(chunk)
    except Exception:  # CRC mismatch, bad deflate stream, inconsistent headers
        raise refused("bad_member", f"member {info.filename} cannot be read from the archive", "یکی از فایل‌های بسته قابل خواندن نیست.") from None
    if read != size:
        found = f"more than {size}" if read > size else f"only {read}"
        raise refused("member_size", f"member {info.filename} inflates to {found} bytes; {size} were expected", "اندازه یکی از فایل‌ها با فهرست محتویات یکسان نیست.")
    if sha256 is not None and digest.hexdigest() != sha256:
        raise refused("member_hash", f"member {info.filename} does not match its SHA-256 in the manifest", "محتوای یکی از فایل‌ها با فهرست محتویات یکسان نیست.")
    return b"".join(chunks)


def read_archive(plain: bytes, limits: Limits = Limits()) -> dict[str, bytes]:
    """Every member of the zip, for callers without a manifest: bounded (count, sizes, compression
    ratio, overlap) from the zip's own records before zipfile parses it; names checked, never used
    as paths. ``open_bundle`` does not use it: it inflates only what the signed manifest lists."""
    archive, entries, infos = _open_archive(plain, limits)
    with archive:
        return {name: _inflate(archive, infos[name], entry.size) for name, entry in entries.items()}


def open_bundle(data: bytes, identity: pyrage.x25519.Identity, limits: Limits = Limits()) -> OpenedBundle:
    """Decrypt and check a bundle, each check before the work it protects (docs/bundle-format.md):
    the archive's bounds from its own records; then manifest.json and manifest.p7s alone, the
    signature verified; then only the members that manifest lists, each streamed against its
    listed size and SHA-256. A member the manifest does not list is refused without being inflated."""
    archive, entries, infos = _open_archive(_decrypt_streamed(data, identity, limits), limits)
    with archive:
        for required in (MANIFEST, SIGNATURE):
            if required not in entries:
                raise refused("missing_member", f"the bundle has no {required}", f"فایل {required} در بسته نیست.")
        manifest_bytes = _inflate(archive, infos[MANIFEST], entries[MANIFEST].size)
        signature = _inflate(archive, infos[SIGNATURE], entries[SIGNATURE].size)
        signer, certificates, signing_time = cms_verify(manifest_bytes, signature)
        try:
            manifest = parse_manifest(manifest_bytes)
        except ManifestError as exc:
            raise refused("bad_manifest", f"manifest.json is not valid: {exc}", "فهرست محتویات بسته معتبر نیست.") from None
        listed = {m.name for m in manifest.members}
        present = set(entries) - {MANIFEST, SIGNATURE}
        for name in sorted(listed - present):
            raise refused("missing_member", f"member {name} listed in the manifest is missing from the bundle", "یکی از فایل‌های فهرست‌شده در بسته نیست.")
        for name in sorted(present - listed):
            raise refused("extra_member", f"member {name} is in the bundle but not listed in the manifest", "بسته فایلی دارد که در فهرست محتویات نیامده است.")
        for member in manifest.members:  # declared sizes first: a mismatch is refused before anything is inflated
            if entries[member.name].size != member.size:
                raise refused(
                    "member_size",
                    f"member {member.name} is {entries[member.name].size} bytes in the archive, the manifest says {member.size}",
                    "اندازه یکی از فایل‌ها با فهرست محتویات یکسان نیست.",
                )
        members = {m.name: _inflate(archive, infos[m.name], m.size, m.sha256) for m in manifest.members}
    return OpenedBundle(manifest, manifest_bytes, signature, members, signer, certificates, signing_time)
