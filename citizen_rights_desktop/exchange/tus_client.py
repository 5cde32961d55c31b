"""A small client of the tus 1.0 resumable-upload protocol (https://tus.io/protocols/resumable-upload),
over mutually authenticated TLS, for headquarters' intake service (issue 18).

Why not tuspy, the maintained Python client: it loads the client key only from an unencrypted
file and verifies the server only against the public CAs (or not at all), while an office trusts
exactly headquarters' CA and its key stays passphrase-encrypted. The protocol's four requests are
short; the standard library's ``http.client`` speaks them. tuspy is used in the tests, as an
independent client of the service.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import secrets
import socket
import ssl
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import serialization

TUS_VERSION = "1.0.0"
FILES_PATH = "/files/"
MAX_ANSWER_BYTES = 256 * 1024


class Unreachable(Exception):
    """The line or headquarters' service failed for now: try again later."""


class TlsRefused(Exception):
    """The TLS handshake failed: headquarters is not the one the profile names, or it refused this
    office's certificate (expired, or from another CA). Retrying does not help."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    def error(self) -> tuple[str, str, str]:
        """(code, English, Persian) of an error answer's JSON body, or generic words."""
        try:
            data = json.loads(self.body.decode("utf-8"))
            if isinstance(data, dict):
                return str(data.get("error", ""))[:60], str(data.get("message_en", ""))[:500], str(data.get("message_fa", ""))[:500]
        except (UnicodeDecodeError, ValueError, RecursionError):
            pass
        return f"http_{self.status}", f"headquarters answered HTTP {self.status}", f"پاسخ ستاد: خطای {self.status}"


def client_context(ca_cert: x509.Certificate, certificate: x509.Certificate, chain: list[x509.Certificate], private_key) -> ssl.SSLContext:
    """TLS that trusts only headquarters' CA and presents the office's certificate.

    ``ssl`` loads a client key only from a file: it is written there encrypted with a one-time
    random password, in a private temporary folder, and removed at once."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_verify_locations(cadata=ca_cert.public_bytes(serialization.Encoding.PEM).decode("ascii"))
    password = secrets.token_hex(32).encode("ascii")
    key_pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(password)
    )
    certs = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (certificate, *chain))
    with tempfile.TemporaryDirectory(prefix="crd-tls-") as folder:
        path = Path(folder) / "office.pem"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(certs + key_pem)
        context.load_cert_chain(path, password=password)
    return context


def metadata(values: dict[str, str]) -> str:
    """tus ``Upload-Metadata``: ``key base64(value)`` pairs."""
    return ",".join(f"{k} {base64.b64encode(v.encode('utf-8')).decode('ascii')}" for k, v in values.items())


class TusConnection:
    """One keep-alive connection to the intake service; reconnects after a failure."""

    def __init__(self, base_url: str, context: ssl.SSLContext, timeout: float = 30.0):
        parts = urlsplit(base_url)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError(f"not an https:// address: {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.host, self.port = parts.hostname, parts.port or 443
        self.prefix = parts.path.rstrip("/").removesuffix("/files")  # the service's address, or its uploads' (``…/files/``)
        self.context = context
        self.timeout = timeout
        self._conn: http.client.HTTPSConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def path(self, location: str) -> str:
        """A path on the service for a ``Location`` the service gave (absolute or relative)."""
        absolute = urljoin(self.base_url + "/", location)
        parts = urlsplit(absolute)
        if (parts.hostname, parts.port or 443) != (self.host, self.port):
            raise Unreachable(f"headquarters named an upload on another host: {location[:100]!r}")
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def files_path(self) -> str:
        return self.prefix + FILES_PATH

    def receipt_path(self, sha256: str) -> str:
        return f"{self.prefix}/receipts/{sha256}"

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b"", timeout: float | None = None) -> Answer:
        all_headers = {"Tus-Resumable": TUS_VERSION, **(headers or {})}
        if method in ("POST", "PATCH", "DELETE"):
            all_headers.setdefault("Content-Length", str(len(body)))
        try:
            if self._conn is None:
                self._conn = http.client.HTTPSConnection(self.host, self.port, context=self.context, timeout=timeout or self.timeout)
            else:
                self._conn.timeout = timeout or self.timeout
                if self._conn.sock is not None:
                    self._conn.sock.settimeout(timeout or self.timeout)
            self._conn.request(method, path, body=body or None, headers=all_headers)
            response = self._conn.getresponse()
            data = response.read(MAX_ANSWER_BYTES + 1)
            answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data[:MAX_ANSWER_BYTES])
            if response.will_close or len(data) > MAX_ANSWER_BYTES:
                self.close()
            return answer
        except ssl.SSLCertVerificationError as exc:
            self.close()
            raise TlsRefused(f"headquarters' service is not the one the profile names: {exc.verify_message}") from None
        except ssl.SSLError as exc:
            self.close()
            reason = (exc.reason or "").lower()
            if "alert" in reason and ("certificate" in reason or "unknown_ca" in reason or "unknown ca" in reason):
                raise TlsRefused(f"headquarters refused this office's certificate ({exc.reason})") from None
            raise Unreachable(f"TLS failed: {exc.reason or exc}") from None
        except (OSError, http.client.HTTPException, socket.timeout) as exc:
            self.close()
            raise Unreachable(f"{type(exc).__name__}: {exc}"[:300]) from None
