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

from citizen_rights_desktop.pdf import render_report_pdf
from citizen_rights_desktop.report.validation import validate_report
from tests.conftest import ROOT
from tests.test_pdf import pdftotext, squeeze

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext, pdfinfo) not installed")

ARO = "سازمان اداری و استخدامی کشور"  # seed 004's circular: «… به سازمان اداری و استخدامی کشور ارسال فرمایند»
GUIDELINE_1398 = "بر اساس شیوه نامه سال ۱۳۹۸"
LETTER_DATE_1404 = dt.date(2025, 5, 10)  # 1404/02/20: no 1398 in the letterhead's date either


def flat(text: str) -> str:
    """``squeeze`` without the zero-width non-joiner, which poppler drops («می‌گردد» → «میگردد»)."""
    return squeeze(text).replace("\u200c", "")


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
