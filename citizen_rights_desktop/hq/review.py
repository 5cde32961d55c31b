"""Review of received reports: received → accepted, or returned with comments per indicator, and
the signed feedback file the office imports.

Headquarters side
    Every current submission starts *received* (no ``hq_review`` row). ``add_comment`` drafts a
    comment on an indicator (or ``general``) while it is received; ``decide`` accepts or returns it
    (a return needs at least one comment), once: a decision is final for that revision — the office
    answers a return with a new revision, which is again *received*. A superseded revision cannot be
    reviewed. Every change is written to the ``audit`` trail (action ``hq_review``) with who and when.
    ``feedback_file`` signs the decision and its comments with the headquarters CA key (the key that
    signs the headquarters profile); the format is in ``docs/feedback-format.md``.

The office side (reading and importing feedback) is ``exchange.feedback``; what a revision
changed is ``hq.compare``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from citizen_rights_desktop.exchange import envelope
from citizen_rights_desktop.exchange.certificates import cert_pem
from citizen_rights_desktop.exchange.feedback import (
    ACCEPTED,
    FEEDBACK_FORMAT,
    GENERAL,
    RECEIVED,
    RETURNED,
    STATE_FA,
    Comment,
    ReviewError,
)
from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.hq.identity import HQIdentity
from storage import hq_store
from storage.database import Database, utc_now
from storage.report_store import new_id

MAX_COMMENT_CHARS = 4000


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass
class ReviewState:
    submission_id: str
    state: str
    decided_by: str | None
    decided_at: str | None
    feedback_id: str | None
    comments: list[Comment]

    def by_indicator(self) -> dict[str, list[Comment]]:
        out: dict[str, list[Comment]] = {}
        for comment in self.comments:
            out.setdefault(comment.indicator_id, []).append(comment)
        return out


# --- headquarters: state and comments --------------------------------------------------------


def find_submission(database: Database, submission_id: str) -> hq_store.Submission:
    """A submission by id, or by a unique prefix of at least 6 characters (what the CLI prints)."""
    try:
        return hq_store.get_submission(database, submission_id)
    except KeyError:
        pass
    if len(submission_id) >= 6:
        rows = database.conn.execute("SELECT id FROM hq_submission WHERE id LIKE ? || '%'", (submission_id,)).fetchall()
        if len(rows) == 1:
            return hq_store.get_submission(database, rows[0][0])
    raise ReviewError("unknown_submission", f"no submission {submission_id} at this headquarters", "چنین گزارش دریافتی در ستاد نیست.")



def review_state(database: Database, submission_id: str) -> ReviewState:
    submission = find_submission(database, submission_id)
    row = database.conn.execute(
        "SELECT state, decided_by, decided_at, feedback_id FROM hq_review WHERE submission_id=?", (submission.id,)
    ).fetchone()
    comments = [
        Comment(*r)
        for r in database.conn.execute(
            "SELECT indicator_id, text, author, created_at FROM hq_review_comment WHERE submission_id=? ORDER BY id", (submission.id,)
        )
    ]
    if row is None:
        return ReviewState(submission.id, RECEIVED, None, None, None, comments)
    return ReviewState(submission.id, row[0], row[1], row[2], row[3], comments)


def review_states(database: Database, submission_ids: list[str] | None = None) -> dict[str, str]:
    """State of every submission (or of those given): one query, for lists of hundreds."""
    states = dict(database.conn.execute("SELECT submission_id, state FROM hq_review"))
    ids = submission_ids if submission_ids is not None else [r[0] for r in database.conn.execute("SELECT id FROM hq_submission")]
    return {i: states.get(i, RECEIVED) for i in ids}


def _check_reviewable(database: Database, submission: hq_store.Submission) -> None:
    if submission.superseded_by is not None:
        raise ReviewError(
            "superseded",
            f"submission {submission.id} (revision {submission.revision}) has been replaced by a newer revision; review the current one",
            "این ویرایش گزارش با ویرایش جدیدتری جایگزین شده است؛ ویرایش جاری را بررسی کنید.",
        )
    state = review_state(database, submission.id).state
    if state != RECEIVED:
        raise ReviewError(
            "already_decided",
            f"submission {submission.id} was already {state}; a decision is final for a revision",
            f"درباره این گزارش قبلاً تصمیم گرفته شده است ({STATE_FA[state]}).",
        )


def _check_comment(form: FormDefinition | None, indicator_id: str, text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ReviewError("empty_comment", f"the comment on {indicator_id} is empty", "متن توضیح خالی است.")
    if len(text) > MAX_COMMENT_CHARS:
        raise ReviewError("long_comment", f"the comment on {indicator_id} is longer than {MAX_COMMENT_CHARS} characters", "متن توضیح بیش از حد طولانی است.")
    known = {i.id for i in form.indicators} if form is not None else None
    if indicator_id != GENERAL and known is not None and indicator_id not in known:
        raise ReviewError(
            "unknown_indicator",
            f"{indicator_id!r} is not an indicator of the form (use i01 … or '{GENERAL}')",
            "شناسه شاخص نامعتبر است.",
        )
    return text


def submission_form(submission: hq_store.Submission, form: FormDefinition | None) -> FormDefinition | None:
    if form is not None:
        return form
    from citizen_rights_desktop.form.catalog import FormCatalog, FormNotFound

    try:
        return FormCatalog().get(submission.form_id, submission.form_version)
    except FormNotFound:
        return None


def _audit(conn: sqlite3.Connection, actor: str, submission: hq_store.Submission, old: object, new: object) -> None:
    conn.execute(
        "INSERT INTO audit (at, actor, report_id, action, target, old_value, new_value) VALUES (?,?,?,?,?,?,?)",
        (utc_now(), actor, submission.report_id, "hq_review", f"submission:{submission.id}", None if old is None else _dump(old), _dump(new)),
    )


def add_comment(database: Database, submission_id: str, indicator_id: str, text: str, author: str, form: FormDefinition | None = None) -> Comment:
    """Draft a comment on an indicator of a received submission (kept with the decision)."""
    submission = find_submission(database, submission_id)
    text = _check_comment(submission_form(submission, form), indicator_id, text)
    now = utc_now()
    with database.transaction() as conn:
        _check_reviewable(database, submission)
        conn.execute(
            "INSERT INTO hq_review_comment (submission_id, indicator_id, text, author, created_at) VALUES (?,?,?,?,?)",
            (submission.id, indicator_id, text, author, now),
        )
        _audit(conn, author, submission, None, {"comment": indicator_id, "text": text})
    return Comment(indicator_id, text, author, now)


def decide(
    database: Database,
    submission_id: str,
    decision: str,
    author: str,
    comments: list[tuple[str, str]] = (),
    form: FormDefinition | None = None,
) -> ReviewState:
    """Accept or return a received, current submission, with extra ``(indicator id, text)`` comments."""
    if decision not in (ACCEPTED, RETURNED):
        raise ReviewError("bad_decision", f"a decision is {ACCEPTED} or {RETURNED}, not {decision!r}", "تصمیم نامعتبر است.")
    submission = find_submission(database, submission_id)
    form = submission_form(submission, form)
    clean = [(indicator_id, _check_comment(form, indicator_id, text)) for indicator_id, text in comments]
    now = utc_now()
    feedback_id = new_id()
    with database.transaction() as conn:
        _check_reviewable(database, submission)
        drafted = conn.execute("SELECT COUNT(*) FROM hq_review_comment WHERE submission_id=?", (submission.id,)).fetchone()[0]
        if decision == RETURNED and not (clean or drafted):
            raise ReviewError(
                "return_without_comment",
                "a returned report needs at least one comment saying what to correct (--comment INDICATOR TEXT)",
                "برای بازگرداندن گزارش دست‌کم یک توضیح لازم است.",
            )
        conn.executemany(
            "INSERT INTO hq_review_comment (submission_id, indicator_id, text, author, created_at) VALUES (?,?,?,?,?)",
            [(submission.id, i, t, author, now) for i, t in clean],
        )
        conn.execute(
            "INSERT INTO hq_review (submission_id, state, decided_by, decided_at, feedback_id) VALUES (?,?,?,?,?)",
            (submission.id, decision, author, now, feedback_id),
        )
        _audit(conn, author, submission, {"state": RECEIVED}, {"state": decision, "comments": drafted + len(clean), "feedback": feedback_id})
    return review_state(database, submission.id)


def review_history(database: Database, submission_id: str) -> list[dict]:
    """The audit entries of a submission's review, oldest first."""
    submission = find_submission(database, submission_id)
    keys = ("at", "actor", "action", "target", "old_value", "new_value")
    return [
        dict(zip(keys, row))
        for row in database.conn.execute(
            f"SELECT {', '.join(keys)} FROM audit WHERE report_id=? AND action='hq_review' ORDER BY id", (submission.report_id,)
        )
    ]


# --- the signed feedback file ----------------------------------------------------------------


def feedback_payload(database: Database, hq: HQIdentity, submission_id: str) -> dict:
    submission = find_submission(database, submission_id)
    state = review_state(database, submission.id)
    if state.state == RECEIVED:
        raise ReviewError("not_decided", f"submission {submission.id} has not been accepted or returned yet", "هنوز درباره این گزارش تصمیم گرفته نشده است.")
    return {
        "hq_id": hq.hq_id,
        "hq_name": hq.name,
        "feedback_id": state.feedback_id,
        "issued_at": utc_now(),
        "submission": {
            "id": submission.id, "office_id": submission.office_id, "form_id": submission.form_id,
            "form_version": submission.form_version, "period": submission.period, "revision": submission.revision,
            "office_report_id": submission.office_report_id, "bundle_id": submission.bundle_id, "content_sha256": submission.content_sha256,
        },  # fmt: skip
        "decision": state.state,
        "decided_by": state.decided_by,
        "decided_at": state.decided_at,
        "comments": [{"indicator_id": c.indicator_id, "text": c.text, "author": c.author, "at": c.at} for c in state.comments],
    }


def sign_feedback(hq: HQIdentity, payload: dict) -> bytes:
    """The feedback envelope: the payload (canonical JSON, base64) signed with the headquarters CA key."""
    return envelope.sign_envelope(hq.ca_key, FEEDBACK_FORMAT, payload, certificate=cert_pem(hq.ca_cert))


def feedback_file(database: Database, hq: HQIdentity, submission_id: str) -> bytes:
    """The signed feedback file of a decided submission (``hq`` from ``hq.identity.load_hq``)."""
    return sign_feedback(hq, feedback_payload(database, hq, submission_id))


# --- office side: reading and importing feedback ---------------------------------------------


# --- comparing two revisions -----------------------------------------------------------------


