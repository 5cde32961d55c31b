"""The compiled progress report as a workbook (issue 16): the same figures as its PDF
(``hq.progress``), one sheet per section, each figure beside the previous year's and the change;
the combined ranking in full, with every unit's id, province and level."""

from __future__ import annotations

import os
from pathlib import Path

from citizen_rights_desktop.hq.export import Sheet, write_sheets_xlsx
from citizen_rights_desktop.hq.progress import Figure, ProgressReport
from citizen_rights_desktop.report.office import LEVELS, PROVINCES


def _figures(name: str, figures: list[Figure], report: ProgressReport) -> Sheet:
    headers = ["کلید", "شاخص", f"سال {report.period}", f"سال {report.previous}", "تغییر", "نوع تغییر"]
    return Sheet(name, headers, lambda: ([f.key, f.label, f.now, f.before, f.change, "واحد درصد" if f.percent else "تعداد"] for f in figures))


def progress_sheets(report: ProgressReport) -> list[Sheet]:
    p, b = report.period, report.previous
    out = [
        Sheet("خلاصه", ["دامنه", "سال", "مقایسه با"], lambda: [[report.scope or "کل کشور", p, b]]),
        _figures("ارقام کلیدی", report.key_figures, report),
        _figures("شاخص های گزارش سالانه", report.indicators, report),
        Sheet("استان ها", ["شناسه استان", "استان", "درصد ارسال", f"امتیاز {p}", f"امتیاز {b}", "تغییر", "امتیاز بازرسی"],
              lambda: ([r.key, r.label, *r.values] for r in report.provinces)),
        Sheet("دستگاه ها", ["دستگاه", "واحدها", "گزارش رسیده", f"امتیاز {p}", f"امتیاز {b}", "تغییر", "امتیاز بازرسی"],
              lambda: ([r.label, *r.values] for r in report.agencies)),
        Sheet("برنامه ها", ["شناسه", "برنامه", *report.program_quarters, "تغییر آخرین سه ماهه"], lambda: ([r.key, r.label, *r.values] for r in report.programs)),
        Sheet("اهداف", ["شناسه", "اقدام", "دستگاه ها", "محقق شده", "درصد"], lambda: ([r.key, r.label, *r.values] for r in report.targets)),
        Sheet("رضایت", ["شناسه", "برنامه", "نظرسنجی", "پاسخ دهندگان", "میانگین رضایت"], lambda: ([r.key, r.label, *r.values] for r in report.satisfaction)),
        _figures("بازرسی ها", report.inspection_dimensions, report),
    ]  # fmt: skip
    if report.method is not None:
        components = report.method.components
        out.append(Sheet(
            "رتبه بندی ترکیبی",
            ["رتبه", "شناسه واحد", "دستگاه / واحد", "استان", "سطح", *(c.label for c in components), "امتیاز ترکیبی"],
            lambda: ([u.rank, u.office_id, u.name, PROVINCES.get(u.province, u.province), LEVELS.get(u.level, u.level),
                      *(u.parts.get(c.id) for c in components), u.combined] for u in report.ranking),
        ))  # fmt: skip
    return out


def write_progress_xlsx(report: ProgressReport, path: str | os.PathLike) -> Path:
    return write_sheets_xlsx(progress_sheets(report), path)
