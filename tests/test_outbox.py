"""The office's outbox and headquarters' signed receipts (issue 18), without a server: queueing,
the send column's words, the intake address, and the receipt reader against hostile input."""

from __future__ import annotations

import base64
import json
import sqlite3

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citizen_rights_desktop.exchange import outbox
from citizen_rights_desktop.exchange.envelope import sign_envelope
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.exchange.receipt import RECEIPT_FORMAT, Receipt, read_receipt, sign_receipt
from storage import ReportStore, open_database, outbox_store

SHA = "ab" * 32


def office_copy(w, tmp_path) -> ReportStore:
    """A private copy of the world's office database (the outbox is written into it)."""
    target = tmp_path / "office.sqlite3"
    source = sqlite3.connect(w.root / "office.sqlite3")
    dest = sqlite3.connect(target)
    source.backup(dest)
    source.close()
    dest.close()
    return ReportStore(open_database(target, take_backups=False), actor="clerk")


def a_receipt(w, **changes) -> Receipt:
    fields = dict(receipt_id="r" * 32, hq_id=w.hq.hq_id, bundle_sha256=SHA, size=1234, office_id=w.report.office_id,
                  received_at="2026-12-06T10:00:00.000Z", status="imported", report_id=w.report_id, form_id="citizen_rights",
                  period="1398", revision=1, submission_id="s1")  # fmt: skip
    fields.update(changes)
    return Receipt(**fields)


def test_a_receipt_reads_back_only_from_its_headquarters_and_for_its_bundle(w):
    data = sign_receipt(w.hq.ca_key, a_receipt(w))
    read = read_receipt(data, w.hq.ca_cert, SHA)
    assert read.accepted and read.receipt_id == "r" * 32 and read.raw == data
    with pytest.raises(ExchangeError, match="another bundle"):
        read_receipt(data, w.hq.ca_cert, "cd" * 32)
    forged = sign_receipt(ec.generate_private_key(ec.SECP256R1()), a_receipt(w))
    with pytest.raises(ExchangeError, match="signature"):
        read_receipt(forged, w.hq.ca_cert, SHA)
    refused = read_receipt(sign_receipt(w.hq.ca_key, a_receipt(w, status="refused", reason_code="revision_conflict")), w.hq.ca_cert)
    assert not refused.accepted and refused.reason_code == "revision_conflict"


def test_a_receipt_signed_by_headquarters_but_malformed_is_refused(w):
    good = a_receipt(w).payload()
    for change in ({"status": "maybe"}, {"bundle_sha256": "xyz"}, {"size": -1}, {"revision": True}, {"message_fa": "\u202eبد"},
                   {"extra": 1}, {"received_at": "yesterday"}, {"hq_id": "hq-other"}, {"receipt_id": ""}):  # fmt: skip
        payload = {**good, **change}
        with pytest.raises(ExchangeError) as caught:
            read_receipt(sign_envelope(w.hq.ca_key, RECEIPT_FORMAT, payload), w.hq.ca_cert)
        assert caught.value.code == "bad_receipt", change


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                            lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=12), c, max_size=6), max_leaves=20),
       raw=st.binary(max_size=200))  # fmt: skip
def test_hostile_receipts_never_raise_anything_but_exchange_error(w, payload, raw):
    signed = sign_envelope(w.hq.ca_key, RECEIPT_FORMAT, {"x": payload} if not isinstance(payload, dict) else payload)
    envelope = json.dumps({"format": RECEIPT_FORMAT, "format_version": 1, "payload": base64.b64encode(raw).decode(), "signature": "AAAA"}).encode()
    for data in (signed, envelope, raw):
        with pytest.raises(ExchangeError):
            read_receipt(data, w.hq.ca_cert)


def test_queueing_writes_one_bundle_per_revision_into_the_outbox(w, tmp_path):
    store = office_copy(w, tmp_path)
    from citizen_rights_desktop.exchange.office_enrolment import load_profile

    profile = load_profile(store.database)
    entry = outbox.queue_bundle(store, w.report_id, w.signer, profile)
    path = outbox.bundle_path(store.database, entry)
    assert path.parent.name == "office.sqlite3.outbox" and path.name == f"{entry.bundle_id}.crb"
    assert path.stat().st_size == entry.size and entry.state == "queued"
    # queued again while waiting: the same entry, no second bundle
    again = outbox.queue_bundle(store, w.report_id, w.signer, profile)
    assert again.bundle_id == entry.bundle_id and len(list(path.parent.iterdir())) == 1
    # after a refusal, the clerk may queue the revision again
    outbox_store.update(store.database, entry.bundle_id, state="refused", reason_code="too_large", reason_fa="حجم زیاد")
    third = outbox.queue_bundle(store, w.report_id, w.signer, profile)
    assert third.bundle_id != entry.bundle_id and len(outbox_store.entries(store.database, pending_only=True)) == 1


def test_the_send_column_says_sent_only_with_a_receipt(w, tmp_path):
    store = office_copy(w, tmp_path)
    outbox_store.add(store.database, "b1", w.report_id, 2, "b1.crb", SHA, 1000)
    assert outbox.send_state(store.database, w.report_id).text_fa == "ویرایش ۲ در صف ارسال"
    outbox_store.update(store.database, "b1", state="uploading", sent_bytes=420)
    assert outbox.send_state(store.database, w.report_id).text_fa == "ویرایش ۲ در حال ارسال: ۴۲٪"
    outbox_store.update(store.database, "b1", state="refused", reason_code="revoked", reason_fa="گواهی باطل شده است.")
    refused = outbox.send_state(store.database, w.report_id)
    assert refused.text_fa == "ویرایش ۲ پذیرفته نشد" and "با ستاد تماس بگیرید" in refused.detail_fa
    outbox_store.update(store.database, "b1", state="received", receipt_id="abc", answered_at="2026-12-06T10:00:00+00:00")
    received = outbox.send_state(store.database, w.report_id)
    assert received.text_fa.startswith("ویرایش ۲ ارسال شد: ۱۴۰۵/۰۹/") and "abc" in received.detail_fa
    assert all("ارسال شد" not in outbox.describe(e).text_fa for e in [outbox_store.get(store.database, "b1")] if e.state != "received")


@pytest.mark.parametrize("url", ["http://hq.example", "https://", "https://hq.example/\u202epath", "ftp://x", "https://a b", "https://" + "a" * 400])
def test_a_bad_intake_address_is_refused_with_a_persian_message(w, tmp_path, url):
    store = office_copy(w, tmp_path)
    with pytest.raises(ExchangeError) as caught:
        outbox.set_intake_url(store.database, url)
    assert caught.value.message_fa.startswith("نشانی سامانه دریافت")


def test_the_offices_own_intake_address_overrides_the_profiles(w, tmp_path):
    store = office_copy(w, tmp_path)
    assert outbox.intake_url(store.database, None) is None
    assert outbox.set_intake_url(store.database, "https://intake.hq.example:8443/") == "https://intake.hq.example:8443"
    assert outbox.intake_url(store.database, None) == "https://intake.hq.example:8443"
    outbox.set_intake_url(store.database, None)
    assert outbox.intake_url(store.database, None) is None
