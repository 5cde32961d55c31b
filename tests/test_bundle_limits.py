"""Limits come before the work (issue 12, item 6): the zip's end records and central directory are
bounded before zipfile lists anything, the manifest signature is verified before any other member
is inflated, and hostile bytes only ever produce a ``BundleRefused``.

The zips here are made by hand, field by field, because the attacks are exactly the files no zip
writer produces: a count that lies, a directory bigger than its count, entries that overlap.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import struct
import zipfile
import zlib

import pyrage
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citizen_rights_desktop.exchange import bundle_reader
from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.exchange.manifest import Limits

# zip record layouts (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.14-16)
LOCAL = struct.Struct("<4s2B4HL2L2H")
CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
END = struct.Struct("<4s4H2LH")
END64 = struct.Struct("<4sQ2H2L4Q")
LOCATOR64 = struct.Struct("<4sLQL")
OFFSET_FIELD = 42  # local header offset inside a central directory entry
SIZE_FIELDS = 20  # compressed size, then uncompressed size


@pytest.fixture(scope="session")
def plain(w) -> bytes:
    """The decrypted zip of a real bundle made by the project's writer."""
    return pyrage.decrypt(w.build(), [w.hq.age_identity])


def encrypt(w, zip_bytes: bytes) -> bytes:
    return pyrage.encrypt(zip_bytes, [pyrage.x25519.Recipient.from_str(w.hq.age_recipient)])


def refusal(call) -> BundleRefused:
    """The refusal ``call`` raises; anything else (another exception, or none) fails the test."""
    with pytest.raises(BundleRefused) as info:
        call()
    error = info.value
    assert error.message_en and any("\u0600" <= c <= "\u06ff" for c in error.message_fa), (error.code, error.message_fa)
    return error


def end_record(zip_bytes: bytes) -> tuple[int, int, int]:
    """(entries, central directory size, its offset) from a comment-less classic end record."""
    _, _, _, _, entries, size, offset, _ = END.unpack_from(zip_bytes, len(zip_bytes) - END.size)
    return entries, size, offset


def classic_end(entries: int, size: int, offset: int) -> bytes:
    return END.pack(b"PK\x05\x06", 0, 0, entries, entries, size, offset, 0)


def zip64_end(entries: int, size: int, offset: int) -> bytes:
    """ZIP64 end record + locator + a classic end record that defers to them, placed right after
    the central directory (so zipfile's own arithmetic finds everything where it expects it)."""
    record = END64.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, size, offset)
    locator = LOCATOR64.pack(b"PK\x06\x07", 0, offset + size, 1)
    return record + locator + END.pack(b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)


def central_entry(name: bytes = b"", offset: int = 0, size: int = 0) -> bytes:
    return CENTRAL.pack(b"PK\x01\x02", 20, 0, 20, 0, 0, 0, 0, 0x21, 0, size, size, len(name), 0, 0, 0, 0, 0, offset) + name


def entry_positions(zip_bytes: bytes) -> dict[str, int]:
    """Where each member's central directory entry starts (a comment-less classic zip)."""
    entries, _, position = end_record(zip_bytes)
    found = {}
    for _ in range(entries):
        fields = CENTRAL.unpack_from(zip_bytes, position)
        name = zip_bytes[position + CENTRAL.size : position + CENTRAL.size + fields[12]].decode()
        found[name] = position
        position += CENTRAL.size + fields[12] + fields[13] + fields[14]
    return found


def data_span(zip_bytes: bytes, name: str) -> tuple[int, int]:
    """(start, length) of a member's compressed data."""
    info = zipfile.ZipFile(io.BytesIO(zip_bytes)).getinfo(name)
    fields = LOCAL.unpack_from(zip_bytes, info.header_offset)
    return info.header_offset + LOCAL.size + fields[10] + fields[11], info.compress_size


def corrupt(zip_bytes: bytes, name: str) -> bytes:
    """The same zip with the middle of ``name``'s compressed data overwritten: inflating it fails."""
    start, length = data_span(zip_bytes, name)
    damaged = bytearray(zip_bytes)
    middle = start + length // 2
    damaged[middle : middle + 64] = os.urandom(64)
    return bytes(damaged)


def zipped(members: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, compression in members:
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()


def members_of(zip_bytes: bytes) -> list[tuple[str, bytes, int]]:
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
    return [(i.filename, archive.read(i), i.compress_type) for i in archive.infolist()]


@contextlib.contextmanager
def zipfile_spy(monkeypatch):
    """Counts the ZipInfo objects zipfile builds and records which members are opened for reading."""
    seen = {"infos": 0, "opened": []}
    make_info, open_member = zipfile.ZipInfo.__init__, zipfile.ZipFile.open

    def counting_init(self, *args, **kwargs):
        seen["infos"] += 1
        make_info(self, *args, **kwargs)

    def recording_open(self, name, mode="r", *args, **kwargs):
        if mode == "r":
            seen["opened"].append(name.filename if isinstance(name, zipfile.ZipInfo) else name)
        return open_member(self, name, mode, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(zipfile.ZipInfo, "__init__", counting_init)
        patch.setattr(zipfile.ZipFile, "open", recording_open)
        yield seen


# --- counts and sizes from the end records, before zipfile lists anything -------------------


def test_fifteen_million_declared_entries_refused_from_the_end_record(w, plain, monkeypatch):
    """The ZIP64 end record claims 15,000,000 entries over a real (small) directory: refused on the
    count alone, without a member list being built."""
    _, size, offset = end_record(plain)
    lying = plain[: offset + size] + zip64_end(15_000_000, size, offset)
    data = encrypt(w, lying)
    with zipfile_spy(monkeypatch) as seen:
        error = refusal(lambda: bundle_reader.open_bundle(data, w.hq.age_identity))
        assert refusal(lambda: bundle_reader.read_archive(lying)).code == "too_many_members"
    assert error.code == "too_many_members" and "15000000" in error.message_en
    assert seen["infos"] == 0 and seen["opened"] == []


def test_a_real_directory_of_100000_entries_is_refused_unparsed(w, monkeypatch):
    """A real directory of 100,000 entries (what made the 15-million file cost 93 s and 6.95 GB):
    refused without one ZipInfo per entry."""
    count = 100_000
    directory = central_entry() * count
    zip_bytes = directory + zip64_end(count, len(directory), 0)
    data = encrypt(w, zip_bytes)
    with zipfile_spy(monkeypatch) as seen:
        error = refusal(lambda: bundle_reader.open_bundle(data, w.hq.age_identity))
    assert error.code == "too_many_members"
    assert seen["infos"] <= Limits().max_members, f"{seen['infos']} ZipInfo objects were built before the count was checked"


def test_a_directory_larger_than_its_count_allows_is_refused_unparsed(w, monkeypatch):
    """The classic end record says 5 entries; its directory holds 50,000 (zipfile reads them all,
    trusting the directory's size rather than its count)."""
    directory = central_entry() * 50_000
    zip_bytes = directory + classic_end(5, len(directory), 0)
    with zipfile_spy(monkeypatch) as seen:
        error = refusal(lambda: bundle_reader.read_archive(zip_bytes))
    assert error.code == "bad_archive" and "central directory" in error.message_en
    assert seen["infos"] <= Limits().max_members


def test_a_member_header_outside_the_data_is_refused_before_reading(w, plain):
    position = entry_positions(plain)["answers.json"]
    moved = bytearray(plain)
    struct.pack_into("<L", moved, position + OFFSET_FIELD, len(plain) + 1000)
    error = refusal(lambda: bundle_reader.open_bundle(encrypt(w, bytes(moved)), w.hq.age_identity))
    assert error.code == "bad_archive" and "answers.json" in error.message_en


def test_a_member_whose_data_runs_into_the_directory_is_refused(w, plain):
    position = entry_positions(plain)["answers.json"]
    longer = bytearray(plain)
    compressed, size = struct.unpack_from("<2L", longer, position + SIZE_FIELDS)
    struct.pack_into("<L", longer, position + SIZE_FIELDS, compressed + len(plain))
    error = refusal(lambda: bundle_reader.read_archive(bytes(longer)))
    assert error.code == "bad_archive"


def test_overlapping_members_are_refused(w, plain):
    """A stored member whose data holds another member's local header (the overlapping-entries zip
    bomb): both are listed in the directory, so each byte would be read twice."""
    inner = b"hidden inside the first member"
    inner_name = ("evidence/" + hashlib.sha256(inner).hexdigest()).encode()
    inner_local = LOCAL.pack(b"PK\x03\x04", 20, 0, 0, 0, 0, 0x21, zlib.crc32(inner), len(inner), len(inner), len(inner_name), 0)
    inner_local += inner_name + inner
    outer = zipped([("evidence/" + hashlib.sha256(inner_local).hexdigest(), inner_local, zipfile.ZIP_STORED)])
    entries, size, offset = end_record(outer)
    start, _ = data_span(outer, zipfile.ZipFile(io.BytesIO(outer)).namelist()[0])
    extra = CENTRAL.pack(b"PK\x01\x02", 20, 0, 20, 0, 0, 0, 0, 0x21, zlib.crc32(inner), len(inner), len(inner), len(inner_name), 0, 0, 0, 0, 0, start)
    directory = outer[offset : offset + size] + extra + inner_name
    crafted = outer[:offset] + directory + classic_end(entries + 1, len(directory), offset)
    assert len(zipfile.ZipFile(io.BytesIO(crafted)).namelist()) == 2  # zipfile itself reads both
    error = refusal(lambda: bundle_reader.read_archive(crafted))
    assert error.code == "bad_archive" and "overlap" in error.message_en


# --- the signed manifest first; only listed members are inflated -------------------------------


def test_an_unlisted_member_is_refused_without_being_inflated(w, plain, monkeypatch):
    """An extra 1 MiB deflated member whose compressed data is damaged: inflating it would fail its
    CRC, so being refused as unlisted proves it was never inflated."""
    extra = os.urandom(1024 * 1024)
    name = "evidence/" + hashlib.sha256(extra).hexdigest()
    crafted = corrupt(zipped(members_of(plain) + [(name, extra, zipfile.ZIP_DEFLATED)]), name)
    data = encrypt(w, crafted)
    with zipfile_spy(monkeypatch) as seen:
        error = refusal(lambda: bundle_reader.open_bundle(data, w.hq.age_identity))
    assert error.code == "extra_member" and name in error.message_en
    assert set(seen["opened"]) <= {"manifest.json", "manifest.p7s"}, seen["opened"]


def test_the_signature_is_verified_before_any_other_member_is_inflated(w, plain, monkeypatch):
    members = [(n, d.replace(b'"revision": 1', b'"revision": 7') if n == "manifest.json" else d, c) for n, d, c in members_of(plain)]
    crafted = corrupt(zipped(members), "answers.json")  # would fail its CRC if it were inflated
    data = encrypt(w, crafted)
    with zipfile_spy(monkeypatch) as seen:
        error = refusal(lambda: bundle_reader.open_bundle(data, w.hq.age_identity))
    assert error.code == "signature_invalid"
    assert set(seen["opened"]) <= {"manifest.json", "manifest.p7s"}, seen["opened"]


def test_a_listed_member_of_another_size_is_refused_before_inflating(w, plain):
    """The directory says answers.json has one byte more than the signed manifest: refused on the
    declared size, before its (damaged) data is touched."""
    members = [(n, d + b" " if n == "answers.json" else d, c) for n, d, c in members_of(plain)]
    crafted = corrupt(zipped(members), "answers.json")
    error = refusal(lambda: bundle_reader.open_bundle(encrypt(w, crafted), w.hq.age_identity))
    assert error.code == "member_size" and "answers.json" in error.message_en


def test_a_damaged_listed_member_is_refused_as_unreadable(w, plain):
    crafted = corrupt(plain, "answers.json")
    error = refusal(lambda: bundle_reader.open_bundle(encrypt(w, crafted), w.hq.age_identity))
    assert error.code in ("bad_member", "member_hash")


def test_a_valid_bundle_inflates_each_listed_member_once(w, monkeypatch):
    data = w.build()
    with zipfile_spy(monkeypatch) as seen:
        opened = bundle_reader.open_bundle(data, w.hq.age_identity)
    assert sorted(seen["opened"]) == sorted(["manifest.json", "manifest.p7s", *opened.members])
    for member in opened.manifest.members:
        assert hashlib.sha256(opened.members[member.name]).hexdigest() == member.sha256


# --- properties: hostile bytes produce a refusal and nothing else -----------------------------

FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _only_refused(call) -> None:
    try:
        call()
    except BundleRefused as error:
        assert error.code and error.message_en and error.message_fa


@FUZZ
@given(st.binary(max_size=2000))
def test_property_arbitrary_bytes_are_only_ever_refused(w, data):
    _only_refused(lambda: bundle_reader.read_archive(data))
    _only_refused(lambda: bundle_reader.open_bundle(encrypt(w, data), w.hq.age_identity))
    _only_refused(lambda: bundle_reader.open_bundle(data, w.hq.age_identity))


_FIELD_VALUES = st.sampled_from([0, 1, 45, 46, 0xFFFF, 0xFFFFFFFF, 15_000_000]) | st.integers(0, 2**32 - 1)


@st.composite
def _mutated(draw, zip_bytes: bytes) -> bytes:
    """A real bundle's zip with a few damaging edits, aimed mostly at the end records and the
    central directory where the limits are read."""
    data = bytearray(zip_bytes)
    _, size, offset = end_record(zip_bytes)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "field", "truncate", "insert", "tail"]))
        if not data:
            break
        if kind == "flip":
            position = draw(st.integers(0, len(data) - 1))
            data[position] ^= draw(st.integers(1, 255))
        elif kind == "field":  # a 2- or 4-byte little-endian field in the directory or the end records
            position = draw(st.integers(min(offset, len(data) - 4), len(data) - 4))
            width = draw(st.sampled_from([2, 4]))
            data[position : position + width] = (draw(_FIELD_VALUES) % (1 << (8 * width))).to_bytes(width, "little")
        elif kind == "truncate":
            del data[draw(st.integers(0, len(data) - 1)) :]
        elif kind == "insert":
            position = draw(st.integers(0, len(data)))
            data[position:position] = draw(st.binary(min_size=1, max_size=64))
        else:  # ZIP64 records claiming another count, size or offset
            entries = draw(_FIELD_VALUES)
            data[offset + size :] = zip64_end(entries, draw(st.sampled_from([size, size + 1, 0, 2**40])), draw(st.sampled_from([offset, 0, 2**40])))
    return bytes(data)


@FUZZ
@given(data=st.data())
def test_property_mutated_real_bundles_are_opened_or_refused(w, plain, data):
    mutated = data.draw(_mutated(plain))
    _only_refused(lambda: bundle_reader.read_archive(mutated))
    _only_refused(lambda: bundle_reader.open_bundle(encrypt(w, mutated), w.hq.age_identity))


@FUZZ
@given(st.integers(0, 10_000), st.binary(min_size=1, max_size=8))
def test_property_damaged_manifests_are_refused(w, plain, position, junk):
    """Edits inside manifest.json (re-zipped, so only the signature can notice them)."""
    members = members_of(plain)
    manifest = next(d for n, d, _ in members if n == "manifest.json")
    cut = position % (len(manifest) + 1)
    edited = manifest[:cut] + junk + manifest[cut + len(junk) :]
    crafted = zipped([(n, edited if n == "manifest.json" else d, c) for n, d, c in members])
    _only_refused(lambda: bundle_reader.open_bundle(encrypt(w, crafted), w.hq.age_identity))
    if edited != manifest:
        with pytest.raises(BundleRefused):
            bundle_reader.open_bundle(encrypt(w, crafted), w.hq.age_identity)

