"""The wizard on form 1398.2: headings, the seed's items under «اگر بله», notes, items asked for a no
as well as a yes (indicator 5), items asked for one option of a choice, evidence for a no
(indicator 28), rows copied from indicator 2, the diagnostic form's header, the introduction page
and the guideline named when a report is made."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel

from citizen_rights_desktop.editing.editor import ReportEditor
from citizen_rights_desktop.editing.report_list import new_report
from citizen_rights_desktop.report.validation import validate_report
from tests.ui.conftest import type_text, wait_loaded
from ui.pages import describe_problem


def _open(qtbot, make_window, store, form, office_id, prepare=None):
    report_id = new_report(store, form, office_id)
    if prepare is not None:
        prepare(ReportEditor(store, form, report_id))
    window = make_window()
    window.open_report(report_id)
    return report_id, window, wait_loaded(qtbot, window)


def _shown(page, widget) -> bool:
    return widget.isVisibleTo(page)


def _labels(page, name: str) -> list[QLabel]:
    return [label for label in page.findChildren(QLabel, name) if label.isVisibleTo(page)]


def test_indicator_5_asks_its_electronic_question_for_a_no_and_follows_the_choice(qtbot, make_window, store, form, office_id, messages):
    report_id, _window, ws = _open(qtbot, make_window, store, form, office_id)
    ws.go_to("i05")
    page = ws.page("i05")
    editors = page.field_editors
    assert not _shown(page, page.always_box)  # unanswered: nothing asked yet

    page.set_status("no")
    assert _shown(page, page.reason_box) and not _shown(page, page.yes_box)
    assert _shown(page, page.always_box) and _shown(page, editors["electronic_consolidated"])
    assert not _shown(page, editors["physical_how"]) and not _shown(page, page.table("physical_processes"))
    # the electronic part comes below the reason box, under its heading
    assert page.always_box.y() > page.reason_box.y()
    assert "فرآیند های الکترونیکی" in [label.text() for label in _labels(page, "heading")]
    # no choice yet: neither follow-up
    assert not _shown(page, editors["electronic_reason"]) and not _shown(page, editors["electronic_how"])
    assert not _shown(page, page.table("electronic_processes"))

    # electronic "no": its reason appears
    editors["electronic_consolidated"].set_text("خیر")
    assert store.load_report(report_id).section("i05").values == {"electronic_consolidated": "no"}
    assert _shown(page, editors["electronic_reason"]) and editors["electronic_reason"].label.text() == "اگر خیر، دلیل آن ذکر شود."
    assert not _shown(page, editors["electronic_how"]) and not _shown(page, page.table("electronic_processes"))
    type_text(editors["electronic_reason"].input, "سامانه مشترک هنوز راه اندازی نشده است")
    editors["electronic_reason"].flush()

    # electronic "yes": the description and the electronic table instead; the typed reason is kept
    editors["electronic_consolidated"].set_text("بله")
    assert _shown(page, editors["electronic_how"]) and editors["electronic_how"].label.text() == "اگر بله، چگونگی آن تشریح شود."
    assert _shown(page, page.table("electronic_processes")) and not _shown(page, editors["electronic_reason"])
    saved = store.load_report(report_id).section("i05").values
    assert saved == {"electronic_consolidated": "yes", "electronic_reason": "سامانه مشترک هنوز راه اندازی نشده است"}

    # the missing items come from validation and name only what is asked now
    type_text(page.reason.input, "ساختمان های اداره پراکنده است")
    page.reason.flush()
    ws.revalidate()
    expected = [describe_problem(p, form, with_section=False) for p in validate_report(form, store.load_report(report_id)).sections["i05"].problems]
    assert expected and page.problems_label.text() == "برای کامل شدن این بخش:\n" + "\n".join(f"• {line}" for line in expected)
    assert "«اگر بله، چگونگی آن تشریح شود.» پاسخ داده نشده است." in page.problems_label.text()
    assert "اگر خیر، دلیل آن ذکر شود.»" not in page.problems_label.text()

    # a yes to the gate: the physical part under its prompt, then the electronic part
    page.set_status("yes")
    assert _shown(page, page.yes_box) and _shown(page, editors["physical_how"]) and _shown(page, page.table("physical_processes"))
    assert _shown(page, page.always_box) and page.always_box.y() > page.yes_box.y()
    assert _shown(page, editors["electronic_how"]) and _shown(page, page.table("electronic_processes"))
    # not applicable asks none of them; back to the previous choice shows the reason kept as typed
    page.set_status("not_applicable")
    assert not _shown(page, page.always_box) and not _shown(page, page.yes_box)
    page.set_status("no")
    editors["electronic_consolidated"].set_text("خیر")
    assert editors["electronic_reason"].text() == "سامانه مشترک هنوز راه اندازی نشده است"
    assert messages == []


def test_indicator_28_answered_no_asks_for_evidence(qtbot, make_window, store, form, office_id):
    _report_id, window, ws = _open(qtbot, make_window, store, form, office_id)
    ws.go_to("i01")
    i01 = ws.page("i01")
    i01.set_status("no")
    assert not _shown(i01, i01.evidence)  # an ordinary no needs no document
    ws.go_to("i28")
    page = ws.page("i28")
    page.set_status("no")
    indicator = form.indicator("i28")
    assert _shown(page, page.evidence) and _shown(page, page.evidence.add_button)
    assert page.evidence.title.text() == f"مستندات (لازم): {indicator.evidence_label}"
    assert not _shown(page, page.yes_box)
    ws.revalidate()
    assert any("مستند" in p.message_fa for p in ws.validation.sections["i28"].problems)
    # the missing-items list keeps the height of its text at the page's width: no empty band below it
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: page.problems_label.width() > 700, timeout=3000)
    QApplication.processEvents()
    lines = page.problems_label.text().count("\n") + 1
    assert page.problems_label.minimumHeight() <= (lines + 0.5) * page.problems_label.fontMetrics().lineSpacing()


def test_rows_from_indicator_2_are_copied_once(qtbot, make_window, store, form, office_id, messages):
    report_id, _window, ws = _open(qtbot, make_window, store, form, office_id)
    ws.go_to("i04")
    i04 = ws.page("i04")
    i04.set_status("yes")
    table = i04.table("processes")
    button = table.offered_button
    assert button.text() == "افزودن ردیف‌ها از شاخص ۲"
    assert not button.isEnabled() and "شاخص ۲" in button.toolTip()  # indicator 2 lists nothing yet

    ws.go_to("i02")
    i02 = ws.page("i02")
    i02.set_status("yes")
    assert i02.table("processes").offered_button is None  # only a table with rows_from has the button
    ws.session.paste_rows("i02", "processes", "صدور سند\tشناسنامه دار\tدرگاه\nاستعلام ملکی\tغیر شناسنامه دار\tتابلو اعلانات\n")
    ws.go_to("i04")  # shown again: what is offered is read anew
    assert button.isEnabled() and "۲ ردیف" in button.toolTip()
    qtbot.mouseClick(button, Qt.LeftButton)
    assert [r.cells for r in table.model.rows] == [{"process": "صدور سند"}, {"process": "استعلام ملکی"}]
    assert store.load_report(report_id).section("i04").row_cells("processes") == [{"process": "صدور سند"}, {"process": "استعلام ملکی"}]
    assert table.count_label.text() == "۲ ردیف"
    assert not button.isEnabled() and button.toolTip()
    assert button.copy() == 0  # a second copy adds nothing
    assert len(store.load_report(report_id).section("i04").rows("processes")) == 2
    assert messages == []


def test_headings_items_and_notes_are_shown(qtbot, make_window, store, form, office_id):
    _report_id, _window, ws = _open(qtbot, make_window, store, form, office_id)
    ws.go_to("i24")
    i24 = ws.page("i24")
    i24.set_status("yes")
    headings = [label.text() for label in _labels(i24, "heading")]
    assert headings == ["بازرسی", "کمیته سلامت اداری و صیانت از حقوق مردم"]
    first = next(label for label in _labels(i24, "heading") if label.text() == "بازرسی")
    assert first.font().bold()
    # each heading comes before its first item
    second = next(label for label in _labels(i24, "heading") if label.text() != "بازرسی")
    assert first.mapTo(i24, first.rect().topLeft()).y() < i24.field_editors["inspection_programme"].mapTo(i24, i24.field_editors["inspection_programme"].rect().topLeft()).y()
    assert second.mapTo(i24, second.rect().topLeft()).y() < i24.field_editors["committee_meetings"].mapTo(i24, i24.field_editors["committee_meetings"].rect().topLeft()).y()
    i24.set_status("no")
    assert _labels(i24, "heading") == []  # they belong to the yes part

    ws.go_to("i04")
    i04 = ws.page("i04")
    i04.set_status("yes")
    bullets = _labels(i04, "bullets")
    assert len(bullets) == 1
    assert bullets[0].text().splitlines() == [f"• {item}" for item in form.indicator("i04").yes_items]
    assert "• احصاء فرآیند های اجرایی هر یک از خدمات دستگاه (شاخص ۲)" in bullets[0].text()

    ws.go_to("i13")
    i13 = ws.page("i13")
    i13.set_status("yes")
    notes = [label.text() for label in _labels(i13, "note")]
    assert notes == [f"توضیح: {form.indicator('i13').field('headcount_managers').note}"] * 2


def test_diagnostic_page_shows_the_agency_from_the_header(qtbot, make_window, store, form, office_id):
    _report_id, _window, ws = _open(qtbot, make_window, store, form, office_id)
    ws.go_to("diagnostic")
    page = ws.page("diagnostic")
    assert page.diagnostic_header.text() == "عنوان دستگاه اجرایی / استانداری: اداره کل بهزیستی استان یزد"
    assert _shown(page, page.diagnostic_header)
    assert [label.text() for label in _labels(page, "heading")] == ["نقاط قوت", "نقاط ضعف (چالش ها و موانع) و راهکارهای عملی رفع آن ها"]
    ws.session.set_header("agency", "اداره کل راه و شهرسازی استان گیلان")  # typed on the header page
    assert page.diagnostic_header.text() == "عنوان دستگاه اجرایی / استانداری: اداره کل راه و شهرسازی استان گیلان"


def test_introduction_page(qtbot, make_window, store, form, office_id):
    _report_id, _window, ws = _open(qtbot, make_window, store, form, office_id)
    assert ws.items["introduction"].text(0) == "مقدمه شیوه‌نامه"
    rect = ws.tree.visualItemRect(ws.items["introduction"])
    qtbot.mouseClick(ws.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert ws.current_key == "introduction"
    page = ws.page("introduction")
    assert ws.stack.currentWidget() is page and page.layoutDirection() == Qt.RightToLeft
    assert page.paragraphs[0].text().startswith("مقدمه: ویرایش جدید نحوه اجرای حقوق شهروندی در نظام اداری در برگیرنده ۷ بُعد و ۲۹ شاخص است.")
    text = page.text()
    assert text.index(form.introduction[-1]) < text.index(form.not_applicable_rule) < text.index(form.evidence_rule)
    assert [label.text() for label in _labels(page, "heading")] == ["شرایط عدم مصداق", "مستندات قابل قبول"]
    assert page.widgetResizable() and page.verticalScrollBarPolicy() != Qt.ScrollBarAlwaysOff
    assert not any(label.textInteractionFlags() & Qt.TextEditable for label in page.paragraphs)
    ws.step(1)
    assert ws.current_key == "header"


def test_new_report_names_its_guideline(qtbot, make_window, store, form, office_id, monkeypatch):
    window = make_window()
    window.show_reports()
    text = "گزارش جدید بر پایه شیوه نامه سال ۱۳۹۸ (نسخه ۱۳۹۸٫۲) تنظیم می‌شود."
    assert window.reports_page.guideline_label.text() == text and window.reports_page.guideline_label.isVisibleTo(window)
    asked = []
    monkeypatch.setattr(QInputDialog, "getItem", lambda _parent, title, label, items, *a, **k: (list(items)[0], True))  # the annual report
    monkeypatch.setattr(QInputDialog, "getInt", lambda _parent, title, label, *args, **kw: asked.append((label, args)) or (1398, False))
    window.reports_page.new_button.click()
    assert asked and asked[0][0].startswith(text) and asked[0][1][1] == 1398  # no year before the guideline's


def test_new_report_asks_its_kind_then_a_quarter_for_the_quarterly_report(qtbot, make_window, store, form, office_id, monkeypatch):
    """Issue 14: with the quarterly program report installed, «گزارش جدید» asks which kind, then a
    quarter (a list of the form's quarters) or a year."""
    window = make_window()
    window.show_reports()
    programs = window.catalog.latest("citizen_rights_programs")
    asked = []

    def get_item(_parent, title, label, items, *args, **kwargs):
        asked.append((label, list(items)))
        if label == "نوع گزارش:":
            return programs.title, True
        return next(i for i in items if i.startswith("سه‌ماهه دوم ۱۳۹۹")), True

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    window.reports_page.new_button.click()
    kinds, quarters = asked
    assert kinds[1] == [form.title, programs.title]  # the annual report first
    assert "سه‌ماهه اول ۱۳۹۹ (فروردین تا خرداد)" in quarters[1]
    qtbot.waitUntil(lambda: window.workspace is not None and not window.loading, timeout=20000)
    report = window.workspace.session.report
    assert (report.form_id, report.period) == ("citizen_rights_programs", "1399-Q2")
