"""Headquarters' signed receipt for a bundle that arrived through its intake service (issue 18).

A receipt is a signed envelope (``exchange.envelope``) by the headquarters CA key, the key an
office already trusts through the profile. It names the bundle by its SHA-256 and says whether
headquarters accepted it and, when not, why. The same bundle sent twice gets the same receipt.

Strict reader: ``read_receipt`` raises ``ExchangeError`` for anything but a receipt signed by the
expected CA, for the expected bundle.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from citizen_rights_desktop.exchange.certificates import office_id_of
from citizen_rights_desktop.exchange.envelope import open_envelope, sign_envelope
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.persian.text import unsafe_characters

RECEIPT_FORMAT = "citizen-rights-receipt"
MAX_RECEIPT_BYTES = 64 * 1024
# what the importer said (``hq.importer.ImportOutcome.status``), or "refused"
ACCEPTED_STATUSES = ("imported", "superseded", "identical", "older")
STATUSES = (*ACCEPTED_STATUSES, "refused")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_ID = re.compile(r"^[0-9A-Za-z_@.:-]{0,80}$")
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@dataclass(frozen=True)
class Receipt:
    receipt_id: str
    hq_id: str
    bundle_sha256: str
    size: int
    office_id: str
    received_at: str  # UTC, ISO 8601
    status: str  # one of STATUSES
    reason_code: str = ""  # the refusal's code (``ExchangeError.code``); empty when accepted
    message_en: str = ""
    message_fa: str = ""
    report_id: str = ""  # empty when the bundle could not be opened
    form_id: str = ""
    period: str = ""
    revision: int = 0
    submission_id: str = ""
    raw: bytes = field(default=b"", repr=False, compare=False)

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED_STATUSES

    def payload(self) -> dict:
        out = asdict(self)
        out.pop("raw")
        return out


def sign_receipt(ca_key: ec.EllipticCurvePrivateKey, receipt: Receipt) -> bytes:
    """The receipt's file: its fields signed by the headquarters CA key."""
    return sign_envelope(ca_key, RECEIPT_FORMAT, receipt.payload())


def _bad(reason: str) -> ExchangeError:
    return ExchangeError("bad_receipt", f"not a valid receipt from headquarters: {reason}", "رسید دریافتی از ستاد معتبر نیست.")


def read_receipt(data: bytes, ca_cert: x509.Certificate, bundle_sha256: str | None = None) -> Receipt:
    """Check and read a receipt: signed by ``ca_cert`` (headquarters' CA from the profile) and, when
    ``bundle_sha256`` is given, for that bundle. Never another exception than ``ExchangeError``."""
    payload_bytes, signature = open_envelope(data, RECEIPT_FORMAT, MAX_RECEIPT_BYTES, _bad)
    public_key = ca_cert.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        raise _bad("headquarters' key is not an EC key")
    try:
        public_key.verify(signature, payload_bytes, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise _bad("its signature is not headquarters'") from None
    try:
        payload = json.loads(payload_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _bad("its fields are not readable") from None
    if not isinstance(payload, dict):
        raise _bad("its fields are not an object")
    names = {f for f in Receipt.__dataclass_fields__ if f != "raw"}
    if set(payload) - names or not {"receipt_id", "hq_id", "bundle_sha256", "size", "office_id", "received_at", "status"} <= set(payload):
        raise _bad("its fields are not a receipt's")
    text_fields = names - {"size", "revision"}
    if not all(isinstance(payload.get(k, ""), str) and len(payload.get(k, "")) <= 2000 for k in text_fields):
        raise _bad("a field is not text")
    for k in ("size", "revision"):
        value = payload.get(k, 0)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**53:
            raise _bad(f"{k} is not a whole number")
    if payload["status"] not in STATUSES:
        raise _bad(f"unknown status {payload['status']!r}")
    if not _SHA.match(payload["bundle_sha256"]):
        raise _bad("bundle_sha256 is not a SHA-256")
    ids = ("receipt_id", "hq_id", "office_id", "report_id", "form_id", "period", "submission_id", "reason_code")
    if not all(_ID.match(payload.get(k, "")) for k in ids) or not payload["receipt_id"] or not _TIME.match(payload["received_at"]):
        raise _bad("an id or the time is malformed")
    if any(unsafe_characters(payload.get(k, "")) for k in ("message_en", "message_fa")):
        raise _bad("a message holds control or direction characters")
    receipt = Receipt(**payload, raw=bytes(data))
    if receipt.hq_id != office_id_of(ca_cert):
        raise _bad("it names another headquarters")
    if bundle_sha256 is not None and receipt.bundle_sha256 != bundle_sha256:
        raise _bad("it is for another bundle")
    return receipt
