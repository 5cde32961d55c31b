"""Signing locks a report, so an incomplete one is never signed without a word (issue 17, item 3)."""

import pytest

from citizen_rights_desktop.editing.report_list import new_report
from citizen_rights_desktop.signing import identity as ident
from citizen_rights_desktop.signing.signed_report import ReportIncomplete, write_report_pdf


@pytest.fixture
def draft(store, form, demo_id):
    """A new, almost empty report of the demo office."""
    return new_report(store, form, store.load_report(demo_id).office_id, "1399")


def test_an_incomplete_report_is_not_signed_unless_the_caller_says_so(store, form, draft, tmp_path):
    identity = ident.create_identity("مدیر کل")
    with pytest.raises(ReportIncomplete) as info:
        write_report_pdf(store, form, draft, tmp_path / "s.pdf", identity)
    assert "% complete" in info.value.message_en and "٪ کامل" in info.value.message_fa
    assert store.load_report(draft).state == "draft" and not (tmp_path / "s.pdf").exists()
    write_report_pdf(store, form, draft, tmp_path / "unsigned.pdf")  # a preview or a print: always
    write_report_pdf(store, form, draft, tmp_path / "s.pdf", identity, allow_incomplete=True)
    assert store.load_report(draft).state == "signed"


def test_a_complete_report_signs_as_before(store, form, demo_id, tmp_path):
    write_report_pdf(store, form, demo_id, tmp_path / "s.pdf", ident.create_identity("مدیر کل"))
    assert store.load_report(demo_id).state == "signed"


def test_the_cli_refuses_and_says_how_to_sign_anyway(store, form, draft, tmp_path, capsys):
    from citizen_rights_desktop.cli.main import main

    key = ident.save_identity(ident.create_identity("مدیر کل"), tmp_path / "id.p12", "office passphrase")
    (tmp_path / "pass").write_text("office passphrase\n")
    argv = ["report", "pdf", draft, "--db", str(store.database.path), "-o", str(tmp_path / "s.pdf"), "--sign", str(key), "--passphrase-file", str(tmp_path / "pass")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the report is") and "--allow-incomplete" in err
    assert main([*argv, "--allow-incomplete"]) == 0
