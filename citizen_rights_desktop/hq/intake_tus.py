"""The tus 1.0.0 resumable-upload protocol's headers (https://tus.io/protocols/resumable-upload),
read strictly: whatever an office (or anyone) sends, a header is either understood or refused
with a 400-class ``IntakeRefusal``, never an exception of another kind.

Extensions served: creation, termination, expiration. The upload's metadata must carry
``sha256`` (the bundle's SHA-256, hex) and may carry ``filename``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from email.utils import format_datetime

from citizen_rights_desktop.hq.intake_limits import bad_request, unsupported_version
from citizen_rights_desktop.persian.text import unsafe_characters

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination,expiration"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
MAX_METADATA_CHARS = 4096
MAX_FILENAME_CHARS = 255

_NUMBER = re.compile(r"^[0-9]{1,18}$")  # ASCII digits only (``int`` would take Persian digits and signs)
_KEY = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")


def check_version(headers) -> None:
    """Every request but OPTIONS names the protocol version (412 otherwise)."""
    if (headers.get("tus-resumable") or "").strip() != TUS_VERSION:
        raise unsupported_version()


def _number(value: str | None, code: str, what: str) -> int:
    text = (value or "").strip()
    if not _NUMBER.match(text):
        raise bad_request(code, f"{what} must be a whole number of bytes")
    return int(text)


def parse_length(value: str | None) -> int:
    """Upload-Length (required: this service does not take Upload-Defer-Length)."""
    length = _number(value, "bad_length", "Upload-Length")
    if length < 1:
        raise bad_request("bad_length", "Upload-Length must be at least 1 byte")
    return length


def parse_offset(value: str | None) -> int:
    return _number(value, "bad_offset", "Upload-Offset")


def parse_content_length(value: str | None) -> int | None:
    if value is None:
        return None
    return _number(value, "bad_length", "Content-Length")


def is_offset_stream(content_type: str | None) -> bool:
    return (content_type or "").split(";", 1)[0].strip().lower() == OFFSET_CONTENT_TYPE


def parse_metadata(value: str | None) -> dict[str, str]:
    """Upload-Metadata: ``key base64value`` pairs separated by commas; this service needs
    ``sha256`` and keeps ``filename``; other keys are read (they must be well formed) and dropped."""
    text = value or ""
    if len(text) > MAX_METADATA_CHARS:
        raise bad_request("bad_metadata", f"Upload-Metadata is longer than {MAX_METADATA_CHARS} characters")
    pairs: dict[str, str] = {}
    for item in text.split(",") if text.strip() else []:
        parts = item.strip().split(" ")
        if len(parts) > 2 or not _KEY.match(parts[0]) or parts[0] in pairs:
            raise bad_request("bad_metadata", "Upload-Metadata is not a list of 'key base64value' pairs")
        encoded = parts[1] if len(parts) == 2 else ""
        if len(encoded) % 4 or not _BASE64.match(encoded):
            raise bad_request("bad_metadata", f"the value of {parts[0]} in Upload-Metadata is not base64")
        try:
            pairs[parts[0]] = base64.b64decode(encoded, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            raise bad_request("bad_metadata", f"the value of {parts[0]} in Upload-Metadata is not base64 of UTF-8 text") from None
    sha = pairs.get("sha256", "").strip().lower()
    if not SHA256.match(sha):
        raise bad_request("bad_metadata", "Upload-Metadata must give sha256: the bundle's SHA-256 in hex")
    kept = {"sha256": sha}
    filename = pairs.get("filename", "")
    if filename:
        if len(filename) > MAX_FILENAME_CHARS or unsafe_characters(filename) or any(c in filename for c in "/\\:") or filename in (".", ".."):
            raise bad_request("bad_metadata", "the filename in Upload-Metadata is not a plain file name")
        kept["filename"] = filename
    return kept


def encode_metadata(metadata: dict[str, str]) -> str:
    return ",".join(f"{key} {base64.b64encode(value.encode('utf-8')).decode('ascii')}" for key, value in sorted(metadata.items()))


def http_date(moment: dt.datetime) -> str:
    """RFC 7231 date (``Upload-Expires``): ``Wed, 25 Jun 2025 10:00:00 GMT``."""
    return format_datetime(moment.astimezone(dt.UTC).replace(microsecond=0), usegmt=True)


def tus_headers(**more: str) -> dict[str, str]:
    """Tus-Resumable and ``more`` (``Upload_Offset`` → ``Upload-Offset``)."""
    return {"Tus-Resumable": TUS_VERSION, **{key.replace("_", "-"): str(value) for key, value in more.items()}}

