"""Opening a bundle at headquarters: the hostile-input side. It decrypts, bounds the archive from
its own records before zipfile reads it, verifies the manifest's signature before inflating any
other member, lets the caller decide whether it trusts the signer before any listed member is
inflated (``before_members``), inflates only the members that manifest lists (each checked against
it as it streams), and never uses a name from the bundle as a file path.

Two ways in: ``open_bundle`` for a bundle already in memory (every member is kept), and
``open_bundle_file`` for a file, which decrypts into a private temporary file and keeps only the
answers and the PDF in memory: evidence is checked as it streams and read again one member at a
time (``OpenedBundle.read_member``) when it is stored, so a 700 MB file never costs 700 MB.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyrage
from cryptography import x509

from citizen_rights_desktop.exchange.cms import cms_verify
from citizen_rights_desktop.exchange.manifest import (
    EVIDENCE_PREFIX,
    MANIFEST,
    SIGNATURE,
    Limits,
    Manifest,
    ManifestError,
    parse_manifest,
    refused,
)
from citizen_rights_desktop.exchange.zip_limits import Entry, FileView, agree, read_directory

# Called with (manifest, signer, certificates) once the signature is verified, the manifest parsed
# and the members' names and declared sizes checked, before any listed member is inflated: it
# raises ``BundleRefused`` to refuse, so an untrusted signer never costs the inflation of its members.
BeforeMembers = Callable[[Manifest, x509.Certificate, list[x509.Certificate]], None]


@dataclass
class OpenedBundle:
    """A verified bundle. ``members`` holds the members kept in memory: all of them from
    ``open_bundle``; answers.json and report.pdf from ``open_bundle_file``, whose evidence is read
    with ``read_member`` while the file is open."""

    manifest: Manifest
    manifest_bytes: bytes
    signature: bytes
    members: dict[str, bytes]
    signer: x509.Certificate
    certificates: list[x509.Certificate]
    signing_time: str | None
    _archive: zipfile.ZipFile | None = field(default=None, repr=False, compare=False)
    _infos: dict[str, zipfile.ZipInfo] = field(default_factory=dict, repr=False, compare=False)

    def read_member(self, name: str) -> bytes | bytearray:
        """A listed member's content: from ``members`` when it is kept, else inflated now from the
        open archive with the same checks as when the bundle was opened (at most its listed size,
        its SHA-256), so nothing unverified is ever returned. ``KeyError`` for a name the manifest
        does not list or once the file is closed."""
        if name in self.members:
            return self.members[name]
        member = self.manifest.member(name)
        if member is None or self._archive is None:
            raise KeyError(name)
        return _inflate(self._archive, self._infos[name], member.size, member.sha256)


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


class _CappedReader(io.RawIOBase):
    """The encrypted file as age reads it: at most ``limit`` bytes (a file that grows while it is
    read is cut short, and refused as too large), and a read error kept apart from a decryption error."""

    def __init__(self, source: BinaryIO, limit: int) -> None:
        self._source = source
        self._left = limit
        self.exceeded = False
        self.error: OSError | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        try:
            count = self._source.readinto(target)
        except OSError as exc:
            self.error = exc
            raise
        if count > self._left:
            self.exceeded = True
            return 0  # age then sees a truncated file and stops
        self._left -= count
        return count


class _FileSink(io.RawIOBase):
    """Where age writes the plaintext: the temporary file, a write error (a full disk) kept apart
    from a decryption error, since it is no fault of the bundle."""

    def __init__(self, target: BinaryIO) -> None:
        self._target = target
        self.error: OSError | None = None

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:
        try:
            return self._target.write(chunk)
        except OSError as exc:
            self.error = exc
            raise


def _decrypt_to_file(source: BinaryIO, target: BinaryIO, identity: pyrage.x25519.Identity, limits: Limits) -> None:
    """``decrypt`` from an open file into an open file: the same refusals, with nothing of either
    held in memory beyond age's 64 KiB chunk."""
    reader, sink = _CappedReader(source, limits.max_file_bytes), _FileSink(target)
    try:
        pyrage.decrypt_io(reader, sink, [identity])
    except Exception as exc:  # DecryptError for the header, OSError for a damaged payload chunk
        if sink.error is not None:
            raise sink.error from None
        if reader.error is not None:
            raise refused("unreadable", f"cannot read the file: {reader.error.strerror or reader.error}", "فایل قابل خواندن نیست.") from None
        if not reader.exceeded:
            raise _decrypt_refusal(exc) from None
    if reader.exceeded:
        raise refused("too_large", f"the file is more than {limits.max_file_bytes} bytes, the most a bundle may be", "حجم فایل بیش از حد مجاز است.")
    target.flush()


_CHUNK = 256 * 1024  # bytes inflated per read: what one member may hold in flight beyond its content


def _open_archive(plain: bytes | bytearray | BinaryIO, limits: Limits, names: re.Pattern | None = None) -> tuple[zipfile.ZipFile, dict[str, Entry], dict[str, zipfile.ZipInfo]]:
    """The zip bounded from its own records first (``zip_limits``), and only then opened with
    zipfile; ``plain`` is the decrypted zip in memory or a seekable file holding it."""
    in_memory = isinstance(plain, (bytes, bytearray))
    entries = read_directory(plain if in_memory else FileView(plain), limits, names)
    try:
        if in_memory:
            archive = zipfile.ZipFile(_Plaintext(plain) if isinstance(plain, bytearray) else io.BytesIO(plain))
        else:
            archive = zipfile.ZipFile(plain)
        infos = archive.infolist()
    except Exception:  # hostile bytes: zipfile raises several kinds of errors
        raise refused("bad_archive", "the decrypted bundle is not a valid zip archive", "محتوای بسته یک بایگانی zip معتبر نیست.") from None
    return archive, entries, agree(infos, entries)


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int, sha256: str | None = None, keep: bool = True) -> bytearray:
    """One member, inflated in bounded chunks: never more than ``size`` + 1 bytes are read, whatever
    its headers say, and its SHA-256 (when given) is computed as the bytes arrive. The content goes
    into one buffer of exactly ``size`` bytes (``size`` is bounded by ``Limits`` before any call),
    not into chunks and then their join: ``read_member`` hands that buffer to storage as it is, so
    an evidence file costs its size once. With ``keep=False`` the member is only checked."""
    digest = hashlib.sha256()
    buffer = bytearray(size if keep else 0)
    read = 0
    try:
        with archive.open(info) as handle, memoryview(buffer) as view:
            while chunk := handle.read(min(_CHUNK, size + 1 - read)):
                if read + len(chunk) > size:
                    read += len(chunk)
                    break
                digest.update(chunk)
                if keep:
                    view[read : read + len(chunk)] = chunk
                read += len(chunk)
    except Exception:  # CRC mismatch, bad deflate stream, inconsistent headers
        raise refused("bad_member", f"member {info.filename} cannot be read from the archive", "یکی از فایل‌های بسته قابل خواندن نیست.") from None
    if read != size:
        found = f"more than {size}" if read > size else f"only {read}"
        raise refused("member_size", f"member {info.filename} inflates to {found} bytes; {size} were expected", "اندازه یکی از فایل‌ها با فهرست محتویات یکسان نیست.")
    if sha256 is not None and digest.hexdigest() != sha256:
        raise refused("member_hash", f"member {info.filename} does not match its SHA-256 in the manifest", "محتوای یکی از فایل‌ها با فهرست محتویات یکسان نیست.")
    return buffer


def read_archive(plain: bytes, limits: Limits = Limits(), names: re.Pattern | None = None) -> dict[str, bytes]:
    """Every member of the zip, for callers without a manifest: bounded (count, sizes, compression
    ratio, overlap) from the zip's own records before zipfile parses it; names checked, never used
    as paths. ``open_bundle`` does not use it: it inflates only what the signed manifest lists."""
    archive, entries, infos = _open_archive(plain, limits, names)
    with archive:
        return {name: bytes(_inflate(archive, infos[name], entry.size)) for name, entry in entries.items()}


def _verified(
    archive: zipfile.ZipFile,
    entries: dict[str, Entry],
    infos: dict[str, zipfile.ZipInfo],
    before_members: BeforeMembers | None,
    keep: Callable[[str], bool],
) -> OpenedBundle:
    """The checks of docs/bundle-format.md, step 3, on an archive ``_open_archive`` bounded: the
    manifest and its signature alone, then the members' names and declared sizes, then
    ``before_members``, then every listed member streamed against its size and SHA-256; ``keep``
    says which of them stay in memory (the others are only checked)."""
    for required in (MANIFEST, SIGNATURE):
        if required not in entries:
            raise refused("missing_member", f"the bundle has no {required}", f"فایل {required} در بسته نیست.")
    manifest_bytes = bytes(_inflate(archive, infos[MANIFEST], entries[MANIFEST].size))
    signature = bytes(_inflate(archive, infos[SIGNATURE], entries[SIGNATURE].size))
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
    if before_members is not None:
        before_members(manifest, signer, certificates)
    members = {}
    for member in manifest.members:  # one at a time; a member not kept is freed before the next
        content = _inflate(archive, infos[member.name], member.size, member.sha256, keep=keep(member.name))
        if keep(member.name):
            members[member.name] = bytes(content)
        del content
    return OpenedBundle(manifest, manifest_bytes, signature, members, signer, certificates, signing_time, archive, infos)


def open_bundle(data: bytes, identity: pyrage.x25519.Identity, limits: Limits = Limits(), before_members: BeforeMembers | None = None) -> OpenedBundle:
    """Decrypt and check a bundle held in memory, each check before the work it protects
    (docs/bundle-format.md): the archive's bounds from its own records; then manifest.json and
    manifest.p7s alone, the signature verified; then the members' names and declared sizes (a
    member the manifest does not list is refused without being inflated); then ``before_members``
    (whether the caller trusts the signer); then only the members that manifest lists, each
    streamed against its listed size and SHA-256, all kept in ``members``."""
    archive, entries, infos = _open_archive(_decrypt_streamed(data, identity, limits), limits)
    with archive:
        opened = _verified(archive, entries, infos, before_members, keep=lambda name: True)
    opened._archive = None  # everything is in ``members``; the archive is closed
    return opened


def open_plain_bundle(plain: bytes, limits: Limits = Limits(), before_members: BeforeMembers | None = None) -> OpenedBundle:
    """``open_bundle`` for a bundle's archive already decrypted: one a provincial headquarters
    forwards inside its own encrypted, signed file (``hq.forward``). The same checks, the office's
    signature first."""
    archive, entries, infos = _open_archive(plain, limits)
    with archive:
        opened = _verified(archive, entries, infos, before_members, keep=lambda name: True)
    opened._archive = None
    return opened


def _kept_in_memory(name: str) -> bool:
    """What ``open_bundle_file`` keeps: everything but evidence (answers.json and report.pdf,
    each at most ``max_member_bytes``); evidence is read again one member at a time when stored."""
    return not name.startswith(EVIDENCE_PREFIX)


@contextlib.contextmanager
def open_bundle_file(
    source: BinaryIO,
    identity: pyrage.x25519.Identity,
    limits: Limits = Limits(),
    before_members: BeforeMembers | None = None,
    scratch: str | Path | None = None,
) -> Iterator[OpenedBundle]:
    """``open_bundle`` for an open encrypted file, without holding the file or its plaintext.

    age decrypts from ``source`` into a temporary file (mode 0600, in a private temporary folder
    under ``scratch`` or the system's temporary folder); the zip is bounded from that file and
    opened on it; then the same checks as ``open_bundle`` in the same order. Only answers.json and
    report.pdf stay in ``members``; evidence is checked as it streams, and ``read_member`` reads
    it again (checked again) while the block runs. The plaintext is as sensitive as the
    headquarters database, which holds the same answers and evidence in clear; it is closed and
    deleted when the block ends, however it ends (on POSIX it is unlinked as soon as it is made,
    so not even a crash leaves it behind)."""
    with contextlib.ExitStack() as cleanup:  # unwinds in a finally: archive, then file, then folder
        folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="crb-import-", dir=scratch))
        plain = cleanup.enter_context(tempfile.TemporaryFile(prefix="plain-", dir=folder))
        _decrypt_to_file(source, plain, identity, limits)
        archive, entries, infos = _open_archive(plain, limits)
        cleanup.enter_context(archive)
        opened = _verified(archive, entries, infos, before_members, keep=_kept_in_memory)
        try:
            yield opened
        finally:
            opened._archive = None  # a later read_member is a KeyError, not a read of a closed file
