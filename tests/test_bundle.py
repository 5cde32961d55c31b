"""The bundle format: the standard age tool opens it, the file is written atomically, profiles and
key backups behave, and the parsers never crash on hostile input (hypothesis)."""

from __future__ import annotations

import copy
import io
import json
import shutil
import subprocess
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citizen_rights_desktop.exchange import bundle_reader, bundle_writer, certificates
from citizen_rights_desktop.exchange import cms as bundle_cms
from citizen_rights_desktop.exchange import manifest as bundle_manifest
from citizen_rights_desktop.exchange import office_enrolment as office_exchange
from citizen_rights_desktop.exchange import profile as hq_profile
from citizen_rights_desktop.exchange.errors import BundleRefused, ExchangeError
from citizen_rights_desktop.hq import identity as hq_identity
from citizen_rights_desktop.hq import profile as hq_profile_export
from citizen_rights_desktop.report import answers_document
from storage import open_database


@pytest.mark.skipif(shutil.which("age") is None, reason="the age tool (Debian package 'age') is not installed; .ci/run installs it")
def test_standard_age_tool_decrypts_a_bundle_with_the_headquarters_key(w, tmp_path):
    data = w.build()
    (tmp_path / "bundle.crb").write_bytes(data)
    identity_file = tmp_path / "hq-identity.txt"
    identity_file.write_text(hq_identity.age_identity_text(w.hq))
    out = subprocess.run(["age", "-d", "-i", str(identity_file), str(tmp_path / "bundle.crb")], capture_output=True, check=True, timeout=60)
    archive = zipfile.ZipFile(io.BytesIO(out.stdout))
    names = archive.namelist()
    assert names[:3] == ["manifest.json", "manifest.p7s", "answers.json"]
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["recipient"]["age_recipient"] == w.hq.age_recipient
    assert {m["name"] for m in manifest["members"]} == set(names) - {"manifest.json", "manifest.p7s"}
    # the manifest signature is plain CMS: openssl could check it too; here, our own verifier
    signer, _, _ = bundle_cms.cms_verify(archive.read("manifest.json"), archive.read("manifest.p7s"))
    assert signer == w.signer.certificate


def test_export_writes_atomically_reports_progress_and_records_the_export(w, tmp_path):
    seen = []
    result = bundle_writer.export_bundle(
        w.store, w.report_id, tmp_path, w.signer, office_exchange.load_profile(w.store.database), progress=lambda d, t, s: seen.append((d, t, s))
    )
    assert [p.name for p in tmp_path.iterdir()] == [result.path.name]  # no temporary file left
    assert seen and seen[-1][0] == seen[-1][1] and all(d <= t for d, t, _ in seen)
    assert any(e["bundle_id"] == result.bundle_id for e in bundle_writer.exports(w.store.database, w.report_id))
    assert w.store.load_report(w.report_id).state == "signed"  # the report itself is untouched


def test_draft_reports_and_foreign_certificates_are_not_bundled(w, tmp_path):
    from bundle_world import self_signed

    draft = w.store.create_report(w.report.office_id, w.report.form_id, w.report.form_version, "1399")
    profile = office_exchange.load_profile(w.store.database)
    with pytest.raises(ExchangeError) as info:
        bundle_writer.export_bundle(w.store, draft, tmp_path, w.signer, profile)
    assert info.value.code == "report_draft"
    with pytest.raises(ExchangeError) as info:
        bundle_writer.export_bundle(w.store, w.report_id, tmp_path, self_signed("someone-else"), profile)
    assert info.value.code == "certificate_other_office"


def test_file_name_says_office_period_and_revision():
    from citizen_rights_desktop.report.office import OfficeProfile

    office = OfficeProfile(id="0f1e2d3c4b5a", agency='اداره کل / "ثبت"  استان: فارس', level="provincial_office")
    assert bundle_writer.file_name(office, office.id, "1398", 3) == "اداره-کل-ثبت-استان-فارس_0f1e2d3c_1398_r3.crb"
    assert bundle_writer.file_name(None, "../../x", "13/98", 1) == "office_x_1398_r1.crb"


def test_profile_later_one_only_from_the_same_headquarters(w, tmp_path):
    database = open_database(tmp_path / "office.sqlite3", take_backups=False)
    assert office_exchange.import_profile(database, w.profile).changed
    assert not office_exchange.import_profile(database, w.profile).changed  # same one again
    # a profile of another headquarters (another CA key) is refused
    other_db = open_database(tmp_path / "other.sqlite3", take_backups=False)
    other = copy.copy(w.hq)
    other.ca_key = hq_identity.ec.generate_private_key(hq_identity.ec.SECP256R1())
    other.ca_cert = hq_identity._ca_certificate(other.ca_key, w.hq.hq_id, w.hq.name, hq_identity._now(None))
    other_db.conn.execute(
        "INSERT INTO hq_identity (id, hq_id, name, ca_cert_pem, age_recipient, secret_keys_encrypted, profile_sequence, created_at)"
        " VALUES (1, ?, ?, ?, ?, x'00', 0, '')",
        (other.hq_id, other.name, certificates.cert_pem(other.ca_cert), other.age_recipient),
    )
    with pytest.raises(ExchangeError) as info:
        office_exchange.import_profile(database, hq_profile_export.export_profile(other_db, other, []))
    assert info.value.code == "profile_other_hq"
    # a tampered profile is refused
    envelope = json.loads(w.profile)
    payload = json.loads(__import__("base64").b64decode(envelope["payload"]))
    payload["age_recipient"] = "age1" + "q" * 58
    envelope["payload"] = __import__("base64").b64encode(json.dumps(payload).encode()).decode()
    with pytest.raises(ExchangeError) as info:
        hq_profile.read_profile(json.dumps(envelope).encode())
    assert info.value.code == "bad_profile"
    profile = hq_profile.read_profile(w.profile)
    assert [f["id"] for f in profile.forms] == ["citizen_rights_annual"] and profile.age_recipient == w.hq.age_recipient


def test_key_backup_restores_a_headquarters_that_can_read_old_bundles(w, tmp_path):
    data = w.build()
    backup = hq_identity.key_backup(w.hq, "backup passphrase 2")
    assert backup.startswith(b"age-encryption.org/v1\n-> scrypt")  # a standard age passphrase file
    restored_db = open_database(tmp_path / "restored.sqlite3", take_backups=False)
    with pytest.raises(ExchangeError):
        hq_identity.restore_key_backup(restored_db, backup, "wrong passphrase", "new passphrase 3")
    restored = hq_identity.restore_key_backup(restored_db, backup, "backup passphrase 2", "new passphrase 3")
    assert (restored.hq_id, restored.age_recipient) == (w.hq.hq_id, w.hq.age_recipient)
    opened = bundle_reader.open_bundle(data, hq_identity.load_hq(restored_db, "new passphrase 3").age_identity)
    assert opened.manifest.report_id == w.report_id


# --- hypothesis: no parser may raise anything but its own error --------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


def _mutations(document: dict):
    """Strategies replacing one value anywhere in ``document`` by arbitrary JSON (or deleting its key)."""
    paths = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                paths.append(path + (key,))
                walk(value, path + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node[:3]):
                paths.append(path + (index,))
                walk(value, path + (index,))

    walk(document, ())

    def apply(path, value, delete):
        doc = copy.deepcopy(document)
        node = doc
        for step in path[:-1]:
            node = node[step]
        if delete and isinstance(node, dict):
            del node[path[-1]]
        else:
            node[path[-1]] = value
        return doc

    return st.builds(apply, st.sampled_from(paths), _json, st.booleans())


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@FUZZ
@given(st.binary(max_size=400))
def test_fuzz_manifest_bytes(data):
    try:
        bundle_manifest.parse_manifest(data)
    except bundle_manifest.ManifestError:
        pass


def _valid_manifest(w) -> dict:
    return json.loads(w.decrypt(w.build())["manifest.json"])


@FUZZ
@given(data=st.data())
def test_fuzz_manifest_structure(w, data):
    document = data.draw(_mutations(_valid_manifest_cached(w)))
    try:
        bundle_manifest.parse_manifest(json.dumps(document, ensure_ascii=False).encode("utf-8"))
    except bundle_manifest.ManifestError:
        pass
    try:
        bundle_manifest.parse_manifest(json.dumps(data.draw(_json)).encode())
    except bundle_manifest.ManifestError:
        pass


_CACHE: dict[str, object] = {}


def _valid_manifest_cached(w):
    if "manifest" not in _CACHE:
        _CACHE["manifest"] = _valid_manifest(w)
    return _CACHE["manifest"]


def _valid_answers_cached(w):
    if "answers" not in _CACHE:
        _CACHE["answers"] = json.loads(w.decrypt(w.build())["answers.json"])
    return _CACHE["answers"]


@FUZZ
@given(data=st.data())
def test_fuzz_answers_document(w, data):
    document = data.draw(_mutations(_valid_answers_cached(w)))
    for candidate in (document, data.draw(_json)):
        try:
            answers_document.from_document(candidate)
        except answers_document.AnswersDocumentError:
            pass


@FUZZ
@given(st.binary(max_size=600))
def test_fuzz_signature_archive_and_profile_readers(data):
    for reader, error in (
        (lambda d: bundle_cms.cms_verify(b"{}", d), BundleRefused),
        (lambda d: bundle_reader.read_archive(d), BundleRefused),
        (lambda d: hq_profile.read_profile(d), ExchangeError),
    ):
        try:
            reader(data)
        except error:
            pass


def test_fuzz_signature_with_real_prefix(w):
    members = w.decrypt(w.build())
    signature = members["manifest.p7s"]
    for cut in range(0, len(signature), 7):
        with pytest.raises(BundleRefused):
            bundle_cms.cms_verify(members["manifest.json"], signature[:cut])
    for index in range(0, len(signature), 3):
        damaged = bytearray(signature)
        damaged[index] ^= 0x5A
        try:
            bundle_cms.cms_verify(members["manifest.json"], bytes(damaged))
        except BundleRefused:
            pass  # most flips are refused; a flip in an unsigned, unused field may not matter
