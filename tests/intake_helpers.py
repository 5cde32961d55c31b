"""Helpers for the intake service's tests (issue 18): a running service on a free localhost port
over a private copy of the test world's headquarters, and a raw tus client written here with
``http.client`` + ``ssl`` (independent of the service's code and of the office's client)."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import sqlite3
import ssl
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from citizen_rights_desktop.exchange import certificates
from citizen_rights_desktop.hq import offices as hq_offices
from citizen_rights_desktop.hq.intake_limits import IntakeLimits
from citizen_rights_desktop.hq.intake_server import IntakeServer


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


@dataclass
class Office:
    """An office's TLS credentials as files (unencrypted PEM: tuspy takes nothing else)."""

    office_id: str
    cert_file: Path
    key_file: Path


def office_files(folder: Path, name: str, cert: x509.Certificate, key) -> Office:
    folder.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = folder / f"{name}.pem", folder / f"{name}.key"
    cert_file.write_bytes(pem(cert))
    key_file.write_bytes(key_pem(key))
    return Office(certificates.office_id_of(cert) or "", cert_file, key_file)


def enrol_office(database, hq, folder: Path, office_id: str) -> Office:
    """A second office, enrolled in this copy of headquarters only."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = hq_offices.issue_office_certificate(database, hq, certificates.office_request(key, office_id, "دستگاه دیگر"))
    return office_files(folder, office_id, cert, key)


def metadata(sha256: str, filename: str = "report.crb") -> str:
    return f"sha256 {base64.b64encode(sha256.encode()).decode()},filename {base64.b64encode(filename.encode()).decode()}"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body.decode("utf-8"))

    @property
    def code(self) -> str:
        return self.json().get("error", "")


@dataclass
class TusTestClient:
    """One office speaking tus to the service; a new connection per request."""

    port: int
    ca_file: Path
    office: Office | None
    sent: int = field(default=0)

    def context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.ca_file))
        if self.office is not None:
            context.load_cert_chain(self.office.cert_file, self.office.key_file)
        return context

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, body=None, tus: bool = True) -> Answer:
        """``body``: bytes, or an iterable of bytes (sent chunked, without Content-Length)."""
        all_headers = {"Tus-Resumable": "1.0.0"} if tus else {}
        all_headers.update(headers or {})
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context(), timeout=30)
        try:
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            self.sent += len(body) if isinstance(body, bytes) else 0
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            conn.close()

    def create(self, data: bytes, sha256: str | None = None, length: int | None = None) -> Answer:
        return self.request("POST", "/files/", {
            "Upload-Length": str(len(data) if length is None else length),
            "Upload-Metadata": metadata(sha256 or hashlib.sha256(data).hexdigest()),
            "Content-Length": "0",
        })  # fmt: skip

    def patch(self, location: str, offset: int, piece: bytes) -> Answer:
        return self.request("PATCH", location, {"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}, piece)

    def head(self, location: str) -> Answer:
        return self.request("HEAD", location)

    def upload(self, data: bytes, pieces: int = 3) -> Answer:
        """POST, then PATCH in ``pieces``; the last answer (whose Upload-Receipt names the receipt)."""
        created = self.create(data)
        assert created.status == 201, (created.status, created.body)
        location = created.headers["location"]
        size = -(-len(data) // pieces)
        answer = created
        for offset in range(0, len(data), size):
            answer = self.patch(location, offset, data[offset : offset + size])
            assert answer.status == 204, (answer.status, answer.body)
        return answer

    def receipt(self, sha256: str) -> Answer:
        return self.request("GET", f"/receipts/{sha256}", tus=False)


@dataclass
class Intake:
    """A running service over a private headquarters database."""

    server: IntakeServer
    db_path: Path
    folder: Path
    ca_file: Path
    office: Office

    def client(self, office: Office | None = ...) -> TusTestClient:  # type: ignore[assignment]
        return TusTestClient(self.server.port, self.ca_file, self.office if office is ... else office)

    def rows(self, sql: str, *args) -> list[tuple]:
        conn = sqlite3.connect(self.db_path)
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()

    def part_files(self) -> list[Path]:
        return sorted(self.folder.glob("*.part"))


def start_intake(w, tmp_path: Path, limits: IntakeLimits | None = None) -> Intake:
    limits = limits or IntakeLimits(min_free_bytes=0)
    database = w.hq_copy(tmp_path)
    db_path = database.path
    office = office_files(tmp_path / "tls", "office", w.signer.certificate, w.signer.private_key)
    ca_file = tmp_path / "tls" / "ca.pem"
    ca_file.write_bytes(pem(w.hq.ca_cert))
    database.close()
    folder = tmp_path / "intake"
    server = IntakeServer(db_path, w.hq, "127.0.0.1", 0, limits, ["localhost", "127.0.0.1"], forms=None, intake_folder=folder)
    server.start()
    return Intake(server, db_path, folder, ca_file, office)
