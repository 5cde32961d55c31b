"""Issue 16: a provincial headquarters forwards what it accepted to the national one, which checks
the province's signature over the whole and each office's own signature over its bundle."""

from __future__ import annotations

import io
import json
import zipfile

import pyrage
import pytest

from citizen_rights_desktop.exchange import feedback as feedback_files
from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.exchange.profile import read_profile
from citizen_rights_desktop.hq import forward as hq_forward
from citizen_rights_desktop.hq import identity as hq_identity
from citizen_rights_desktop.hq import profile as hq_profile
from citizen_rights_desktop.hq import review as hq_review
from citizen_rights_desktop.hq.importer import Importer
from storage import hq_store, open_database

PASS = "national passphrase 123"


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """The national headquarters, its own keys; it trusts no province yet."""
    path = tmp_path_factory.mktemp("national") / "national.sqlite3"
    database = open_database(path, take_backups=False)
    hq = hq_identity.init_hq(database, "سازمان اداری و استخدامی کشور - ستاد ملی", PASS)
    profile = read_profile(hq_profile.export_profile(database, hq, []))
    database.close()
    return path, hq, profile


def _accepted(w, province_db) -> str:
    with w.importer(province_db) as importer:
        outcome = importer.import_bytes(w.build())
    assert outcome.status == hq_store.IMPORTED
    hq_review.decide(province_db, outcome.submission_id, feedback_files.ACCEPTED, "بازبین استان", [])
    return outcome.submission_id


def _national_db(national, tmp_path, trust_province=None):
    path, hq, _ = national
    copy = tmp_path / "n.sqlite3"
    copy.write_bytes(path.read_bytes())
    database = open_database(copy, take_backups=False)
    if trust_province is not None:
        hq_identity.add_trusted_root(database, trust_province, "استان")
    return database


def test_accepted_submissions_travel_with_both_signatures_checked(w, hq_db, national, tmp_path):
    submission_id = _accepted(w, hq_db)
    rows = hq_forward.forwardable(hq_db)
    assert [r[0] for r in rows] == [submission_id]
    data = hq_forward.build_forward(hq_db, w.hq, national[2], rows)
    database = _national_db(national, tmp_path, w.hq.ca_cert)
    with Importer(database, national[1], w.catalog) as importer:
        results = hq_forward.import_forward(importer, data)
    assert len(results) == 1 and results[0].outcome.status == hq_store.IMPORTED, getattr(results[0].outcome, "message_en", "")
    stored = hq_store.get_submission(database, results[0].outcome.submission_id)
    assert stored.office_id == w.report.office_id and stored.revision == w.report.revision
    note = json.loads(database.conn.execute("SELECT forwarded_by FROM hq_submission WHERE id=?", (stored.id,)).fetchone()[0])
    assert note["hq_id"] == w.hq.hq_id and note["accepted_by"] == "بازبین استان" and note["accepted_at"]
    report = hq_store.load_submission(database, stored.id)[0]
    assert {k: v.status for k, v in report.sections.items()} == {k: v.status for k, v in w.report.sections.items()}
    # the same file again: nothing imported twice
    with Importer(database, national[1], w.catalog) as importer:
        again = hq_forward.import_forward(importer, data)
    assert again[0].outcome.status == hq_store.IDENTICAL
    database.close()


def test_a_province_the_national_headquarters_does_not_trust_is_refused(w, hq_db, national, tmp_path):
    _accepted(w, hq_db)
    data = hq_forward.build_forward(hq_db, w.hq, national[2], hq_forward.forwardable(hq_db))
    database = _national_db(national, tmp_path)
    with Importer(database, national[1], w.catalog) as importer, pytest.raises(BundleRefused) as refused:
        hq_forward.import_forward(importer, data)
    assert refused.value.code == "forward_untrusted"
    database.close()


def _tampered(data: bytes, hq_identity_of_national, change) -> bytes:
    plain = pyrage.decrypt(data, [hq_identity_of_national.age_identity])
    source = zipfile.ZipFile(io.BytesIO(plain))
    members = {info.filename: source.read(info) for info in source.infolist()}
    change(members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return pyrage.encrypt(buffer.getvalue(), [pyrage.x25519.Recipient.from_str(hq_identity_of_national.age_recipient)])


def _swap_answers(members):
    inner = zipfile.ZipFile(io.BytesIO(members["bundles/1.zip"]))
    parts = {i.filename: inner.read(i) for i in inner.infolist()}
    parts["answers.json"] = parts["answers.json"].replace(b'"yes"', b'"no"', 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    members["bundles/1.zip"] = buffer.getvalue()


@pytest.mark.parametrize(
    "change, code",
    [
        (lambda m: m.pop("forward.json"), "bad_forward"),
        (lambda m: m.update({"forward.json": m["forward.json"].replace(b'"signature": "', b'"signature": "AAAA', 1)}), "bad_forward"),
        (_swap_answers, "bad_forward"),  # the listing's SHA-256 no longer matches
        (lambda m: m.pop("bundles/1.zip"), "bad_forward"),
    ],
    ids=["no-listing", "bad-signature", "changed-bundle", "missing-bundle"],
)
def test_a_changed_forwarding_file_is_refused(w, hq_db, national, tmp_path, change, code):
    _accepted(w, hq_db)
    data = hq_forward.build_forward(hq_db, w.hq, national[2], hq_forward.forwardable(hq_db))
    database = _national_db(national, tmp_path, w.hq.ca_cert)
    with Importer(database, national[1], w.catalog) as importer, pytest.raises(BundleRefused) as refused:
        hq_forward.import_forward(importer, _tampered(data, national[1], change))
    assert refused.value.code == code
    assert database.conn.execute("SELECT count(*) FROM hq_submission").fetchone()[0] == 0
    database.close()


def test_only_accepted_submissions_are_forwardable(w, hq_db):
    with w.importer(hq_db) as importer:
        outcome = importer.import_bytes(w.build())
    assert hq_forward.forwardable(hq_db) == []  # received, not yet accepted
    hq_review.decide(hq_db, outcome.submission_id, feedback_files.RETURNED, "بازبین", [("general", "اصلاح شود")])
    assert hq_forward.forwardable(hq_db) == []
