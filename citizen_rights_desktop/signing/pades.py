"""PAdES signing of the report PDF (pyHanko) with a visible signature box drawn by reportlab, and
validation that returns a result, never raises, whatever the file holds.

pyHanko's own text stamp cannot shape Persian, so the appearance is a one-page PDF typeset with
``pdf.typeset`` and used as a static stamp.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from citizen_rights_desktop.pdf import fonts
from citizen_rights_desktop.pdf.report_pdf import BINDING_PREFIX
from citizen_rights_desktop.pdf.typeset import draw_line, text_width
from citizen_rights_desktop.persian.jalali import to_jalali_text
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.signing.identity import IdentityError, OfficeIdentity

# pyHanko logs each failed check with a traceback; the result value says it all, so keep the
# command line quiet unless the application configures logging itself.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

FIELD_NAME = "OfficeSignature"
DEFAULT_BOX = (248.0, 70.0, 438.0, 128.0)  # beside the signature block of the last page


class SigningError(Exception):
    def __init__(self, message_en: str, message_fa: str):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_fa = message_fa


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _appearance(identity: OfficeIdentity, width: float, height: float, when: dt.datetime) -> bytes:
    """The visible signature, in Persian, as a one-page PDF of the box's size."""
    fonts.register_fonts()
    buffer = io.BytesIO()
    canv = Canvas(buffer, pagesize=(width, height), initialFontName=fonts.REGULAR)
    canv.setStrokeColor(colors.HexColor("#1f3b63"))
    canv.setFillColor(colors.HexColor("#f3f6fa"))
    canv.roundRect(1, 1, width - 2, height - 2, 5, stroke=1, fill=1)
    canv.setFillColor(colors.HexColor("#1b2330"))
    local = when.astimezone()
    stamp = f"{to_jalali_text(local.date())} ساعت {to_persian_digits(local.strftime('%H:%M'))}"
    issuer = "گواهی خودامضا (تا صدور گواهی ستاد)" if identity.is_self_signed else f"صادرکننده: {identity.issuer_organization}"
    lines = [
        ("امضای دیجیتال", fonts.BOLD, 8.5),
        (identity.holder_name, fonts.MEDIUM, 8),
        (stamp, fonts.REGULAR, 7.5),
        (issuer, fonts.REGULAR, 7),
    ]
    y = height - 13
    for text, font, size in lines:
        while size > 5 and text_width(text, font, size) > width - 12:  # a long name gets smaller, never outside the box
            size -= 0.25
        draw_line(canv, text, 6, y, width - 12, font, size, "center")
        y -= (height - 10) / len(lines)
    canv.showPage()
    canv.save()
    return buffer.getvalue()


def sign_pdf(
    in_path: str | os.PathLike,
    out_path: str | os.PathLike,
    identity: OfficeIdentity,
    *,
    page: int | None = None,
    box: tuple[float, float, float, float] | None = None,
    reason: str = "تأیید گزارش حقوق شهروندی",
    location: str = "",
    now: dt.datetime | None = None,
) -> Path:
    """Sign ``in_path`` (PAdES B-B, SHA-256) into ``out_path`` with a visible signature.

    ``page`` is 1-based (default: the last page), ``box`` ``(x1, y1, x2, y2)`` in points (as returned
    by ``render_report_pdf``). Raises ``SigningError``; nothing is left at ``out_path`` on error.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import StaticStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    problem = identity.validity_problem(now)
    if problem is not None:
        raise SigningError(problem.message_en, problem.message_fa)
    in_path, out_path = Path(in_path), Path(out_path)
    box = box or DEFAULT_BOX
    width, height = box[2] - box[0], box[3] - box[1]
    when = now or dt.datetime.now(dt.timezone.utc)
    key_der = identity.private_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    signer = signers.SimpleSigner(
        signing_cert=_asn1_certificate(identity.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_certificate(c) for c in identity.chain]),
    )
    del key_der
    try:
        source = in_path.read_bytes()
    except OSError as exc:
        raise SigningError(f"cannot read {in_path}: {exc.strerror or exc}", f"فایل «{in_path}» خواندنی نیست.") from None
    handle, temp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".partial", dir=out_path.parent if out_path.parent.exists() else None)
    os.close(handle)
    temp = Path(temp_name)
    stamp_file = temp.with_suffix(".stamp.pdf")
    try:
        stamp_file.write_bytes(_appearance(identity, width, height, when))
        reader_pages = PdfFileReader(io.BytesIO(source), strict=False).root["/Pages"]["/Count"]
        page_index = (page - 1) if page else reader_pages - 1
        if not 0 <= page_index < reader_pages:
            raise SigningError(f"the PDF has no page {page}", "صفحه امضا در فایل وجود ندارد.")
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason, location=location or None, name=identity.holder_name,
        )  # fmt: skip
        pdf_signer = signers.PdfSigner(
            meta,
            signer,
            stamp_style=StaticStampStyle.from_pdf_file(str(stamp_file), border_width=0),
            new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=page_index, box=tuple(int(round(v)) for v in box)),
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(source), strict=False)
        with open(temp, "wb") as out:
            pdf_signer.sign_pdf(writer, output=out)
        os.chmod(temp, 0o644)  # mkstemp made it private; a report PDF is an ordinary document
        os.replace(temp, out_path)
    except SigningError:
        raise
    except OSError as exc:
        raise SigningError(f"cannot write {out_path}: {exc.strerror or exc}", f"نوشتن فایل امضاشده «{out_path}» ممکن نشد.") from None
    except Exception as exc:
        raise SigningError(f"the PDF could not be signed: {exc}", "امضای فایل PDF ممکن نشد.") from exc
    finally:
        temp.unlink(missing_ok=True)
        stamp_file.unlink(missing_ok=True)
    return out_path


@dataclass(frozen=True)
class SignatureCheck:
    """The outcome of checking a signed PDF. ``ok`` only when intact, valid, trusted and covering
    the whole file; ``reason_en`` / ``reason_fa`` say what is wrong (or that all is well)."""

    signed: bool
    intact: bool
    valid: bool
    trusted: bool
    whole_file: bool
    signer: str
    signed_at: dt.datetime | None
    reason_en: str
    reason_fa: str
    signer_der: bytes = b""  # the signing certificate, to compare with who else signed (a bundle's manifest)

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted and self.whole_file


def _failed(en: str, fa: str, signed: bool = True) -> SignatureCheck:
    return SignatureCheck(signed, False, False, False, False, "", None, en, fa)


def validate_pdf_signature(path: str | os.PathLike, trusted: Iterable[x509.Certificate] = ()) -> SignatureCheck:
    """Check the last signature of ``path`` against the ``trusted`` certificates (the issuing CA,
    or the office's own certificate while it is self-signed). Never raises."""
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature as pyhanko_validate
        from pyhanko_certvalidator import ValidationContext
    except ImportError as exc:  # pragma: no cover - a broken installation
        return _failed(f"signature checking is not installed: {exc}", "امکان بررسی امضا نصب نشده است.", signed=False)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return _failed(f"cannot read {path}: {exc.strerror or exc}", "فایل خواندنی نیست.", signed=False)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return _failed("the file is damaged: it is not a readable PDF", "فایل آسیب دیده است و PDF خواندنی نیست.", signed=False)
    if not signatures:
        return _failed("the PDF is not signed", "این فایل امضای دیجیتال ندارد.", signed=False)
    signature = signatures[-1]
    try:
        context = ValidationContext(trust_roots=[_asn1_certificate(c) for c in trusted], allow_fetching=False)
        status = pyhanko_validate(signature, context)
    except Exception as exc:  # pyHanko raises on some damaged signatures instead of reporting them
        return _failed(f"the signature could not be checked (the file is damaged): {type(exc).__name__}", "امضای فایل قابل بررسی نیست؛ فایل آسیب دیده است.")
    from pyhanko.sign.validation import SignatureCoverageLevel

    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    signer, signer_der = "", b""
    try:
        signer_der = status.signing_cert.dump()
        signer = status.signing_cert.subject.human_friendly
    except Exception:
        pass
    if not status.intact:
        en, fa = "the file was changed after it was signed", "فایل پس از امضا تغییر کرده است."
    elif not status.valid:
        en, fa = "the signature does not match the signer's certificate", "امضا با گواهی امضاکننده مطابقت ندارد."
    elif not status.trusted:
        en, fa = "the signer's certificate is not trusted (not issued by a trusted authority)", "گواهی امضاکننده معتبر شناخته نشد (صادرکننده مورد اعتماد نیست)."
    elif not whole:
        en, fa = "the signature does not cover the whole file (content was added after signing)", "امضا کل فایل را پوشش نمی‌دهد؛ پس از امضا محتوایی افزوده شده است."
    else:
        en, fa = "the signature is valid and trusted; the file is unchanged since signing", "امضا معتبر است و فایل پس از امضا تغییری نکرده است."
    return SignatureCheck(True, bool(status.intact), bool(status.valid), bool(status.trusted), whole, signer, status.signer_reported_dt, en, fa, signer_der)


def report_binding(data: bytes) -> tuple[str, int, str] | None:
    """The report id, revision and answers fingerprint a report PDF names in its document
    information (``pdf.report_pdf.binding_keywords``), or ``None`` when it names none (a PDF made
    before reports were bound to their PDF, or not a report PDF). Never raises."""
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        info = PdfFileReader(io.BytesIO(data), strict=False).trailer_view.get("/Info")
        info = info.get_object() if info is not None else None
        keywords = str(info.get("/Keywords", "")) if info is not None else ""
    except Exception:
        return None
    words = keywords.split()
    if len(words) != 6 or words[0] != BINDING_PREFIX or words[2] != "revision" or words[4] != "answers-sha256" or not words[3].isdigit():
        return None
    return words[1], int(words[3]), words[5]


__all__ = ["IdentityError", "SignatureCheck", "SigningError", "report_binding", "sign_pdf", "validate_pdf_signature"]
