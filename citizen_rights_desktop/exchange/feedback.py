"""Feedback files: headquarters' signed decision on one revision (accepted, or returned with
comments per indicator), and the office side that imports it.

``import_feedback`` verifies a feedback file against the CA certificate of the headquarters profile
the office imported (never against a certificate the file carries), checks it is about one of this
database's reports, and stores the comments per indicator; ``feedback_for_report`` gives the wizard
the comments of a report, or of the earlier revision it was made from. ``hq.review.feedback_file``
writes them; the format is in ``docs/feedback-format.md``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from citizen_rights_desktop.exchange import envelope
from citizen_rights_desktop.exchange.errors import ExchangeError
from storage.database import Database, utc_now

RECEIVED, ACCEPTED, RETURNED = "received", "accepted", "returned"
STATE_FA = {RECEIVED: "دریافت شده", ACCEPTED: "پذیرفته شده", RETURNED: "بازگشت داده شده"}


GENERAL = "general"  # a comment on the whole report rather than one indicator


FEEDBACK_FORMAT = "citizen-rights-feedback"


MAX_FEEDBACK_BYTES = 4 * 1024 * 1024


class ReviewError(ExchangeError):
    """A review action that is not allowed, or a feedback file that is refused (code, English, Persian)."""


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Comment:
    indicator_id: str
    text: str
    author: str
    at: str


def _refused(reason: str, fa: str = "فایل بازخورد ستاد معتبر نیست.") -> ReviewError:
    return ReviewError("bad_feedback", f"not a valid feedback file: {reason}", fa)


@dataclass
class Feedback:
    feedback_id: str
    hq_id: str
    hq_name: str
    office_id: str
    form_id: str
    period: str
    revision: int
    report_id: str  # the office's report id
    decision: str
    decided_by: str
    decided_at: str
    comments: list[Comment] = field(default_factory=list)

    def by_indicator(self) -> dict[str, list[Comment]]:
        out: dict[str, list[Comment]] = {}
        for comment in self.comments:
            out.setdefault(comment.indicator_id, []).append(comment)
        return out


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise _refused(f"{what} is not text")
    return value


def read_feedback(data: bytes, ca_cert) -> Feedback:
    """Parse and verify a feedback file against ``ca_cert`` (the imported profile's). Strict: a
    ``ReviewError`` for anything else, never another exception."""
    payload_bytes, signature = envelope.open_envelope(data, FEEDBACK_FORMAT, MAX_FEEDBACK_BYTES, _refused)
    try:
        ca_cert.public_key().verify(signature, payload_bytes, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, TypeError, ValueError, AttributeError):
        raise ReviewError(
            "feedback_signature",
            "the feedback file is not signed by the headquarters whose profile this office imported (changed, damaged or forged); refused",
            "امضای فایل بازخورد با ستادی که مشخصاتش وارد شده مطابقت ندارد (تغییر یافته یا جعلی است)؛ پذیرفته نشد.",
        ) from None
    try:
        payload = json.loads(payload_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise _refused("the payload is not JSON") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("submission"), dict) or not isinstance(payload.get("comments"), list):
        raise _refused("the payload lacks submission or comments")
    sub = payload["submission"]
    revision = sub.get("revision")
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 1:
        raise _refused("submission.revision is not a positive whole number")
    decision = payload.get("decision")
    if decision not in (ACCEPTED, RETURNED):
        raise _refused(f"unknown decision {decision!r}")
    comments = []
    for index, item in enumerate(payload["comments"]):
        if not isinstance(item, dict):
            raise _refused(f"comment {index + 1} is not an object")
        comments.append(Comment(_text(item.get("indicator_id"), "comment.indicator_id"), _text(item.get("text"), "comment.text"),
                                _text(item.get("author"), "comment.author"), _text(item.get("at"), "comment.at")))  # fmt: skip
    return Feedback(
        _text(payload.get("feedback_id"), "feedback_id"), _text(payload.get("hq_id"), "hq_id"), _text(payload.get("hq_name"), "hq_name"),
        _text(sub.get("office_id"), "submission.office_id"), _text(sub.get("form_id"), "submission.form_id"),
        _text(sub.get("period"), "submission.period"), revision, _text(sub.get("office_report_id"), "submission.office_report_id"),
        decision, _text(payload.get("decided_by"), "decided_by"), _text(payload.get("decided_at"), "decided_at"), comments,
    )  # fmt: skip


@dataclass
class FeedbackImport:
    feedback: Feedback
    changed: bool
    message_en: str
    message_fa: str


def import_feedback(database: Database, data: bytes) -> FeedbackImport:
    """Verify a feedback file and store its comments per indicator (nothing is written if refused)."""
    from citizen_rights_desktop.exchange.office_enrolment import load_profile

    profile = load_profile(database)
    if profile is None:
        raise ReviewError("no_profile", "import the headquarters profile first ('office import-profile')", "ابتدا فایل مشخصات ستاد را وارد کنید.")
    feedback = read_feedback(data, profile.ca_cert)
    if feedback.hq_id != profile.hq_id:
        raise ReviewError(
            "feedback_other_hq",
            f"the feedback names headquarters {feedback.hq_id}, not {profile.hq_id} whose profile this office uses; refused",
            "این بازخورد از ستاد دیگری است و پذیرفته نشد.",
        )
    conn = database.conn
    if conn.execute("SELECT 1 FROM office WHERE id=?", (feedback.office_id,)).fetchone() is None:
        raise ReviewError(
            "feedback_other_office",
            f"the feedback is for office {feedback.office_id}, which is not this database's office; refused",
            "این بازخورد برای دستگاه دیگری است و پذیرفته نشد.",
        )
    row = conn.execute("SELECT office_id, revision FROM report WHERE id=?", (feedback.report_id,)).fetchone()
    if row is None or row[0] != feedback.office_id or row[1] != feedback.revision:
        raise ReviewError(
            "feedback_unknown_report",
            f"the feedback is about report {feedback.report_id} revision {feedback.revision}, which is not in this database; refused",
            "گزارشی که این بازخورد درباره آن است در این پایگاه داده نیست.",
        )
    if conn.execute("SELECT 1 FROM office_feedback WHERE feedback_id=?", (feedback.feedback_id,)).fetchone():
        return FeedbackImport(feedback, False, f"feedback {feedback.feedback_id} was already imported; nothing was changed", "این بازخورد قبلاً وارد شده است.")
    with database.transaction():
        conn.execute(
            "INSERT INTO office_feedback (feedback_id, office_id, report_id, form_id, period, revision, decision, decided_by, decided_at, file, imported_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (feedback.feedback_id, feedback.office_id, feedback.report_id, feedback.form_id, feedback.period, feedback.revision,
             feedback.decision, feedback.decided_by, feedback.decided_at, sqlite3.Binary(data), utc_now()),
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO office_feedback_comment (feedback_id, position, indicator_id, text, author, created_at) VALUES (?,?,?,?,?,?)",
            [(feedback.feedback_id, i, c.indicator_id, c.text, c.author, c.at) for i, c in enumerate(feedback.comments)],
        )
        conn.execute(
            "INSERT INTO audit (at, actor, report_id, action, target, old_value, new_value) VALUES (?,?,?,?,?,?,?)",
            (utc_now(), "headquarters", feedback.report_id, "feedback_import", "report", None,
             _dump({"feedback": feedback.feedback_id, "decision": feedback.decision, "comments": len(feedback.comments)})),
        )  # fmt: skip
    what = "accepted" if feedback.decision == ACCEPTED else f"returned with {len(feedback.comments)} comment(s)"
    return FeedbackImport(
        feedback, True,
        f"imported the feedback of {feedback.hq_id} on revision {feedback.revision} of report {feedback.report_id}: {what}",
        f"بازخورد ستاد وارد شد: گزارش {STATE_FA[feedback.decision]}.",
    )  # fmt: skip


def feedback_for_report(database: Database, report_id: str) -> Feedback | None:
    """The latest feedback on ``report_id`` or, for a new revision, on the revision it replaces
    (the latest feedback on a lower revision of the same office, form and period)."""
    conn = database.conn
    row = conn.execute("SELECT office_id, form_id, period, revision FROM report WHERE id=?", (report_id,)).fetchone()
    if row is None:
        return None
    found = conn.execute(
        "SELECT feedback_id FROM office_feedback WHERE office_id=? AND form_id=? AND period=? AND revision<=?"
        " ORDER BY revision DESC, decided_at DESC LIMIT 1",
        row,
    ).fetchone()
    if found is None:
        return None
    (data,) = conn.execute("SELECT file FROM office_feedback WHERE feedback_id=?", found).fetchone()
    from citizen_rights_desktop.exchange.office_enrolment import load_profile

    profile = load_profile(database)
    return read_feedback(bytes(data), profile.ca_cert) if profile is not None else None
