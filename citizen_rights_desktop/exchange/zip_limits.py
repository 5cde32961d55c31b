"""The bundle's zip, bounded from its own records before ``zipfile`` may look at it.

``zipfile`` builds one ``ZipInfo`` per central directory entry and trusts the directory's size
rather than its declared count, so a 690 MB directory of 15 million entries cost 93 s and 7 GB
before any limit could be applied. Here the end records (classic and ZIP64) are read with
``struct``: the declared count, the directory's size and offset are checked against ``Limits`` and
against each other, then each of at most ``max_members`` entries is read for its name, encoding,
declared sizes, compression ratio and where its data lies. Only an archive that passes is handed
to ``zipfile``, and ``agree`` then makes sure zipfile reads the same entries (no parser
differential to hide a member behind).

The archive is read only through ``len``, slices and ``rfind``, so it may be ``bytes``, a
``bytearray``, an ``mmap`` or a ``FileView`` of a seekable file: headquarters decrypts a bundle
file into a temporary file and checks it there, reading only its end records, its directory and
one local header per entry, never the whole plaintext into memory.
"""

from __future__ import annotations

import io
import mmap
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from zipfile import ZipInfo

from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.exchange.manifest import MANIFEST, MEMBER_NAME, SIGNATURE, Limits, refused

# APPNOTE.TXT 4.3.7 (local header), 4.3.12 (directory entry), 4.3.14-16 (end records)
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_END64 = struct.Struct("<4sQ2H2L4Q")
_LOCATOR64 = struct.Struct("<4sLQL")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
_END64_SIG, _LOCATOR64_SIG = b"PK\x06\x06", b"PK\x06\x07"
_COMMENT_WINDOW = 1 << 16  # how far back zipfile looks for the end record

STORED, DEFLATED = 0, 8
_ENCRYPTED, _PATCHED, _STRONG_ENCRYPTION = 0x1, 0x20, 0x40

# The longest allowed name is evidence/ + 64 hex digits; writers may add a few extra fields
# (timestamps, Unix ids) but never kilobytes: a directory bigger than its entries can need is refused.
MAX_NAME = 80
MAX_ENTRY_EXTRA = 1024  # extra field + comment of one entry
MAX_ENTRY = _CENTRAL.size + MAX_NAME + MAX_ENTRY_EXTRA

_FA_STRUCTURE = "ساختار بایگانی zip بسته نادرست است."


class FileView:
    """A seekable binary file seen as read-only bytes: its length, slices and ``rfind``, which is
    all ``read_directory`` uses. Each slice is one seek and one read, so checking a 700 MB
    plaintext costs a few kilobytes of memory instead of the file."""

    def __init__(self, handle: io.BufferedIOBase | io.RawIOBase) -> None:
        self._handle = handle
        self._size = handle.seek(0, io.SEEK_END)

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, key: slice) -> bytes:
        start, stop, step = key.indices(self._size)
        if step != 1:
            raise ValueError("a FileView is read in contiguous slices only")
        if stop <= start:
            return b""
        self._handle.seek(start)
        return self._handle.read(stop - start)

    def rfind(self, sub: bytes, start: int = 0) -> int:
        """Reads from ``start`` to the end: ``read_directory`` only searches the last 64 KiB."""
        start = max(start, 0)
        found = self[start:].rfind(sub)
        return found + start if found >= 0 else -1


Plain = bytes | bytearray | mmap.mmap | FileView  # the decrypted zip, in memory or in a file


def _at(plain: Plain, position: int, signature: bytes) -> bool:
    """``plain.startswith(signature, position)``, which neither an mmap nor a FileView has."""
    return plain[position : position + len(signature)] == signature


def _unpack(record: struct.Struct, plain: Plain, position: int) -> tuple:
    """``record.unpack_from`` through a slice (a FileView has no buffer to unpack from in place);
    every caller has checked that the record lies inside ``plain``."""
    return record.unpack(plain[position : position + record.size])


@dataclass(frozen=True)
class Entry:
    """One central directory entry as declared, with where its compressed data lies."""

    name: str
    method: int
    flags: int
    compressed: int
    size: int
    offset: int  # of the local header
    data_start: int

    @property
    def data_end(self) -> int:
        return self.data_start + self.compressed


def _bad(reason: str, fa: str = _FA_STRUCTURE) -> BundleRefused:
    return refused("bad_archive", f"the decrypted bundle is not an acceptable zip archive: {reason}", fa)


def _end_record_position(plain: Plain) -> int:
    """Where the end of central directory record starts, found as zipfile finds it (a comment-less
    record at the very end first, else the last signature in the final 64 KiB), and refused unless
    its comment then ends exactly at the end of the data."""
    if len(plain) < _END.size:
        raise _bad("it is too short to hold a zip end record", "محتوای بسته یک بایگانی zip معتبر نیست.")
    position = len(plain) - _END.size
    if not (_at(plain, position, _END_SIG) and plain[len(plain) - 2 :] == b"\0\0"):
        position = plain.rfind(_END_SIG, max(len(plain) - _COMMENT_WINDOW - _END.size, 0))
        if position < 0 or position + _END.size > len(plain):
            raise _bad("it has no zip end record", "محتوای بسته یک بایگانی zip معتبر نیست.")
    if position + _END.size + _unpack(_END, plain, position)[7] != len(plain):
        raise _bad("its end record's comment does not end where the data ends")
    return position


def _directory_bounds(plain: Plain) -> tuple[int, int, int, int]:
    """(declared entries, directory size, directory offset, where the directory must end)."""
    end = _end_record_position(plain)
    _, disk, directory_disk, on_disk, entries, size, offset, _ = _unpack(_END, plain, end)
    directory_end = end
    locator = end - _LOCATOR64.size
    if locator >= 0 and _at(plain, locator, _LOCATOR64_SIG):
        _, record_disk, record_offset, disks = _unpack(_LOCATOR64, plain, locator)
        record = locator - _END64.size
        # zipfile reads the ZIP64 record right before the locator whatever the locator says:
        # both must agree, and the record must have no extensible data zipfile would misread.
        if record_disk != 0 or disks > 1:
            raise _bad("it spans several disks", "بایگانی zip چندبخشی پذیرفته نمی‌شود.")
        if record < 0 or record_offset != record or not _at(plain, record, _END64_SIG):
            raise _bad("its ZIP64 end record is not where its locator points")
        _, record_size, _, _, disk, directory_disk, on_disk, entries, size, offset = _unpack(_END64, plain, record)
        if record_size != _END64.size - 12:
            raise _bad("its ZIP64 end record carries extensible data")
        directory_end = record
    if disk != 0 or directory_disk != 0 or on_disk != entries:
        raise _bad("it spans several disks", "بایگانی zip چندبخشی پذیرفته نمی‌شود.")
    return entries, size, offset, directory_end


def _check_directory_size(entries: int, size: int, offset: int, directory_end: int, limits: Limits) -> None:
    if entries > limits.max_members:
        raise refused(
            "too_many_members",
            f"the bundle's zip declares {entries} members; at most {limits.max_members} are allowed",
            "تعداد فایل‌های بسته بیش از حد مجاز است.",
        )
    if size > entries * MAX_ENTRY:
        raise _bad(
            f"its central directory is {size} bytes, more than its {entries} entries can need ({entries * MAX_ENTRY})",
            "فهرست مرکزی بایگانی zip بزرگ‌تر از آن است که تعداد فایل‌هایش اجازه می‌دهد.",
        )
    if size < entries * _CENTRAL.size:
        raise _bad(f"its central directory is {size} bytes, too small for its {entries} entries")
    if offset + size != directory_end:
        # also refuses data before the archive: zipfile would shift every offset by it ("concat")
        raise _bad(f"its central directory (offset {offset}, {size} bytes) does not end where the end record begins ({directory_end})")


def _name(raw: bytes, names: re.Pattern | None = None) -> str:
    """The member's name: a bundle's (or, with ``names``, one that pattern allows: a forwarding file's)."""
    text = raw.decode("ascii", "replace")
    allowed = names.fullmatch(text) if names is not None else text in (MANIFEST, SIGNATURE) or MEMBER_NAME.fullmatch(text)
    if len(raw) > MAX_NAME or not raw.isascii() or not allowed:
        raise refused(
            "bad_member_name",
            f"member name {text[:100]!r} is not allowed in a bundle (only manifest.json, manifest.p7s, answers.json, report.pdf, evidence/<sha256>)",
            "نام یکی از فایل‌های بسته مجاز نیست.",
        )
    return text


def _check_sizes(name: str, method: int, flags: int, compressed: int, size: int, limits: Limits) -> None:
    if flags & (_ENCRYPTED | _PATCHED | _STRONG_ENCRYPTION) or method not in (STORED, DEFLATED):
        raise refused("bad_member_encoding", f"member {name} is zip-encrypted or uses an unsupported compression", "فشرده‌سازی یکی از فایل‌ها پشتیبانی نمی‌شود.")
    limit = limits.max_manifest_bytes if name == MANIFEST else limits.max_signature_bytes if name == SIGNATURE else limits.max_member_bytes
    if size > limit:
        raise refused("member_too_large", f"member {name} is {size} bytes; the limit is {limit}", "حجم یکی از فایل‌های بسته بیش از حد مجاز است.")
    if size > limits.ratio_floor and size > limits.max_ratio * max(compressed, 1):
        raise refused(
            "compression_ratio",
            f"member {name} expands {size // max(compressed, 1)}-fold; at most {limits.max_ratio}-fold is allowed (zip bomb)",
            "نسبت فشرده‌سازی یکی از فایل‌ها غیرعادی است (بمب zip).",
        )
    if method == STORED and compressed != size:
        raise _bad(f"member {name} is stored but declares {compressed} bytes stored and {size} bytes of content")


def _local_data_start(plain: Plain, name: str, raw_name: bytes, offset: int, directory_offset: int) -> int:
    """Where a member's data starts, from its local header (as zipfile computes it)."""
    if offset + _LOCAL.size > directory_offset:
        raise _bad(f"member {name}'s local header (offset {offset}) lies outside the members' data")
    fields = _unpack(_LOCAL, plain, offset)
    name_end = offset + _LOCAL.size + fields[10]
    if fields[0] != _LOCAL_SIG or plain[offset + _LOCAL.size : name_end] != raw_name:
        raise _bad(f"member {name}'s local header does not match its central directory entry")
    return name_end + fields[11]


def read_directory(plain: Plain, limits: Limits, names: re.Pattern | None = None) -> dict[str, Entry]:
    """The entries of the zip in ``plain`` (bytes, bytearray, mmap or ``FileView``), in directory
    order, or ``BundleRefused``.

    Checked in this order, each before anything that depends on it is read: the end records
    (single disk, comment ending the data, ZIP64 record where its locator says); the declared count
    against ``limits.max_members``; the directory's size against what that count can need and its
    offset against where the end records begin; then per entry its name, uniqueness, encoding,
    declared sizes (per member, in total, compression ratio); and last where its data lies: inside
    the members' area and overlapping no other member's.
    """
    count, size, offset, directory_end = _directory_bounds(plain)
    _check_directory_size(count, size, offset, directory_end, limits)
    entries: dict[str, Entry] = {}
    total = 0
    position = offset
    for _ in range(count):
        if position + _CENTRAL.size > directory_end or not _at(plain, position, _CENTRAL_SIG):
            raise _bad("its central directory holds fewer entries than it declares")
        fields = _unpack(_CENTRAL, plain, position)
        flags, method, compressed, member_size = fields[5], fields[6], fields[10], fields[11]
        name_length, extra_length, comment_length, header_offset = fields[12], fields[13], fields[14], fields[18]
        name_start = position + _CENTRAL.size
        position = name_start + name_length + extra_length + comment_length
        if extra_length + comment_length > MAX_ENTRY_EXTRA or position > directory_end:
            raise _bad("a central directory entry is longer than allowed or runs past the directory")
        raw_name = plain[name_start : name_start + name_length]
        name = _name(raw_name, names)
        if name in entries:
            raise refused("duplicate_member", f"member {name} appears twice in the archive", "یکی از فایل‌های بسته دو بار آمده است.")
        _check_sizes(name, method, flags, compressed, member_size, limits)
        total += member_size
        if total > limits.max_total_bytes:
            raise refused("bundle_too_large", f"the members total more than {limits.max_total_bytes} bytes", "حجم کل محتوای بسته بیش از حد مجاز است.")
        data_start = _local_data_start(plain, name, raw_name, header_offset, offset)
        if data_start + compressed > offset:
            raise _bad(f"member {name}'s data ({compressed} bytes from offset {data_start}) runs past the members' area")
        entries[name] = Entry(name, method, flags, compressed, member_size, header_offset, data_start)
    if position != directory_end:
        raise _bad("its central directory holds more than its declared entries")
    _check_overlaps(sorted(entries.values(), key=lambda e: e.offset))
    return entries


def _check_overlaps(by_offset: Sequence[Entry]) -> None:
    """Members whose bytes overlap would let a small file stand for a huge one (each byte inflated
    as part of many members), so every member's header and data must precede the next one's."""
    for before, after in zip(by_offset, by_offset[1:]):
        if before.data_end > after.offset:
            raise _bad(f"members {before.name} and {after.name} overlap in the archive", "فایل‌های درون بایگانی zip روی هم افتاده‌اند (بمب zip).")


def agree(infos: Sequence[ZipInfo], entries: dict[str, Entry]) -> dict[str, ZipInfo]:
    """zipfile's reading of the directory, refused unless it is the one ``read_directory`` checked."""
    if len(infos) != len(entries):
        raise _bad(f"zipfile reads {len(infos)} entries where the directory declares {len(entries)}")
    by_name: dict[str, ZipInfo] = {}
    for info, entry in zip(infos, entries.values()):
        read = (info.filename, info.compress_type, info.flag_bits, info.compress_size, info.file_size, info.header_offset)
        if read != (entry.name, entry.method, entry.flags, entry.compressed, entry.size, entry.offset):
            raise _bad(f"zipfile reads entry {entry.name} differently from its declaration")
        by_name[entry.name] = info
    return by_name
