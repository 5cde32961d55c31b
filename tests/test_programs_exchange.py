"""Issue 14: a quarterly program report travels the annual report's chain: signed bundle →
headquarters import → `hq status --kind citizen_rights_programs --period 1399-Q1`."""

from __future__ import annotations

import dataclasses

from citizen_rights_desktop.editing.demo import sample_report
from citizen_rights_desktop.hq import completeness as hq_completeness
from storage import hq_store
from tests.test_cli import cli

KIND = "citizen_rights_programs"


def _quarterly(w, period: str = "1399-Q1"):
    form = w.catalog.latest(KIND)
    report = sample_report(form, w.office, (0.7, 0.2, 0.0), seed=4, period=period)
    report = dataclasses.replace(report, state="signed")
    w.store.write_report(report)  # the evidence pool's files are already in the office database
    return form, w.store.load_report(report.id)


def test_a_quarterly_report_is_imported_and_counted_for_its_quarter(w, hq_db, tmp_path):
    form, report = _quarterly(w)
    with w.importer(hq_db) as importer:
        outcome = importer.import_bytes(w.build(report=report))
    assert outcome.status == hq_store.IMPORTED, outcome.message_en
    assert (outcome.period, outcome.revision) == ("1399-Q1", 1)
    stored, _, _ = hq_store.load_submission(hq_db, outcome.submission_id)
    assert stored.form_id == KIND and {s.status for s in stored.sections.values() if s.status} <= {"done", "partly", "not_done", "not_due"}
    status = hq_completeness.completeness(hq_db.conn, form, "1399-Q1")
    assert status.deadline == form.due_date("1399-Q1")  # 15 days after 31 Khordad
    assert hq_completeness.completeness(hq_db.conn, form, "1399-Q2").deadline.isoformat() == "2020-10-06"
    # the annual report's status for 1398 is not changed by the quarterly one
    annual = w.catalog.latest()
    assert hq_completeness.completeness(hq_db.conn, annual, "1398").period == "1398"


def test_hq_status_by_kind_and_quarter_on_the_command_line(w, hq_db):
    _, report = _quarterly(w, "1399-Q2")
    with w.importer(hq_db) as importer:
        assert importer.import_bytes(w.build(report=report)).status == hq_store.IMPORTED
    path = hq_db.path
    hq_db.close()
    shown = cli("hq", "status", "--kind", KIND, "--period", "1399-Q2", "--db", path, check_rc=0)
    assert f"{KIND} 1399.1, period 1399-Q2, deadline 1399/07/15" in shown.stdout
    for bad, words in ((("--period", "1399-Q5"), "quarter such as 1399-Q2"), (("--period", "1399"), "quarter such as 1399-Q2"), ((), "--period is required")):
        refused = cli("hq", "status", "--kind", KIND, *bad, "--db", path, check_rc=2)
        assert words in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    unknown = cli("hq", "status", "--kind", "no_such_form", "--db", path, check_rc=2)
    assert "no kind of report 'no_such_form'" in unknown.stderr
    annual = cli("hq", "status", "--period", "1399", "--db", path, check_rc=0)
    assert "period 1399, deadline 1400/02/31" in annual.stdout  # a later year's own deadline


def test_analysis_by_program_and_action(w, hq_db):
    from citizen_rights_desktop.editing.digest import refresh_digests
    from citizen_rights_desktop.hq import analysis
    from storage import ReportStore

    form, report = _quarterly(w, "1399-Q3")
    with w.importer(hq_db) as importer:
        assert importer.import_bytes(w.build(report=report)).status == hq_store.IMPORTED
    assert refresh_digests(ReportStore(hq_db), w.catalog) >= 1
    shares = analysis.status_shares(hq_db.conn, form, "1399-Q3")
    assert shares.reports == {"": 1}
    for indicator in form.indicators:
        got = shares.counts[("", indicator.id)]
        assert sum(got.values()) == 1 and got.get(report.section(indicator.id).status or "unanswered") == 1
    path = hq_db.path
    hq_db.close()
    shown = cli("hq", "analyse", "--kind", KIND, "--period", "1399-Q3", "--db", path, check_rc=0).stdout
    assert "برنامه 2: آموزش و توانمندسازی مدیران و کارکنان دستگاه های اجرایی" in shown
    assert "done %" in shown and "a2_6" in shown


def test_headquarters_counts_who_met_each_target_over_the_year(w, hq_db):
    from citizen_rights_desktop.hq import analysis
    from storage import ReportStore

    form = w.catalog.latest(KIND)
    sessions = form.indicator("a2_6").target.field  # monthly ethics sessions: 3 due by Q1, 6 by Q2
    for period, held in (("1399-Q1", 2), ("1399-Q2", 3)):
        _, report = _quarterly(w, period)
        report.sections["a2_6"].status = "done"
        report.sections["a2_6"].values[sessions] = held
        with w.importer(hq_db) as importer:
            assert importer.import_bytes(w.build(report=report)).status == hq_store.IMPORTED
    store = ReportStore(hq_db)
    q2 = {t.indicator_id: t for t in analysis.target_shares(store, form, "1399-Q2")}
    assert (q2["a2_6"].offices, q2["a2_6"].met) == (1, 0)  # 5 held of 6 due
    assert (q2["a2_4"].offices, q2["a2_4"].met) == (1, int(q2["a2_4"].met))
    path = hq_db.path
    hq_db.close()
    shown = cli("hq", "analyse", "--kind", KIND, "--period", "1399-Q2", "--db", path, check_rc=0).stdout
    assert "targets over the year so far" in shown and "a2_6" in shown


def test_headquarters_sets_the_quarterly_deadline_and_offices_learn_it_from_the_profile(w, hq_db, tmp_path):
    from citizen_rights_desktop.exchange import office_enrolment as office_exchange
    from citizen_rights_desktop.form.catalog import FormCatalog
    from citizen_rights_desktop.hq import profile as hq_profile
    from storage import open_database

    path = hq_db.path
    hq_db.close()
    assert "due 20 day(s) after each period" in cli("hq", "set-deadline", "--kind", KIND, "--days", "20", "--db", path, check_rc=0).stdout
    shown = cli("hq", "status", "--kind", KIND, "--period", "1399-Q2", "--db", path, check_rc=0).stdout
    assert "deadline 1399/07/20" in shown  # 31 Shahrivar + 20 days
    assert "yearly report" in cli("hq", "set-deadline", "--kind", "citizen_rights_annual", "--days", "20", "--db", path, check_rc=2).stderr
    assert "between 0 and 365" in cli("hq", "set-deadline", "--kind", KIND, "--days", "400", "--db", path, check_rc=2).stderr
    hq = open_database(path, take_backups=False)
    profile = hq_profile.export_profile(hq, w.hq, [])
    hq.close()
    office = open_database(tmp_path / "office.sqlite3")
    office_exchange.import_profile(office, profile)
    catalog = FormCatalog()
    office_exchange.install_profile_forms(office, catalog)
    programs = catalog.latest(KIND)
    assert programs.kind.deadline_days == 20 and programs.due_date("1399-Q2").isoformat() == "2020-10-11"
    assert catalog.latest().due_date("1398") == catalog.latest().deadline  # the annual report's is the guideline's
    office.close()


def test_satisfaction_per_program_weighted_by_respondents_and_the_previous_quarter(w, hq_db):
    from citizen_rights_desktop.hq import analysis
    from citizen_rights_desktop.report.model import Row
    from storage import ReportStore

    form = w.catalog.latest(KIND)
    for period, surveys in (("1398-Q4", []), ("1399-Q1", [("p2", 100, 80), ("p2", 300, 40), ("p5", 0, 90)])):
        _, report = _quarterly(w, period)
        r8 = report.sections["r8"]
        r8.status = "done"
        r8.tables["surveys"] = [Row(f"s{i}", {"program": g, "respondents": n, "score": s, "method": "پرسشنامه"}) for i, (g, n, s) in enumerate(surveys)]
        with w.importer(hq_db) as importer:
            assert importer.import_bytes(w.build(report=report)).status == hq_store.IMPORTED
    found = {s.group: s for s in analysis.satisfaction(ReportStore(hq_db), form, "1399-Q1")}
    assert (found["p2"].surveys, found["p2"].respondents, found["p2"].mean) == (2, 400, 50.0)  # (100·80 + 300·40) / 400
    assert found["p5"].surveys == 0 and found["p5"].mean is None  # no respondents: not counted
    assert found["p9"].surveys == 0  # (a score above 100 never arrives: the import refuses it)
    path = hq_db.path
    hq_db.close()
    shown = cli("hq", "analyse", "--kind", KIND, "--period", "1399-Q1", "--db", path, check_rc=0).stdout
    assert "done % by action: 1399-Q1 against 1398-Q4" in shown
    assert "satisfaction per program" in shown and "50.0%" in shown
