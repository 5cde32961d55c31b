"""The office's outbox (issue 18): bundles queued for headquarters' intake service.

``queue_bundle`` writes a report's bundle into the outbox folder beside the database (as
``report bundle --queue`` and the application's send button do); ``exchange.sender`` uploads what
is queued and records headquarters' signed receipt. A report counts as sent only once a receipt
accepting it is here: ``send_state`` says where each report stands, in words for the send column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from citizen_rights_desktop.exchange import bundle_writer
from citizen_rights_desktop.exchange.cms import OfficeSigner
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.exchange.profile import HQProfile
from citizen_rights_desktop.persian.jalali import to_jalali_text
from citizen_rights_desktop.persian.text import to_persian_digits, unsafe_characters
from storage import outbox_store
from storage.database import Database
from storage.outbox_store import QUEUED, RECEIVED, REFUSED, UPLOADING, OutboxEntry

INTAKE_SETTING = "intake_url"
MAX_URL = 300
_URL = re.compile(r"^https://[A-Za-z0-9.\-\[\]:]+(:\d{1,5})?(/[A-Za-z0-9._~/%-]*)?$")

# what the clerk can do about a refusal, by its reason code (the receipt's or the door's)
ADVICE_FA = {
    "revoked": "گواهی این دستگاه در ستاد باطل شده است؛ با ستاد تماس بگیرید تا گواهی تازه صادر شود.",
    "not_enrolled": "این دستگاه در ستاد ثبت نشده است؛ درخواست گواهی را به ستاد بدهید.",
    "too_large": "حجم بسته بیش از حد مجاز ستاد است؛ مستندات حجیم را کوچک کنید و ویرایش جدیدی بفرستید.",
    "revision_conflict": "این ویرایش با پاسخ‌های دیگری قبلاً رسیده است؛ ویرایش جدیدی از گزارش بسازید و بفرستید.",
    "other_office": "این بسته را دستگاه دیگری امضا کرده است؛ گزارش را با گواهی همین دستگاه امضا کنید.",
}
DEFAULT_ADVICE_FA = "دلیل را بخوانید، گزارش را اصلاح کنید و ویرایش جدیدی بفرستید؛ یا فایل بسته را با حافظه USB به ستاد برسانید."


def outbox_folder(database: Database) -> Path:
    """``<database>.outbox`` beside the database file: each queued bundle as ``<bundle id>.crb``."""
    return database.path.with_name(database.path.name + ".outbox")


def bundle_path(database: Database, entry: OutboxEntry) -> Path:
    return outbox_folder(database) / entry.file_name


def check_intake_url(url: str) -> str:
    url = (url or "").strip()
    if len(url) > MAX_URL or unsafe_characters(url) or not _URL.match(url):
        raise ExchangeError(
            "bad_intake_url",
            f"not an https:// address of headquarters' intake service: {url[:80]!r}",
            "نشانی سامانه دریافت ستاد باید با https:// شروع شود.",
        )
    return url.rstrip("/")


def intake_url(database: Database, profile: HQProfile | None) -> str | None:
    """The address to send to: the office's own setting (``office set-intake``), else the profile's."""
    own = outbox_store.setting(database, INTAKE_SETTING)
    if own:
        return own
    return (getattr(profile, "intake_url", "") or None) if profile is not None else None


def set_intake_url(database: Database, url: str | None) -> str | None:
    """Override the profile's address (``None`` or empty: use the profile's again)."""
    value = check_intake_url(url) if url else None
    outbox_store.set_setting(database, INTAKE_SETTING, value)
    return value


def queue_bundle(store, report_id: str, signer: OfficeSigner, profile: HQProfile, pdf: bytes | None = None, progress=None) -> OutboxEntry:
    """Write the report's bundle into the outbox and queue it for sending.

    Queueing the same revision again while its bundle waits or was received returns that entry:
    one revision is sent once. After a refusal a new bundle is queued (the clerk fixed something)."""
    report = store.load_report(report_id)
    for entry in outbox_store.entries(store.database, report_id):
        if entry.revision == report.revision and entry.state != REFUSED:
            return entry
    folder = outbox_folder(store.database)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise ExchangeError("write_failed", f"cannot create the outbox folder {folder}: {exc.strerror or exc}", "پوشه صف ارسال ساخته نشد.") from None
    result = bundle_writer.export_bundle(store, report_id, folder, signer, profile, pdf, progress, outbox_name=True)
    outbox_store.add(store.database, result.bundle_id, report_id, report.revision, result.path.name, result.sha256, result.size)
    entry = outbox_store.get(store.database, result.bundle_id)
    assert entry is not None
    return entry


@dataclass(frozen=True)
class SendState:
    state: str  # "", queued, uploading, received, refused
    text_fa: str
    detail_fa: str  # the receipt, or the reason and what to do
    entry: OutboxEntry | None


def advice_fa(code: str | None) -> str:
    return ADVICE_FA.get(code or "", DEFAULT_ADVICE_FA)


def describe(entry: OutboxEntry) -> SendState:
    """The send column's words for one outbox entry."""
    revision = f"ویرایش {to_persian_digits(entry.revision)}"
    if entry.state == RECEIVED:
        when = _jalali_day(entry.answered_at or entry.queued_at)
        return SendState(RECEIVED, f"{revision} ارسال شد: {when}", f"رسید ستاد: {entry.receipt_id}", entry)
    if entry.state == REFUSED:
        reason = entry.reason_fa or "ستاد بسته را نپذیرفت."
        return SendState(REFUSED, f"{revision} پذیرفته نشد", f"{reason} {advice_fa(entry.reason_code)}", entry)
    if entry.state == UPLOADING:
        detail = entry.last_error_fa or "ارسال هنگام اتصال به ستاد ادامه می‌یابد."
        return SendState(UPLOADING, f"{revision} در حال ارسال: {to_persian_digits(entry.percent)}٪", detail, entry)
    detail = entry.last_error_fa or "در صف ارسال؛ هنگام اتصال به ستاد فرستاده می‌شود."
    return SendState(QUEUED, f"{revision} در صف ارسال", detail, entry)


def _jalali_day(iso_utc: str) -> str:
    try:
        return to_jalali_text(dt.datetime.fromisoformat(iso_utc).astimezone().date())
    except (TypeError, ValueError):
        return ""


def send_state(database: Database, report_id: str) -> SendState | None:
    """Where the report's newest queued bundle stands, or ``None`` when none was queued."""
    found = outbox_store.entries(database, report_id)
    return describe(found[0]) if found else None
