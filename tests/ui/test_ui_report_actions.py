"""Issue 4/5/6 in the office window: preview, print, sign and lock, new revision, the exchange with
headquarters (profile, certificate request and certificate, bundle export) and its feedback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from citizen_rights_desktop.signing import identity as ident
from citizen_rights_desktop.signing.pades import validate_pdf_signature
from tests.ui.conftest import wait_loaded
from ui import identity_dialog
from ui.identity_dialog import IdentityDialog

PASSPHRASE = "گذرواژه-امن-۱۲۳"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """The user's data folder (identity, settings, logs) in the test's own folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def infos(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: shown.append((title, text)) or QMessageBox.Ok)
    return shown


@pytest.fixture
def identity_prompts(monkeypatch):
    """The identity dialog creates a self-signed identity; the passphrase prompt answers at once."""
    created = []

    def fake_exec(dialog):
        dialog.tabs.setCurrentIndex(0)
        dialog.passphrase.setText(PASSPHRASE)
        dialog.repeat.setText(PASSPHRASE)
        created.append(dialog.name.text())
        return QDialog.Accepted if dialog.submit() else QDialog.Rejected

    monkeypatch.setattr(IdentityDialog, "exec", fake_exec)
    monkeypatch.setattr(identity_dialog, "ask_passphrase", lambda *a, **k: PASSPHRASE)
    return created


def _pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def _list_window(qtbot, make_window, report_id):
    window = make_window()
    window.show_reports(select=report_id)
    assert window.reports_page.selected_id() == report_id
    return window


def test_preview_renders_the_pdf_and_opens_it(qtbot, make_window, demo_id, opened_urls, messages):
    window = _list_window(qtbot, make_window, demo_id)
    with qtbot.waitSignal(window.actions.done, timeout=30000) as done:
        qtbot.mouseClick(window.reports_page.action_buttons["preview"], Qt.LeftButton)
    assert done.args[0] == "preview" and not messages
    (url,) = opened_urls
    path = Path(url.toLocalFile())
    assert path == done.args[1] and path.read_bytes().startswith(b"%PDF")
    assert _pdf_pages(path) > 5


def test_print_rasterises_the_pages_for_the_print_dialog(qtbot, make_window, demo_id, monkeypatch, tmp_path, messages):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    output = tmp_path / "printed.pdf"

    def fake_exec(dialog):
        dialog.printer().setOutputFormat(QPrinter.PdfFormat)  # a file instead of a real printer
        dialog.printer().setOutputFileName(str(output))
        return QPrintDialog.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    window = _list_window(qtbot, make_window, demo_id)
    with qtbot.waitSignal(window.actions.done, timeout=60000) as done:
        window.run_action("print", demo_id)
    assert done.args == ["print", ("printed", done.args[1][1])] and not messages
    assert done.args[1][1] == _pdf_pages(output) > 5


def test_sign_from_the_wizard_locks_the_report_then_a_new_revision_opens_editable(
    qtbot, make_window, store, demo_id, identity_prompts, infos, messages, tmp_path, monkeypatch
):
    target = tmp_path / "out" / "signed.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    window = make_window()
    assert "ساخته نشده" in window.identity_label.text()
    window.open_report(demo_id)
    workspace = wait_loaded(qtbot, window)
    assert not workspace.session.read_only and workspace.revision_button is None
    with qtbot.waitSignal(window.actions.done, timeout=30000):
        qtbot.mouseClick(workspace.action_buttons["sign"], Qt.LeftButton)
    assert len(identity_prompts) == 1 and identity_prompts[0] and not messages
    assert store.load_report(demo_id).state == "signed"
    identity = ident.load_identity(ident.default_identity_path(), PASSPHRASE)
    check = validate_pdf_signature(target, [identity.certificate])
    assert check.ok and check.signer, check.reason_en
    ((title, text),) = infos
    assert title == "گزارش امضا شد" and str(target) in text and "خودامضا" in text
    assert "خودامضا" in window.identity_label.text()

    # the wizard reopens read-only, with the new-revision button
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace is not workspace and not window.loading, timeout=10000)
    locked = window.workspace
    assert locked.session.read_only and locked.revision_button is not None and locked.revision_button.isVisible()
    assert not locked.page("i04").radios["yes"].isEnabled()
    qtbot.mouseClick(locked.revision_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace is not locked and not window.loading, timeout=10000)
    fresh = window.workspace
    report = fresh.session.report
    assert report.id != demo_id and report.revision == 2 and report.state == "draft"
    assert not fresh.session.read_only and fresh.page("i04").radios["no"].isEnabled()
    fresh.page("i04").set_status("no")
    assert store.load_report(report.id).section("i04").status == "no"
    assert store.load_report(demo_id).section("i04").status == "yes"  # the signed revision is untouched


@pytest.fixture(scope="module")
def hq(tmp_path_factory):
    from citizen_rights_desktop.hq import identity as hq_identity
    from citizen_rights_desktop.hq import profile as hq_profile_export
    from storage import open_database

    folder = tmp_path_factory.mktemp("hq")
    database = open_database(folder / "hq.sqlite3", take_backups=False)
    hq = hq_identity.init_hq(database, "سازمان اداری و استخدامی کشور", "hq passphrase 123")
    profile = folder / "profile.json"
    profile.write_bytes(hq_profile_export.export_profile(database, hq, [ROOT / "forms" / "citizen-rights-1398.yaml"]))
    yield database, hq, profile
    database.close()


def test_enrol_export_bundle_and_receive_feedback(qtbot, make_window, store, demo_id, identity_prompts, infos, messages, tmp_path, hq):
    from citizen_rights_desktop.form.catalog import FormCatalog
    from citizen_rights_desktop.hq import offices as hq_offices
    from citizen_rights_desktop.hq import review as hq_review
    from citizen_rights_desktop.hq.importer import Importer

    hq_db, hq_id, profile = hq
    window = _list_window(qtbot, make_window, demo_id)
    # enrolment: profile, request (the identity is made on the way), certificate issued by headquarters
    assert window.actions.import_profile(profile)
    request = window.actions.export_request(tmp_path / "request.pem")
    assert request is not None and request.read_bytes().startswith(b"-----BEGIN CERTIFICATE REQUEST")
    issued = tmp_path / "office-cert.pem"
    issued.write_bytes(hq_offices.enrol(hq_db, hq_id, request.read_bytes()))
    assert window.actions.import_certificate(issued), messages
    assert "صادرشده از" in window.identity_label.text() and not messages

    # sign (with the certificate headquarters issued) and export the bundle to a "USB drive"
    signed = tmp_path / "signed.pdf"
    with qtbot.waitSignal(window.actions.done, timeout=30000):
        window.actions.save_signed(demo_id, signed)
    usb = tmp_path / "usb"
    usb.mkdir()
    with qtbot.waitSignal(window.actions.done, timeout=30000) as done:
        window.actions.export_bundle(demo_id, usb)
    assert done.args[0] == "bundle" and not messages
    (crb,) = usb.glob("*.crb")
    assert crb.name.endswith("_1398_r1.crb")
    row = window.reports_page.entries.index(next(e for e in window.reports_page.entries if e.id == demo_id))
    cell = window.reports_page.table.item(row, 7)
    assert cell.text().startswith("ویرایش ۱ در فایل ذخیره شد: ۱۴"), cell.text()  # issue 18: sent only with a receipt
    assert "ارسال شد" not in cell.text() and "USB" in cell.toolTip()

    # headquarters receives it, returns it with a comment on indicator 4; the office imports the feedback
    with Importer(hq_db, hq_id, FormCatalog(ROOT / "forms")) as importer:
        outcome = importer.import_bytes(crb.read_bytes())
    assert outcome.changed, outcome.message_en
    comment = "نشانی درگاه فرآیند دوم را بنویسید."
    hq_review.decide(hq_db, outcome.submission_id, "returned", "کارشناس ستاد", [("i04", comment)])
    feedback = tmp_path / "feedback.json"
    feedback.write_bytes(hq_review.feedback_file(hq_db, hq_id, outcome.submission_id))
    assert window.actions.import_feedback(feedback), messages
    row = next(i for i, e in enumerate(window.reports_page.entries) if e.id == demo_id)
    assert "ستاد: بازگشت داده شد (۱ نظر)" in window.reports_page.table.item(row, 7).text()

    window.open_report(demo_id)
    workspace = wait_loaded(qtbot, window)
    workspace.go_to("i04")
    page = workspace.page("i04")
    assert page.feedback_box is not None and page.feedback_box.isVisibleTo(page)
    texts = [label.text() for label in page.feedback_box.findChildren(type(page.state_label))]
    assert any(comment in t for t in texts) and page.body.indexOf(page.feedback_box) == 0
    assert "(نظر ستاد)" in workspace.items["i04"].text(0)
    assert workspace.page("i05").feedback_box is None


def test_a_report_signed_before_the_certificate_is_signed_again_in_one_step(qtbot, make_window, store, demo_id, identity_prompts, infos, messages, tmp_path, hq):
    """Issue 12, item 11: the office must not send what headquarters will refuse."""
    from citizen_rights_desktop.form.catalog import FormCatalog
    from citizen_rights_desktop.hq import offices as hq_offices
    from citizen_rights_desktop.hq.importer import Importer

    hq_db, hq_id, profile = hq
    window = _list_window(qtbot, make_window, demo_id)
    assert window.actions.import_profile(profile)
    # signed at once with the self-signed identity, as a clerk does before headquarters answers
    with qtbot.waitSignal(window.actions.done, timeout=30000):
        window.actions.save_signed(demo_id, tmp_path / "self-signed.pdf")
    request = window.actions.export_request(tmp_path / "request.pem")
    issued = tmp_path / "office-cert.pem"
    issued.write_bytes(hq_offices.enrol(hq_db, hq_id, request.read_bytes()))
    assert window.actions.import_certificate(issued), messages
    usb = tmp_path / "usb"
    usb.mkdir()
    questions = []
    from PySide6.QtWidgets import QMessageBox

    def answer(_parent, title, text, *args, **kwargs):
        questions.append(text)
        return QMessageBox.Yes

    import pytest as _pytest

    with _pytest.MonkeyPatch.context() as patch:
        patch.setattr(QMessageBox, "question", answer)
        with qtbot.waitSignal(window.actions.done, timeout=60000) as done:
            window.actions.export_bundle(demo_id, usb)
    assert questions and "پیش از ورود گواهی ستاد" in questions[0]
    assert done.args[0] == "bundle" and not messages, messages
    (crb,) = usb.glob("*.crb")
    assert crb.name.endswith("_1398_r2.crb")  # a new revision, signed with headquarters' certificate
    assert store.load_report(demo_id).revision == 1 and store.load_report(demo_id).state == "signed"  # the old one untouched
    with Importer(hq_db, hq_id, FormCatalog(ROOT / "forms"), require_pdf=True) as importer:
        outcome = importer.import_bytes(crb.read_bytes())
    assert outcome.changed and outcome.pdf_check == "valid", outcome.message_en


def test_a_bundle_is_refused_while_the_office_is_not_enrolled(qtbot, make_window, store, demo_id, identity_prompts, infos, messages, tmp_path, hq):
    hq_db, hq_id, profile = hq
    window = _list_window(qtbot, make_window, demo_id)
    assert window.actions.import_profile(profile)
    with qtbot.waitSignal(window.actions.done, timeout=30000):
        window.actions.save_signed(demo_id, tmp_path / "self-signed.pdf")
    usb = tmp_path / "usb"
    usb.mkdir()
    window.actions.export_bundle(demo_id, usb)
    assert messages and "گواهی صادرشده از ستاد" in messages[-1][1]  # told what to do
    assert not list(usb.iterdir())  # and nothing was written that headquarters would refuse


def test_signing_an_incomplete_report_asks_first(qtbot, make_window, store, demo_id, identity_prompts, infos, messages, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from citizen_rights_desktop.editing.report_list import new_report
    from citizen_rights_desktop.form.catalog import FormCatalog

    form = FormCatalog(ROOT / "forms").latest()
    draft = new_report(store, form, store.load_report(demo_id).office_id, "1399")
    window = _list_window(qtbot, make_window, draft)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, title, text, *a, **k: asked.append(text) or QMessageBox.No)
    window.actions.save_signed(draft, tmp_path / "s.pdf")
    assert asked and "کامل است" in asked[0] and "امضا و قفل شود" in asked[0]
    assert store.load_report(draft).state == "draft" and not (tmp_path / "s.pdf").exists()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    with qtbot.waitSignal(window.actions.done, timeout=30000):
        window.actions.save_signed(draft, tmp_path / "s.pdf")
    assert store.load_report(draft).state == "signed"


def test_settings_name_the_imported_headquarters_profile(qtbot, make_window, store, demo_id, identity_prompts, infos, messages, hq):
    """Issue 17: after a profile was imported, settings said none was chosen."""
    from PySide6.QtWidgets import QLabel

    _hq_db, _hq_id, profile = hq
    window = _list_window(qtbot, make_window, demo_id)
    assert window.actions.import_profile(profile)
    dialog = window.show_settings()
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "سازمان اداری و استخدامی کشور" in texts
    assert dialog.hq_profile.placeholderText() != "هنوز انتخاب نشده"
    dialog.reject()
