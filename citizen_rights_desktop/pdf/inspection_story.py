"""The inspection visit's own pages (issue 15): the team, and after the checklist the scores per
dimension and per right, the findings with their corrective actions and deadlines, the
contradictions with the inspected office's annual report, and what became of an earlier visit's
findings. ``builder`` is ``report_story.ReportStory``; the figures are ``report.inspection``'s.
"""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, PageBreak

from citizen_rights_desktop.pdf.answer_text import EMPTY
from citizen_rights_desktop.pdf.flowables import rtl_table
from citizen_rights_desktop.pdf.section_layout import layout
from citizen_rights_desktop.pdf.styles import CELL, CELL_HEAD, DIMENSION_TITLE, MUTED, NOTE
from citizen_rights_desktop.persian.jalali import to_jalali_text
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.inspection import (
    Contradiction,
    FollowUp,
    InspectionContext,
    Score,
    contradictions,
    findings,
    visit_scores,
)


def _percent(score: Score) -> str:
    return EMPTY if score.percent is None else to_persian_digits(f"{score.percent:g}") + "٪"


def _date(text: str) -> str:
    try:
        return to_jalali_text(text)  # a stored ISO date
    except ValueError:
        return to_persian_digits(text) or EMPTY


def opening(builder) -> None:
    """The form's opening section (the team), after the title page."""
    section = builder.form.opening
    if section is None:
        return
    builder.add(builder.para(section.title, DIMENSION_TITLE, keep=True))
    answer = builder.report.section(section.id)
    builder.part(section, answer, layout(section, answer).yes)


def results(builder, context: InspectionContext | None) -> None:
    """The visit's results after its checklist: scores, findings, contradictions, follow-up."""
    form, report = builder.form, builder.report
    if not form.scored:
        return
    context = context or InspectionContext()
    scores = visit_scores(form, report)
    builder.add(PageBreak(), builder.para("نتایج بازرسی", DIMENSION_TITLE, keep=True))
    builder.caption("امتیاز به تفکیک ابعاد")
    body = [[to_persian_digits(d.number), d.title, to_persian_digits(scores.by_dimension[d.id].scored), _percent(scores.by_dimension[d.id])] for d in form.dimensions]
    body.append(["", "امتیاز کل", to_persian_digits(scores.overall.scored), _percent(scores.overall)])
    builder.add(rtl_table(["بُعد", "عنوان", f"{form.kind.indicator_word} های دارای امتیاز", "امتیاز"], body, [34, 330, 80, 60],
                          builder.width, CELL, CELL_HEAD, ["center", "right", "center", "center"]))  # fmt: skip
    rule = "امتیاز: رعایت شده ۱، تا حدودی ۰٫۵، رعایت نشده صفر؛ موارد «مصداق ندارد» و بی‌پاسخ در مخرج امتیاز نیستند."
    builder.add(builder.para(rule, NOTE))
    if scores.by_right:
        builder.caption("امتیاز به تفکیک حقوق شهروندی (مواد ۳ تا ۱۳ تصویب نامه)")
        names = dict(form.rights)
        body = [[to_persian_digits(r), names.get(r, ""), to_persian_digits(s.scored), _percent(s)] for r, s in scores.by_right.items()]
        builder.add(rtl_table(["ماده", "حق", "موارد", "امتیاز"], body, [34, 360, 50, 60], builder.width, CELL, CELL_HEAD,
                              ["center", "right", "center", "center"]))  # fmt: skip
    _findings(builder)
    _contradictions(builder, context)
    _follow_ups(builder, context.follow_ups)


def _findings(builder) -> None:
    found = findings(builder.form, builder.report)
    builder.add(CondPageBreak(120))
    builder.caption("یافته ها و اقدامات اصلاحی")
    if not found:
        builder.add(builder.para("یافته ای ثبت نشده است: همه موارد رعایت شده یا مصداق نداشته است.", CELL.but(color=MUTED)))
        return
    body = [[to_persian_digits(f.number), f.title, f.status_label, f.corrective_action or EMPTY, f.responsible or EMPTY, _date(f.deadline)] for f in found]
    builder.add(rtl_table(["مورد", "عنوان", "وضعیت", "اقدام اصلاحی لازم", "مسئول", "مهلت"], body, [30, 150, 56, 160, 60, 58],
                          builder.width, CELL, CELL_HEAD, ["center", "right", "center", "right", "right", "center"]))  # fmt: skip


def _contradictions(builder, context: InspectionContext) -> None:
    builder.caption("مغایرت با خوداظهاری دستگاه در گزارش سالانه")
    if context.claims is None:
        text = "گزارش سالانه دستگاه بازرسی‌شده در این رایانه در دسترس نبود؛ مغایرت‌ها در ستاد بررسی می‌شود."
        builder.add(builder.para(text, CELL.but(color=MUTED)))
        return
    found: list[Contradiction] = contradictions(builder.form, builder.report, context.claims)
    source = f" ({context.claims_period})" if context.claims_period else ""
    if not found:
        builder.add(builder.para(f"مغایرتی یافت نشد{source}.", CELL.but(color=MUTED)))
        return
    builder.add(builder.para(f"دستگاه در گزارش سالانه{source} به شاخص‌های زیر «بله» پاسخ داده، اما تیم بازرسی مورد را «رعایت نشده» یافت:", NOTE))
    body = [[to_persian_digits(c.number), c.title, "، ".join(to_persian_digits(int(i[1:])) if i[1:].isdigit() else i for i in c.claimed)] for c in found]
    builder.add(rtl_table(["مورد", "عنوان", "شاخص گزارش سالانه"], body, [34, 380, 90], builder.width, CELL, CELL_HEAD, ["center", "right", "center"]))


def _follow_ups(builder, follow_ups: list[FollowUp]) -> None:
    if not follow_ups:
        return
    builder.caption("پیگیری یافته های بازرسی قبلی")
    form = builder.form
    body = []
    for item in follow_ups:
        now = form.indicator(item.finding.indicator_id).status_label(item.now) if item.now and form.has_indicator(item.finding.indicator_id) else "بررسی نشد"
        state = "برطرف شده" if item.resolved else ("بررسی نشد" if item.now is None else "برطرف نشده")
        body.append([to_persian_digits(item.finding.number), item.finding.title, form.period_words(item.earlier_period), _date(item.finding.deadline), now, state])
    builder.add(rtl_table(["مورد", "عنوان", "بازدید قبلی", "مهلت", "اکنون", "نتیجه"], body, [30, 170, 80, 58, 70, 60],
                          builder.width, CELL, CELL_HEAD, ["center", "right", "center", "center", "center", "center"]))  # fmt: skip
