"""Hostile bundles: how long ``open_bundle`` takes on the worst files, and the peak memory of the
fresh process that opens each one (prints only, no assertions).

The files: counts that lie in the zip's end records, a real 15-million-entry central directory,
590 members of 1 MiB (unlisted, and listed under a signature headquarters does not trust), zip
bombs, and deeply nested manifest JSON and signature DER. They are made with the project's own
writer (``bundle_writer.build_bundle``) and by hand, record by record, then encrypted with age to a
throw-away headquarters key. Each one is opened in its own subprocess so that ``ru_maxrss`` (the
peak resident set) belongs to that file alone.

    .venv/bin/python bench/bench_hostile_bundles.py [--skip-big] [--only SUBSTRING]

``--skip-big`` leaves out the files of several hundred MB (they take a minute to make); their
memory is dominated by the file itself, which the caller holds and age decrypts into a second copy.
That is the in-memory API; headquarters imports files streamed (``Importer.import_file``), which
bench/bench_hostile_run.py measures on the same kinds of file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyrage  # noqa: E402

FORM = ROOT / "forms" / "citizen-rights-1398.yaml"
MIB = 1024 * 1024
CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
END = struct.Struct("<4s4H2LH")
END64 = struct.Struct("<4sQ2H2L4Q")
LOCATOR64 = struct.Struct("<4sLQL")


# --- the child: open one file, report time and peak memory -----------------------------------


def child(path: str, identity_path: str) -> None:
    from citizen_rights_desktop.exchange.bundle_reader import open_bundle
    from citizen_rights_desktop.exchange.errors import BundleRefused

    identity = pyrage.x25519.Identity.from_str(Path(identity_path).read_text().strip())
    imported = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    data = Path(path).read_bytes()
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        opened = open_bundle(data, identity)
        outcome = f"opened, {len(opened.members)} members"
    except BundleRefused as error:
        outcome = f"refused {error.code}"
    except BaseException as error:  # noqa: BLE001 - the benchmark reports a crash instead of dying with it
        outcome = f"CRASH {type(error).__name__}: {str(error)[:80]}"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"outcome": outcome, "seconds": seconds, "imported_kib": imported, "loaded_kib": loaded, "peak_kib": peak}))


# --- zip records made by hand ------------------------------------------------------------------


def central_entry(name: bytes = b"", offset: int = 0, size: int = 0) -> bytes:
    return CENTRAL.pack(b"PK\x01\x02", 20, 0, 20, 0, 0, 0, 0, 0x21, 0, size, size, len(name), 0, 0, 0, 0, 0, offset) + name


def zip64_end(entries: int, size: int, offset: int) -> bytes:
    record = END64.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, size, offset)
    return record + LOCATOR64.pack(b"PK\x06\x07", 0, offset + size, 1) + END.pack(b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)


def end_record(zip_bytes: bytes) -> tuple[int, int, int]:
    _, _, _, _, entries, size, offset, _ = END.unpack_from(zip_bytes, len(zip_bytes) - END.size)
    return entries, size, offset


def zipped(members: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, compression in members:
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=compression)
    return buffer.getvalue()


def members_of(zip_bytes: bytes) -> list[tuple[str, bytes, int]]:
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
    return [(i.filename, archive.read(i), i.compress_type) for i in archive.infolist()]


def evidence(data: bytes) -> str:
    return "evidence/" + hashlib.sha256(data).hexdigest()


def one_mib(index: int, random: bool = False) -> bytes:
    """1 MiB, distinct per index; zeros deflate about 1000-fold yet stay at the ratio check's floor."""
    return os.urandom(MIB) if random else index.to_bytes(8, "big") + bytes(MIB - 8)


# --- the world: a real office bundle signed by a key nobody trusts ---------------------------


class Maker:
    def __init__(self, work: Path, identity: pyrage.x25519.Identity):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        from citizen_rights_desktop.editing.demo import demo_report
        from citizen_rights_desktop.exchange import bundle_writer
        from citizen_rights_desktop.exchange import cms as bundle_cms
        from citizen_rights_desktop.form.loader import load_form
        from storage import ReportStore, open_database

        self.identity = identity
        self.recipient = identity.to_public()
        store = ReportStore(open_database(work / "office.sqlite3", take_backups=False), actor="bench")
        report = store.load_report(demo_report(store, load_form(FORM)))
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "office"), x509.NameAttribute(NameOID.USER_ID, report.office_id)])
        now = dt.datetime.now(dt.timezone.utc)
        cert = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256())
        )  # fmt: skip
        self.signer = bundle_cms.OfficeSigner(key, cert, [])
        files = {ev.sha256: store.evidence_bytes(ev.sha256) for s in report.sections.values() for ev in s.evidence}
        self.bundle, self.manifest = bundle_writer.build_bundle(
            report, store.get_office(report.office_id), files, self.signer, "hq-bench", str(self.recipient)
        )
        self.plain = pyrage.decrypt(self.bundle, [self.identity])
        self.sign = bundle_cms.cms_sign

    def encrypt(self, zip_bytes: bytes) -> bytes:
        return pyrage.encrypt(zip_bytes, [self.recipient])

    def signed_zip(self, manifest_bytes: bytes, members: list[tuple[str, bytes, int]]) -> bytes:
        head = [("manifest.json", manifest_bytes, zipfile.ZIP_DEFLATED), ("manifest.p7s", self.sign(manifest_bytes, self.signer), zipfile.ZIP_DEFLATED)]
        return zipped(head + members)

    def listed(self, members: list[tuple[str, bytes, int]]) -> bytes:
        """A manifest that lists ``members`` (and answers.json), signed by the untrusted office key."""
        from citizen_rights_desktop.exchange.manifest import Member

        answers = next(m for m in members_of(self.plain) if m[0] == "answers.json")
        rows = [answers] + members
        listed = tuple(
            Member(n, "answers" if n == "answers.json" else "evidence", hashlib.sha256(d).hexdigest(), len(d)) for n, d, _ in rows
        )
        manifest = type(self.manifest)(**{**self.manifest.__dict__, "members": listed})
        return self.signed_zip(manifest.dumps(), rows)


# --- the hostile files ------------------------------------------------------------------------


def cases(make: Maker | None, big: bool) -> list[tuple[str, Callable[[], bytes]]]:
    """(label, builder) of every hostile file; with no ``make`` only the labels are usable."""
    real = make.plain if make else b""
    _, size, offset = end_record(real) if make else (0, 0, 0)
    found = [
        ("valid bundle (project writer, for reference)", lambda: make.bundle),
        ("15,000,000 entries declared by the ZIP64 end record", lambda: make.encrypt(real[: offset + size] + zip64_end(15_000_000, size, offset))),
        ("end record says 5 entries, directory holds 1,000,000 (46 MB)",
         lambda: make.encrypt(central_entry() * 1_000_000 + END.pack(b"PK\x05\x06", 0, 0, 5, 5, 46_000_000, 0, 0))),
        ("590 unlisted members of 1 MiB, deflated (590 MiB inflated)",
         lambda: make.encrypt(zipped(members_of(real) + [(evidence(d), d, zipfile.ZIP_DEFLATED) for d in map(one_mib, range(590))]))),
        ("590 listed members of 1 MiB, untrusted self-signed manifest",
         lambda: make.encrypt(make.listed([(evidence(d), d, zipfile.ZIP_DEFLATED) for d in map(one_mib, range(590))]))),
        ("zip bomb: unlisted 60 MiB of zeros deflated 1000-fold",
         lambda: make.encrypt(zipped(members_of(real) + [(evidence(bytes(60 * MIB)), bytes(60 * MIB), zipfile.ZIP_DEFLATED)]))),
        ("zip bomb: listed 60 MiB of zeros, untrusted signed manifest",
         lambda: make.encrypt(make.listed([(evidence(bytes(60 * MIB)), bytes(60 * MIB), zipfile.ZIP_DEFLATED)]))),
        ("deep nesting: manifest.json of 1 MB of '[' (signed)", lambda: make.encrypt(make.signed_zip(b"[" * (1024 * 1024 - 1), members_of(real)[2:]))),
        ("deep nesting: manifest.p7s of 64 KB nested DER",
         lambda: make.encrypt(zipped([members_of(real)[0], ("manifest.p7s", b"\x30\x80" * (32 * 1024 - 1), 8), *members_of(real)[2:]]))),
    ]  # fmt: skip
    if big:
        found += [
            ("15,000,000 real directory entries (690 MB)", lambda: make.encrypt(central_entry() * 15_000_000 + zip64_end(15_000_000, 46 * 15_000_000, 0))),
            ("590 unlisted members of 1 MiB, stored random (590 MiB file)",
             lambda: make.encrypt(zipped(members_of(real) + [(evidence(d), d, zipfile.ZIP_STORED) for d in (one_mib(i, True) for i in range(590))]))),
        ]  # fmt: skip
    return found


def make_case(index: int, identity_path: str, out: str) -> None:
    """Build hostile file ``index`` into ``out`` (a process of its own: see ``main``)."""
    with tempfile.TemporaryDirectory(prefix="bench-office-") as office:
        make = Maker(Path(office), pyrage.x25519.Identity.from_str(Path(identity_path).read_text().strip()))
        _, build = cases(make, True)[index]
        Path(out).write_bytes(build())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--make", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--skip-big", action="store_true", help="leave out the files of several hundred MB")
    parser.add_argument("--only", default="", help="run only the cases whose label contains this")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.make:
        make_case(int(args.make[0]), args.make[1], args.make[2])
        return
    # This process stays small: Linux carries a process's peak RSS across fork and exec into
    # ru_maxrss, so the files are made in one subprocess each and opened in another.
    labels = [label for label, _ in cases(None, not args.skip_big)]
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as folder:
        work = Path(folder)
        identity_file = work / "hq-identity.txt"
        identity_file.write_text(str(pyrage.x25519.Identity.generate()))
        path = work / "hostile.crb"
        print(f"{'file':62} {'size':>9} {'time':>8} {'RSS after read':>14} {'peak RSS':>9}  outcome")
        fresh = None
        for index, label in enumerate(labels):
            if args.only not in label:
                continue
            subprocess.run([sys.executable, __file__, "--make", str(index), str(identity_file), str(path)], check=True)
            size = path.stat().st_size
            run = subprocess.run([sys.executable, __file__, "--child", str(path), str(identity_file)], capture_output=True, text=True)
            path.unlink()
            try:
                row = json.loads(run.stdout.strip().splitlines()[-1])
            except (IndexError, json.JSONDecodeError):
                print(f"{label:62} {size / 1e6:7.1f}MB  child failed (exit {run.returncode}): {run.stderr.strip()[-300:]}")
                continue
            fresh = row["imported_kib"]
            print(
                f"{label:62} {size / 1e6:7.1f}MB {row['seconds']:7.2f}s {row['loaded_kib'] / 1024:12.0f}MB {row['peak_kib'] / 1024:7.0f}MB"
                f"  {row['outcome']}"
            )
        if fresh is not None:
            print(f"(a fresh child with the reader imported, no file read yet: {fresh / 1024:.0f} MB; sizes in 10^6 bytes, RSS in MiB)")


if __name__ == "__main__":
    main()
