"""Sample submissions for a headquarters database made of generated reports: org units for every
office, some reports late, a tenth of the units missing, a few revised. For tests, benchmarks and
screenshots; never for real data."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.hq.completeness import deadline_cutoff, parse_time
from citizen_rights_desktop.report.office import PROVINCES
from storage.database import Database

IRAN_TIME = dt.timezone(dt.timedelta(hours=3, minutes=30), "IRST")
ON_TIME, LATE, MISSING = "on_time", "late", "missing"
STATUS_FA = {ON_TIME: "به موقع", LATE: "با تأخیر", MISSING: "ارسال نشده"}
PROVINCE_LEVEL = "province"
NATIONAL = ""  # the "province" of national units
NATIONAL_FA = "دستگاه های ملی"


@dataclass
class SampleSubmissions:
    units: int  # reporting units
    on_time: list[str]  # unit ids
    late: list[str]
    missing: list[str]
    revised: list[str]  # units whose current submission is revision 2


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds")


def register_sample_submissions(
    database,
    form: FormDefinition,
    period: str | None = None,
    seed: int = 0,
    late_share: float = 0.2,
    missing_units: int | None = None,
    revised: int = 0,
) -> SampleSubmissions:
    """Make a database filled by ``demo.generate_reports`` look like one headquarters filled by imports.

    Org units: one grouping unit per province (``province-KEY``), one reporting unit per office
    (id = office id, parent = its province's unit; national agencies at the top), plus
    ``missing_units`` offices that never reported (default: a tenth of the offices). One
    ``hq_submission`` per report (placeholders for the bundle fields), received before the deadline
    or, for ``late_share`` of them, after it. ``revised`` offices get a second revision (a copy of
    the report with one answer changed) received later, which supersedes the first.
    """
    from citizen_rights_desktop.editing.demo import _office
    from citizen_rights_desktop.editing.digest import store_digest
    from storage.database import utc_now
    from storage.report_store import ReportStore, new_id

    period = period or str(form.guideline_year)
    rng = random.Random(seed)
    conn = database.conn
    store = ReportStore(database, actor="sample")
    cutoff = deadline_cutoff(form.deadline)
    reports = conn.execute(
        "SELECT r.id, r.office_id, o.agency, o.level, o.province FROM report r JOIN office o ON o.id = r.office_id"
        " WHERE r.form_id = ? AND r.period = ? AND r.id NOT IN (SELECT report_id FROM hq_submission) ORDER BY r.rowid",
        (form.id, period),
    ).fetchall()
    missing_units = len(reports) // 10 if missing_units is None else missing_units
    result = SampleSubmissions(0, [], [], [], [])
    units = [{"id": f"province-{key}", "name": f"استان {name}", "parent_id": None, "level": PROVINCE_LEVEL, "province": key} for key, name in PROVINCES.items()]

    def unit_of(office_id, agency, level, province):
        return {"id": office_id, "name": agency, "parent_id": f"province-{province}" if province else None, "level": level, "province": province}

    now = utc_now()
    submissions = []
    seen_offices = set()
    for report_id, office_id, agency, level, province in reports:
        if office_id not in seen_offices:
            units.append(unit_of(office_id, agency, level, province))
            seen_offices.add(office_id)
        late = rng.random() < late_share
        if late:
            received = cutoff + dt.timedelta(minutes=rng.randint(1, 60 * 24 * 40))
        else:
            received = cutoff - dt.timedelta(minutes=rng.randint(1, 60 * 24 * 60))
        (result.late if late else result.on_time).append(office_id)
        submissions.append((new_id(), report_id, office_id, form.id, form.version, period, 1, report_id, new_id(), new_id(), "{}", b"", "", None,
                            "absent", now, _iso(received)))  # fmt: skip
    for index in range(missing_units):
        office = _office(rng, index)
        units.append(unit_of(office.id, office.agency, office.level, office.province))
        result.missing.append(office.id)
    with database.transaction():
        conn.executemany(
            "INSERT OR REPLACE INTO org_unit (id, name, parent_id, level, province) VALUES (?,?,?,?,?)",
            [(u["id"], u["name"], u["parent_id"], u["level"], u["province"]) for u in units],
        )
        conn.executemany(
            "INSERT INTO hq_submission (id, report_id, office_id, form_id, form_version, period, revision, office_report_id, bundle_id,"
            " content_sha256, manifest, manifest_signature, signer_cert_pem, pdf_sha256, pdf_check, created_at, received_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            submissions,
        )
    result.units = len(seen_offices) + missing_units
    for submission in rng.sample(submissions, min(revised, len(submissions))):
        sub_id, report_id, office_id = submission[0], submission[1], submission[2]
        report = store.load_report(report_id)
        report.id = new_id()
        report.revision = 2
        for ev_section in report.sections.values():
            for ev in ev_section.evidence:
                ev.id = new_id()
        changed = form.indicators[rng.randrange(len(form.indicators))].id
        answer = report.sections.get(changed)
        if answer is not None and answer.status == "no":
            answer.status, answer.reason = "not_applicable", None
            answer.justification = "پس از بازگشت گزارش، توجیه عدم مصداق افزوده شد."
        elif answer is not None:
            answer.status, answer.reason = "no", "پس از بررسی ستاد، پاسخ اصلاح شد."
        store.write_report(report)
        store_digest(conn, form, report, store.get_office(office_id))
        first = parse_time(submission[-1])
        new_sub = new_id()
        with database.transaction():
            conn.execute(
                "INSERT INTO hq_submission (id, report_id, office_id, form_id, form_version, period, revision, office_report_id, bundle_id,"
                " content_sha256, manifest, manifest_signature, signer_cert_pem, pdf_sha256, pdf_check, created_at, received_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (new_sub, report.id, office_id, form.id, form.version, period, 2, report.id, new_id(), new_id(), "{}", b"", "", None,
                 "absent", now, _iso(max(first, cutoff) + dt.timedelta(days=rng.randint(3, 20)))),
            )  # fmt: skip
            conn.execute("UPDATE hq_submission SET superseded_by=? WHERE id=?", (new_sub, sub_id))
        result.revised.append(office_id)
    return result


def insert_submissions(database: Database, form: FormDefinition, rows) -> None:
    """One current ``hq_submission`` per (report, sender's office id, received at ISO time), with
    placeholders for the bundle's fields: data made here, not received (``hq demo``)."""
    from storage.database import utc_now
    from storage.report_store import new_id

    now = utc_now()
    with database.transaction() as conn:
        conn.executemany(
            "INSERT INTO hq_submission (id, report_id, office_id, form_id, form_version, period, revision, office_report_id, bundle_id,"
            " content_sha256, manifest, manifest_signature, signer_cert_pem, pdf_sha256, pdf_check, created_at, received_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(new_id(), r.id, office_id, form.id, form.version, r.period, r.revision, r.id, new_id(), new_id(), "{}", b"", "", None, "absent", now, received)
             for r, office_id, received in rows],
        )  # fmt: skip


def register_sample_visits(database: Database, form: FormDefinition, count: int, seed: int = 0) -> list[str]:
    """``count`` inspection visits (issue 15) of offices already in the org-unit register, by one
    sample team per province, as if imported: each a varied visit (some items partly or not
    compliant, with findings), dated across the form's year. Returns the visits' report ids."""
    from citizen_rights_desktop.editing.inspection_demo import visit_report
    from citizen_rights_desktop.report.office import INSPECTION_TEAM, REPORTING_LEVELS, OfficeProfile
    from storage.database import utc_now
    from storage.report_store import ReportStore

    rng = random.Random(seed)
    store = ReportStore(database, actor="sample")
    conn = database.conn
    offices = conn.execute("SELECT id, name, province FROM org_unit WHERE level IN (%s) AND province != '' ORDER BY id" % ",".join("?" * len(REPORTING_LEVELS)), REPORTING_LEVELS).fetchall()
    ids: list[str] = []
    now = utc_now()
    for index in range(min(count, len(offices))):
        office_id, name, province = offices[rng.randrange(len(offices))] if count > len(offices) else offices[index]
        team = OfficeProfile(f"team-{province}", f"تیم مشترک بازرسی حقوق شهروندی استان {PROVINCES.get(province, province)}", INSPECTION_TEAM, province,
                             head_name="علی رضایی", head_title="سرپرست تیم مشترک بازرسی")  # fmt: skip
        if store.get_office(team.id) is None:
            store.save_office(team)
        day = f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        report = visit_report(form, team, rng.randrange(10**6), (office_id, name), day)
        deadline = (form.period(report.period).first_day + dt.timedelta(days=45)).isoformat()
        for answer in report.sections.values():  # vary the visits: some items worse than the demo's
            if answer.status == "compliant" and rng.random() < 0.15:
                answer.status = "partly"
                answer.values.update(corrective_action="رفع نقص مشاهده شده", responsible="مدیر اداره", corrective_deadline=deadline)
            answer.evidence = []  # no files in a sample headquarters database
        store.write_report(report)
        insert_submissions(database, form, [(report, team.id, now)])
        ids.append(report.id)
    return ids
