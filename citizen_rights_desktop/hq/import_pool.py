"""Import on every core (issue 16: ≥ 200 real bundles a second on two cores).

Worker processes do what needs no writing: decrypt a bundle, check the office's signature and
whether headquarters trusts its certificate (on their own read-only connection to the database),
check every member against the manifest, and read the answers document against its form. The
importing process then does what writes: the register's province, the signed PDF's check, storing
in batches of one synced commit. Order, refusals and commits are ``Importer.import_many``'s:
results are yielded in the order given, once their batch is committed.

A bundle too large to travel between processes in memory (``MAX_POOLED_BYTES``), or a run where
worker processes cannot start, is imported in the importing process as before.
"""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import dataclasses
import functools
import itertools
import multiprocessing
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyrage
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from citizen_rights_desktop.exchange.bundle_reader import OpenedBundle
from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.exchange.manifest import EVIDENCE_PREFIX, parse_manifest
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq.identity import HQIdentity

MAX_POOLED_BYTES = 64 * 1024 * 1024
# below this, starting the workers costs more than they save
POOL_MIN_FILES = 50
_WORKER: dict[str, Any] = {}


def _start_worker(db_path: str, hq_fields: dict, age_identity: str, forms: str | None, moment, limits, pdf_check) -> None:
    """Each worker's own importer, on a read-only connection (it never writes)."""
    from citizen_rights_desktop.hq.importer import Importer
    from citizen_rights_desktop.hq.profile import install_province_forms
    from storage.database import Database

    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)
    database = Database(Path(db_path), connection)
    fields = {**hq_fields, "ca_cert": x509.load_pem_x509_certificate(hq_fields["ca_cert"].encode("ascii"))}
    hq = HQIdentity(**fields, age_identity=pyrage.x25519.Identity.from_str(age_identity))
    catalog = FormCatalog(Path(forms) if forms else None)
    install_province_forms(database, catalog)
    _WORKER["importer"] = Importer(database, hq, catalog, limits=limits, now=moment, pdf_check=pdf_check)


def _verify(item: bytes | str) -> tuple:
    """In a worker: ("ok", what the importing process needs, all picklable) or ("refused", …)."""
    importer = _WORKER["importer"]
    try:
        data = importer.read_file(item) if isinstance(item, str) else item
        opened = importer.verify(data)
        report, office, _ = importer.check_answers(opened)
        pdf_state = importer.check_pdf(opened, report) if importer.pdf_check is not None else None
        der = serialization.Encoding.DER
        return ("ok", opened.manifest_bytes, opened.signature, opened.members, opened.signer.public_bytes(der),
                [c.public_bytes(der) for c in opened.certificates], opened.signing_time, report, office, pdf_state)  # fmt: skip
    except BundleRefused as exc:
        return ("refused", exc.code, exc.message_en, exc.message_fa)
    except Exception as exc:  # noqa: BLE001 - one hostile file must never stop the run
        return ("unexpected", type(exc).__name__)


def _opened(result: tuple) -> tuple[OpenedBundle, Any, Any, list, str]:
    _, manifest_bytes, signature, members, signer, certificates, signing_time, report, office, pdf_state = result
    opened = OpenedBundle(parse_manifest(manifest_bytes), manifest_bytes, signature, members, x509.load_der_x509_certificate(signer),
                          [x509.load_der_x509_certificate(c) for c in certificates], signing_time)  # fmt: skip
    cited = {ev.sha256: ev.size for section in report.sections.values() for ev in section.evidence}
    evidence = [(sha, size, functools.partial(opened.read_member, EVIDENCE_PREFIX + sha)) for sha, size in cited.items()]
    return opened, report, office, evidence, pdf_state


def _context():
    """Forked workers start at once; spawned ones import the program again (about a second) but
    are the only kind that is safe from a process running threads (forking one can leave a lock
    held forever in the child) and the only kind Windows has."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _pdf_mode(importer) -> str | None:
    """The PDF check the workers make: the hot path's (``"fast"``), or none, and then the importing
    process makes its own (the full check, or a check a caller passed in)."""
    from citizen_rights_desktop.hq.pdf_fast import fast_pdf_check

    return "fast" if importer.pdf_check is fast_pdf_check else None


def pooled(importer, files: int, workers: int | None = None, forms: str | None = None) -> Callable | None:
    """An ``import_many`` for ``importer`` that checks on every core (``importer.import_paths``'
    ``many``), for ``files`` bundles; ``None`` (the importing process alone) for fewer than
    ``POOL_MIN_FILES``, where starting the workers would cost more than they save."""
    if files < POOL_MIN_FILES:
        return None
    return lambda items: import_many_pooled(importer, items, workers, forms=forms)


def workers_wanted() -> int:
    """Worker processes for an import: one per core (at least two)."""
    return max(2, os.cpu_count() or 1)  # the importing process mostly waits on SQLite: as many workers as cores


def import_many_pooled(
    importer, items: Iterable[tuple[Any, Callable[[], bytes | Path]]], workers: int | None = None, batch_size: int = 64,
    forms: str | None = None,
) -> Iterator[tuple[Any, object]]:
    """``importer.import_many`` with the checks that need no writing done by worker processes."""
    from citizen_rights_desktop.hq.importer import unexpected

    workers = workers or workers_wanted()
    hq = importer.hq
    fields = {f.name: getattr(hq, f.name) for f in dataclasses.fields(hq) if f.name not in ("ca_key", "age_identity")}
    fields["ca_cert"] = hq.ca_cert.public_bytes(serialization.Encoding.PEM).decode("ascii")  # certificates do not pickle
    try:
        pool = concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=_context(), initializer=_start_worker,
            initargs=(str(importer.database.path), fields, str(hq.age_identity), forms, importer.moment, importer.limits, _pdf_mode(importer)),
        )  # fmt: skip
    except (OSError, ValueError):
        yield from importer.import_many(items, batch_size)
        return
    with pool:
        items = iter(items)
        while chunk := list(itertools.islice(items, batch_size)):
            loaded = []
            for key, load in chunk:
                try:
                    value = load()
                except BundleRefused as exc:
                    loaded.append((key, None, exc))
                    continue
                small = isinstance(value, (bytes, bytearray)) or (isinstance(value, Path) and _size(value) <= MAX_POOLED_BYTES)
                loaded.append((key, value, _submit(pool, value) if small else None))
            results = []
            with importer.database.transaction():
                for key, value, work in loaded:
                    source = Path(key).name if isinstance(key, (str, Path)) else None
                    try:
                        if isinstance(work, BundleRefused):
                            raise work
                        result = _result(work)
                        if result is None:  # too large to pass around, or no worker could run: here, as before
                            outcome = importer.import_file(value, source) if isinstance(value, Path) else importer.import_bytes(value, source)
                        else:
                            if result[0] == "refused":
                                raise BundleRefused(*result[1:])
                            if result[0] == "unexpected":
                                raise RuntimeError(result[1])
                            opened, *checked = _opened(result)
                            outcome = importer._check_and_store(opened, source, checked=tuple(checked))
                        results.append((key, outcome))
                    except BundleRefused as exc:
                        exc.__context__ = None
                        results.append((key, exc.with_traceback(None)))
                    except Exception as exc:  # noqa: BLE001
                        results.append((key, unexpected(exc)))
            yield from results


def _submit(pool, value):
    try:
        return pool.submit(_verify, str(value) if isinstance(value, Path) else bytes(value))
    except concurrent.futures.process.BrokenProcessPool:
        return None


def _result(work) -> tuple | None:
    """A worker's result; ``None`` when there is none to wait for or the workers could not run
    (a frozen build that cannot start them): the importing process then checks the bundle itself."""
    if work is None:
        return None
    try:
        return work.result()
    except concurrent.futures.process.BrokenProcessPool:
        return None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return MAX_POOLED_BYTES + 1  # let the importing process report it
