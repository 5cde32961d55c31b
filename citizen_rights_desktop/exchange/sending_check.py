"""Before the office makes a bundle: would headquarters accept it? (issue 12, item 11)

A bundle signed with the office's self-signed identity (made before headquarters' certificate
was imported), with an expired certificate, or carrying a PDF signed before the certificate
arrived is refused at headquarters. The office learns that only days later, if ever, while its
list says the report was sent. So the same tests headquarters makes on the signer run here first,
and the office is told why and what to do. The one case the office can mend by itself (the
report was signed before the certificate came) is told apart, ``resign_needed``, so the interface
can offer to sign a new revision in one step.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from citizen_rights_desktop.exchange.certificates import is_self_signed, issued_by
from citizen_rights_desktop.exchange.cms import OfficeSigner
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.exchange.profile import HQProfile

RESIGN_NEEDED = "resign_needed"


def check_signer(signer: OfficeSigner, profile: HQProfile, now: dt.datetime | None = None) -> None:
    """Refuse (``ExchangeError``) a signer headquarters would refuse: self-signed, outside its
    validity, or not issued by the headquarters whose profile the office imported."""
    now = now or dt.datetime.now(dt.timezone.utc)
    certificate = signer.certificate
    if is_self_signed(certificate):
        raise ExchangeError(
            "not_enrolled",
            "the office's certificate is still self-signed: headquarters refuses such bundles; send a certificate request"
            " ('office request') and import the certificate headquarters issues ('office import-certificate') first",
            "گواهی امضای دستگاه هنوز خودامضاست و ستاد چنین بسته‌ای را نمی‌پذیرد؛ ابتدا درخواست گواهی بفرستید و گواهی صادرشده از ستاد را وارد کنید.",
        )
    if certificate.not_valid_after_utc < now:
        day = certificate.not_valid_after_utc.date().isoformat()
        raise ExchangeError(
            "certificate_expired",
            f"the office's certificate expired on {day}: headquarters refuses bundles signed with it; request a new certificate first",
            "گواهی امضای دستگاه منقضی شده و ستاد بسته امضاشده با آن را نمی‌پذیرد؛ ابتدا گواهی جدید درخواست کنید.",
        )
    if certificate.not_valid_before_utc > now:
        raise ExchangeError(
            "certificate_not_yet_valid",
            "the office's certificate is not valid yet: check this computer's date and time",
            "گواهی امضای دستگاه هنوز معتبر نشده است؛ تاریخ و ساعت رایانه را بررسی کنید.",
        )
    if not issued_by(certificate, profile.ca_cert) and not any(issued_by(certificate, c) for c in signer.chain):
        raise ExchangeError(
            "certificate_other_headquarters",
            f"the office's certificate was not issued by {profile.name}, whose profile this office uses; enrol with it again",
            "گواهی امضای دستگاه را ستادی که مشخصاتش وارد شده صادر نکرده است؛ دوباره درخواست گواهی بفرستید.",
        )


def check_report_pdf(pdf: bytes, signer: OfficeSigner, profile: HQProfile) -> None:
    """Refuse with ``resign_needed`` a report PDF headquarters would refuse: signed with another
    certificate than the one the bundle is signed with (e.g. the self-signed one, before the
    certificate came), or not valid under headquarters' CA."""
    from citizen_rights_desktop.signing.pades import validate_pdf_signature

    trusted = [profile.ca_cert, *profile.trusted_roots]
    with tempfile.TemporaryDirectory(prefix="crd-send-") as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        check = validate_pdf_signature(path, trusted)
    same_signer = check.signer_der == signer.certificate.public_bytes(serialization.Encoding.DER)
    if not check.ok or not same_signer:
        why = check.reason_en if not check.ok else "it was signed with another certificate (before headquarters' certificate was imported)"
        raise ExchangeError(
            RESIGN_NEEDED,
            f"headquarters would refuse this report's signed PDF: {why}; make a new revision and sign it with the certificate"
            " headquarters issued (the window does both in one step), then send that revision",
            "ستاد فایل PDF امضاشده این گزارش را نمی‌پذیرد، زیرا پیش از ورود گواهی ستاد یا با گواهی دیگری امضا شده است؛"
            " ویرایش جدیدی بسازید و آن را با گواهی صادرشده از ستاد امضا کنید.",
        )
