"""The national analytical report: a Persian letterhead PDF made by headquarters from the analysis.

Same renderer as the office report (``pdf``: letterhead canvas, ``RTLParagraph``, ``rtl_table``,
its styles and ``write_letterhead_pdf``), with the bar charts of ``hq_charts``. Contents:

1. key figures and the completeness per province (on time / late / not yet);
2. answer shares per indicator (yes / no / not applicable / unanswered) and a chart of the share of yes;
3. the pivot indicator × province (share of yes), provinces as rows and the indicators split over
   three tables so that portrait A4 stays readable;
4. numeric summaries (sum and mean over the reports answering yes);
5. rankings: provinces (mean score, chart) and units (top ``max_units``; equal scores share a rank,
   marked «مشترک»; units without a report listed as «بدون گزارش», never silently dropped).

Every figure comes from ``hq.analysis`` and ``hq.completeness`` (the same functions as the CLI and UI);
call ``digest.refresh_digests`` first.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from reportlab.platypus import CondPageBreak, PageBreak, Spacer

from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.hq import completeness as hq_completeness
from citizen_rights_desktop.pdf import fonts
from citizen_rights_desktop.pdf.charts import Bar, BarChart
from citizen_rights_desktop.pdf.flowables import RTLParagraph, Style, rtl_table
from citizen_rights_desktop.pdf.letter import guideline_basis, report_title
from citizen_rights_desktop.pdf.letterhead import MARGIN, PAGE_WIDTH, Letterhead
from citizen_rights_desktop.pdf.report_pdf import write_letterhead_pdf
from citizen_rights_desktop.pdf.styles import ACCENT, BODY, CAPTION, CELL, DIMENSION_TITLE, MUTED
from citizen_rights_desktop.persian.jalali import to_jalali_text
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.office import LEVELS, PROVINCES

REPORT_TITLE = "گزارش تحلیلی ملی"
DEFAULT_HQ_NAME = "سازمان اداری و استخدامی کشور"
NO_REPORT = "بدون گزارش"
DASH = "—"
PIVOT_CHUNK = 10  # indicators per pivot table

SMALL = CELL.but(size=7.5, leading=12)
SMALL_HEAD = SMALL.but(font=fonts.BOLD)
TINY = CELL.but(size=7, leading=11)
TINY_HEAD = TINY.but(font=fonts.BOLD)
NOTE = BODY.but(size=8.5, leading=14, color=MUTED, align="right")


def pct(value: float | None) -> str:
    if value is None:
        return DASH
    rounded = round(value, 1)
    return f"{to_persian_digits(int(rounded) if rounded.is_integer() else rounded)}٪"


def num(value: float | int | None, decimals: int = 2) -> str:
    if value is None:
        return DASH
    rounded = round(float(value), decimals)
    if rounded.is_integer():
        return to_persian_digits(f"{int(rounded):,}").replace(",", "\u066c")
    return to_persian_digits(rounded)


@dataclass
class NationalReport:
    path: Path
    pages: int


class _Story:
    def __init__(self, width: float):
        self.width = width
        self.items: list = []

    def add(self, *flowables) -> None:
        self.items.extend(flowables)

    def heading(self, text: str, new_page: bool = False) -> None:
        self.add(PageBreak() if new_page else CondPageBreak(200))
        self.add(RTLParagraph(text, DIMENSION_TITLE, keep_with_next=True))

    def caption(self, text: str) -> None:
        self.add(CondPageBreak(110), RTLParagraph(text, CAPTION, keep_with_next=True))

    def para(self, text: str, style: Style = BODY) -> None:
        self.add(RTLParagraph(text, style))

    def table(self, header, rows, weights, aligns=None, cell: Style = CELL, head: Style | None = None, label_column=False) -> None:
        self.add(rtl_table(header, rows, weights, self.width, cell, head or cell.but(font=fonts.BOLD), aligns, label_column))


def _rank_text(rank: analysis.Rank, shared: Counter) -> str:
    if rank.rank is None:
        return NO_REPORT
    text = to_persian_digits(rank.rank)
    return f"{text} (مشترک)" if shared[rank.rank] > 1 else text


def build_story(
    conn: sqlite3.Connection,
    form: FormDefinition,
    period: str,
    width: float,
    max_units: int = 60,
) -> list:
    """The flowables of the national report (exposed for tests and for a preview in the UI)."""
    story = _Story(width)
    status = hq_completeness.completeness(conn, form, period)
    shares = analysis.status_shares(conn, form, period)
    scores = analysis.scores(conn, form, period)
    by_province = analysis.status_shares(conn, form, period, by="province")
    period_fa = to_persian_digits(period)
    counts = status.counts
    reports = shares.reports.get("", 0)

    # 1. title and key figures
    story.add(Spacer(1, 10), RTLParagraph(f"{REPORT_TITLE} اجرای مصوبه «حقوق شهروندی در نظام اداری»", Style(font=fonts.BOLD, size=15, leading=26, align="center", color=ACCENT)))
    story.add(RTLParagraph(report_title(form, period), BODY.but(align="center", font=fonts.BOLD)))  # the period, not the guideline's year
    story.add(RTLParagraph(guideline_basis(form), BODY.but(align="center", color=MUTED)), Spacer(1, 10))
    mean_score = sum(s.score for s in scores) / len(scores) if scores else None
    pairs = [
        ("دوره گزارش", f"سال {period_fa}"),
        ("مهلت ارسال (شیوه نامه)", to_jalali_text(form.deadline)),
        ("واحدهای موظف به گزارش", num(counts.units)),
        ("گزارش رسیده", f"{num(counts.reported)} ({pct(counts.percent)})"),
        ("به موقع", num(counts.on_time)),
        ("با تأخیر", num(counts.late)),
        ("ارسال نشده", num(counts.missing)),
        ("گزارش های تحلیل شده (ویرایش جاری)", num(reports)),
        ("میانگین امتیاز", num(mean_score)),
    ]
    if status.unknown_offices:
        pairs.append(("گزارش از واحدهای خارج از فهرست", num(len(status.unknown_offices))))
    story.table(None, [list(p) for p in pairs], [0.45, 0.55], cell=CELL, label_column=True)
    story.para(
        "به موقع: نخستین ویرایش گزارش تا پایان روز مهلت (به وقت ایران، ساعت ۲۴ با اختلاف ثابت ۳:۳۰ از زمان جهانی) در ستاد دریافت شده است. "
        "امتیاز هر گزارش: مجموع وزن شاخص های «بله» تقسیم بر مجموع وزن شاخص ها به جز «عدم مصداق»، ضرب در ۱۰۰؛ وزن ها در تعریف شیوه نامه آمده است.",
        NOTE.but(space_before=6),
    )

    # completeness per province
    story.caption("وضعیت ارسال گزارش به تفکیک استان")
    rows = []
    for row in status.by_province():
        c = row.counts
        if not c.units and row.province == hq_completeness.NATIONAL:
            continue
        rows.append([row.name, num(c.units), num(c.on_time), num(c.late), num(c.missing), pct(c.percent)])
    story.table(["استان", "واحدها", "به موقع", "با تأخیر", "ارسال نشده", "درصد ارسال"], rows, [120, 55, 55, 55, 60, 60],
                ["right", "center", "center", "center", "center", "center"], cell=SMALL, head=SMALL_HEAD)  # fmt: skip

    # 2. answer shares per indicator
    story.heading("سهم پاسخ ها به تفکیک شاخص", new_page=True)
    rows = []
    for indicator in form.indicators:
        got = shares.counts.get(("", indicator.id), dict.fromkeys(analysis.STATUSES, 0))
        rows.append([to_persian_digits(indicator.number), indicator.title, *(num(got[s]) for s in analysis.STATUSES), pct(shares.share("", indicator.id))])
    story.table(["شاخص", "عنوان شاخص", "بله", "خیر", "عدم مصداق", "بدون پاسخ", analysis.YES_SHARE_FA], rows, [30, 250, 38, 38, 44, 44, 44],
                ["center", "right", "center", "center", "center", "center", "center"], cell=SMALL, head=SMALL_HEAD)  # fmt: skip
    story.caption("نمودار: درصد پاسخ «بله» در هر شاخص")
    bars = [Bar(f"{to_persian_digits(i.number)}. {i.title}", shares.share("", i.id)) for i in form.indicators]
    story.add(BarChart(bars, label_width=230, highlight_below=50))
    if any(b.value is not None and b.value < 50 for b in bars):
        story.para("ستون های قرمز: شاخص هایی که کمتر از نیمی از گزارش ها به آن ها «بله» داده اند.", NOTE)

    # 3. pivot indicator × province
    story.heading("درصد پاسخ «بله» هر شاخص به تفکیک استان", new_page=True)
    story.para("ردیف ها استان ها و ستون ها شماره شاخص ها هستند (عنوان شاخص ها در جدول سهم پاسخ ها آمده است). «—»: بدون گزارش.", NOTE)
    groups = [key for key in PROVINCES] + [hq_completeness.NATIONAL]
    names = {**PROVINCES, hq_completeness.NATIONAL: hq_completeness.NATIONAL_FA}
    indicators = list(form.indicators)
    for start in range(0, len(indicators), PIVOT_CHUNK):
        chunk = indicators[start:start + PIVOT_CHUNK]
        header = ["استان", "گزارش", *(f"ش {to_persian_digits(i.number)}" for i in chunk)]
        body = []
        for group in groups:
            if group == hq_completeness.NATIONAL and not by_province.reports.get(group):
                continue
            body.append([names[group], num(by_province.reports.get(group, 0)), *(pct(by_province.share(group, i.id)) for i in chunk)])
        first, last = to_persian_digits(chunk[0].number), to_persian_digits(chunk[-1].number)
        story.caption(f"شاخص های {first} تا {last}")
        story.table(header, body, [95, 34, *([36] * len(chunk))], ["right", "center", *(["center"] * len(chunk))], cell=TINY, head=TINY_HEAD)

    # 4. numeric summaries
    story.heading("ارقام گزارش شده (گزارش های «بله»)", new_page=True)
    story.para("جمع و میانگین هر رقم روی گزارش هایی که به شاخص «بله» داده و آن رقم را ثبت کرده اند؛ ستون های جدول ها در هر گزارش جمع شده اند.", NOTE)
    numbers = {i.id: i.number for i in form.indicators}
    kinds = {"field": "پرسش", "column": "ستون جدول", "rows": "تعداد ردیف", "computed": "محاسبه شده"}
    rows = [
        [to_persian_digits(numbers[s.indicator_id]), s.label, kinds.get(s.kind, s.kind), num(s.reports), num(s.total), num(s.mean)]
        for s in analysis.numeric_summaries(conn, form, period)
    ]
    story.table(["شاخص", "رقم", "نوع", "تعداد گزارش", "جمع", "میانگین"], rows, [30, 250, 55, 45, 65, 55],
                ["center", "right", "center", "center", "center", "center"], cell=SMALL, head=SMALL_HEAD)  # fmt: skip

    # 5. rankings
    story.heading("رتبه بندی استان ها", new_page=True)
    provinces = analysis.rank_provinces(scores, PROVINCES)
    shared = Counter(r.rank for r in provinces if r.rank is not None)
    rows = [[_rank_text(r, shared), r.label, num(r.score) if r.score is not None else NO_REPORT, num(r.reports)] for r in provinces]
    story.table(["رتبه", "استان", "میانگین امتیاز", "تعداد گزارش"], rows, [60, 150, 80, 70], ["center", "right", "center", "center"], cell=SMALL, head=SMALL_HEAD)
    story.para("رتبه های مساوی با «مشترک» نشان داده شده اند و رتبه بعدی به اندازه تعداد آن ها جلو می رود (۱، ۲، ۲، ۴). استان بدون گزارش رتبه ندارد.", NOTE)
    story.caption("نمودار: میانگین امتیاز گزارش های هر استان")
    story.add(BarChart([Bar(r.label, r.score) for r in sorted(provinces, key=lambda r: list(PROVINCES).index(r.key))], label_width=110, bar_height=8, gap=3.5, unit=""))

    story.heading("رتبه بندی واحدها", new_page=True)
    expected = {u.unit_id: u.name for u in status.units}
    units = analysis.rank_units(scores, expected)
    shared = Counter(r.rank for r in units if r.rank is not None)
    ranked = [r for r in units if r.rank is not None]
    missing = [r for r in units if r.rank is None]
    where = {u.unit_id: u for u in status.units}
    levels = {s.office_id: s.level for s in scores}
    provinces_of = {s.office_id: s.province for s in scores}

    def unit_row(rank: analysis.Rank) -> list[str]:
        unit = where.get(rank.key)
        province = unit.province if unit else provinces_of.get(rank.key, "")
        level = unit.level if unit else levels.get(rank.key, "")
        return [_rank_text(rank, shared), rank.label, PROVINCES.get(province, hq_completeness.NATIONAL_FA), LEVELS.get(level, level),
                num(rank.score) if rank.score is not None else NO_REPORT]  # fmt: skip

    shown = ranked[:max_units]
    story.para(f"{num(len(ranked))} واحد با گزارش رتبه بندی شده اند و {num(len(missing))} واحد گزارشی نفرستاده اند.", BODY.but(align="right"))
    story.table(["رتبه", "دستگاه / واحد", "استان", "سطح", "امتیاز"], [unit_row(r) for r in shown], [60, 210, 85, 80, 45],
                ["center", "right", "right", "right", "center"], cell=SMALL, head=SMALL_HEAD)  # fmt: skip
    if len(ranked) > len(shown):
        story.para(f"{num(len(ranked) - len(shown))} واحد دیگر در ادامه رتبه بندی قرار دارند؛ فهرست کامل در خروجی اکسل (برگه «رتبه واحدها») است.", NOTE)
    if missing:
        story.caption("واحدهای بدون گزارش (بدون رتبه)")
        listed = missing[:max_units]
        story.table(["وضعیت", "دستگاه / واحد", "استان", "سطح", "امتیاز"], [unit_row(r) for r in listed], [60, 210, 85, 80, 45],
                    ["center", "right", "right", "right", "center"], cell=SMALL, head=SMALL_HEAD)  # fmt: skip
        if len(missing) > len(listed):
            story.para(f"و {num(len(missing) - len(listed))} واحد دیگر؛ فهرست کامل در فهرست یادآوری (CSV) است.", NOTE)
    return story.items


def render_national_report(
    conn: sqlite3.Connection,
    form: FormDefinition,
    period: str | None,
    out_path: str | os.PathLike,
    *,
    hq_name: str | None = None,
    letter_number: str | None = None,
    letter_date: dt.date | None = None,
    max_units: int = 60,
) -> NationalReport:
    """Write the national analytical report at ``out_path`` (atomic). Raises ``pdf.PdfError``."""
    period = period or str(form.guideline_year)
    fonts.register_fonts()
    hq_name = hq_name or DEFAULT_HQ_NAME
    letterhead = Letterhead(
        organization=hq_name,
        letter_number=letter_number or to_persian_digits(f"ستاد/{period}/تحلیلی"),
        letter_date=to_jalali_text(letter_date or dt.date.today()),
        attachments="ندارد",
    )
    story = build_story(conn, form, period, PAGE_WIDTH - 2 * MARGIN, max_units)
    title = f"{REPORT_TITLE} — {form.title} — {period}"
    pages = write_letterhead_pdf(story, out_path, letterhead, title=title, author=hq_name, subject=form.title)
    return NationalReport(Path(out_path), pages)
