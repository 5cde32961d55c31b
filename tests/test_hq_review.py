"""Review at headquarters (received → accepted / returned), the signed feedback file the office
imports, and the comparison of a resubmitted revision — through real bundles (tests/bundle_world)."""

from __future__ import annotations

import base64
import copy
import json
import sqlite3

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from citizen_rights_desktop.exchange import feedback as feedback_files
from citizen_rights_desktop.hq import compare as hq_compare
from citizen_rights_desktop.hq import review as hq_review
from storage import ReportStore, hq_store, open_database


@pytest.fixture
def office_db(w, tmp_path):
    """A copy of the office database (the shared world stays untouched)."""
    target = tmp_path / "office-copy.sqlite3"
    source = sqlite3.connect(w.store.database.path)
    dest = sqlite3.connect(target)
    source.backup(dest)
    source.close()
    dest.close()
    database = open_database(target, take_backups=False)
    yield database
    database.close()


def receive(w, hq_db, report=None) -> str:
    with w.importer(hq_db) as importer:
        outcome = importer.import_bytes(w.build(report))
    assert outcome.changed, outcome.message_en
    return outcome.submission_id


def test_return_with_comments_and_the_office_imports_them(w, hq_db, office_db, form):
    submission_id = receive(w, hq_db)
    assert hq_review.review_state(hq_db, submission_id).state == "received"
    hq_review.add_comment(hq_db, submission_id, "i04", "فهرست فرآیندها ناقص است؛ نشانی درگاه را بنویسید.", "کارشناس ستاد", form)
    state = hq_review.decide(hq_db, submission_id, "returned", "مدیر ارزیابی", [("i12", "آمار شکایات با جدول همخوانی ندارد."), ("general", "لطفاً اصلاح و دوباره ارسال کنید.")], form)
    assert state.state == "returned" and state.decided_by == "مدیر ارزیابی"
    assert [(c.indicator_id, c.author) for c in state.comments] == [("i04", "کارشناس ستاد"), ("i12", "مدیر ارزیابی"), ("general", "مدیر ارزیابی")]
    history = hq_review.review_history(hq_db, submission_id)
    assert [json.loads(h["new_value"]).get("state") for h in history] == [None, "returned"]
    assert history[-1]["actor"] == "مدیر ارزیابی" and json.loads(history[-1]["old_value"]) == {"state": "received"}

    data = hq_review.feedback_file(hq_db, w.hq, submission_id)
    envelope = json.loads(data)
    assert envelope["format"] == "citizen-rights-feedback" and envelope["signature_algorithm"] == "ecdsa-with-SHA256"
    result = feedback_files.import_feedback(office_db, data)
    assert result.changed and "returned with 3 comment(s)" in result.message_en
    again = feedback_files.import_feedback(office_db, data)
    assert not again.changed and "already imported" in again.message_en

    # the wizard: comments of the report, per indicator — and still there on the new revision made to answer them
    shown = feedback_files.feedback_for_report(office_db, w.report_id)
    assert shown.decision == "returned"
    assert {k: [c.text for c in v] for k, v in shown.by_indicator().items()} == {
        "i04": ["فهرست فرآیندها ناقص است؛ نشانی درگاه را بنویسید."], "i12": ["آمار شکایات با جدول همخوانی ندارد."], "general": ["لطفاً اصلاح و دوباره ارسال کنید."],
    }  # fmt: skip
    new_id = ReportStore(office_db, actor="clerk").new_revision(w.report_id)
    assert feedback_files.feedback_for_report(office_db, new_id).feedback_id == shown.feedback_id


def test_tampered_or_foreign_feedback_is_refused(w, hq_db, office_db, form):
    submission_id = receive(w, hq_db)
    hq_review.decide(hq_db, submission_id, "returned", "ستاد", [("i04", "اصلاح شود")], form)
    data = hq_review.feedback_file(hq_db, w.hq, submission_id)
    envelope = json.loads(data)
    payload = json.loads(base64.b64decode(envelope["payload"]))

    def with_payload(changed: dict, key=None) -> bytes:
        raw = json.dumps(changed, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        out = dict(envelope, payload=base64.b64encode(raw).decode("ascii"))
        if key is not None:
            out["signature"] = base64.b64encode(key.sign(raw, ec.ECDSA(hashes.SHA256()))).decode("ascii")
        return json.dumps(out).encode("ascii")

    changed = copy.deepcopy(payload)
    changed["comments"][0]["text"] = "پذیرفته شد"  # a comment changed after signing
    with pytest.raises(feedback_files.ReviewError) as refused:
        feedback_files.import_feedback(office_db, with_payload(changed))
    assert refused.value.code == "feedback_signature" and "not signed by the headquarters" in refused.value.message_en
    other_key = ec.generate_private_key(ec.SECP256R1())  # a forger's own key (and own certificate in the file)
    with pytest.raises(feedback_files.ReviewError) as refused:
        feedback_files.import_feedback(office_db, with_payload(changed, other_key))
    assert refused.value.code == "feedback_signature"
    for broken in (b"not json", data[:40], json.dumps(dict(envelope, format="x")).encode()):
        with pytest.raises(feedback_files.ReviewError) as refused:
            feedback_files.import_feedback(office_db, broken)
        assert refused.value.code == "bad_feedback"
    # properly signed by headquarters, but for another office / another report
    hq = w.hq
    for field, value, code in (("office_id", "another-office", "feedback_other_office"), ("office_report_id", "unknown-report", "feedback_unknown_report")):
        other = copy.deepcopy(payload)
        other["submission"][field] = value
        with pytest.raises(feedback_files.ReviewError) as refused:
            feedback_files.import_feedback(office_db, hq_review.sign_feedback(hq, other))
        assert refused.value.code == code
    assert office_db.conn.execute("SELECT COUNT(*) FROM office_feedback").fetchone()[0] == 0


def test_state_transitions(w, hq_db, form):
    first = receive(w, hq_db)
    with pytest.raises(feedback_files.ReviewError) as refused:
        hq_review.decide(hq_db, first, "returned", "ستاد", [], form)
    assert refused.value.code == "return_without_comment"
    with pytest.raises(feedback_files.ReviewError) as refused:
        hq_review.add_comment(hq_db, first, "i99", "x", "ستاد", form)
    assert refused.value.code == "unknown_indicator"
    with pytest.raises(feedback_files.ReviewError) as refused:
        hq_review.feedback_file(hq_db, w.hq, first)
    assert refused.value.code == "not_decided"
    accepted = hq_review.decide(hq_db, first[:8], "accepted", "ستاد", form=form)  # a unique prefix, as the CLI prints
    assert accepted.state == "accepted" and accepted.comments == []
    for decision in ("returned", "accepted"):
        with pytest.raises(feedback_files.ReviewError) as refused:
            hq_review.decide(hq_db, first, decision, "ستاد", [("i04", "x")], form)
        assert refused.value.code == "already_decided"
    # a new revision arrives: it is received again, and the old one can no longer be reviewed
    second_report = copy.deepcopy(w.report)
    second_report.revision = 2
    second = receive(w, hq_db, second_report)
    assert hq_review.review_states(hq_db) == {first: "accepted", second: "received"}
    assert hq_store.get_submission(hq_db, first).superseded_by == second
    with pytest.raises(feedback_files.ReviewError):
        hq_review.add_comment(hq_db, first, "i04", "x", "ستاد", form)
    with pytest.raises(feedback_files.ReviewError) as refused:
        hq_review.decide(hq_db, "nonexistent", "accepted", "ستاد", form=form)
    assert refused.value.code == "unknown_submission"


def test_resubmitted_revision_compared_indicator_by_indicator(w, hq_db, form):
    first = receive(w, hq_db)
    r1 = w.report
    r2 = copy.deepcopy(r1)
    r2.revision = 2
    statuses = {k: s.status for k, s in r2.sections.items()}
    no_id = next(k for k, s in statuses.items() if s == "no")
    r2.sections[no_id].reason = "دلیل اصلاح شده پس از بازگشت گزارش"
    table_id = next(i.id for i in form.indicators if i.tables and r2.section(i.id).status == "yes" and len(r2.section(i.id).rows(i.tables[0].id)) >= 2)
    table = form.indicator(table_id).tables[0]
    rows = r2.sections[table_id].tables[table.id]
    removed = rows.pop()  # one row deleted
    column = next(c for c in table.columns if c.type in ("text", "long_text"))
    rows[0].cells[column.id] = "مقدار اصلاح شده"  # one row changed
    with_evidence = next(k for k, s in r2.sections.items() if s.evidence and k != table_id and k.startswith("i"))
    dropped = r2.sections[with_evidence].evidence.pop()  # evidence removed
    moved = copy.deepcopy(dropped)
    moved.id = "new-evidence-id"
    r2.sections[table_id].evidence.append(moved)  # and added to another indicator
    second = receive(w, hq_db, r2)
    previous, changes = hq_compare.compare_submission(hq_db, second, form)
    assert previous.id == first and [c.indicator_id for c in changes] == [i.id for i in form.indicators]
    changed = {c.indicator_id: c for c in changes if c.changed}
    assert set(changed) == {no_id, table_id, with_evidence}
    assert changed[no_id].reason_changed and not changed[no_id].status_changed
    t = next(t for t in changed[table_id].tables if t.table_id == table.id)
    assert (t.rows_before - t.rows_after, t.added, t.removed, t.changed) == (1, 0, 1, 1)
    assert changed[table_id].evidence_added == [moved.name] and changed[with_evidence].evidence_removed == [dropped.name]
    assert removed.id not in {r.id for r in rows}
    with pytest.raises(feedback_files.ReviewError) as refused:
        hq_compare.compare_submission(hq_db, first, form)
    assert refused.value.code == "no_previous_revision"
