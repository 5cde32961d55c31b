"""The signed PDF's check on the import's hot path (issue 16), and its full validation afterwards.

The bundle's manifest already signs the PDF's bytes, so on import only two things are left to
know about the PDF, and both can be read without parsing the PDF:

- its last signature covers the whole file (``/ByteRange`` from the first byte to the last: nothing
  was added after signing) and is a CMS signature, by **the bundle's signer**, over those bytes
  (``exchange.cms.cms_verify``, under a millisecond);
- it names the bundle's report, revision and answers (``/Keywords`` of its document information,
  ``pdf.report_pdf.binding_keywords``).

Its full validation by pyHanko (the PDF's structure, the certificate path as a PDF reader checks
it: about 8 ms) runs after the import, on the bundles just stored (``validate_pending``), and its
result replaces the recorded state: ``valid``, or ``invalid: <reason>`` for an analyst to look at
(the bundle's own signature, already checked, still stands).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from citizen_rights_desktop.exchange.cms import cms_verify
from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.exchange.manifest import refused
from citizen_rights_desktop.hq.signer_trust import VALID, PdfCheck, PdfExpectation
from citizen_rights_desktop.report.fingerprint import answers_fingerprint
from storage import hq_store
from storage.database import Database
from storage.report_store import ReportStore

FAST_VALID = "signer checked on import; full validation pending"
INVALID_PREFIX = "invalid: "
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]")
_KEYWORDS = re.compile(rb"/Keywords\s*\(([^()\\]*(?:\\.[^()\\]*)*)\)")
_OCTAL = re.compile(r"\\([0-7]{1,3})")


def _last(pattern: re.Pattern, pdf: bytes, word: bytes) -> re.Match | None:
    """The last match of ``pattern`` (which starts with ``word``), found from the end of the file
    rather than by scanning all of it."""
    position = len(pdf)
    while (position := pdf.rfind(word, 0, position)) >= 0:
        found = pattern.match(pdf, position)
        if found is not None:
            return found
    return None


def _der_length(data: bytes) -> int:
    """The length of the DER value at the start of ``data`` (its header included)."""
    if len(data) < 2 or data[0] != 0x30:
        raise ValueError("not a DER sequence")
    first = data[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    if not 1 <= count <= 4 or len(data) < 2 + count:
        raise ValueError("bad DER length")
    return 2 + count + int.from_bytes(data[2 : 2 + count], "big")


def last_signature(pdf: bytes) -> tuple[bytes, bytes]:
    """(the signed bytes, the CMS signature) of the PDF's last signature, which must cover the whole
    file; ``ValueError`` otherwise."""
    found = _last(_BYTE_RANGE, pdf, b"/ByteRange")
    if found is None:
        raise ValueError("the PDF is not signed")
    a, b, c, d = (int(x) for x in found.groups())
    if a != 0 or not 0 < b < c or c + d != len(pdf):
        raise ValueError("the signature does not cover the whole document (something was added after signing)")
    hex_part = pdf[b:c].strip()
    if not (hex_part.startswith(b"<") and hex_part.endswith(b">")):
        raise ValueError("the signature's contents are not where its byte range says")
    der = bytes.fromhex(hex_part[1:-1].decode("ascii"))
    return pdf[a:b] + pdf[c : c + d], der[: _der_length(der)]


def keywords_binding(pdf: bytes) -> tuple[str, int, str] | None:
    """The report id, revision and answers fingerprint the PDF's ``/Keywords`` name (the last ones)."""
    found = _last(_KEYWORDS, pdf, b"/Keywords")
    if found is None:
        return None
    text = _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), found.group(1).decode("latin-1")).replace("\\(", "(").replace("\\)", ")")
    words = text.split()
    if len(words) != 6 or words[0] != "citizen-rights-report" or words[2] != "revision" or words[4] != "answers-sha256" or not words[3].isdigit():
        return None
    return words[1], int(words[3]), words[5]


def fast_pdf_check(pdf: bytes, expected: PdfExpectation) -> tuple[bool, str]:
    """The hot path's check (module docstring): ``(False, reason)`` for a PDF that is not validly
    signed; a refusal (``BundleRefused``) when it is signed by someone else or for another report."""
    try:
        content, signature = last_signature(pdf)
        signer, _, _ = cms_verify(content, signature)
    except (ValueError, UnicodeDecodeError) as exc:
        return False, str(exc)
    except BundleRefused:
        return False, "the PDF's signature does not verify"
    if signer.public_bytes(serialization.Encoding.DER) != expected.signer.public_bytes(serialization.Encoding.DER):
        raise refused("pdf_other_signer", "report.pdf is signed by another certificate than the bundle; a bundle carries its own office's PDF",
                      "فایل PDF این بسته را دستگاه یا گواهی دیگری امضا کرده است، نه فرستنده بسته.")  # fmt: skip
    binding = keywords_binding(pdf)
    if binding is not None and binding != (expected.report_id, expected.revision, expected.answers_sha256):
        raise refused("pdf_other_report", "report.pdf was made for another report, revision or answers than the bundle carries",
                      "فایل PDF این بسته برای گزارش، ویرایش یا پاسخ‌های دیگری ساخته شده است.")  # fmt: skip
    return True, FAST_VALID


def validate_pending(database: Database, full_check: PdfCheck, on_item: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Run ``full_check`` (``signer_trust.default_pdf_check``) on every stored PDF whose full
    validation is pending, and record its result; returns how many were valid and invalid."""
    conn: sqlite3.Connection = database.conn
    rows = conn.execute("SELECT id, signer_cert_pem, pdf_sha256 FROM hq_submission WHERE pdf_check = ?", (FAST_VALID,)).fetchall()
    store = ReportStore(database, actor="headquarters")
    counts = {"valid": 0, "invalid": 0}
    for index, (submission_id, cert_pem, pdf_sha256) in enumerate(rows, start=1):
        report = hq_store.load_submission(database, submission_id)[0]  # with the office's own ids, as the PDF names them
        signer = x509.load_pem_x509_certificate(cert_pem.encode("ascii"))
        expected = PdfExpectation(signer, report.id, report.revision, answers_fingerprint(report))
        pdf = store.evidence_bytes(pdf_sha256)
        try:
            ok, text = full_check(pdf, expected)
        except BundleRefused as exc:
            ok, text = False, exc.message_en
        state = VALID if ok else INVALID_PREFIX + text
        counts["valid" if ok else "invalid"] += 1
        with database.transaction():
            conn.execute("UPDATE hq_submission SET pdf_check=? WHERE id=?", (state, submission_id))
        if on_item is not None:
            on_item(index, len(rows))
    return counts
