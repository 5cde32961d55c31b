"""Review page: the current submissions; one opened shows its answers per indicator, what changed
since the previous revision, the comments; accept, or return with comments per indicator; write
the signed feedback file the office imports."""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.exchange import feedback as feedback_files
from citizen_rights_desktop.hq import compare as hq_compare
from citizen_rights_desktop.hq import completeness as hq_completeness
from citizen_rights_desktop.hq import review as hq_review
from citizen_rights_desktop.report.office import LEVELS, PROVINCES
from storage import hq_store
from ui.formatting import STATUS_LABELS, jalali_datetime
from ui.hq.common import RAW_ROLE, fa_digits, fill, item, item_table, table

LIST_COLUMNS = ["دستگاه / واحد", "استان", "ویرایش", "تاریخ دریافت", "وضعیت بررسی"]
DETAIL_COLUMNS = ["شاخص", "پاسخ", "تغییر نسبت به ویرایش قبلی", "توضیحات ثبت‌شده", "توضیح جدید (برای بازگرداندن)"]
COMMENT_COLUMN = 4
STATE_COLOURS = {feedback_files.RECEIVED: "#3f6fb5", feedback_files.ACCEPTED: "#2e8b57", feedback_files.RETURNED: "#c0392b"}
PDF_FA = {
    "valid": "امضای PDF گزارش معتبر است",
    "absent": "بسته PDF امضاشده نداشت",
    "signer checked on import; full validation pending": "امضاکننده PDF همان فرستنده بسته است؛ بررسی کامل در انتظار",
}
FILTERS = [("همه", None), ("دریافت شده (منتظر بررسی)", feedback_files.RECEIVED), ("پذیرفته شده", feedback_files.ACCEPTED), ("بازگشت داده شده", feedback_files.RETURNED)]


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "ستاد"


def status_fa(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", "بدون پاسخ")


def change_parts(change: hq_compare.IndicatorChange) -> list[str]:
    """What a revision changed in one indicator, in Persian (empty: nothing)."""
    parts = []
    if change.status_changed:
        parts.append(f"پاسخ: {status_fa(change.status_before)} ← {status_fa(change.status_after)}")
    if change.reason_changed:
        parts.append("دلیل تغییر کرد")
    if change.justification_changed:
        parts.append("توجیه عدم مصداق تغییر کرد")
    if change.values:
        parts.append("مقادیر: " + "، ".join(v.label for v in change.values))
    for t in change.tables:
        if t.added or t.removed or t.changed:
            parts.append(fa_digits(f"جدول «{t.title}»: {t.rows_before} ← {t.rows_after} ردیف ({t.added} افزوده، {t.removed} حذف، {t.changed} تغییر)"))
    if change.evidence_added:
        parts.append(fa_digits(f"{len(change.evidence_added)} مستند افزوده: ") + "، ".join(change.evidence_added))
    if change.evidence_removed:
        parts.append(fa_digits(f"{len(change.evidence_removed)} مستند حذف: ") + "، ".join(change.evidence_removed))
    return parts


class ReviewPage(QWidget):
    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window_ = window
        self.rows = []  # SubmissionRow shown in the list
        self.submission: hq_store.Submission | None = None
        self.changes: dict[str, hq_compare.IndicatorChange] = {}
        self.previous: hq_store.Submission | None = None
        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Horizontal)
        # the list
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("نمایش:"))
        self.filter = QComboBox()
        for label, state in FILTERS:
            self.filter.addItem(label, state)
        self.filter.currentIndexChanged.connect(lambda _i: self._fill_list())
        bar.addWidget(self.filter, 1)
        left_layout.addLayout(bar)
        self.list = table(LIST_COLUMNS, stretch=0)
        self.list.itemSelectionChanged.connect(self._selected)
        left_layout.addWidget(self.list)
        # the opened submission
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.header = QLabel("گزارشی را از فهرست انتخاب کنید.")
        self.header.setWordWrap(True)
        right_layout.addWidget(self.header)
        self.only_changed = QCheckBox("فقط شاخص‌هایی که نسبت به ویرایش قبلی تغییر کرده‌اند")
        self.only_changed.toggled.connect(self._apply_filter)
        right_layout.addWidget(self.only_changed)
        self.detail = item_table(DETAIL_COLUMNS)  # its comments are typed in the table
        self.detail.setWordWrap(True)
        self.detail.setSelectionMode(QAbstractItemView.SingleSelection)
        self.detail.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed | QAbstractItemView.AnyKeyPressed)
        header = self.detail.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Interactive)
        self.detail.setColumnWidth(0, 230)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        header.setSectionResizeMode(3, QHeaderView.Interactive)
        self.detail.setColumnWidth(3, 160)
        header.setSectionResizeMode(COMMENT_COLUMN, QHeaderView.Interactive)
        self.detail.setColumnWidth(COMMENT_COLUMN, 220)
        self.detail.itemSelectionChanged.connect(self._indicator_selected)
        right_layout.addWidget(self.detail, 3)
        self.change_text = QTextBrowser()
        self.change_text.setMaximumHeight(110)
        right_layout.addWidget(self.change_text, 1)
        actions = QHBoxLayout()
        actions.addWidget(QLabel("بررسی‌کننده:"))
        self.author = QLineEdit(_user())
        self.author.setMaximumWidth(200)
        actions.addWidget(self.author)
        self.accept_button = QPushButton("پذیرش گزارش")
        self.return_button = QPushButton("بازگرداندن با توضیحات")
        self.feedback_button = QPushButton("نوشتن فایل بازخورد امضاشده…")
        self.accept_button.clicked.connect(lambda: self.decide(feedback_files.ACCEPTED))
        self.return_button.clicked.connect(lambda: self.decide(feedback_files.RETURNED))
        self.feedback_button.clicked.connect(self.write_feedback)
        actions.addStretch(1)
        for button in (self.accept_button, self.return_button, self.feedback_button):
            actions.addWidget(button)
        right_layout.addLayout(actions)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([480, 860])
        layout.addWidget(splitter)
        self._buttons()

    # --- the list ------------------------------------------------------------------------------

    def show_submissions(self, rows) -> None:
        self.rows = list(rows)
        self._fill_list()

    def _fill_list(self) -> None:
        wanted = self.filter.currentData()
        keep = self.submission.id if self.submission else None
        shown = [r for r in self.rows if wanted is None or r.state == wanted]
        self.list.set_records(shown, lambda r: [  # rows made as they are shown (issue 16)
            item(r.agency, raw=r.submission_id, tooltip=r.office_id),
            item(PROVINCES.get(r.province, hq_completeness.NATIONAL_FA)),
            item(fa_digits(r.revision), raw=r.revision, align_center=True),
            item(jalali_datetime(r.received_at), raw=r.received_at, align_center=True),
            item(feedback_files.STATE_FA[r.state], raw=r.state, colour=STATE_COLOURS[r.state]),
        ])  # fmt: skip
        if keep:
            for index, r in enumerate(shown):
                if r.submission_id == keep:
                    self.list.blockSignals(True)
                    self.list.setCurrentCell(index, 0)
                    self.list.blockSignals(False)

    def _selected(self) -> None:
        rows = self.list.selectionModel().selectedRows()
        if rows:
            self.open(self.list.item(rows[0].row(), 0).data(RAW_ROLE))

    # --- one submission ------------------------------------------------------------------------

    def open(self, submission_id: str) -> bool:
        database = self.window_.database
        try:
            submission = hq_review.find_submission(database, submission_id)
            report, office, _ = hq_store.load_submission(database, submission.id)
            state = hq_review.review_state(database, submission.id)
            form = self.window_.form_for(submission)
            self.previous = hq_compare.previous_submission(database, submission.id)
            changes = []
            if self.previous is not None:
                _, changes = hq_compare.compare_submission(database, submission.id, form)
        except Exception as exc:
            self.window_.error(exc)
            return False
        self.submission = submission
        self.changes = {c.indicator_id: c for c in changes}
        agency = office.agency if office else submission.office_id
        where = PROVINCES.get(office.province, hq_completeness.NATIONAL_FA) if office else ""
        level = LEVELS.get(office.level, "") if office else ""
        compared = (
            fa_digits(f"مقایسه با ویرایش {self.previous.revision}: {sum(1 for c in changes if c.changed)} شاخص تغییر کرده است.")
            if self.previous is not None else "این نخستین ویرایشی است که ستاد دریافت کرده است."
        )  # fmt: skip
        decided = ""
        if state.decided_at:
            decided = f" — {feedback_files.STATE_FA[state.state]} توسط {state.decided_by} در {jalali_datetime(state.decided_at)}"
        pdf = PDF_FA.get(submission.pdf_check) or ("امضای PDF گزارش در بررسی کامل معتبر نبود" if submission.pdf_check.startswith("invalid") else "")
        self.header.setText(
            f"<b>{agency}</b> — {where}، {level}<br>"
            + fa_digits(f"دوره {submission.period}، ویرایش {submission.revision}، دریافت: ")
            + jalali_datetime(submission.received_at)
            + f"<br>وضعیت: <b>{feedback_files.STATE_FA[state.state]}</b>{decided}{'؛ ' + pdf if pdf else ''}<br>{compared}"
        )
        comments = state.by_indicator()
        rows = []
        general = QTableWidgetItem("")
        rows.append([item("کل گزارش (توضیح کلی)", raw=feedback_files.GENERAL), item(""), item(""),
                     item(self._comments_text(comments.get(feedback_files.GENERAL, []))), general])  # fmt: skip
        for indicator in form.indicators:
            answer = report.section(indicator.id)
            change = self.changes.get(indicator.id)
            parts = change_parts(change) if change is not None else []
            editable = QTableWidgetItem("")
            rows.append([
                item(fa_digits(f"{indicator.number}. ") + indicator.title, raw=indicator.id, tooltip=indicator.full_title),
                item(status_fa(answer.status), raw=answer.status),
                item("؛ ".join(parts), raw=bool(parts), colour="#b35900" if parts else None, tooltip="\n".join(parts)),
                item(self._comments_text(comments.get(indicator.id, [])), tooltip=self._comments_text(comments.get(indicator.id, []))),
                editable,
            ])  # fmt: skip
        fill(self.detail, rows)
        for r in range(self.detail.rowCount()):
            cell = self.detail.item(r, COMMENT_COLUMN)
            cell.setFlags(Qt.ItemIsSelectable | Qt.ItemIsEnabled | Qt.ItemIsEditable)
            cell.setToolTip("دوبار کلیک کنید و توضیح این شاخص را بنویسید")
        self.only_changed.setEnabled(self.previous is not None)
        self._apply_filter()
        self.change_text.clear()
        self._buttons(state.state)
        return True

    @staticmethod
    def _comments_text(comments) -> str:
        return "\n".join(f"{c.text} ({c.author})" for c in comments)

    def _apply_filter(self) -> None:
        only = self.only_changed.isChecked() and self.previous is not None
        for r in range(self.detail.rowCount()):
            changed = bool(self.detail.item(r, 2).data(RAW_ROLE)) or r == 0
            self.detail.setRowHidden(r, only and not changed)

    def _indicator_selected(self) -> None:
        rows = self.detail.selectionModel().selectedRows()
        if not rows:
            return
        indicator_id = self.detail.item(rows[0].row(), 0).data(RAW_ROLE)
        change = self.changes.get(indicator_id)
        if self.previous is None:
            self.change_text.setPlainText("ویرایش قبلی برای مقایسه وجود ندارد.")
        elif change is None or not change.changed:
            self.change_text.setPlainText("این شاخص نسبت به ویرایش قبلی تغییری نکرده است.")
        else:
            lines = change_parts(change)
            for value in change.values:
                lines.append(f"«{value.label}»: {fa_digits(_show(value.before))} ← {fa_digits(_show(value.after))}")
            self.change_text.setPlainText("\n".join(lines))

    def _buttons(self, state: str | None = None) -> None:
        open_ = self.submission is not None
        undecided = open_ and state == feedback_files.RECEIVED and self.submission.superseded_by is None
        self.accept_button.setEnabled(bool(undecided))
        self.return_button.setEnabled(bool(undecided))
        self.feedback_button.setEnabled(open_ and state in (feedback_files.ACCEPTED, feedback_files.RETURNED))

    def new_comments(self) -> list[tuple[str, str]]:
        out = []
        for r in range(self.detail.rowCount()):
            text = (self.detail.item(r, COMMENT_COLUMN).text() or "").strip()
            if text:
                out.append((self.detail.item(r, 0).data(RAW_ROLE), text))
        return out

    def set_comment(self, indicator_id: str, text: str) -> None:
        """Put a comment in an indicator's editable cell (what typing there does)."""
        for r in range(self.detail.rowCount()):
            if self.detail.item(r, 0).data(RAW_ROLE) == indicator_id:
                self.detail.item(r, COMMENT_COLUMN).setText(text)
                return
        raise KeyError(indicator_id)

    # --- decisions -----------------------------------------------------------------------------

    def decide(self, decision: str) -> bool:
        if self.submission is None:
            return False
        comments = self.new_comments()
        if decision == feedback_files.RETURNED and not comments and not hq_review.review_state(self.window_.database, self.submission.id).comments:
            self.window_.show_error("برای بازگرداندن گزارش دست‌کم یک توضیح لازم است: در ستون «توضیح جدید» کنار شاخص مربوط بنویسید.")
            return False
        author = self.author.text().strip() or _user()
        # the keys first (as the command line does): a wrong passphrase changes nothing
        hq = self.window_.hq_identity("برای امضای فایل بازخورد، کلید ستاد لازم است.")
        if hq is None:
            return False
        try:
            state = hq_review.decide(self.window_.database, self.submission.id, decision, author, comments, self.window_.form_for(self.submission))
        except Exception as exc:
            self.window_.error(exc)
            return False
        self.window_.review_changed(self.submission.id, state.state)
        self.open(self.submission.id)
        self.write_feedback()
        return True

    def write_feedback(self) -> bool:
        if self.submission is None:
            return False
        hq = self.window_.hq_identity("برای امضای فایل بازخورد، کلید ستاد لازم است.")
        if hq is None:
            return False
        name = f"feedback-{self.submission.office_id}-{self.submission.period}-r{self.submission.revision}.json"
        path = self.window_.choose_save_file("ذخیره فایل بازخورد برای دستگاه", name, "بازخورد ستاد (*.json)")
        if not path:
            return False
        from citizen_rights_desktop.exchange import bundle_writer

        def write():
            bundle_writer.write_atomically(Path(path), hq_review.feedback_file(self.window_.database, hq, self.submission.id))

        return self.window_.run_guarded(write, f"فایل بازخورد امضاشده نوشته شد؛ آن را به دستگاه بدهید:\n{path}")


def _show(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict) and "typed" in value:
        return str(value["typed"])
    return str(value)
