"""A headquarters and an enrolled office with a signed demo report, made once per test session.

The headquarters keys are scrypt-encrypted (about a second to open), so tests share one world and
copy its headquarters database when they need a clean one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyrage
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from citizen_rights_desktop.editing.demo import demo_report
from citizen_rights_desktop.exchange import bundle_writer, certificates
from citizen_rights_desktop.exchange import cms as bundle_cms
from citizen_rights_desktop.exchange import office_enrolment as office_exchange
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.form.loader import load_form
from citizen_rights_desktop.hq import identity as hq_identity
from citizen_rights_desktop.hq import offices as hq_offices
from citizen_rights_desktop.hq import profile as hq_profile_export
from citizen_rights_desktop.hq.importer import Importer
from storage import Database, ReportStore, open_database

ROOT = Path(__file__).resolve().parent.parent
FORM_FILE = ROOT / "forms" / "citizen-rights-1398.yaml"
PASSPHRASE = "correct horse battery staple"


@dataclass
class World:
    root: Path
    hq_path: Path
    hq: hq_identity.HQIdentity
    profile: bytes
    store: ReportStore
    report_id: str
    key: ec.EllipticCurvePrivateKey
    signer: bundle_cms.OfficeSigner
    catalog: FormCatalog

    @property
    def report(self):
        return self.store.load_report(self.report_id)

    @property
    def office(self):
        return self.store.get_office(self.report.office_id)

    def evidence(self, report=None) -> dict[str, bytes]:
        report = report or self.report
        return {ev.sha256: self.store.evidence_bytes(ev.sha256) for s in report.sections.values() for ev in s.evidence}

    def hq_copy(self, directory: Path) -> Database:
        """A fresh copy of the headquarters database (enrolments included, no imports)."""
        target = directory / f"hq-{len(list(directory.glob('hq-*.sqlite3')))}.sqlite3"
        source = sqlite3.connect(self.hq_path)
        dest = sqlite3.connect(target)
        source.backup(dest)
        source.close()
        dest.close()
        return open_database(target, take_backups=False)

    def importer(self, database: Database, **kwargs) -> Importer:
        return Importer(database, self.hq, self.catalog, **kwargs)

    def build(self, report=None, signer=None, recipient=None, hq_id=None, pdf=None, evidence=None) -> bytes:
        report = report or self.report
        data, _ = bundle_writer.build_bundle(
            report, self.office, evidence if evidence is not None else self.evidence(report), signer or self.signer,
            hq_id or self.hq.hq_id, recipient or self.hq.age_recipient, pdf,
        )  # fmt: skip
        return data

    def enrol_key(self, office_id: str, **kwargs) -> bundle_cms.OfficeSigner:
        """A new key with a certificate from this headquarters for ``office_id`` (registered in the HQ database)."""
        key = ec.generate_private_key(ec.SECP256R1())
        database = open_database(self.hq_path, take_backups=False)
        try:
            cert = hq_offices.issue_office_certificate(database, self.hq, certificates.office_request(key, office_id, "دستگاه"), **kwargs)
        finally:
            database.close()
        return bundle_cms.OfficeSigner(key, cert, [self.hq.ca_cert])

    def decrypt(self, data: bytes) -> dict[str, bytes]:
        archive = zipfile.ZipFile(io.BytesIO(pyrage.decrypt(data, [self.hq.age_identity])))
        return {info.filename: archive.read(info) for info in archive.infolist()}

    def repack(self, members: list[tuple[str, bytes, int]]) -> bytes:
        """Encrypt a hand-made zip (name, data, compression) to headquarters."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data, compression in members:
                archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
        return pyrage.encrypt(buffer.getvalue(), [pyrage.x25519.Recipient.from_str(self.hq.age_recipient)])


_WORLD: World | None = None


def world(tmp_path_factory) -> World:
    global _WORLD
    if _WORLD is not None:
        return _WORLD
    root = tmp_path_factory.mktemp("bundle-world")
    hq_path = root / "hq.sqlite3"
    hq_db = open_database(hq_path)
    hq = hq_identity.init_hq(hq_db, "سازمان اداری و استخدامی کشور", PASSPHRASE)
    profile = hq_profile_export.export_profile(hq_db, hq, [FORM_FILE])
    office_db = open_database(root / "office.sqlite3")
    store = ReportStore(office_db, actor="clerk")
    report_id = demo_report(store, load_form(FORM_FILE))
    store.set_state(report_id, "signed")
    office_exchange.import_profile(office_db, profile)
    key = ec.generate_private_key(ec.SECP256R1())
    office_id = store.load_report(report_id).office_id
    pem = hq_offices.enrol(hq_db, hq, certificates.office_request(key, office_id, "اداره کل").public_bytes(_pem()))
    office_exchange.import_certificate(office_db, pem)
    cert, chain = office_exchange.office_certificate(office_db, office_id)
    hq_db.close()
    _WORLD = World(root, hq_path, hq, profile, store, report_id, key, bundle_cms.OfficeSigner(key, cert, chain), FormCatalog(ROOT / "forms"))
    return _WORLD


def _pem():
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.PEM


def self_signed(office_id: str) -> bundle_cms.OfficeSigner:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "office"), x509.NameAttribute(NameOID.USER_ID, office_id)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365)).sign(key, hashes.SHA256())
    )  # fmt: skip
    return bundle_cms.OfficeSigner(key, cert, [])


def foreign_ca_signer(office_id: str, directory: Path) -> bundle_cms.OfficeSigner:
    """An office certificate from a CA headquarters has never heard of (same shape as its own)."""
    other_db = open_database(directory / "other-hq.sqlite3", take_backups=False)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    other = hq_identity.HQIdentity(
        "hq-other", "ستاد دیگر", hq_identity._ca_certificate(ca_key, "hq-other", "ستاد دیگر", now), "", ca_key, None  # type: ignore[arg-type]
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = hq_offices.issue_office_certificate(other_db, other, certificates.office_request(key, office_id, "x"))
    other_db.close()
    return bundle_cms.OfficeSigner(key, cert, [other.ca_cert])


def db_fingerprint(database: Database) -> str:
    return hashlib.sha256("\n".join(database.conn.iterdump()).encode("utf-8")).hexdigest()
