"""Headquarters import: end to end, every refusal, revisions, and 1,000 flipped bytes."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import random
import zipfile

import pyrage
import pytest
from bundle_world import db_fingerprint, foreign_ca_signer, self_signed

from citizen_rights_desktop.exchange import bundle_writer
from citizen_rights_desktop.exchange import cms as bundle_cms
from citizen_rights_desktop.exchange import manifest as bundle_manifest
from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.hq import identity as hq_identity
from citizen_rights_desktop.hq import offices as hq_offices
from citizen_rights_desktop.report import answers_document
from citizen_rights_desktop.report.model import EvidenceRef
from storage import hq_store, open_database


def refused_code(w, database, data: bytes, **kwargs) -> str:
    before = db_fingerprint(database)
    with w.importer(database, **kwargs) as importer:
        with pytest.raises(BundleRefused) as info:
            importer.import_bytes(data)
    assert db_fingerprint(database) == before, "a refused bundle changed the headquarters database"
    assert info.value.message_en and info.value.message_fa
    return info.value.code


def test_end_to_end_answers_and_evidence_arrive_exactly(w, hq_db, tmp_path):
    result = bundle_writer.export_bundle(w.store, w.report_id, tmp_path, w.signer, office_profile(w))
    assert result.path.name.endswith("_1398_r1.crb") and result.path.name.startswith("اداره-کل-ثبت")
    assert [e["revision"] for e in bundle_writer.exports(w.store.database, w.report_id)][0] == 1
    with w.importer(hq_db) as importer:
        outcome = importer.import_file(result.path)
    assert outcome.status == "imported" and outcome.changed
    report, office, content = hq_store.load_submission(hq_db, outcome.submission_id)
    office_report = w.report
    expected = answers_document.to_document(office_report, w.office, w.evidence(office_report))
    assert answers_document.to_document(report, office, content) == expected  # evidence bytes included (base64)
    assert content == w.evidence(office_report) and content
    submission = hq_store.get_submission(hq_db, outcome.submission_id)
    assert submission.pdf_check == "absent" and submission.superseded_by is None


def office_profile(w):
    from citizen_rights_desktop.exchange.office_enrolment import load_profile

    return load_profile(w.store.database)


def test_newer_revision_supersedes_and_older_or_identical_change_nothing(w, hq_db):
    r1 = w.report
    r2 = copy.deepcopy(r1)
    r2.revision = 2
    section = next(s for s in r2.sections.values() if s.status == "no")
    section.reason = "دلیل اصلاح‌شده در ویرایش دوم"
    b1, b2 = w.build(r1), w.build(r2)
    with w.importer(hq_db) as importer:
        first = importer.import_bytes(b1)
        second = importer.import_bytes(b2)
        assert (first.status, second.status) == ("imported", "superseded")
        before = db_fingerprint(hq_db)
        replay = importer.import_bytes(b1)
        assert replay.status == "older" and not replay.changed and "older than revision 2" in replay.message_en
        again = importer.import_bytes(w.build(r2))  # a re-export of revision 2: new bundle id, same answers
        assert again.status == "identical" and "nothing was changed" in again.message_en
        assert db_fingerprint(hq_db) == before
    history = hq_store.submissions(hq_db, r1.office_id)
    assert [(s.revision, s.superseded_by is None) for s in history] == [(1, False), (2, True)]
    assert hq_store.load_submission(hq_db, second.submission_id)[0].section(next(k for k, s in r2.sections.items() if s is section)).reason == section.reason


def test_same_revision_with_different_answers_is_refused(w, hq_db):
    r1 = w.report
    changed = copy.deepcopy(r1)
    next(s for s in changed.sections.values() if s.status == "no").reason = "چیز دیگری"
    with w.importer(hq_db) as importer:
        importer.import_bytes(w.build(r1))
    assert refused_code(w, hq_db, w.build(changed)) == "revision_conflict"


def test_unknown_form_version_refused(w, hq_db):
    report = copy.deepcopy(w.report)
    report.form_version = "1398.9"
    assert refused_code(w, hq_db, w.build(report)) == "unknown_form_version"


def test_answers_that_do_not_fit_the_form_refused(w, hq_db):
    report = copy.deepcopy(w.report)
    next(iter(report.sections.values())).values["no_such_question"] = "x"
    assert refused_code(w, hq_db, w.build(report)) == "answers_do_not_fit_form"


def test_wrong_recipient_refused(w, hq_db):
    other = str(pyrage.x25519.Identity.generate().to_public())
    assert refused_code(w, hq_db, w.build(recipient=other)) == "wrong_recipient"
    # encrypted to us but addressed (in the signed manifest) to another headquarters
    assert refused_code(w, hq_db, w.build(hq_id="hq-elsewhere")) == "wrong_recipient"


@pytest.mark.parametrize("validation", ["cryptography", "pyhanko-certvalidator"])
def test_unknown_certificate_refused_by_either_path_validator(w, hq_db, tmp_path, validation):
    signer = foreign_ca_signer(w.report.office_id, tmp_path)
    assert refused_code(w, hq_db, w.build(signer=signer), path_validation=validation) == "certificate_untrusted"
    with w.importer(hq_db, path_validation=validation) as importer:
        assert importer.import_bytes(w.build()).status == "imported"


def test_unknown_self_signed_revoked_expired_and_other_office_certificates_refused(w, hq_db, tmp_path):
    office_id = w.report.office_id
    assert refused_code(w, hq_db, w.build(signer=foreign_ca_signer(office_id, tmp_path))) == "certificate_untrusted"
    assert refused_code(w, hq_db, w.build(signer=self_signed(office_id))) == "certificate_self_signed"
    past = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=400)
    expired = w.enrol_key(office_id, not_before=past, valid_days=30)
    assert refused_code(w, hq_db, w.build(signer=expired)) == "certificate_expired"
    other_office = w.enrol_key("another-office-0001")
    assert refused_code(w, hq_db, w.build(signer=other_office)) == "certificate_other_office"
    # the office computer is stolen: headquarters revokes the office; its bundles are refused
    revoked_db = w.hq_copy(tmp_path)
    assert hq_offices.revoke_office(revoked_db, office_id, "stolen") >= 1
    assert refused_code(w, revoked_db, w.build()) == "certificate_revoked"
    revoked_db.close()


def test_zip_slip_names_refused(w, hq_db):
    members = w.decrypt(w.build())
    for evil in ("../../etc/passwd", "/etc/passwd", "evidence/../../x", "C:\\Windows\\x", "evidence/" + "a" * 64 + "/../x"):
        crafted = [(n, d, zipfile.ZIP_STORED) for n, d in members.items()] + [(evil, b"owned", zipfile.ZIP_STORED)]
        assert refused_code(w, hq_db, w.repack(crafted)) == "bad_member_name"


def test_zip_bomb_refused(w, hq_db):
    members = w.decrypt(w.build())
    bomb = b"\0" * (40 * 1024 * 1024)
    crafted = [(n, d, zipfile.ZIP_STORED) for n, d in members.items()]
    crafted.append(("evidence/" + hashlib.sha256(bomb).hexdigest(), bomb, zipfile.ZIP_DEFLATED))
    assert refused_code(w, hq_db, w.repack(crafted)) == "compression_ratio"


def test_oversize_member_and_too_many_members_refused(w, hq_db):
    data = w.build()
    assert refused_code(w, hq_db, data, limits=bundle_manifest.Limits(max_member_bytes=1000)) == "member_too_large"
    assert refused_code(w, hq_db, data, limits=bundle_manifest.Limits(max_members=3)) == "too_many_members"
    assert refused_code(w, hq_db, data, limits=bundle_manifest.Limits(max_total_bytes=5000)) == "bundle_too_large"
    assert refused_code(w, hq_db, data, limits=bundle_manifest.Limits(max_file_bytes=100)) == "too_large"


def test_missing_extra_and_changed_members_refused(w, hq_db):
    members = w.decrypt(w.build())
    evidence = sorted(n for n in members if n.startswith("evidence/"))
    keep = [(n, d, zipfile.ZIP_STORED) for n, d in members.items() if n != evidence[0]]
    assert refused_code(w, hq_db, w.repack(keep)) == "missing_member"
    extra = b"not in the manifest"
    crafted = [(n, d, zipfile.ZIP_STORED) for n, d in members.items()] + [("evidence/" + hashlib.sha256(extra).hexdigest(), extra, 0)]
    assert refused_code(w, hq_db, w.repack(crafted)) == "extra_member"
    changed = [(n, (d + b" " if n == "answers.json" else d), 0) for n, d in members.items()]
    assert refused_code(w, hq_db, w.repack(changed)) == "member_size"
    swapped = [(n, (d[:-2] + b"X\n" if n == "answers.json" else d), 0) for n, d in members.items()]
    assert refused_code(w, hq_db, w.repack(swapped)) == "member_hash"
    no_signature = [(n, d, 0) for n, d in members.items() if n != "manifest.p7s"]
    assert refused_code(w, hq_db, w.repack(no_signature)) == "missing_member"
    twice = [(n, d, 0) for n, d in members.items()] + [("answers.json", members["answers.json"], 0)]
    with pytest.warns(UserWarning):  # zipfile warns about the duplicate name while writing it
        crafted_twice = w.repack(twice)
    assert refused_code(w, hq_db, crafted_twice) == "duplicate_member"


def test_manifest_changed_after_signing_refused(w, hq_db):
    members = w.decrypt(w.build())
    members["manifest.json"] = members["manifest.json"].replace(b'"revision": 1', b'"revision": 7')
    assert refused_code(w, hq_db, w.repack([(n, d, 0) for n, d in members.items()])) == "signature_invalid"


def test_evidence_cited_but_not_sent_refused(w, hq_db):
    report = copy.deepcopy(w.report)
    ghost = b"ghost evidence"
    next(iter(report.sections.values())).evidence.append(
        EvidenceRef("ghost", hashlib.sha256(ghost).hexdigest(), "ghost.txt", len(ghost), "text/plain", "2020-01-01")
    )
    evidence = w.evidence()
    data, manifest = bundle_writer.build_bundle(report, w.office, {**evidence, hashlib.sha256(ghost).hexdigest(): ghost}, w.signer, w.hq.hq_id, w.hq.age_recipient)
    members = w.decrypt(data)
    # drop the member and its manifest line: the manifest is then re-signed by the office key (an honest office bug)
    manifest_json = bundle_manifest.Manifest(**{**manifest.__dict__, "members": tuple(m for m in manifest.members if m.sha256 != hashlib.sha256(ghost).hexdigest())})
    members.pop("evidence/" + hashlib.sha256(ghost).hexdigest())
    members["manifest.json"] = manifest_json.dumps()
    members["manifest.p7s"] = bundle_cms.cms_sign(members["manifest.json"], w.signer)
    assert refused_code(w, hq_db, w.repack([(n, d, 0) for n, d in members.items()])) == "evidence_missing"


def test_a_thousand_flipped_bytes_are_all_refused_and_change_nothing(w, hq_db):
    rng = random.Random(5)
    bundles = [w.build() for _ in range(4)]
    before = db_fingerprint(hq_db)
    codes: dict[str, int] = {}
    with w.importer(hq_db) as importer:
        for index in range(1000):
            data = bytearray(bundles[index % len(bundles)])
            position = rng.randrange(len(data))
            data[position] ^= rng.randrange(1, 256)
            with pytest.raises(BundleRefused) as info:
                importer.import_bytes(bytes(data))
            codes[info.value.code] = codes.get(info.value.code, 0) + 1
    assert db_fingerprint(hq_db) == before
    assert set(codes) <= {"decrypt_failed", "wrong_recipient"}, codes
    with w.importer(hq_db) as importer:  # the untouched bundles still import
        assert importer.import_bytes(bundles[0]).status == "imported"


def test_folder_import_reports_each_file_and_goes_on(w, hq_db, tmp_path):
    from citizen_rights_desktop.hq.importer import import_paths

    folder = tmp_path / "usb"
    folder.mkdir()
    (folder / "a-good.crb").write_bytes(w.build())
    (folder / "b-broken.crb").write_bytes(b"age-encryption.org/v1\nnonsense")
    (folder / "c-notes.txt").write_text("ignored")
    with w.importer(hq_db) as importer:
        results = list(import_paths(importer, [folder]))
    assert [p.name for p, _ in results] == ["a-good.crb", "b-broken.crb"]
    assert results[0][1].status == "imported" and isinstance(results[1][1], BundleRefused)


def test_pdf_signature_checked_when_a_checker_is_available(w, hq_db):
    pdf = b"%PDF-1.7\n% stand-in for the signed report\n%%EOF\n"
    calls = []

    def checker(data, expected):
        calls.append((data, expected))
        return (True, "valid") if data == pdf else (False, "tampered")

    with w.importer(hq_db, pdf_check=checker) as importer:
        outcome = importer.import_bytes(w.build(pdf=pdf))
    assert outcome.pdf_check == "valid" and calls[0][1].signer == w.signer.certificate
    assert (calls[0][1].report_id, calls[0][1].revision) == (w.report.id, w.report.revision)
    report = copy.deepcopy(w.report)
    report.revision = 3
    assert refused_code(w, hq_db, w.build(report, pdf=b"%PDF-bad"), pdf_check=lambda d, e: (False, "the signature does not cover the document")) == "pdf_signature_invalid"


def test_headquarters_database_reopens_at_the_same_schema(w, tmp_path):
    database = open_database(w.hq_path, take_backups=False)
    try:
        assert hq_identity.hq_public(database).hq_id == w.hq.hq_id
    finally:
        database.close()
