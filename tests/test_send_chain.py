"""The office's outbox sent to headquarters' real intake service (issue 18): over a line that cuts
every connection after 512 KiB, a revoked office, the CLI, and the same bundle sent twice."""

from __future__ import annotations

import os
import sqlite3

import pytest

from citizen_rights_desktop.cli.main import main
from citizen_rights_desktop.exchange import outbox
from citizen_rights_desktop.exchange.office_enrolment import load_profile, office_certificate
from citizen_rights_desktop.exchange.receipt import read_receipt
from citizen_rights_desktop.exchange.sender import Credentials, Sender
from citizen_rights_desktop.hq import offices as hq_offices
from citizen_rights_desktop.hq.intake_server import IntakeServer
from citizen_rights_desktop.signing.identity import OfficeIdentity, save_identity
from cutting_proxy import CuttingProxy
from storage import ReportStore, open_database, outbox_store

MB = 1024 * 1024
PASSPHRASE = "office passphrase for tests"


def office_copy(w, tmp_path) -> ReportStore:
    target = tmp_path / "office.sqlite3"
    source, dest = sqlite3.connect(w.root / "office.sqlite3"), sqlite3.connect(target)
    source.backup(dest)
    source.close()
    dest.close()
    return ReportStore(open_database(target, take_backups=False), actor="clerk")


def signed_revisions(w, store: ReportStore, count: int, evidence_bytes: int) -> list[str]:
    """``count`` new revisions of the world's report, each citing a new incompressible evidence file."""
    report_id, ids = w.report_id, []
    section = next(iter(w.report.sections))
    for _ in range(count):
        report_id = store.new_revision(report_id)
        store.add_evidence(report_id, section, "scan.pdf", os.urandom(evidence_bytes), "application/pdf")
        store.set_state(report_id, "signed")
        ids.append(report_id)
    return ids


def credentials(w, store) -> Credentials:
    cert, chain = office_certificate(store.database, w.report.office_id)
    return Credentials(w.key, cert, list(chain))


@pytest.fixture
def service(w, tmp_path):
    hq_db = w.hq_copy(tmp_path)
    hq_db.close()
    with IntakeServer(hq_db.path, w.hq) as server:
        server.database_path = hq_db.path  # for the tests' own look into headquarters' database
        yield server


def submissions(path) -> list[tuple[str, int]]:
    database = open_database(path, take_backups=False)
    try:
        return database.conn.execute("SELECT office_id, revision FROM hq_submission ORDER BY revision").fetchall()
    finally:
        database.close()


def test_three_bundles_arrive_over_a_line_cut_every_512_kib_at_little_more_than_their_size(w, tmp_path, service):
    store = office_copy(w, tmp_path)
    profile = load_profile(store.database)
    entries = [outbox.queue_bundle(store, rid, w.signer, profile) for rid in signed_revisions(w, store, 3, 3 * MB)]
    total = sum(e.size for e in entries)
    assert all(e.size > 3 * MB for e in entries)
    with CuttingProxy(("127.0.0.1", service.port), 512 * 1024) as line:
        sender = Sender(store.database, profile, credentials(w, store), url=f"https://127.0.0.1:{line.port}", backoff=0.05, max_backoff=0.2)
        lines: list[str] = []
        results = sender.send_all(max_time=120, say=lines.append)
    assert [e.state for e in results] == ["received"] * 3, lines
    assert line.cuts >= total // (512 * 1024) - 1  # the line really was cut, again and again
    assert line.client_bytes <= 1.3 * total, (line.client_bytes, total)
    for entry in results:  # each holds headquarters' signed word, for its own bundle
        receipt = read_receipt(entry.receipt, w.hq.ca_cert, entry.sha256)
        assert receipt.accepted and receipt.revision == entry.revision and receipt.office_id == w.report.office_id
    assert submissions(service.database_path) == [
        (w.report.office_id, 2), (w.report.office_id, 3), (w.report.office_id, 4)]  # fmt: skip
    print(f"{line.connections} connections, {line.cuts} cuts, {line.client_bytes} bytes sent for {total}")
    assert sum("received, receipt" in text for text in lines) == 3, lines


def test_a_bundle_sent_again_gets_the_same_receipt_and_is_not_imported_twice(w, tmp_path, service):
    store = office_copy(w, tmp_path)
    profile = load_profile(store.database)
    entry = outbox.queue_bundle(store, signed_revisions(w, store, 1, 1000)[0], w.signer, profile)
    url = service.url
    first = Sender(store.database, profile, credentials(w, store), url=url).send_all(max_time=30)[0]
    assert first.state == "received"
    # the office lost its answer (say, a restored backup): the bundle goes again
    outbox_store.update(store.database, entry.bundle_id, state="queued", receipt=None, receipt_id=None, upload_url=None, sent_bytes=0)
    second = Sender(store.database, profile, credentials(w, store), url=url).send_all(max_time=30)[0]
    assert second.state == "received" and second.receipt == first.receipt


def test_a_revoked_office_is_refused_before_any_byte_and_not_retried(w, tmp_path, service):
    store = office_copy(w, tmp_path)
    profile = load_profile(store.database)
    entry = outbox.queue_bundle(store, signed_revisions(w, store, 1, 200_000)[0], w.signer, profile)
    hq_db = open_database(service.database_path, take_backups=False)
    hq_offices.revoke_office(hq_db, w.report.office_id, "key compromise")
    hq_db.close()
    lines: list[str] = []
    [result] = Sender(store.database, profile, credentials(w, store), url=service.url, backoff=0.05).send_all(max_time=20, say=lines.append)
    assert result.state == "refused" and result.reason_code == "revoked" and result.receipt is None
    assert result.attempts == 0 and lines == [f"{entry.file_name}: refused: {result.reason_en}"]
    assert "باطل" in outbox.describe(result).detail_fa
    hq_db = open_database(service.database_path, take_backups=False)
    assert hq_db.conn.execute("SELECT COUNT(*) FROM intake_upload").fetchone()[0] == 0
    hq_db.close()
    assert not any(service.folder.folder.iterdir())


def test_send_and_receipts_from_the_command_line(w, tmp_path, service, capsys):
    store = office_copy(w, tmp_path)
    rid = signed_revisions(w, store, 1, 1000)[0]
    cert, chain = office_certificate(store.database, w.report.office_id)
    identity = save_identity(OfficeIdentity(w.key, cert, list(chain), "دبیر"), tmp_path / "office.p12", PASSPHRASE)
    (tmp_path / "pass").write_text(PASSPHRASE + "\n", encoding="utf-8")
    db = str(store.database.path)
    common = ["--db", db, "--identity", str(identity), "--passphrase-file", str(tmp_path / "pass")]
    assert main(["report", "bundle", rid, "--queue", *common]) == 0
    assert main(["send", *common, "--max-time", "1", "--url", "https://127.0.0.1:9"]) == 2  # nobody there: still queued
    out = capsys.readouterr().out
    assert "not sent yet" in out and "0 received" in out
    assert main(["office", "receipts", "--db", db]) == 0
    assert "queued 0%; last try: " in (listed := capsys.readouterr().out) and "; next try after 20" in listed
    assert main(["office", "set-intake", "--db", db, service.url]) == 0
    assert main(["send", *common, "--max-time", "60"]) == 0
    out = capsys.readouterr().out
    assert "1 received" in out and "received, receipt" in out
    assert main(["office", "receipts", "--db", db]) == 0
    assert "received, receipt" in capsys.readouterr().out
    assert main(["send", *common]) == 0
    assert "nothing to send" in capsys.readouterr().out
    assert main(["office", "set-intake", "--db", db, "http://plain.example"]) == 2
    assert "https://" in capsys.readouterr().err


def test_uploads_finishing_together_share_one_commit_and_each_gets_its_own_receipt(w, tmp_path, service, monkeypatch):
    import threading
    import time

    importer = service.service.importer
    batches: list[int] = []
    original = importer.finish_many

    def slow_first(database, uploads):  # the first import holds the thread while the others arrive
        batches.append(len(uploads))
        if len(batches) == 1:
            time.sleep(0.5)
        return original(database, uploads)

    monkeypatch.setattr(importer, "finish_many", slow_first)
    stores = []
    for i in range(4):
        (tmp_path / str(i)).mkdir()
        store = office_copy(w, tmp_path / str(i))
        rid = signed_revisions(w, store, i + 1, 1000 * (i + 1))[-1]  # revisions 2, 3, 4, 5: four different bundles
        outbox.queue_bundle(store, rid, w.signer, load_profile(store.database))
        store.database.close()
        stores.append(store.database.path)
    results = {}

    def send(path):
        database = open_database(path, take_backups=False)
        results[path] = Sender(database, load_profile(database), credentials(w, ReportStore(database)), url=service.url).send_all(max_time=60)[0]
        database.close()

    threads = [threading.Thread(target=send, args=(path,)) for path in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.state for r in results.values()) == ["received"] * 4
    assert sum(batches) == 4 and max(batches) > 1, batches  # some of them were imported in one commit
    receipts = [read_receipt(r.receipt, w.hq.ca_cert, r.sha256) for r in results.values()]
    assert sorted(r.revision for r in receipts) == [2, 3, 4, 5] and len({r.receipt_id for r in receipts}) == 4
    stored = submissions(service.database_path)  # a revision arriving after a newer one is received, not stored ("older")
    assert len(stored) == sum(r.status in ("imported", "superseded") for r in receipts) and (w.report.office_id, 5) in stored
