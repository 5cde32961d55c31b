"""The headquarters analysis and review commands give the same results as the core functions."""

from __future__ import annotations

import copy
import json
import re
import sqlite3

import pytest
from bundle_world import PASSPHRASE, world
from openpyxl import load_workbook
from test_hq_completeness import sample_hq

from citizen_rights_desktop.cli import main as cli
from citizen_rights_desktop.exchange import feedback as feedback_files
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.hq import completeness as hq_completeness
from citizen_rights_desktop.hq import review as hq_review
from citizen_rights_desktop.report.office import PROVINCES
from storage import open_database


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def hq(tmp_path_factory, form):
    path = tmp_path_factory.mktemp("hq-cli") / "hq.sqlite3"
    database, _, sample = sample_hq(path, form, 64, seed=4, revised=3)
    yield path, database, sample
    database.close()


def test_status_totals_provinces_drill_down_and_reminders(hq, form, capsys, tmp_path):
    path, database, sample = hq
    result = hq_completeness.completeness(database.conn, form, "1398")
    code, out, err = run(capsys, "hq", "status", "--db", path)
    assert code == 0, err
    c = result.counts
    assert f"units {c.units}: on time {c.on_time}, late {c.late}, not yet {c.missing}" in out
    assert "deadline 1399/02/31" in out
    for row in result.by_province():
        if row.province:
            k = row.counts
            assert re.search(rf"^{row.province}\s+{k.units}\s+{k.on_time}\s+{k.late}\s+{k.missing}\s", out, re.M), row.province
    code, out, _ = run(capsys, "hq", "status", "--db", path, "--province", "tehran", "--reminders", tmp_path / "r.csv")
    units = result.in_province("tehran")
    assert code == 0 and all(u.unit_id in out for u in units)
    assert f"wrote {len(result.reminders('tehran'))} reminder(s)" in out
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    code, out, err = run(capsys, "hq", "status", "--db", path, "--province", "atlantis")
    assert code == 2 and out == "" and err.startswith("error: unknown province 'atlantis'") and len(err.strip().splitlines()) == 1


def test_analyse_and_rank_match_the_functions(hq, form, capsys):
    path, database, sample = hq
    code, out, err = run(capsys, "hq", "analyse", "--db", path)
    assert code == 0, err
    shares = analysis.status_shares(database.conn, form, "1398")
    yes = sum(1 for (s,) in database.conn.execute(
        "SELECT statuses FROM report_digest WHERE report_id NOT IN (SELECT report_id FROM hq_submission WHERE superseded_by IS NOT NULL)") if s[0] == "y")  # fmt: skip
    assert shares.counts[("", "i01")]["yes"] == yes
    assert re.search(rf"^\s+i01\s+{yes}\s", out, re.M) and "all reports: 64 report(s)" in out
    total = next(s for s in analysis.numeric_summaries(database.conn, form, "1398") if s.item == "complaints_total")
    assert re.search(rf"i12\.complaints_total\s+{total.reports}\s+{total.total:,.0f}\s", out)
    code, out, _ = run(capsys, "hq", "analyse", "--db", path, "--by", "province")
    assert code == 0 and "province fars:" in out
    code, out, _ = run(capsys, "hq", "rank", "--db", path, "--provinces")
    ranks = analysis.rank_provinces(analysis.scores(database.conn, form, "1398"), PROVINCES)
    first = out.splitlines()[1].split()
    assert code == 0 and first[:3] == ["1", ranks[0].key, f"{ranks[0].score:.2f}"]
    code, out, _ = run(capsys, "hq", "rank", "--db", path)
    assert code == 0 and out.count("no report") == len(sample.missing)


def test_exports(hq, capsys, tmp_path):
    path, _, sample = hq
    code, out, err = run(capsys, "hq", "export", "--db", path, "--xlsx", tmp_path / "hq.xlsx")
    assert code == 0, err
    workbook = load_workbook(tmp_path / "hq.xlsx")
    assert workbook.sheetnames[:5] == ["سهم پاسخ ها", "شاخص در استان", "ارقام", "رتبه واحدها", "رتبه استان ها"]
    assert workbook.sheetnames[-3:] == ["وضعیت ارسال", "ارسال به تفکیک استان", "یادآوری"]
    reminders = workbook["یادآوری"]
    assert reminders.sheet_view.rightToLeft and reminders.max_row - 1 == len(sample.missing)
    status = [row for row in workbook["وضعیت ارسال"].iter_rows(min_row=2, values_only=True)]
    assert sum(1 for r in status if r[5] == "با تأخیر") == len(sample.late)
    code, out, _ = run(capsys, "hq", "export", "--db", path, "--csv", tmp_path / "csv")
    assert code == 0 and (tmp_path / "csv" / "یادآوری.csv").exists()
    code, out, _ = run(capsys, "hq", "export", "--db", path, "--pdf", tmp_path / "national.pdf")
    assert code == 0 and "pages" in out and (tmp_path / "national.pdf").read_bytes().startswith(b"%PDF")
    code, _, err = run(capsys, "hq", "export", "--db", tmp_path / "missing.sqlite3", "--pdf", tmp_path / "x.pdf")
    assert code == 2 and err.startswith("error: no database at")


def test_review_return_feedback_import_and_compare(tmp_path_factory, tmp_path, capsys):
    w = world(tmp_path_factory)
    hq_db = w.hq_copy(tmp_path)
    hq_path = hq_db.path
    office_path = tmp_path / "office.sqlite3"
    source, dest = sqlite3.connect(w.store.database.path), sqlite3.connect(office_path)
    source.backup(dest)
    source.close(), dest.close()
    with w.importer(hq_db) as importer:
        submission_id = importer.import_bytes(w.build()).submission_id
    secret, wrong = tmp_path / "pass", tmp_path / "wrong"
    secret.write_text(PASSPHRASE + "\n")
    wrong.write_text("not the passphrase\n")
    feedback = tmp_path / "feedback.json"
    args = ["hq", "review", "return", "--db", hq_path, submission_id[:10], "--comment", "i04", "نشانی درگاه را بنویسید.",
            "--comment", "general", "اصلاح و ارسال مجدد", "--by", "کارشناس ستاد", "-o", feedback]  # fmt: skip
    code, _, err = run(capsys, *args, "--passphrase-file", wrong)
    assert code == 2 and err.strip() == "error: wrong passphrase for the headquarters keys"
    assert hq_review.review_state(hq_db, submission_id).state == "received"  # nothing decided
    code, out, err = run(capsys, *args, "--passphrase-file", secret)
    assert code == 0, err
    assert f"submission {submission_id} returned by کارشناس ستاد with 2 comment(s)" in out
    code, _, err = run(capsys, *args, "--passphrase-file", secret)
    assert code == 2 and "already returned" in err and len(err.strip().splitlines()) == 1

    tampered = tmp_path / "tampered.json"
    envelope = json.loads(feedback.read_text())
    envelope["signature"] = envelope["signature"][:-8] + ("A" * 6) + "=="
    tampered.write_text(json.dumps(envelope))
    code, _, err = run(capsys, "office", "import-feedback", "--db", office_path, tampered)
    assert code == 2 and "error: " in err and "refused" in err and "Traceback" not in err
    code, out, err = run(capsys, "office", "import-feedback", "--db", office_path, feedback)
    assert code == 0 and "returned with 2 comment(s)" in out and "i04: نشانی درگاه را بنویسید." in out, err
    office = open_database(office_path, take_backups=False)
    assert [c.indicator_id for c in feedback_files.feedback_for_report(office, w.report_id).comments] == ["i04", "general"]
    office.close()

    r2 = copy.deepcopy(w.report)
    r2.revision = 2
    changed_id = next(k for k, s in r2.sections.items() if s.status == "no")
    r2.sections[changed_id].reason = "دلیل تازه"
    with w.importer(hq_db) as importer:
        second = importer.import_bytes(w.build(r2)).submission_id
    code, out, err = run(capsys, "hq", "compare", "--db", hq_path, second)
    assert code == 0, err
    assert "revision 1 -> 2: 1 indicator(s) changed" in out and f"{changed_id}: reason changed" in out
    code, _, err = run(capsys, "hq", "compare", "--db", hq_path, submission_id)
    assert code == 2 and "the first headquarters received" in err
    hq_db.close()
