"""The intake service's door (issue 18): who is knocking, and whether there is room. Each function
runs in the door's database thread (``intake_worker.DatabaseThread``), one at a time, so counting
an office's uploads and creating a new one cannot interleave with another creation.

Everything here is decided before a single byte of an upload is stored: the client certificate
(registered at headquarters, not revoked: read on every request, so ``hq revoke`` takes effect at
once without a restart), the size, the office's unfinished uploads, the quota and the free disk.
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509

from citizen_rights_desktop.exchange.certificates import office_id_of
from citizen_rights_desktop.hq import intake_limits as refusals
from citizen_rights_desktop.hq.intake_files import IntakeFolder, is_disk_full
from citizen_rights_desktop.hq.intake_limits import IntakeLimits
from citizen_rights_desktop.hq.offices import is_revoked, registered_office
from storage import intake_store
from storage.database import Database


def office_of(database: Database, der: bytes, now: dt.datetime | None = None) -> str:
    """The office a client certificate (DER, verified against the CA by the TLS handshake) was
    issued to; ``IntakeRefusal`` 403 when headquarters does not know it or revoked it."""
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        raise refusals.not_enrolled() from None
    office = registered_office(database, cert)
    if office is None or office_id_of(cert) != office:
        raise refusals.not_enrolled()
    if is_revoked(database, cert):
        raise refusals.revoked()
    if cert.not_valid_after_utc < (now or dt.datetime.now(dt.UTC)):
        raise refusals.certificate_expired()
    return office


def pending_bytes(database: Database, folder: IntakeFolder) -> int:
    """Bytes the open uploads may still bring."""
    return sum(max(0, u.length - (folder.size(u.upload_id) or 0)) for u in intake_store.open_uploads(database))


def create_upload(database: Database, upload: intake_store.Upload, folder: IntakeFolder, limits: IntakeLimits) -> None:
    """Open a new upload (an empty part file and its row) or refuse it: another office's accepted
    bundle (409), too many unfinished uploads (429), over the quota or the free disk (507).

    Room needed on the disk: what the open uploads may still bring, twice this upload (its part
    file, and its plaintext while it is imported) and ``min_free_bytes``."""
    earlier = intake_store.receipt_for(database, upload.sha256 or "")
    if earlier is not None and earlier.office_id != upload.office_id and earlier.accepted:
        raise refusals.other_office()
    if intake_store.count_open(database, upload.office_id) >= limits.max_uploads_per_office:
        raise refusals.busy(limits)
    if limits.quota_bytes is not None and intake_store.reserved_bytes(database) + upload.length > limits.quota_bytes:
        raise refusals.disk_full(limits)
    if folder.free_bytes() < pending_bytes(database, folder) + 2 * upload.length + limits.min_free_bytes:
        raise refusals.disk_full(limits)
    try:
        folder.create(upload.upload_id)
    except OSError as exc:
        if is_disk_full(exc):
            raise refusals.disk_full(limits) from None
        raise
    try:
        intake_store.create_upload(database, upload)
    except BaseException:
        folder.delete(upload.upload_id)
        raise


def upload_of(database: Database, upload_id: str, office_id: str) -> intake_store.Upload:
    """The office's upload: 404 when unknown or another office's, 410 when expired or cancelled."""
    upload = intake_store.get_upload(database, upload_id)
    if upload is None or upload.office_id != office_id:
        raise refusals.not_found()
    if upload.state in (intake_store.TERMINATED, intake_store.EXPIRED):
        raise refusals.gone()
    return upload


def expire_due(database: Database, folder: IntakeFolder, now: dt.datetime, busy: set[str]) -> list[tuple[intake_store.Upload, int]]:
    """Expire the open uploads past their time (but not one being written to now: ``busy``) and
    delete their files; the ones expired, with the bytes they had received."""
    gone = []
    for upload in intake_store.list_expired(database, intake_store.utc_text(now)):
        if upload.upload_id not in busy and intake_store.mark_expired(database, upload.upload_id):
            held = folder.size(upload.upload_id) or 0
            folder.delete(upload.upload_id)
            gone.append((upload, held))
    return gone


def remove_strays(database: Database, folder: IntakeFolder) -> list[str]:
    """Part files no open upload owns (left by a crash between a state change and the deletion)."""
    owned = {u.upload_id for u in intake_store.open_uploads(database)}
    strays = [upload_id for upload_id in folder.upload_ids() if upload_id not in owned]
    for upload_id in strays:
        folder.delete(upload_id)
    return strays


def health(database: Database, folder: IntakeFolder) -> dict[str, int]:
    return {"uploads_in_flight": intake_store.count_open(database), "free_bytes": folder.free_bytes()}
