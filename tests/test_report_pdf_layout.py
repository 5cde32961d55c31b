"""Issue 13 (form 1398.2 on paper): the letterhead PDF prints exactly what each answer asks
(``report.relevance``), with the guideline's headings, hints, items under «اگر بله», documents, the
not-applicable rule and the diagnostic form's header. Helpers are shared with
tests/test_report_pdf_fidelity.py (the covering letter, years, addressee and signer)."""

from __future__ import annotations

import copy
import re

import pytest

from citizen_rights_desktop.editing.demo import demo_report
from citizen_rights_desktop.form.loader import load_form
from citizen_rights_desktop.pdf import render_report_pdf
from citizen_rights_desktop.report.model import Row, SectionAnswer
from citizen_rights_desktop.report.validation import computed_values
from storage import ReportStore, open_database
from tests.conftest import ROOT
from tests.test_pdf import pdftotext
from tests.test_report_pdf_fidelity import flat, pytestmark, render  # noqa: F401 - pytestmark: the same skip without poppler

# --- 6. form 1398.2: what the answer asks, headings, help, seed items, evidence, rules -----------
#
# Each test prints a report whose answer says what must and must not be on paper, and reads the
# indicator's own stretch of text back (from its title to the next indicator's title).

BIDI_AND_ZWNJ = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u200c"))


def _title_key(indicator) -> str:
    """The indicator's title up to its first bracket or digit (poppler moves those around)."""
    return re.split(r"[(\[«۰-۹0-9]", flat(indicator.title))[0]


def indicator_text(text: str, form, indicator_id: str) -> str:
    """The flattened text printed for one indicator: from its title to the next indicator's."""
    whole = flat(text)
    order = [i.id for i in form.indicators]
    position = order.index(indicator_id)
    start = whole.index(_title_key(form.indicator(indicator_id)))
    if position + 1 < len(order):
        end = whole.index(_title_key(form.indicators[position + 1]), start + 1)
    else:
        end = whole.index(flat("جمع بندی پاسخ شاخص ها"), start)
    return whole[start:end]


def text_lines(text: str) -> list[str]:
    return [" ".join(line.translate(BIDI_AND_ZWNJ).split()) for line in text.splitlines()]


def rendered_text(form, report, office, path) -> str:
    result = render_report_pdf(form, report, office, None, path)
    assert result.pages >= 10
    return pdftotext(path)


def with_answer(report, section_id: str, answer: SectionAnswer):
    changed = copy.deepcopy(report)
    changed.sections[section_id] = answer
    return changed


PHYSICAL_HOW = "شرح آزمایشی تجمیع فیزیکی در ساختمان مرکزی"
ELECTRONIC_HOW = "شرح آزمایشی تجمیع الکترونیکی در درگاه یکپارچه"
ELECTRONIC_REASON = "دلیل آزمایشی تجمیع نشدن فرآیندهای الکترونیکی"
GATE_REASON = "دلیل آزمایشی تجمیع نشدن فرآیندهای فیزیکی"
PHYSICAL_ROW = "فرآیند فیزیکی نمونه آزمون"
ELECTRONIC_ROW = "فرآیند الکترونیکی نمونه آزمون"


def i05_answer(gate: str, electronic: str) -> SectionAnswer:
    """Indicator 5 with every item filled, whatever is asked: the PDF must print only the asked ones."""
    return SectionAnswer(
        status=gate,
        reason=GATE_REASON if gate == "no" else None,
        values={"physical_how": PHYSICAL_HOW, "electronic_consolidated": electronic, "electronic_how": ELECTRONIC_HOW, "electronic_reason": ELECTRONIC_REASON},
        tables={
            "physical_processes": [Row(f"p{i}", {"process": PHYSICAL_ROW, "status": "consolidated" if i else "not_consolidated"}) for i in range(3)],
            "electronic_processes": [Row(f"e{i}", {"process": ELECTRONIC_ROW, "status": "consolidated" if i < 3 else "not_consolidated"}) for i in range(4)],
        },
    )  # fmt: skip


@pytest.mark.parametrize("gate, electronic", [("no", "yes"), ("no", "no"), ("yes", "no")])
def test_i05_prints_each_question_with_its_own_branch_only(demo, form, tmp_path, gate, electronic):
    report, office, _ = demo
    indicator = form.indicator("i05")
    text = rendered_text(form, with_answer(report, "i05", i05_answer(gate, electronic)), office, tmp_path / "i05.pdf")
    part = indicator_text(text, form, "i05")
    physical_table, electronic_table = indicator.table("physical_processes"), indicator.table("electronic_processes")
    physical_percent, electronic_percent = (c.label for c in indicator.computed)
    # the gate's own branch
    assert (flat(GATE_REASON) in part) == (gate == "no")
    for printed in (flat(PHYSICAL_HOW), flat(physical_table.title), flat(PHYSICAL_ROW), flat(physical_percent)):
        assert (printed in part) == (gate == "yes"), printed
    if gate == "yes":
        assert flat("۶۶٫۷٪") in part  # 2 of the 3 physical processes
    # the electronic question is asked whatever the gate's answer, under its heading
    heading = indicator.field("electronic_consolidated").heading
    assert heading in text_lines(text)
    assert flat(indicator.field("electronic_consolidated").label) in part
    assert part.index(flat(heading)) < part.index(flat(indicator.field("electronic_consolidated").label))
    assert (flat(ELECTRONIC_HOW) in part) == (electronic == "yes")
    assert (flat(ELECTRONIC_REASON) in part) == (electronic == "no")
    for printed in (flat(electronic_table.title), flat(ELECTRONIC_ROW), flat(electronic_percent)):
        assert (printed in part) == (electronic == "yes"), printed
    if electronic == "yes":
        assert flat("۷۵٪") in part  # 3 of the 4 electronic processes
    if gate == "no":  # the gate's reason comes before the second question
        assert part.index(flat(GATE_REASON)) < part.index(flat(heading))


def test_seed_items_under_yes_and_help_are_printed(demo, form, tmp_path):
    report, office, _ = demo
    assert report.section("i04").status == "yes" and report.section("i10").status == "yes"
    text = rendered_text(form, report, office, tmp_path / "r.pdf")
    i04 = indicator_text(text, form, "i04")
    positions = []
    for item in form.indicator("i04").yes_items:
        key = re.split(r"[(\[«۰-۹0-9.]", flat(item))[0]
        assert key in i04, item
        positions.append(i04.index(key))
    assert positions == sorted(positions)  # in the seed's order
    assert i04.index(flat(form.indicator("i04").yes_label).rstrip(":")) < positions[0]  # under the yes label
    # both halves of «درصد فرآیندهای الکترونیکی شده و الکترونیکی نشده»
    for computed in form.indicator("i04").computed:
        assert flat(computed.label) in i04
    i10 = indicator_text(text, form, "i10")
    assert flat("سامانه نوبت دهی") in i10.split(flat("دارد"), 1)[1]  # under the gate (the title names it too)
    assert "سامانه نوبت دهی" in text_lines(text)  # on a line of its own, under «تشریح مکانیسم»
    # help repeated on consecutive fields prints once; a note is never printed
    i13 = form.indicator("i13")
    assert all(i13.field(f"hours_{who}").help == i13.field("hours_managers").help for who in ("staff", "citizens"))
    details = indicator_text(text, form, "i13").split(flat(i13.yes_items[-1])[:40], 1)[1]  # below the seed's items
    # the help's end, on one line of the label cell (poppler interleaves the value cell's lines)
    assert details.count(flat("به تفکیک مدیران، کارکنان و شهروندان")) == 1
    for section in (*form.indicators, form.diagnostic):
        for spec in section.fields:
            if spec.note:
                assert flat(spec.note) not in flat(text), (section.id, spec.id)


def test_i24_headings_are_printed_before_their_fields(demo, form, tmp_path):
    report, office, _ = demo
    assert report.section("i24").status == "yes"
    text = rendered_text(form, report, office, tmp_path / "r.pdf")
    lines = text_lines(text)
    part = indicator_text(text, form, "i24")
    i24 = form.indicator("i24")
    last_item = flat(i24.yes_items[-1])
    details = part[part.index(last_item) + len(last_item) :]  # below the seed's items (the gate names «بازرسی» too)
    headed = [spec for spec in i24.fields if spec.heading]
    assert [spec.heading for spec in headed] == ["بازرسی", "کمیته سلامت اداری و صیانت از حقوق مردم"]
    previous = -1
    for spec in headed:
        assert spec.heading in lines, spec.heading  # a line of its own
        heading_at = details.index(flat(spec.heading), previous + 1)
        assert previous < heading_at < details.index(flat(spec.label.split("(")[0])), spec.heading
        previous = heading_at
    # the second heading comes after the first group's fields
    assert details.index(flat(i24.field("inspections_per_year").label)) < previous


def test_i28_no_lists_its_documents_under_its_evidence_label(demo, form, tmp_path):
    report, office, _ = demo
    refs = report.section("i28").evidence or report.section("i03").evidence
    assert refs
    reason = "دلیل آزمایشی نبود گزارش نقض در سربرگ سازمانی"
    i28 = form.indicator("i28")
    changed = with_answer(report, "i28", SectionAnswer(status="no", reason=reason, evidence=list(refs)))
    no_evidence = with_answer(changed, "i07", SectionAnswer(status="no", reason=reason, evidence=list(refs)))  # optional: not printed for a no
    text = rendered_text(form, no_evidence, office, tmp_path / "i28-no.pdf")
    part = indicator_text(text, form, "i28")
    assert flat(i28.reason_label) in part and flat(reason) in part
    assert flat("مستندات پیوست") in part and flat(i28.evidence_label) in part
    for ref in refs:
        assert ref.sha256[:16] in part
    assert flat(i28.table("violations").title) not in part  # the yes part is not asked
    assert flat(i28.yes_label) not in part
    i07 = indicator_text(text, form, "i07")
    assert flat(reason) in i07 and flat("مستندات پیوست") not in i07
    # with no document the list says so, under the label
    empty = rendered_text(form, with_answer(report, "i28", SectionAnswer(status="no", reason=reason)), office, tmp_path / "i28-empty.pdf")
    assert flat("مستندی پیوست نشده است") in indicator_text(empty, form, "i28")


def test_a_not_applicable_indicator_prints_the_rule(demo, form, tmp_path):
    report, office, _ = demo
    changed = with_answer(report, "i10", SectionAnswer(status="not_applicable", justification="توجیه آزمایشی", evidence=list(report.section("i03").evidence)))
    not_applicable = [i.id for i in form.indicators if changed.section(i.id).status == "not_applicable"]
    assert len(not_applicable) >= 2
    text = rendered_text(form, changed, office, tmp_path / "na.pdf")
    rule = flat(f"شرایط عدم مصداق: {form.not_applicable_rule}")
    assert flat(text).count(rule) == len(not_applicable)  # under each of them, nowhere else
    for indicator_id in not_applicable:
        part = indicator_text(text, form, indicator_id)
        assert rule in part
        assert part.index(rule) < part.index(flat("توجیه عدم مصداق"))


def test_diagnostic_form_prints_its_header_with_the_reports_agency_and_headings(demo, form, tmp_path):
    report, office, _ = demo
    changed = copy.deepcopy(report)
    changed.header["agency"] = "استانداری آزمایشی نمونه"  # not the profile's agency, which every letterhead prints
    out = tmp_path / "diag.pdf"
    result = render_report_pdf(form, changed, office, None, out)
    pages = pdftotext(out).split("\f")[: result.pages]
    page = next(p for p in pages if flat(form.diagnostic.title) in flat(p))
    assert flat(form.diagnostic_header) in flat(page)
    assert flat("استانداری آزمایشی نمونه") in flat(page)
    whole = flat(page)
    assert whole.index(flat(form.diagnostic.title)) < whole.index(flat(form.diagnostic_header)) < whole.index(flat("نقاط قوت"))
    lines = text_lines(page)
    headings = [item.heading for item in (*form.diagnostic.fields, *form.diagnostic.tables) if item.heading]
    assert len(headings) == 2
    for heading in headings:
        assert heading in lines, heading


def test_computed_values_print_only_when_their_inputs_are_given(demo, form, tmp_path):
    report, office, _ = demo
    i13 = form.indicator("i13")
    answer = copy.deepcopy(report.section("i13"))
    answer.values["headcount_managers"] = 20
    answer.values.pop("headcount_staff", None)  # optional, not in the seed: its per-capita is not printed
    values = computed_values(i13, answer)
    assert values["per_capita_managers"] is not None and values["per_capita_staff"] is None
    text = rendered_text(form, with_answer(report, "i13", answer), office, tmp_path / "i13.pdf")
    part = indicator_text(text, form, "i13").split(flat(i13.gate)[:20], 1)[1]  # the title names both
    assert flat("سرانه آموزش مدیران") in part
    assert flat("سرانه آموزش کارکنان") not in part and flat("قابل محاسبه نیست") not in part


def test_a_1398_1_report_still_renders(tmp_path):
    old = load_form(ROOT / "forms" / "citizen-rights-1398.1.yaml")
    assert old.version == "1398.1" and not old.diagnostic_header
    database = open_database(tmp_path / "reports.sqlite3")
    try:
        store = ReportStore(database, actor="tester")
        report = store.load_report(demo_report(store, old))
        office = store.get_office(report.office_id)
        out = tmp_path / "r-1398-1.pdf"
        result = render_report_pdf(old, report, office, None, out)
    finally:
        database.close()
    assert result.pages >= 10
    text = pdftotext(out)
    pages = text.split("\f")[: result.pages]
    assert flat("نسخه شیوه نامه") in flat(pages[0]) and "۱۳۹۸٫۱" in flat(pages[0])
    for indicator in old.indicators:
        assert _title_key(indicator) in flat(text), indicator.id
    assert flat(old.diagnostic.title) in flat(text)
    i05 = old.indicator("i05")
    if report.section("i05").status == "yes":  # 1398.1 asks the electronic question under the gate's yes
        assert flat(i05.field("electronic_consolidated").label) in indicator_text(text, old, "i05")
