"""One import run over a folder of good and hostile bundles (issue 12): every good file is imported,
every hostile one is refused alone, with its reason, and the run never stops."""

from hostile_corpus import write_corpus

from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.hq.importer import import_paths
from citizen_rights_desktop.persian.text import unsafe_characters
from storage import hq_store


def test_every_good_file_is_imported_and_every_hostile_one_refused_with_its_reason(w, tmp_path):
    expected = write_corpus(w, tmp_path / "usb", tmp_path / "work")
    database = w.hq_copy(tmp_path)
    try:
        with w.importer(database) as importer:
            verdicts = {path.name: verdict for path, verdict in import_paths(importer, [tmp_path / "usb"])}
        current = [s for s in hq_store.submissions(database, w.report.office_id) if s.superseded_by is None]
    finally:
        database.close()
    assert sorted(verdicts) == sorted(expected)
    hostile = {name for name, codes in expected.items() if codes is not None}
    assert len(hostile) >= 20
    for name, codes in expected.items():
        verdict = verdicts[name]
        if codes is None:
            assert not isinstance(verdict, BundleRefused), f"{name} was refused: {verdict.message_en}"
            assert verdict.changed, (name, verdict.status)
            continue
        assert isinstance(verdict, BundleRefused), f"{name} was accepted: {verdict.message_en}"
        assert not codes or verdict.code in codes, (name, verdict.code, verdict.message_en)
        assert verdict.message_en and verdict.message_fa
        assert not unsafe_characters(verdict.message_en), (name, verdict.message_en)  # no message can forge a line
    assert [s.revision for s in current] == [4]  # the last good revision is the current one
