"""Issue 15: an inspection visit travels the reports' chain — signed bundle → `hq import` → the
roll-up — is compared with the inspected office's own annual report, and headquarters changes the
checklist without losing the visits made with the old one."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from citizen_rights_desktop.editing.demo import sample_report
from citizen_rights_desktop.editing.inspection_context import inspection_context
from citizen_rights_desktop.editing.inspection_demo import visit_report
from citizen_rights_desktop.exchange import office_enrolment as office_exchange
from citizen_rights_desktop.exchange.envelope import sign_envelope
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.exchange.profile import PROFILE_FORMAT, read_profile
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import inspections as hq_inspections
from citizen_rights_desktop.hq import profile as hq_profile
from citizen_rights_desktop.report.inspection import findings
from storage import ReportStore, hq_store, open_database
from storage.self_report_claims import claims_of
from tests.test_cli import cli

INSPECTED = ("fars-sabt-shiraz", "اداره ثبت اسناد و املاک شهرستان شیراز")


def _signed(w, report):
    report = dataclasses.replace(report, state="signed")
    w.store.write_report(report)
    return w.store.load_report(report.id)


def _visit(w, form=None, day="07-15", seed=1399):
    form = form or w.catalog.latest("joint_inspection")
    return form, _signed(w, visit_report(form, w.office, seed, INSPECTED, day))


def _annual_of_inspected(w, visit_form, visit, answer="yes"):
    """The inspected office's own annual report of 1398, answering ``answer`` on every indicator
    that the visit's not-compliant items name, and the signer of its bundle."""
    annual = w.catalog.latest()
    office = dataclasses.replace(w.office, id=INSPECTED[0], agency=INSPECTED[1])
    report = sample_report(annual, office, (1.0, 0.0, 0.0), seed=3, period="1398")
    claimed = {i for item in visit_form.indicators if visit.section(item.id).status == "not_compliant" for i in item.self_report}
    for indicator_id in claimed:
        report.sections[indicator_id].status = answer
    w.store.save_office(office)
    report = _signed(w, report)
    return report, claimed, w.enrol_key(INSPECTED[0])


def _annual_bundle(w, report, signer) -> bytes:
    from citizen_rights_desktop.exchange import bundle_writer

    office = w.store.get_office(report.office_id)
    return bundle_writer.build_bundle(report, office, w.evidence(report), signer, w.hq.hq_id, w.hq.age_recipient, None)[0]


def test_a_visit_is_imported_and_rolled_up_with_its_contradictions(w, hq_db):
    form, visit = _visit(w)
    annual, claimed, signer = _annual_of_inspected(w, form, visit)
    with w.importer(hq_db) as importer:
        outcome = importer.import_bytes(w.build(report=visit))
        assert outcome.status == hq_store.IMPORTED, outcome.message_en
        assert outcome.period == f"1399-07-15@{INSPECTED[0]}"
        assert importer.import_bytes(_annual_bundle(w, annual, signer)).status == hq_store.IMPORTED
    store = ReportStore(hq_db)
    chosen = hq_inspections.visits(store, w.catalog, "1399")
    assert len(chosen) == 1 and chosen[0].office_id == INSPECTED[0] and chosen[0].agency == "ثبت اسناد و املاک"
    found = {c.indicator_id for c in chosen[0].contradictions}
    expected = {i.id for i in form.indicators if visit.section(i.id).status == "not_compliant" and i.self_report}
    assert found == expected and found
    assert hq_inspections.visits(store, w.catalog, "1399-Q2") == [] and len(hq_inspections.visits(store, w.catalog, "1399-Q3")) == 1
    groups = hq_inspections.rollup(chosen, chosen, "province", dt.date(2021, 1, 1))
    assert [(g.visits, g.open_findings, g.contradictions) for g in groups] == [(1, 4, len(found))]
    assert groups[0].overdue_findings == 4 and hq_inspections.rollup(chosen, chosen, None, dt.date(2020, 10, 20))[0].overdue_findings == 0
    assert hq_inspections.agency_scores(chosen) == {"ثبت اسناد و املاک": chosen[0].score}
    path = hq_db.path
    hq_db.close()
    shown = cli("hq", "inspections", "--db", path, "--period", "1399", "--by", "province", check_rc=0).stdout
    assert "inspection visits 1399: 1" in shown and "فارس" in shown
    assert f"contradictions with the offices' annual reports: {len(found)}" in shown
    assert all(item in shown for item in found)
    assert "no inspection visits for 1398" in cli("hq", "inspections", "--db", path, "--period", "1398", check_rc=0).stdout
    bad = cli("hq", "inspections", "--db", path, "--period", "1399-Q9", check_rc=2)
    assert "--period must be a Jalali year" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_a_later_visit_closes_the_findings_it_finds_resolved(w, hq_db):
    form, first = _visit(w, day="04-10")
    later = visit_report(form, w.office, 1399, INSPECTED, "08-20")
    resolved = findings(form, first)[0].indicator_id
    later.sections[resolved].status, later.sections[resolved].values = "compliant", {}
    later.sections[resolved].evidence = []
    later = _signed(w, later)
    with w.importer(hq_db) as importer:
        for report in (first, later):
            assert importer.import_bytes(w.build(report=report)).status == hq_store.IMPORTED
    every = hq_inspections.visits(ReportStore(hq_db), w.catalog)
    still_open = {(v.period.text, f.indicator_id) for v, f in hq_inspections.open_findings(every)}
    assert not any(item == resolved for _, item in still_open)
    assert len(still_open) == len(findings(form, later))
    assert [q for q, _, _ in hq_inspections.trend(every)] == ["1399-Q2", "1399-Q3"]


def _new_checklist_version(w):
    """Headquarters' checklist 1399.2: the last item dropped, a new one added."""
    with open(w.catalog.latest("joint_inspection").source, encoding="utf-8") as handle:
        text = handle.read()
    head, _, last = text.rpartition("      - id: c35")
    new_item = "      - id: c36" + last.replace("number: 35", "number: 36").replace("title: ", "title: (نسخه جدید) ", 1)
    text = head + new_item
    return text.replace('version: "1399.1"', 'version: "1399.2"')


def test_a_new_checklist_version_travels_in_the_profile_and_old_visits_keep_theirs(w, hq_db, tmp_path):
    old_form, old_visit = _visit(w, day="05-01")
    new_text = _new_checklist_version(w)
    new_file = tmp_path / "joint-inspection-1399.2.yaml"
    new_file.write_text(new_text, encoding="utf-8")
    hq = w.hq
    profile = hq_profile.export_profile(hq_db, hq, [new_file])
    team_db = open_database(tmp_path / "team.sqlite3")
    office_exchange.import_profile(team_db, w.profile)
    office_exchange.import_profile(team_db, profile)
    team_catalog = FormCatalog()
    office_exchange.install_profile_forms(team_db, team_catalog)
    new_form = team_catalog.latest("joint_inspection")
    assert new_form.version == "1399.2" and new_form.has_indicator("c36") and not new_form.has_indicator("c35")
    team_db.close()
    new_visit = _signed(w, visit_report(new_form, w.office, 7, INSPECTED, "09-01"))
    catalog = FormCatalog()
    catalog.add_text(new_text, "profile")
    importer = w.importer(hq_db)
    importer.catalog = catalog
    with importer:
        for report in (old_visit, new_visit):
            outcome = importer.import_bytes(w.build(report=report))
            assert outcome.status == hq_store.IMPORTED, outcome.message_en
    chosen = hq_inspections.visits(ReportStore(hq_db), catalog, "1399")
    assert [v.form_version for v in chosen] == ["1399.1", "1399.2"]
    assert "c35" in chosen[0].checked and "c36" not in chosen[0].checked
    assert "c36" in chosen[1].checked and "c35" not in chosen[1].checked


def test_a_profile_for_teams_carries_the_self_reports_and_the_visit_pdf_lists_contradictions(w, hq_db, tmp_path):
    import subprocess

    from citizen_rights_desktop.pdf.report_pdf import render_report_pdf

    form, visit = _visit(w)
    annual, claimed, signer = _annual_of_inspected(w, form, visit)
    with w.importer(hq_db) as importer:
        assert importer.import_bytes(_annual_bundle(w, annual, signer)).status == hq_store.IMPORTED
    offices_profile = read_profile(hq_profile.export_profile(hq_db, w.hq, []))
    assert offices_profile.self_reports == {}  # offices never see each other's answers
    teams = read_profile(hq_profile.export_profile(hq_db, w.hq, [], for_teams=True))
    period, answers = teams.self_reports[INSPECTED[0]]
    assert period == "1398" and all(answers[i] == "yes" for i in claimed)
    team_db = open_database(tmp_path / "team.sqlite3")
    office_exchange.import_profile(team_db, w.profile)
    office_exchange.import_profile(team_db, teams.raw)
    assert claims_of(team_db, INSPECTED[0]) == ("1398", answers)
    team = ReportStore(team_db)
    team.save_office(w.office)
    team.write_report(dataclasses.replace(visit, state="draft"), list(w.evidence(visit).values()))
    context = inspection_context(team, form, team.load_report(visit.id))
    assert context.claims == answers and context.claims_period == "سال ۱۳۹۸"
    out = tmp_path / "visit.pdf"
    render_report_pdf(form, visit, w.office, None, out, inspection=context)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "مغایرت با خوداظهاری دستگاه در گزارش سالانه" in text and "رعایت نشده" in text
    team_db.close()


@pytest.mark.parametrize(
    "self_reports",
    [
        [],
        {"../x": {"period": "1398", "answers": {}}},
        {"fars": {"period": "13-98", "answers": {}}},
        {"fars": {"period": "1398", "answers": {"i01": 1}}},
        {"fars": {"period": "1398", "answers": {"I01\u202e": "yes"}}},
        {"fars": {"period": "1398", "answers": {f"i{n}": "yes" for n in range(501)}}},
        {"fars": "yes"},
    ],
)
def test_a_hostile_self_report_list_in_a_profile_is_refused(w, self_reports):
    from citizen_rights_desktop.exchange.certificates import cert_pem

    good = read_profile(w.profile)
    payload = {
        "hq_id": good.hq_id, "name": good.name, "sequence": good.sequence + 1, "issued_at": "", "ca_certificate": cert_pem(good.ca_cert),
        "age_recipient": good.age_recipient, "forms": [], "org_units": [], "trusted_roots": [], "self_reports": self_reports,
    }  # fmt: skip
    with pytest.raises(ExchangeError) as refused:
        read_profile(sign_envelope(w.hq.ca_key, PROFILE_FORMAT, payload))
    assert refused.value.code == "bad_profile" and "self_reports" in refused.value.message_en


def test_the_demo_visit_on_the_command_line(tmp_path):
    db = tmp_path / "team.sqlite3"
    made = cli("demo", "--db", db, "--form", "joint_inspection", check_rc=0).stdout.strip().splitlines()
    visit_id = made[-1]
    assert len(visit_id) == 32
    assert "is complete (100%)" in cli("report", "validate", "--db", db, visit_id, check_rc=0).stdout
    cli("report", "pdf", "--db", db, visit_id, "-o", tmp_path / "v.pdf", check_rc=0)
    import subprocess

    text = subprocess.run(["pdftotext", str(tmp_path / "v.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join("".join(c for c in text if c not in "\u202a\u202b\u202c\u202d\u202e").split())
    for words in ("شورای راهبری توسعه مدیریت استان فارس", "ستاد صیانت از حریم امنیت عمومی و حقوق شهروندی استان فارس", "رؤسای دستگاه های اجرایی",
                  "اعضای تیم مشترک بازرسی", "وزارت کشور", "نتایج بازرسی", "یافته ها و اقدامات اصلاحی", "امتیاز کل"):  # fmt: skip
        assert words in flat, words
    new = cli("report", "new", "--db", db, "--form", "joint_inspection", "--period", "1399-07-15@fars-sabt-shiraz", check_rc=2)
    assert "already a report for 1399-07-15@fars-sabt-shiraz" in new.stderr
    other = cli("report", "new", "--db", db, "--form", "joint_inspection", "--period", "1399-07-15@fars-tax-1", check_rc=0)
    assert len(other.stdout.strip().splitlines()[-1]) == 32
    bad = cli("report", "new", "--db", db, "--form", "joint_inspection", "--period", "1399-07-15", check_rc=2)
    assert "the inspected office's id" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
