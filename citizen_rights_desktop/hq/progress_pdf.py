"""The compiled progress report as a letterhead PDF (issue 16): the figures of ``hq.progress``, each
beside the previous year's with the change, a generated summary of what improved and what got
worse, charts, and the combined ranking's head and tail. Addressed, as seed 000's item 11 says, to
the parties of the agreement; the ranking on its own is ``write_ranking_pdf``."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from reportlab.platypus import Spacer

from citizen_rights_desktop.hq.national_report import DASH, NOTE, SMALL, SMALL_HEAD, _Story, num, pct
from citizen_rights_desktop.hq.progress import Figure, ProgressReport
from citizen_rights_desktop.hq.ranking import Method, UnitScore
from citizen_rights_desktop.pdf import fonts
from citizen_rights_desktop.pdf.charts import Bar, BarChart
from citizen_rights_desktop.pdf.province_map import ProvinceMap
from citizen_rights_desktop.pdf.flowables import RTLParagraph, Style
from citizen_rights_desktop.pdf.letterhead import MARGIN, PAGE_WIDTH, Letterhead
from citizen_rights_desktop.pdf.report_pdf import write_letterhead_pdf
from citizen_rights_desktop.pdf.styles import ACCENT, BODY
from citizen_rights_desktop.persian.jalali import to_jalali_text
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.office import LEVELS, PROVINCES

TITLE = "گزارش پیشرفت اجرای برنامه های حقوق شهروندی در نظام اداری"
# seed 000, item 11: the working group reports to the parties of the agreement
ADDRESSEE = "سازمان اداری و استخدامی کشور و وزارت کشور (طرف های توافق نامه)"
CENTER = ["center"]


def _value(figure: Figure, value: float | None) -> str:
    return pct(value) if figure.percent else num(value, 0)


def change_text(value: float | None, percent: bool = True) -> str:
    """«+۴٫۵ واحد درصد», «−۲», «—»: the sign in words' direction, never a bare minus that right to
    left text would move."""
    if value is None:
        return DASH
    if abs(value) < 0.005:
        return "بدون تغییر"
    text = num(abs(value), 2 if percent else 0)
    return f"{'+' if value > 0 else '−'}{text}{' واحد درصد' if percent else ''}"


def _figures_table(story: _Story, figures: list[Figure], previous: str, period: str) -> None:
    rows = [[f.label, _value(f, f.now), _value(f, f.before), change_text(f.change, f.percent)] for f in figures]
    story.table(["شاخص", f"سال {to_persian_digits(period)}", f"سال {to_persian_digits(previous)}", "تغییر"], rows, [250, 70, 70, 80],
                ["right", *CENTER * 3], cell=SMALL, head=SMALL_HEAD)  # fmt: skip


def summary_lines(report: ProgressReport) -> tuple[list[str], list[str]]:
    """The generated summary: what improved and what got worse, largest changes first."""

    def line(f: Figure) -> str:
        return f"{f.label}: از {_value(f, f.before)} به {_value(f, f.now)} ({change_text(f.change, f.percent)})"

    return [line(f) for f in report.improved()], [line(f) for f in report.worse()]


def build_story(report: ProgressReport, width: float, ranked_shown: int = 15) -> list:
    story = _Story(width)
    period, previous = report.period, report.previous
    story.add(Spacer(1, 6), RTLParagraph(f"به: {ADDRESSEE}", BODY.but(align="right")))
    story.add(Spacer(1, 8), RTLParagraph(f"{TITLE} - سال {to_persian_digits(period)}", Style(font=fonts.BOLD, size=15, leading=26, align="center", color=ACCENT)))
    scope = report.scope or "کل کشور"
    story.add(RTLParagraph(f"دامنه: {scope} — مقایسه با سال {to_persian_digits(previous)}", BODY.but(align="center")), Spacer(1, 8))
    improved, worse = summary_lines(report)
    for caption, lines, none in (("خلاصه: آنچه بهتر شد", improved, "تغییر مثبتی نسبت به سال پیش دیده نشد."),
                                 ("خلاصه: آنچه بدتر شد", worse, "تغییر منفی ای نسبت به سال پیش دیده نشد.")):  # fmt: skip
        story.caption(caption)
        for text in lines or [none]:
            story.para(f"• {text}" if lines else text, BODY.but(align="right"))
    story.caption("ارقام کلیدی")
    _figures_table(story, report.key_figures, previous, period)
    story.para(
        "سهم ها بدون «عدم مصداق» (گزارش سالانه) و «هنوز موعد انجام آن نرسیده است» (گزارش سه ماهه) محاسبه شده اند؛ تغییر سهم ها و امتیازها به واحد درصد"
        " و تغییر شمارش ها به تعداد است. امتیاز بازرسی: رعایت شده ۱، تا حدودی ۰٫۵، رعایت نشده صفر.", NOTE,
    )  # fmt: skip
    if report.indicators:
        story.heading("گزارش سالانه: سهم «بله» هر شاخص", new_page=True)
        _figures_table(story, report.indicators, previous, period)
    if report.provinces:
        story.heading("به تفکیک استان", new_page=True)
        rows = [[r.label, pct(r.values[0]), num(r.values[1]), num(r.values[2]), change_text(r.values[3]), num(r.values[4])] for r in report.provinces]
        story.table(["استان", "درصد ارسال", f"امتیاز {to_persian_digits(period)}", f"امتیاز {to_persian_digits(previous)}", "تغییر", "امتیاز بازرسی"],
                    rows, [110, 60, 60, 60, 80, 60], ["right", *CENTER * 5], cell=SMALL, head=SMALL_HEAD)  # fmt: skip
        story.caption(f"نقشه: میانگین امتیاز گزارش های سالانه هر استان در سال {to_persian_digits(period)} (سرخ: کمتر، سبز: بیشتر)")
        story.add(ProvinceMap({r.key: r.values[1] for r in report.provinces}, story.width * 0.8))
        story.caption(f"نقشه: درصد واحدهایی که گزارش سالانه {to_persian_digits(period)} را فرستاده اند")
        story.add(ProvinceMap({r.key: r.values[0] for r in report.provinces}, story.width * 0.8))
        story.caption(f"نمودار: میانگین امتیاز گزارش های سالانه هر استان در سال {to_persian_digits(period)}")
        story.add(BarChart([Bar(r.label, r.values[1]) for r in report.provinces], label_width=110, bar_height=7, gap=3, unit="", highlight_below=50))
    if report.agencies:
        story.heading("به تفکیک دستگاه", new_page=True)
        rows = [[r.label, num(r.values[0], 0), num(r.values[1], 0), num(r.values[2]), num(r.values[3]), change_text(r.values[4]), num(r.values[5])] for r in report.agencies]
        story.table(["دستگاه", "واحدها", "گزارش رسیده", f"امتیاز {to_persian_digits(period)}", f"امتیاز {to_persian_digits(previous)}", "تغییر", "امتیاز بازرسی"],
                    rows, [150, 40, 50, 55, 55, 75, 55], ["right", *CENTER * 6], cell=SMALL, head=SMALL_HEAD)  # fmt: skip
    if report.programs:
        story.heading("گزارش سه ماهه برنامه ها: سهم اقدام های «انجام شد»", new_page=True)
        quarters = [to_persian_digits(q.split("-")[1].replace("Q", "سه ماهه ")) for q in report.program_quarters]
        rows = [[r.label, *(pct(v) for v in r.values[:-1]), change_text(r.values[-1])] for r in report.programs]
        story.table(["برنامه", *quarters, "تغییر آخرین سه ماهه"], rows, [190, 55, 55, 55, 55, 80], ["right", *CENTER * 5], cell=SMALL, head=SMALL_HEAD)
        if report.targets:
            story.caption("اهداف دستورالعمل: دستگاه هایی که هدف را تا آخرین سه ماهه محقق کرده اند")
            rows = [[r.label, num(r.values[0], 0), num(r.values[1], 0), pct(r.values[2])] for r in report.targets]
            story.table(["اقدام", "دستگاه ها", "محقق شده", "درصد"], rows, [300, 55, 55, 55], ["right", *CENTER * 3], cell=SMALL, head=SMALL_HEAD)
        if report.satisfaction:
            story.caption("رضایت مخاطبان (نظرسنجی پایان برنامه ها، میانگین وزنی با تعداد پاسخ دهندگان)")
            rows = [[r.label, num(r.values[0], 0), num(r.values[1], 0), pct(r.values[2])] for r in report.satisfaction]
            story.table(["برنامه", "نظرسنجی", "پاسخ دهندگان", "میانگین رضایت"], rows, [280, 55, 70, 65], ["right", *CENTER * 3], cell=SMALL, head=SMALL_HEAD)
    if report.inspection_dimensions:
        story.heading("بازرسی های مشترک: امتیاز به تفکیک ابعاد", new_page=True)
        _figures_table(story, report.inspection_dimensions, previous, period)
    if report.ranking and report.method is not None:
        story.heading("رتبه بندی ترکیبی", new_page=True)
        ranking_body(story, report.ranking, report.method, ranked_shown)
    return story.items


def ranking_body(story: _Story, ranking: list[UnitScore], method: Method, shown: int | None = None) -> None:
    weights = "، ".join(f"{c.label} {num(100 * c.weight / sum(x.weight for x in method.components), 0)}٪" for c in method.components)
    story.para(f"{method.title}: {weights}. واحدی که یکی از اجزا را ندارد با اجزای دیگر و وزن های متناسب شده امتیاز می گیرد؛"
               " واحد بدون گزارش سالانه رتبه ندارد. امتیازهای برابر رتبه مشترک دارند.", NOTE)  # fmt: skip
    ranked = [u for u in ranking if u.rank is not None]
    header = ["رتبه", "دستگاه / واحد", "استان", "سطح", *(c.label.split(" (")[0] for c in method.components), "امتیاز ترکیبی"]

    def row(u: UnitScore) -> list[str]:
        return [to_persian_digits(u.rank) if u.rank else DASH, u.name, PROVINCES.get(u.province, "ملی"), LEVELS.get(u.level, u.level),
                *(num(u.parts.get(c.id)) for c in method.components), num(u.combined)]  # fmt: skip

    widths = [32, 150, 60, 60, *([45] * len(method.components)), 50]
    aligns = ["center", "right", "right", "right", *CENTER * (len(method.components) + 1)]
    if shown is None or len(ranked) <= 2 * shown:
        story.table(header, [row(u) for u in ranked], widths, aligns, cell=SMALL, head=SMALL_HEAD)
        return
    story.caption(f"{to_persian_digits(shown)} رتبه نخست")
    story.table(header, [row(u) for u in ranked[:shown]], widths, aligns, cell=SMALL, head=SMALL_HEAD)
    story.caption(f"{to_persian_digits(shown)} رتبه پایانی (ضعیف ترین ها)")
    story.table(header, [row(u) for u in ranked[-shown:]], widths, aligns, cell=SMALL, head=SMALL_HEAD)
    story.para(f"فهرست کامل {to_persian_digits(len(ranked))} واحد در خروجی اکسل و CSV رتبه بندی است.", NOTE)


def _letterhead(hq_name: str, number: str) -> Letterhead:
    return Letterhead(organization=hq_name, letter_number=number, letter_date=to_jalali_text(dt.date.today()), attachments="ندارد")


def write_progress_pdf(report: ProgressReport, path: str | os.PathLike, hq_name: str) -> int:
    """Write the progress report (atomic); returns its page count. Raises ``pdf.PdfError``."""
    fonts.register_fonts()
    story = build_story(report, PAGE_WIDTH - 2 * MARGIN)
    title = f"{TITLE} - {report.period}"
    return write_letterhead_pdf(story, Path(path), _letterhead(hq_name, to_persian_digits(f"ستاد/{report.period}/پیشرفت")), title=title, author=hq_name, subject=title)


def write_ranking_pdf(ranking: list[UnitScore], method: Method, period: str, scope: str, path: str | os.PathLike, hq_name: str) -> int:
    """The combined ranking alone, every ranked unit, fit for publication."""
    fonts.register_fonts()
    story = _Story(PAGE_WIDTH - 2 * MARGIN)
    story.add(RTLParagraph(f"رتبه بندی دستگاه ها در اجرای حقوق شهروندی در نظام اداری - سال {to_persian_digits(period)}",
                           Style(font=fonts.BOLD, size=15, leading=26, align="center", color=ACCENT)))  # fmt: skip
    story.add(RTLParagraph(f"دامنه: {scope or 'کل کشور'}", BODY.but(align="center")), Spacer(1, 8))
    ranking_body(story, ranking, method)
    title = f"رتبه بندی {period}"
    return write_letterhead_pdf(story.items, Path(path), _letterhead(hq_name, to_persian_digits(f"ستاد/{period}/رتبه")), title=title, author=hq_name, subject=title)
