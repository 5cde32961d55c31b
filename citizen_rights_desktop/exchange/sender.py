"""Send the outbox to headquarters' intake service (issue 18): resumable, retried, answered by a
signed receipt.

For each queued bundle: ask first whether headquarters already holds a receipt for it (a bundle
sent before a cut may have arrived whole); else resume the upload from the offset headquarters
holds (tus ``HEAD``), or create one; append the rest in pieces (``PATCH``); then fetch and check
the receipt. A cut line costs only the bytes not yet received. Failures of the line are retried
with exponential backoff until ``max_time``; a refusal (revoked certificate, bundle too large,
a receipt that refuses) is final for that bundle and is not retried.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from citizen_rights_desktop.exchange import outbox
from citizen_rights_desktop.exchange.certificates import office_id_of
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.exchange.profile import HQProfile
from citizen_rights_desktop.exchange.receipt import Receipt, read_receipt
from citizen_rights_desktop.exchange.tus_client import TlsRefused, TusConnection, Unreachable, client_context, metadata
from storage import outbox_store
from storage.database import Database, utc_now
from storage.outbox_store import RECEIVED, REFUSED, UPLOADING, OutboxEntry

CHUNK = 256 * 1024
# refusals at the door that no retry can change
FINAL_CODES = {"revoked", "not_enrolled", "expired", "too_large", "no_certificate", "other_office"}

Progress = Callable[[OutboxEntry], None]


@dataclass(frozen=True)
class Credentials:
    """The office's key and the certificate headquarters issued for it (with its chain)."""

    private_key: object
    certificate: x509.Certificate
    chain: list[x509.Certificate]


def office_credentials(database: Database, private_key) -> tuple[HQProfile, Credentials]:
    """Headquarters' profile and the office's credentials for the intake service: the unlocked key
    with the certificate headquarters issued for it (the CLI's ``send`` and the window's sender)."""
    from citizen_rights_desktop.exchange import office_enrolment

    profile = office_enrolment.load_profile(database)
    if profile is None:
        raise ExchangeError("no_profile", "import the headquarters profile first ('office import-profile')", "ابتدا فایل مشخصات ستاد را وارد کنید (منوی «ستاد»).")
    mine = _public_der(private_key.public_key())
    for (office_id,) in database.conn.execute("SELECT office_id FROM office_certificate ORDER BY imported_at DESC"):
        issued = office_enrolment.office_certificate(database, office_id)
        if issued is not None and _public_der(issued[0].public_key()) == mine:
            return profile, Credentials(private_key, issued[0], list(issued[1]))
    raise ExchangeError(
        "no_certificate",
        "no certificate headquarters issued for this key: import it first ('office import-certificate'), or enrol this key",
        "گواهی صادرشده از ستاد برای کلید این دستگاه پیدا نشد؛ گواهی ستاد را وارد کنید (منوی «ستاد»).",
    )


def _public_der(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


class _Refused(Exception):
    def __init__(self, code: str, en: str, fa: str):
        super().__init__(en)
        self.code, self.en, self.fa = code, en, fa


class _Retry(Exception):
    """This bundle waits for the next round (the line, or headquarters is busy)."""

    def __init__(self, en: str, fa: str, after: float | None = None):
        super().__init__(en)
        self.en, self.fa, self.after = en, fa, after


class Sender:
    def __init__(
        self,
        database: Database,
        profile: HQProfile,
        credentials: Credentials,
        url: str | None = None,
        progress: Progress | None = None,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        timeout: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.database = database
        self.profile = profile
        address = url or outbox.intake_url(database, profile)
        if not address:
            raise ExchangeError(
                "no_intake",
                "no intake address: headquarters' profile names none; set one with 'office set-intake URL'",
                "نشانی سامانه دریافت ستاد تعیین نشده است؛ آن را در تنظیمات وارد کنید یا بسته را با حافظه USB بفرستید.",
            )
        context = client_context(profile.ca_cert, credentials.certificate, credentials.chain, credentials.private_key)
        self.connection = TusConnection(address, context, timeout)
        self.progress = progress or (lambda entry: None)
        self.backoff, self.max_backoff, self.timeout = backoff, max_backoff, timeout
        self.clock, self.sleep = clock, sleep
        self.office_id = office_id_of(credentials.certificate)

    # --- one bundle --------------------------------------------------------------------------

    def _receipt(self, entry: OutboxEntry) -> Receipt | None:
        answer = self.connection.request("GET", self.connection.receipt_path(entry.sha256))
        if answer.status == 404:
            return None
        if answer.status != 200:
            self._answer_error(answer)
        receipt = read_receipt(answer.body, self.profile.ca_cert, entry.sha256)
        if receipt.office_id != self.office_id:
            raise ExchangeError("bad_receipt", "the receipt names another office", "رسید ستاد به نام دستگاه دیگری است.")
        return receipt

    def _answer_error(self, answer) -> None:
        code, en, fa = answer.error()
        if answer.status in (401, 403, 413) or code in FINAL_CODES:
            raise _Refused(code or f"http_{answer.status}", en or f"headquarters refused the upload (HTTP {answer.status})", fa or "ستاد بسته را نپذیرفت.")
        after = answer.headers.get("retry-after", "")
        raise _Retry(
            f"headquarters answered HTTP {answer.status}" + (f": {en}" if en else ""),
            fa or f"ستاد اکنون پاسخ نمی‌دهد (خطای {answer.status})؛ دوباره تلاش می‌شود.",
            float(after) if after.isdigit() else None,
        )

    def _offset(self, entry: OutboxEntry) -> tuple[str, int]:
        """The upload to append to and how much of it headquarters holds (a new upload when none)."""
        if entry.upload_url:
            path = self.connection.path(entry.upload_url)
            answer = self.connection.request("HEAD", path)
            offset = answer.headers.get("upload-offset", "")
            if answer.status in (200, 204) and offset.isdigit() and int(offset) <= entry.size:
                return path, int(offset)
            if answer.status not in (404, 410):
                self._answer_error(answer)
        created = self.connection.request(
            "POST",
            self.connection.files_path,
            {"Upload-Length": str(entry.size), "Upload-Metadata": metadata({"sha256": entry.sha256, "filename": entry.file_name})},
        )
        if created.status != 201 or not created.headers.get("location"):
            self._answer_error(created)
        path = self.connection.path(created.headers["location"])
        outbox_store.update(self.database, entry.bundle_id, upload_url=path, sent_bytes=0, state=UPLOADING)
        return path, 0

    def _upload(self, entry: OutboxEntry) -> Receipt:
        receipt = self._receipt(entry)
        if receipt is not None:
            return receipt
        try:
            with outbox.bundle_path(self.database, entry).open("rb") as handle:
                path, offset = self._offset(entry)
                while offset < entry.size:
                    handle.seek(offset)
                    piece = handle.read(CHUNK)
                    answer = self.connection.request(
                        "PATCH", path, {"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}, piece
                    )
                    if answer.status == 409:  # headquarters holds another offset: ask it
                        path, offset = self._offset(outbox_store.get(self.database, entry.bundle_id) or entry)
                        continue
                    if answer.status not in (200, 204):
                        self._answer_error(answer)
                    held = answer.headers.get("upload-offset", "")
                    offset = int(held) if held.isdigit() else offset + len(piece)
                    outbox_store.update(self.database, entry.bundle_id, sent_bytes=offset, state=UPLOADING)
                    self.progress(outbox_store.get(self.database, entry.bundle_id) or entry)
        except OSError as exc:
            raise _Refused("missing_file", f"the bundle file is not readable: {exc.strerror or exc}", "فایل بسته در صف ارسال پیدا نشد؛ گزارش را دوباره به صف بفرستید.") from None
        receipt = self._receipt(entry)
        if receipt is None:
            raise _Retry("the upload is complete but headquarters has no receipt yet", "بسته کامل رسید؛ در انتظار رسید ستاد.", 1.0)
        return receipt

    def _record(self, entry: OutboxEntry, receipt: Receipt) -> OutboxEntry:
        values = {"receipt": receipt.raw, "receipt_id": receipt.receipt_id, "answered_at": utc_now(), "sent_bytes": entry.size,
                  "last_error": None, "last_error_fa": None}  # fmt: skip
        if receipt.accepted:
            outbox_store.update(self.database, entry.bundle_id, state=RECEIVED, **values)
        else:
            outbox_store.update(self.database, entry.bundle_id, state=REFUSED, reason_code=receipt.reason_code,
                                reason_en=receipt.message_en, reason_fa=receipt.message_fa, **values)  # fmt: skip
        return outbox_store.get(self.database, entry.bundle_id) or entry

    def send_one(self, entry: OutboxEntry) -> tuple[OutboxEntry, str, float | None]:
        """Try one bundle once: (its entry now, a line for the CLI, seconds to wait before the next try or None when answered)."""
        try:
            receipt = self._upload(entry)
        except _Refused as refusal:
            outbox_store.update(self.database, entry.bundle_id, state=REFUSED, reason_code=refusal.code, reason_en=refusal.en,
                                reason_fa=refusal.fa, answered_at=utc_now(), last_error=None, last_error_fa=None)  # fmt: skip
            now = outbox_store.get(self.database, entry.bundle_id) or entry
            return now, f"{entry.file_name}: refused: {refusal.en}", None
        except (_Retry, Unreachable, ExchangeError) as failure:
            if isinstance(failure, _Retry):
                en, fa = failure.en, failure.fa
            elif isinstance(failure, ExchangeError):  # a receipt that is not headquarters' word: ask again later
                en, fa = failure.message_en, failure.message_fa
            else:
                en, fa = str(failure), "اتصال به ستاد برقرار نشد؛ دوباره تلاش می‌شود."
            attempts = entry.attempts + 1
            wait = min(self.max_backoff, self.backoff * 2 ** min(attempts - 1, 16)) * random.uniform(0.5, 1.0)
            if isinstance(failure, _Retry) and failure.after:
                wait = max(wait, min(failure.after, self.max_backoff))
            due = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=wait)
            outbox_store.update(self.database, entry.bundle_id, attempts=attempts, last_error=en[:500], last_error_fa=fa[:500],
                                next_attempt_at=due.isoformat(timespec="seconds"))  # fmt: skip
            now = outbox_store.get(self.database, entry.bundle_id) or entry
            return now, f"{entry.file_name}: not yet sent ({en}); retrying", wait
        now = self._record(entry, receipt)
        self.progress(now)
        if receipt.accepted:
            return now, f"{entry.file_name}: received, receipt {receipt.receipt_id} ({receipt.status})", None
        return now, f"{entry.file_name}: refused: {receipt.message_en} (receipt {receipt.receipt_id})", None

    # --- the outbox --------------------------------------------------------------------------

    def send_all(self, max_time: float | None = None, say: Callable[[str], None] = lambda line: None) -> list[OutboxEntry]:
        """Send every queued bundle, retrying until each is answered or ``max_time`` seconds pass.
        Returns the entries that were pending at the start, as they stand at the end."""
        deadline = None if max_time is None else self.clock() + max_time
        pending = {e.bundle_id: e for e in reversed(outbox_store.entries(self.database, pending_only=True))}
        due = {bundle_id: 0.0 for bundle_id in pending}
        try:
            while due:
                now = self.clock()
                if deadline is not None and now >= deadline:
                    break
                bundle_id = min(due, key=due.get)
                if due[bundle_id] > now:
                    pause = due[bundle_id] - now
                    if deadline is not None:
                        pause = min(pause, deadline - now)
                    self.sleep(pause)
                    continue
                entry, line, wait = self.send_one(outbox_store.get(self.database, bundle_id) or pending[bundle_id])
                pending[bundle_id] = entry
                if wait is None:
                    del due[bundle_id]
                    say(line)
                else:
                    due[bundle_id] = self.clock() + wait
                    if entry.attempts == 1 or entry.attempts % 5 == 0:
                        say(line)
        except TlsRefused as exc:
            raise ExchangeError(
                "tls_refused",
                f"{exc}; nothing was sent (check the intake address, or ask headquarters for a new certificate)",
                "اتصال امن به ستاد برقرار نشد: نشانی سامانه دریافت یا گواهی این دستگاه معتبر نیست؛ با ستاد تماس بگیرید.",
            ) from None
        finally:
            self.connection.close()
        for bundle_id in due:
            say(f"{pending[bundle_id].file_name}: not sent yet: {pending[bundle_id].last_error or 'out of time'}")
        return [outbox_store.get(self.database, b) or e for b, e in pending.items()]
