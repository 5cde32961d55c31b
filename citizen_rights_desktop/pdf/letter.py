"""The official letter around the report: the covering letter of the title page and the signature.

Wording and rules come from seed 004 (the circular and the guideline of the 1398 report):

- **Two years.** A report's period (``report.period``, the Jalali year reported on) and the
  guideline it follows (``form.guideline_year``) are different things: the 1398 guideline can be
  used for the report on 1404. The form's title is the guideline's title and ends with the
  guideline's year («… شورای عالی اداری - سال ۱۳۹۸»), so it is never printed as is: the subject is
  the title without that year (``report_subject``), the year printed is the period
  (``report_title``), and the guideline is named on its own (``guideline_basis``: «بر اساس شیوه نامه
  سال ۱۳۹۸»). The default letter number carries the period as well.
- **Addressee.** The circular is addressed to ministries, agencies and the governorates
  (استانداری ها) and has each of them send its report «به امضای بالاترین مقام دستگاه/ استاندار به
  سازمان اداری و استخدامی کشور»; the provincial Management and Planning Organizations get it only
  to follow up the provincial report sent by the governor. So a national agency's and a
  governorate's report go to سازمان اداری و استخدامی کشور. The offices under a province (a
  provincial or county office, a county governorate) feed the provincial report, which indicator
  29 («… به سازمان اداری و استخدامی کشور/ سازمان مدیریت و برنامه ریزی استان …») has the provincial
  Management and Planning Organization receive, so their reports are addressed to it.
- **Signer.** The signature block prints the head named in the report's header
  («بالاترین مقام دستگاه اجرایی / استاندار»), see ``report.validation.signer``; validation warns
  when the office profile names someone else. The form has no «از طرف» (on behalf of) item, so
  the block never prints one.
"""

from __future__ import annotations

import re

from reportlab.platypus import KeepTogether, PageBreak, Spacer

from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.pdf import fonts
from citizen_rights_desktop.pdf.answer_text import format_value
from citizen_rights_desktop.pdf.flowables import SignatureBlock, Style
from citizen_rights_desktop.pdf.styles import ACCENT, BODY, MUTED
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.model import Report
from citizen_rights_desktop.report.office import LEVELS, PROVINCES, OfficeProfile
from citizen_rights_desktop.report.validation import on_behalf_signer, signer

ARO = "سازمان اداری و استخدامی کشور"
PROVINCIAL_MPO = "سازمان مدیریت و برنامه ریزی استان"
REPORT_WORD = "گزارش"
# the levels that send their own report to the ARO, per the circular (see the module docstring)
REPORTING_TO_ARO = ("national_agency", "governorate")


def report_subject(form: FormDefinition) -> str:
    """The form's title without the guideline's year at its end («… - سال ۱۳۹۸»), as a report's name."""
    year = str(form.guideline_year)
    pattern = rf"\s*[-–—،]?\s*سال\s*(?:{re.escape(year)}|{re.escape(to_persian_digits(year))})\s*$"
    subject = re.sub(pattern, "", form.title).strip()
    return subject if subject.startswith(REPORT_WORD) else f"{REPORT_WORD} {subject}"


def report_title(form: FormDefinition, period: str) -> str:
    """The report's title: its subject and the year reported on (the period, not the guideline's)."""
    return f"{report_subject(form)} - {form.period_words(period)}"


def guideline_basis(form: FormDefinition) -> str:
    """The guideline the report follows, named apart from the year reported on."""
    return f"بر اساس {form.guideline_name}"


def addressee(office: OfficeProfile, form: FormDefinition | None = None) -> str:
    """Who the report is sent to (the letter's «به:»): the form's kind names it (the quarterly
    program report: the central protection headquarters' secretariat); the annual report goes to
    the Administrative and Recruitment Organization (or a province's Management and Planning
    Organization for a provincial unit)."""
    if form is not None and form.kind.recipients:  # an inspection's three (seed 000): a province's council and headquarters
        province = PROVINCES.get(office.province, "")
        names = [f"{name} {province}" if province and name.endswith("استان") else name for name in form.kind.recipients]
        return "، ".join(names[:-1]) + " و " + names[-1] if len(names) > 1 else names[0]
    if form is not None and form.kind.sent_to:
        return form.kind.sent_to
    province = PROVINCES.get(office.province, "")
    if office.level in REPORTING_TO_ARO or not province:
        return ARO
    return f"{PROVINCIAL_MPO} {province}"


def letter_number(office: OfficeProfile, report: Report) -> str:
    """The default letter number: the office's prefix, the period reported on and the revision."""
    period = report.period.split("@")[0]  # a visit's date without the inspected office's id
    return to_persian_digits(f"{office.letter_prefix}{period}-{report.revision}")


def title_page(builder, letter_date: str) -> None:
    """The covering letter, the report's title and its particulars (``builder`` is ``report_story.ReportStory``)."""
    office, report, form = builder.office, builder.report, builder.form
    province = PROVINCES.get(office.province, "")
    period = form.period_words(report.period)
    title = report_title(form, report.period)
    for label, value in (("به:", addressee(office, form)), ("از:", office.agency), ("موضوع:", title)):
        builder.add(builder.para(f"{label} {value}", BODY.but(font=fonts.BOLD if label == "موضوع:" else fonts.REGULAR, align="right")))
    builder.add(Spacer(1, 8), builder.para("با سلام و احترام،", BODY.but(align="right")))
    # no comma next to a year: copy/paste and pdftotext would move it across the digits («،۱۳۹۸»)
    sentence = f"به پیوست {report_subject(form)} برای {period} {guideline_basis(form)} تقدیم می‌گردد."
    builder.add(builder.para(sentence, BODY))
    builder.add(Spacer(1, 26), builder.para(title, Style(font=fonts.BOLD, size=15, leading=26, align="center", color=ACCENT)))
    builder.add(builder.para(guideline_basis(form), BODY.but(align="center", color=MUTED)), Spacer(1, 12))
    # the header's items name the head («بالاترین مقام …»): the profile's head is not printed
    # beside it, so the document names one highest official, the one who signs
    pairs = [
        (spec.label, format_value(spec, report.header.get(spec.id)))
        for spec in form.header_fields
        if spec.required or report.header.get(spec.id) not in (None, "")  # an optional item left empty is not printed
    ]
    pairs += [("دوره گزارش", period), ("سطح سازمانی", LEVELS.get(office.level, office.level))]
    if province:
        pairs.append(("استان", province + (f"، شهرستان {office.county}" if office.county else "")))
    pairs += [
        ("تاریخ تهیه", letter_date),
        ("ویرایش گزارش", to_persian_digits(report.revision)),
        ("مبنای گزارش", form.guideline_name),
        ("نسخه فرم" if form.kind.guideline_name else "نسخه شیوه نامه", to_persian_digits(form.version)),
    ]
    builder.key_values(pairs)
    counts = {status.id: 0 for status in form.statuses}
    for indicator in form.indicators:
        status = report.section(indicator.id).status
        if status in counts:
            counts[status] += 1
    summary = " — ".join(f"{s.label}: {to_persian_digits(counts[s.id])}" for s in form.statuses)
    many = f"{form.kind.indicator_word} ها"
    builder.add(Spacer(1, 10), builder.para(f"تعداد {many}: {to_persian_digits(len(form.indicators))} ({summary})", BODY.but(align="center")))
    builder.add(PageBreak())


def signature(builder, signature_image, seal_image, on_place) -> None:
    """The signature block: the head named in the report's header (``report.validation.signer``)."""
    name, title = signer(builder.form, builder.report, builder.office)
    deputy = on_behalf_signer(builder.form, builder.report)
    if deputy is None:
        block = SignatureBlock(name, title, BODY, signature_image, seal_image, on_place)
    else:  # recorded in the header: «از طرف» the head, then who signs
        head = "، ".join(p for p in (name, title) if p)
        block = SignatureBlock(deputy[0], deputy[1], BODY, signature_image, seal_image, on_place, on_behalf=f"از طرف {head}")
    builder.add(Spacer(1, 6), KeepTogether([block]))
