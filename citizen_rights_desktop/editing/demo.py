"""Realistic sample reports, generated from any form definition (nothing here names an indicator).

``demo_report`` makes the one complete report people try the product with; ``generate_reports``
makes N varied reports (complete and partial, yes / no / not applicable, across all provinces and
levels) for tests and benchmarks. Both are deterministic for a given seed.
"""

from __future__ import annotations

import hashlib
import random
import struct
import zlib
from dataclasses import dataclass
from datetime import date, timedelta

from citizen_rights_desktop.editing.digest import store_digest
from citizen_rights_desktop.form.definition import Field, FormDefinition, Section, Status
from citizen_rights_desktop.form.expressions import evaluate
from citizen_rights_desktop.report.model import EvidenceRef, Report, Row, SectionAnswer
from citizen_rights_desktop.report.office import PROVINCES, REPORTING_LEVELS, OfficeProfile
from citizen_rights_desktop.report.relevance import asked_fields, asked_tables, evidence_needed
from citizen_rights_desktop.report.validation import _numeric_values
from storage.database import utc_now
from storage.report_store import ReportStore, new_id

AGENCIES = [
    "اداره کل ثبت اسناد و املاک",
    "اداره کل امور مالیاتی",
    "اداره کل راه و شهرسازی",
    "اداره کل تعاون، کار و رفاه اجتماعی",
    "اداره کل آموزش و پرورش",
    "اداره کل بهزیستی",
    "اداره کل منابع طبیعی و آبخیزداری",
    "اداره کل میراث فرهنگی، گردشگری و صنایع دستی",
    "اداره کل ورزش و جوانان",
    "اداره کل استاندارد",
    "سازمان جهاد کشاورزی",
    "اداره کل بیمه سلامت",
]
NATIONAL_AGENCIES = ["سازمان ثبت اسناد و املاک کشور", "سازمان امور مالیاتی کشور", "سازمان بهزیستی کشور", "وزارت راه و شهرسازی"]
COUNTIES = ["مرکزی", "شمالی", "جنوبی", "غربی", "شرقی"]
HEAD_NAMES = ["علی رضایی", "مریم احمدی", "حسین کریمی", "زهرا محمدی", "محمدرضا حسینی", "فاطمه موسوی", "سعید کاظمی", "نرگس جعفری"]

SERVICES = [
    "صدور سند مالکیت", "ثبت درخواست پروانه ساختمانی", "پاسخ به استعلام ملکی", "صدور گواهی پایان کار",
    "ثبت نام بیمه شدگان", "تمدید دفترچه بیمه", "صدور مجوز کسب و کار", "رسیدگی به اعتراضات مالیاتی",
    "صدور کارت معافیت", "ثبت شکایت مردمی", "پرداخت مستمری", "صدور گواهی نامه آموزشی",
    "ارائه مشاوره حقوقی", "ثبت تغییرات شرکت ها", "صدور پروانه بهره برداری", "تأیید صلاحیت پیمانکاران",
]  # fmt: skip
GROUPS = ["عموم شهروندان", "کشاورزان", "کارفرمایان و کارگران", "دانش آموزان و اولیا", "افراد دارای معلولیت", "فعالان اقتصادی", "بازنشستگان"]
CHANNELS = [
    "درگاه اینترنتی و تابلوی اعلانات", "پیامک و شبکه های اجتماعی", "میز خدمت و بروشور",
    "سامانه ۱۱۱ و درگاه ملی خدمات", "رسانه های استانی و وبگاه اداره",
]  # fmt: skip
LEGAL = ["قانون ثبت اسناد و املاک", "قانون مالیات های مستقیم", "قانون مدیریت خدمات کشوری", "آیین نامه اجرایی مصوب هیأت وزیران", "قانون جامع حمایت از حقوق معلولان"]
SENTENCES = [
    "این موضوع از طریق کارگروه تخصصی اداره پیگیری شده و گزارش آن به صورت فصلی به معاونت مربوط ارائه می شود.",
    "سامانه یکپارچه ای برای ثبت و پیگیری درخواست های مراجعین راه اندازی شده و نتایج آن در جلسات ماهانه بررسی می شود.",
    "با همکاری دانشگاه استان نظرسنجی از ۴۰۰ نفر از مراجعین انجام شد و میزان رضایت ۷۸ درصد برآورد گردید.",
    "دستورالعمل داخلی تدوین و به همه واحدهای تابعه ابلاغ شده و اجرای آن در بازرسی های دوره ای کنترل می شود.",
    "مسئول میز خدمت آموزش دیده و راهنمای مکتوب خدمات در اختیار مراجعین قرار گرفته است.",
    "پیشنهادهای دریافتی در کمیته تحول اداری بررسی و موارد قابل اجرا در برنامه سال آینده گنجانده شد.",
]  # fmt: skip
REASONS = [
    "به دلیل کمبود اعتبارات و نیروی انسانی متخصص، اجرای این برنامه به سال آینده موکول شده است.",
    "زیرساخت فنی لازم هنوز از سوی دستگاه ملی فراهم نشده است.",
    "این برنامه در دست تدوین است و پس از تصویب در کمیته مربوط اجرا خواهد شد.",
]
JUSTIFICATIONS = [
    "با توجه به ماهیت وظایف این واحد که ارائه خدمت مستقیم به مراجعین ندارد، این شاخص مصداق ندارد؛ مستندات پیوست است.",
    "وظیفه مربوط به موجب تفاهم نامه به سازمان دیگری واگذار شده است؛ نامه رسمی واگذاری پیوست می شود.",
]


def _png(seed: int) -> bytes:
    """A tiny valid PNG (a coloured square) standing in for a scanned document."""
    r, g, b = (seed * 67) % 256, (seed * 131) % 256, (seed * 29) % 256
    raw = b"".join(b"\x00" + bytes((r, g, b)) * 16 for _ in range(16))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@dataclass
class _Evidence:
    name: str
    data: bytes
    mime: str


def _evidence_pool() -> list[_Evidence]:
    letters = [
        _Evidence(f"نامه-رسمی-{i}.txt", f"نامه رسمی شماره {1000 + i} در سربرگ سازمان با امضای مقام مسئول\n".encode("utf-8"), "text/plain")
        for i in range(1, 4)
    ]
    scans = [_Evidence(f"تصویر-مستند-{i}.png", _png(i), "image/png") for i in range(1, 4)]
    return letters + scans


class _Generator:
    def __init__(self, form: FormDefinition, rng: random.Random, fill_optional: bool = True, optional_share: float = 0.8):
        self.form = form
        self.rng = rng
        self.fill_optional = fill_optional
        self.optional_share = optional_share
        self.pool = _evidence_pool()

    def text_for(self, spec: Field) -> str:
        key = spec.id
        rng = self.rng
        if "service" in key or "process" in key or "facility" in key or key in ("complaint_type",):
            return rng.choice(SERVICES)
        if "group" in key:
            return rng.choice(GROUPS)
        if "announce" in key or "channel" in key:
            return rng.choice(CHANNELS)
        if "legal" in key:
            return rng.choice(LEGAL)
        if key in ("name", "responsible", "received_by"):
            return rng.choice(HEAD_NAMES)
        if "executor" in key:
            return rng.choice(["شرکت خدمات مهندسی پارس", "دفاتر پیشخوان دولت", "مؤسسه خدمات رفاهی کوثر"])
        if spec.type == "long_text":
            return " ".join(rng.sample(SENTENCES, 2))
        return rng.choice(SENTENCES[:4])[:60].rsplit(" ", 1)[0]

    def value_for(self, spec: Field) -> object:
        rng = self.rng
        if spec.type in ("text", "long_text"):
            return self.text_for(spec)
        if spec.type == "integer":
            if "hour" in spec.id:
                return rng.randint(20, 400)
            if "headcount" in spec.id:
                return rng.randint(15, 300)
            return rng.randint(1, 60) if "meeting" in spec.id or "per_year" in spec.id else rng.randint(0, 1200)
        if spec.type == "number":
            return round(rng.uniform(1, 100), 1)
        if spec.type == "percent":
            return rng.randint(10, 100)
        if spec.type == "date":  # a day of the period reported on
            first, last = (self.period.first_day, self.period.last_day) if getattr(self, "period", None) else (date(2019, 3, 21), date(2020, 3, 19))
            return (first + timedelta(days=rng.randint(0, (last - first).days))).isoformat()
        if spec.type == "time":
            return f"{rng.randint(8, 13):02d}:{rng.choice(('00', '15', '30', '45'))}"
        if spec.type == "url":
            return rng.choice(["https://www.example-agency.ir/services", "https://my.example-agency.ir", "https://eservices.example.ir/request"])
        if spec.type == "choice":
            return rng.choice(spec.options).id
        raise ValueError(spec.type)

    def details(self, section: Section, answer: SectionAnswer, rows_range: tuple[int, int], choices: dict[str, str] | None = None) -> None:
        for _ in range(50):  # draw again until the form's rules hold (e.g. disrespect complaints <= all)
            answer.values = {
                f.id: self.value_for(f) for f in section.fields if f.required or (self.fill_optional and self.rng.random() < self.optional_share)
            }
            answer.tables = {}
            for table in section.tables:
                if table.fixed_rows:
                    answer.tables[table.id] = [Row(r.id, {c.id: self.value_for(c) for c in table.columns}) for r in table.fixed_rows]
                    continue
                low = max(rows_range[0], table.min_rows)
                high = max(low, min(rows_range[1], table.max_rows or rows_range[1]))
                if not table.required and self.rng.random() < 0.3:
                    high = low = table.min_rows
                rows = []
                for _ in range(self.rng.randint(low, high)):
                    cells = {}
                    for column in table.columns:
                        if column.required_when:
                            other, equals = column.required_when
                            if cells.get(other) != equals:
                                continue
                        cells[column.id] = self.value_for(column)
                    rows.append(Row(new_id(), cells))
                answer.tables[table.id] = rows
            answer.values.update({k: v for k, v in (choices or {}).items() if k in answer.values})
            self.match_counts(section, answer)
            # what the answer does not ask is left out, as a clerk would (indicator 5's two questions)
            asked = {f.id for f in asked_fields(section, answer)} | {t.id for t in asked_tables(section, answer)}
            answer.values = {k: v for k, v in answer.values.items() if k in asked}
            answer.tables = {k: v for k, v in answer.tables.items() if k in asked}
            values = _numeric_values(section, answer)
            if all(evaluate(rule.check, values, answer.row_cells) is not False for rule in section.rules):
                return

    @staticmethod
    def match_counts(section: Section, answer: SectionAnswer) -> None:
        """A count of events asked beside a table of their dates (indicator 21) is the table's length."""
        dated = [t for t in section.tables if any(c.type == "date" for c in t.columns)]
        for spec in section.fields:
            if dated and spec.type == "integer" and spec.id.startswith("times"):
                answer.values[spec.id] = len(answer.tables.get(dated[0].id, []))

    def evidence(self, count: int) -> list[EvidenceRef]:
        refs = []
        for item in self.rng.sample(self.pool, count):
            refs.append(EvidenceRef(new_id(), hashlib.sha256(item.data).hexdigest(), item.name, len(item.data), item.mime, utc_now()))
        return refs

    def report(self, office: OfficeProfile, period: str, status_weights: tuple[float, float, float], rows_range: tuple[int, int], complete: bool) -> Report:
        now = utc_now()
        report = Report(new_id(), office.id, self.form.id, self.form.version, period, 1, "draft", now, now)
        report.header = {}
        for spec in self.form.header_fields:
            if "agency" in spec.id or "head" in spec.id:  # the rest (who signs for the head) stays empty
                report.header[spec.id] = office.agency if "agency" in spec.id else f"{office.head_name}، {office.head_title}"
        self.period = self.form.period(period) if self.form.accepts_period(period) else None
        for indicator in self.form.indicators:
            answer = SectionAnswer()
            statuses = indicator.statuses
            status = self.rng.choices(statuses, weights=[_weight(s, status_weights) for s in statuses])[0]
            if not complete and self.rng.random() < 0.1:
                report.sections[indicator.id] = answer  # left unanswered
                continue
            answer.status = status.id
            asks = status.asks
            if "details" in asks:
                self.details(indicator, answer, rows_range)
            if "reason" in asks:
                answer.reason = self.rng.choice(REASONS)
                if "details" not in asks and indicator.asks_always():
                    self.details(indicator, answer, rows_range)
            if "justification" in asks:
                answer.justification = self.rng.choice(JUSTIFICATIONS)
                answer.evidence = self.evidence(1)
            elif "details" in asks:
                if evidence_needed(indicator, status.id) or self.rng.random() < 0.3:
                    answer.evidence = self.evidence(self.rng.randint(1, 2))
            elif evidence_needed(indicator, status.id):
                answer.evidence = self.evidence(1)
            report.sections[indicator.id] = answer
        diagnostic = SectionAnswer()
        self.details(self.form.diagnostic, diagnostic, (2, 4))
        report.sections[self.form.diagnostic.id] = diagnostic
        report.sections = {k: v for k, v in report.sections.items() if not v.is_empty()}
        return report


def _weight(status: Status, weights: tuple[float, float, float]) -> float:
    """How often sample data gives ``status``, from (details, reason, justification) weights: the
    annual report's yes / no / not applicable, and likewise a form's own statuses."""
    asks = set(status.asks)
    if "justification" in asks:
        return weights[2]
    if asks == {"details"}:
        return weights[0]
    if "details" in asks:
        return weights[0] * 0.3
    if "reason" in asks:
        return weights[1]
    return 0.05


def demo_period(form: FormDefinition) -> str:
    """The period of the demo report: the guideline's year, its first quarter, or a visit to a sample office."""
    if form.kind.period == "visit":
        return f"{form.guideline_year}-07-15@fars-sabt-shiraz"
    return f"{form.guideline_year}-Q1" if form.kind.period == "quarter" else str(form.guideline_year)


def _office(rng: random.Random, index: int) -> OfficeProfile:
    """The ``index``-th sample office: provincial units go round the 31 provinces in turn."""
    level = rng.choices(REPORTING_LEVELS, weights=(1, 6, 4, 1, 2))[0]
    province = list(PROVINCES)[index % len(PROVINCES)]
    if level == "national_agency":
        agency, province = rng.choice(NATIONAL_AGENCIES), ""
    elif level == "governorate":
        agency = f"استانداری {PROVINCES[province]}"
    elif level == "county_governorate":
        agency = f"فرمانداری شهرستان {rng.choice(COUNTIES)}"
    else:
        agency = f"{rng.choice(AGENCIES)} استان {PROVINCES[province]}"
    county = rng.choice(COUNTIES) if level in ("county_office", "county_governorate") else ""
    titles = {"governorate": "استاندار", "county_governorate": "فرماندار"}
    return OfficeProfile(
        id=new_id(), agency=agency, level=level, province=province, county=county,
        head_name=rng.choice(HEAD_NAMES), head_title=titles.get(level, "مدیر کل"), letter_prefix=f"{rng.randint(10, 99)}/",
    )  # fmt: skip


def _store_blobs(store: ReportStore) -> list[bytes]:
    return [item.data for item in _evidence_pool() if not store.has_blob(hashlib.sha256(item.data).hexdigest())]


def demo_report(store: ReportStore, form: FormDefinition, seed: int = 1398) -> str:
    """One office and one fully filled, valid report (every indicator answered); returns its id."""
    rng = random.Random(seed)
    office = OfficeProfile(
        id=new_id(), agency="اداره کل ثبت اسناد و املاک استان فارس", level="provincial_office", province="fars",
        head_name="علی رضایی", head_title="مدیر کل", letter_prefix="۱۲/ث/",
    )  # fmt: skip
    store.save_office(office)
    generator = _Generator(form, rng)
    report = generator.report(office, demo_period(form), (0.7, 0.2, 0.1), (5, 20), complete=True)
    full = next(s for s in form.statuses if s.asks == ("details",))  # the annual report's «بله»
    for indicator in form.indicators:  # indicators with computed values show them
        found = indicator.status(report.section(indicator.id).status)
        if indicator.computed and (found is None or "details" not in found.asks):
            answer = SectionAnswer(status=full.id)
            generator.details(indicator, answer, (5, 20))
            if evidence_needed(indicator, full.id):
                answer.evidence = generator.evidence(1)
            report.sections[indicator.id] = answer
    for indicator in form.indicators:  # both of indicator 5's questions answered yes, to show both tables
        if indicator.asks_always():
            answer = SectionAnswer(status=full.id)
            generator.details(indicator, answer, (5, 20), choices={f.id: "yes" for f in indicator.fields if f.asked == "always" and f.type == "choice"})
            report.sections[indicator.id] = answer
    used = {s.status for s in report.sections.values() if s.status}
    positions = {"no": 2, "not_applicable": 5}  # the annual demo's places, kept so its report stays the same
    for index, status in enumerate(form.statuses):  # a demo shows every kind of answer
        position = positions.get(status.id, 2 + 3 * index)
        if status.id in used or len(form.indicators) <= position:
            continue
        indicator = form.indicators[position]
        answer = SectionAnswer(status=status.id)
        if "details" in status.asks:
            generator.details(indicator, answer, (5, 20))
        if "reason" in status.asks:
            answer.reason = REASONS[0]
            if "details" not in status.asks and indicator.asks_always():
                generator.details(indicator, answer, (5, 20))
        if "justification" in status.asks:
            answer.justification, answer.evidence = JUSTIFICATIONS[0], generator.evidence(1)
        elif evidence_needed(indicator, status.id):
            answer.evidence = generator.evidence(1)
        report.sections[indicator.id] = answer
    store.write_report(report, _store_blobs(store))
    return report.id


def sample_report(
    form: FormDefinition, office: OfficeProfile, status_weights: tuple[float, float, float] = (1.0, 0.0, 0.0), seed: int = 0, period: str | None = None
) -> Report:
    """A complete report (not stored) answered yes / no / not applicable by ``status_weights``:
    all "yes" by default, which asks and so prints every question of the form's "yes" parts."""
    generator = _Generator(form, random.Random(seed), optional_share=1.0)
    return generator.report(office, period or demo_period(form), status_weights, (2, 3), complete=True)


def generate_reports(store: ReportStore, form: FormDefinition, count: int, seed: int = 0, rows_range: tuple[int, int] = (1, 6)) -> list[str]:
    """``count`` varied reports from as many offices across all provinces; about a quarter incomplete."""
    rng = random.Random(seed)
    generator = _Generator(form, rng, fill_optional=False)
    blobs = _store_blobs(store)
    ids = []
    provincial = 0
    for _ in range(count):
        office = _office(rng, provincial)
        provincial += office.level != "national_agency"
        store.save_office(office)
        weights = (rng.uniform(0.4, 0.9), rng.uniform(0.05, 0.4), rng.uniform(0.0, 0.15))
        report = generator.report(office, demo_period(form), weights, rows_range, complete=rng.random() < 0.75)
        store.write_report(report, blobs if not ids else ())
        store_digest(store.conn, form, report, office)
        ids.append(report.id)
    return ids

