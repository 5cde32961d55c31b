"""A headquarters import run over the worst files (issue 12): the peak memory and time of importing
each one through ``Importer.import_file``, in a fresh process per file, then of one
``import_paths`` run over all of them together with the hostile corpus of tests/hostile_corpus.py.
Prints figures only, no assertions (the goal: every row under 300 MB).

The files are made with the project's own writer for a headquarters and an enrolled office
(tests/bundle_world.py), or by hand where the attack needs it:

- a real zip central directory of 15,000,000 entries (690 MB);
- 590 unlisted members of 1 MiB of random bytes, stored (619 MB), next to a good bundle's members;
- 590 listed members of 1 MiB under a manifest validly signed by a self-signed key headquarters
  does not trust: deflated zeros (a small file that inflates to 590 MiB) and stored random bytes;
- a valid bundle of the enrolled office with 11 evidence files of 50 MiB (550 MiB of evidence).

    .venv/bin/python bench/bench_hostile_run.py [--skip-big] [--only SUBSTRING] [--work DIR] [--no-run]

``--work DIR`` keeps the files (about 2.5 GB) and the headquarters database in DIR and reuses them
on the next run, so the same files can be measured before and after a change.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import json
import os
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

MIB = 1024 * 1024
CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
END = struct.Struct("<4s4H2LH")
END64 = struct.Struct("<4sQ2H2L4Q")
LOCATOR64 = struct.Struct("<4sLQL")

# (file name, label, big): big files are left out with --skip-big
CASES = [
    ("valid.crb", "valid bundle of the enrolled office (reference)", False),
    ("untrusted-590-deflated.crb", "590 listed 1 MiB members (deflated zeros), self-signed signer", False),
    ("directory-15m.crb", "15,000,000 real directory entries", True),
    ("unlisted-590-stored.crb", "590 unlisted 1 MiB members, stored random", True),
    ("untrusted-590-stored.crb", "590 listed 1 MiB members (stored random), self-signed signer", True),
    ("valid-550mib.crb", "valid bundle, 11 evidence files of 50 MiB, enrolled signer", True),
]
HQ_DB = "hq.sqlite3"
AGE_IDENTITY = "hq-age-identity.txt"
CORPUS = "corpus"


# --- making the files (one process, whose memory is not measured) ------------------------------


class _Folders:
    """What bundle_world.world needs of pytest's tmp_path_factory."""

    def __init__(self, root: Path):
        self.root = root

    def mktemp(self, name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=name + "-", dir=self.root))


def _zip64_directory(entries: int) -> bytes:
    entry = CENTRAL.pack(b"PK\x01\x02", 20, 0, 20, 0, 0, 0, 0, 0x21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    size = CENTRAL.size * entries
    record = END64.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, size, 0)
    end = LOCATOR64.pack(b"PK\x06\x07", 0, size, 1) + END.pack(b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return entry * entries + record + end


def _zipped(members: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, compression in members:
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=compression)
    return buffer.getvalue()


def _with_evidence(w, contents: list[bytes]):
    """The demo report citing ``contents`` as its evidence (revision 5), and the sha256 → bytes map."""
    from hostile_corpus import revision

    report = revision(w, 5)
    template = next(ev for s in report.sections.values() for ev in s.evidence)
    sections = [s for s in report.sections.values() if s.evidence]
    for section in sections:
        section.evidence.clear()
    files = {}
    for index, data in enumerate(contents):
        sha = hashlib.sha256(data).hexdigest()
        files[sha] = data
        ref = copy.copy(template)
        ref.id, ref.sha256, ref.size, ref.name = f"bench-{index}", sha, len(data), f"scan-{index}.pdf"
        sections[index % len(sections)].evidence.append(ref)
    return report, files


def make(work: Path, big: bool) -> None:
    import pyrage
    from bundle_world import self_signed, world
    from hostile_corpus import write_corpus

    needed = [name for name, _, is_big in CASES if big or not is_big]
    if all((work / name).exists() for name in [*needed, HQ_DB, AGE_IDENTITY, CORPUS]):
        return  # made by an earlier run for this very headquarters
    for name in [name for name, _, _ in CASES]:
        (work / name).unlink(missing_ok=True)
    shutil.rmtree(work / CORPUS, ignore_errors=True)
    w = world(_Folders(work))
    shutil.copyfile(w.hq_path, work / HQ_DB)
    # the children take the age key from here: opening it with the passphrase costs scrypt's own
    # few hundred MB, which would hide what the import costs
    (work / AGE_IDENTITY).write_text(str(w.hq.age_identity))
    (work / AGE_IDENTITY).chmod(0o600)
    recipient = pyrage.x25519.Recipient.from_str(w.hq.age_recipient)
    write_corpus(w, work / CORPUS, work / "corpus-work")
    office_id = w.report.office_id
    untrusted = self_signed(office_id)
    zeros = [i.to_bytes(8, "big") + bytes(MIB - 8) for i in range(590)]

    def untrusted_deflated() -> bytes:
        report, files = _with_evidence(w, zeros)
        members = w.decrypt(w.build(report, signer=untrusted, evidence=files))
        return pyrage.encrypt(_zipped([(n, d, zipfile.ZIP_DEFLATED) for n, d in members.items()]), [recipient])

    def unlisted_stored() -> bytes:
        members = [(n, d, zipfile.ZIP_STORED) for n, d in w.decrypt(w.build()).items()]
        extra = (os.urandom(MIB) for _ in range(590))
        return pyrage.encrypt(_zipped(members + [("evidence/" + hashlib.sha256(d).hexdigest(), d, zipfile.ZIP_STORED) for d in extra]), [recipient])

    def untrusted_stored() -> bytes:
        report, files = _with_evidence(w, [os.urandom(MIB) for _ in range(590)])
        return w.build(report, signer=untrusted, evidence=files)

    def valid_big() -> bytes:
        report, files = _with_evidence(w, [os.urandom(50 * MIB) for _ in range(11)])
        return w.build(report, evidence=files)

    builders = {
        "valid.crb": w.build,
        "untrusted-590-deflated.crb": untrusted_deflated,
        "directory-15m.crb": lambda: pyrage.encrypt(_zip64_directory(15_000_000), [recipient]),
        "unlisted-590-stored.crb": unlisted_stored,
        "untrusted-590-stored.crb": untrusted_stored,
        "valid-550mib.crb": valid_big,
    }
    for name in needed:
        (work / name).write_bytes(builders[name]())


# --- the child: one import, its time and peak memory ------------------------------------------


def child(work: Path, database_path: Path, mode: str, targets: list[str]) -> None:
    import pyrage

    from citizen_rights_desktop.exchange.errors import BundleRefused
    from citizen_rights_desktop.form.catalog import FormCatalog
    from citizen_rights_desktop.hq.identity import HQIdentity, hq_public
    from citizen_rights_desktop.hq.importer import Importer, import_paths
    from storage import open_database

    database = open_database(database_path, take_backups=False)
    public = hq_public(database)  # the import needs only the age key of the headquarters' secrets
    age_identity = pyrage.x25519.Identity.from_str((work / AGE_IDENTITY).read_text().strip())
    hq = HQIdentity(public.hq_id, public.name, public.ca_cert, public.age_recipient, None, age_identity)  # type: ignore[arg-type]
    ready = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    outcomes: list[str] = []
    with Importer(database, hq, FormCatalog(ROOT / "forms")) as importer:
        if mode == "file":
            try:
                outcomes.append(importer.import_file(targets[0]).status)
            except BundleRefused as error:
                outcomes.append(f"refused {error.code}")
            except BaseException as error:  # noqa: BLE001 - the benchmark reports a crash instead of dying with it
                outcomes.append(f"CRASH {type(error).__name__}: {str(error)[:80]}")
        else:
            for _, result in import_paths(importer, [Path(t) for t in targets]):
                outcomes.append(f"refused {result.code}" if isinstance(result, BundleRefused) else result.status)
    seconds = time.perf_counter() - start
    database.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"outcomes": outcomes, "seconds": seconds, "ready_kib": ready, "peak_kib": peak}))


def _run_child(work: Path, mode: str, targets: list[Path]) -> dict | str:
    database = work / "run.sqlite3"
    shutil.copyfile(work / HQ_DB, database)  # every run starts from the same headquarters (no imports)
    try:
        run = subprocess.run([sys.executable, __file__, "--child", str(work), str(database), mode, *map(str, targets)], capture_output=True, text=True)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(database) + suffix).unlink(missing_ok=True)
    try:
        return json.loads(run.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return f"child failed (exit {run.returncode}): {run.stderr.strip()[-300:]}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--make", help=argparse.SUPPRESS)
    parser.add_argument("--skip-big", action="store_true", help="leave out the files of several hundred MB")
    parser.add_argument("--only", default="", help="measure only the files whose label contains this")
    parser.add_argument("--work", help="keep the files here and reuse them on the next run")
    parser.add_argument("--no-run", action="store_true", help="leave out the one import_paths run over every file")
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.child[2], args.child[3:])
        return
    if args.make:
        make(Path(args.make), not args.skip_big)
        return
    # This process stays small (Linux carries a process's peak RSS into its children's ru_maxrss),
    # so the files are made in one subprocess and each is imported in another.
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="bench-hostile-run-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--make", str(work)] + (["--skip-big"] if args.skip_big else []), check=True)
        print(f"files ready in {time.perf_counter() - start:.0f} s ({work})")
        print(f"{'file':66} {'size':>8} {'time':>8} {'peak RSS':>9}  outcome")
        chosen = [(name, label) for name, label, big in CASES if not (big and args.skip_big) and args.only in label]
        ready = None
        for name, label in chosen:
            row = _run_child(work, "file", [work / name])
            size = (work / name).stat().st_size / 1e6
            if isinstance(row, str):
                print(f"{label:66} {size:6.1f}MB  {row}")
                continue
            ready = row["ready_kib"]
            print(f"{label:66} {size:6.1f}MB {row['seconds']:7.2f}s {row['peak_kib'] / 1024:7.0f}MB  {row['outcomes'][0]}")
        if not args.no_run and not args.only:
            files = [work / name for name, _ in chosen] + sorted((work / CORPUS).glob("*.crb"))
            row = _run_child(work, "paths", files)
            if isinstance(row, str):
                print(f"one import_paths run over all {len(files)} files: {row}")
            else:
                refused = sum(o.startswith("refused") for o in row["outcomes"])
                print(
                    f"{'one import_paths run over these and the hostile corpus (' + str(len(files)) + ' files)':66} {'':8} {row['seconds']:7.2f}s"
                    f" {row['peak_kib'] / 1024:7.0f}MB  {len(files) - refused} imported or unchanged, {refused} refused"
                )
        if ready is not None:
            print(f"(a child with the headquarters opened, before importing: {ready / 1024:.0f} MB; sizes in 10^6 bytes, RSS in MiB)")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
