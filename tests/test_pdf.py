"""The letterhead report PDF: content, Persian text extraction, fonts, and failure modes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bidi.algorithm import get_display

from citizen_rights_desktop.editing.demo import JUSTIFICATIONS, REASONS, demo_report
from citizen_rights_desktop.pdf import PdfError, fonts, render_report_pdf, typeset
from citizen_rights_desktop.persian.text import to_persian_digits
from storage import ReportStore, open_database

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext, pdffonts) not installed")

BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def squeeze(text: str) -> str:
    """Without bidi controls and whitespace: poppler places spaces around numbers and slashes by
    its own visual heuristic, so comparisons ignore where the spaces fell (letters still count)."""
    return "".join(text.translate(BIDI_CONTROLS).split())


def words(text: str) -> list[str]:
    """Runs of letters and runs of digits, in order."""
    return re.findall(r"[^\W\d_]+|\d+", text.translate(BIDI_CONTROLS))


@pytest.fixture(scope="module")
def demo(tmp_path_factory, form):
    folder = tmp_path_factory.mktemp("pdf")
    database = open_database(folder / "reports.sqlite3")
    store = ReportStore(database, actor="tester")
    report = store.load_report(demo_report(store, form))
    office = store.get_office(report.office_id)
    out = folder / "demo.pdf"
    pages = []
    result = render_report_pdf(form, report, office, None, out, on_page=pages.append)
    yield result, report, office, store, pdftotext(out)
    database.close()


def test_demo_report_renders_every_page_with_the_letterhead(demo):
    result, report, office, _, _ = demo
    assert result.pages >= 10
    assert result.path.read_bytes().startswith(b"%PDF")
    per_page = pdftotext(result.path).split("\f")
    for number, text in enumerate(per_page[: result.pages], start=1):
        flat = squeeze(text)
        assert "بسمهتعالی" in flat, number
        assert squeeze(office.agency) in flat, number
        assert "شماره:" in flat and "تاریخ:" in flat and "پیوست:" in flat
        assert f"صفحه{to_persian_digits(number)}از{to_persian_digits(result.pages)}" in flat, number
    assert result.signature_page == result.pages
    x1, y1, x2, y2 = result.signature_box
    assert 0 < x1 < x2 and 0 < y1 < y2


def test_every_indicator_title_is_extracted_in_logical_order(demo, form):
    text = demo[4]
    flat = squeeze(text)
    page_words = words(text)
    joined = " ".join(page_words)
    for indicator in form.indicators:
        assert " ".join(words(indicator.title)) in joined, indicator.id  # letters and digits, in reading order
        if not re.search(r"\d", indicator.title):
            # exact, brackets and slashes included; poppler's bidi heuristic misplaces the punctuation
            # next to a number in the middle of a line (e.g. «(۱۸)» of i29), so digits are left to the word check
            assert squeeze(indicator.title) in flat, indicator.id
    for dimension in form.dimensions:
        assert " ".join(words(dimension.title)) in joined


def test_only_embedded_fonts(demo):
    output = subprocess.run(["pdffonts", str(demo[0].path)], capture_output=True, text=True, check=True).stdout
    rows = output.splitlines()[2:]
    assert rows, output
    for row in rows:
        assert "Vazirmatn" in row and "Helvetica" not in row, row
        columns = row.split()
        emb = columns[-5]
        assert emb == "yes", row


def test_relevant_parts_only_and_evidence_listed(demo, form):
    _, report, _, _, text = demo
    flat = squeeze(text)
    assert squeeze(REASONS[0]) in flat  # a "no" prints its reason
    assert squeeze(JUSTIFICATIONS[0]) in flat  # a "not applicable" its justification
    for indicator in form.indicators:
        answer = report.section(indicator.id)
        for ref in answer.evidence:
            assert ref.sha256[:16] in text
        if answer.status == "no":
            assert squeeze(indicator.reason_label) in flat
    assert squeeze("جمع بندی پاسخ شاخص ها") in flat
    assert squeeze(form.diagnostic.title) in flat
    for table in form.diagnostic.tables:
        assert squeeze(table.title) in flat


def test_line_breaking_is_logical_and_fits():
    fonts.register_fonts()
    text = "این یک متن آزمایشی فارسی است که باید در چند سطر شکسته شود و ترتیب واژه‌ها حفظ گردد (۴۵٪) https://www.example.ir/a"
    lines = typeset.break_lines(text, 120, fonts.REGULAR, 10)
    assert len(lines) > 2 and lines[-1].last and not lines[0].last
    assert " ".join(line.text for line in lines) == text  # logical order, nothing lost (ZWNJ kept)
    for line in lines:
        assert typeset.text_width(line.text, fonts.REGULAR, 10) <= 120 + 0.01


def test_display_mirrors_brackets_keeps_digit_order_and_zwnj_breaks_joining():
    line = "مطابق ماده (۱۸) می\u200cشود ۱۲۳۴"
    shown = typeset.visual(line)
    assert shown == get_display(typeset.reshape(line), base_dir="R").replace("\u200c", "")
    assert "(۱۸)" in shown  # the mirrored pair reads correctly right to left
    assert "۱۲۳۴" in shown  # digits stay left to right
    assert typeset.visual("می\u200cشود") != typeset.visual("میشود")  # the ZWNJ keeps «می» unjoined
    assert typeset.visual("می\u200cشود") == typeset.reshape("شود")[::-1] + typeset.reshape("می")[::-1]


def test_missing_or_broken_emblem_is_a_clear_error_and_writes_nothing(demo, form, tmp_path):
    _, report, office, _, _ = demo
    out = tmp_path / "report.pdf"
    out.write_bytes(b"previous version")
    with pytest.raises(PdfError) as missing:
        render_report_pdf(form, report, office, None, out, emblem=tmp_path / "no-such-emblem.png")
    assert "emblem" in missing.value.message_en and "آرم" in missing.value.message_fa
    (tmp_path / "broken.png").write_bytes(b"not an image")
    with pytest.raises(PdfError):
        render_report_pdf(form, report, office, None, out, seal_image=tmp_path / "broken.png")
    assert out.read_bytes() == b"previous version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.png", "report.pdf"]


def test_layout_error_removes_the_temporary_file(demo, form, tmp_path, monkeypatch):
    _, report, office, _, _ = demo
    from citizen_rights_desktop.pdf import report_pdf

    def explode(*args, **kwargs):
        raise RuntimeError("disk full while laying out")

    monkeypatch.setattr(report_pdf.BaseDocTemplate, "build", explode)
    with pytest.raises(PdfError) as error:
        render_report_pdf(form, report, office, None, tmp_path / "r.pdf")
    assert error.value.message_fa
    assert list(tmp_path.iterdir()) == []


def test_emblem_and_scanned_signature_are_drawn(demo, form, tmp_path):
    from citizen_rights_desktop.editing.demo import _png

    _, report, office, _, _ = demo
    out = tmp_path / "with-images.pdf"
    result = render_report_pdf(form, report, office, None, out, emblem=_png(3), signature_image=_png(5), seal_image=_png(7))
    listing = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True).stdout
    assert result.pages == demo[0].pages
    if listing:  # pdfimages is part of poppler-utils
        assert len(listing.splitlines()) - 2 >= result.pages + 2  # emblem on every page, signature and seal once


def test_section_layout_follows_relevance(form):
    """What of indicator 5 prints, for each pair of answers to its two questions (report.relevance)."""
    from citizen_rights_desktop.pdf.section_layout import expression_inputs, help_texts, layout
    from citizen_rights_desktop.report.model import Row, SectionAnswer

    i05 = form.indicator("i05")
    assert expression_inputs(i05.computed[1]) == {"electronic_processes"}
    assert expression_inputs(form.indicator("i13").computed[0]) == {"hours_managers", "headcount_managers"}
    rows = {t.id: [Row("r", {"process": "x", "status": "consolidated"})] for t in i05.tables}

    def names(part):
        fields = [f.id for group in part.groups for f in group.fields]
        return fields, [t.id for t in part.tables], [c.id for c, _ in part.computed], [g.heading for g in part.groups]

    values = {"physical_how": "a", "electronic_how": "b", "electronic_reason": "c"}
    gate_no = layout(i05, SectionAnswer(status="no", values={**values, "electronic_consolidated": "yes"}, tables=rows))
    assert not gate_no.yes
    assert names(gate_no.always) == (
        ["electronic_consolidated", "electronic_how"], ["electronic_processes"], ["percent_electronic_consolidated"], ["فرآیند های الکترونیکی"]
    )  # fmt: skip
    both_no = layout(i05, SectionAnswer(status="no", values={**values, "electronic_consolidated": "no"}, tables=rows))
    assert names(both_no.always) == (["electronic_consolidated", "electronic_reason"], [], [], ["فرآیند های الکترونیکی"])
    gate_yes = layout(i05, SectionAnswer(status="yes", values={**values, "electronic_consolidated": "no"}, tables=rows))
    assert names(gate_yes.yes) == (["physical_how"], ["physical_processes"], ["percent_physical_consolidated"], [""])
    not_applicable = layout(i05, SectionAnswer(status="not_applicable", values=values, tables=rows))
    assert not not_applicable.yes and not not_applicable.always
    # help: printed once when the next fields repeat it, never when it repeats the label
    i13 = form.indicator("i13")
    hours = tuple(i13.field(f"hours_{who}") for who in ("managers", "staff", "citizens"))
    assert help_texts(hours) == [hours[0].help, "", ""]


def test_a_persian_file_name_keeps_its_extension_at_its_end():
    """«تصویر-مستند-1.png» printed as «تصویر-مستند-png.1»: the digit took the Persian letters'
    direction. The name is laid out as the PDF lays it out (python-bidi's visual order)."""
    from bidi.algorithm import get_display

    from citizen_rights_desktop.pdf.answer_text import file_name_text

    assert get_display("تصویر-مستند-1.png").startswith("png.1")  # the defect, without the mark
    for name, run in (("تصویر-مستند-1.png", "1.png"), ("نامه رسمی 12.pdf", "12.pdf"), ("گزارش.docx", "docx")):
        shown = get_display(file_name_text(name))
        assert shown.replace("\u200e", "").startswith(run), (name, shown)
    assert file_name_text("scan2.jpg") == "scan2.jpg" and file_name_text("نامه") == "نامه"
