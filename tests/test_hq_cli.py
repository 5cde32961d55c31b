"""The whole exchange through the command line: hq init → office setup with the profile → enrol →
demo report → signed PDF → bundle → hq import; the answers at headquarters equal the office's."""

from __future__ import annotations

from citizen_rights_desktop.cli import main as cli
from citizen_rights_desktop.report import answers_document
from citizen_rights_desktop.signing import identity
from storage import ReportStore, hq_store, open_database


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_exchange_end_to_end_with_a_signed_pdf(tmp_path, capsys):
    _exchange_end_to_end(tmp_path, capsys, ())


def test_cli_exchange_end_to_end_for_the_quarterly_program_report(tmp_path, capsys):
    """Issue 14: the quarterly report goes the same way: signed PDF, bundle, import, status."""
    hq_db = _exchange_end_to_end(tmp_path, capsys, ("--form", "citizen_rights_programs"))
    code, out, err = run(capsys, "hq", "status", "--kind", "citizen_rights_programs", "--period", "1399-Q1", "--db", hq_db)
    assert code == 0 and "period 1399-Q1, deadline 1399/04/15" in out, err
    code, out, err = run(capsys, "hq", "analyse", "--kind", "citizen_rights_programs", "--period", "1399-Q1", "--db", hq_db)
    assert code == 0 and "all reports: 1 report(s)" in out, err


def _exchange_end_to_end(tmp_path, capsys, kind_args: tuple[str, ...]):
    hq_db, office_db = tmp_path / "hq.sqlite3", tmp_path / "office.sqlite3"
    hq_pass, office_pass = tmp_path / "hq-pass", tmp_path / "office-pass"
    hq_pass.write_text("headquarters secret 1\n")
    office_pass.write_text("office secret 22\n")
    code, out, _ = run(capsys, "hq", "init", "--db", hq_db, "--name", "سازمان اداری و استخدامی کشور", "--passphrase-file", hq_pass)
    assert code == 0 and "key-backup" in out and "headquarters secret" not in out
    assert run(capsys, "hq", "profile", "export", "--db", hq_db, "-o", tmp_path / "profile.json", "--passphrase-file", hq_pass)[0] == 0

    code, out, _ = run(capsys, "demo", "--db", office_db, *kind_args)
    report_id = out.strip().splitlines()[-1]
    office_identity = tmp_path / "office.p12"
    identity.save_identity(identity.create_identity("اداره کل ثبت اسناد فارس"), office_identity, "office secret 22")
    assert run(capsys, "office", "import-profile", "--db", office_db, tmp_path / "profile.json")[0] == 0
    code, _, err = run(capsys, "office", "request", "--db", office_db, "--identity", office_identity, "--passphrase-file", office_pass, "-o", tmp_path / "req.csr")
    assert code == 0, err
    code, out, err = run(capsys, "hq", "enrol", "--db", hq_db, tmp_path / "req.csr", "-o", tmp_path / "office-cert.pem", "--passphrase-file", hq_pass)
    assert code == 0, err
    code, out, err = run(capsys, "office", "import-certificate", "--db", office_db, tmp_path / "office-cert.pem",
                         "--identity", office_identity, "--passphrase-file", office_pass)  # fmt: skip
    assert code == 0 and "installed it" in out, err

    # the office signs the report PDF with the certificate headquarters issued (issue 4's signing module)
    database = open_database(office_db, take_backups=False)
    store = ReportStore(database, actor="clerk")
    report = store.load_report(report_id)
    office = store.get_office(report.office_id)
    assert not identity.load_identity(office_identity, "office secret 22").is_self_signed
    code, out, err = run(capsys, "report", "pdf", "--db", office_db, report_id, "-o", tmp_path / "signed.pdf",
                         "--sign", office_identity, "--passphrase-file", office_pass)  # fmt: skip
    assert code == 0, err
    (tmp_path / "signed.pdf").unlink()  # the signed PDF was kept with the report: the bundle takes it from there

    usb = tmp_path / "usb"
    usb.mkdir()
    code, out, err = run(capsys, "report", "bundle", "--db", office_db, report_id, "-o", usb, "--identity", office_identity,
                         "--passphrase-file", office_pass)  # fmt: skip
    assert code == 0, err
    (usb / "broken.crb").write_bytes(b"not a bundle")
    code, out, err = run(capsys, "hq", "import", "--db", hq_db, usb, "--passphrase-file", hq_pass)
    assert code == 2  # one file refused: reported, and the others still imported
    assert "1 imported, 0 unchanged, 1 refused" in out and "broken.crb: refused:" in out

    hq = open_database(hq_db, take_backups=False)
    (submission,) = hq_store.submissions(hq)
    assert submission.pdf_check == "valid"
    at_hq = hq_store.load_submission(hq, submission.id)
    report = store.load_report(report_id)
    evidence = {ev.sha256: store.evidence_bytes(ev.sha256) for s in report.sections.values() for ev in s.evidence}
    assert answers_document.to_document(*at_hq) == answers_document.to_document(report, office, evidence)
    code, out, _ = run(capsys, "hq", "revoke", "--db", hq_db, report.office_id)
    assert code == 0 and "revoked 1 certificate(s)" in out  # refusing its bundles afterwards: test_hq_import
    assert submission.form_id == (kind_args[1] if kind_args else "citizen_rights_annual")
    database.close()
    hq.close()
    return hq_db


def test_cli_errors_are_one_line(tmp_path, capsys):
    secret = tmp_path / "pass"
    secret.write_text("short\n")
    code, _, err = run(capsys, "hq", "init", "--db", tmp_path / "hq.sqlite3", "--name", "x", "--passphrase-file", secret)
    assert code == 2 and err.strip() == "error: the passphrase must be at least 8 characters"
    code, _, err = run(capsys, "hq", "import", "--db", tmp_path / "hq.sqlite3", tmp_path, "--passphrase-file", secret)
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    code, _, err = run(capsys, "hq", "revoke", "--db", tmp_path / "empty.sqlite3", "nobody")
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1

