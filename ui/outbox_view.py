"""The reports list's last column, «ارسال و بازخورد ستاد» (issue 18): where each report's bundle
stands — in the outbox (queued, uploading n %, received with headquarters' receipt, refused with
the reason and what to do: the words are ``exchange.outbox.describe``'s), or only written to a
file for a USB drive — and headquarters' latest feedback. Also the choice between the two ways of
sending, and the intake address as the settings dialog edits it.

A report is «ارسال شد» only when headquarters' signed receipt accepted it; a bundle written to a
folder says «در فایل ذخیره شد» (it still has to reach headquarters on a USB drive).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QMessageBox

from citizen_rights_desktop.exchange import outbox
from citizen_rights_desktop.persian.text import to_persian_digits
from storage import ReportStore
from storage.database import Database
from storage import outbox_store
from storage.outbox_store import RECEIVED
from ui.formatting import jalali_datetime, ltr

FILE = "file"  # the state of a bundle written to a folder, outside the outbox
FEEDBACK_FA = {"accepted": "پذیرفته شد", "returned": "بازگشت داده شد"}
FILE_DETAIL_FA = "بسته در فایل ذخیره شده است و هنوز به ستاد نرسیده است؛ آن را با حافظه USB به ستاد برسانید."
UNLOCK_NOTE_FA = "برای ادامه ارسال، گذرواژه کلید را وارد کنید."
NETWORK, USB = "network", "usb"


@dataclass(frozen=True)
class SendCell:
    """One report's cell: its text, the longer word under the table and in the tooltip, its state."""

    text: str
    detail: str = ""
    state: str = ""  # "", file, or an outbox state (queued, uploading, received, refused)


def _day(iso_utc: str) -> str:
    return jalali_datetime(iso_utc).split(" ")[0]


def send_cell(store: ReportStore, report_id: str) -> SendCell:
    """What the column says of one report (the newest of its outbox entry and its file export; a
    receipt that accepted a revision is not hidden by a later file copy of the same revision)."""
    state = outbox.send_state(store.database, report_id)
    exported = outbox_store.newest_file_export(store.database, report_id)
    entry = state.entry if state is not None else None
    cell = SendCell(state.text_fa, state.detail_fa, state.state) if state is not None else SendCell("")
    if exported is not None and (
        entry is None
        or (exported[1] > entry.queued_at and not (entry.state == RECEIVED and entry.revision >= exported[0]))
    ):
        text = f"ویرایش {to_persian_digits(exported[0])} در فایل ذخیره شد: {_day(exported[1])}"
        cell = SendCell(text, f"{FILE_DETAIL_FA}\n{ltr(exported[2])}", FILE)
    feedback = store.database.conn.execute(
        "SELECT f.decision, (SELECT COUNT(*) FROM office_feedback_comment c WHERE c.feedback_id=f.feedback_id)"
        " FROM office_feedback f WHERE f.report_id=? ORDER BY f.decided_at DESC LIMIT 1",
        (report_id,),
    ).fetchone()
    if feedback:
        decision = FEEDBACK_FA.get(feedback[0], feedback[0])
        said = f"ستاد: {decision}" + (f" ({to_persian_digits(feedback[1])} نظر)" if feedback[1] else "")
        cell = SendCell("؛ ".join(p for p in (cell.text, said) if p), cell.detail, cell.state)
    return cell


def exchange_texts(store: ReportStore, report_ids: list[str]) -> dict[str, SendCell]:
    """Per report: its send column (``ui.reports_page.ReportsPage.set_entries``'s ``exchange``)."""
    return {report_id: send_cell(store, report_id) for report_id in report_ids}


def choose_way(parent, address: str, revision: int) -> str | None:
    """«ارسال از طریق شبکه» or «ذخیره در حافظه USB» (``NETWORK``, ``USB``, or ``None`` when cancelled)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Question)
    box.setWindowTitle("ارسال بسته به ستاد")
    box.setText(
        f"بسته ویرایش {to_persian_digits(revision)} چگونه به ستاد برسد؟\n\n"
        f"از طریق شبکه: به سامانه دریافت ستاد ({ltr(address)}) فرستاده می‌شود؛ اگر اتصال قطع شود، "
        "ارسال از همان‌جا ادامه می‌یابد و رسید ستاد در ستون «ارسال و بازخورد ستاد» دیده می‌شود.\n"
        "حافظه USB: فایل بسته در پوشه‌ای که انتخاب می‌کنید ذخیره می‌شود تا دستی به ستاد برسد."
    )
    network = box.addButton("ارسال از طریق شبکه", QMessageBox.AcceptRole)
    usb = box.addButton("ذخیره در حافظه USB", QMessageBox.ActionRole)
    box.addButton("انصراف", QMessageBox.RejectRole)
    box.setDefaultButton(network)
    box.exec()
    clicked = box.clickedButton()
    return NETWORK if clicked is network else USB if clicked is usb else None


class IntakeSetting:
    """The intake address as the settings dialog shows and saves it: the office's own address
    (``office set-intake``), else the one headquarters' profile names."""

    def __init__(self, database: Database, profile):
        self.database = database
        self.profile_url = (getattr(profile, "intake_url", "") or "") if profile is not None else ""
        self.own = outbox.intake_url(database, None) or ""

    def save(self, text: str) -> str | None:
        """Keep ``text`` (empty, or the profile's own address: the profile's again). Raises
        ``ExchangeError`` for an address that is not headquarters' https:// one; nothing is saved then."""
        text = (text or "").strip()
        if text and self.profile_url and text.rstrip("/") == self.profile_url.rstrip("/"):
            text = ""
        if text == self.own:
            return text or None
        saved = outbox.set_intake_url(self.database, text or None)
        self.own = saved or ""
        return saved
