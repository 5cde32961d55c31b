import sqlite3

import pytest

from citizen_rights_desktop.report.office import OfficeProfile
from storage import DatabaseTooNew, DatabaseUnreadable, EvidenceTooLarge, ReportStore, backup, open_database
from storage.migrations import LATEST_VERSION
from storage.report_store import MAX_EVIDENCE_BYTES, ReportLocked, ReportNotFound


def _office(store):
    return store.save_office(OfficeProfile(id="", agency="اداره کل آزمایشی", level="provincial_office", province="fars"))


def test_migrations_are_recorded_and_wal_is_on(db_path):
    database = open_database(db_path)
    rows = database.conn.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert rows[-1][0] == LATEST_VERSION
    assert database.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    database.close()


def test_newer_database_is_refused_and_left_untouched(db_path):
    database = open_database(db_path)
    database.conn.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', 'x')", (LATEST_VERSION + 1,))
    database.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseTooNew) as info:
        open_database(db_path)
    assert "newer version" in info.value.message_en and "نسخه جدیدتری" in info.value.message_fa
    assert db_path.read_bytes() == before


def test_corrupt_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "corrupt.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseUnreadable) as info:
        open_database(path)
    assert "untouched" in info.value.message_en
    assert path.read_bytes() == b"this is not a database" * 100


def test_answers_round_trip_and_audit(store):
    office = _office(store)
    report_id = store.create_report(office, "f", "1", "1398")
    store.set_item(report_id, "i01", "status", "yes")
    store.set_item(report_id, "i01", "status", "no")
    [row] = store.add_rows(report_id, "i01", "t", [{"a": "x"}])
    store.set_cell(report_id, "i01", "t", row, "b", 5)
    report = store.load_report(report_id)
    assert report.section("i01").status == "no"
    assert report.section("i01").rows("t")[0].cells == {"a": "x", "b": 5}
    trail = store.audit_trail(report_id)
    assert [(t["action"], t["target"], t["old"], t["new"]) for t in trail if t["target"] == "i01.status"] == [
        ("set", "i01.status", None, '"yes"'),
        ("set", "i01.status", '"yes"', '"no"'),
    ]
    assert all(t["actor"] == "tester" for t in trail)


def test_rows_reorder_and_delete(store):
    report_id = store.create_report(_office(store), "f", "1", "1398")
    ids = store.add_rows(report_id, "i02", "t", [{"n": 1}, {"n": 2}, {"n": 3}])
    store.move_row(report_id, "i02", "t", ids[2], 0)
    store.delete_row(report_id, "i02", "t", ids[1])
    assert [r.cells["n"] for r in store.load_report(report_id).section("i02").rows("t")] == [3, 1]


def test_evidence_is_content_addressed_and_limited(store):
    report_id = store.create_report(_office(store), "f", "1", "1398")
    first = store.add_evidence(report_id, "i03", "a.txt", b"same", "text/plain")
    second = store.add_evidence(report_id, "i05", "b.txt", b"same", "text/plain")
    assert first.sha256 == second.sha256
    assert store.conn.execute("SELECT COUNT(*) FROM blob").fetchone()[0] == 1
    store.remove_evidence(report_id, first.id)
    assert store.evidence_bytes(second.sha256) == b"same"
    store.remove_evidence(report_id, second.id)
    assert store.conn.execute("SELECT COUNT(*) FROM blob").fetchone()[0] == 0
    with pytest.raises(EvidenceTooLarge) as info:
        store.add_evidence(report_id, "i03", "big.pdf", b"x" * (MAX_EVIDENCE_BYTES + 1), "application/pdf")
    assert "50 MB" in info.value.message_en and "۵۰ مگابایت" in info.value.message_fa
    assert store.load_report(report_id).section("i03").evidence == []


def test_unknown_report(store):
    with pytest.raises(ReportNotFound) as info:
        store.load_report("nope")
    assert "no report with id 'nope'" in info.value.message_en


def test_signed_report_is_locked(store):
    report_id = store.create_report(_office(store), "f", "1", "1398")
    store.set_item(report_id, "i01", "status", "yes")
    store.set_state(report_id, "signed")
    with pytest.raises(ReportLocked):
        store.set_item(report_id, "i01", "status", "no")
    assert store.load_report(report_id).section("i01").status == "yes"


def test_backup_before_migration_and_daily_keeps_seven(db_path, monkeypatch):
    database = open_database(db_path)
    store = ReportStore(database)
    report_id = store.create_report(_office(store), "f", "1", "1398")
    store.set_item(report_id, "i01", "status", "yes")
    database.close()
    # a pending migration: the backup is taken before it runs and holds the old data
    from storage import migrations

    extra = (LATEST_VERSION + 1, "test column", "ALTER TABLE report ADD COLUMN note TEXT;")
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, extra])
    monkeypatch.setattr("storage.database.MIGRATIONS", [*migrations.MIGRATIONS])
    monkeypatch.setattr("storage.database.LATEST_VERSION", LATEST_VERSION + 1)
    database = open_database(db_path)
    found = backup.list_backups(db_path)
    assert any(b.reason == f"before-migration-{LATEST_VERSION + 1}" for b in found)
    pre = next(b for b in found if b.reason.startswith("before-migration"))
    old = sqlite3.connect(pre.path)
    assert old.execute("SELECT COALESCE(MAX(version),0) FROM schema_migrations").fetchone()[0] == LATEST_VERSION
    assert old.execute("SELECT value FROM answer WHERE item_id='status'").fetchone()[0] == '"yes"'
    old.close()
    for _ in range(10):
        backup.take_backup(database.conn, db_path)
    assert len(backup.list_backups(db_path)) == backup.KEEP_AUTOMATIC
    database.close()


def test_restore_brings_back_saved_answers(db_path):
    database = open_database(db_path)
    store = ReportStore(database)
    report_id = store.create_report(_office(store), "f", "1", "1398")
    store.set_item(report_id, "i01", "reason", "اول")
    saved = backup.take_backup(database.conn, db_path)
    store.set_item(report_id, "i01", "reason", "دوم")
    backup.restore_backup(database.conn, db_path, saved)
    assert store.load_report(report_id).section("i01").reason == "اول"
    database.close()


def test_nested_transaction_is_a_savepoint(store):
    report_id = store.create_report(_office(store), "f", "1", "1398")
    database = store.database
    with database.transaction():
        store.set_item(report_id, "i01", "reason", "kept")
        with pytest.raises(RuntimeError):
            with database.transaction():
                store.set_item(report_id, "i02", "reason", "undone")
                raise RuntimeError("refused")
        assert store.load_report(report_id).section("i02").reason is None
    report = store.load_report(report_id)
    assert report.section("i01").reason == "kept" and report.section("i02").reason is None


def test_removing_evidence_keeps_the_same_file_used_as_emblem(store):
    office_id = _office(store)
    report_id = store.create_report(office_id, "f", "1", "1398")
    ref = store.add_evidence(report_id, "i03", "logo.png", b"emblem bytes", "image/png")
    office = store.get_office(office_id)
    office.emblem_sha256 = ref.sha256
    store.save_office(office)
    store.remove_evidence(report_id, ref.id)
    assert store.evidence_bytes(ref.sha256) == b"emblem bytes"
