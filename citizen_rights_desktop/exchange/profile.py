"""The headquarters profile an office imports: headquarters' CA certificate, its age encryption key,
form definitions, org units and other trusted roots, signed by the CA (``hq.identity.export_profile``
writes it). Strict reader: anything else is refused with an ``ExchangeError``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import pyrage
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from citizen_rights_desktop.exchange.certificates import is_self_signed, office_id_of
from citizen_rights_desktop.exchange.envelope import open_envelope
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.persian.text import unsafe_characters

PROFILE_FORMAT = "citizen-rights-hq-profile"


MAX_PROFILE_BYTES = 16 * 1024 * 1024


@dataclass
class HQProfile:
    hq_id: str
    name: str
    sequence: int
    issued_at: str
    ca_cert: x509.Certificate
    age_recipient: str
    forms: list[dict[str, Any]]
    org_units: list[dict[str, Any]]
    trusted_roots: list[x509.Certificate]
    raw: bytes = field(repr=False, default=b"")
    deadline_days: dict[str, int] = field(default_factory=dict)  # kind (form id) → days after its period (issue 14)
    # a profile for inspection teams (issue 15): office id → (its latest annual report's period,
    # indicator id → answer), for the contradictions a visit's PDF lists; empty in offices' profiles
    self_reports: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    # where offices send their bundles (issue 18: headquarters' intake service); empty: USB only
    intake_url: str = ""


MAX_INTAKE_URL = 300
_INTAKE_URL = re.compile(r"^https://[A-Za-z0-9.\-\[\]:]+(:\d{1,5})?(/[A-Za-z0-9._~/%-]*)?$")


def valid_intake_url(value: object) -> bool:
    """An https:// address of headquarters' intake service: at most 300 characters, a plain host
    (name or address) and port, a plain path; no controls, spaces, credentials, query or fragment."""
    return isinstance(value, str) and len(value) <= MAX_INTAKE_URL and not unsafe_characters(value) and bool(_INTAKE_URL.match(value))


def _profile_error(reason: str) -> ExchangeError:
    return ExchangeError("bad_profile", f"not a valid headquarters profile: {reason}", "فایل مشخصات ستاد معتبر نیست.")


def read_profile(data: bytes) -> HQProfile:
    """Parse and check a profile file: signed by the CA certificate it carries. Strict; never another exception."""
    payload_bytes, signature = open_envelope(data, PROFILE_FORMAT, MAX_PROFILE_BYTES, _profile_error)
    try:
        payload = json.loads(payload_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _profile_error("payload or signature is not readable") from None
    if not isinstance(payload, dict):
        raise _profile_error("payload is not an object")
    try:
        ca_cert = x509.load_pem_x509_certificate(str(payload["ca_certificate"]).encode("ascii"))
        public_key = ca_cert.public_key()
        if not isinstance(public_key, ec.EllipticCurvePublicKey):
            raise _profile_error("the CA key is not an EC key")
        public_key.verify(signature, payload_bytes, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise _profile_error("the signature does not match its CA certificate") from None
    except (KeyError, ValueError, UnicodeEncodeError):
        raise _profile_error("the CA certificate is not readable") from None
    if not is_self_signed(ca_cert):
        raise _profile_error("the CA certificate is not self-signed")
    hq_id, name, sequence = payload.get("hq_id"), payload.get("name"), payload.get("sequence")
    if not isinstance(hq_id, str) or office_id_of(ca_cert) != hq_id or not isinstance(name, str):
        raise _profile_error("hq_id does not match the CA certificate")
    if unsafe_characters(name) or unsafe_characters(hq_id):
        raise _profile_error("the headquarters name holds control or direction characters")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        raise _profile_error("sequence is not a positive whole number")
    recipient = payload.get("age_recipient")
    try:
        pyrage.x25519.Recipient.from_str(recipient)
    except (pyrage.RecipientError, TypeError, ValueError):
        raise _profile_error("age_recipient is not an age X25519 public key") from None
    forms, units = payload.get("forms"), payload.get("org_units")
    if not isinstance(forms, list) or not all(isinstance(f, dict) and isinstance(f.get("id"), str) and isinstance(f.get("version"), str) for f in forms):
        raise _profile_error("forms is not a list of form definitions")
    if not isinstance(units, list) or not all(isinstance(u, dict) for u in units):
        raise _profile_error("org_units is not a list")
    try:
        roots = [x509.load_pem_x509_certificate(str(pem).encode("ascii")) for pem in payload.get("trusted_roots", [])]
    except (ValueError, TypeError, UnicodeEncodeError):
        raise _profile_error("trusted_roots holds an unreadable certificate") from None
    deadlines = payload.get("deadline_days", {})
    if not isinstance(deadlines, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 365 for k, v in deadlines.items()
    ):
        raise _profile_error("deadline_days is not a map of form ids to 0-365 days")
    intake_url = payload.get("intake_url", "")
    if intake_url != "" and not valid_intake_url(intake_url):
        raise _profile_error("intake_url is not an https:// address of at most 300 plain characters")
    return HQProfile(
        hq_id, name, sequence, str(payload.get("issued_at", "")), ca_cert, recipient, forms, units, roots, data, dict(deadlines),
        _self_reports(payload.get("self_reports", {})), intake_url,
    )  # fmt: skip


_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
_ANSWER = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_SELF_REPORTS = 100_000


def _self_reports(raw: Any) -> dict[str, tuple[str, dict[str, str]]]:
    """``{office id: {"period": "1398", "answers": {indicator id: answer id}}}``, strictly."""
    if not isinstance(raw, dict) or len(raw) > MAX_SELF_REPORTS:
        raise _profile_error("self_reports is not a map of office ids to answers")
    out = {}
    for office_id, entry in raw.items():
        answers = entry.get("answers") if isinstance(entry, dict) else None
        period = entry.get("period") if isinstance(entry, dict) else None
        if not (isinstance(office_id, str) and _ID.match(office_id) and isinstance(period, str) and re.fullmatch(r"\d{4}", period)):
            raise _profile_error("self_reports holds an entry without an office id or a Jalali year")
        if not isinstance(answers, dict) or len(answers) > 500 or not all(
            isinstance(k, str) and _ANSWER.match(k) and isinstance(v, str) and _ANSWER.match(v) for k, v in answers.items()
        ):
            raise _profile_error("self_reports holds answers that are not indicator ids and answer ids")
        out[office_id] = (period, dict(answers))
    return out
