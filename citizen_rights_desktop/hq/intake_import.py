"""What happens when an upload's last byte arrives (issue 18): the bundle is checked against the
SHA-256 the office declared, imported exactly as ``hq import`` does, and answered with a receipt
signed by the headquarters CA key. Runs in the intake service's import thread, one bundle at a time, the uploads finishing
together sharing one commit (``finish_many``).

- The same bundle (same SHA-256) from the same office again: its receipt is given again, byte for
  byte, and nothing is imported twice (``intake_receipt`` is looked at first).
- A bundle whose manifest names another office than the client certificate's is refused
  (``other_office``) before any member of it is inflated.
- A refusal is a receipt too (status ``refused`` with the reason), so the office stops re-sending.
- A failure that is not the bundle's fault (the database locked, the disk) gives no receipt: the
  upload stays open with all its bytes and the office sends its last request again later.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.exchange.manifest import Manifest, refused
from citizen_rights_desktop.exchange.receipt import Receipt, read_receipt, sign_receipt
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import importer as hq_import
from citizen_rights_desktop.hq.identity import HQIdentity, trusted_roots
from citizen_rights_desktop.hq.intake_files import IntakeFolder, is_disk_full
from citizen_rights_desktop.hq.intake_limits import (
    IntakeLimits,
    IntakeRefusal,
    checksum_mismatch,
    disk_full,
    other_office,
    try_later,
)
from citizen_rights_desktop.hq.pdf_fast import validate_pending
from citizen_rights_desktop.hq.profile import install_province_forms
from citizen_rights_desktop.hq.signer_trust import default_pdf_check
from storage import intake_store
from storage.database import Database

IN_MEMORY_BYTES = 16 * 1024 * 1024  # a bundle up to this size is imported from memory, a larger one streamed
log = logging.getLogger("citizen_rights.intake")
_RECEIPT_ID = re.compile(r"^[0-9A-Za-z_@.:-]{0,80}$")  # what ``exchange.receipt.read_receipt`` accepts
_UNSAFE = re.compile("[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Finished:
    """A finished upload's answer: the receipt kept for its bundle (``reused`` when it was there
    already), its status and reason code (for the log)."""

    stored: intake_store.StoredReceipt
    status: str
    reason_code: str
    reused: bool


class _OfficeImporter(hq_import.Importer):
    """``hq import``'s importer, bound to the office whose certificate opened the connection."""

    def __init__(self, *args, office_id: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.office_id = office_id
        self.manifest: Manifest | None = None

    def decide_trust(self, manifest: Manifest, signer: x509.Certificate, certificates: list[x509.Certificate]) -> None:
        self.manifest = manifest
        if manifest.office_id != self.office_id:
            raise refused(
                "other_office",
                f"the bundle is office {manifest.office_id}'s, but it was sent with office {self.office_id}'s certificate",
                "این بسته متعلق به دستگاه دیگری است و با گواهی این دستگاه فرستاده شده است؛ پذیرفته نشد.",
            )
        super().decide_trust(manifest, signer, certificates)


def _text(value: str, limit: int = 2000) -> str:
    """A message as a receipt may carry it: no controls or direction marks, at most ``limit``."""
    return _UNSAFE.sub(" ", value)[:limit]


def _ident(value: object) -> str:
    text = str(value or "")
    return text if _RECEIPT_ID.match(text) else ""


class IntakeImporter:
    """Finishes uploads; lives in the import thread (its catalog and importers are that thread's)."""

    def __init__(self, hq: HQIdentity, folder: IntakeFolder, forms: Path | None = None):
        self.hq = hq
        self.folder = folder
        self.forms = forms
        self._catalog: FormCatalog | None = None
        self.pdfs_pending = False

    def catalog(self, database: Database) -> FormCatalog:
        if self._catalog is None:
            self._catalog = FormCatalog(self.forms)
            install_province_forms(database, self._catalog)
        return self._catalog

    def finish_many(self, database: Database, uploads: list[intake_store.Upload]) -> list[Finished | Exception]:
        """``finish`` for several uploads in one synced commit (each in its own savepoint, so one
        that fails leaves nothing); each upload's receipt, or the ``IntakeRefusal`` it got."""
        results: list[Finished | Exception] = []
        done: list[str] = []
        with database.transaction():
            for upload in uploads:
                try:
                    results.append(self.finish(database, upload, done))
                except Exception as exc:  # noqa: BLE001 - an IntakeRefusal; anything else is logged and answered 503
                    if not isinstance(exc, IntakeRefusal):
                        log.exception("upload %s of office %s: unexpected failure", upload.upload_id, upload.office_id)
                        exc = try_later()
                    results.append(exc)
        for upload_id in done:  # their part files go once the receipts are durable
            self.folder.delete(upload_id)
        return results

    def finish(self, database: Database, upload: intake_store.Upload, done: list[str] | None = None) -> Finished:
        """The receipt for a complete upload (its part file ``upload.length`` bytes long), or an
        ``IntakeRefusal``: ``checksum_mismatch`` (discarded), ``other_office``, ``try_later``."""
        try:
            sha = self.folder.sha256(upload.upload_id)
        except OSError as exc:
            log.error("upload %s: its part file is not readable: %s", upload.upload_id, exc)
            raise try_later() from None
        if sha != upload.sha256:
            self._discard(database, upload, intake_store.TERMINATED)
            log.warning("upload %s of office %s refused: checksum_mismatch (declared %s, received %s)",
                        upload.upload_id, upload.office_id, upload.sha256, sha)  # fmt: skip
            raise checksum_mismatch()
        # the import, its receipt and the upload's new state in one synced commit (not three: the
        # commits' fsyncs were a third of the import thread's time under load); the part file goes after
        with database.transaction():
            answer = self._answer(database, upload, sha)
            intake_store.set_state(database, upload.upload_id, intake_store.COMPLETE if answer else intake_store.TERMINATED)
        if done is None:
            self.folder.delete(upload.upload_id)
        else:  # inside a group: deleted after its commit (``finish_many``)
            done.append(upload.upload_id)
        if answer is None:
            raise other_office()
        return answer

    def _answer(self, database: Database, upload: intake_store.Upload, sha: str) -> Finished | None:
        """The upload's receipt: the one kept for the same bundle from the same office, else a new
        one from its import; ``None`` when another office already has an accepting receipt for it."""
        existing = intake_store.receipt_for(database, sha)
        if existing is not None and existing.office_id == upload.office_id:
            earlier = read_receipt(existing.receipt, self.hq.ca_cert, sha)
            return Finished(existing, earlier.status, earlier.reason_code, True)
        if existing is not None and existing.accepted:
            return None
        receipt = self._import(database, upload, sha)
        signed = sign_receipt(self.hq.ca_key, receipt)
        stored = intake_store.store_receipt(
            database,
            intake_store.StoredReceipt(sha, receipt.receipt_id, upload.office_id, receipt.accepted, signed, intake_store.utc_text(_now())),
        )
        if stored.receipt_id != receipt.receipt_id:  # another upload of the same bundle got there first
            earlier = read_receipt(stored.receipt, self.hq.ca_cert, sha)
            return Finished(stored, earlier.status, earlier.reason_code, True)
        return Finished(stored, receipt.status, receipt.reason_code, False)

    def _import(self, database: Database, upload: intake_store.Upload, sha: str) -> Receipt:
        received_at = _now().strftime("%Y-%m-%dT%H:%M:%SZ")
        source = upload.metadata.get("filename") or f"intake-{upload.upload_id}.crb"
        importer = _OfficeImporter(
            database, self.hq, self.catalog(database), pdf_check="fast", scratch=self.folder.folder, office_id=upload.office_id
        )
        outcome: hq_import.ImportOutcome | BundleRefused
        try:
            with importer:
                path = self.folder.path(upload.upload_id)
                if upload.length <= IN_MEMORY_BYTES:  # most bundles: no private temporary folder to decrypt into
                    outcome = importer.import_bytes(path.read_bytes(), source)
                else:  # streamed, memory bounded (``Importer.import_file``)
                    outcome = importer.import_file(path, source)
        except BundleRefused as exc:
            outcome = exc
        except (sqlite3.OperationalError, OSError) as exc:  # not the bundle's fault: no receipt, the bytes stay
            log.error("upload %s of office %s could not be imported now: %s", upload.upload_id, upload.office_id, exc)
            full = "full" in str(exc) or (isinstance(exc, OSError) and is_disk_full(exc))
            raise (disk_full(IntakeLimits()) if full else try_later()) from None
        except Exception as exc:
            log.exception("upload %s of office %s: unexpected failure while importing", upload.upload_id, upload.office_id)
            outcome = hq_import.unexpected(exc)
        manifest = importer.manifest
        fields = {
            "receipt_id": uuid.uuid4().hex, "hq_id": self.hq.hq_id, "bundle_sha256": sha, "size": upload.length,
            "office_id": _ident(upload.office_id), "received_at": received_at,
            "report_id": _ident(manifest.report_id) if manifest else "", "form_id": _ident(manifest.form_id) if manifest else "",
            "period": _ident(manifest.period) if manifest else "", "revision": manifest.revision if manifest else 0,
        }  # fmt: skip
        if isinstance(outcome, BundleRefused):
            return Receipt(**fields, status="refused", reason_code=_ident(outcome.code),
                           message_en=_text(outcome.message_en), message_fa=_text(outcome.message_fa))  # fmt: skip
        self.pdfs_pending = self.pdfs_pending or outcome.changed
        return Receipt(**fields, status=outcome.status, message_en=_text(outcome.message_en), message_fa=_text(outcome.message_fa),
                       submission_id=_ident(outcome.submission_id))  # fmt: skip

    def _discard(self, database: Database, upload: intake_store.Upload, state: str) -> None:
        intake_store.set_state(database, upload.upload_id, state)
        self.folder.delete(upload.upload_id)

    def validate_pdfs(self, database: Database) -> dict[str, int] | None:
        """The signed PDFs' full validation (``hq.pdf_fast``), after imports; ``None`` when none waits."""
        if not self.pdfs_pending:
            return None
        self.pdfs_pending = False
        return validate_pending(database, default_pdf_check(trusted_roots(database)))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

