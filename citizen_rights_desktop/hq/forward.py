"""Provincial → national forwarding (issue 16): a provincial headquarters passes the submissions
it accepted to the national one in one file, which the national headquarters verifies twice: the
province's signature over the whole, and each office's own signature over its bundle.

The file (``.crf``) is an age-encrypted zip, to the national headquarters' key (from its profile):

- ``forward.json``: a signed envelope (``exchange.envelope``, format ``citizen-rights-forward``)
  by the province's CA key, naming the province (its id, name and CA certificate), the national
  headquarters it is for, and per bundle: its member name in the zip, SHA-256, bundle id, office,
  form, period, revision, and when the province received and accepted it and who accepted it;
- ``bundles/N.zip``: each office's bundle archive as the office made it — its signed manifest and
  every member it lists, byte for byte (the province keeps the answers document as sent,
  migration 9), so the office's signature still verifies.

The national headquarters must trust the province's CA (``hq trust-root``): the offices'
certificates chain to it. A bundle's manifest names the province as its addressee: accepted only
inside a file the province signed. Each forwarded submission records who forwarded it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import io
import json
import zipfile
from dataclasses import dataclass

import pyrage
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from citizen_rights_desktop.exchange.bundle_reader import decrypt, open_plain_bundle, read_archive
from citizen_rights_desktop.exchange.certificates import cert_pem, office_id_of
from citizen_rights_desktop.exchange.envelope import open_envelope, sign_envelope
from citizen_rights_desktop.exchange.errors import BundleRefused, ExchangeError
from citizen_rights_desktop.exchange.manifest import EVIDENCE_PREFIX, MANIFEST, SIGNATURE, refused
from citizen_rights_desktop.exchange.profile import HQProfile
from citizen_rights_desktop.hq.identity import HQIdentity
from storage.database import Database, utc_now
from storage.report_store import ReportStore

FORWARD_FORMAT = "citizen-rights-forward"
MAX_LISTING_BYTES = 8 * 1024 * 1024
FORWARD_NAMES = re.compile(r"forward\.json|bundles/[1-9][0-9]{0,5}\.zip")


@dataclass
class Forwarded:
    key: str  # the member name in the file
    outcome: object  # ImportOutcome or BundleRefused


def forwardable(database: Database, form_id: str | None = None, period: str | None = None) -> list[tuple]:
    """The current submissions the province accepted (review state ``accepted``) and can forward
    (their answers document kept as sent): (submission id, bundle id, office, form, period,
    revision, received at, decided at, decided by)."""
    where, params = ["s.superseded_by IS NULL", "s.answers_sha256 IS NOT NULL", "r.state = 'accepted'", "s.forwarded_by IS NULL"], []
    if form_id:
        where.append("s.form_id = ?")
        params.append(form_id)
    if period:
        where.append("(s.period = ? OR s.period LIKE ?)")
        params += [period, f"{period}-%"]
    return database.conn.execute(
        "SELECT s.id, s.bundle_id, s.office_id, s.form_id, s.period, s.revision, s.received_at, r.decided_at, r.decided_by"
        f" FROM hq_submission s JOIN hq_review r ON r.submission_id = s.id WHERE {' AND '.join(where)} ORDER BY s.received_at",
        params,
    ).fetchall()  # fmt: skip


def bundle_archive(database: Database, submission_id: str) -> bytes:
    """The office's bundle archive, rebuilt from what was kept: its manifest and signature as
    received, and every member the manifest lists, byte for byte."""
    row = database.conn.execute(
        "SELECT manifest, manifest_signature, answers_sha256, pdf_sha256 FROM hq_submission WHERE id=?", (submission_id,)
    ).fetchone()
    manifest_text, signature, answers_sha, pdf_sha = row
    store = ReportStore(database, actor="headquarters")
    manifest = json.loads(manifest_text)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(MANIFEST, manifest_text.encode("utf-8"), zipfile.ZIP_DEFLATED)
        archive.writestr(SIGNATURE, bytes(signature), zipfile.ZIP_DEFLATED)
        for member in manifest["members"]:
            sha = member["sha256"]
            if member["role"] == "answers" and sha != answers_sha:
                raise ExchangeError("not_forwardable", f"submission {submission_id}: its answers document was not kept as sent", "این گزارش قابل ارسال به ستاد ملی نیست.")
            if member["role"] == "pdf" and sha != pdf_sha:
                raise ExchangeError("not_forwardable", f"submission {submission_id}: its PDF is not the one received", "این گزارش قابل ارسال به ستاد ملی نیست.")
            archive.writestr(member["name"], store.evidence_bytes(sha), zipfile.ZIP_STORED if member["name"].startswith(EVIDENCE_PREFIX) else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def build_forward(database: Database, hq: HQIdentity, national: HQProfile, rows: list[tuple]) -> bytes:
    """The forwarding file of ``rows`` (``forwardable``'s), signed by the province's CA key and
    encrypted to the national headquarters' key."""
    entries, archives = [], []
    for index, (submission_id, bundle_id, office_id, form_id, period, revision, received_at, decided_at, decided_by) in enumerate(rows, start=1):
        data = bundle_archive(database, submission_id)
        name = f"bundles/{index}.zip"
        archives.append((name, data))
        entries.append({"name": name, "sha256": hashlib.sha256(data).hexdigest(), "bundle_id": bundle_id, "office_id": office_id, "form_id": form_id,
                        "period": period, "revision": revision, "received_at": received_at, "accepted_at": decided_at, "accepted_by": decided_by})  # fmt: skip
    listing = {"from": {"hq_id": hq.hq_id, "name": hq.name, "ca_certificate": cert_pem(hq.ca_cert)}, "to": national.hq_id,
               "created_at": utc_now(), "bundles": entries}  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("forward.json", sign_envelope(hq.ca_key, FORWARD_FORMAT, listing), zipfile.ZIP_DEFLATED)
        for name, data in archives:
            archive.writestr(name, data, zipfile.ZIP_STORED)
    return pyrage.encrypt(buffer.getvalue(), [pyrage.x25519.Recipient.from_str(national.age_recipient)])


def _bad(reason: str) -> BundleRefused:
    return refused("bad_forward", f"not a valid forwarding file: {reason}", "فایل ارسال ستاد استان معتبر نیست.")


def read_listing(members: dict[str, bytes], trusted: list[x509.Certificate], own_hq_id: str) -> dict:
    """The province's signed listing, checked: signed by a CA the national headquarters trusts,
    addressed to it, every bundle it names present with its SHA-256."""
    if "forward.json" not in members:
        raise _bad("forward.json is missing")
    payload, signature = open_envelope(members["forward.json"], FORWARD_FORMAT, MAX_LISTING_BYTES, _bad)
    try:
        listing = json.loads(payload.decode("utf-8"))
        sender = listing["from"]
        ca = x509.load_pem_x509_certificate(str(sender["ca_certificate"]).encode("ascii"))
    except (ValueError, KeyError, TypeError, UnicodeError, RecursionError):
        raise _bad("the listing is not readable") from None
    if not any(ca.public_bytes(serialization.Encoding.DER) == root.public_bytes(serialization.Encoding.DER) for root in trusted):
        raise refused("forward_untrusted", f"the forwarding headquarters {sender.get('hq_id')!r} is not one this headquarters trusts (hq trust-root)",
                      "ستاد ارسال‌کننده در فهرست مراجع مورد اعتماد این ستاد نیست.")  # fmt: skip
    try:
        key = ca.public_key()
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise InvalidSignature
        key.verify(signature, payload, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise _bad("its signature does not match the forwarding headquarters' certificate") from None
    if office_id_of(ca) != sender.get("hq_id") or listing.get("to") != own_hq_id:
        raise _bad("it is not addressed to this headquarters")
    bundles = listing.get("bundles")
    if not isinstance(bundles, list) or not all(isinstance(b, dict) and isinstance(b.get("name"), str) for b in bundles):
        raise _bad("its list of bundles is not readable")
    for entry in bundles:
        data = members.get(entry["name"])
        if data is None or hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            raise _bad(f"{entry['name']} is missing or changed")
    return listing


def import_forward(importer, data: bytes) -> list[Forwarded]:
    """Import a forwarding file into ``importer``'s (national) database: the province's signature,
    then each bundle as ``hq import`` checks it, its manifest addressed to that province."""
    limits = importer.limits
    outer = dataclasses.replace(limits, max_member_bytes=limits.max_file_bytes)  # a member is a whole bundle
    members = read_archive(decrypt(data, importer.hq.age_identity, outer), outer, FORWARD_NAMES)
    listing = read_listing(members, importer.trust.roots, importer.hq.hq_id)
    province = listing["from"]["hq_id"]
    out = []
    for entry in listing["bundles"]:
        def decide(manifest, signer, certificates, entry=entry):
            if manifest.hq_id != province or manifest.bundle_id != entry.get("bundle_id"):
                raise refused("forward_mismatch", "the bundle is not the one the forwarding listing names, or was not sent to that headquarters",
                              "بسته با فهرست ستاد استان یکی نیست.")  # fmt: skip
            importer.trust.check(signer, certificates, manifest.office_id)

        note = json.dumps({"hq_id": province, "name": listing["from"].get("name"), "received_at": entry.get("received_at"),
                           "accepted_at": entry.get("accepted_at"), "accepted_by": entry.get("accepted_by")}, ensure_ascii=False)  # fmt: skip
        try:
            with importer.database.transaction():
                opened = open_plain_bundle(members[entry["name"]], limits, decide)
                out.append(Forwarded(entry["name"], importer._check_and_store(opened, f"{province}:{entry['name']}", note)))
        except BundleRefused as exc:
            out.append(Forwarded(entry["name"], exc.with_traceback(None)))
    return out
