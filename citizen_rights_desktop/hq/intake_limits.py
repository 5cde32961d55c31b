"""The intake service's limits and its refusals (issue 18).

Every refusal the service answers is an ``IntakeRefusal``: an HTTP status, a stable ``code`` the
office's client keys on, an English message and a Persian one for the clerk, and, for the
refusals that pass (busy, full disk), the seconds to wait before trying again (``Retry-After``).
"""

from __future__ import annotations

from dataclasses import dataclass

from citizen_rights_desktop.exchange.manifest import Limits

MB = 1024 * 1024


@dataclass(frozen=True)
class IntakeLimits:
    max_bundle_bytes: int = Limits().max_file_bytes  # what ``hq import`` accepts
    max_uploads_per_office: int = 4  # open (unfinished) uploads of one office at a time
    expire_seconds: float = 24 * 3600  # an open upload that receives nothing for this long is removed
    quota_bytes: int | None = None  # the declared lengths of all open uploads together, at most
    min_free_bytes: int = 256 * MB  # left free on the intake folder's disk after every upload and its import
    sweep_seconds: float = 60.0  # how often expired uploads are looked for
    idle_timeout_seconds: float = 60.0  # a PATCH that receives nothing for this long ends (its bytes are kept)
    lock_wait_seconds: float = 10.0  # how long a request waits for another request on the same upload
    busy_retry_after: int = 60
    disk_retry_after: int = 900

    def __post_init__(self) -> None:
        if self.max_bundle_bytes < 1 or self.max_uploads_per_office < 1 or self.expire_seconds <= 0:
            raise ValueError("the intake limits must be positive")
        if self.quota_bytes is not None and self.quota_bytes < 1:
            raise ValueError("the intake quota must be positive")


class IntakeRefusal(Exception):
    """An answer other than success: ``status``, ``code``, English and Persian messages."""

    def __init__(self, status: int, code: str, message_en: str, message_fa: str, retry_after: int | None = None, headers: dict | None = None):
        super().__init__(message_en)
        self.status = status
        self.code = code
        self.message_en = message_en
        self.message_fa = message_fa
        self.retry_after = retry_after
        self.headers = dict(headers or {})

    def body(self) -> dict[str, str]:
        return {"error": self.code, "message_en": self.message_en, "message_fa": self.message_fa}


def no_certificate() -> IntakeRefusal:
    return IntakeRefusal(401, "no_certificate", "this service needs the office's certificate from headquarters (mutual TLS)",
                         "ارسال به ستاد فقط با گواهی صادرشده از ستاد برای این دستگاه ممکن است.")  # fmt: skip


def not_enrolled() -> IntakeRefusal:
    return IntakeRefusal(403, "not_enrolled", "this certificate was not issued by headquarters to an office it knows",
                         "این گواهی را ستاد برای دستگاهی صادر نکرده است؛ با ستاد تماس بگیرید.")  # fmt: skip


def revoked() -> IntakeRefusal:
    return IntakeRefusal(403, "revoked", "headquarters revoked this office's certificate; nothing more is accepted with it",
                         "ستاد گواهی این دستگاه را باطل کرده است؛ برای گرفتن گواهی جدید با ستاد تماس بگیرید.")  # fmt: skip


def certificate_expired() -> IntakeRefusal:
    return IntakeRefusal(403, "expired", "this office's certificate has expired",
                         "اعتبار گواهی این دستگاه تمام شده است؛ برای تمدید با ستاد تماس بگیرید.")  # fmt: skip


def too_large(length: int, limits: IntakeLimits) -> IntakeRefusal:
    return IntakeRefusal(413, "too_large", f"the bundle is {length} bytes; headquarters accepts at most {limits.max_bundle_bytes}",
                         "حجم بسته بیش از حدی است که ستاد می‌پذیرد.")  # fmt: skip


def busy(limits: IntakeLimits) -> IntakeRefusal:
    return IntakeRefusal(429, "busy", f"this office already has {limits.max_uploads_per_office} unfinished upload(s); finish or cancel one first",
                         "ارسال‌های نیمه‌تمام این دستگاه زیاد است؛ کمی بعد دوباره تلاش می‌شود.", limits.busy_retry_after)  # fmt: skip


def disk_full(limits: IntakeLimits) -> IntakeRefusal:
    return IntakeRefusal(507, "disk_full", "headquarters has no room for this bundle now; try again later",
                         "فضای ذخیره‌سازی ستاد فعلاً پر است؛ بعداً دوباره تلاش می‌شود.", limits.disk_retry_after)  # fmt: skip


def bad_request(code: str, what: str) -> IntakeRefusal:
    return IntakeRefusal(400, code, what, "درخواست ارسال نامعتبر است.")


def unsupported_version() -> IntakeRefusal:
    return IntakeRefusal(412, "unsupported_version", "this service speaks tus 1.0.0 (header Tus-Resumable: 1.0.0)",
                         "نسخه نرم‌افزار ارسال با ستاد سازگار نیست.", headers={"Tus-Version": "1.0.0"})  # fmt: skip


def wrong_content_type() -> IntakeRefusal:
    return IntakeRefusal(415, "wrong_content_type", "a PATCH must have Content-Type: application/offset+octet-stream",
                         "درخواست ارسال نامعتبر است.")  # fmt: skip


def not_found() -> IntakeRefusal:
    return IntakeRefusal(404, "not_found", "no such upload for this office", "این ارسال در ستاد پیدا نشد؛ از نو ارسال می‌شود.")


def gone() -> IntakeRefusal:
    return IntakeRefusal(410, "gone", "this upload expired or was cancelled; start a new one",
                         "مهلت این ارسال گذشته یا لغو شده است؛ از نو ارسال می‌شود.")  # fmt: skip


def offset_mismatch(current: int) -> IntakeRefusal:
    return IntakeRefusal(409, "offset_mismatch", f"headquarters holds {current} bytes of this upload; send from there",
                         "ستاد بخش دیگری از این فایل را انتظار دارد؛ ارسال از همان‌جا ادامه می‌یابد.",
                         headers={"Upload-Offset": str(current)})  # fmt: skip


def beyond_length() -> IntakeRefusal:
    return IntakeRefusal(413, "beyond_length", "more bytes than the upload's declared length; nothing of this request was kept",
                         "حجم دادهٔ ارسالی از اندازهٔ اعلام‌شده بیشتر است.")  # fmt: skip


def upload_locked() -> IntakeRefusal:
    return IntakeRefusal(423, "upload_locked", "another request is writing to this upload; try again in a moment",
                         "این فایل هم‌اکنون در حال دریافت است؛ کمی بعد دوباره تلاش می‌شود.", 2)  # fmt: skip


def checksum_mismatch() -> IntakeRefusal:
    return IntakeRefusal(460, "checksum_mismatch", "the bytes received do not have the SHA-256 the upload declared; the upload was"
                         " discarded: send the bundle again", "فایل در راه آسیب دید؛ دوباره از ابتدا ارسال می‌شود.")  # fmt: skip


def other_office() -> IntakeRefusal:
    return IntakeRefusal(409, "other_office", "this bundle was already received from another office",
                         "این بسته قبلاً از دستگاه دیگری دریافت شده است.")  # fmt: skip


def no_receipt() -> IntakeRefusal:
    return IntakeRefusal(404, "no_receipt", "headquarters has no receipt of this bundle for this office",
                         "ستاد رسیدی برای این بسته ندارد.")  # fmt: skip


def server_error() -> IntakeRefusal:
    return IntakeRefusal(500, "server_error", "headquarters could not handle this request; try again later",
                         "ستاد نتوانست این درخواست را انجام دهد؛ بعداً دوباره تلاش می‌شود.", 60)  # fmt: skip


def try_later() -> IntakeRefusal:
    return IntakeRefusal(503, "try_later", "headquarters could not store the bundle just now; its bytes are kept: send the last"
                         " request again later", "ستاد فعلاً نتوانست بسته را ثبت کند؛ بعداً دوباره تلاش می‌شود.", 60)  # fmt: skip
