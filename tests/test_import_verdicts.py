"""Each file of an import run gets its own verdict (issue 12, items 3 and 9)."""

import copy
import uuid

from citizen_rights_desktop.exchange import bundle_writer
from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.hq.importer import import_paths
from citizen_rights_desktop.report import answers_document
from storage import hq_store


def revision(w, number: int):
    report = copy.deepcopy(w.report)
    report.revision = number
    next(s for s in report.sections.values() if s.status == "no").reason = f"دلیل ویرایش {number}"
    return report


def hostile(w, monkeypatch, number: int, replacement: str) -> bytes:
    """A bundle signed by the enrolled office whose answers.json holds ``replacement`` where a reason was."""
    report = revision(w, number)
    marker = "MARKER-" + uuid.uuid4().hex
    next(s for s in report.sections.values() if s.status == "no").reason = marker
    original = answers_document.dumps
    monkeypatch.setattr(answers_document, "dumps", lambda document: original(document).replace(f'"{marker}"', replacement))
    try:
        return w.build(report)
    finally:
        monkeypatch.setattr(answers_document, "dumps", original)


def test_hostile_files_do_not_stop_the_run_and_each_is_named(w, hq_db, tmp_path, monkeypatch):
    folder = tmp_path / "usb"
    folder.mkdir()
    (folder / "a-r1.crb").write_bytes(w.build(revision(w, 1)))
    (folder / "b-huge-number.crb").write_bytes(hostile(w, monkeypatch, 4, "1" * 5000))
    (folder / "c-r2.crb").write_bytes(w.build(revision(w, 2)))
    (folder / "d-lone-surrogate.crb").write_bytes(hostile(w, monkeypatch, 5, '"\\ud800"'))
    (folder / "e-r3.crb").write_bytes(w.build(revision(w, 3)))
    with w.importer(hq_db) as importer:
        results = dict((path.name, verdict) for path, verdict in import_paths(importer, [folder]))
    assert list(results) == ["a-r1.crb", "b-huge-number.crb", "c-r2.crb", "d-lone-surrogate.crb", "e-r3.crb"]
    for name in ("a-r1.crb", "c-r2.crb", "e-r3.crb"):
        assert not isinstance(results[name], BundleRefused), (name, results[name])
        assert results[name].changed
    for name in ("b-huge-number.crb", "d-lone-surrogate.crb"):
        verdict = results[name]
        assert isinstance(verdict, BundleRefused), (name, verdict)
        assert verdict.message_en and verdict.message_fa and "Traceback" not in verdict.message_en
        assert "4300" not in verdict.message_en and "digits" not in verdict.message_en.lower() or "answers" in verdict.message_en
    current = [s for s in hq_store.submissions(hq_db, w.report.office_id) if s.superseded_by is None]
    assert [s.revision for s in current] == [3]


def test_a_reused_bundle_id_with_other_content_is_refused_naming_both_files(w, hq_db, tmp_path, monkeypatch):
    fixed = uuid.UUID("12345678123456781234567812345678")
    monkeypatch.setattr(bundle_writer.uuid, "uuid4", lambda: fixed)
    folder = tmp_path / "usb"
    folder.mkdir()
    (folder / "first.crb").write_bytes(w.build(revision(w, 1)))
    (folder / "second.crb").write_bytes(w.build(revision(w, 2)))  # same id, other revision and answers
    monkeypatch.undo()
    with w.importer(hq_db) as importer:
        results = dict((path.name, verdict) for path, verdict in import_paths(importer, [folder]))
    assert results["first.crb"].status == hq_store.IMPORTED
    refusal = results["second.crb"]
    assert isinstance(refusal, BundleRefused) and refusal.code == "bundle_id_reused"
    assert "first.crb" in refusal.message_en and "second.crb" not in refusal.message_en  # the run names the file itself
    assert fixed.hex in refusal.message_en
    # in a later run too: the earlier file's name is remembered
    with w.importer(hq_db) as importer:
        again = dict((path.name, verdict) for path, verdict in import_paths(importer, [folder / "second.crb"]))
    assert isinstance(again["second.crb"], BundleRefused) and "first.crb" in again["second.crb"].message_en
    current = [s for s in hq_store.submissions(hq_db, w.report.office_id)]
    assert [s.revision for s in current] == [1]


def test_the_same_bundle_twice_is_identical_not_a_conflict(w, hq_db, tmp_path):
    data = w.build(revision(w, 1))
    with w.importer(hq_db) as importer:
        assert importer.import_bytes(data).status == hq_store.IMPORTED
        assert importer.import_bytes(data).status == hq_store.IDENTICAL


def test_the_org_unit_register_decides_the_province_and_a_contradiction_is_flagged(w, hq_db, capsys):
    from citizen_rights_desktop.cli.hq import cmd_hq_status  # noqa: F401 - the command under test
    from citizen_rights_desktop.cli.main import main
    from citizen_rights_desktop.hq import offices as hq_offices
    from citizen_rights_desktop.hq.completeness import completeness

    office_id = w.report.office_id
    assert w.office.province == "fars"
    hq_offices.set_org_units(hq_db, [{"id": office_id, "name": "اداره کل ثبت اسناد", "level": "provincial_office", "province": "tehran"}])
    with w.importer(hq_db) as importer:
        outcome = importer.import_bytes(w.build(revision(w, 1)))
    assert outcome.status == hq_store.IMPORTED
    assert "says province fars" in outcome.message_en and "register says tehran" in outcome.message_en and "توجه" in outcome.message_fa
    stored = hq_db.conn.execute("SELECT province FROM office WHERE id=?", (office_id,)).fetchone()[0]
    assert stored == "tehran"  # analysis groups the unit where the register puts it
    form = w.catalog.get(w.report.form_id, w.report.form_version)
    assert "register says tehran" in completeness(hq_db.conn, form, "1398").register_notes[office_id]
    assert main(["hq", "status", "--db", str(hq_db.path)]) == 0
    assert f"check unit {office_id}: the bundle says province fars" in capsys.readouterr().out


def test_a_bundle_that_agrees_with_the_register_carries_no_note(w, hq_db):
    from citizen_rights_desktop.hq import offices as hq_offices

    hq_offices.set_org_units(hq_db, [{"id": w.report.office_id, "name": "اداره کل", "level": "provincial_office", "province": "fars"}])
    with w.importer(hq_db) as importer:
        outcome = importer.import_bytes(w.build(revision(w, 1)))
    assert outcome.status == hq_store.IMPORTED and "note" not in outcome.message_en
