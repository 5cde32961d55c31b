"""Headquarters' intake service (issue 18): the real service on localhost over TLS, spoken to by a
raw tus client written in the test (``tests/intake_helpers.py``) and by tuspy, an independent
maintained tus client."""

from __future__ import annotations

import datetime as dt
import email.utils
import errno
import hashlib
import socket
import ssl
import time
import urllib.parse

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from citizen_rights_desktop.exchange import certificates
from citizen_rights_desktop.exchange.receipt import read_receipt
from citizen_rights_desktop.hq import intake_files
from citizen_rights_desktop.hq import offices as hq_offices
from citizen_rights_desktop.hq.intake_limits import IntakeLimits
from storage import open_database
from tests.intake_helpers import enrol_office, metadata, start_intake


@pytest.fixture
def intake(w, tmp_path):
    service = start_intake(w, tmp_path)
    yield service
    service.server.stop()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _wait_for(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _slowly(pieces):
    """The pieces of a chunked body, one at a time (each arrives at the service on its own)."""
    for piece in pieces:
        yield piece
        time.sleep(0.15)


def test_options_says_what_the_service_speaks(intake):
    answer = intake.client(None).request("OPTIONS", "/files/", tus=False)
    assert answer.status == 204
    assert answer.headers["tus-resumable"] == "1.0.0"
    assert answer.headers["tus-version"] == "1.0.0"
    assert set(answer.headers["tus-extension"].split(",")) == {"creation", "termination", "expiration"}
    assert int(answer.headers["tus-max-size"]) == IntakeLimits().max_bundle_bytes


def test_an_upload_in_pieces_gets_a_signed_receipt_and_the_same_bundle_again_the_same_receipt(w, intake):
    client = intake.client()
    data = w.build()
    sha = _sha(data)
    created = client.create(data)
    assert created.status == 201, created.body
    location = created.headers["location"]
    assert location.startswith("/files/") and len(location) == len("/files/") + 32
    expires = email.utils.parsedate_to_datetime(created.headers["upload-expires"])
    assert dt.timedelta(hours=23) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=24)
    head = client.head(location)
    assert (head.status, head.headers["upload-offset"], head.headers["upload-length"]) == (200, "0", str(len(data)))
    assert head.headers["cache-control"] == "no-store"
    third = len(data) // 3
    for offset in (0, third):
        answer = client.patch(location, offset, data[offset : offset + third])
        assert (answer.status, answer.headers["upload-offset"]) == (204, str(offset + third))
        assert "upload-receipt" not in answer.headers
    assert client.head(location).headers["upload-offset"] == str(2 * third)
    last = client.patch(location, 2 * third, data[2 * third :])
    assert last.status == 204 and last.headers["upload-offset"] == str(len(data))
    assert last.headers["upload-receipt"] == f"/receipts/{sha}"
    fetched = client.receipt(sha)
    assert fetched.status == 200 and fetched.headers["content-type"].startswith("application/json")
    receipt = read_receipt(fetched.body, w.hq.ca_cert, sha)
    assert receipt.accepted and receipt.status == "imported" and receipt.size == len(data)
    assert receipt.office_id == w.report.office_id and receipt.report_id == w.report.id and receipt.revision == w.report.revision
    assert receipt.received_at.endswith("Z") and receipt.submission_id
    assert intake.part_files() == []
    assert intake.rows("SELECT state FROM intake_upload") == [("complete",)]
    done = client.head(location)
    assert done.status == 200 and done.headers["upload-offset"] == str(len(data)) and done.headers["upload-receipt"] == f"/receipts/{sha}"

    again = client.upload(data, pieces=1)
    assert again.headers["upload-receipt"] == f"/receipts/{sha}"
    assert client.receipt(sha).body == fetched.body  # byte for byte
    assert intake.rows("SELECT COUNT(*) FROM hq_submission") == [(1,)]
    assert intake.rows("SELECT COUNT(*) FROM intake_receipt") == [(1,)]


def test_a_wrong_offset_is_a_conflict_and_stores_nothing(w, intake):
    client = intake.client()
    data = w.build()
    location = client.create(data).headers["location"]
    assert client.patch(location, 0, data[:100]).status == 204
    answer = client.patch(location, 50, data[50:200])
    assert answer.status == 409 and answer.code == "offset_mismatch" and answer.headers["upload-offset"] == "100"
    assert answer.headers["tus-resumable"] == "1.0.0" and answer.json()["message_fa"]
    assert client.head(location).headers["upload-offset"] == "100"
    beyond = client.patch(location, 100, data[100:] + b"extra")
    assert beyond.status == 413 and beyond.code == "beyond_length"
    chunked = client.request("PATCH", location, {"Upload-Offset": "100", "Content-Type": "application/offset+octet-stream"},
                             _slowly([data[100:5000], data[5000:], b"extra"]))  # no Content-Length: found out while reading
    assert chunked.status == 413 and chunked.code == "beyond_length"
    assert client.head(location).headers["upload-offset"] == "100"
    assert intake.part_files()[0].read_bytes() == data[:100]


def test_a_revoked_office_is_refused_before_any_byte_is_stored(w, intake):
    database = open_database(intake.db_path, take_backups=False)
    hq_offices.revoke_office(database, w.report.office_id)
    database.close()
    answer = intake.client().create(w.build())
    assert answer.status == 403 and answer.code == "revoked"
    assert "ستاد" in answer.json()["message_fa"]
    assert intake.rows("SELECT COUNT(*) FROM intake_upload") == [(0,)]
    assert list(intake.folder.iterdir()) == []
    assert intake.client().receipt("0" * 64).code == "revoked"


def test_without_a_client_certificate_only_health_answers(w, intake):
    anonymous = intake.client(None)
    answer = anonymous.create(w.build())
    assert answer.status == 401 and answer.code == "no_certificate"
    health = anonymous.request("GET", "/health", tus=False)
    assert health.status == 200
    figures = health.json()
    assert figures["status"] == "ok" and figures["hq_id"] == w.hq.hq_id and figures["uploads_in_flight"] == 0 and figures["free_bytes"] > 0


def test_a_certificate_from_another_ca_fails_the_handshake_and_an_unregistered_one_is_refused(w, intake, tmp_path):
    from bundle_world import foreign_ca_signer

    from tests.intake_helpers import office_files

    foreign = foreign_ca_signer(w.report.office_id, tmp_path)
    stranger = office_files(tmp_path / "tls", "foreign", foreign.certificate, foreign.private_key)
    with pytest.raises((ssl.SSLError, ConnectionError)):
        intake.client(stranger).create(w.build())
    database = open_database(intake.db_path, take_backups=False)
    key = ec.generate_private_key(ec.SECP256R1())
    expired = hq_offices.issue_office_certificate(database, w.hq, certificates.office_request(key, "late-office", "x"), valid_days=1,
                                                  not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=2))  # fmt: skip
    with pytest.raises((ssl.SSLError, ConnectionError)):
        intake.client(office_files(tmp_path / "tls", "late", expired, key)).create(w.build())
    other = enrol_office(database, w.hq, tmp_path / "tls", "unregistered-office")
    database.conn.execute("DELETE FROM hq_office_certificate WHERE office_id='unregistered-office'")
    database.close()
    answer = intake.client(other).create(w.build())
    assert answer.status == 403 and answer.code == "not_enrolled"


def test_size_limit_and_uploads_in_flight(w, tmp_path):
    service = start_intake(w, tmp_path, IntakeLimits(max_bundle_bytes=50_000, max_uploads_per_office=2, min_free_bytes=0))
    try:
        client = service.client()
        data = w.build()
        too_large = client.create(data, length=50_001)
        assert too_large.status == 413 and too_large.code == "too_large"
        first, second = client.create(data), client.create(data)
        assert first.status == second.status == 201
        third = client.create(data)
        assert third.status == 429 and third.code == "busy" and int(third.headers["retry-after"]) > 0
        assert client.request("DELETE", first.headers["location"]).status == 204  # termination frees a place
        assert client.head(first.headers["location"]).status == 410
        assert client.create(data).status == 201
        assert len(service.part_files()) == 2
    finally:
        service.server.stop()


def test_a_quota_full_refuses_new_uploads_cleanly(w, tmp_path):
    data = w.build()
    service = start_intake(w, tmp_path, IntakeLimits(quota_bytes=len(data) + 10, min_free_bytes=0))
    try:
        client = service.client()
        assert client.create(data).status == 201
        full = client.create(data)
        assert full.status == 507 and full.code == "disk_full" and int(full.headers["retry-after"]) > 0
        assert len(service.part_files()) == 1
    finally:
        service.server.stop()


def test_a_full_disk_while_writing_keeps_the_good_bytes_and_the_upload_resumes(w, intake, monkeypatch):
    client = intake.client()
    data = w.build()
    location = client.create(data).headers["location"]
    real_write = intake_files.write_chunk
    budget = {"left": 1000}

    def full_disk(fd, view):
        if budget["left"] <= 0:  # a disk that takes a few bytes of the write, then says it is full
            real_write(fd, view[:10])
            raise OSError(errno.ENOSPC, "No space left on device")
        written = real_write(fd, view[: budget["left"]])
        budget["left"] -= written
        return written

    monkeypatch.setattr(intake_files, "write_chunk", full_disk)
    answer = client.patch(location, 0, data[:5000])
    assert answer.status == 507 and answer.code == "disk_full" and "retry-after" in answer.headers
    assert client.head(location).headers["upload-offset"] == "1000"
    assert intake.part_files()[0].read_bytes() == data[:1000]
    monkeypatch.setattr(intake_files, "write_chunk", real_write)
    last = client.patch(location, 1000, data[1000:])
    assert last.status == 204, last.body
    assert read_receipt(client.receipt(_sha(data)).body, w.hq.ca_cert).accepted
    assert intake.rows("PRAGMA integrity_check") == [("ok",)]


def test_a_dropped_connection_keeps_the_bytes_that_arrived(w, intake):
    client = intake.client()
    data = w.build()
    location = client.create(data).headers["location"]
    raw = client.context().wrap_socket(socket.create_connection(("127.0.0.1", intake.server.port)), server_hostname="127.0.0.1")
    raw.sendall(
        f"PATCH {location} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
        f"Content-Type: application/offset+octet-stream\r\nContent-Length: {len(data)}\r\n\r\n".encode() + data[:4000]
    )
    time.sleep(0.2)
    raw.close()
    assert _wait_for(lambda: client.head(location).headers.get("upload-offset") == "4000")
    last = client.patch(location, 4000, data[4000:])
    assert last.status == 204 and last.headers["upload-receipt"] == f"/receipts/{_sha(data)}"


def test_a_damaged_upload_is_discarded_to_be_sent_again(w, intake):
    client = intake.client()
    data = w.build()
    created = client.request("POST", "/files/", {"Upload-Length": str(len(data)), "Upload-Metadata": metadata("ab" * 32)})
    answer = client.patch(created.headers["location"], 0, data)
    assert answer.status == 460 and answer.code == "checksum_mismatch"
    assert client.head(created.headers["location"]).status == 410
    assert intake.part_files() == [] and intake.rows("SELECT COUNT(*) FROM hq_submission") == [(0,)]


def test_another_offices_bundle_is_refused_with_a_receipt_and_its_uploads_stay_private(w, intake, tmp_path):
    database = open_database(intake.db_path, take_backups=False)
    other = enrol_office(database, w.hq, tmp_path / "tls", "office-b")
    database.close()
    mine = intake.client()
    data = w.build()
    location = mine.create(data).headers["location"]
    theirs = intake.client(other)
    assert theirs.head(location).status == 404
    assert theirs.request("DELETE", location).status == 404
    answer = theirs.upload(w.build())
    receipt = read_receipt(theirs.receipt(answer.headers["upload-receipt"].rsplit("/", 1)[1]).body, w.hq.ca_cert)
    assert receipt.status == "refused" and receipt.reason_code == "other_office" and receipt.office_id == "office-b"
    assert receipt.message_fa
    assert intake.rows("SELECT COUNT(*) FROM hq_submission") == [(0,)]
    assert mine.receipt(receipt.bundle_sha256).status == 404  # a receipt is its office's only


def test_partial_uploads_expire_and_their_files_go(w, tmp_path):
    service = start_intake(w, tmp_path, IntakeLimits(expire_seconds=0.3, sweep_seconds=0.1, min_free_bytes=0))
    try:
        client = service.client()
        data = w.build()
        location = client.create(data).headers["location"]
        assert client.patch(location, 0, data[:500]).status == 204
        assert len(service.part_files()) == 1
        assert _wait_for(lambda: service.part_files() == [])
        assert client.head(location).status == 410
        assert service.rows("SELECT state FROM intake_upload") == [("expired",)]
    finally:
        service.server.stop()


def test_the_protocol_version_and_content_type_are_required(w, intake):
    client = intake.client()
    data = w.build()
    old = client.request("POST", "/files/", {"Tus-Resumable": "0.2.2", "Upload-Length": "10", "Upload-Metadata": metadata(_sha(data))})
    assert old.status == 412 and old.headers["tus-version"] == "1.0.0"
    location = client.create(data).headers["location"]
    wrong = client.request("PATCH", location, {"Upload-Offset": "0", "Content-Type": "text/plain"}, data)
    assert wrong.status == 415 and wrong.code == "wrong_content_type"
    assert client.request("GET", "/nowhere", tus=False).code == "not_found"


def test_hostile_headers_never_give_a_server_error(w, intake):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    client = intake.client()
    data = w.build()
    location = client.create(data).headers["location"]
    latin = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f"), max_size=60)
    numbers = st.one_of(latin, st.integers(-(10**22), 10**22).map(str), st.sampled_from(["", " 1", "1 ", "+5", "0x10", "١٢".encode().decode("latin-1"), "1e3"]))
    pair = st.tuples(st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=10), st.binary(max_size=20))
    metadata_values = st.one_of(
        latin,
        st.lists(pair, max_size=4).map(lambda pairs: ",".join(f"{k} {__import__('base64').b64encode(v).decode()}" for k, v in pairs)),
        st.sampled_from([metadata("A" * 64), metadata("g" * 64), "sha256", "sha256 !!!", "sha256 YQ=,sha256 YQ==", metadata(_sha(data), "../x")]),
    )

    @settings(max_examples=60, deadline=None, database=None)
    @given(length=numbers, meta=metadata_values, offset=numbers, content_type=st.one_of(latin, st.just("application/offset+octet-stream")),
           body=st.binary(max_size=64))  # fmt: skip
    def hostile(length, meta, offset, content_type, body):
        created = client.request("POST", "/files/", {"Upload-Length": length, "Upload-Metadata": meta})
        assert created.status in (201, 400, 409, 413, 429, 507), (created.status, created.body)
        if created.status != 201:
            assert created.json()["error"] and created.json()["message_fa"]
        patched = client.request("PATCH", location, {"Upload-Offset": offset, "Content-Type": content_type}, body)
        assert patched.status in (204, 400, 409, 413, 415, 460), (patched.status, patched.body)
        head = client.request("HEAD", location + urllib.parse.quote(offset[:3]))
        assert head.status in (200, 404, 410), head.status

    hostile()
    assert intake.rows("PRAGMA integrity_check") == [("ok",)]


def test_tuspy_an_independent_client_uploads_resumes_and_gets_the_receipt(w, intake, tmp_path, monkeypatch):
    import requests
    from tusclient import client as tus_client

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(intake.ca_file))
    data = w.build()
    sha = _sha(data)
    bundle = tmp_path / "bundle.crb"
    bundle.write_bytes(data)
    cert = (str(intake.office.cert_file), str(intake.office.key_file))
    tus = tus_client.TusClient(f"https://127.0.0.1:{intake.server.port}/files/", client_cert=cert)
    first = tus.uploader(file_path=str(bundle), chunk_size=3000, metadata={"sha256": sha, "filename": "bundle.crb"})
    first.upload(stop_at=6000)  # the line is cut here
    assert first.offset == 6000 and first.url.startswith(f"https://127.0.0.1:{intake.server.port}/files/")
    resumed = tus.uploader(file_path=str(bundle), url=first.url, chunk_size=3000)
    assert resumed.offset == 6000  # asked the service (HEAD)
    resumed.upload()
    assert resumed.request.response_headers["upload-receipt"] == f"/receipts/{sha}"
    answer = requests.get(f"https://127.0.0.1:{intake.server.port}/receipts/{sha}", cert=cert, timeout=30)
    receipt = read_receipt(answer.content, w.hq.ca_cert, sha)
    assert receipt.accepted and receipt.size == len(data)


def test_the_server_certificate_is_headquarters_for_the_names_given(w):
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID

    from citizen_rights_desktop.exchange.errors import ExchangeError
    from citizen_rights_desktop.hq.server_certificate import issue_server_certificate

    cert, key = issue_server_certificate(w.hq, ["localhost", "127.0.0.1", "intake.hq.example"])
    cert.verify_directly_issued_by(w.hq.ca_cert)
    assert cert.public_key().public_numbers() == key.public_key().public_numbers()
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost", "intake.hq.example"]
    assert [str(a) for a in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    assert list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [ExtendedKeyUsageOID.SERVER_AUTH]
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    with pytest.raises(ExchangeError):
        issue_server_certificate(w.hq, ["bad name/with slash"])


def test_a_receipt_replayed_by_another_office_gives_way_to_the_bundles_own(w, tmp_path):
    from storage import intake_store

    database = w.hq_copy(tmp_path)
    try:
        def receipt(office: str, accepted: bool, rid: str):
            return intake_store.StoredReceipt("c" * 64, rid, office, accepted, rid.encode(), "2025-01-01T00:00:00.000000Z")

        assert intake_store.store_receipt(database, receipt("b", False, "r1")).receipt_id == "r1"
        assert intake_store.store_receipt(database, receipt("b", False, "r2")).receipt_id == "r1"  # the same office: the first stays
        assert intake_store.store_receipt(database, receipt("a", True, "r3")).receipt_id == "r3"  # the bundle's own office
        assert intake_store.store_receipt(database, receipt("b", False, "r4")).receipt_id == "r3"
        assert intake_store.receipt_for(database, "c" * 64).office_id == "a"
    finally:
        database.close()
