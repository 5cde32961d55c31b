"""A sample inspection visit (issue 15): a joint team from both organizations visits one office of
Fars, finds most items compliant, a few partly or not compliant (each a finding with a corrective
action, who is responsible and a deadline) and one not applicable.

Like ``editing.demo``, nothing here names a checklist item: any checklist version works.
"""

from __future__ import annotations

import random
from datetime import timedelta

from citizen_rights_desktop.editing.demo import JUSTIFICATIONS, _Generator, _store_blobs
from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.report.model import Report, Row, SectionAnswer
from citizen_rights_desktop.report.office import INSPECTION_TEAM, OfficeProfile
from citizen_rights_desktop.report.relevance import evidence_needed
from storage.database import utc_now
from storage.report_store import ReportStore, new_id

DEMO_OFFICE = ("fars-sabt-shiraz", "اداره ثبت اسناد و املاک شهرستان شیراز")
TEAM = (
    ("علی رضایی", "aro", "سرپرست تیم"),
    ("مریم احمدی", "moi", "عضو تیم"),
    ("حسین کریمی", "aro", "کارشناس بازرسی"),
)  # fmt: skip
CORRECTIVE = (
    "رفع نقص مشاهده شده و ارسال مستندات اصلاح آن به دبیرخانه ستاد صیانت استان",
    "تعیین مسئول پیگیری، رفع نقص و گزارش آن در جلسه بعدی کمیته سلامت اداری و صیانت از حقوق مردم",
)
OBSERVED = (
    "در بازدید از محل، مورد به طور کامل مشاهده شد و مستندات آن ارائه گردید.",
    "بخشی از موارد رعایت شده، اما در طبقه دوم ساختمان مشاهده نشد.",
    "در زمان بازدید مشاهده نشد و مستندی نیز ارائه نگردید.",
)


def team_office() -> OfficeProfile:
    return OfficeProfile(
        id="fars-inspection-team-1", agency="تیم مشترک بازرسی حقوق شهروندی استان فارس", level=INSPECTION_TEAM, province="fars",
        head_name="علی رضایی", head_title="سرپرست تیم مشترک بازرسی", letter_prefix="ب/",
    )  # fmt: skip


def visit_report(form: FormDefinition, office: OfficeProfile, seed: int = 1399, inspected: tuple[str, str] = DEMO_OFFICE, day: str = "07-15") -> Report:
    """One complete visit (not stored) of ``inspected`` (id, name) on ``day`` of the form's year."""
    rng = random.Random(seed)
    generator = _Generator(form, rng)
    period = f"{form.guideline_year}-{day}@{inspected[0]}"
    generator.period = form.period(period)
    now = utc_now()
    report = Report(new_id(), office.id, form.id, form.version, period, 1, "draft", now, now)
    header = {"agency": office.agency, "head": f"{office.head_name}، {office.head_title}", "inspected_office": inspected[1],
              "visit_type": "periodic", "start_time": "09:00", "end_time": "12:30", "received_by": "سعید کاظمی، معاون اداره"}  # fmt: skip
    report.header = {spec.id: header[spec.id] for spec in form.header_fields if spec.id in header}
    if form.opening is not None:
        report.sections[form.opening.id] = _team(form)
    visit_day = generator.period.first_day
    scored = sorted((s for s in form.statuses if s.score is not None), key=lambda s: -s.score)  # compliant first
    compliant, partly, worst = scored[0], scored[min(1, len(scored) - 1)], scored[-1]
    not_applicable = next((s for s in form.statuses if s.score is None), None)
    positions = {2: partly, 5: worst, 9: partly, 13: worst}  # a few findings, spread out
    if not_applicable is not None:
        positions[7] = not_applicable
    for index, indicator in enumerate(form.indicators):
        status = positions.get(index, compliant)
        answer = SectionAnswer(status=status.id)
        if "justification" in status.asks:
            answer.justification = JUSTIFICATIONS[0]
        if "details" in status.asks:
            generator.details(indicator, answer, (1, 2))
            answer.values["observation"] = OBSERVED[0 if status is compliant else 1 if status.score else 2]
        if "finding" in status.asks:
            answer.values["corrective_action"] = CORRECTIVE[len([p for p in positions if p < index]) % len(CORRECTIVE)]
            answer.values["corrective_deadline"] = (visit_day + timedelta(days=30 + 15 * (index % 3))).isoformat()
        if evidence_needed(indicator, status.id):
            answer.evidence = generator.evidence(1)
        answer.values = {k: v for k, v in answer.values.items() if any(f.id == k for f in indicator.fields)}
        report.sections[indicator.id] = answer
    return report


def _team(form: FormDefinition) -> SectionAnswer:
    answer = SectionAnswer()
    for table in form.opening.tables:
        columns = {c.id for c in table.columns}
        rows = [dict(zip(("name", "organization", "role"), member)) for member in TEAM]
        answer.tables[table.id] = [Row(new_id(), {k: v for k, v in cells.items() if k in columns}) for cells in rows]
    return answer


def demo_inspection(store: ReportStore, form: FormDefinition, seed: int = 1399) -> str:
    """The team's profile and one complete visit, stored; returns the visit's report id."""
    office = team_office()
    if store.get_office(office.id) is None:
        store.save_office(office)
    report = visit_report(form, office, seed)
    store.write_report(report, _store_blobs(store))
    return report.id
