"""Issue 13: every seed question, item, table header, hint and guidance text is in the form
definition and in the printed PDF, and docs/annual-form-fidelity.md says so truthfully
(tests/form_fidelity.py builds the comparison)."""

from __future__ import annotations

import copy
import shutil

import pytest

from citizen_rights_desktop.editing.demo import demo_report, sample_report
from citizen_rights_desktop.pdf import render_report_pdf
from storage import ReportStore, open_database
from tests.form_fidelity import DOC, SEED, SPLIT, covered, form_elements, in_seed, normalise, render_document, seed_items, why_not_in_seed

needs_seed = pytest.mark.skipif(not SEED.exists(), reason="the seeds (../shared/seeds) are not beside the project")


@needs_seed
def test_the_comparison_document_is_up_to_date(form):
    assert DOC.read_text(encoding="utf-8") == render_document(form), "run: .venv/bin/python -m tests.form_fidelity"


@needs_seed
def test_the_seed_extraction_finds_the_guideline_s_items():
    items = seed_items()
    # a few items from different places of the seed, to show the extraction is not empty or garbled
    for expected in (
        "آیا فرآیند های الکترونیکی ارائه خدمت تجمیع شده اند؟",  # indicator 5's second question
        "احصاء تعداد فرآیند هایی که الکترونیکی شده اند.",  # indicator 4's bullet
        "نحوه اطلاع رسانی هر یک از خدمات ذکر شود.",  # indicator 1's fourth question
        "کمیته سلامت اداری و صیانت از حقوق مردم",  # indicator 24's heading
        "برای مثال نظر سنجی از شهروندان",  # indicators 7, 11, 15's hint
    ):
        assert expected in items, expected
    assert len(items) > 150


@needs_seed
def test_every_seed_item_is_carried_by_the_form(form):
    texts = [element.text for element in form_elements(form)]
    missing = [item for item in seed_items() if not covered(item, texts)]
    assert missing == []


@needs_seed
def test_every_form_text_is_the_seed_s_or_says_why_not(form):
    seed_text = normalise(SEED.read_text(encoding="utf-8"))
    unexplained = [e.path for e in form_elements(form) if not in_seed(e.text, seed_text) and why_not_in_seed(e.path).startswith("NOT IN SEED")]
    assert unexplained == []


def test_the_comparison_fails_on_a_dropped_question(form):
    """The check can fail: a form without indicator 5's second question misses a seed item."""
    texts = [e.text for e in form_elements(form) if e.path != "i05.electronic_consolidated"]
    assert not covered("آیا فرآیند های الکترونیکی ارائه خدمت تجمیع شده اند؟", texts)
    assert covered("درصد فرآیندهای الکترونیکی شده و الکترونیکی نشده", [p for p in SPLIT["درصد فرآیندهای الکترونیکی شده و الکترونیکی نشده"]])


def _answered_no(form, report):
    """The demo report answered «خیر» throughout (with what a no asks), to print every reason label."""
    changed = copy.deepcopy(report)
    for indicator in form.indicators:
        answer = changed.sections.setdefault(indicator.id, type(report.section(indicator.id))())
        answer.status, answer.reason = "no", "دلیل پاسخ خیر"
        for spec in indicator.fields:
            if spec.asked == "always" and spec.type == "choice":
                answer.values[spec.id] = "no"
            elif spec.asked == "always":
                answer.values[spec.id] = "دلیل تجمیع نشدن فرآیندهای الکترونیکی"
    return changed


@pytest.fixture(scope="module")
def printed(tmp_path_factory, form):
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) not installed")
    from tests.test_pdf import pdftotext

    folder = tmp_path_factory.mktemp("fidelity-pdf")
    database = open_database(folder / "reports.sqlite3")
    store = ReportStore(database, actor="tester")
    report = store.load_report(demo_report(store, form))
    office = store.get_office(report.office_id)
    texts = []
    variants = (("demo", report), ("yes", sample_report(form, office)), ("no", _answered_no(form, report)))
    for name, variant in variants:
        path = folder / f"{name}.pdf"
        render_report_pdf(form, variant, office, None, path)
        texts.append(letters(pdftotext(path)))
    database.close()
    return texts, letters


def letters(text: str) -> str:
    """Letters only: poppler moves a bracket next to a number, prints a run of numbers («۶، ۷، ۸»)
    in visual order, adds bidi marks and breaks lines where the layout did; the words and their
    order are what is compared (the numbers of titles and references are checked verbatim against
    the seed in tests/test_form_definition.py)."""
    return "".join(ch for ch in normalise(text) if ch.isalpha())


PRINTED_ALWAYS = ("title", "question", "item", "table", "column", "help", "heading", "guidance", "evidence", "header", "dimension")


@needs_seed
def test_every_printed_text_is_in_the_demo_pdf(form, printed):
    texts, flat = printed
    whole = "".join(texts)
    absent = []
    for element in form_elements(form):
        if not element.printed or element.kind not in PRINTED_ALWAYS:
            continue
        if flat(element.text) in whole:
            continue
        # a table header wraps inside its cell, and poppler may read the next cell's line between
        # its lines: there, every word must be printed
        if element.kind == "column" and all(flat(word) in whole for word in element.text.split()):
            continue
        absent.append(f"{element.path}: {element.text[:60]}")
    assert absent == [], "\n".join(absent)
