"""Issue 16: the signed PDF checked on the import's hot path without parsing the PDF (its signer
is the bundle's, its signature covers the whole file, it names the bundle's report), and its full
validation recorded afterwards — the same verdicts as the full check gives, on the same PDFs."""

from __future__ import annotations

import pytest

from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.hq.pdf_fast import FAST_VALID, INVALID_PREFIX, fast_pdf_check, keywords_binding, last_signature, validate_pending
from citizen_rights_desktop.hq.signer_trust import PdfExpectation, default_pdf_check
from citizen_rights_desktop.report.fingerprint import answers_fingerprint
from citizen_rights_desktop.signing.pades import report_binding
from storage import hq_store
from tests.test_pdf_binding import revision, signed_pdf


@pytest.fixture(scope="module")
def made(w, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fast-pdf")
    report = revision(w, 3)
    return report, signed_pdf(w, report, w.signer, folder)


def expectation(w, report):
    return PdfExpectation(w.signer.certificate, report.id, report.revision, answers_fingerprint(report))


def test_the_fast_check_accepts_the_offices_own_pdf_and_reads_its_binding(w, made):
    report, pdf = made
    assert fast_pdf_check(pdf, expectation(w, report)) == (True, FAST_VALID)
    assert keywords_binding(pdf) == report_binding(pdf) == (report.id, 3, answers_fingerprint(report))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda pdf: pdf + b"\n% appended after signing\n",  # an incremental change after the signature
        lambda pdf: pdf.replace(b"/Producer", b"/Producex", 1),  # a byte changed inside the signed range
        lambda pdf: pdf.replace(b"/ByteRange", b"/ByteRangX"),  # no signature left
        lambda pdf: pdf[: len(pdf) // 2],
        lambda pdf: b"%PDF-1.7\n/ByteRange [0 10 20 30]\n" + b"x" * 40,
    ],
    ids=["appended", "changed", "unsigned", "truncated", "forged-range"],
)
def test_a_tampered_pdf_fails_the_fast_check_as_it_fails_the_full_one(w, made, tamper):
    report, pdf = made
    bad = tamper(pdf)
    ok, reason = fast_pdf_check(bad, expectation(w, report))
    assert not ok and reason
    assert not default_pdf_check([w.hq.ca_cert])(bad, expectation(w, report))[0]


def test_another_signer_or_report_is_refused_on_the_hot_path(w, made, tmp_path):
    report, pdf = made
    other = w.enrol_key("another-office-0002")
    with pytest.raises(BundleRefused) as refused:
        fast_pdf_check(signed_pdf(w, report, other, tmp_path), expectation(w, report))
    assert refused.value.code == "pdf_other_signer"
    with pytest.raises(BundleRefused) as refused:
        fast_pdf_check(pdf, PdfExpectation(w.signer.certificate, report.id, 4, answers_fingerprint(report)))
    assert refused.value.code == "pdf_other_report"


def test_import_on_the_hot_path_then_the_full_validation_is_recorded(w, hq_db, made):
    report, pdf = made
    with w.importer(hq_db, pdf_check="fast") as importer:
        outcome = importer.import_bytes(w.build(report, pdf=pdf))
    assert outcome.status == hq_store.IMPORTED and outcome.pdf_check == FAST_VALID
    assert validate_pending(hq_db, default_pdf_check([w.hq.ca_cert])) == {"valid": 1, "invalid": 0}
    assert hq_store.get_submission(hq_db, outcome.submission_id).pdf_check == "valid"
    assert validate_pending(hq_db, default_pdf_check([w.hq.ca_cert])) == {"valid": 0, "invalid": 0}  # done once


def test_a_pdf_the_full_validation_rejects_is_recorded_not_lost(w, hq_db, made):
    report, pdf = made
    with w.importer(hq_db, pdf_check="fast") as importer:
        outcome = importer.import_bytes(w.build(report, pdf=pdf))
    assert validate_pending(hq_db, lambda data, expected: (False, "the certificate path is not trusted")) == {"valid": 0, "invalid": 1}
    assert hq_store.get_submission(hq_db, outcome.submission_id).pdf_check == INVALID_PREFIX + "the certificate path is not trusted"


def test_the_signed_bytes_are_the_whole_file_but_the_signature(made):
    _, pdf = made
    content, signature = last_signature(pdf)
    assert len(content) < len(pdf) and signature[0] == 0x30 and pdf.startswith(content[:100])
