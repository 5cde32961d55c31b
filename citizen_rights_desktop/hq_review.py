"""Review of received reports: received → accepted, or returned with comments per indicator; the
signed feedback file the office imports; what changed between two revisions.

Headquarters side
    Every current submission starts *received* (no ``hq_review`` row). ``add_comment`` drafts a
    comment on an indicator (or ``general``) while it is received; ``decide`` accepts or returns it
    (a return needs at least one comment), once: a decision is final for that revision — the office
    answers a return with a new revision, which is again *received*. A superseded revision cannot be
    reviewed. Every change is written to the ``audit`` trail (action ``hq_review``) with who and when.
    ``feedback_file`` signs the decision and its comments with the headquarters CA key (the key that
    signs the headquarters profile); the format is in ``docs/feedback-format.md``.

Office side
    ``import_feedback`` verifies a feedback file against the CA certificate of the headquarters
    profile the office imported (never against a certificate the file carries), checks it is about
    one of this database's reports, and stores the comments per indicator; ``feedback_for_report``
    gives the wizard the comments of a report, or of the earlier revision it was made from.

Comparison
    ``compare_reports`` lists, indicator by indicator, what a revision changed: the answer, the
    reason / justification, field values, table rows (added, removed, changed, by row id) and
    evidence (added, removed, by content).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from citizen_rights_desktop.exchange_errors import ExchangeError
from citizen_rights_desktop.form import FormDefinition
from citizen_rights_desktop import hq_identity
from citizen_rights_desktop.hq_identity import HQIdentity, cert_pem
from citizen_rights_desktop.report import Report
from storage import hq_store
from storage.database import Database, utc_now
from storage.report_store import new_id

RECEIVED, ACCEPTED, RETURNED = "received", "accepted", "returned"
STATE_FA = {RECEIVED: "دریافت شده", ACCEPTED: "پذیرفته شده", RETURNED: "بازگشت داده شده"}
GENERAL = "general"  # a comment on the whole report rather than one indicator
FEEDBACK_FORMAT = "citizen-rights-feedback"
MAX_FEEDBACK_BYTES = 4 * 1024 * 1024
MAX_COMMENT_CHARS = 4000


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


def _submission(database: Database, submission_id: str) -> hq_store.Submission:
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


find_submission = _submission


def review_state(database: Database, submission_id: str) -> ReviewState:
    submission = _submission(database, submission_id)
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


def _form(submission: hq_store.Submission, form: FormDefinition | None) -> FormDefinition | None:
    if form is not None:
        return form
    from citizen_rights_desktop.catalog import FormCatalog, FormNotFound

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
    submission = _submission(database, submission_id)
    text = _check_comment(_form(submission, form), indicator_id, text)
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
    submission = _submission(database, submission_id)
    form = _form(submission, form)
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
    submission = _submission(database, submission_id)
    keys = ("at", "actor", "action", "target", "old_value", "new_value")
    return [
        dict(zip(keys, row))
        for row in database.conn.execute(
            f"SELECT {', '.join(keys)} FROM audit WHERE report_id=? AND action='hq_review' ORDER BY id", (submission.report_id,)
        )
    ]


# --- the signed feedback file ----------------------------------------------------------------


def feedback_payload(database: Database, hq: HQIdentity, submission_id: str) -> dict:
    submission = _submission(database, submission_id)
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
    return hq_identity.sign_envelope(hq, FEEDBACK_FORMAT, payload, certificate=cert_pem(hq.ca_cert))


def feedback_file(database: Database, hq: HQIdentity, submission_id: str) -> bytes:
    """The signed feedback file of a decided submission (``hq`` from ``hq_identity.load_hq``)."""
    return sign_feedback(hq, feedback_payload(database, hq, submission_id))


# --- office side: reading and importing feedback ---------------------------------------------


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
    payload_bytes, signature = hq_identity.open_envelope(data, FEEDBACK_FORMAT, MAX_FEEDBACK_BYTES, _refused)
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
    from citizen_rights_desktop.office_exchange import load_profile

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
    from citizen_rights_desktop.office_exchange import load_profile

    profile = load_profile(database)
    return read_feedback(bytes(data), profile.ca_cert) if profile is not None else None


# --- comparing two revisions -----------------------------------------------------------------


@dataclass(frozen=True)
class ValueChange:
    item_id: str
    label: str
    before: object
    after: object


@dataclass(frozen=True)
class TableChange:
    table_id: str
    title: str
    rows_before: int
    rows_after: int
    added: int
    removed: int
    changed: int


@dataclass
class IndicatorChange:
    indicator_id: str
    number: int
    title: str
    status_before: str | None
    status_after: str | None
    reason_changed: bool = False
    justification_changed: bool = False
    values: list[ValueChange] = field(default_factory=list)
    tables: list[TableChange] = field(default_factory=list)
    evidence_added: list[str] = field(default_factory=list)  # file names
    evidence_removed: list[str] = field(default_factory=list)

    @property
    def status_changed(self) -> bool:
        return self.status_before != self.status_after

    @property
    def changed(self) -> bool:
        return bool(
            self.status_changed or self.reason_changed or self.justification_changed or self.values
            or any(t.added or t.removed or t.changed for t in self.tables) or self.evidence_added or self.evidence_removed
        )  # fmt: skip


def compare_reports(form: FormDefinition, before: Report, after: Report) -> list[IndicatorChange]:
    """Every indicator, in form order, with what changed from ``before`` to ``after`` (see ``changed``)."""
    out = []
    for indicator in form.indicators:
        old, new = before.section(indicator.id), after.section(indicator.id)
        change = IndicatorChange(indicator.id, indicator.number, indicator.title, old.status, new.status)
        change.reason_changed = (old.reason or None) != (new.reason or None)
        change.justification_changed = (old.justification or None) != (new.justification or None)
        labels = {f.id: f.label for f in indicator.fields}
        for key in [*labels, *sorted(set(old.values) | set(new.values) - set(labels))]:
            if old.values.get(key) != new.values.get(key):
                change.values.append(ValueChange(key, labels.get(key, key), old.values.get(key), new.values.get(key)))
        titles = {t.id: t.title for t in indicator.tables}
        for table_id in [*titles, *sorted(set(old.tables) | set(new.tables) - set(titles))]:
            rows_old = {r.id: r.cells for r in old.rows(table_id)}
            rows_new = {r.id: r.cells for r in new.rows(table_id)}
            added = len(rows_new.keys() - rows_old.keys())
            removed = len(rows_old.keys() - rows_new.keys())
            changed = sum(1 for k in rows_old.keys() & rows_new.keys() if rows_old[k] != rows_new[k])
            if rows_old or rows_new:
                change.tables.append(TableChange(table_id, titles.get(table_id, table_id), len(rows_old), len(rows_new), added, removed, changed))
        ev_old = {(e.sha256, e.name) for e in old.evidence}
        ev_new = {(e.sha256, e.name) for e in new.evidence}
        change.evidence_added = sorted(name for _, name in ev_new - ev_old)
        change.evidence_removed = sorted(name for _, name in ev_old - ev_new)
        out.append(change)
    return out


def previous_submission(database: Database, submission_id: str) -> hq_store.Submission | None:
    """The revision ``submission_id`` replaced (the one it superseded, else the latest lower revision)."""
    submission = _submission(database, submission_id)
    row = database.conn.execute(
        "SELECT id FROM hq_submission WHERE office_id=? AND form_id=? AND period=? AND revision<? ORDER BY (superseded_by = ?) DESC, revision DESC LIMIT 1",
        (submission.office_id, submission.form_id, submission.period, submission.revision, submission.id),
    ).fetchone()
    return hq_store.get_submission(database, row[0]) if row else None


def compare_submission(database: Database, submission_id: str, form: FormDefinition | None = None) -> tuple[hq_store.Submission, list[IndicatorChange]]:
    """What ``submission_id`` changed from the revision before it; ``ReviewError`` if it is the first."""
    submission = _submission(database, submission_id)
    previous = previous_submission(database, submission.id)
    if previous is None:
        raise ReviewError("no_previous_revision", f"submission {submission.id} is revision {submission.revision}, the first headquarters received", "ویرایش قبلی از این گزارش دریافت نشده است.")
    form = _form(submission, form)
    if form is None:
        from citizen_rights_desktop.catalog import FormNotFound

        raise FormNotFound(submission.form_id, submission.form_version)
    before, _, _ = hq_store.load_submission(database, previous.id)
    after, _, _ = hq_store.load_submission(database, submission.id)
    return previous, compare_reports(form, before, after)
