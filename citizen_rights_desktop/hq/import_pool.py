"""Import on every core (issue 16: ≥ 200 real bundles a second on two cores).

Worker processes import: each checks a group of bundles (decrypt, the office's signature and
whether headquarters trusts its certificate, every member against the manifest, the answers
against their form, the signed PDF's signer), then stores the group in one synced commit on its
own connection. SQLite lets one writer in at a time: a group's checks run while the other worker
stores, and groups are stored in the order they were handed out (so the database ends as one
process leaves it). The importing process hands out the groups and yields the results in the
order given, each once its group is committed. (Handing checked bundles back to the importing process
to store, as before, did the parsing twice and kept one process writing: 141-167 bundles/s.)

A bundle too large to travel between processes in memory (``MAX_POOLED_BYTES``), or a run where
worker processes cannot start, is imported in the importing process as before.
"""

from __future__ import annotations

import collections
import concurrent.futures
import concurrent.futures.process
import dataclasses
import itertools
import multiprocessing
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyrage
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq.identity import HQIdentity

MAX_POOLED_BYTES = 64 * 1024 * 1024
# below this, starting the workers costs more than they save
POOL_MIN_FILES = 50
_WORKER: dict[str, Any] = {}
# what a forked worker finds already made in the process it was forked from (the form catalog:
# reading every form definition again would cost each worker 0.2 s of a run's start)
_INHERITED: dict[str, Any] = {}


def _start_worker(db_path: str, hq_fields: dict, age_identity: str, forms: str | None, moment, limits, pdf_check, turn) -> None:
    """Each worker's own importer, on its own connection to the database."""
    from citizen_rights_desktop.hq.importer import Importer
    from citizen_rights_desktop.hq.profile import install_province_forms
    from storage.database import open_database

    database = open_database(db_path, take_backups=False)
    fields = {**hq_fields, "ca_cert": x509.load_pem_x509_certificate(hq_fields["ca_cert"].encode("ascii"))}
    hq = HQIdentity(**fields, age_identity=pyrage.x25519.Identity.from_str(age_identity))
    catalog = _INHERITED.get("catalog") or FormCatalog(Path(forms) if forms else None)
    install_province_forms(database, catalog)
    _WORKER["importer"] = Importer(database, hq, catalog, limits=limits, now=moment, pdf_check=pdf_check)
    _WORKER["turn"] = turn


def _wait_turn(number: int) -> None:
    """Groups are stored in the order they were handed out, as one process would store them (two
    revisions of one report in two groups: the earlier is kept as history, not refused as older).
    A group whose worker failed before storing would hold the others forever: not beyond a minute."""
    turn, deadline = _WORKER["turn"], time.monotonic() + TURN_TIMEOUT
    while turn.value < number and time.monotonic() < deadline:
        time.sleep(0.0005)


def _import_group(items: list[tuple[int, bytes | str, str | None]], number: int) -> list[tuple[int, tuple]]:
    """In a worker: check each bundle, then store the group in one commit (each bundle in its own
    savepoint). Per item ("ok", ImportOutcome), ("refused", code, en, fa) or ("unexpected", name):
    a refusal does not pickle as an exception (its arguments are not its ``args``)."""
    importer = _WORKER["importer"]
    results: dict[int, tuple] = {}
    checked = []
    for index, item, source in items:
        try:
            data = importer.read_file(item) if isinstance(item, str) else item
            opened = importer.verify(data)
            report, office, evidence = importer.check_answers(opened)
            pdf_state = importer.check_pdf(opened, report)
            checked.append((index, opened, source, (report, office, evidence, pdf_state)))
        except BundleRefused as exc:
            results[index] = ("refused", exc.code, exc.message_en, exc.message_fa)
        except Exception as exc:  # noqa: BLE001 - one hostile file must never stop the run
            results[index] = ("unexpected", type(exc).__name__)
    try:
        _wait_turn(number)
        _store_group(importer, checked, results)
    finally:  # the next group's turn (only the group whose turn it is writes it)
        _WORKER["turn"].value = max(_WORKER["turn"].value, number + 1)
    return sorted(results.items())


def _store_group(importer, checked: list, results: dict[int, tuple]) -> None:
    with importer.database.transaction():
        for index, opened, source, state in checked:
            try:
                with importer.database.transaction():
                    results[index] = ("ok", importer._check_and_store(opened, source, checked=state))
            except BundleRefused as exc:
                results[index] = ("refused", exc.code, exc.message_en, exc.message_fa)
            except sqlite3.Error:
                raise  # the group's commit cannot stand: the importing process reports it
            except Exception as exc:  # noqa: BLE001
                results[index] = ("unexpected", type(exc).__name__)


def _context():
    """Forked workers start at once; spawned ones import the program again (about a second) but
    are the only kind that is safe from a process running threads (forking one can leave a lock
    held forever in the child) and the only kind Windows has."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _pdf_mode(importer) -> str | None:
    """The PDF check the workers make, by name (a function does not travel to a spawned process):
    the hot path's (``"fast"``), pyHanko's (``"default"``), none (``None``); ``"caller"`` for a
    check the caller passed in, which only the importing process can make."""
    from citizen_rights_desktop.hq.pdf_fast import fast_pdf_check

    check = importer.pdf_check
    if check is None or check is fast_pdf_check:
        return None if check is None else "fast"
    return "default" if getattr(check, "__qualname__", "").startswith("default_pdf_check.") else "caller"


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

    workers = workers or workers_wanted()
    if _pdf_mode(importer) == "caller":
        yield from importer.import_many(items, batch_size)
        return
    hq = importer.hq
    fields = {f.name: getattr(hq, f.name) for f in dataclasses.fields(hq) if f.name not in ("ca_key", "age_identity")}
    fields["ca_cert"] = hq.ca_cert.public_bytes(serialization.Encoding.PEM).decode("ascii")  # certificates do not pickle
    context = _context()
    turn = context.Value("q", 0, lock=False)  # the number of the group whose turn it is to be stored
    numbers = itertools.count()
    _INHERITED.clear()
    if context.get_start_method() == "fork":
        _INHERITED["catalog"] = importer.catalog
    try:
        pool = concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker,
            initargs=(str(importer.database.path), fields, str(hq.age_identity), forms, importer.moment, importer.limits, _pdf_mode(importer),
                      turn),
        )  # fmt: skip
    except (OSError, ValueError):
        yield from importer.import_many(items, batch_size)
        return
    with pool:
        window: collections.deque = collections.deque()  # groups handed out, oldest first
        items = iter(items)
        while True:
            while len(window) < 2 * workers and (group := list(itertools.islice(items, GROUP))):
                window.append(_hand_out(pool, group, numbers, turn))
            if not window:
                return
            yield from _collect(importer, *window.popleft())


GROUP = 8  # bundles a worker checks, then stores in one commit
TURN_TIMEOUT = 60.0


def _hand_out(pool, group: list[tuple[Any, Callable[[], bytes | Path]]], numbers, turn) -> tuple[list, Any]:
    """Load a group's bundles and give those small enough to a worker: (the group, its future)."""
    loaded, pooled_items = [], []
    for index, (key, load) in enumerate(group):
        try:
            value = load()
        except BundleRefused as exc:
            value = exc
        loaded.append((key, value))
        small = isinstance(value, (bytes, bytearray)) or (isinstance(value, Path) and _size(value) <= MAX_POOLED_BYTES)
        if small:
            pooled_items.append((index, str(value) if isinstance(value, Path) else bytes(value), _source(key)))
    return loaded, _submit(pool, pooled_items, numbers, turn) if pooled_items else None


def _source(key) -> str | None:
    return Path(key).name if isinstance(key, (str, Path)) else None


def _collect(importer, loaded: list, work) -> Iterator[tuple[Any, object]]:
    """A group's results in order: the worker's, and those the importing process makes itself (a
    bundle too large to pass around, or every one when no worker could run)."""
    from citizen_rights_desktop.hq.importer import unexpected

    answers = dict(_result(work) or [])
    here = [i for i, (_, value) in enumerate(loaded) if i not in answers and not isinstance(value, BundleRefused)]
    if here:
        with importer.database.transaction():
            for index in here:
                key, value = loaded[index]
                try:
                    outcome = importer.import_file(value, _source(key)) if isinstance(value, Path) else importer.import_bytes(value, _source(key))
                    answers[index] = ("ok", outcome)
                except BundleRefused as exc:
                    answers[index] = ("refused", exc.code, exc.message_en, exc.message_fa)
                except Exception as exc:  # noqa: BLE001
                    answers[index] = ("unexpected", type(exc).__name__)
    for index, (key, value) in enumerate(loaded):
        if isinstance(value, BundleRefused):
            value.__context__ = None
            yield key, value.with_traceback(None)
            continue
        answer = answers[index]
        if answer[0] == "ok":
            yield key, answer[1]
        elif answer[0] == "refused":
            yield key, BundleRefused(*answer[1:])
        else:
            yield key, unexpected(RuntimeError(answer[1]))


def _submit(pool, pooled_items: list, numbers, turn):
    number = next(numbers)
    try:
        return pool.submit(_import_group, pooled_items, number)
    except concurrent.futures.process.BrokenProcessPool:
        turn.value = max(turn.value, number + 1)  # nobody will store it: let the next one through
        return None


def _result(work) -> list | None:
    """A worker's results; ``None`` when there is none to wait for or the workers could not run
    (a frozen build that cannot start them): the importing process then checks the bundle itself."""
    if work is None:
        return None
    try:
        return work.result()
    except Exception:  # noqa: BLE001 - a broken pool, or a group whose commit failed: nothing of it was stored
        return None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return MAX_POOLED_BYTES + 1  # let the importing process report it
