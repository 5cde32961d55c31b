"""Walking the 1398 report through the wizard, checking every value in the database."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from citizen_rights_desktop.editing.report_list import new_report
from citizen_rights_desktop.report.validation import validate_report
from tests.ui.conftest import press, type_text, wait_loaded
from ui.pages import describe_problem


def _open(qtbot, make_window, report_id):
    window = make_window()
    window.open_report(report_id)
    return window, wait_loaded(qtbot, window)


def _edit_cell(view, row: int, column: int, text: str) -> None:
    """Open the cell's editor as a double click would, type (Persian) text, press Enter."""
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    assert isinstance(editor, QLineEdit), editor
    editor.selectAll()
    type_text(editor, text)
    press(editor, Qt.Key_Return)
    QApplication.processEvents()  # the delegate commits on the next turn of the event loop


def _choose_cell(view, row: int, column: int, option_id: str) -> None:
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    combo = view.indexWidget(index)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(option_id))
    press(combo, Qt.Key_Return)
    QApplication.processEvents()


def _click_tree(qtbot, workspace, key: str) -> None:
    item = workspace.items[key]
    workspace.tree.scrollToItem(item)
    rect = workspace.tree.visualItemRect(item)
    qtbot.mouseClick(workspace.tree.viewport(), Qt.LeftButton, pos=rect.center())


def test_walk_the_1398_report(qtbot, make_window, store, form, office_id, messages, tmp_path):
    report_id = new_report(store, form, office_id)
    window, ws = _open(qtbot, make_window, report_id)
    assert ws.current_key == "header"
    # the guideline's introduction, then the header, the indicators, the diagnostic form, the review
    assert ws.keys[:2] == ["introduction", "header"] and ws.keys[-2] == "diagnostic" and ws.keys[-1] == "review"
    assert len(ws.keys) == len(form.indicators) + 4

    # header: prefilled from the office profile; the head's line is retyped and saved after the pause
    header = ws.page("header")
    head = next(e for e in header.editors if e.spec.id == "head")
    assert head.text() == "مریم احمدی، مدیر کل"
    head.input.clear()
    type_text(head.input, "علی رضایی، سرپرست")
    qtbot.waitUntil(lambda: store.load_report(report_id).header.get("head") == "علی رضایی، سرپرست", timeout=3000)
    assert "ذخیره شد" in window.saved_label.text()

    # indicator 1: yes, one registered service typed cell by cell
    ws.step(1)
    assert ws.current_key == "i01"
    i01 = ws.page("i01")
    assert not i01.yes_box.isVisibleTo(i01)
    qtbot.mouseClick(i01.radios["yes"], Qt.LeftButton)
    assert i01.yes_box.isVisibleTo(i01) and not i01.reason_box.isVisibleTo(i01)
    services = i01.table("registered_services")
    qtbot.mouseClick(services.add_button, Qt.LeftButton)
    assert len(services.model.rows) == 1
    for column, text in enumerate(("صدور سند مالکیت", "قانون ثبت اسناد", "عموم شهروندان", "درگاه اینترنتی اداره")):
        _edit_cell(services.view, 0, column, text)
    assert services.model.index(0, 0).data() == "صدور سند مالکیت"

    # indicator 2: no, with the reason typed
    _click_tree(qtbot, ws, "i02")
    assert ws.current_key == "i02" and ws.stack.currentWidget() is ws.page("i02")
    i02 = ws.page("i02")
    qtbot.mouseClick(i02.radios["no"], Qt.LeftButton)
    assert i02.reason_box.isVisibleTo(i02) and not i02.yes_box.isVisibleTo(i02)
    type_text(i02.reason.input, "اعتبار لازم تأمین نشد")

    # indicator 3: not applicable, justification and a document
    _click_tree(qtbot, ws, "i03")  # leaving i02 saves its reason
    i03 = ws.page("i03")
    qtbot.mouseClick(i03.radios["not_applicable"], Qt.LeftButton)
    assert i03.na_box.isVisibleTo(i03) and i03.evidence.isVisibleTo(i03) and not i03.yes_box.isVisibleTo(i03)
    type_text(i03.justification.input, "این واحد خدمت مستقیم ندارد")
    document = tmp_path / "نامه واگذاری.pdf"
    document.write_bytes(b"%PDF-1.4 letter" * 100)
    i03.evidence.attach([document])
    qtbot.waitUntil(lambda: i03.evidence.tree.topLevelItemCount() == 1, timeout=5000)
    item = i03.evidence.tree.topLevelItem(0)
    assert [item.text(c) for c in range(3)] == ["نامه واگذاری.pdf", "۱٫۵ کیلوبایت", "PDF"]

    # indicator 4: yes; rows pasted from Excel, then one status changed in its combo box
    _click_tree(qtbot, ws, "i04")
    i04 = ws.page("i04")
    i04.set_status("yes")
    processes = i04.table("processes")
    QGuiApplication.clipboard().setText(
        "صدور سند\tالکترونیکی شده اند\thttps://sabt.example.ir\n"
        "استعلام ملکی\tالکترونیکی نشده اند\t\n"
        "گواهی پایان کار\tالکترونیکی نشده اند\t\n"
    )
    qtbot.mouseClick(processes.paste_button, Qt.LeftButton)
    assert len(processes.model.rows) == 3
    assert i04.computed_labels["percent_electronic"].text() == "درصد فرآیندهای الکترونیکی شده: ۳۳٫۳٪"
    _choose_cell(processes.view, 2, 1, "electronic")
    assert processes.model.index(2, 1).data() == "الکترونیکی شده اند"
    assert i04.computed_labels["percent_electronic"].text() == "درصد فرآیندهای الکترونیکی شده: ۶۶٫۷٪"
    # reorder: the last row moves up
    processes.view.setCurrentIndex(processes.model.index(2, 0))
    qtbot.mouseClick(processes.up_button, Qt.LeftButton)
    assert [r.cells["process"] for r in processes.model.rows] == ["صدور سند", "گواهی پایان کار", "استعلام ملکی"]

    # indicator 8: an integer typed with Persian digits, and a second table pasted
    _click_tree(qtbot, ws, "i08")
    i08 = ws.page("i08")
    i08.set_status("yes")
    clients = i08.table("clients_per_service")
    clients.add_row()
    press(clients.view.indexWidget(clients.model.index(0, 0)), Qt.Key_Escape)
    _edit_cell(clients.view, 0, 0, "صدور گواهی")
    _edit_cell(clients.view, 0, 1, "۱۲۰")
    assert clients.model.index(0, 1).data() == "۱۲۰"
    assert not clients.problem.isVisibleTo(clients)
    QGuiApplication.clipboard().setText("سطح شیب دار\tموجود است\r\nآسانسور\tدر دست ساخت\r\n")
    clients_facilities = i08.table("facilities")
    clients_facilities.paste_clipboard()
    assert clients_facilities.count_label.text() == "۲ ردیف"

    # indicator 29: 1398.2 asks nothing beyond its gate (1398.1's submission date is gone)
    _click_tree(qtbot, ws, "i29")
    i29 = ws.page("i29")
    i29.set_status("yes")
    assert i29.field_editors == {} and i29.tables == []

    # the diagnostic form is the last page before the review; optional, so untouched it is not "complete"
    assert ws.items["diagnostic"].text(1) == "پاسخ داده نشده"
    ws.go_to("diagnostic")
    diagnostic = ws.page("diagnostic")
    type_text(diagnostic.field_editors["content_strengths"].input, "جداول روشن است")
    qtbot.waitUntil(lambda: ws.items["diagnostic"].text(1) == "کامل", timeout=5000)

    # the review page lists exactly what the core finds missing in the saved report
    ws.go_to("review")
    review = ws.page("review")
    saved = store.load_report(report_id)
    expected = validate_report(form, saved)
    lines = [review.list.item(i).text() for i in range(review.list.count())]
    assert lines == [describe_problem(p, form) for p in expected.problems]
    assert "شاخص ۴ — ردیف ۲ — «آدرس وبگاه/درگاه» پاسخ داده نشده است." in lines
    assert "شاخص ۵ — به این شاخص پاسخ داده نشده است (بله / خیر / عدم مصداق)." in lines
    for done in ("شاخص ۱ ", "شاخص ۲ ", "شاخص ۳ ", "شاخص ۸ ", "شاخص ۲۹ ", "سربرگ"):
        assert not [line for line in lines if line.startswith(done)], done
    unanswered = len(form.indicators) - 6
    assert len(lines) == unanswered + 1
    assert review.summary.text().startswith("درصد تکمیل: ")

    # the side panel shows each indicator's state
    states = {key: ws.items[key].text(1) for key in ("header", "i01", "i02", "i03", "i04", "i05", "i08", "i29")}
    assert states == {
        "header": "کامل", "i01": "کامل", "i02": "کامل", "i03": "عدم مصداق", "i04": "ناقص",
        "i05": "پاسخ داده نشده", "i08": "کامل", "i29": "کامل",
    }  # fmt: skip
    assert ws.completeness.text() == "درصد تکمیل: ۱۷٫۲٪"  # 5 of 29

    # a line of the review jumps to its indicator
    line = next(i for i in range(review.list.count()) if review.list.item(i).text().startswith("شاخص ۴"))
    rect = review.list.visualItemRect(review.list.item(line))
    qtbot.mouseClick(review.list.viewport(), Qt.LeftButton, pos=rect.center())
    assert ws.current_key == "i04" and ws.stack.currentWidget() is i04
    # the missing web address is marked in its cell, and listed on the page
    model = i04.table("processes").model
    assert model.index(1, 2).data(Qt.ToolTipRole) == "«آدرس وبگاه/درگاه» پاسخ داده نشده است."
    assert model.index(1, 2).data(Qt.BackgroundRole) is not None and model.index(0, 2).data(Qt.BackgroundRole) is None
    assert i04.problems_label.text() == "برای کامل شدن این بخش:\n• ردیف ۲ — «آدرس وبگاه/درگاه» پاسخ داده نشده است."

    # every value is in the database
    window.close()  # never asks; flushes anything still being typed
    report = store.load_report(report_id)
    assert report.header == {"agency": "اداره کل بهزیستی استان یزد", "head": "علی رضایی، سرپرست"}
    i01_rows = report.section("i01").row_cells("registered_services")
    assert report.section("i01").status == "yes"
    assert i01_rows == [{"service": "صدور سند مالکیت", "legal_basis": "قانون ثبت اسناد", "target_group": "عموم شهروندان", "announcement": "درگاه اینترنتی اداره"}]
    assert (report.section("i02").status, report.section("i02").reason) == ("no", "اعتبار لازم تأمین نشد")
    i03_answer = report.section("i03")
    assert (i03_answer.status, i03_answer.justification) == ("not_applicable", "این واحد خدمت مستقیم ندارد")
    assert [(e.name, e.size, e.mime) for e in i03_answer.evidence] == [("نامه واگذاری.pdf", 1500, "application/pdf")]
    assert store.evidence_bytes(i03_answer.evidence[0].sha256) == document.read_bytes()
    assert report.section("i04").row_cells("processes") == [
        {"process": "صدور سند", "status": "electronic", "web_address": "https://sabt.example.ir"},
        {"process": "گواهی پایان کار", "status": "electronic"},
        {"process": "استعلام ملکی", "status": "not_electronic"},
    ]
    assert report.section("i08").row_cells("clients_per_service") == [{"service": "صدور گواهی", "average_clients_per_month": 120}]
    assert report.section("i08").row_cells("facilities") == [
        {"facility": "سطح شیب دار", "status": "موجود است"},
        {"facility": "آسانسور", "status": "در دست ساخت"},
    ]
    assert (report.section("i29").status, report.section("i29").values) == ("yes", {})
    assert report.section("diagnostic").values == {"content_strengths": "جداول روشن است"}
    assert report.section("i05").is_empty()
    assert messages == []


def test_invalid_integer_is_kept_and_flagged(yes_page, qtbot, make_window, store, form, office_id):
    report_id, ws, page = yes_page("i12")
    editor = page.field_editors["complaints_total"]
    type_text(editor.input, "۱۲الف")
    press(editor.input, Qt.Key_Return)
    assert store.load_report(report_id).section("i12").values["complaints_total"] == {"typed": "۱۲الف"}
    assert editor.problem.isVisibleTo(editor)
    assert editor.problem.text() == "«۱۲الف» عدد صحیح نیست."
    assert editor.input.text() == "۱۲الف"
    # fixing it replaces the typed text with the number
    editor.input.clear()
    type_text(editor.input, "۱۲")
    press(editor.input, Qt.Key_Return)
    assert store.load_report(report_id).section("i12").values["complaints_total"] == 12
    assert not editor.problem.isVisibleTo(editor)

    # a table cell: kept as typed, marked, and explained
    ws.go_to("i08")
    i08 = ws.page("i08")
    i08.set_status("yes")
    table = i08.table("clients_per_service")
    table.model.add_rows(1)
    _edit_cell(table.view, 0, 1, "حدود صد")
    assert store.load_report(report_id).section("i08").rows("clients_per_service")[0].cells == {"average_clients_per_month": {"typed": "حدود صد"}}
    assert table.model.index(0, 1).data() == "حدود صد"
    assert table.model.index(0, 1).data(Qt.BackgroundRole) is not None
    assert table.problem.text() == "ردیف ۱، «متوسط تعداد ارباب رجوع برای هر خدمت در طول یک ماه»: «حدود صد» عدد صحیح نیست."

    # reopening the report shows the typed value and its problem again
    window = ws.window()
    window.close_report()
    window.open_report(report_id)
    ws = wait_loaded(qtbot, window)
    ws.go_to("i12")
    assert ws.page("i12").field_editors["complaints_total"].input.text() == "۱۲"
    ws.go_to("i08")
    model = ws.page("i08").table("clients_per_service").model
    assert model.index(0, 1).data() == "حدود صد"
    assert "عدد صحیح نیست" in model.index(0, 1).data(Qt.ToolTipRole)


def test_evidence_open_and_remove(qtbot, make_window, store, form, demo_id, messages, opened_urls):
    window, ws = _open(qtbot, make_window, demo_id)
    na = next(ind.id for ind in form.indicators if store.load_report(demo_id).section(ind.id).status == "not_applicable")
    ws.go_to(na)
    evidence = ws.page(na).evidence
    assert evidence.tree.topLevelItemCount() == 1
    ref = evidence.refs()[0]
    evidence.tree.setCurrentItem(evidence.tree.topLevelItem(0))
    evidence.open_selected()
    assert len(opened_urls) == 1
    opened = Path(opened_urls[0].toLocalFile())
    assert opened.name == ref.name and opened.read_bytes() == store.evidence_bytes(ref.sha256)
    evidence.remove_selected()
    assert evidence.tree.topLevelItemCount() == 0
    assert store.load_report(demo_id).section(na).evidence == []
    ws.revalidate()
    assert ws.items[na].text(1) == "ناقص"
    assert messages == []


def test_a_report_can_be_answered_from_the_keyboard(qtbot, make_window, store, form, office_id):
    """Issue 17, item 10: next / previous indicator, yes / no / not applicable and add row by key."""
    report_id = new_report(store, form, office_id)
    window, ws = _open(qtbot, make_window, report_id)
    window.activateWindow()
    ws.go_to("i03")
    ws.page("i03").setFocus()
    qtbot.keyClick(ws.page("i03"), Qt.Key_PageDown, Qt.ControlModifier)
    assert ws.current_key == "i04"
    qtbot.keyClick(ws.page("i04"), Qt.Key_1, Qt.ControlModifier)
    assert store.load_report(report_id).section("i04").status == "yes"
    table = ws.page("i04").tables[0]
    before = table.model.rowCount()
    qtbot.keyClick(ws.page("i04"), Qt.Key_Insert, Qt.ControlModifier)
    assert table.model.rowCount() == before + 1
    qtbot.keyClick(ws.page("i04"), Qt.Key_PageUp, Qt.ControlModifier)
    assert ws.current_key == "i03"
    qtbot.keyClick(ws.page("i03"), Qt.Key_2, Qt.ControlModifier)
    assert store.load_report(report_id).section("i03").status == "no"
    assert "Ctrl+PgDown" in ws.next_button.toolTip()


def test_the_missing_items_list_keeps_its_place_while_the_clerk_fills_the_page(yes_page, qtbot, make_window, store, form, office_id):
    """Issue 17, item 5: the list above the fields grew and shrank while typing, moving them."""
    from citizen_rights_desktop.report.validation import validate_indicator

    report_id, ws, page = yes_page("i12")
    indicator = form.indicator("i12")
    answer = ws.session.answer("i12")
    many = validate_indicator(indicator, answer)
    page.show_result(many, many.problems)
    assert page.problems_label.isVisibleTo(page) and len(many.problems) >= 2
    tall = page.problems_label.minimumHeight()
    assert tall > 0
    fewer = many.problems[:1]
    page.show_result(many, fewer)
    assert page.problems_label.minimumHeight() >= tall  # one problem left: the list keeps its height
    page.show_result(validate_indicator(indicator, answer).__class__("i12", "complete", []), [])
    assert page.problems_label.isVisibleTo(page) and "کامل" in page.problems_label.text()  # not hidden while the page is open
    assert page.problems_label.minimumHeight() >= tall
