"""Issue 17, item 7 (language) and busy feedback: Qt's own file dialogs in Persian with Jalali dates
and the last folder remembered, paths isolated and digits Persian in messages, the certificate
issuer in Persian, the Jalali calendar with Friday as the weekend and no week numbers, and the
wait cursor during long work in the window's thread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QFileDialog,
    QFileSystemModel,
    QMessageBox,
    QTableView,
)

from citizen_rights_desktop.form.definition import Field
from citizen_rights_desktop.settings import load_settings
from tests.ui.conftest import wait_loaded
from ui import file_dialogs
from ui.fields import FieldEditor
from ui.formatting import fa_message, ltr

RED = "#c62828"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_the_jalali_calendar_has_friday_as_its_weekend_and_no_week_numbers(qtbot):
    editor = FieldEditor(Field(id="d", label="تاریخ", type="date"), "2019-05-05", lambda text: None)
    qtbot.addWidget(editor)
    calendar = editor.input.calendar
    assert calendar.calendar().name() == "Jalali" and calendar.firstDayOfWeek() == Qt.Saturday
    assert calendar.verticalHeaderFormat() == QCalendarWidget.NoVerticalHeader
    colours = {
        day: calendar.weekdayTextFormat(day).foreground().color().name()
        for day in (Qt.Friday, Qt.Saturday, Qt.Sunday, Qt.Monday)
    }
    assert colours[Qt.Friday] == RED and RED not in (
        colours[Qt.Saturday],
        colours[Qt.Sunday],
        colours[Qt.Monday],
    )
    editor.input._sync_calendar()  # as when the calendar opens: on the typed date, ۱۳۹۸/۰۲/۱۵
    assert calendar.selectedDate() == QDate(2019, 5, 5)
    view = calendar.findChild(QTableView)
    selected = view.selectionModel().selectedIndexes()
    assert [view.model().data(i) for i in selected] == [15]  # the highlighted cell is that day
    calendar.setSelectedDate(QDate.currentDate())
    today = calendar.calendar().partsFromDate(QDate.currentDate()).day
    assert [view.model().data(i) for i in view.selectionModel().selectedIndexes()] == [today]


def test_file_dialogs_are_qt_own_in_persian_and_remember_the_last_folder(qtbot, tmp_path, monkeypatch):
    first, second = tmp_path / "اسکن‌ها", tmp_path / "other"
    first.mkdir()
    second.mkdir()
    scan = first / "scan-1.pdf"
    scan.write_bytes(b"%PDF-1.4")
    shown: list[QFileDialog] = []

    def choose(dialog: QFileDialog) -> bool:
        shown.append(dialog)
        dialog.selectFile(str(scan))
        return True

    monkeypatch.setattr(file_dialogs, "execute", choose)
    assert file_dialogs.open_files(None, "افزودن مستند", "evidence") == [str(scan)]
    dialog = shown[-1]
    assert dialog.testOption(QFileDialog.DontUseNativeDialog)
    assert dialog.layoutDirection() == Qt.RightToLeft
    assert (
        dialog.labelText(QFileDialog.Accept) == "باز کردن"
        and dialog.labelText(QFileDialog.Reject) == "انصراف"
    )
    assert load_settings().last_folders["evidence"] == str(first)

    file_dialogs.open_files(None, "افزودن مستند", "evidence")
    assert Path(shown[-1].directory().absolutePath()) == first  # starts where the clerk was last time
    assert file_dialogs.start_folder("bundle") == str(Path.home())  # each purpose has its own
    assert file_dialogs.choose_folder(None, "پوشه بسته", "bundle", start=str(second)) == str(scan)
    assert shown[-1].labelText(QFileDialog.Accept) == "انتخاب این پوشه"

    # the columns in Persian, the date in the Jalali calendar, the size in Persian digits
    dialog = file_dialogs.make_dialog(None, "افزودن مستند", "evidence", "open")
    qtbot.addWidget(dialog)
    proxy = dialog.proxyModel()
    source = dialog.findChild(QFileSystemModel)
    assert [proxy.headerData(c, Qt.Horizontal) for c in range(4)] == ["نام", "اندازه", "نوع", "تاریخ تغییر"]
    qtbot.waitUntil(
        lambda: source.index(str(scan)).isValid() and source.rowCount(source.index(str(first))) > 0,
        timeout=5000,
    )
    row = source.index(str(scan))
    date = proxy.mapFromSource(row.siblingAtColumn(3)).data()
    jalali_year = str(dt.date.today().year - 621)
    assert date[:4] in {"".join("۰۱۲۳۴۵۶۷۸۹"[int(d)] for d in str(int(jalali_year) + k)) for k in (0, 1)}, (
        date
    )
    assert proxy.mapFromSource(row.siblingAtColumn(1)).data() == "۸ بایت"
    assert proxy.mapFromSource(row.siblingAtColumn(2)).data() == "PDF"


def test_messages_isolate_paths_and_show_persian_digits(qtbot, make_window, messages, tmp_path):
    missing = tmp_path / "hq-2" / "profile-12.json"
    window = make_window()
    dialog = window.show_settings()
    dialog.hq_profile.setText(str(missing))
    assert dialog.save()
    assert messages, "the missing profile file is told"
    text = messages[-1][1]
    assert f"\u2066{missing}\u2069" in text  # left to right inside the Persian sentence
    window.show_error("ردیف 3 از 12 در " + ltr("C:/data/2024/x.pdf"))
    assert messages[-1][1] == "ردیف ۳ از ۱۲ در \u2066C:/data/2024/x.pdf\u2069"
    assert (
        fa_message("حجم فایل «scan2.jpg» 51 مگابایت است؛ حداکثر 50.5 مگابایت.")
        == "حجم فایل «scan2.jpg» ۵۱ مگابایت است؛ حداکثر ۵۰٫۵ مگابایت."
    )


def _certificate(subject: x509.Name, issuer: x509.Name, key, signer) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
        .sign(signer, hashes.SHA256())
    )  # fmt: skip


def test_the_certificate_issuer_is_named_in_persian():
    from types import SimpleNamespace

    from ui.identity_dialog import HQ_FA, issuer_text

    ca_key, office_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    # a name that ends in a digit cannot go into a certificate (signing.certificate_names): only the CN is there
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Citizen Rights Headquarters CA hq-7")])
    ca = _certificate(ca_name, ca_name, ca_key, ca_key)
    office = _certificate(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "office")]), ca_name, office_key, ca_key
    )
    profile = SimpleNamespace(name="ستاد حقوق شهروندی استان فارس (ستاد ۲)", ca_cert=ca)
    assert issuer_text(office, profile) == profile.name  # the full name from headquarters' profile
    assert issuer_text(office) == HQ_FA  # no profile imported: still Persian, never the English CN
    org = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "CA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ستاد استان یزد"),
        ]
    )
    assert issuer_text(_certificate(org, org, ca_key, ca_key)) == "ستاد استان یزد"


def test_a_backup_shows_the_wait_cursor_while_it_is_written(
    qtbot, make_window, store, demo_id, monkeypatch, tmp_path
):
    from storage import backup

    window = make_window()
    dialog = window.show_backups()
    seen = []
    taken = backup.take_backup

    def take(*args, **kwargs):
        cursor = QApplication.overrideCursor()
        seen.append(cursor.shape() if cursor else None)
        return taken(*args, **kwargs)

    monkeypatch.setattr(backup, "take_backup", take)
    told = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda _p, title, text, *a, **k: told.append(text) or QMessageBox.Ok
    )
    folder = tmp_path / "usb"
    folder.mkdir()
    path = dialog.backup_now(folder)
    assert seen == [Qt.WaitCursor] and QApplication.overrideCursor() is None
    assert f"\u2066{path}\u2069" in told[-1]


def test_a_page_is_built_under_the_wait_cursor(qtbot, make_window, demo_id, monkeypatch):
    window = make_window()
    window.open_report(demo_id)
    workspace = wait_loaded(qtbot, window)
    workspace._prebuild.clear()  # no page built in idle time: the next one is built when asked
    seen = []
    build = workspace._build_page

    def watched(key):
        cursor = QApplication.overrideCursor()
        seen.append(cursor.shape() if cursor else None)
        build(key)

    monkeypatch.setattr(workspace, "_build_page", watched)
    target = next(key for key in workspace.keys if key not in workspace.pages)
    workspace.go_to(target)
    assert seen[0] == Qt.WaitCursor and workspace.current_key == target
