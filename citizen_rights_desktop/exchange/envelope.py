"""Signed envelope files: a JSON payload (base64) and its ECDSA-SHA256 signature by the headquarters
CA key. Headquarters profiles and feedback files are both such envelopes."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

FORMAT_VERSION = 1


def sign_envelope(ca_key: ec.EllipticCurvePrivateKey, format_name: str, payload: dict, **extra: str) -> bytes:
    """A signed envelope file: the payload as canonical JSON (base64) and its ECDSA-SHA256
    signature by the headquarters CA key. Profiles and feedback files are both such envelopes."""
    payload_bytes = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    signature = ca_key.sign(payload_bytes, ec.ECDSA(hashes.SHA256()))
    envelope = {
        "format": format_name,
        "format_version": FORMAT_VERSION,
        "payload": base64.b64encode(payload_bytes).decode("ascii"),
        "signature": base64.b64encode(signature).decode("ascii"),
        "signature_algorithm": "ecdsa-with-SHA256",
        **extra,
    }
    return (json.dumps(envelope, indent=1) + "\n").encode("ascii")


def open_envelope(data: bytes, format_name: str, max_bytes: int, error: Callable[[str], Exception]) -> tuple[bytes, bytes]:
    """The payload bytes and signature of a signed envelope file; its shape only is checked here
    (the caller verifies the signature against the key it trusts). ``error(reason)`` makes the
    exception raised for anything malformed: never another exception."""
    if len(data) > max_bytes:
        raise error("file too large")
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise error("not JSON") from None
    if not isinstance(envelope, dict) or envelope.get("format") != format_name:
        raise error(f"format is not {format_name!r}")
    if envelope.get("format_version") != FORMAT_VERSION:
        raise error(f"unsupported format_version {envelope.get('format_version')!r}")
    try:
        return base64.b64decode(envelope["payload"], validate=True), base64.b64decode(envelope["signature"], validate=True)
    except (KeyError, TypeError, binascii.Error, ValueError):
        raise error("payload or signature is not readable") from None
