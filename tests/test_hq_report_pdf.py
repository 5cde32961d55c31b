"""The national analytical report PDF: searchable Persian text, every province, embedded fonts, charts."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from reportlab.graphics.shapes import Rect
from test_hq_completeness import sample_hq

from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.hq.national_report import render_national_report
from citizen_rights_desktop.pdf import fonts
from citizen_rights_desktop.pdf.charts import Bar, BarChart, fit_text
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.office import PROVINCES

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext, pdffonts) not installed")
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def squeeze(text: str) -> str:
    return "".join(text.translate(BIDI_CONTROLS).split())


@pytest.fixture(scope="module")
def national(tmp_path_factory, form):
    folder = tmp_path_factory.mktemp("national")
    database, _, _ = sample_hq(folder / "hq.sqlite3", form, 70, seed=8)
    result = render_national_report(database.conn, form, "1398", folder / "national.pdf", hq_name="سازمان اداری و استخدامی کشور", max_units=20)
    text = subprocess.run(["pdftotext", str(result.path), "-"], capture_output=True, text=True, check=True).stdout
    yield database, result, text
    database.close()


def test_text_holds_titles_provinces_and_figures(national, form):
    database, result, text = national
    assert result.pages >= 8
    flat = squeeze(text)
    pages = text.split("\f")[: result.pages]
    assert all("بسمهتعالی" in squeeze(p) and "سازماناداریواستخدامیکشور" in squeeze(p) for p in pages)
    for heading in ("گزارشتحلیلیملی", "سهمپاسخهابهتفکیکشاخص", "رتبهبندیاستانها", "رتبهبندیواحدها", "وضعیتارسالگزارشبهتفکیکاستان"):
        assert heading in flat, heading
    for indicator in form.indicators:  # the shares table prints every title in full (wrapped over lines)
        words = [squeeze(w) for w in indicator.title.replace("/", " ").replace("(", " ").replace(")", " ").split()]
        assert all(w in flat for w in words), indicator.id
    assert sum(1 for i in form.indicators if squeeze(i.title) in flat) >= 25  # most titles come out whole, in reading order
    for name in PROVINCES.values():
        assert squeeze(name) in flat, name
    # a figure computed independently: the yes count of indicator 1 over the current reports
    yes = sum(1 for (s,) in database.conn.execute("SELECT statuses FROM report_digest") if s[0] == "y")
    assert to_persian_digits(yes) in text
    assert "بدونگزارش" in flat  # units without a report are listed, unranked


def test_only_embedded_fonts(national):
    _, result, _ = national
    output = subprocess.run(["pdffonts", str(result.path)], capture_output=True, text=True, check=True).stdout
    rows = output.splitlines()[2:]
    assert rows
    for row in rows:
        assert "Vazirmatn" in row and row.split()[-5] == "yes", row


def test_bar_lengths_are_proportional_and_right_to_left():
    fonts.register_fonts()
    chart = BarChart([Bar("الف", 100.0), Bar("ب", 25.0), Bar("پ", None), Bar("ت", 0.0)], label_width=100)
    chart.wrap(400, 600)
    rects = [s for s in chart.drawing().contents if isinstance(s, Rect)]
    assert len(rects) == 3  # no bar for "no report"
    full, quarter, zero = rects
    assert quarter.width == pytest.approx(full.width / 4) and zero.width == 0
    right = 400 - 100 - 6
    assert all(r.x + r.width == pytest.approx(right) for r in rects)  # bars start at the right
    assert full.y > quarter.y > zero.y  # first item on top


def test_long_labels_are_cut_at_a_word():
    title = "احصاء وظایف و مأموریت های قانونی و اطلاع رسانی خدمات مبتنی بر آن به مردم به طرق مقتضی"
    fonts.register_fonts()
    cut = fit_text(title, 120, fonts.REGULAR, 8)
    assert cut.endswith("…") and title.startswith(cut[:-1]) and title[len(cut) - 1] == " "


def test_ties_and_missing_reports_are_explicit(national, form):
    database, _, text = national
    ranks = analysis.rank_provinces(analysis.scores(database.conn, form, "1398"), PROVINCES)
    assert ranks[0].rank == 1 and to_persian_digits(ranks[0].label) in text


def test_a_later_periods_report_names_its_year_once_and_the_guideline_apart(tmp_path, form):
    """Issue 13: a 1404 national report made with the 1398 guideline printed «… - سال ۱۳۹۸، سال ۱۴۰۴»."""
    database, _, _ = sample_hq(tmp_path / "hq.sqlite3", form, 10, seed=3)
    try:
        result = render_national_report(database.conn, form, "1404", tmp_path / "n.pdf", hq_name="سازمان اداری و استخدامی کشور", max_units=5)
    finally:
        database.close()
    first = squeeze(subprocess.run(["pdftotext", "-l", "1", str(result.path), "-"], capture_output=True, text=True, check=True).stdout)
    assert "سال۱۳۹۸،سال۱۴۰۴" not in first and "سال۱۴۰۴" in first
    assert "براساسشیوهنامهسال۱۳۹۸" in first
