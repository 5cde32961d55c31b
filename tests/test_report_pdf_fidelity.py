"""Issue 13 (PDF and header slice): the printed report says what the 1398 guideline says.

Each test reproduces one defect of the letterhead PDF as it was:

1. the covering sentence named the report twice («گزارش اجرای «گزارش اجرای …»»);
2. a report for period 1404 made with the 1398 guideline printed 1398 as the year reported on
   (the form's title carries the guideline's year);
3. a governorate's (استانداری) report was addressed to the provincial Management and Planning
   Organization, although the circular of seed 004 has every agency and province send its report
   to سازمان اداری و استخدامی کشور, signed by the agency's highest official or the governor;
4. the signature block printed the office profile's head, whoever the report's header named as the
   head («بالاترین مقام دستگاه اجرایی / استاندار»), with no warning.

Text is read back with pdftotext; the helpers of tests/test_pdf.py make the comparison ignore
where poppler put spaces and bidi marks.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import sys

import pytest

from citizen_rights_desktop.editing.demo import demo_report
from citizen_rights_desktop.form.loader import load_form
from citizen_rights_desktop.pdf import render_report_pdf
from citizen_rights_desktop.report.model import Row, SectionAnswer
from citizen_rights_desktop.report.validation import computed_values, validate_report
from storage import ReportStore, open_database
from tests.conftest import ROOT
from tests.test_pdf import pdftotext, squeeze

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext, pdfinfo) not installed")

ARO = "سازمان اداری و استخدامی کشور"  # seed 004's circular: «… به سازمان اداری و استخدامی کشور ارسال فرمایند»
GUIDELINE_1398 = "بر اساس شیوه نامه سال ۱۳۹۸"
LETTER_DATE_1404 = dt.date(2025, 5, 10)  # 1404/02/20: no 1398 in the letterhead's date either


def flat(text: str) -> str:
    """``squeeze`` without the zero-width non-joiner, which poppler drops («می‌گردد» → «میگردد»)."""
    return squeeze(text).replace("\u200c", "")


@pytest.fixture(scope="module")
def demo(tmp_path_factory, form):
    folder = tmp_path_factory.mktemp("fidelity")
    database = open_database(folder / "reports.sqlite3")
    store = ReportStore(database, actor="tester")
    report = store.load_report(demo_report(store, form))
    office = store.get_office(report.office_id)
    yield report, office, folder
    database.close()


def render(form, report, office, path, **kwargs):
    result = render_report_pdf(form, report, office, None, path, **kwargs)
    pages = pdftotext(path).split("\f")[: result.pages]
    return result, pages


def report_for(report, period: str):
    """The demo report as if made for ``period``: its dates (indicator 21's sessions) moved into it."""
    changed = copy.deepcopy(report)
    changed.period = period
    shift = int(period) - int(report.period)
    for answer in changed.sections.values():
        for rows in answer.tables.values():
            for row in rows:
                for key, value in row.cells.items():
                    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[:4].isdigit():
                        row.cells[key] = f"{int(value[:4]) + shift}{value[4:]}"
    return changed


# --- 1. the covering sentence ------------------------------------------------------------------


def test_covering_sentence_names_the_report_once(demo, form, tmp_path):
    report, office, _ = demo
    _, pages = render(form, report, office, tmp_path / "r.pdf")
    title_page = flat(pages[0])
    assert flat("گزارش اجرای «گزارش اجرای") not in title_page
    sentence = re.search("بهپیوست(.*?)تقدیم", title_page)
    assert sentence is not None, title_page
    assert sentence.group(1).count(flat("گزارش اجرای")) == 1, sentence.group(1)


# --- 2. the year reported on and the guideline followed -------------------------------------


def test_a_1404_report_on_the_1398_guideline_prints_1404_as_its_year(demo, form, tmp_path):
    report, office, _ = demo
    out = tmp_path / "r1404.pdf"
    result, pages = render(form, report_for(report, "1404"), office, out, letter_date=LETTER_DATE_1404)
    title_page = flat(pages[0])
    # subject line, covering sentence, title and the period row all name 1404
    assert flat("شورای عالی اداری - سال ۱۴۰۴") in title_page
    assert flat("برای سال ۱۴۰۴") in title_page
    assert flat("دوره گزارش سال ۱۴۰۴") in title_page
    # the guideline is named separately, as the basis of the report
    assert flat(GUIDELINE_1398) in title_page
    # the default letter number carries the period (office prefix, period, revision)
    assert "۱۴۰۴" in flat(pages[0].split("تاریخ")[0])
    # 1398 appears only where the guideline (or the form's version, 1398.x) is meant
    for number, page in enumerate(pages, start=1):
        rest = flat(page).replace(flat(GUIDELINE_1398), "").replace(flat("شیوه نامه سال ۱۳۹۸"), "").replace("۱۳۹۸٫۱", "").replace("۱۳۹۸٫۲", "")
        assert "۱۳۹۸" not in rest, (number, rest[:400])
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    title = next(line for line in info.splitlines() if line.startswith("Title:"))
    assert "1404" in title or "۱۴۰۴" in title, title
    assert "۱۳۹۸" not in title.replace("۱۳۹۵/۱۲/۲۸", ""), title
    assert result.pages >= 10


def test_a_1398_report_names_its_year_and_its_guideline(demo, form, tmp_path):
    report, office, _ = demo
    _, pages = render(form, report, office, tmp_path / "r1398.pdf")
    title_page = flat(pages[0])
    assert flat("برای سال ۱۳۹۸") in title_page and flat(GUIDELINE_1398) in title_page
    assert flat("دوره گزارش سال ۱۳۹۸") in title_page


def cli(*args, check_rc=0):
    result = subprocess.run([sys.executable, "-m", "citizen_rights_desktop", *map(str, args)], capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == check_rc, (result.stdout, result.stderr)
    return result.stdout


def test_report_show_prints_the_period_and_the_guideline_as_two_things(tmp_path):
    db = tmp_path / "office.sqlite3"
    cli("demo", "--db", db)
    report_id = cli("report", "new", "--period", "1404", "--db", db).strip().splitlines()[-1]
    shown = cli("--db", db, "report", "show", report_id).splitlines()
    period = [line for line in shown if line.startswith("period ")]
    assert period and period[0].split()[1] == "1404", shown
    form_line = next(line for line in shown if line.startswith("form "))
    assert "guideline 1398" in form_line and "1404" not in form_line, form_line


# --- 3. the addressee --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "level, addressee",
    [
        ("national_agency", ARO),
        ("governorate", ARO),  # the provincial report, signed by the governor, goes to the ARO as well
        ("provincial_office", "سازمان مدیریت و برنامه ریزی استان فارس"),  # part of the province's report
    ],
)
def test_addressee_follows_the_circular(demo, form, tmp_path, level, addressee):
    report, office, _ = demo
    office = dataclasses.replace(office, level=level, agency="استانداری فارس" if level == "governorate" else office.agency)
    _, pages = render(form, report, office, tmp_path / f"{level}.pdf")
    title_page = flat(pages[0])
    assert flat(f"به: {addressee}") in title_page, title_page[:300]
    if addressee == ARO:
        assert flat("سازمان مدیریت و برنامه ریزی") not in title_page


# --- 4. the signer -----------------------------------------------------------------------------


def with_head(report, form, head: str):
    changed = copy.deepcopy(report)
    field = next(spec.id for spec in form.header_fields if "head" in spec.id)
    changed.header[field] = head
    return changed


def test_signature_block_prints_the_head_named_in_the_header(demo, form, tmp_path):
    report, office, _ = demo  # profile: «علی رضایی»، «مدیر کل»
    governor = with_head(report, form, "محمد کریمی، استاندار")
    office = dataclasses.replace(office, level="governorate", agency="استانداری فارس")
    result, pages = render(form, governor, office, tmp_path / "governor.pdf")
    signature_page = flat(pages[result.signature_page - 1])
    tail = signature_page.split(flat("جمع بندی پاسخ شاخص ها"))[-1]
    assert flat("محمد کریمی") in tail and flat("استاندار") in tail
    # the profile's head is printed nowhere: the document names one highest official
    for page in pages:
        assert flat("علی رضایی") not in flat(page)


def test_a_head_given_by_name_only_keeps_the_profiles_title(demo, form, tmp_path):
    report, office, _ = demo
    result, pages = render(form, with_head(report, form, "علی رضایی"), office, tmp_path / "name-only.pdf")
    signature_page = flat(pages[result.signature_page - 1])
    assert flat("علی رضایی") in signature_page and flat("مدیر کل") in signature_page


def test_validation_names_a_header_head_that_differs_from_the_profile(demo, form):
    report, office, _ = demo
    assert validate_report(form, report, office=office).is_complete  # the demo's header names the profile's head
    assert validate_report(form, with_head(report, form, "علی رضایی ,مدیر کل"), office=office).is_complete  # punctuation only
    result = validate_report(form, with_head(report, form, "محمد کریمی، استاندار"), office=office)
    assert not result.is_complete
    found = [p for p in result.header if p.code == "signer_differs"]
    assert len(found) == 1, result.header
    problem = found[0]
    assert problem.section_id == "header" and problem.item == "head"
    assert "محمد کریمی" in problem.message_en and "علی رضایی" in problem.message_en
    assert "محمد کریمی" in problem.message_fa and "علی رضایی" in problem.message_fa
    # the same name with another title is another choice of signer as well
    retitled = validate_report(form, with_head(report, form, "علی رضایی، معاون"), office=office)
    assert [p.code for p in retitled.header] == ["signer_differs"]
    # without the office profile, validation is what it was (nothing to compare with)
    assert validate_report(form, with_head(report, form, "محمد کریمی، استاندار")).is_complete


# --- 5. the guideline's guidance is printed where the guideline prints it -----------------------


def test_each_indicators_guidance_is_printed_under_its_title(demo, form, tmp_path):
    report, office, _ = demo
    _, pages = render(form, report, office, tmp_path / "r.pdf")
    text = flat(" ".join(pages))
    guided = [i for i in form.indicators if i.guidance]
    assert len(guided) >= 3  # indicators 7, 11 and 15 in the 1398 guideline
    for indicator in guided:
        # up to the first bracket or digit: poppler moves brackets around Persian digits («ماده()۱۸»)
        start = re.split(r"[(\[«۰-۹0-9]", flat(indicator.guidance))[0]
        assert len(start) >= 15 and text.count(start) >= 1, (indicator.id, start)
    assert text.count(flat("بهترین راه برای تحقق این شاخص")) == sum(1 for i in guided if "بهترین راه" in i.guidance)


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


def test_someone_signing_for_the_head_is_a_recorded_choice_printed_as_az_taraf(demo, form, tmp_path):
    """1398.2 records who signs «از طرف» the head; the block prints both, never just another name."""
    report, office, _ = demo  # header and profile: «علی رضایی»، «مدیر کل»
    result, pages = render(form, report, office, tmp_path / "head.pdf")
    assert flat("از طرف") not in flat(pages[result.signature_page - 1])
    deputy = copy.deepcopy(report)
    deputy.header["signed_on_behalf_by"] = "رضا کریمی، معاون توسعه مدیریت"
    assert validate_report(form, deputy, office=office).is_complete  # the head is still the profile's
    result, pages = render(form, deputy, office, tmp_path / "deputy.pdf")
    tail = flat(pages[result.signature_page - 1]).split(flat("جمع بندی پاسخ شاخص ها"))[-1]
    assert flat("از طرف علی رضایی، مدیر کل") in tail
    assert flat("رضا کریمی") in tail and flat("معاون توسعه مدیریت") in tail
    assert tail.index(flat("از طرف")) < tail.index(flat("رضا کریمی"))
