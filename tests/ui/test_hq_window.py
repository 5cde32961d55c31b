"""The headquarters window (ui/hq): receive by drop, completeness, pivot, charts, ranking, review,
exports — each checked against the core functions the ``hq`` commands use. Offscreen (tests/conftest.py)."""

from __future__ import annotations

import copy
import sqlite3

import pytest
from bundle_world import PASSPHRASE
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from citizen_rights_desktop.exchange import feedback as feedback_files
from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.hq import completeness as hq_completeness
from citizen_rights_desktop.hq import export as hq_export
from citizen_rights_desktop.hq import review as hq_review
from citizen_rights_desktop.report.office import PROVINCES
from storage import open_database
from ui.app import application
from ui.hq.app import build_hq_window
from ui.hq.common import RAW_ROLE, column_texts

LATIN_DIGITS = set("0123456789")



def hq_file(w, tmp_path):
    database = w.hq_copy(tmp_path)
    path = database.path
    database.close()
    return path


def drop(window, paths) -> None:
    """What the window gets when files are dragged onto it and released: drag enter, then drop."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(200, 200), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    assert QApplication.sendEvent(window, QDropEvent(QPointF(200, 200), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))


# --- receive -------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # QDragEnterEvent's QPoint constructor, the only one there is
def test_dropped_bundles_are_imported_off_the_gui_thread_with_a_result_per_file(w, tmp_path, qtbot, open_window, messages):
    window = open_window(hq_file(w, tmp_path))
    asked = []
    window.ask_passphrase = lambda purpose: asked.append(purpose) or PASSPHRASE
    usb = tmp_path / "usb"
    usb.mkdir()
    good = usb / "office-1398-r1.crb"
    good.write_bytes(w.build())
    damaged = bytearray(w.build())
    damaged[len(damaged) // 2] ^= 0x55
    bad = usb / "damaged.crb"
    bad.write_bytes(bytes(damaged))
    (usb / "notes.txt").write_text("not a bundle")  # a folder import takes only *.crb files

    with qtbot.waitSignal(window.import_done, timeout=30000) as done:
        drop(window, [usb])
    results = dict((p.name, r) for p, r in done.args[0])
    assert set(results) == {"office-1398-r1.crb", "damaged.crb"}
    assert results["office-1398-r1.crb"].status == "imported" and isinstance(results["damaged.crb"], BundleRefused)
    page = window.receive_page
    assert window.tabs.currentWidget() is page
    by_file = {path.name: (status, message) for path, status, message in page.results}
    assert by_file["office-1398-r1.crb"] == ("imported", results["office-1398-r1.crb"].message_fa)
    assert by_file["damaged.crb"] == ("refused", results["damaged.crb"].message_fa)  # the exact reason
    shown = dict(zip(column_texts(page.table, 0), column_texts(page.table, 1)))
    assert shown == {"office-1398-r1.crb": "ثبت شد", "damaged.crb": "رد شد"}
    for text in column_texts(page.table, 2) + [page.status.text()]:
        assert not LATIN_DIGITS & set(text), text  # Persian digits
    assert "۲ فایل بررسی شد" in page.status.text() and not page.progress.isVisible()
    assert len(asked) == 1 and not messages

    # the same file again (chosen with the button this time): identical, nothing changes; keys not asked again
    window.choose_bundle_files = lambda: [str(good)]
    with qtbot.waitSignal(window.import_done, timeout=30000):
        page.choose_files_button.click()
    assert [s for _, s, _ in page.results] == ["identical"] and column_texts(page.table, 1) == ["تکراری؛ تغییری نکرد"]
    assert len(asked) == 1
    # the figures were refreshed after the import: the submission is in the review list
    qtbot.waitUntil(lambda: not window.loading and window.snapshot is not None and len(window.snapshot.submissions) == 1, timeout=20000)
    assert window.review_page.list.rowCount() == 1


def test_a_wrong_passphrase_is_a_persian_message_and_nothing_is_imported(w, tmp_path, open_window, messages):
    window = open_window(hq_file(w, tmp_path))
    window.ask_passphrase = lambda purpose: "not the passphrase"
    bundle = tmp_path / "a.crb"
    bundle.write_bytes(w.build())
    assert window.import_paths([bundle]) is False
    assert messages == [("خطا", "گذرواژه کلیدهای ستاد نادرست است.")]
    assert window.receive_page.table.rowCount() == 0 and not window.importing


def test_a_database_that_is_not_a_headquarters_one_is_refused_in_persian(tmp_path, messages, store):
    application()
    assert build_hq_window(store.database.path, None) is None
    assert messages and "ستاد نیست" in messages[-1][1]
    assert build_hq_window(store.database.path, None) is None  # the refusal released its lock: same answer again
    assert "ستاد نیست" in messages[-1][1]
    assert build_hq_window(tmp_path / "missing.sqlite3", None) is None
    assert "پیدا نشد" in messages[-1][1] and not (tmp_path / "missing.sqlite3").exists()


# --- completeness, analysis, ranking ---------------------------------------------------------------


def test_completeness_counts_and_drill_down_equal_hq_completeness(sample_db, open_window, form, tmp_path):
    window = open_window(sample_db)
    database = open_database(sample_db, take_backups=False)
    result = hq_completeness.completeness(database.conn, form, "1398")
    database.close()
    page = window.completeness_page
    table = page.provinces
    shown = {}
    for r in range(table.rowCount()):
        key = table.item(r, 0).data(RAW_ROLE)
        shown[key] = tuple(table.item(r, c).data(RAW_ROLE) for c in range(1, 5))
    expected = {row.province: (row.counts.units, row.counts.on_time, row.counts.late, row.counts.missing) for row in result.by_province() if row.counts.units}
    c = result.counts
    expected[None] = (c.units, c.on_time, c.late, c.missing)
    assert shown == expected
    assert table.item(0, 1).text() == str(c.units).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))

    page.select_province("fars")
    assert [page.units.item(r, 0).data(RAW_ROLE) for r in range(page.units.rowCount())] == [u.unit_id for u in result.in_province("fars")]
    assert [page.units.item(r, 3).data(RAW_ROLE) for r in range(page.units.rowCount())] == [u.status for u in result.in_province("fars")]

    # reminders of the whole country, as the core writes them
    page.select_province(None)
    target = tmp_path / "todo.csv"
    window.choose_save_file = lambda *a: str(target)
    page.reminders_button.click()
    expected_csv = tmp_path / "expected.csv"
    hq_completeness.write_reminders_csv(result, expected_csv)
    assert target.read_bytes() == expected_csv.read_bytes() and target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_pivot_model_equals_pivot_yes_share_in_persian_digits(sample_db, open_window, form):
    window = open_window(sample_db)
    database = open_database(sample_db, take_backups=False)
    pivot = analysis.pivot_yes_share(database.conn, form, "1398", by="province")
    shares = analysis.status_shares(database.conn, form, "1398")
    database.close()
    model = window.analysis_page.pivot_model
    assert model.rowCount() == len(form.indicators) and [model.headerData(c, Qt.Horizontal, RAW_ROLE) for c in range(model.columnCount())][:31] == list(PROVINCES)
    for row, indicator in enumerate(form.indicators):
        assert model.headerData(row, Qt.Vertical, RAW_ROLE) == indicator.id
        for column in range(model.columnCount()):
            province = model.headerData(column, Qt.Horizontal, RAW_ROLE)
            assert model.data(model.index(row, column), RAW_ROLE) == pivot[indicator.id].get(province)
            text = model.data(model.index(row, column))
            assert not LATIN_DIGITS & set(text)
            value = pivot[indicator.id].get(province)
            assert text == ("—" if value is None else f"{round(value)}٪".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
    # the national shares table: counts and the yes share per indicator
    table = window.analysis_page.shares_table
    for row, indicator in enumerate(form.indicators):
        counts = shares.counts[("", indicator.id)]
        assert [table.item(row, c).data(RAW_ROLE) for c in range(2, 6)] == [counts[s] for s in analysis.STATUSES]
        assert table.item(row, 6).data(RAW_ROLE) == shares.share("", indicator.id)
    # by province: one group at a time
    page = window.analysis_page
    page.grouping.setCurrentIndex(1)
    page.group.setCurrentIndex(page.group.findData("fars"))
    by_province = analysis.status_shares(open_database(sample_db, take_backups=False).conn, form, "1398", by="province")
    assert [table.item(r, 6).data(RAW_ROLE) for r in range(table.rowCount())] == [by_province.share("fars", i.id) for i in form.indicators]
    # numeric summaries
    numbers = window.snapshot.numbers
    assert [page.numbers_table.item(r, 4).data(RAW_ROLE) for r in range(page.numbers_table.rowCount())] == [n.total for n in numbers]


def test_charts_export_as_png(sample_db, open_window, tmp_path, form):
    window = open_window(sample_db)
    page = window.analysis_page
    assert [b.value for b in page.indicator_chart.bars] == [window.snapshot.shares[None].share("", i.id) for i in form.indicators]
    assert [(b.label, b.value) for b in page.province_chart.bars] == [(r.label, r.score) for r in window.snapshot.province_ranks]
    targets = iter([tmp_path / "indicators.png", tmp_path / "provinces"])
    window.choose_save_file = lambda *a: str(next(targets))
    page.save_indicator_chart.click()
    page.save_province_chart.click()
    for path in (tmp_path / "indicators.png", tmp_path / "provinces.png"):
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000
        image = QImage(str(path))
        assert image.width() >= 1000 and image.height() > 400
        # something was drawn in the bar colour
        colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert "#3f6fb5" in colours


def test_ranking_shows_ties_and_units_without_a_report(sample_db, open_window, form):
    window = open_window(sample_db)
    database = open_database(sample_db, take_backups=False)
    scores = analysis.scores(database.conn, form, "1398")
    expected_units = {u.unit_id: u.name for u in hq_completeness.completeness(database.conn, form, "1398").units}
    database.close()
    ranks = analysis.rank_units(scores, expected_units)
    page = window.ranking_page
    assert [page.units.item(r, 1).data(RAW_ROLE) for r in range(page.units.rowCount())] == [r.key for r in ranks]
    texts = column_texts(page.units, 0)
    missing = [r for r in ranks if r.rank is None]
    assert missing and texts[-len(missing):] == ["بدون گزارش"] * len(missing)
    assert column_texts(page.units, 3)[-1] == "بدون گزارش"
    ties = [r for r in ranks if r.rank is not None and sum(1 for o in ranks if o.rank == r.rank) > 1]
    assert ties  # generated scores do tie
    row = ranks.index(ties[0])
    assert texts[row].endswith("(مشترک)")
    provinces = analysis.rank_provinces(scores, PROVINCES)
    assert [page.provinces.item(r, 2).data(RAW_ROLE) for r in range(page.provinces.rowCount())] == [r.score for r in provinces]


# --- review ----------------------------------------------------------------------------------------


def receive(w, path, report=None) -> str:
    database = open_database(path, take_backups=False)
    try:
        with w.importer(database) as importer:
            outcome = importer.import_bytes(w.build(report))
    finally:
        database.close()
    assert outcome.changed, outcome.message_en
    return outcome.submission_id


def office_copy(w, tmp_path):
    target = tmp_path / "office-copy.sqlite3"
    source, dest = sqlite3.connect(w.store.database.path), sqlite3.connect(target)
    source.backup(dest)
    source.close()
    dest.close()
    return open_database(target, take_backups=False)


def test_return_with_comments_writes_a_feedback_file_the_office_accepts(w, tmp_path, open_window, form, messages):
    path = hq_file(w, tmp_path)
    submission_id = receive(w, path)
    window = open_window(path)
    window.ask_passphrase = lambda purpose: PASSPHRASE
    page = window.review_page
    assert page.list.rowCount() == 1 and page.list.item(0, 4).text() == "دریافت شده"
    page.list.setCurrentCell(0, 0)  # opens it
    assert page.submission.id == submission_id and page.accept_button.isEnabled() and not page.feedback_button.isEnabled()
    assert page.detail.rowCount() == 1 + len(form.indicators)

    # a return without a comment is refused with a Persian message, nothing decided
    page.return_button.click()
    assert "دست‌کم یک توضیح" in messages[-1][1]
    assert hq_review.review_state(window.database, submission_id).state == "received"

    page.set_comment("i04", "فهرست فرآیندها ناقص است؛ نشانی درگاه را بنویسید.")
    page.set_comment("general", "لطفاً اصلاح و دوباره ارسال کنید.")
    page.author.setText("مدیر ارزیابی")
    target = tmp_path / "feedback.json"
    window.choose_save_file = lambda *a: str(target)
    page.return_button.click()
    state = hq_review.review_state(window.database, submission_id)
    assert state.state == "returned" and state.decided_by == "مدیر ارزیابی"
    assert [(c.indicator_id, c.text) for c in state.comments] == [
        ("general", "لطفاً اصلاح و دوباره ارسال کنید."), ("i04", "فهرست فرآیندها ناقص است؛ نشانی درگاه را بنویسید."),
    ]  # fmt: skip
    assert page.list.item(0, 4).text() == "بازگشت داده شده" and not page.return_button.isEnabled() and page.feedback_button.isEnabled()

    office_db = office_copy(w, tmp_path)
    try:
        result = feedback_files.import_feedback(office_db, target.read_bytes())
        assert result.changed and result.feedback.decision == "returned"
        shown = feedback_files.feedback_for_report(office_db, w.report_id)
        assert {k: [c.text for c in v] for k, v in shown.by_indicator().items()} == {
            "i04": ["فهرست فرآیندها ناقص است؛ نشانی درگاه را بنویسید."], "general": ["لطفاً اصلاح و دوباره ارسال کنید."],
        }  # fmt: skip
    finally:
        office_db.close()
    assert PASSPHRASE not in "".join(t for _, t in messages)


def test_a_resubmitted_revision_is_compared_indicator_by_indicator_and_accepted(w, tmp_path, open_window, form):
    path = hq_file(w, tmp_path)
    receive(w, path)
    r2 = copy.deepcopy(w.report)
    r2.revision = 2
    no_id = next(k for k, s in r2.sections.items() if s.status == "no")
    r2.sections[no_id].reason = "دلیل اصلاح شده پس از بازگشت گزارش"
    second = receive(w, path, r2)
    window = open_window(path)
    window._hq = w.hq  # keys already opened in this session
    page = window.review_page
    assert window.review_page.open(second)
    assert page.only_changed.isEnabled()
    changed_rows = [r for r in range(page.detail.rowCount()) if page.detail.item(r, 2).data(RAW_ROLE)]
    assert [page.detail.item(r, 0).data(RAW_ROLE) for r in changed_rows] == [no_id]
    assert page.detail.item(changed_rows[0], 2).text() == "دلیل تغییر کرد"
    page.only_changed.setChecked(True)
    visible = [page.detail.item(r, 0).data(RAW_ROLE) for r in range(page.detail.rowCount()) if not page.detail.isRowHidden(r)]
    assert visible == ["general", no_id]
    target = tmp_path / "accepted.json"
    window.choose_save_file = lambda *a: str(target)
    page.accept_button.click()
    assert hq_review.review_state(window.database, second).state == "accepted" and target.exists()


# --- exports ---------------------------------------------------------------------------------------


def test_exports_run_off_the_gui_thread_with_the_cli_results(sample_db, open_window, tmp_path, qtbot, form):
    window = open_window(sample_db)
    with qtbot.waitSignal(window.export_done, timeout=30000) as done:
        window.export("xlsx", tmp_path / "hq")
    assert done.args[0] and (tmp_path / "hq.xlsx").exists()
    from openpyxl import load_workbook

    database = open_database(sample_db, take_backups=False)
    extra = ["وضعیت ارسال", "ارسال به تفکیک استان", "یادآوری"]
    expected = [s.name for s in hq_export.sheets(database.conn, form, "1398")] + extra
    analysis_only = [s.name for s in hq_export.sheets(database.conn, form, "1398", tables=False)] + extra
    database.close()
    assert load_workbook(tmp_path / "hq.xlsx", read_only=True).sheetnames == analysis_only
    with qtbot.waitSignal(window.export_done, timeout=30000) as done:
        window.choose_folder = lambda *a: str(tmp_path / "csv")
        window.exports_page.buttons["csv"].click()
    assert sorted(p.stem for p in (tmp_path / "csv").glob("*.csv")) == sorted(expected)
    assert "CSV" in window.exports_page.log.toPlainText()
    with qtbot.waitSignal(window.export_done, timeout=60000) as done:
        window.export("pdf", tmp_path / "national")
    assert done.args[0] and (tmp_path / "national.pdf").read_bytes().startswith(b"%PDF")
    assert not window.exports_page.progress.isVisible() and all(b.isEnabled() for b in window.exports_page.buttons.values())


def test_a_second_window_on_the_same_database_is_refused(sample_db, open_window, messages):
    first = open_window(sample_db, wait=False)
    assert build_hq_window(sample_db, None) is None
    assert "پنجره دیگری" in messages[-1][1]
    first.database.close()
    first.instance_lock.release()
    second = build_hq_window(sample_db, None)  # free again once the first is closed
    assert second is not None
    second.database.close()
    second.instance_lock.release()
    first.database = second.database  # the fixture closes it again: harmless


def test_the_cli_opens_the_window_on_the_database(tmp_path, monkeypatch, capsys, sample_db):
    from citizen_rights_desktop.cli import main as cli
    from ui import launcher

    assert launcher.main(["hq", "window", "--db", str(tmp_path / "missing.sqlite3")]) == 2
    assert capsys.readouterr().err.strip().startswith("error: no database at")
    import ui.hq.app

    calls = []
    monkeypatch.setattr(ui.hq.app, "run_hq", lambda db, forms: calls.append((db, forms)) or 0)
    assert launcher.main(["hq", "window", "--db", str(sample_db)]) == 0
    assert calls == [(sample_db, None)]
    # the core's command line alone has no window to open: it says so instead of importing ui
    assert cli.main(["hq", "window", "--db", str(sample_db)]) == 2
    assert "desktop interface" in capsys.readouterr().err
    assert calls == [(sample_db, None)]
