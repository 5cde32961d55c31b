"""The signed PDF in a bundle is the one its office made for that report and revision (issue 12, item 4).

Before: office A's bundle carrying office B's signed PDF, or the PDF of another revision, was
accepted as valid; only the PDF's own signature was checked.
"""

import copy

import pytest

from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.pdf.report_pdf import render_report_pdf
from citizen_rights_desktop.report.fingerprint import answers_fingerprint
from citizen_rights_desktop.signing.identity import OfficeIdentity
from citizen_rights_desktop.signing.pades import report_binding, sign_pdf
from storage import hq_store


def signed_pdf(w, report, signer, folder) -> bytes:
    rendered = render_report_pdf(w.catalog.get(report.form_id, report.form_version), report, w.office, None, folder / "r.pdf")
    identity = OfficeIdentity(signer.private_key, signer.certificate, signer.chain)
    sign_pdf(rendered.path, folder / "s.pdf", identity, page=rendered.signature_page, box=rendered.signature_box)
    return (folder / "s.pdf").read_bytes()


def revision(w, number: int):
    report = copy.deepcopy(w.report)
    report.revision = number
    next(s for s in report.sections.values() if s.status == "no").reason = f"دلیل ویرایش {number}"
    return report


def refusal(w, hq_db, data: bytes) -> BundleRefused:
    with w.importer(hq_db) as importer:
        with pytest.raises(BundleRefused) as info:
            importer.import_bytes(data)
    return info.value


def test_the_pdf_names_its_report_revision_and_answers(w, tmp_path):
    report = revision(w, 2)
    binding = report_binding(signed_pdf(w, report, w.signer, tmp_path))
    assert binding == (report.id, 2, answers_fingerprint(report))


def test_the_right_pdf_is_accepted(w, hq_db, tmp_path):
    report = revision(w, 2)
    with w.importer(hq_db) as importer:
        outcome = importer.import_bytes(w.build(report, pdf=signed_pdf(w, report, w.signer, tmp_path)))
    assert outcome.status == hq_store.IMPORTED and outcome.pdf_check == "valid"


def test_another_offices_pdf_is_refused(w, hq_db, tmp_path):
    other = w.enrol_key("another-office-0001")
    report = revision(w, 2)
    refused = refusal(w, hq_db, w.build(report, pdf=signed_pdf(w, report, other, tmp_path)))
    assert refused.code == "pdf_other_signer" and "another" in refused.message_en.lower()


def test_the_pdf_of_another_revision_is_refused(w, hq_db, tmp_path):
    pdf_of_r1 = signed_pdf(w, revision(w, 1), w.signer, tmp_path)
    refused = refusal(w, hq_db, w.build(revision(w, 2), pdf=pdf_of_r1))
    assert refused.code == "pdf_other_report" and "revision 1" in refused.message_en


def test_the_pdf_of_other_answers_is_refused(w, hq_db, tmp_path):
    report = revision(w, 2)
    pdf = signed_pdf(w, report, w.signer, tmp_path)
    changed = copy.deepcopy(report)
    next(s for s in changed.sections.values() if s.status == "no").reason = "پاسخی که در PDF امضاشده نیست"
    refused = refusal(w, hq_db, w.build(changed, pdf=pdf))
    assert refused.code == "pdf_other_report" and "answers" in refused.message_en
