"""Headquarters storage of received reports: every accepted bundle is one ``hq_submission`` row plus
its report in the ordinary report tables (``report``, ``answer``, ``table_row``, ``evidence``,
``blob``), written in ONE transaction.

A submission is identified by (office, form, period, revision). The current one for an
(office, form, period) is the one with ``superseded_by IS NULL``; older revisions stay (history).
Each submission has its own headquarters report id, so revisions never collide; evidence ids are
stored as ``<report id>:<office evidence id>`` for the same reason and restored on loading.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from citizen_rights_desktop.report.model import Report
from citizen_rights_desktop.report.office import OfficeProfile
from storage.database import Database, dump_json, utc_now
from storage.report_store import ReportStore, insert_report, new_id

IMPORTED, SUPERSEDED, IDENTICAL, OLDER, CONFLICT = "imported", "superseded", "identical", "older", "conflict"
REUSED = "reused"  # the bundle id arrived before with other content

# Evidence content to store: sha256 → bytes (a mapping may load each value only when it is asked
# for), or (sha256, size, function returning the bytes) for content read only when its turn comes.
Blobs = Mapping[str, bytes] | Iterable[tuple[str, int, Callable[[], bytes | bytearray]]]


@dataclass
class Submission:
    id: str
    report_id: str
    office_id: str
    form_id: str
    form_version: str
    period: str
    revision: int
    office_report_id: str
    bundle_id: str
    content_sha256: str
    pdf_sha256: str | None
    pdf_check: str
    created_at: str
    received_at: str
    superseded_by: str | None


_COLUMNS = ("id", "report_id", "office_id", "form_id", "form_version", "period", "revision", "office_report_id", "bundle_id",
            "content_sha256", "pdf_sha256", "pdf_check", "created_at", "received_at", "superseded_by")  # fmt: skip


@dataclass
class StoreResult:
    status: str  # imported (first for its period), superseded (replaced an older revision), identical, older, conflict, reused
    submission_id: str | None
    current_revision: int | None
    earlier_source: str | None = None  # with "reused": the file the bundle id first arrived in


def current(conn: sqlite3.Connection, office_id: str, form_id: str, period: str) -> Submission | None:
    row = conn.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM hq_submission WHERE office_id=? AND form_id=? AND period=? AND superseded_by IS NULL",
        (office_id, form_id, period),
    ).fetchone()
    return Submission(*row) if row else None


def store_submission(
    database: Database,
    meta: dict,
    report: Report,
    office: OfficeProfile,
    blobs: Blobs,
    pdf: bytes | None,
    actor: str = "headquarters",
) -> StoreResult:
    """Store a verified submission in one transaction, unless headquarters has it or a newer one.

    ``meta`` holds bundle_id, content_sha256, manifest, manifest_signature, signer_cert_pem,
    pdf_sha256, pdf_check, created_at. ``blobs`` is the evidence content (``Blobs``): it is
    inserted one file at a time, and a file headquarters already holds is not even read, so an
    import holds at most one evidence file (60 MB) in memory, not all of them.
    """
    conn = database.conn
    with database.transaction():
        previous = current(conn, report.office_id, report.form_id, report.period)
        if previous is not None:
            if report.revision < previous.revision:
                return StoreResult(OLDER, previous.id, previous.revision)
            if report.revision == previous.revision:
                same = previous.content_sha256 == meta["content_sha256"]
                return StoreResult(IDENTICAL if same else CONFLICT, previous.id, previous.revision)
        same_bundle = conn.execute(
            "SELECT id, revision, content_sha256, office_id, period, source_name FROM hq_submission WHERE bundle_id=?", (meta["bundle_id"],)
        ).fetchone()
        if same_bundle:
            same = same_bundle[2:5] == (meta["content_sha256"], report.office_id, report.period) and same_bundle[1] == report.revision
            return StoreResult(IDENTICAL if same else REUSED, same_bundle[0], same_bundle[1], same_bundle[5])
        now = utc_now()
        submission_id = new_id()
        local_id = new_id()
        for sha, load in _loaders(blobs):
            if not _has_blob(conn, sha):
                data = load()
                _insert_blob(conn, sha, data)
                del data  # freed before the next one is read
        if pdf is not None and not _has_blob(conn, meta["pdf_sha256"]):
            _insert_blob(conn, meta["pdf_sha256"], pdf)
        answers = meta.get("answers")  # the answers document as the office signed it (forwarding, issue 16)
        answers_sha256 = hashlib.sha256(answers).hexdigest() if answers is not None else None
        if answers is not None and not _has_blob(conn, answers_sha256):
            _insert_blob(conn, answers_sha256, answers)
        fields = list(OfficeProfile.__dataclass_fields__)
        values = {k: getattr(office, k) for k in fields}
        conn.execute(
            f"INSERT INTO office ({', '.join(fields)}, created_at, updated_at) VALUES ({', '.join(':' + k for k in fields)}, :now, :now)"
            f" ON CONFLICT (id) DO UPDATE SET {', '.join(f'{k}=excluded.{k}' for k in fields if k != 'id')}, updated_at=excluded.updated_at",
            {**values, "now": now},
        )
        insert_report(conn, report, local_id, now, evidence_prefix=f"{local_id}:")
        conn.execute(
            "INSERT INTO hq_submission (id, report_id, office_id, form_id, form_version, period, revision, office_report_id, bundle_id,"
            " content_sha256, manifest, manifest_signature, signer_cert_pem, pdf_sha256, pdf_check, created_at, received_at, source_name, register_note,"
            " answers_sha256, forwarded_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (submission_id, local_id, report.office_id, report.form_id, report.form_version, report.period, report.revision,
             report.id, meta["bundle_id"], meta["content_sha256"], meta["manifest"], meta["manifest_signature"],
             meta["signer_cert_pem"], meta["pdf_sha256"], meta["pdf_check"], meta["created_at"], now, meta.get("source_name"), meta.get("register_note"),
             answers_sha256, meta.get("forwarded_by")),
        )  # fmt: skip
        if previous is not None:
            conn.execute("UPDATE hq_submission SET superseded_by=? WHERE id=?", (submission_id, previous.id))
        conn.execute(
            "INSERT INTO audit (at, actor, report_id, action, target, old_value, new_value) VALUES (?,?,?,?,?,?,?)",
            (now, actor, local_id, "hq_import", "submission", None if previous is None else dump_json({"revision": previous.revision}),
             dump_json({"office": report.office_id, "period": report.period, "revision": report.revision, "bundle": meta["bundle_id"]})),
        )  # fmt: skip
    return StoreResult(SUPERSEDED if previous is not None else IMPORTED, submission_id, report.revision)


def _has_blob(conn: sqlite3.Connection, sha: str) -> bool:
    return conn.execute("SELECT 1 FROM blob WHERE sha256=?", (sha,)).fetchone() is not None


def _insert_blob(conn: sqlite3.Connection, sha: str, data: bytes | bytearray) -> None:
    """One blob row, its content written through SQLite's incremental blob I/O: binding a 60 MB
    value copies it once into the statement and again into the record, which would triple what
    the largest evidence file costs in memory."""
    row = conn.execute("INSERT INTO blob (sha256, size, data) VALUES (?,?,zeroblob(?))", (sha, len(data), len(data))).lastrowid
    if data:
        with conn.blobopen("blob", "data", row) as target:
            target.write(data)


def _loaders(blobs: Blobs) -> Iterator[tuple[str, Callable[[], bytes | bytearray]]]:
    if isinstance(blobs, Mapping):
        for sha in blobs:
            yield sha, lambda sha=sha: blobs[sha]
    else:
        for sha, _size, load in blobs:
            yield sha, load


def submissions(database: Database, office_id: str | None = None, current_only: bool = False) -> list[Submission]:
    where, params = [], []
    if office_id:
        where.append("office_id=?")
        params.append(office_id)
    if current_only:
        where.append("superseded_by IS NULL")
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    rows = database.conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM hq_submission{clause} ORDER BY office_id, period, revision", params)
    return [Submission(*row) for row in rows]


def get_submission(database: Database, submission_id: str) -> Submission:
    row = database.conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM hq_submission WHERE id=?", (submission_id,)).fetchone()
    if row is None:
        raise KeyError(f"no submission {submission_id}")
    return Submission(*row)


def load_submission(database: Database, submission_id: str) -> tuple[Report, OfficeProfile | None, dict[str, bytes]]:
    """The report as the office sent it (its own report and evidence ids), its office and evidence content."""
    submission = get_submission(database, submission_id)
    store = ReportStore(database, actor="headquarters")
    report = store.load_report(submission.report_id)
    report.id = submission.office_report_id
    prefix = f"{submission.report_id}:"
    content = {}
    for section in report.sections.values():
        for ev in section.evidence:
            ev.id = ev.id[len(prefix):] if ev.id.startswith(prefix) else ev.id
            content[ev.sha256] = store.evidence_bytes(ev.sha256)
    return report, store.get_office(submission.office_id), content
